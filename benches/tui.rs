//! Explorer benchmarks on a 100k-repository synthetic org, drawn with ratatui's TestBackend
//! at 200×60:
//! * `repos_frame` — drawing one frame of the repository list (goal ≤ 4 ms);
//! * `filter_keystroke_to_frame` — one filter keystroke, from input through `update` to the
//!   drawn frame (goal ≤ 16 ms; the search itself runs on the worker);
//! * `filter_complete` — the complete fuzzy results over 100k names (goal ≤ 150 ms).
//!
//! `cargo bench --bench tui`

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use posture::assess::Registry;
use posture::config::Settings;
use posture::open::{Origin, open_snapshot};
use posture::tui::action::Action;
use posture::tui::app::App;
use posture::tui::data::ExplorerData;
use posture::tui::keymap::{Command, Keymap};
use posture::tui::search::{self, SearchJob, SkimMatcher};
use posture::tui::theme::Themes;
use posture::tui::update::update;
use posture::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const REPOS: usize = 100_000;
const SIZE: (u16, u16) = (200, 60);

fn app() -> App {
    let opened = open_snapshot(
        posture::demo::synthetic(REPOS, 1),
        Origin::File(PathBuf::from("synthetic-100k.json")),
        Settings::default(),
        &Registry::builtin(),
    );
    // The built-in registry has no Rego policies, so judging cannot fail.
    let Ok(opened) = opened else {
        panic!("the synthetic org could not be judged");
    };
    let mut app = App::new(
        ExplorerData::from_opened(opened, false),
        Themes::builtin(),
        Keymap::default(),
        Utc::now(),
    );
    app.size = SIZE;
    update(&mut app, Action::Command(Command::Repos));
    app
}

fn tui(c: &mut Criterion) {
    let mut app = app();
    let mut terminal = match Terminal::new(TestBackend::new(SIZE.0, SIZE.1)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("test backend: {e}");
            return;
        }
    };
    let mut group = c.benchmark_group("tui_100k");
    group.measurement_time(Duration::from_secs(5));

    // Scroll to the middle so the frame is an arbitrary window of the 100k rows.
    update(&mut app, Action::Command(Command::Bottom));
    for _ in 0..REPOS / 2 / 58 {
        update(&mut app, Action::Command(Command::PageUp));
    }
    group.bench_function("repos_frame_200x60", |b| {
        b.iter(|| {
            let _ = terminal.draw(|f| views::render(f, black_box(&app)));
        })
    });

    update(&mut app, Action::Command(Command::Filter));
    group.bench_function("filter_keystroke_to_frame", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let effects = update(&mut app, Action::FilterChar('p'));
                let _ = terminal.draw(|f| views::render(f, &app));
                total += start.elapsed();
                black_box(effects);
                update(&mut app, Action::FilterBackspace);
            }
            total
        })
    });

    let names = Arc::clone(&app.data.names);
    let candidates = Arc::clone(&app.data.rank_order);
    let matcher = SkimMatcher::default();
    for query in ["pay", "api9", "zq"] {
        let job = SearchJob {
            generation: 1,
            query: query.to_owned(),
            candidates: Arc::clone(&candidates),
            names: Arc::clone(&names),
        };
        let latest = AtomicU64::new(1);
        if let Some(done) = search::run(&job, &matcher, &latest) {
            eprintln!("query {query:?}: {} of {REPOS} match", done.rows.len());
        }
        group.bench_function(format!("filter_complete_{query}"), |b| {
            b.iter(|| search::run(black_box(&job), &matcher, &latest))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1));
    targets = tui
}
criterion_main!(benches);
