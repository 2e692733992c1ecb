//! `posture report`: what every output format shares — which repositories are shown, in which
//! order, each control's verdict and waiver — and the sanitiser for untrusted platform text.

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::borrow::Cow;

use chrono::{NaiveDate, Utc};
use globset::{GlobBuilder, GlobMatcher};

use crate::controls::{Status, Verdict};
use crate::open::Opened;

pub use crate::sanitize::strip_controls;

/// A `--repo` glob that cannot select repositories. `Display` is the one line the user sees.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    /// The glob does not parse.
    #[error("--repo {pattern:?} is not a valid glob: {source}")]
    BadGlob {
        /// The glob as given.
        pattern: String,
        /// The parser's error.
        source: globset::Error,
    },
    /// The glob matches no repository in scope.
    #[error(
        "--repo {pattern:?} matches no repository in {} ({in_scope} in scope)",
        strip_controls(.org)
    )]
    NoMatch {
        /// The glob as given.
        pattern: String,
        /// The snapshot's org (untrusted: shown sanitised).
        org: String,
        /// Repositories in scope.
        in_scope: usize,
    },
}

/// A waiver that matched a failing verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverMark {
    /// Who owns the exception.
    pub owner: String,
    /// Last day it is valid (through 23:59:59 UTC).
    pub expires: NaiveDate,
    /// Why it was granted.
    pub reason: String,
    /// The waiver has expired: the failure counts again.
    pub expired: bool,
}

/// One control's verdict on one repository, with its waiver when the verdict is a waived failure.
#[derive(Debug, Clone)]
pub struct VerdictWithWaiver<'a> {
    /// The verdict (a placeholder `unknown` when the assessment has none for this control).
    pub verdict: Cow<'a, Verdict>,
    /// The waiver, for failures only.
    pub waiver: Option<WaiverMark>,
}

impl VerdictWithWaiver<'_> {
    /// A failure not covered by an active waiver.
    pub fn counts_as_failure(&self) -> bool {
        self.verdict.status == Status::Fail && self.waiver.as_ref().is_none_or(|w| w.expired)
    }

    /// Short verdict label: `pass`, `fail`, `waived`, `expired waiver`, `unknown`, `n/a`.
    pub fn label(&self) -> &'static str {
        match (self.verdict.status, &self.waiver) {
            (Status::Fail, Some(w)) if w.expired => "fail (waiver expired)",
            (Status::Fail, Some(_)) => "waived",
            (Status::Pass, _) => "pass",
            (Status::Fail, None) => "fail",
            (Status::Unknown, _) => "unknown",
            (Status::NotApplicable, _) => "n/a",
        }
    }
}

/// Today's date (UTC) against which waiver expiry is checked.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The verdict of repository control `control` on repository `repo` (indices into the
/// snapshot and the catalog), with its waiver.
pub fn judged<'a>(
    opened: &'a Opened,
    repo: usize,
    control: usize,
    today: NaiveDate,
) -> VerdictWithWaiver<'a> {
    let verdict = match opened
        .assessment
        .repos
        .get(repo)
        .and_then(|row| row.get(control))
    {
        Some(v) => Cow::Borrowed(v),
        None => Cow::Owned(Verdict::unknown(
            "not judged",
            "this build has no verdict for this control",
        )),
    };
    let waiver = match (
        verdict.status,
        opened.snapshot.repos.get(repo),
        opened.assessment.catalog.repo.get(control),
    ) {
        (Status::Fail, Some(r), Some(def)) => waiver_mark(opened, &def.id, &r.name, today),
        _ => None,
    };
    VerdictWithWaiver { verdict, waiver }
}

/// The org verdict of org control `control` (index into `catalog.org`).
pub fn org_verdict(opened: &Opened, control: usize) -> Cow<'_, Verdict> {
    match opened.assessment.org.get(control) {
        Some(v) => Cow::Borrowed(v),
        None => Cow::Owned(Verdict::unknown(
            "not judged",
            "this build has no verdict for this control",
        )),
    }
}

fn waiver_mark(
    opened: &Opened,
    control_id: &str,
    repo_name: &str,
    today: NaiveDate,
) -> Option<WaiverMark> {
    use crate::controls::waivers::{WaiverState, waiver_for};
    let (waiver, expired) = match waiver_for(&opened.settings, control_id, repo_name, today)? {
        WaiverState::Active(w) => (w, false),
        WaiverState::Expired(w) => (w, true),
    };
    Some(WaiverMark {
        owner: waiver.owner.clone(),
        expires: waiver.expires,
        reason: waiver.reason.clone(),
        expired,
    })
}

