//! The explorer's real event loop (`tui::event_loop::run_loop`) on a 100k-repository
//! synthetic org, drawn on a 200×60 `TestBackend`, fed key events through its channel:
//! * keystroke → first frame showing the typed query (goal ≤ 16 ms);
//! * keystroke → frame with the complete filtered rows: the search on the worker thread,
//!   `SearchDone` back through the channel, the redraw (goal ≤ 50 ms);
//! * frames drawn over 10 s of idle (goal 0).
//!
//! Medians and p99 over the samples. `cargo bench --bench tui_loop` (100k repositories, 60
//! keystrokes, 10 s idle); under `cargo test` it runs once on 2k repositories, briefly.

use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use posture::assess::Registry;
use posture::config::Settings;
use posture::open::{Origin, open_snapshot};
use posture::tui::Loader;
use posture::tui::action::Action;
use posture::tui::app::{App, View};
use posture::tui::data::ExplorerData;
use posture::tui::event_loop::{Msg, run_loop};
use posture::tui::keymap::{Command, Keymap};
use posture::tui::theme::Themes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// What a drawn frame showed.
struct Frame {
    at: Instant,
    query: String,
    rows_query: String,
    complete: bool,
}

fn observe(app: &App) -> Option<(String, String, bool)> {
    match app.stack.last() {
        Some(View::Repos(r)) => Some((r.query.clone(), r.rows_query.clone(), r.pending.is_none())),
        _ => None,
    }
}

fn key(c: char) -> Msg {
    Msg::Event(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>, goal_ms: u64) {
    samples.sort();
    let median = percentile(&samples, 0.5);
    let p99 = percentile(&samples, 0.99);
    println!(
        "tui_loop {name}: median {:.2} ms, p99 {:.2} ms over {} keystrokes (goal ≤ {goal_ms} ms)",
        median.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        samples.len()
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (repos, keystrokes, idle) = if full {
        (100_000, 60, Duration::from_secs(10))
    } else {
        (2_000, 4, Duration::from_millis(300))
    };
    let opened = open_snapshot(
        posture::demo::synthetic(repos, 1),
        Origin::File(PathBuf::from("synthetic.json")),
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
    app.size = (200, 60);
    let (tx, rx) = mpsc::channel::<Msg>();
    let (frames_tx, frames) = mpsc::channel::<Frame>();
    let loop_tx = tx.clone();
    let looping = std::thread::spawn(move || {
        let Ok(mut terminal) = Terminal::new(TestBackend::new(200, 60));
        let loader: Loader = Arc::new(|_, _| Err("no snapshots in the benchmark".to_owned()));
        let result = run_loop(
            &mut app,
            &mut terminal,
            &rx,
            &loop_tx,
            &loader,
            &None,
            &mut |app| {
                if let Some((query, rows_query, complete)) = observe(app) {
                    let _ = frames_tx.send(Frame {
                        at: Instant::now(),
                        query,
                        rows_query,
                        complete,
                    });
                }
            },
        );
        if let Err(e) = result {
            eprintln!("the loop failed: {e}");
        }
    });
    let send = |msg: Msg| {
        if tx.send(msg).is_err() {
            eprintln!("the loop stopped");
        }
    };
    let wait_for = |pred: &dyn Fn(&Frame) -> bool| -> Option<Frame> {
        loop {
            match frames.recv_timeout(Duration::from_secs(30)) {
                Ok(frame) if pred(&frame) => return Some(frame),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    };
    send(Msg::Action(Action::Command(Command::Repos)));
    send(key('/'));
    // A frame that never comes is a failure, not a figure: panic so `cargo test` sees it.
    assert!(
        wait_for(&|f| f.complete && f.query.is_empty()).is_some(),
        "no repository list frame"
    );
    let letters: Vec<char> = "paidmlewosrtbcgnuy".chars().collect();
    let (mut first, mut complete) = (Vec::new(), Vec::new());
    for k in 0..keystrokes {
        let c = letters[k % letters.len()];
        let typed = c.to_string();
        let start = Instant::now();
        send(key(c));
        let Some(shown) = wait_for(&|f| f.query == typed) else {
            panic!("no frame showed {typed:?}");
        };
        first.push(shown.at.duration_since(start));
        // Small orgs filter inside `update`: the first frame already has the rows.
        let done = if shown.rows_query == typed && shown.complete {
            shown.at
        } else {
            match wait_for(&|f| f.rows_query == typed && f.complete) {
                Some(frame) => frame.at,
                None => panic!("no frame with the rows of {typed:?}"),
            }
        };
        complete.push(done.duration_since(start));
        send(Msg::Event(Event::Key(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        ))));
        assert!(
            wait_for(&|f| f.query.is_empty() && f.rows_query.is_empty() && f.complete).is_some(),
            "the query was not cleared"
        );
    }
    // Let anything in flight settle, then count frames over the idle window.
    std::thread::sleep(Duration::from_millis(200));
    while frames.try_recv().is_ok() {}
    std::thread::sleep(idle);
    let idle_frames = frames.try_iter().count();
    println!("synthetic org of {repos} repositories, 200×60 TestBackend, real event loop");
    report("keystroke_to_first_frame", first, 16);
    report("keystroke_to_complete_rows", complete, 50);
    println!(
        "tui_loop idle: {idle_frames} frames drawn over {:.1} s of idle (goal 0)",
        idle.as_secs_f64()
    );
    send(Msg::Action(Action::Command(Command::Quit)));
    drop(tx);
    let _ = looping.join();
    assert_eq!(idle_frames, 0, "the loop drew while idle");
}
