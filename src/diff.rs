//! What changed between two judged snapshots (`posture diff`). Pure: no I/O.
//!
//! Verdicts are matched by repository name and control id. A change is **worse** when the
//! verdict became `fail`; **better** when a `fail` became `pass` or `not_applicable`, or an
//! `unknown` became `pass`; any other change (`pass` ↔ `unknown`, `pass` ↔ `not_applicable`,
//! `fail` → `unknown`) is listed as **changed**. Repositories archived in the newer snapshot
//! are listed as archived, not as a pile of verdict changes; added repositories list how many
//! verdicts fail, but a new repository is not a verdict that got worse.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::assess::Assessment;
use crate::controls::{Catalog, Severity, Status, Verdict};
use crate::model::{Provider, Snapshot};

/// Direction of a verdict change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The verdict became `fail`.
    Worse,
    /// A failure was fixed (or unknown evidence now passes).
    Better,
    /// Any other change.
    Changed,
}

impl Direction {
    /// Classify a change from `old` to `new` (`None` when they are equal).
    pub fn of(old: Status, new: Status) -> Option<Self> {
        use Status::*;
        match (old, new) {
            (a, b) if a == b => None,
            (_, Fail) => Some(Direction::Worse),
            (Fail, Pass | NotApplicable) | (Unknown, Pass) => Some(Direction::Better),
            _ => Some(Direction::Changed),
        }
    }

    /// Name as in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Worse => "worse",
            Direction::Better => "better",
            Direction::Changed => "changed",
        }
    }
}

/// One verdict that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictChange {
    /// Control id.
    pub control: String,
    /// Repository full name; `None` for an org control.
    pub repo: Option<String>,
    /// Severity of the control (in the newer catalog).
    pub severity: Severity,
    /// Better, worse or changed.
    pub direction: Direction,
    /// Old verdict.
    pub old: Status,
    /// New verdict.
    pub new: Status,
    /// Evidence of the new verdict.
    pub evidence: String,
}

/// A repository that appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddedRepo {
    /// Full name.
    pub name: String,
    /// How many of its verdicts fail.
    pub failing: usize,
}

/// Progress of one rollout step in both snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDelta {
    /// 1 to 4.
    pub step: u8,
    /// Step id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Units done before.
    pub old_done: usize,
    /// Units in all before.
    pub old_total: usize,
    /// Units done now.
    pub new_done: usize,
    /// Units in all now.
    pub new_total: usize,
    /// Was complete.
    pub old_complete: bool,
    /// Is complete.
    pub new_complete: bool,
}

/// Which snapshot a side of the diff is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// Platform.
    pub provider: Provider,
    /// Org or group.
    pub org: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Repositories in scope.
    pub repos: usize,
}

/// Everything that changed between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotDiff {
    /// The older snapshot.
    pub old: Side,
    /// The newer snapshot.
    pub new: Side,
    /// Changed verdicts: worse first, then better, then changed; org controls first within
    /// each, then by repository and catalog order.
    pub changes: Vec<VerdictChange>,
    /// Repositories only in the newer snapshot.
    pub added: Vec<AddedRepo>,
    /// Repositories only in the older snapshot.
    pub removed: Vec<String>,
    /// Repositories archived since.
    pub archived: Vec<String>,
    /// Repositories unarchived since.
    pub unarchived: Vec<String>,
    /// Rollout progress, step by step.
    pub rollout: Vec<StepDelta>,
}

impl SnapshotDiff {
    /// Number of changes in a direction.
    pub fn count(&self, direction: Direction) -> usize {
        self.changes
            .iter()
            .filter(|c| c.direction == direction)
            .count()
    }

    /// True when any verdict got worse (`posture diff` exits 1).
    pub fn got_worse(&self) -> bool {
        self.count(Direction::Worse) > 0
    }
}

fn side(snapshot: &Snapshot) -> Side {
    Side {
        provider: snapshot.provider,
        org: snapshot.org.clone(),
        taken_at: snapshot.taken_at,
        repos: snapshot.repos.len(),
    }
}

