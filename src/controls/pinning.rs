//! `pinned-actions`: third-party actions pinned to a commit SHA (GitHub), `include:`
//! project/component references pinned to a commit SHA (GitLab).

use crate::pipeline::Analysis;
use crate::pipeline::FindingKind;

use super::Status::{Fail, Pass};
use super::Verdict;
use super::control::{Definition, RepoControl};
use super::judge::RepoView;
use super::pipelines::cite_line;
use super::{Band, Severity};

/// `pinned-actions`.
pub(crate) const PINNED_ACTIONS: RepoControl = RepoControl {
    def: Definition {
        id: "pinned-actions",
        band: Band::Isolation,
        severity: Severity::Medium,
        title: "Third-party actions pinned to a commit SHA",
        rationale: "A tag can be moved to malicious code; a SHA cannot.",
        fix: "Pin every third-party action to a full commit SHA with a version comment.",
    },
    judge: pinned_actions,
};

const SLSA_GENERATOR: &str = "slsa-framework/slsa-github-generator/";

/// True when a `uses:` reference (or a finding's detail containing one) is an SLSA generator
/// reusable workflow referenced by a release tag `@vX.Y.Z` — the spec's exception.
pub fn is_slsa_release_tag(reference: &str) -> bool {
    let Some(start) = reference.find(SLSA_GENERATOR) else {
        return false;
    };
    let rest = &reference[start..];
    let Some(at) = rest.find('@') else {
        return false;
    };
    let tag: &str = rest[at + 1..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ')' || c == ',')
        .next()
        .unwrap_or("");
    let Some(version) = tag.strip_prefix('v') else {
        return false;
    };
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Unpinned third-party `uses:` in one file after the SLSA exception, and the first line.
fn unpinned(analysis: &Analysis) -> (u32, Option<u32>) {
    let count = analysis.facts.unpinned_third_party_actions.unwrap_or(0);
    if count == 0 {
        return (0, None);
    }
    let mut exempt = 0u32;
    let mut first = None;
    for finding in analysis
        .findings
        .iter()
        .filter(|f| f.fact == FindingKind::UnpinnedThirdPartyActions)
    {
        if is_slsa_release_tag(&finding.detail) {
            exempt += 1;
        } else {
            first.get_or_insert(finding.line);
        }
    }
    (count.saturating_sub(exempt), first)
}

/// Judge `pinned-actions`.
pub(crate) fn pinned_actions(view: &RepoView<'_>) -> Verdict {
    if view.gitlab() {
        return gitlab_includes(view);
    }
    let mut total = 0u32;
    let mut first = None;
    let mut files = 0usize;
    for (path, analysis) in view.pipelines.ok() {
        let (n, line) = unpinned(analysis);
        if n > 0 {
            total += n;
            files += 1;
            first.get_or_insert((path, line));
        }
    }
    if let Some((path, line)) = first {
        let tail = if files > 1 {
            format!(" ({total} in {files} files)")
        } else {
            String::new()
        };
        return cite_line(
            Fail,
            path,
            line,
            &format!("third-party action not pinned to a full commit SHA{tail}"),
        );
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    Verdict::pass(format!(
        "every third-party action is pinned to a full commit SHA ({})",
        view.pipelines.count()
    ))
}

fn gitlab_includes(view: &RepoView<'_>) -> Verdict {
    let mut referenced = None;
    for (path, analysis) in view.pipelines.ok() {
        let facts = &analysis.facts;
        let n = facts.unpinned_includes.unwrap_or(0);
        if n > 0 {
            let line = analysis
                .line_of(FindingKind::UnpinnedIncludes)
                .or_else(|| analysis.line_of(FindingKind::Includes));
            return cite_line(
                Fail,
                path,
                line,
                &format!(
                    "{n} include: project:/component: references not pinned to a full commit SHA"
                ),
            );
        }
        let has_refs = facts
            .includes
            .as_ref()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "project" || k == "component"));
        if has_refs {
            referenced.get_or_insert((path, analysis.line_of(FindingKind::Includes)));
        }
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    match referenced {
        Some((path, line)) => cite_line(
            Pass,
            path,
            line,
            "every include: project:/component: reference is pinned to a full commit SHA",
        ),
        None => Verdict::not_applicable("no include: project: or component: references"),
    }
}
