//! The explorer's event loop, generic over the terminal backend and fed by one channel: the
//! binary runs it on crossterm with terminal input, signals and workers as senders; a
//! benchmark runs the same loop on a `TestBackend` with injected key events and counts the
//! frames it draws (`on_frame`).

use std::io;
use std::sync::{Arc, mpsc};

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::action::{self, Action};
use super::app::App;
use super::effects::Effect;
use super::{Loader, ProgressFn, Syncer, process, search, views, worker};

/// What the loop waits for.
pub enum Msg {
    /// Terminal input.
    Event(Event),
    /// An action from a worker, a signal or a test.
    Action(Action),
    /// A worker with no failed answer of its own (the search) panicked: leave cleanly.
    Crashed(String),
}

/// Run the loop until the app quits or every sender is gone: draw once, then block on `rx`,
/// handle everything queued, and draw again only when the state changed. `tx` is handed to
/// the search worker and the loader and sync threads. `on_frame` is told after each draw.
/// Returns why a worker crashed, when one did.
pub fn run_loop<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    rx: &mpsc::Receiver<Msg>,
    tx: &mpsc::Sender<Msg>,
    loader: &Loader,
    syncer: &Option<Syncer>,
    on_frame: &mut dyn FnMut(&App),
) -> io::Result<Option<String>> {
    let results = tx.clone();
    let crashed = tx.clone();
    let worker = search::Worker::start(
        move |done| {
            let _ = results.send(Msg::Action(Action::SearchDone(done)));
        },
        move |why| {
            let _ = crashed.send(Msg::Crashed(why));
        },
    );
    let mut crash: Option<String> = None;
    let mut cancel_sync: Option<tokio::sync::oneshot::Sender<()>> = None;
    draw(terminal, app)?;
    on_frame(app);
    app.dirty = false;
    // Test builds only: prove a panic restores the terminal before its message prints.
    if cfg!(debug_assertions) && std::env::var_os("POSTURE_TUI_TEST_PANIC").is_some() {
        panic!("test panic requested by POSTURE_TUI_TEST_PANIC");
    }
    while let Ok(first) = rx.recv() {
        let mut redraw = false;
        let mut next = Some(first);
        // Handle everything already queued before drawing once (coalesced renders).
        while let Some(msg) = next.take().or_else(|| rx.try_recv().ok()) {
            let action = match msg {
                Msg::Event(event) => action::from_event(app, &event),
                Msg::Action(action) => action,
                Msg::Crashed(why) => {
                    crash = Some(why);
                    break;
                }
            };
            let (effects, changed) = process(app, action);
            redraw |= changed;
            for effect in effects {
                match effect {
                    Effect::Search(job) => worker.submit(job),
                    Effect::OpenSnapshot(path) => {
                        let loader = Arc::clone(loader);
                        let tx = tx.clone();
                        std::thread::spawn(move || {
                            let progress_tx = tx.clone();
                            let progress = move |done, total| {
                                let action = Action::LoadProgress { done, total };
                                let _ = progress_tx.send(Msg::Action(action));
                            };
                            let result =
                                worker::caught("opening the snapshot", || loader(&path, &progress))
                                    .and_then(|r| r)
                                    .map(Box::new);
                            let _ = tx.send(Msg::Action(Action::Loaded(result)));
                        });
                    }
                    Effect::Sync(request) => {
                        let (stop, stopped) = tokio::sync::oneshot::channel();
                        cancel_sync = Some(stop);
                        let tx = tx.clone();
                        let syncer = syncer.clone();
                        std::thread::spawn(move || {
                            let progress_tx = tx.clone();
                            let progress: ProgressFn = Box::new(move |p| {
                                let _ = progress_tx.send(Msg::Action(Action::SyncProgress(p)));
                            });
                            let result = match syncer {
                                Some(sync) => {
                                    worker::caught("the sync", || sync(request, progress, stopped))
                                        .and_then(|r| r)
                                        .map(Box::new)
                                }
                                None => Err("sync is not available in this build".to_owned()),
                            };
                            let _ = tx.send(Msg::Action(Action::SyncDone(result)));
                        });
                    }
                    Effect::CancelSync => {
                        if let Some(stop) = cancel_sync.take() {
                            let _ = stop.send(());
                        }
                    }
                    Effect::Quit => {}
                }
            }
            if app.quit {
                break;
            }
        }
        if app.quit || crash.is_some() {
            break;
        }
        if redraw {
            draw(terminal, app)?;
            on_frame(app);
        }
    }
    Ok(crash)
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) -> io::Result<()> {
    terminal
        .draw(|frame| views::render(frame, app))
        .map(|_| ())
        .map_err(|e| io::Error::other(e.to_string()))
}
