//! `posture check`: the CI gate. Exit 1 when a verdict at or above `--fail-on` fails and no
//! active waiver covers it; `unknown` verdicts are listed but never fail the gate; severity
//! `info` never fails it. Org controls count when no `--repo` narrows the check.

use chrono::NaiveDate;
use serde::Serialize;

use crate::cli::{CheckArgs, CheckFormat, FailOn};
use crate::controls::waivers::{WaiverState, waiver_for};
use crate::controls::{Location, Severity, Status, Verdict};
use crate::exit::{CmdResult, FINDINGS, OK};
use crate::open::Opened;
use crate::report::sarif::{MAX_RESULTS, SarifOptions};
use crate::report::{WaiverMark, judged, org_verdict, rank_of, strip_controls};

/// Schema of `check --format json`.
pub const CHECK_SCHEMA: &str = "posture.check/v1";

/// The lowest severity that fails the gate.
pub fn threshold(fail_on: FailOn) -> Severity {
    match fail_on {
        FailOn::High => Severity::High,
        FailOn::Medium => Severity::Medium,
        FailOn::Low => Severity::Low,
    }
}

/// One listed verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Control id.
    pub control: String,
    /// Repository full name; `null` for an org control.
    pub repo: Option<String>,
    /// Rank of the repository (`null` for org controls and archived repositories).
    pub rank: Option<u32>,
    /// Severity of the control.
    pub severity: Severity,
    /// The verdict.
    pub status: Status,
    /// Evidence.
    pub evidence: String,
    /// Why an `unknown` is unknown.
    pub reason: Option<String>,
    /// Pipeline file and line, when the evidence is one.
    pub location: Option<Location>,
    /// The waiver that matched, active or expired.
    pub waiver: Option<WaiverJson>,
}

/// A waiver as listed by `check`.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverJson {
    /// Owner.
    pub owner: String,
    /// Last valid day.
    pub expires: NaiveDate,
    /// Why it was granted.
    pub reason: String,
    /// The waiver has expired: the failure counts again.
    pub expired: bool,
}

impl From<&WaiverMark> for WaiverJson {
    fn from(w: &WaiverMark) -> Self {
        Self {
            owner: strip_controls(&w.owner).into_owned(),
            expires: w.expires,
            reason: strip_controls(&w.reason).into_owned(),
            expired: w.expired,
        }
    }
}

/// The gate's verdict over the selected repositories.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Gate {
    /// Failures at or above the threshold that count (no waiver, or an expired one).
    pub failures: Vec<Item>,
    /// Failures at or above the threshold covered by an active waiver.
    pub waived: Vec<Item>,
    /// `unknown` verdicts at or above the threshold (listed, never failing).
    pub unknown: Vec<Item>,
    /// Failures below the threshold (or of severity `info`): counted, not listed.
    pub below_threshold: usize,
}

impl Gate {
    /// True when the gate fails (exit 1).
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    /// How many counted failures carry an expired waiver.
    pub fn expired_waivers(&self) -> usize {
        self.failures
            .iter()
            .filter(|i| i.waiver.as_ref().is_some_and(|w| w.expired))
            .count()
    }
}

fn item(
    control: &str,
    repo: Option<&str>,
    rank: Option<u32>,
    severity: Severity,
    verdict: &Verdict,
    waiver: Option<&WaiverMark>,
) -> Item {
    Item {
        control: control.to_owned(),
        repo: repo.map(|r| strip_controls(r).into_owned()),
        rank,
        severity,
        status: verdict.status,
        evidence: strip_controls(&verdict.evidence).into_owned(),
        reason: verdict
            .reason
            .as_deref()
            .map(|r| strip_controls(r).into_owned()),
        location: verdict.location.as_deref().cloned(),
        waiver: waiver.map(WaiverJson::from),
    }
}

