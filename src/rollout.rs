//! The rollout sequence (spec "Rollout sequence"). Pure.
//!
//! Four steps in the CISO's order, each with its progress (`done` / `total`), whether it is
//! complete, and the repositories that block it in rank order. Verdicts are looked up by
//! control id in the catalog, so policy controls appended to the catalog change nothing here.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Settings;
use crate::controls::{Band, Catalog, Status, Verdict, identity, isolation, org, secrets};
use crate::model::{Repo, Runner, Snapshot};
use crate::rank::Ranking;

/// One step of the rollout sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutStep {
    /// 1 to 4.
    pub step: u8,
    /// Stable id, e.g. `oidc-first-account`.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Expected effort from the playbook (a week; a few hours; a configuration change; the longest tail).
    pub effort: &'static str,
    /// Units done.
    pub done: usize,
    /// Units in all.
    pub total: usize,
    /// The step is complete.
    pub complete: bool,
    /// Indices of the repositories that block it, in rank order.
    pub blocking: Vec<usize>,
}

/// How many repositories step 2 protects first.
pub const TOP_N: usize = 10;

/// Verdict lookups shared by the steps (catalog indices resolved once, not per repository).
struct StepVerdicts<'a> {
    repos: &'a [Vec<Verdict>],
    oidc: Option<usize>,
    secret_scanning: Option<usize>,
    push_protection: Option<usize>,
    ephemeral: Option<usize>,
    egress: Option<usize>,
    branch: Vec<usize>,
}

