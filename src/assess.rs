//! Judge a snapshot: pipeline facts → controls (built-in and Rego) → rank → rollout.
//!
//! [`assess`] is the one judging entry point: `report`, `check`, `diff`, the explorer's open,
//! its snapshot loader and its in-app sync all call it with the [`Registry`] in force, so
//! every view of a snapshot judges the same controls. Pure: the policies come in compiled
//! ([`Registry::with_policies`]); reading them from disk is the command boundary's job
//! (`commands::load_registry`).

use std::sync::Mutex;

use crate::config::Settings;
use crate::controls::{
    Catalog, Context, ControlDef, InternScope, Judge, OrgControl, RepoControl, Scope, Verdict,
};
use crate::model::{Repo, Snapshot};
use crate::policy::{PolicyError, PolicySet};
use crate::rank::{Ranking, rank};
use crate::rollout::{RolloutStep, rollout};

/// Everything judged about a snapshot. Verdict vectors are aligned with the catalog.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The controls judged (built-in, then policy controls).
    pub catalog: Catalog,
    /// Org verdicts, aligned with `catalog.org`.
    pub org: Vec<Verdict>,
    /// Per repository (aligned with `snapshot.repos`), verdicts aligned with `catalog.repo`.
    pub repos: Vec<Vec<Verdict>>,
    /// Traffic ranking.
    pub ranking: Ranking,
    /// The four rollout steps.
    pub rollout: Vec<RolloutStep>,
}

impl Assessment {
    /// The verdict of repository control `id` on repository `repo` (index into the snapshot).
    pub fn repo_verdict(&self, repo: usize, id: &str) -> Option<&Verdict> {
        self.repos.get(repo)?.get(self.catalog.repo_index(id)?)
    }

    /// The verdict of org control `id`.
    pub fn org_verdict(&self, id: &str) -> Option<&Verdict> {
        self.org.get(self.catalog.org_index(id)?)
    }
}

/// The controls an assessment judges: the built-in registry
/// ([`crate::controls::registry`]), any control added with [`Registry::with_control`], and
/// the Rego policies in force (`policy/<package>` controls, judged after the others over the
/// input document that carries their verdicts).
pub struct Registry {
    repo: Vec<&'static RepoControl>,
    org: Vec<&'static OrgControl>,
    /// Compiled policies; evaluating needs the engine exclusively, one assessment at a time.
    policies: Option<Mutex<PolicySet>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.repo.iter().map(|c| c.def.id).collect();
        f.debug_struct("Registry")
            .field("repo", &ids)
            .field("org", &self.org.len())
            .field("policies", &self.policies.is_some())
            .finish()
    }
}

impl Registry {
    /// The built-in controls only.
    pub fn builtin() -> Self {
        Self {
            repo: crate::controls::registry::REPO_CONTROLS.to_vec(),
            org: crate::controls::registry::ORG_CONTROLS.to_vec(),
            policies: None,
        }
    }

    /// Add compiled Rego policies (an empty set adds nothing).
    pub fn with_policies(mut self, set: PolicySet) -> Self {
        self.policies = (!set.is_empty()).then(|| Mutex::new(set));
        self
    }

    /// Add one more repository control after the built-in ones. Every consumer (reports,
    /// `check`, SARIF, the explorer, the Rego input) picks it up from the catalog.
    pub fn with_control(mut self, control: &'static RepoControl) -> Self {
        self.repo.push(control);
        self
    }

    /// The definitions of the compiled-in controls, in order (policy controls are appended
    /// by [`assess`] once evaluated).
    pub fn catalog(&self) -> Catalog {
        Catalog {
            repo: self
                .repo
                .iter()
                .map(|c| ControlDef::of(&c.def, Scope::Repo))
                .collect(),
            org: self
                .org
                .iter()
                .map(|c| ControlDef::of(&c.def, Scope::Org))
                .collect(),
        }
    }
}