fn sort_into(gate: &mut Gate, it: Item, min: Severity) {
    if it.severity < min || it.severity == Severity::Info {
        if it.status == Status::Fail {
            gate.below_threshold += 1;
        }
        return;
    }
    match it.status {
        Status::Fail => match &it.waiver {
            Some(w) if !w.expired => gate.waived.push(it),
            _ => gate.failures.push(it),
        },
        Status::Unknown => gate.unknown.push(it),
        Status::Pass | Status::NotApplicable => {}
    }
}

/// Judge the gate: repositories `rows` (snapshot indices, in rank order), org controls when
/// `include_org`, at threshold `min`, with waivers checked against `today`.
pub fn gate(
    opened: &Opened,
    rows: &[usize],
    include_org: bool,
    min: Severity,
    today: NaiveDate,
) -> Gate {
    let mut gate = Gate::default();
    let catalog = &opened.assessment.catalog;
    if include_org {
        let org = &opened.snapshot.org;
        for (c, def) in catalog.org.iter().enumerate() {
            let verdict = org_verdict(opened, c);
            let waiver = match verdict.status {
                Status::Fail => waiver_for(&opened.settings, &def.id, org, today).map(|s| {
                    let w = s.waiver();
                    WaiverMark {
                        owner: w.owner.clone(),
                        expires: w.expires,
                        reason: w.reason.clone(),
                        expired: !matches!(s, WaiverState::Active(_)),
                    }
                }),
                _ => None,
            };
            let it = item(&def.id, None, None, def.severity, &verdict, waiver.as_ref());
            sort_into(&mut gate, it, min);
        }
    }
    for &r in rows {
        let Some(repo) = opened.snapshot.repos.get(r) else {
            continue;
        };
        for (c, def) in catalog.repo.iter().enumerate() {
            let j = judged(opened, r, c, today);
            if !matches!(j.verdict.status, Status::Fail | Status::Unknown) {
                continue;
            }
            let it = item(
                &def.id,
                Some(&repo.name),
                rank_of(opened, r),
                def.severity,
                &j.verdict,
                j.waiver.as_ref(),
            );
            sort_into(&mut gate, it, min);
        }
    }
    gate
}

/// Run `posture check`.
pub fn run(args: &CheckArgs) -> CmdResult {
    let registry = super::load_registry(args.policy.as_deref())?;
    let opened = crate::open::open(&args.select, &registry)?;
    let rows = crate::report::select(&opened, &args.repos, None)?;
    let include_org = args.repos.is_empty();
    let today = crate::report::today();
    let min = threshold(args.fail_on);
    let gate = gate(&opened, &rows, include_org, min, today);
    let output = match args.format {
        CheckFormat::Text => text(&opened, &gate, min),
        CheckFormat::Json => json(&opened, &gate, min)?,
        CheckFormat::Sarif => crate::report::sarif::render(
            &opened,
            &rows,
            &SarifOptions {
                include_org,
                max_results: MAX_RESULTS,
                today,
            },
        ),
    };
    crate::commands::report::write_stdout(&output)?;
    Ok(if gate.failed() { FINDINGS } else { OK })
}

fn subject(it: &Item) -> &str {
    it.repo.as_deref().unwrap_or("(org)")
}

fn line(label: &str, it: &Item) -> String {
    let mut out = format!(
        "  {label:<8} {:<6} {:<28} {:<34} {}",
        it.severity.as_str(),
        subject(it),
        it.control,
        it.evidence
    );
    // Evidence of an unknown usually names its reason already; say it once.
    if let Some(reason) = it
        .reason
        .as_ref()
        .filter(|r| !it.evidence.contains(r.as_str()))
    {
        out.push_str(&format!(" ({reason})"));
    }
    if let Some(w) = &it.waiver {
        if w.expired {
            out.push_str(&format!(
                " [waiver by {} expired {}: counts again]",
                w.owner, w.expires
            ));
        } else {
            out.push_str(&format!(
                " [waived by {} until {}: {}]",
                w.owner, w.expires, w.reason
            ));
        }
    }
    out.push('\n');
    out
}

