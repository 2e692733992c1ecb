//! A `--repo` / `--project` refresh: the freshly read repositories replace their namesakes in
//! the org's previous snapshot; everything else of that snapshot is kept.

use crate::model::Snapshot;

/// Merge the refreshed repositories of `fresh` into `base` and make `fresh` the result: repos
/// replaced by name (new ones appended), stored files kept only while some repo refers to them.
/// The org facts are those of `fresh` (each collector decides what it re-read).
pub(crate) fn merge_into_base(fresh: &mut Snapshot, base: Snapshot) {
    let mut merged = base;
    for repo in std::mem::take(&mut fresh.repos) {
        match merged.repos.iter_mut().find(|r| r.name == repo.name) {
            Some(slot) => *slot = repo,
            None => merged.repos.push(repo),
        }
    }
    let mut files = std::mem::take(&mut merged.files);
    files.extend(std::mem::take(&mut fresh.files));
    let used: std::collections::BTreeSet<String> = merged
        .repos
        .iter()
        .flat_map(|r| {
            let mut hashes: Vec<String> = r
                .pipelines
                .known()
                .map(|p| p.iter().map(|f| f.hash.clone()).collect())
                .unwrap_or_default();
            if let crate::model::Fact::Known(Some(f)) = &r.precommit {
                hashes.push(f.hash.clone());
            }
            hashes
        })
        .collect();
    files.retain(|hash, _| used.contains(hash));
    fresh.repos = merged.repos;
    fresh.files = files;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileRef, Provider, Repo, Visibility};
    use crate::pipeline::FileKind;
    use chrono::{TimeZone, Utc};

    fn snapshot_with(repos: &[(&str, &str)]) -> Snapshot {
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let mut s = Snapshot::new(Provider::Github, "acme", "https://api.github.com", at);
        for (name, workflow) in repos {
            let hash = s.add_file(FileKind::GithubActions, workflow.to_string());
            let mut repo = Repo::new(name, Visibility::Private, "main");
            repo.pipelines = crate::model::Fact::Known(vec![FileRef {
                path: ".github/workflows/ci.yml".into(),
                hash,
            }]);
            s.repos.push(repo);
        }
        s
    }

    #[test]
    fn refreshed_repos_replace_their_namesakes_and_orphaned_files_go() {
        let base = snapshot_with(&[("acme/a", "old-a"), ("acme/b", "b")]);
        let mut fresh = snapshot_with(&[("acme/a", "new-a"), ("acme/c", "c")]);
        merge_into_base(&mut fresh, base);
        let names: Vec<&str> = fresh.repos.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["acme/a", "acme/b", "acme/c"]);
        let texts: Vec<&str> = fresh.files.values().map(|f| f.text.as_str()).collect();
        assert_eq!(texts.len(), 3);
        assert!(texts.contains(&"new-a") && texts.contains(&"b") && texts.contains(&"c"));
        assert!(
            !texts.contains(&"old-a"),
            "the replaced repo's file is no longer referenced"
        );
    }
}
