//! Core benchmarks: load (`store::parse`) and judge (`assess::ensure_analysed` +
//! `assess::assess`) synthetic orgs of 1k, 10k and 100k repositories, together and apart.
//! Goals: 10k ≤ 150 ms and 100k ≤ 1.5 s for the whole path.
//!
//! `cargo bench --bench core` (small samples: the whole run takes a few minutes).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use posture::assess::{Registry, assess, ensure_analysed};
use posture::config::Settings;
use posture::store::parse;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const SEED: u64 = 42;

fn core(c: &mut Criterion) {
    let settings = Settings::default();
    let registry = Registry::builtin();
    for repos in SIZES {
        // Setup, not measured: the synthetic org as the JSON bytes of a snapshot file.
        let bytes = match serde_json::to_vec(&posture::demo::synthetic(repos, SEED)) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("cannot serialise the synthetic org of {repos}: {err}");
                return;
            }
        };
        let parsed = match parse(&bytes, "synthetic.json") {
            Ok(snapshot) => snapshot,
            Err(err) => {
                eprintln!("{err}");
                return;
            }
        };
        let mut analysed = parsed.clone();
        ensure_analysed(&mut analysed);
        eprintln!(
            "synthetic org of {repos} repos: {:.1} MB of JSON, {} stored files",
            bytes.len() as f64 / 1e6,
            parsed.files.len()
        );

        let mut group = c.benchmark_group("core");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(if repos >= 100_000 { 25 } else { 6 }));

        group.bench_with_input(BenchmarkId::new("parse", repos), &bytes, |b, bytes| {
            b.iter(|| parse(black_box(bytes), "synthetic.json"))
        });
        group.bench_with_input(
            BenchmarkId::new("ensure_analysed", repos),
            &parsed,
            |b, parsed| {
                b.iter_batched(
                    || parsed.clone(),
                    // Returned, so dropping the snapshot is not timed.
                    |mut snapshot| {
                        ensure_analysed(black_box(&mut snapshot));
                        snapshot
                    },
                    BatchSize::PerIteration,
                )
            },
        );
        group.bench_with_input(BenchmarkId::new("assess", repos), &analysed, |b, s| {
            b.iter(|| assess(black_box(s), &settings, &registry))
        });
        group.bench_with_input(
            BenchmarkId::new("load_and_assess", repos),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let Ok(mut snapshot) = parse(black_box(bytes), "synthetic.json") else {
                        return None;
                    };
                    ensure_analysed(&mut snapshot);
                    assess(&snapshot, &settings, &registry).ok()
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, core);
criterion_main!(benches);
