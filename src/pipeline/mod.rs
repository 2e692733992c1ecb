//! Pipeline analysis: GitHub Actions workflows, composite actions, `.gitlab-ci.yml` and
//! `.pre-commit-config.yaml` → the facts controls need. Pure: no I/O.

mod callee;
mod collect;
mod detect;
mod facts;
mod finding;
mod github;
mod gitlab;
mod guard;
mod precommit;
mod text;
mod yaml;

pub use callee::{candidate_paths, resolve_local_callees};
pub use facts::*;
pub use finding::{Finding, FindingKind};
pub use guard::panic_is_contained;

use collect::Out;
use yaml::Doc;

/// Detect the kind of a pipeline file from its path and content.
pub fn detect_kind(path: &str, text: &str) -> FileKind {
    guard::contain(|| detect::detect_doc(path, &Doc::parse(text), text))
        .unwrap_or_else(|_| detect::detect_doc(path, &Doc::default(), text))
}

/// Analyse one file. Never panics; unparseable YAML yields `error` plus a tolerant reading.
pub fn analyse(path: &str, text: &str, kind: Option<FileKind>) -> Analysis {
    analyse_in_repo(path, text, kind, None)
}

/// Analyse one file of repository `repo` (`owner/name`): the repository itself is not a
/// third-party action, and `uses: ./` is its own root action.
///
/// Never panics and never runs unbounded: a file whose YAML merges exceed the work budget, or
/// that trips an analyser bug, is returned with `error` set (its facts then count as `unknown`).
pub fn analyse_in_repo(
    path: &str,
    text: &str,
    kind: Option<FileKind>,
    repo: Option<&str>,
) -> Analysis {
    match guard::contain(|| analyse_contained(path, text, kind, repo)) {
        Ok(analysis) => analysis,
        Err(reason) => unanalysed(path, text, kind, reason),
    }
}

fn analyse_contained(
    path: &str,
    text: &str,
    kind: Option<FileKind>,
    repo: Option<&str>,
) -> Analysis {
    let doc = Doc::parse(text);
    let kind = kind.unwrap_or_else(|| detect::detect_doc(path, &doc, text));
    if let Some(reason) = &doc.over_budget {
        return unanalysed(path, text, Some(kind), reason.clone());
    }
    let mut out = Out::default();
    match kind {
        FileKind::GithubActions => {
            github::analyse(&doc, text, repo, &mut out);
            out.facts.local_callees = github::local_callees(&doc);
        }
        FileKind::GitlabCi => gitlab::analyse(&doc, text, &mut out),
        FileKind::PreCommit => precommit::analyse(&doc, text, &mut out),
    }
    let (facts, findings) = out.finish();
    Analysis {
        kind,
        error: doc.error,
        facts,
        findings,
    }
}

/// The answer for a file that could not be analysed: no facts, and `reason` as the error.
fn unanalysed(path: &str, text: &str, kind: Option<FileKind>, reason: String) -> Analysis {
    let kind = kind.unwrap_or_else(|| detect::detect_doc(path, &Doc::default(), text));
    Analysis {
        kind,
        error: Some(reason),
        facts: PipelineFacts::default(),
        findings: Vec::new(),
    }
}