/// The text output.
pub fn text(opened: &Opened, gate: &Gate, min: Severity) -> String {
    let snapshot = &opened.snapshot;
    let mut out = format!(
        "posture check: {} ({}), snapshot taken {}, fail on {} and above\n",
        strip_controls(&snapshot.org),
        snapshot.provider.as_str(),
        snapshot.taken_at.format("%Y-%m-%d %H:%M UTC"),
        min.as_str()
    );
    if !gate.failures.is_empty() {
        out.push_str(&format!("\nFailures ({}):\n", gate.failures.len()));
        for it in &gate.failures {
            out.push_str(&line("FAIL", it));
        }
    }
    if !gate.waived.is_empty() {
        out.push_str(&format!("\nWaived ({}):\n", gate.waived.len()));
        for it in &gate.waived {
            out.push_str(&line("WAIVED", it));
        }
    }
    if !gate.unknown.is_empty() {
        out.push_str(&format!(
            "\nUnknown ({}, not failing the gate):\n",
            gate.unknown.len()
        ));
        for it in &gate.unknown {
            out.push_str(&line("UNKNOWN", it));
        }
    }
    out.push_str(&format!(
        "\n{}: {} failing at or above {} ({} with an expired waiver), {} waived, {} unknown, {} failing below the threshold\n",
        if gate.failed() { "FAILED" } else { "PASSED" },
        gate.failures.len(),
        min.as_str(),
        gate.expired_waivers(),
        gate.waived.len(),
        gate.unknown.len(),
        gate.below_threshold
    ));
    out
}

#[derive(Serialize)]
struct CheckJson<'a> {
    schema: &'static str,
    snapshot: SnapshotJson,
    fail_on: &'static str,
    passed: bool,
    counts: Counts,
    #[serde(flatten)]
    gate: &'a Gate,
}

#[derive(Serialize)]
struct SnapshotJson {
    provider: &'static str,
    org: String,
    taken_at: String,
    path: Option<String>,
}

#[derive(Serialize)]
struct Counts {
    failures: usize,
    expired_waivers: usize,
    waived: usize,
    unknown: usize,
    below_threshold: usize,
}

/// The JSON output (`posture.check/v1`).
pub fn json(opened: &Opened, gate: &Gate, min: Severity) -> Result<String, crate::exit::ExitError> {
    let doc = CheckJson {
        schema: CHECK_SCHEMA,
        snapshot: SnapshotJson {
            provider: opened.snapshot.provider.as_str(),
            org: strip_controls(&opened.snapshot.org).into_owned(),
            taken_at: opened
                .snapshot
                .taken_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            path: crate::report::origin_path(opened),
        },
        fail_on: min.as_str(),
        passed: !gate.failed(),
        counts: Counts {
            failures: gate.failures.len(),
            expired_waivers: gate.expired_waivers(),
            waived: gate.waived.len(),
            unknown: gate.unknown.len(),
            below_threshold: gate.below_threshold,
        },
        gate,
    };
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|e| crate::exit::ExitError::input(format!("cannot encode the check: {e}")))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(evidence: &str, reason: &str) -> Item {
        Item {
            control: "branch-protected".into(),
            repo: Some("acme/api".into()),
            rank: Some(1),
            severity: Severity::High,
            status: Status::Unknown,
            evidence: evidence.into(),
            reason: Some(reason.into()),
            location: None,
            waiver: None,
        }
    }

    #[test]
    fn an_unknowns_reason_is_said_once() {
        let why = "403: needs Administration:read";
        let named = line(
            "UNKNOWN",
            &unknown(&format!("classic protection unreadable ({why})"), why),
        );
        assert_eq!(named.matches(why).count(), 1, "{named}");
        let unnamed = line("UNKNOWN", &unknown("classic protection unreadable", why));
        assert!(
            unnamed.trim_end().ends_with(&format!("unreadable ({why})")),
            "{unnamed}"
        );
    }
}
