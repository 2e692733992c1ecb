//! Which kind of pipeline file this is, from its path and content.

use super::facts::FileKind;
use super::yaml::{Doc, Node};

/// Detect from the path and an already parsed document.
pub fn detect_doc(path: &str, doc: &Doc, text: &str) -> FileKind {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".pre-commit-config.yaml") || lower.ends_with(".pre-commit-config.yml") {
        return FileKind::PreCommit;
    }
    if lower.contains(".gitlab-ci") || lower.contains(".gitlab/") {
        return FileKind::GitlabCi;
    }
    if lower.contains(".github/") {
        return FileKind::GithubActions;
    }
    match doc.root() {
        Some(root) => from_root(root),
        None if text.contains("runs-on") => FileKind::GithubActions,
        None if text.contains("script:") || text.contains("stages:") => FileKind::GitlabCi,
        None => FileKind::GithubActions,
    }
}

fn from_root(root: Node<'_>) -> FileKind {
    if root.get("jobs").is_some() || root.get("runs").is_some() || root.get("on").is_some() {
        return FileKind::GithubActions;
    }
    if root.get("repos").is_some() {
        return FileKind::PreCommit;
    }
    let gitlab = root.get("stages").is_some()
        || root.get("include").is_some()
        || root
            .entries()
            .iter()
            .any(|(_, _, v)| v.get("script").is_some() || v.get("extends").is_some());
    if gitlab {
        FileKind::GitlabCi
    } else {
        FileKind::GithubActions
    }
}

#[cfg(test)]
mod tests {
    use super::super::detect_kind;
    use crate::pipeline::facts::FileKind;

    #[test]
    fn by_path_and_content() {
        assert_eq!(detect_kind("x/.gitlab-ci.yml", ""), FileKind::GitlabCi);
        assert_eq!(
            detect_kind(".pre-commit-config.yaml", ""),
            FileKind::PreCommit
        );
        assert_eq!(
            detect_kind("a.yml", "on: push\njobs:\n  a:\n    runs-on: x\n"),
            FileKind::GithubActions
        );
        assert_eq!(
            detect_kind("action.yml", "runs:\n  using: composite\n"),
            FileKind::GithubActions
        );
        assert_eq!(
            detect_kind("t.yml", "job:\n  script: [make]\n"),
            FileKind::GitlabCi
        );
        assert_eq!(detect_kind("t.yml", "stages: [a]\n"), FileKind::GitlabCi);
    }
}
