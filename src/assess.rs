//! Judge a snapshot: pipeline facts → controls → rank → rollout. Pure: no I/O.

use crate::config::Settings;
use crate::controls::{Catalog, Verdict};
use crate::model::Snapshot;
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
    let _ = settings;
    let catalog = Catalog::builtin();
    let org = Vec::new();
    let repos = Vec::new();
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

/// Analyse every stored file whose cached analysis is missing or from another analyser version.
/// Returns how many files were (re-)analysed.
pub fn ensure_analysed(snapshot: &mut Snapshot) -> usize {
    let mut count = 0;
    for file in snapshot.files.values_mut() {
        let fresh = file
            .analysis
            .as_ref()
            .is_some_and(|a| a.analyser_version == crate::pipeline::ANALYSER_VERSION);
        if !fresh {
            let analysis = crate::pipeline::analyse("", &file.text, Some(file.kind));
            file.analysis = Some(crate::model::CachedAnalysis {
                analyser_version: crate::pipeline::ANALYSER_VERSION,
                analysis,
            });
            count += 1;
        }
    }
    count
}
