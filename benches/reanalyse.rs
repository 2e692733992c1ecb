//! Load at org scale with realistically varied pipelines (`demo::synthetic_varied`: 30% of
//! repositories with unique texts, 2+ files each), with and without re-analysis:
//! * `load_reanalyse_assess` — the snapshot's analyses are from an older analyser (as after
//!   every upgrade): parse, re-analyse every stored file (on all cores), judge;
//! * `load_assess` — the analyses are current: parse and judge only.
//!
//! Goal for 100k repositories on this 2-core machine: ≤ 30 s with re-analysis.
//! `cargo bench --bench reanalyse` measures 100k (one sample of each; setup takes a while);
//! under `cargo test` (no `--bench`) it runs once on 2k repositories.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use posture::assess::{Registry, assess, ensure_analysed};
use posture::config::Settings;
use posture::model::Snapshot;
use posture::pipeline::ANALYSER_VERSION;
use posture::store::parse;

const SEED: u64 = 42;
const UNIQUE_PERCENT: u64 = 30;

fn repos() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        2_000
    }
}

fn bytes_of(snapshot: &Snapshot) -> Option<Vec<u8>> {
    serde_json::to_vec(snapshot)
        .map_err(|e| eprintln!("cannot serialise: {e}"))
        .ok()
}

fn reanalyse(c: &mut Criterion) {
    let settings = Settings::default();
    let repos = repos();
    let mut current = posture::demo::synthetic_varied(repos, SEED, UNIQUE_PERCENT);
    ensure_analysed(&mut current);
    let mut stale = current.clone();
    for file in stale.files.values_mut() {
        if let Some(cached) = file.analysis.as_mut() {
            cached.analyser_version = ANALYSER_VERSION.wrapping_sub(1);
        }
    }
    let (Some(current_bytes), Some(stale_bytes)) = (bytes_of(&current), bytes_of(&stale)) else {
        return;
    };
    let text_bytes: usize = current.files.values().map(|f| f.text.len()).sum();
    eprintln!(
        "varied org of {repos} repos: {} stored files ({:.1} MB of pipeline text), {:.1} MB of JSON",
        current.files.len(),
        text_bytes as f64 / 1e6,
        current_bytes.len() as f64 / 1e6
    );
    drop((current, stale));

    let registry = Registry::builtin();
    let mut group = c.benchmark_group("reanalyse");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    // Parse, analyse what is stale, judge: the explorer's and the reports' load path.
    let load = |bytes: &[u8]| {
        let Ok(mut snapshot) = parse(black_box(bytes), "varied.json") else {
            return None;
        };
        let analysed = ensure_analysed(&mut snapshot);
        let judged = assess(&snapshot, &settings, &registry).ok()?;
        Some((analysed, judged.repos.len()))
    };
    for (name, bytes) in [
        ("load_reanalyse_assess", &stale_bytes),
        ("load_assess", &current_bytes),
    ] {
        group.bench_with_input(BenchmarkId::new(name, repos), bytes, |b, bytes| {
            b.iter(|| load(bytes))
        });
    }
    group.finish();
}

criterion_group!(benches, reanalyse);
criterion_main!(benches);