/// Verdict changes of one row of controls (repo or org), matched by control id.
fn row_changes(
    old_defs: &[crate::controls::ControlDef],
    old_row: &[Verdict],
    new_defs: &[crate::controls::ControlDef],
    new_row: &[Verdict],
    repo: Option<&str>,
    out: &mut Vec<VerdictChange>,
) {
    for (def, new) in new_defs.iter().zip(new_row) {
        let Some(old) = old_defs
            .iter()
            .position(|d| d.id == def.id)
            .and_then(|i| old_row.get(i))
        else {
            continue;
        };
        if let Some(direction) = Direction::of(old.status, new.status) {
            out.push(VerdictChange {
                control: def.id.to_string(),
                repo: repo.map(str::to_owned),
                severity: def.severity,
                direction,
                old: old.status,
                new: new.status,
                evidence: new.evidence.to_string(),
            });
        }
    }
}

/// Compare two judged snapshots.
pub fn compare(
    old: &Snapshot,
    old_a: &Assessment,
    new: &Snapshot,
    new_a: &Assessment,
) -> SnapshotDiff {
    let old_by_name: HashMap<&str, usize> = old
        .repos
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let new_names: std::collections::HashSet<&str> =
        new.repos.iter().map(|r| r.name.as_str()).collect();
    let mut changes = Vec::new();
    row_changes(
        &old_a.catalog.org,
        &old_a.org,
        &new_a.catalog.org,
        &new_a.org,
        None,
        &mut changes,
    );
    let mut added = Vec::new();
    let mut archived = Vec::new();
    let mut unarchived = Vec::new();
    let empty = Vec::new();
    for (i, repo) in new.repos.iter().enumerate() {
        let new_row = new_a.repos.get(i).unwrap_or(&empty);
        let Some(&j) = old_by_name.get(repo.name.as_str()) else {
            added.push(AddedRepo {
                name: repo.name.clone(),
                failing: new_row.iter().filter(|v| v.status == Status::Fail).count(),
            });
            continue;
        };
        let was_archived = old.repos[j].archived;
        if repo.archived && !was_archived {
            archived.push(repo.name.clone());
            continue;
        }
        if !repo.archived && was_archived {
            unarchived.push(repo.name.clone());
        }
        let old_row = old_a.repos.get(j).unwrap_or(&empty);
        row_changes(
            &old_a.catalog.repo,
            old_row,
            &new_a.catalog.repo,
            new_row,
            Some(&repo.name),
            &mut changes,
        );
    }
    let removed = old
        .repos
        .iter()
        .filter(|r| !new_names.contains(r.name.as_str()))
        .map(|r| r.name.clone())
        .collect();
    // Stable: within a direction, org first, then the newer snapshot's repo order.
    changes.sort_by_key(|c| c.direction);
    SnapshotDiff {
        old: side(old),
        new: side(new),
        changes,
        added,
        removed,
        archived,
        unarchived,
        rollout: rollout_delta(old_a, new_a),
    }
}

fn rollout_delta(old_a: &Assessment, new_a: &Assessment) -> Vec<StepDelta> {
    new_a
        .rollout
        .iter()
        .map(|step| {
            let before = old_a.rollout.iter().find(|s| s.id == step.id);
            StepDelta {
                step: step.step,
                id: step.id.to_owned(),
                title: step.title.to_owned(),
                old_done: before.map_or(0, |s| s.done),
                old_total: before.map_or(0, |s| s.total),
                new_done: step.done,
                new_total: step.total,
                old_complete: before.is_some_and(|s| s.complete),
                new_complete: step.complete,
            }
        })
        .collect()
}

/// Severity of a control id in a catalog (repo or org), if present.
pub fn severity_of(catalog: &Catalog, id: &str) -> Option<Severity> {
    catalog
        .repo
        .iter()
        .chain(&catalog.org)
        .find(|d| d.id == id)
        .map(|d| d.severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        use Status::*;
        assert_eq!(Direction::of(Pass, Pass), None);
        assert_eq!(Direction::of(Pass, Fail), Some(Direction::Worse));
        assert_eq!(Direction::of(Unknown, Fail), Some(Direction::Worse));
        assert_eq!(Direction::of(NotApplicable, Fail), Some(Direction::Worse));
        assert_eq!(Direction::of(Fail, Pass), Some(Direction::Better));
        assert_eq!(Direction::of(Fail, NotApplicable), Some(Direction::Better));
        assert_eq!(Direction::of(Unknown, Pass), Some(Direction::Better));
        assert_eq!(Direction::of(Pass, Unknown), Some(Direction::Changed));
        assert_eq!(Direction::of(Fail, Unknown), Some(Direction::Changed));
        assert_eq!(Direction::of(Pass, NotApplicable), Some(Direction::Changed));
    }
}