/// Judge every repository and the org with the registry's controls; rank and plan the
/// rollout. The snapshot's files must have been analysed ([`ensure_analysed`]), otherwise
/// pipeline controls are `unknown`. Fails only when a Rego policy fails at run time.
pub fn assess(
    snapshot: &Snapshot,
    settings: &Settings,
    registry: &Registry,
) -> Result<Assessment, PolicyError> {
    let catalog = registry.catalog();
    let ctx = Context::new(snapshot, settings);
    let judge = Judge::with_controls(&ctx, &registry.repo, &registry.org);
    let org = judge.org();
    let repos = judge_all(&judge, &snapshot.repos);
    let ranking = rank(snapshot);
    let steps = rollout(snapshot, &catalog, &org, &repos, &ranking, settings);
    let mut assessment = Assessment {
        catalog,
        org,
        repos,
        ranking,
        rollout: steps,
    };
    if let Some(policies) = &registry.policies {
        let mut set = policies.lock().map_err(|_| PolicyError::Poisoned)?;
        crate::policy::apply(&mut set, snapshot, &mut assessment)?;
    }
    Ok(assessment)
}

/// Below this many repositories, judging on one thread is faster than starting workers.
const PARALLEL_THRESHOLD: usize = 2048;

/// Judge every repository, in order; large snapshots are split over the available cores.
/// Each thread interns its verdict texts ([`InternScope`]), so a line of evidence repeated
/// across repositories is stored once per thread.
fn judge_all(judge: &Judge<'_>, repos: &[Repo]) -> Vec<Vec<Verdict>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(8);
    if threads < 2 || repos.len() < PARALLEL_THRESHOLD {
        let _interning = InternScope::enter();
        return repos.iter().map(|r| judge.repo(r)).collect();
    }
    let chunk = repos.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = repos
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let _interning = InternScope::enter();
                    part.iter().map(|r| judge.repo(r)).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(repos.len());
        for (worker, part) in workers.into_iter().zip(repos.chunks(chunk)) {
            match worker.join() {
                Ok(verdicts) => out.extend(verdicts),
                // A worker cannot panic on valid data; should one, judge its part here so the
                // result stays aligned with the repositories.
                Err(_) => out.extend(part.iter().map(|r| judge.repo(r))),
            }
        }
        out
    })
}

/// Analyse every stored file whose cached analysis is missing or from another analyser version.
/// Returns how many files were (re-)analysed.
pub fn ensure_analysed(snapshot: &mut Snapshot) -> usize {
    // On all cores, silently; `open::open` shows progress on a terminal.
    crate::reanalyse::reanalyse_stale(&mut snapshot.files, &|_, _| {})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fact, Provider, SecretMeta, Visibility};

    fn snapshot(repos: usize) -> Snapshot {
        let taken = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap();
        let mut snap = Snapshot::new(Provider::Github, "acme", "https://api.github.com", taken);
        for i in 0..repos {
            let mut repo = Repo::new(&format!("acme/r{i}"), Visibility::Private, "main");
            repo.archived = i % 7 == 0;
            if i % 3 == 0 {
                repo.secrets = Fact::Known(vec![SecretMeta {
                    name: "PROD_AWS_SECRET_ACCESS_KEY".into(),
                    updated_at: None,
                }]);
            }
            snap.repos.push(repo);
        }
        snap
    }

    #[test]
    fn every_repo_gets_one_verdict_per_catalog_control() {
        let snap = snapshot(10);
        let a = assess(&snap, &Settings::default(), &Registry::builtin()).unwrap();
        assert_eq!(a.repos.len(), 10);
        assert_eq!(a.org.len(), a.catalog.org.len());
        for verdicts in &a.repos {
            assert_eq!(verdicts.len(), a.catalog.repo.len());
        }
    }

    #[test]
    fn parallel_judging_matches_serial_order() {
        let snap = snapshot(PARALLEL_THRESHOLD + 101);
        let settings = Settings::default();
        let ctx = Context::new(&snap, &settings);
        let judge = Judge::new(&ctx);
        let parallel = judge_all(&judge, &snap.repos);
        let serial: Vec<_> = snap.repos.iter().map(|r| judge.repo(r)).collect();
        assert_eq!(parallel, serial);
        let static_keys = a_index("no-static-cloud-keys");
        assert_eq!(
            parallel[3][static_keys].status,
            crate::controls::Status::Fail
        );
        assert_eq!(
            parallel[7][static_keys].status,
            crate::controls::Status::NotApplicable
        );
    }

    fn a_index(id: &str) -> usize {
        Catalog::builtin().repo_index(id).unwrap()
    }
}

#[cfg(test)]
mod scratch_control_tests;
