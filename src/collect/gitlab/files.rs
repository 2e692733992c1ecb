//! Repository files of a project: `.gitlab-ci.yml` (or the project's `ci_config_path`) and the
//! local files it includes, CODEOWNERS where GitLab reads it (root, `docs/`, `.gitlab/`) and
//! `.pre-commit-config.yaml`. One root tree listing says which exist, so a project without
//! them costs one request.

use base64::Engine;
use serde::Deserialize;

use super::http::{GitlabClient, encode};
use crate::collect::answer::Failure;
use crate::model::{Fact, FileRef, content_hash};
use crate::pipeline::FileKind;

/// Local includes followed, in all, per project.
const MAX_INCLUDES: usize = 20;

/// The files of one project, with their texts to store in the snapshot.
#[derive(Debug)]
pub struct Files {
    /// Pipeline files (the CI config first, then local includes).
    pub pipelines: Fact<Vec<FileRef>>,
    /// `.pre-commit-config.yaml`.
    pub precommit: Fact<Option<FileRef>>,
    /// Path of the CODEOWNERS file GitLab reads.
    pub codeowners: Fact<Option<String>>,
    /// Texts to add to `Snapshot::files`.
    pub texts: Vec<(FileKind, String)>,
}

#[derive(Debug, Deserialize)]
struct TreeEntry {
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize)]
struct FileBody {
    #[serde(default)]
    content: String,
    #[serde(default)]
    encoding: String,
}

/// Read the files of project `id` on branch `branch`. `ci_path` is the project's
/// `ci_config_path` (empty: `.gitlab-ci.yml`).
pub async fn read(client: &GitlabClient, id: u64, branch: &str, ci_path: &str) -> Files {
    let mut files = Files {
        pipelines: Fact::Known(Vec::new()),
        precommit: Fact::Known(None),
        codeowners: Fact::Known(None),
        texts: Vec::new(),
    };
    if branch.is_empty() {
        return files;
    }
    let tree_route = format!(
        "/projects/{id}/repository/tree?ref={}&per_page=100",
        encode(branch)
    );
    let tree: Vec<TreeEntry> = match client.get_pages(&tree_route, true).await {
        Ok(pages) => pages
            .into_iter()
            .flat_map(|page| serde_json::from_value::<Vec<TreeEntry>>(page).unwrap_or_default())
            .collect(),
        // An empty repository has no tree: GitLab answers 404 "Tree Not Found".
        Err(Failure::Http { status: 404, .. }) => Vec::new(),
        Err(failure) => {
            let why = failure.unreadable();
            files.pipelines = Fact::Unreadable(Box::new(why.clone()));
            files.precommit = Fact::Unreadable(Box::new(why.clone()));
            files.codeowners = Fact::Unreadable(Box::new(why));
            return files;
        }
    };
    let has = |name: &str, kind: &str| tree.iter().any(|e| e.name == name && e.kind == kind);

    // The CI configuration: the default path is known from the tree; a custom local path is
    // fetched directly; a path in another project (`file.yml@group/project`) is not read.
    let ci_path = ci_path.trim();
    let ci_path = if ci_path.is_empty() {
        ".gitlab-ci.yml"
    } else {
        ci_path
    };
    let ci_exists = ci_path.contains('/') || has(ci_path, "blob");
    if !ci_path.contains('@') && ci_exists {
        files.pipelines = pipelines(client, id, branch, ci_path, &mut files.texts).await;
    }

    if has(".pre-commit-config.yaml", "blob") {
        files.precommit = match fetch(client, id, branch, ".pre-commit-config.yaml").await {
            Ok(Some(text)) => {
                let hash = content_hash(&text);
                files.texts.push((FileKind::PreCommit, text));
                Fact::Known(Some(FileRef {
                    path: ".pre-commit-config.yaml".to_owned(),
                    hash,
                }))
            }
            Ok(None) => Fact::Known(None),
            Err(f) => Fact::Unreadable(Box::new(f.unreadable())),
        };
    }

    files.codeowners = if has("CODEOWNERS", "blob") {
        Fact::Known(Some("CODEOWNERS".to_owned()))
    } else {
        let mut found = Fact::Known(None);
        for (dir, path) in [
            ("docs", "docs/CODEOWNERS"),
            (".gitlab", ".gitlab/CODEOWNERS"),
        ] {
            if !has(dir, "tree") {
                continue;
            }
            match exists(client, id, branch, path).await {
                Ok(true) => {
                    found = Fact::Known(Some(path.to_owned()));
                    break;
                }
                Ok(false) => {}
                Err(f) => {
                    found = Fact::Unreadable(Box::new(f.unreadable()));
                    break;
                }
            }
        }
        found
    };
    files
}

/// The CI file and, breadth first, the local files it includes.
async fn pipelines(
    client: &GitlabClient,
    id: u64,
    branch: &str,
    ci_path: &str,
    texts: &mut Vec<(FileKind, String)>,
) -> Fact<Vec<FileRef>> {
    let mut refs: Vec<FileRef> = Vec::new();
    let mut queue = vec![ci_path.trim_start_matches('/').to_owned()];
    let mut seen: Vec<String> = queue.clone();
    let mut first = true;
    while let Some(path) = (!queue.is_empty()).then(|| queue.remove(0)) {
        let text = match fetch(client, id, branch, &path).await {
            Ok(Some(text)) => text,
            Ok(None) => {
                first = false;
                continue;
            }
            // The main file unreadable: the pipeline facts are unknown. An include unreadable:
            // the main file's facts still stand, the include is left out.
            Err(f) if first => return Fact::Unreadable(Box::new(f.unreadable())),
            Err(_) => continue,
        };
        first = false;
        let analysis = crate::pipeline::analyse(&path, &text, Some(FileKind::GitlabCi));
        for callee in analysis.facts.local_callees {
            let callee = callee.trim().trim_start_matches('/').to_owned();
            // Wildcard includes (`/ci/*.yml`) need a tree walk: not followed.
            if callee.is_empty() || callee.contains('*') || seen.contains(&callee) {
                continue;
            }
            if seen.len() > MAX_INCLUDES {
                break;
            }
            seen.push(callee.clone());
            queue.push(callee);
        }
        refs.push(FileRef {
            path: path.clone(),
            hash: content_hash(&text),
        });
        texts.push((FileKind::GitlabCi, text));
    }
    Fact::Known(refs)
}

/// The text of a file, `None` when it does not exist (404).
async fn fetch(
    client: &GitlabClient,
    id: u64,
    branch: &str,
    path: &str,
) -> Result<Option<String>, Failure> {
    let route = format!(
        "/projects/{id}/repository/files/{}?ref={}",
        encode(path),
        encode(branch)
    );
    let answer = match client.get(&route).await {
        Ok(answer) => answer,
        Err(Failure::Http { status: 404, .. }) => return Ok(None),
        Err(f) => return Err(f),
    };
    let body: FileBody = serde_json::from_value(answer.body)
        .map_err(|e| Failure::Transport(format!("GET {route}: unexpected file body ({e})")))?;
    let bytes = if body.encoding == "base64" {
        let compact: String = body.content.split_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map_err(|e| Failure::Transport(format!("GET {route}: invalid base64 ({e})")))?
    } else {
        body.content.into_bytes()
    };
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Whether a file exists (its metadata is read, the content is dropped).
async fn exists(client: &GitlabClient, id: u64, branch: &str, path: &str) -> Result<bool, Failure> {
    fetch(client, id, branch, path).await.map(|t| t.is_some())
}
