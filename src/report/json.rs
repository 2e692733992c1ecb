//! `posture report --format json`: the public `posture.report/v1` document (`spec/cli.md`).
//!
//! Built from serde structs so the shape is checked by the compiler; fields may be added,
//! never renamed or removed.

use std::borrow::Cow;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{VerdictWithWaiver, judged, org_verdict, origin_path, rank_of};
use crate::controls::{Band, Severity, Status, Verdict};
use crate::model::{Provider, Repo};
use crate::open::Opened;
use crate::rank::RankSource;

/// The schema identifier of the report.
pub const REPORT_SCHEMA: &str = "posture.report/v1";

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// Which snapshot was judged.
    pub snapshot: SnapshotRef<'a>,
    /// Org-level controls in catalog order.
    pub org_controls: Vec<OrgControl<'a>>,
    /// Repositories in rank order (ranked first, archived last), built one at a time as
    /// they are written.
    pub repos: RepoRows<'a>,
    /// The four rollout steps.
    pub rollout: Vec<Step<'a>>,
}

/// The snapshot a report was made from.
#[derive(Debug, Serialize)]
pub struct SnapshotRef<'a> {
    /// `github` or `gitlab`.
    pub provider: Provider,
    /// Org login or group path.
    pub org: &'a str,
    /// When the snapshot was taken.
    pub taken_at: DateTime<Utc>,
    /// The snapshot file; `null` for the embedded demo.
    pub path: Option<String>,
    /// API base the facts came from (addition to the v1 example).
    pub api_host: &'a str,
    /// Login that synced it, when known (addition).
    pub synced_by: Option<&'a str>,
    /// `posture` version that took the snapshot (addition).
    pub tool_version: &'a str,
}

/// One org control's verdict.
#[derive(Debug, Serialize)]
pub struct OrgControl<'a> {
    /// Control id.
    pub id: &'a str,
    /// `pass`, `fail`, `unknown` or `not_applicable`.
    pub status: Status,
    /// What it was decided from.
    pub evidence: String,
    /// Severity (addition).
    pub severity: Severity,
    /// Why an `unknown` is unknown (addition; null otherwise).
    pub reason: Option<String>,
}

/// One repository.
#[derive(Debug, Serialize)]
pub struct RepoReport<'a> {
    /// Full name.
    pub name: &'a str,
    /// Rank, `null` for archived repositories.
    pub rank: Option<u32>,
    /// Archived.
    pub archived: bool,
    /// `public`, `private` or `internal`.
    pub visibility: &'static str,
    /// Traffic figures and where the rank came from.
    pub traffic: TrafficReport,
    /// Every catalog repository control, exactly once, in catalog order.
    pub controls: Vec<ControlReport<'a>>,
}

/// Traffic figures; those not read are `null`.
#[derive(Debug, Serialize)]
pub struct TrafficReport {
    /// GitHub 14-day views.
    pub views_14d: Option<u64>,
    /// GitHub 14-day unique visitors.
    pub uniques_14d: Option<u64>,
    /// GitHub 14-day clones.
    pub clones_14d: Option<u64>,
    /// GitLab 30-day fetches.
    pub fetches_30d: Option<u64>,
    /// Stars.
    pub stars: u64,
    /// Forks.
    pub forks: u64,
    /// `traffic`, `statistics` or `fallback`.
    pub source: RankSource,
}

/// One control's verdict on one repository.
#[derive(Debug, Serialize)]
pub struct ControlReport<'a> {
    /// Control id.
    pub id: &'a str,
    /// Band.
    pub band: Band,
    /// Severity.
    pub severity: Severity,
    /// Verdict.
    pub status: Status,
    /// What it was decided from.
    pub evidence: Cow<'a, str>,
    /// Why an `unknown` is unknown; null otherwise.
    pub reason: Option<Cow<'a, str>>,
    /// True only when this build can plan a fix for it (no fixes in this build).
    pub fixable: bool,
    /// The waiver of a waived (or formerly waived) failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverReport>,
}

/// A waiver attached to a failure.
#[derive(Debug, Serialize)]
pub struct WaiverReport {
    /// Owner.
    pub owner: String,
    /// Last valid day.
    pub expires: NaiveDate,
    /// Why it was granted (addition).
    pub reason: String,
    /// Present and true when the waiver has expired and the failure counts again (addition).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub expired: bool,
}

/// One rollout step.
#[derive(Debug, Serialize)]
pub struct Step<'a> {
    /// 1 to 4.
    pub step: u8,
    /// Stable id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Units done.
    pub done: usize,
    /// Units in all.
    pub total: usize,
    /// Complete.
    pub complete: bool,
    /// Names of the repositories that block it, in rank order.
    pub blocking: Vec<&'a str>,
    /// Expected effort from the playbook.
    pub effort: &'static str,
}

