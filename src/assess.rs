//! Judge a snapshot: pipeline facts → controls → rank → rollout. Pure: no I/O.

use crate::config::Settings;
use crate::controls::{Catalog, Context, Judge, Verdict, judge_org};
use crate::model::{Repo, Snapshot};
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

/// Judge every repository and the org. The snapshot's files must have been analysed
/// (`crate::assess::ensure_analysed`), otherwise pipeline controls are `unknown`.
pub fn assess(snapshot: &Snapshot, settings: &Settings) -> Assessment {
    let catalog = Catalog::builtin();
    let ctx = Context::new(snapshot, settings);
    let judge = Judge::new(&ctx);
    let org = judge_org(&ctx);
    let repos = judge_all(&judge, &snapshot.repos);
    let ranking = rank(snapshot);
    let steps = rollout(snapshot, &catalog, &org, &repos, &ranking, settings);
    Assessment {
        catalog,
        org,
        repos,
        ranking,
        rollout: steps,
    }
}

/// Below this many repositories, judging on one thread is faster than starting workers.
const PARALLEL_THRESHOLD: usize = 2048;

/// Judge every repository, in order; large snapshots are split over the available cores.
fn judge_all(judge: &Judge<'_>, repos: &[Repo]) -> Vec<Vec<Verdict>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(8);
    if threads < 2 || repos.len() < PARALLEL_THRESHOLD {
        return repos.iter().map(|r| judge.repo(r)).collect();
    }
    let chunk = repos.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = repos
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|r| judge.repo(r)).collect::<Vec<_>>()))
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
    // On all cores; the CLI and TUI show no progress for it yet.
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
        let a = assess(&snap, &Settings::default());
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
