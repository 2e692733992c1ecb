//! `posture diff OLD NEW`: what changed between two snapshot files. Both are judged with the
//! same configuration (and the config dir's policies); exit 1 when any verdict got worse.

use crate::assess::Registry;
use crate::cli::{DiffArgs, TextOrJson};
use crate::diff::{Direction, SnapshotDiff, compare};
use crate::exit::{CmdResult, ExitError, FINDINGS, OK};
use crate::open::{Opened, Origin, open_snapshot};
use crate::report::strip_controls;

fn open_file(
    path: &std::path::Path,
    settings: &crate::config::Settings,
    registry: &Registry,
) -> Result<Opened, ExitError> {
    let snapshot = crate::store::load(path)?;
    Ok(open_snapshot(
        snapshot,
        Origin::File(path.to_path_buf()),
        settings.clone(),
        registry,
    )?)
}

/// Run `posture diff`.
pub fn run(args: &DiffArgs) -> CmdResult {
    let settings = crate::config::load()?;
    let registry = super::load_registry(None)?;
    let old = open_file(&args.old, &settings, &registry)?;
    let new = open_file(&args.new, &settings, &registry)?;
    let diff = compare(
        &old.snapshot,
        &old.assessment,
        &new.snapshot,
        &new.assessment,
    );
    let output = match args.format {
        TextOrJson::Text => text(&diff),
        TextOrJson::Json => {
            let mut s = serde_json::to_string_pretty(&diff)
                .map_err(|e| ExitError::input(format!("cannot encode the diff: {e}")))?;
            s.push('\n');
            s
        }
    };
    crate::commands::report::write_stdout(&output)?;
    Ok(if diff.got_worse() { FINDINGS } else { OK })
}

/// The text output.
pub fn text(diff: &SnapshotDiff) -> String {
    let fmt_time = |t: &chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut out = format!(
        "posture diff: {} ({}) {} → {} ({}) {}\n",
        strip_controls(&diff.old.org),
        diff.old.provider.as_str(),
        fmt_time(&diff.old.taken_at),
        strip_controls(&diff.new.org),
        diff.new.provider.as_str(),
        fmt_time(&diff.new.taken_at),
    );
    if diff.old.org != diff.new.org || diff.old.provider != diff.new.provider {
        out.push_str("note: the snapshots are of different orgs\n");
    }
    for (direction, title) in [
        (Direction::Worse, "Worse"),
        (Direction::Better, "Better"),
        (Direction::Changed, "Changed"),
    ] {
        let changes: Vec<_> = diff
            .changes
            .iter()
            .filter(|c| c.direction == direction)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title} ({}):\n", changes.len()));
        for c in changes {
            out.push_str(&format!(
                "  {:<28} {:<34} {:<6} {} → {}  {}\n",
                strip_controls(c.repo.as_deref().unwrap_or("(org)")),
                c.control,
                c.severity.as_str(),
                c.old.as_str(),
                c.new.as_str(),
                strip_controls(&c.evidence)
            ));
        }
    }
    let names = |list: &[String]| {
        list.iter()
            .map(|n| strip_controls(n).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !diff.added.is_empty()
        || !diff.removed.is_empty()
        || !diff.archived.is_empty()
        || !diff.unarchived.is_empty()
    {
        out.push_str("\nRepositories:\n");
        for a in &diff.added {
            out.push_str(&format!(
                "  added      {} ({} failing)\n",
                strip_controls(&a.name),
                a.failing
            ));
        }
        for (label, list) in [
            ("removed", &diff.removed),
            ("archived", &diff.archived),
            ("unarchived", &diff.unarchived),
        ] {
            if !list.is_empty() {
                out.push_str(&format!("  {label:<10} {}\n", names(list)));
            }
        }
    }
    if !diff.rollout.is_empty() {
        out.push_str("\nRollout:\n");
        for s in &diff.rollout {
            let delta = s.new_done as i64 - s.old_done as i64;
            out.push_str(&format!(
                "  {} {:<26} {}/{} → {}/{} ({}{}){}\n",
                s.step,
                s.id,
                s.old_done,
                s.old_total,
                s.new_done,
                s.new_total,
                if delta >= 0 { "+" } else { "" },
                delta,
                match (s.old_complete, s.new_complete) {
                    (false, true) => "  now complete",
                    (true, false) => "  no longer complete",
                    _ => "",
                }
            ));
        }
    }
    out.push_str(&format!(
        "\n{} worse, {} better, {} changed; {} added, {} removed, {} archived\n",
        diff.count(Direction::Worse),
        diff.count(Direction::Better),
        diff.count(Direction::Changed),
        diff.added.len(),
        diff.removed.len(),
        diff.archived.len()
    ));
    out
}