/// Build the report for the repositories `rows` (indices in rank order, from [`super::select`]).
pub fn build<'a>(opened: &'a Opened, rows: &'a [usize]) -> Report<'a> {
    let snapshot = &opened.snapshot;
    let catalog = &opened.assessment.catalog;
    let today = super::today();
    let org_controls = catalog
        .org
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let v = org_verdict(opened, i);
            OrgControl {
                id: &def.id,
                status: v.status,
                evidence: v.evidence.to_string(),
                severity: def.severity,
                reason: v.reason.as_deref().map(str::to_owned),
            }
        })
        .collect();
    let repos = RepoRows {
        opened,
        rows,
        today,
    };
    let rollout = opened
        .assessment
        .rollout
        .iter()
        .map(|s| Step {
            step: s.step,
            id: s.id,
            title: s.title,
            done: s.done,
            total: s.total,
            complete: s.complete,
            blocking: s
                .blocking
                .iter()
                .filter_map(|&b| snapshot.repos.get(b).map(|r| r.name.as_str()))
                .collect(),
            effort: s.effort,
        })
        .collect();
    Report {
        schema: REPORT_SCHEMA,
        snapshot: SnapshotRef {
            provider: snapshot.provider,
            org: &snapshot.org,
            taken_at: snapshot.taken_at,
            path: origin_path(opened),
            api_host: &snapshot.api_host,
            synced_by: snapshot.synced_by.as_deref(),
            tool_version: &snapshot.tool_version,
        },
        org_controls,
        repos,
        rollout,
    }
}

/// The repositories of a report, serialised lazily: one [`RepoReport`] exists at a time.
#[derive(Debug, Clone, Copy)]
pub struct RepoRows<'a> {
    opened: &'a Opened,
    rows: &'a [usize],
    today: NaiveDate,
}

impl<'a> RepoRows<'a> {
    /// The repository reports, in the order of the selected rows.
    pub fn iter(&self) -> impl Iterator<Item = RepoReport<'a>> + 'a {
        let (opened, today) = (self.opened, self.today);
        self.rows
            .iter()
            .filter_map(move |&i| repo_report(opened, i, today))
    }
}

impl Serialize for RepoRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// One repository's report, or `None` for an index outside the snapshot.
fn repo_report(opened: &Opened, i: usize, today: NaiveDate) -> Option<RepoReport<'_>> {
    let repo = opened.snapshot.repos.get(i)?;
    let catalog = &opened.assessment.catalog;
    Some(RepoReport {
        name: &repo.name,
        rank: rank_of(opened, i),
        archived: repo.archived,
        visibility: repo.visibility.as_str(),
        traffic: traffic(opened, i, repo),
        controls: catalog
            .repo
            .iter()
            .enumerate()
            .map(|(c, def)| {
                let VerdictWithWaiver { verdict, waiver } = judged(opened, i, c, today);
                let status = verdict.status;
                let (evidence, reason) = evidence_and_reason(verdict);
                ControlReport {
                    id: &def.id,
                    band: def.band,
                    severity: def.severity,
                    status,
                    evidence,
                    reason,
                    fixable: false,
                    waiver: waiver.map(|w| WaiverReport {
                        owner: w.owner,
                        expires: w.expires,
                        reason: w.reason,
                        expired: w.expired,
                    }),
                }
            })
            .collect(),
    })
}

/// Where a repository's rank came from: the ranking's answer, or (for archived repositories,
/// which are unranked) what the facts would give.
fn traffic(opened: &Opened, index: usize, repo: &Repo) -> TrafficReport {
    let t = repo.traffic.known().cloned().unwrap_or_default();
    let derived = match opened.snapshot.provider {
        Provider::Github if t.views_14d.is_some() => RankSource::Traffic,
        Provider::Gitlab if t.fetches_30d.is_some() => RankSource::Statistics,
        _ => RankSource::Fallback,
    };
    let source = opened
        .assessment
        .ranking
        .source
        .get(index)
        .copied()
        .flatten()
        .unwrap_or(derived);
    TrafficReport {
        views_14d: t.views_14d,
        uniques_14d: t.uniques_14d,
        clones_14d: t.clones_14d,
        fetches_30d: t.fetches_30d,
        stars: repo.stars,
        forks: repo.forks,
        source,
    }
}

/// Write the report as pretty-printed JSON with a trailing newline, streamed: at 100k
/// repositories the text is far larger than the judged snapshot it comes from.
pub fn write(opened: &Opened, rows: &[usize], out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(opened, rows))?;
    out.write_all(b"\n")
}

/// Evidence and reason borrowed from the assessment (owned only for a placeholder verdict).
fn evidence_and_reason(verdict: Cow<'_, Verdict>) -> (Cow<'_, str>, Option<Cow<'_, str>>) {
    match verdict {
        Cow::Borrowed(v) => (
            Cow::Borrowed(&*v.evidence),
            v.reason.as_deref().map(Cow::Borrowed),
        ),
        Cow::Owned(v) => (
            Cow::Owned(v.evidence.to_string()),
            v.reason.as_deref().map(|r| Cow::Owned(r.to_owned())),
        ),
    }
}
