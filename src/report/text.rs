//! `posture report --format text`: a readable terminal summary.
//!
//! Plain text: verdicts are told by glyphs (✓ ✗ ? –), never by colour alone, so the output is
//! the same with or without `NO_COLOR`. Platform text is stripped of control sequences.

use std::fmt::Write as _;

use super::{judged, org_verdict, origin_label, rank_of, strip_controls};
use crate::controls::Status;
use crate::open::Opened;

/// Render the summary for the repositories `rows` (indices in rank order).
pub fn render(opened: &Opened, rows: &[usize]) -> String {
    let mut out = String::new();
    header(&mut out, opened, rows);
    rollout(&mut out, opened);
    org_controls(&mut out, opened);
    repos(&mut out, opened, rows);
    out
}

fn header(out: &mut String, opened: &Opened, rows: &[usize]) {
    let s = &opened.snapshot;
    let archived = s.repos.iter().filter(|r| r.archived).count();
    let _ = writeln!(
        out,
        "posture report: {} {}",
        s.provider.as_str(),
        strip_controls(&s.org)
    );
    let _ = writeln!(
        out,
        "  taken at   {}",
        s.taken_at.format("%Y-%m-%d %H:%M:%S UTC")
    );
    let _ = writeln!(out, "  api        {}", strip_controls(&s.api_host));
    if let Some(by) = &s.synced_by {
        let _ = writeln!(out, "  synced by  {}", strip_controls(by));
    }
    let _ = writeln!(out, "  source     {}", origin_label(opened));
    let _ = writeln!(
        out,
        "  repos      {} shown of {} in scope ({} archived)",
        rows.len(),
        s.repos.len(),
        archived
    );
    for line in &s.token.cannot_see {
        let _ = writeln!(out, "  not seen   {}", strip_controls(line));
    }
}

fn rollout(out: &mut String, opened: &Opened) {
    let _ = writeln!(out, "\nRollout");
    if opened.assessment.rollout.is_empty() {
        let _ = writeln!(out, "  (no rollout steps computed)");
    }
    for step in &opened.assessment.rollout {
        let glyph = if step.complete { "✓" } else { "✗" };
        let _ = writeln!(
            out,
            "  {glyph} {}. {:<26} {:>4}/{:<4} {}  (effort: {})",
            step.step,
            step.id,
            step.done,
            step.total,
            progress_bar(step.done, step.total),
            step.effort
        );
        let _ = writeln!(out, "       {}", step.title);
        if !step.blocking.is_empty() {
            let names: Vec<String> = step
                .blocking
                .iter()
                .filter_map(|&i| opened.snapshot.repos.get(i))
                .map(|r| strip_controls(&r.name).into_owned())
                .collect();
            let _ = writeln!(out, "       blocking: {}", list_head(&names, 8));
        }
    }
}

fn org_controls(out: &mut String, opened: &Opened) {
    let _ = writeln!(out, "\nOrg controls");
    for (i, def) in opened.assessment.catalog.org.iter().enumerate() {
        let v = org_verdict(opened, i);
        let _ = writeln!(
            out,
            "  {} {:<28} {}{}",
            v.status.glyph(),
            def.id,
            strip_controls(&v.evidence),
            reason_suffix(&v.evidence, v.reason.as_deref())
        );
    }
}

fn repos(out: &mut String, opened: &Opened, rows: &[usize]) {
    let _ = writeln!(out, "\nRepositories (by rank)");
    let today = super::today();
    let catalog = &opened.assessment.catalog;
    for &i in rows {
        let Some(repo) = opened.snapshot.repos.get(i) else {
            continue;
        };
        let rank = match rank_of(opened, i) {
            Some(r) => format!("#{r}"),
            None => "archived".to_owned(),
        };
        let verdicts: Vec<_> = (0..catalog.repo.len())
            .map(|c| judged(opened, i, c, today))
            .collect();
        let count = |s: Status| verdicts.iter().filter(|j| j.verdict.status == s).count();
        let waived = verdicts
            .iter()
            .filter(|j| j.verdict.status == Status::Fail && !j.counts_as_failure())
            .count();
        let _ = writeln!(
            out,
            "\n  {rank:<9} {}  ({})  ✓ {}  ✗ {}  ? {}  – {}{}",
            strip_controls(&repo.name),
            repo.visibility.as_str(),
            count(Status::Pass),
            count(Status::Fail) - waived,
            count(Status::Unknown),
            count(Status::NotApplicable),
            if waived > 0 {
                format!("  waived {waived}")
            } else {
                String::new()
            }
        );
        for (def, j) in catalog.repo.iter().zip(&verdicts) {
            if !matches!(j.verdict.status, Status::Fail | Status::Unknown) {
                continue;
            }
            let mut line = format!(
                "    {} {:<24} {:<6} {}{}",
                j.verdict.status.glyph(),
                def.id,
                def.severity.as_str(),
                strip_controls(&j.verdict.evidence),
                reason_suffix(&j.verdict.evidence, j.verdict.reason.as_deref())
            );
            if let Some(w) = &j.waiver {
                let state = if w.expired {
                    "EXPIRED waiver"
                } else {
                    "waived"
                };
                let _ = write!(
                    line,
                    "  [{state}: {}, until {}]",
                    strip_controls(&w.owner),
                    w.expires
                );
            }
            let _ = writeln!(out, "{line}");
        }
    }
}

/// The reason of an `unknown`, unless the evidence already says it.
fn reason_suffix(evidence: &str, reason: Option<&str>) -> String {
    match reason {
        Some(r) if !evidence.contains(r) => format!("  ({})", strip_controls(r)),
        _ => String::new(),
    }
}

fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 10;
    let filled = (done.min(total) * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(WIDTH - filled))
}

fn list_head(names: &[String], max: usize) -> String {
    let mut s = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        let _ = write!(s, " and {} more", names.len() - max);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{list_head, progress_bar};

    #[test]
    fn progress_bar_scales_and_handles_empty_totals() {
        assert_eq!(progress_bar(0, 4), "[..........]");
        assert_eq!(progress_bar(2, 4), "[#####.....]");
        assert_eq!(progress_bar(4, 4), "[##########]");
        assert_eq!(progress_bar(0, 0), "[##########]");
    }

    #[test]
    fn long_lists_are_shortened() {
        let names: Vec<String> = (1..=10).map(|i| format!("r{i}")).collect();
        assert_eq!(list_head(&names, 3), "r1, r2, r3 and 7 more");
        assert_eq!(list_head(&names[..2], 3), "r1, r2");
    }
}