/// Repository indices in rank order: ranked repositories (rank 1 first), then archived ones.
/// Any repository the ranking left out is appended, so none silently disappears.
pub fn rank_order(opened: &Opened) -> Vec<usize> {
    let count = opened.snapshot.repos.len();
    let mut seen = vec![false; count];
    let mut order = Vec::with_capacity(count);
    for &i in &opened.assessment.ranking.order {
        if i < count && !seen[i] {
            seen[i] = true;
            order.push(i);
        }
    }
    order.extend((0..count).filter(|&i| !seen[i]));
    order
}

/// The rank of repository `index`, `None` when unranked (archived).
pub fn rank_of(opened: &Opened, index: usize) -> Option<u32> {
    opened.assessment.ranking.rank.get(index).copied().flatten()
}

/// The repositories a report shows, in rank order: those matching any `--repo` glob (full name,
/// short name, or the path below the org as in GitLab `payments/*`; all when none is given),
/// then the first `top` of them that are ranked. A glob that is invalid or matches no
/// repository is an input error.
pub fn select(
    opened: &Opened,
    patterns: &[String],
    top: Option<usize>,
) -> Result<Vec<usize>, SelectError> {
    let matchers = patterns
        .iter()
        .map(|p| {
            GlobBuilder::new(p)
                .literal_separator(false)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|source| SelectError::BadGlob {
                    pattern: p.clone(),
                    source,
                })
        })
        .collect::<Result<Vec<GlobMatcher>, _>>()?;
    let repos = &opened.snapshot.repos;
    let org = opened.snapshot.org.as_str();
    let matches = |m: &GlobMatcher, r: &crate::model::Repo| {
        m.is_match(&r.name)
            || m.is_match(r.short_name())
            || r.name
                .strip_prefix(org)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|relative| m.is_match(relative))
    };
    for (pattern, matcher) in patterns.iter().zip(&matchers) {
        let hit = repos.iter().any(|r| matches(matcher, r));
        if !hit {
            return Err(SelectError::NoMatch {
                pattern: pattern.clone(),
                org: opened.snapshot.org.clone(),
                in_scope: repos.len(),
            });
        }
    }
    let mut rows: Vec<usize> = rank_order(opened)
        .into_iter()
        .filter(|&i| matchers.is_empty() || matchers.iter().any(|m| matches(m, &repos[i])))
        .collect();
    if let Some(n) = top {
        rows.retain(|&i| rank_of(opened, i).is_some());
        rows.truncate(n);
    }
    Ok(rows)
}

/// Where the snapshot came from, one line (`demo (github)`, a file path, `cache: PATH`).
pub fn origin_label(opened: &Opened) -> String {
    use crate::open::Origin;
    match &opened.origin {
        Origin::Demo(kind) => format!(
            "embedded demo ({})",
            match kind {
                crate::cli::DemoKind::Github => "github",
                crate::cli::DemoKind::Gitlab => "gitlab",
            }
        ),
        Origin::File(path) => format!("file {}", path.display()),
        Origin::Cache(path) => format!("cache {}", path.display()),
    }
}

/// The snapshot file path, `None` for the embedded demo.
pub fn origin_path(opened: &Opened) -> Option<String> {
    use crate::open::Origin;
    match &opened.origin {
        Origin::Demo(_) => None,
        Origin::File(path) | Origin::Cache(path) => Some(path.display().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::strip_controls;
    use std::borrow::Cow;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            strip_controls("acme/api: ruleset 7 \"baseline\" (org) ✓"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_and_controls_are_removed() {
        assert_eq!(strip_controls("\u{1b}[31mred\u{1b}[0m"), "red");
        assert_eq!(
            strip_controls("a\u{1b}]8;;https://evil\u{7}link\u{1b}]8;;\u{1b}\\b"),
            "alinkb"
        );
        assert_eq!(strip_controls("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(strip_controls("bell\u{7}\u{8}\u{7f}"), "bell");
        assert_eq!(strip_controls("c1\u{9b}2Jok"), "c1ok");
        assert_eq!(strip_controls("line\none\r\n\ttwo"), "line one two");
        assert_eq!(strip_controls("abc\u{202e}fed\u{2066}"), "abcfed");
        assert_eq!(strip_controls("trailing\u{1b}"), "trailing");
    }

    #[test]
    fn zero_width_characters_are_removed() {
        // Regression (issue 11, defect 11): zero-width characters passed into evidence.
        assert_eq!(
            strip_controls("c\u{200b}i-\u{200d}gate\u{feff}\u{2060}"),
            "ci-gate"
        );
        assert_eq!(strip_controls("soft\u{ad}hy\u{180e}phen"), "softhyphen");
    }
}
