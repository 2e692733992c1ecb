//! `posture report --format markdown`: an audit-ready evidence pack.
//!
//! Where and when the facts were read, the rollout status, the org controls, then per control
//! every repository with its verdict and evidence (failures first). Platform text is stripped
//! of control sequences and escaped so it cannot break a table or inject HTML.

use std::fmt::Write as _;

use super::{VerdictWithWaiver, judged, org_verdict, origin_label, rank_of, strip_controls};
use crate::controls::{Band, Status};
use crate::open::Opened;

/// Render the evidence pack for the repositories `rows` (indices in rank order).
pub fn render(opened: &Opened, rows: &[usize]) -> String {
    let mut out = String::new();
    header(&mut out, opened, rows);
    rollout(&mut out, opened);
    org_controls(&mut out, opened);
    repo_summary(&mut out, opened, rows);
    repo_controls(&mut out, opened, rows);
    out
}

/// Make untrusted text safe inside a table cell: no control sequences, no line breaks,
/// no column breaks, no HTML, no links or images (`[x](javascript:…)`, `![](https://tracker)`:
/// brackets are escaped so the text shows as written).
pub fn cell(text: &str) -> String {
    let clean = strip_controls(text);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push('\''),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c => out.push(c),
        }
    }
    out
}

fn header(out: &mut String, opened: &Opened, rows: &[usize]) {
    let s = &opened.snapshot;
    let platform = match s.provider {
        crate::model::Provider::Github => "GitHub organisation",
        crate::model::Provider::Gitlab => "GitLab group",
    };
    let _ = writeln!(out, "# CI/CD security posture: {}\n", cell(&s.org));
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| {platform} | {} |", cell(&s.org));
    let _ = writeln!(out, "| API host | {} |", cell(&s.api_host));
    let _ = writeln!(
        out,
        "| Snapshot taken at | {} |",
        s.taken_at.format("%Y-%m-%dT%H:%M:%SZ")
    );
    let _ = writeln!(
        out,
        "| Synced by | {} |",
        s.synced_by.as_deref().map_or("unknown".to_owned(), cell)
    );
    let _ = writeln!(
        out,
        "| Snapshot tool version | posture {} |",
        cell(&s.tool_version)
    );
    let _ = writeln!(
        out,
        "| Report tool version | posture {} |",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "| Report generated at | {} |",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    let _ = writeln!(out, "| Source | {} |", cell(&origin_label(opened)));
    let _ = writeln!(
        out,
        "| Repositories | {} in this report of {} in scope |",
        rows.len(),
        s.repos.len()
    );
    if !s.token.cannot_see.is_empty() {
        let seen: Vec<String> = s.token.cannot_see.iter().map(|l| cell(l)).collect();
        let _ = writeln!(out, "| Token could not see | {} |", seen.join("; "));
    }
    let _ = writeln!(
        out,
        "\nVerdicts are computed from the snapshot's facts; anything measured in days is measured \
         against the snapshot time. `unknown` means the evidence could not be read, never a failure.\n"
    );
}

fn rollout(out: &mut String, opened: &Opened) {
    let _ = writeln!(out, "## Rollout status\n");
    let _ = writeln!(
        out,
        "| Step | Id | Title | Progress | Complete | Effort | Blocking |\n|---|---|---|---|---|---|---|"
    );
    for step in &opened.assessment.rollout {
        let blocking: Vec<String> = step
            .blocking
            .iter()
            .filter_map(|&i| opened.snapshot.repos.get(i))
            .map(|r| cell(&r.name))
            .collect();
        let blocking = if blocking.is_empty() {
            "–".to_owned()
        } else if blocking.len() > 10 {
            format!(
                "{} and {} more",
                blocking[..10].join(", "),
                blocking.len() - 10
            )
        } else {
            blocking.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {}/{} | {} | {} | {} |",
            step.step,
            step.id,
            cell(step.title),
            step.done,
            step.total,
            if step.complete { "✓ yes" } else { "✗ no" },
            cell(step.effort),
            blocking
        );
    }
    let _ = writeln!(out);
}

fn org_controls(out: &mut String, opened: &Opened) {
    let _ = writeln!(out, "## Org controls\n");
    let _ = writeln!(
        out,
        "| Control | Severity | Verdict | Evidence |\n|---|---|---|---|"
    );
    for (i, def) in opened.assessment.catalog.org.iter().enumerate() {
        let v = org_verdict(opened, i);
        let _ = writeln!(
            out,
            "| `{}` {} | {} | {} {} | {}{} |",
            def.id,
            cell(&def.title),
            def.severity.as_str(),
            v.status.glyph(),
            v.status.as_str(),
            cell(&v.evidence),
            v.reason
                .as_deref()
                .map(|r| format!(" (reason: {})", cell(r)))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out);
}

/// One row per repository: rank, visibility and how its verdicts add up.
fn repo_summary(out: &mut String, opened: &Opened, rows: &[usize]) {
    let _ = writeln!(out, "## Repositories\n");
    let _ = writeln!(
        out,
        "| Rank | Repository | Visibility | ✗ Fail | Waived | ? Unknown | ✓ Pass | – N/A |\n\
         |---|---|---|---|---|---|---|---|"
    );
    let today = super::today();
    let controls = opened.assessment.catalog.repo.len();
    for &i in rows {
        let Some(repo) = opened.snapshot.repos.get(i) else {
            continue;
        };
        let verdicts: Vec<_> = (0..controls).map(|c| judged(opened, i, c, today)).collect();
        let count = |s: Status| verdicts.iter().filter(|j| j.verdict.status == s).count();
        let failing = verdicts.iter().filter(|j| j.counts_as_failure()).count();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            rank_of(opened, i).map_or("archived".to_owned(), |r| r.to_string()),
            cell(&repo.name),
            repo.visibility.as_str(),
            failing,
            count(Status::Fail) - failing,
            count(Status::Unknown),
            count(Status::Pass),
            count(Status::NotApplicable)
        );
    }
    let _ = writeln!(out);
}

/// Failures first, then expired-waiver failures, unknowns, waived, passes, not applicable.
fn order_key(j: &VerdictWithWaiver<'_>) -> u8 {
    match j.verdict.status {
        Status::Fail if j.counts_as_failure() => 0,
        Status::Unknown => 1,
        Status::Fail => 2,
        Status::Pass => 3,
        Status::NotApplicable => 4,
    }
}

fn repo_controls(out: &mut String, opened: &Opened, rows: &[usize]) {
    let _ = writeln!(out, "## Repository controls\n");
    let catalog = &opened.assessment.catalog;
    let today = super::today();
    for band in Band::ALL {
        let controls: Vec<_> = catalog
            .repo
            .iter()
            .enumerate()
            .filter(|(_, d)| d.band == band)
            .collect();
        if controls.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", band.title());
        for (c, def) in controls {
            let mut verdicts: Vec<(usize, VerdictWithWaiver<'_>)> = rows
                .iter()
                .map(|&i| (i, judged(opened, i, c, today)))
                .collect();
            // Stable sort: rank order is kept within each verdict group.
            verdicts.sort_by_key(|(_, j)| order_key(j));
            let fails = verdicts
                .iter()
                .filter(|(_, j)| j.counts_as_failure())
                .count();
            let count = |s: Status| {
                verdicts
                    .iter()
                    .filter(|(_, j)| j.verdict.status == s)
                    .count()
            };
            let _ = writeln!(
                out,
                "#### `{}` — {} ({})\n",
                def.id,
                cell(&def.title),
                def.severity.as_str()
            );
            let _ = writeln!(out, "{}\n", cell(&def.rationale));
            let _ = writeln!(
                out,
                "{fails} failing, {} passing, {} unknown, {} not applicable.\n",
                count(Status::Pass),
                count(Status::Unknown),
                count(Status::NotApplicable)
            );
            if verdicts.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "| Repository | Rank | Verdict | Evidence |\n|---|---|---|---|"
            );
            for (i, j) in &verdicts {
                let Some(repo) = opened.snapshot.repos.get(*i) else {
                    continue;
                };
                let rank = rank_of(opened, *i).map_or("archived".to_owned(), |r| r.to_string());
                let mut evidence = cell(&j.verdict.evidence);
                if let Some(r) = &j.verdict.reason {
                    let _ = write!(evidence, " (reason: {})", cell(r));
                }
                if let Some(w) = &j.waiver {
                    let _ = write!(
                        evidence,
                        " — waiver owned by {} until {}{}: {}",
                        cell(&w.owner),
                        w.expires,
                        if w.expired { " (EXPIRED)" } else { "" },
                        cell(&w.reason)
                    );
                }
                let _ = writeln!(
                    out,
                    "| {} | {} | {} {} | {} |",
                    cell(&repo.name),
                    rank,
                    j.verdict.status.glyph(),
                    j.label(),
                    evidence
                );
            }
            let _ = writeln!(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_tables_or_inject_html() {
        assert_eq!(
            cell("a|b\n<img src=x>\u{1b}[2J`c`"),
            "a\\|b &lt;img src=x&gt;'c'"
        );
    }

    #[test]
    fn cells_cannot_carry_links_images_or_hidden_text() {
        // Regression (issue 11, defect 11).
        assert_eq!(
            cell("[click](javascript:alert(1)) ![](https://tracker/p.png)"),
            "\\[click\\](javascript:alert(1)) !\\[\\](https://tracker/p.png)"
        );
        assert_eq!(cell("ci\u{200b}-gate\u{202e}"), "ci-gate");
    }
}
