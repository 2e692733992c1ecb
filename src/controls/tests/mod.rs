//! Tests of the non-branch judges: fixtures built by hand (no analyser output).

mod identity;
mod isolation;
mod judge;
mod policy_org;
mod secrets;

use chrono::{DateTime, TimeZone, Utc};

use crate::config::Settings;
use crate::controls::{Catalog, Context, Status, Verdict, judge_repo};
use crate::model::{
    CachedAnalysis, Fact, FileRef, GitlabProject, Provider, Repo, Snapshot, Unreadable, Visibility,
};
use crate::pipeline::{
    ANALYSER_VERSION, Analysis, AuthMethod, CloudAuth, CloudProvider, FileKind, Finding,
    FindingKind, PipelineFacts,
};

/// When every fixture snapshot was taken.
pub(super) fn taken_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
}

/// An empty GitHub snapshot of org `acme`.
pub(super) fn github() -> Snapshot {
    Snapshot::new(
        Provider::Github,
        "acme",
        "https://api.github.com",
        taken_at(),
    )
}

/// An empty GitLab snapshot of group `grp`.
pub(super) fn gitlab() -> Snapshot {
    Snapshot::new(
        Provider::Gitlab,
        "grp",
        "https://gitlab.com/api/v4",
        taken_at(),
    )
}

/// A private GitHub repository `acme/api`.
pub(super) fn repo() -> Repo {
    Repo::new("acme/api", Visibility::Private, "main")
}

/// A private GitLab project `grp/api` (id 7).
pub(super) fn project() -> Repo {
    let mut r = Repo::new("grp/api", Visibility::Private, "main");
    r.gitlab = Some(GitlabProject::new(7));
    r
}

/// An unreadable fact.
pub(super) fn forbidden<T>(needs: &str) -> Fact<T> {
    Fact::Unreadable(Box::new(Unreadable::new(
        Some(403),
        "Forbidden",
        Some(needs),
    )))
}

/// A finding of `fact` on `line`, read as a cached analysis is (a `cloud_auth` detail's
/// `aws/static-key:` prefix becomes its typed login).
pub(super) fn finding(fact: FindingKind, line: u32, detail: &str) -> Finding {
    serde_json::from_value(
        serde_json::json!({"fact": fact.as_str(), "line": line, "detail": detail}),
    )
    .expect("a finding in its serialised shape")
}

/// A GitHub Actions analysis.
pub(super) fn gha(facts: PipelineFacts, findings: Vec<Finding>) -> Analysis {
    Analysis {
        kind: FileKind::GithubActions,
        error: None,
        facts,
        findings,
    }
}

/// A GitLab CI analysis.
pub(super) fn glci(facts: PipelineFacts, findings: Vec<Finding>) -> Analysis {
    Analysis {
        kind: FileKind::GitlabCi,
        error: None,
        facts,
        findings,
    }
}

/// An analysis whose YAML failed to parse.
pub(super) fn broken(error: &str) -> Analysis {
    Analysis {
        kind: FileKind::GithubActions,
        error: Some(error.into()),
        facts: PipelineFacts::default(),
        findings: Vec::new(),
    }
}

/// Store a file with a cached analysis and reference it from `repo.pipelines`.
pub(super) fn add_pipeline(snap: &mut Snapshot, repo: &mut Repo, path: &str, analysis: Analysis) {
    let file = store(snap, path, analysis);
    match &mut repo.pipelines {
        Fact::Known(files) => files.push(file),
        other => *other = Fact::Known(vec![file]),
    }
}

/// Store a file (unique text per path) with a cached analysis; return its reference.
pub(super) fn store(snap: &mut Snapshot, path: &str, analysis: Analysis) -> FileRef {
    let text = format!("# {path} {}\n", snap.files.len());
    let hash = snap.add_file(analysis.kind, text);
    if let Some(file) = snap.files.get_mut(&hash) {
        file.analysis = Some(CachedAnalysis {
            analyser_version: ANALYSER_VERSION,
            analysis,
        });
    }
    FileRef {
        path: path.into(),
        hash,
    }
}

/// Facts with one cloud auth.
pub(super) fn auth(provider: CloudProvider, method: AuthMethod) -> PipelineFacts {
    PipelineFacts {
        cloud_auth: vec![CloudAuth { provider, method }],
        ..PipelineFacts::default()
    }
}

/// Judge `repo` (pushed into `snap`) with `settings` and return the verdict of control `id`.
pub(super) fn verdict_with(snap: &Snapshot, settings: &Settings, repo: &Repo, id: &str) -> Verdict {
    let ctx = Context::new(snap, settings);
    let verdicts = judge_repo(&ctx, repo);
    let index = Catalog::builtin().repo_index(id).unwrap();
    verdicts[index].clone()
}

/// Judge with default settings.
pub(super) fn verdict(snap: &Snapshot, repo: &Repo, id: &str) -> Verdict {
    verdict_with(snap, &Settings::default(), repo, id)
}

/// Assert a status, showing the verdict on failure.
#[track_caller]
pub(super) fn assert_status(v: &Verdict, status: Status) {
    assert_eq!(v.status, status, "{v:?}");
    match status {
        Status::Unknown => assert!(v.reason.as_deref().is_some_and(|r| !r.is_empty()), "{v:?}"),
        _ => assert_eq!(v.reason.as_deref(), None, "{v:?}"),
    }
    assert!(!v.evidence.is_empty(), "{v:?}");
}
