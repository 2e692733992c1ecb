//! Pipeline analysis: GitHub Actions workflows, composite actions, `.gitlab-ci.yml` and
//! `.pre-commit-config.yaml` → the facts controls need. Pure: no I/O.

mod facts;

pub use facts::*;

/// Detect the kind of a pipeline file from its path and content.
pub fn detect_kind(path: &str, text: &str) -> FileKind {
    if path.ends_with(".pre-commit-config.yaml") || path.ends_with(".pre-commit-config.yml") {
        return FileKind::PreCommit;
    }
    if path.contains(".gitlab-ci") || (text.contains("stages:") && !text.contains("runs-on")) {
        return FileKind::GitlabCi;
    }
    FileKind::GithubActions
}

/// Analyse one file. Never panics; unparseable YAML yields `error` plus a tolerant reading.
pub fn analyse(path: &str, text: &str, kind: Option<FileKind>) -> Analysis {
    let kind = kind.unwrap_or_else(|| detect_kind(path, text));
    Analysis {
        kind,
        error: None,
        facts: PipelineFacts::default(),
        findings: Vec::new(),
    }
}