impl<'a> StepVerdicts<'a> {
    fn new(catalog: &Catalog, repos: &'a [Vec<Verdict>]) -> Self {
        Self {
            repos,
            oidc: catalog.repo_index(identity::OIDC_FEDERATION.def.id),
            secret_scanning: catalog.repo_index(secrets::SECRET_SCANNING.def.id),
            push_protection: catalog.repo_index(secrets::PUSH_PROTECTION.def.id),
            ephemeral: catalog.repo_index(isolation::EPHEMERAL_RUNNERS.def.id),
            egress: catalog.repo_index(isolation::EGRESS_ALLOWLIST.def.id),
            branch: catalog
                .repo
                .iter()
                .enumerate()
                .filter(|(_, c)| c.band == Band::Branch)
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The status of the control at catalog index `c` on repository `i` (`None` when not judged).
    fn status(&self, i: usize, c: Option<usize>) -> Option<Status> {
        self.repos.get(i)?.get(c?).map(|v| v.status)
    }

    fn passes(&self, i: usize, c: Option<usize>) -> bool {
        self.status(i, c) == Some(Status::Pass)
    }

    /// Pass or not applicable: the control is met or does not apply.
    fn met(&self, i: usize, c: Option<usize>) -> bool {
        matches!(
            self.status(i, c),
            Some(Status::Pass | Status::NotApplicable)
        )
    }

    /// Fail or unknown: the control keeps a step open.
    fn open(&self, i: usize, c: Option<usize>) -> bool {
        matches!(self.status(i, c), Some(Status::Fail | Status::Unknown))
    }
}

/// Compute the four steps from the verdicts.
pub fn rollout(
    snapshot: &Snapshot,
    catalog: &Catalog,
    org: &[Verdict],
    repos: &[Vec<Verdict>],
    ranking: &Ranking,
    settings: &Settings,
) -> Vec<RolloutStep> {
    let judged = StepVerdicts::new(catalog, repos);
    // Non-archived repositories in rank order (index order if the ranking does not fit).
    let live: Vec<usize> = if ranking.order.len() == snapshot.repos.len() {
        ranking
            .order
            .iter()
            .copied()
            .filter(|&i| !snapshot.repos[i].archived)
            .collect()
    } else {
        (0..snapshot.repos.len())
            .filter(|&i| !snapshot.repos[i].archived)
            .collect()
    };
    vec![
        oidc_first_account(snapshot, &judged, &live),
        protect_top_10(&judged, ranking, &live),
        secret_scanning_org_wide(catalog, org, &judged, &live),
        ephemeral_runners(snapshot, &judged, &live, settings),
    ]
}

/// True when one of the repository's analysed pipelines authenticates to AWS, GCP or Azure.
pub fn has_cloud_deploy(snapshot: &Snapshot, repo: &Repo) -> bool {
    let Some(files) = repo.pipelines.known() else {
        return false;
    };
    files.iter().any(|f| {
        snapshot
            .files
            .get(&f.hash)
            .and_then(|stored| stored.analysis.as_ref())
            .is_some_and(|a| {
                a.analysis
                    .facts
                    .cloud_auth
                    .iter()
                    .any(|auth| auth.provider.is_cloud())
            })
    })
}

/// True when the runner is ephemeral: the API says so, or it carries a configured label.
pub fn runner_is_ephemeral(runner: &Runner, settings: &Settings) -> bool {
    runner.ephemeral == Some(true)
        || runner.labels.iter().any(|label| {
            settings
                .ephemeral_runner_labels
                .iter()
                .any(|e| e.eq_ignore_ascii_case(label))
        })
}

fn oidc_first_account(
    snapshot: &Snapshot,
    judged: &StepVerdicts<'_>,
    live: &[usize],
) -> RolloutStep {
    let mut done = 0;
    let mut total = 0;
    let mut blocking = Vec::new();
    for &i in live {
        if !has_cloud_deploy(snapshot, &snapshot.repos[i]) {
            continue;
        }
        total += 1;
        if judged.passes(i, judged.oidc) {
            done += 1;
        } else {
            blocking.push(i);
        }
    }
    RolloutStep {
        step: 1,
        id: "oidc-first-account",
        title: "Move the first cloud account to OIDC",
        effort: "a week",
        done,
        total,
        // With no cloud deploy at all there is nothing to move: the step is vacuously done.
        complete: done >= 1 || total == 0,
        blocking,
    }
}

fn protect_top_10(judged: &StepVerdicts<'_>, ranking: &Ranking, live: &[usize]) -> RolloutStep {
    let ranked = live
        .iter()
        .copied()
        .filter(|&i| ranking.rank.get(i).copied().flatten().is_some());
    let mut done = 0;
    let mut total = 0;
    let mut blocking = Vec::new();
    for i in ranked.take(TOP_N) {
        total += 1;
        if judged.branch.iter().all(|&c| judged.met(i, Some(c))) {
            done += 1;
        } else {
            blocking.push(i);
        }
    }
    RolloutStep {
        step: 2,
        id: "protect-top-10",
        title: "Protect the default branch of the top 10 repositories",
        effort: "a few hours",
        done,
        total,
        complete: done == total,
        blocking,
    }
}

fn secret_scanning_org_wide(
    catalog: &Catalog,
    org: &[Verdict],
    judged: &StepVerdicts<'_>,
    live: &[usize],
) -> RolloutStep {
    let mut done = 0;
    let mut blocking = Vec::new();
    for &i in live {
        if judged.passes(i, judged.secret_scanning) && judged.passes(i, judged.push_protection) {
            done += 1;
        } else {
            blocking.push(i);
        }
    }
    let org_default = catalog
        .org_index(org::ORG_SECRET_SCANNING_DEFAULT.def.id)
        .and_then(|c| org.get(c))
        .is_some_and(|v| v.status == Status::Pass);
    RolloutStep {
        step: 3,
        id: "secret-scanning-org-wide",
        title: "Secret scanning and push protection on every repository",
        effort: "a configuration change",
        done,
        total: live.len(),
        complete: blocking.is_empty() && org_default,
        blocking,
    }
}

fn ephemeral_runners(
    snapshot: &Snapshot,
    judged: &StepVerdicts<'_>,
    live: &[usize],
    settings: &Settings,
) -> RolloutStep {
    // Runners are shared across repositories: count each once, by id.
    let mut runners: BTreeMap<u64, bool> = BTreeMap::new();
    let mut blocking = Vec::new();
    for &i in live {
        let repo = &snapshot.repos[i];
        let mut blocks = false;
        if let Some(list) = repo.runners.known() {
            for runner in list {
                let ephemeral = runner_is_ephemeral(runner, settings);
                runners.insert(runner.id, ephemeral);
                blocks |= !ephemeral;
            }
        }
        // A runner the facts cannot vouch for, or a self-hosted job without an egress
        // allowlist, keeps the step open.
        blocks |= judged.open(i, judged.ephemeral) || judged.open(i, judged.egress);
        if blocks {
            blocking.push(i);
        }
    }
    let done = runners.values().filter(|&&e| e).count();
    let total = runners.len();
    RolloutStep {
        step: 4,
        id: "ephemeral-runners",
        title: "Ephemeral self-hosted runners with an egress allowlist",
        effort: "the longest tail",
        done,
        total,
        complete: done == total && blocking.is_empty(),
        blocking,
    }
}

#[cfg(test)]
mod tests;
