//! The terminal explorer (ratatui + crossterm).
//!
//! Input becomes an [`action::Action`]; [`update::update`] changes the [`app::App`] state
//! synchronously and returns [`effects::Effect`]s (a search on the worker, opening a snapshot);
//! [`views::render`] draws the state and nothing else. The loop blocks until something
//! happens and redraws only when the state changed: no frame rate while idle.
//!
//! Threads feed one channel: terminal input, the search worker, snapshot loading, the sync
//! (its own tokio runtime) and a SIGTERM/SIGHUP watcher (quits like `q`). The terminal is
//! restored on every way out, including a panic, before the panic message prints.

pub mod action;
pub mod app;
pub mod background;
pub mod data;
pub mod effects;
pub mod event_loop;
pub mod filter;
pub mod keymap;
pub mod layout;
pub mod navigate;
pub mod search;
pub mod theme;
pub mod update;
pub mod views;
pub mod widgets;
pub mod worker;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use chrono::{DateTime, Utc};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use action::Action;
use app::{App, Overlay};
use data::{ExplorerData, SnapshotEntry};
use effects::Effect;
use event_loop::Msg;
use keymap::Keymap;
use theme::Themes;

/// Opens a snapshot file for the Snapshots view (I/O, run off the loop's thread).
pub type Loader = Arc<dyn Fn(&Path, &LoadProgress) -> Result<ExplorerData, String> + Send + Sync>;

/// Hears `(done, total)` while a snapshot's pipeline files are re-analysed on open (a
/// snapshot written by an older analyser); called from worker threads.
pub type LoadProgress = dyn Fn(usize, usize) + Send + Sync;

/// Reports sync progress to the loop.
pub type ProgressFn = Box<dyn Fn(action::SyncProgress) + Send>;

/// Syncs an org (online I/O, off the loop's thread), saves the snapshot and opens it; stops
/// early, leaving the cache as it was, when `cancel` fires.
pub type Syncer = Arc<
    dyn Fn(
            effects::SyncRequest,
            ProgressFn,
            tokio::sync::oneshot::Receiver<()>,
        ) -> Result<ExplorerData, String>
        + Send
        + Sync,
>;

/// The explorer could not start or ended abnormally. `Display` is the one line the user sees.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// `--theme NAME` names no built-in or user theme.
    #[error(
        "no theme named `{}`; themes: {themes}",
        crate::sanitize::strip_controls(.name)
    )]
    UnknownTheme {
        /// The name given (untrusted: shown sanitised).
        name: String,
        /// The themes there are, listed.
        themes: String,
    },
    /// stdin or stdout is not a terminal.
    #[error(
        "the explorer needs a terminal (stdin and stdout are not both a tty); \
         use `posture report` or `posture check` in scripts"
    )]
    NoTerminal,
    /// Setting up, drawing on or restoring the terminal failed.
    #[error("terminal: {0}")]
    Terminal(#[source] io::Error),
    /// A worker thread crashed; why, in one line.
    #[error("{0}")]
    Crashed(String),
}

/// How the explorer starts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--theme NAME`.
    pub theme: Option<String>,
    /// `--read-only`.
    pub read_only: bool,
    /// Where user themes and `keymap.toml` live.
    pub config_dir: Option<PathBuf>,
    /// `NO_COLOR`.
    pub no_color: bool,
}

/// `--theme NAME` must name a built-in or user theme; otherwise exit 2 listing the themes.
pub fn check_theme(name: &str, config_dir: Option<&Path>) -> Result<usize, TuiError> {
    let themes = Themes::load(config_dir);
    themes.find(name).ok_or_else(|| TuiError::UnknownTheme {
        name: name.to_owned(),
        themes: themes.names(),
    })
}

/// Load themes and keymap, pick the theme, and build the state. `--theme` naming no theme
/// is an input error listing the themes; broken files become a warning dialog.
pub fn prepare(
    data: ExplorerData,
    snapshots: Vec<SnapshotEntry>,
    options: &Options,
    now: DateTime<Utc>,
) -> Result<App, TuiError> {
    let themes = Themes::load(options.config_dir.as_deref());
    let theme = match &options.theme {
        Some(name) => check_theme(name, options.config_dir.as_deref())?,
        None => 0,
    };
    let (keymap, keymap_warning) = Keymap::load(options.config_dir.as_deref());
    let mut warnings = themes.warnings.clone();
    warnings.extend(keymap_warning);
    let mut app = App::new(data, themes, keymap, now);
    app.theme = theme;
    app.no_color = options.no_color;
    app.read_only = options.read_only;
    app.snapshots = snapshots;
    if !warnings.is_empty() {
        warnings.push("The built-in defaults are used instead.".to_owned());
        app.overlay = Some(Overlay::Message {
            title: "Configuration problems".to_owned(),
            lines: warnings,
        });
    }
    Ok(app)
}

/// Exit 2 with one line when stdin or stdout is not a terminal (cron, CI, a pipe).
pub fn require_terminal() -> Result<(), TuiError> {
    if io::stdin().is_terminal() && io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(TuiError::NoTerminal)
    }
}

/// Put the terminal back: leave raw mode and the alternate screen, stop mouse capture,
/// show the cursor. Safe to call more than once.
fn restore_terminal() {
    let _ = crossterm::terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = crossterm::execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}

/// Owns the terminal while the explorer runs; restores it when dropped (also on panic,
/// through the hook installed by [`TerminalGuard::enter`], before the message prints).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<Self> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A pipeline file's analysis that panics is contained (the file becomes
            // `unknown`), and a worker's panic is caught and reported by the loop (see
            // `worker`): in both cases the explorer keeps running and owns the terminal.
            if crate::pipeline::panic_is_contained() || worker::panics_are_caught_here() {
                return;
            }
            restore_terminal();
            previous(info);
        }));
        crossterm::terminal::enable_raw_mode()?;
        let guard = Self;
        crossterm::execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            crossterm::cursor::Hide
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// SIGTERM or SIGHUP (a closed terminal window, `kill`) quits like `q`, so the terminal is
/// restored rather than left in raw mode on the alternate screen.
#[cfg(unix)]
fn watch_signals(tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut hup)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            let _ = tx.send(Msg::Action(Action::Command(keymap::Command::Quit)));
        });
    });
}

/// Apply one action; returns the effects and whether the screen must be redrawn.
/// Nothing that leaves the state unchanged asks for a redraw.
pub fn process(app: &mut App, action: Action) -> (Vec<Effect>, bool) {
    let effects = update::update(app, action);
    let redraw = std::mem::take(&mut app.dirty);
    (effects, redraw)
}

/// Run the explorer until the user quits. The terminal is restored on every way out.
pub fn run(mut app: App, loader: Loader, syncer: Option<Syncer>) -> Result<(), TuiError> {
    let io_err = TuiError::Terminal;
    let guard = TerminalGuard::enter().map_err(io_err)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout())).map_err(io_err)?;
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    let (tx, rx) = mpsc::channel::<Msg>();
    let input = tx.clone();
    std::thread::spawn(move || {
        while let Ok(event) = crossterm::event::read() {
            if input.send(Msg::Event(event)).is_err() {
                break;
            }
        }
    });
    #[cfg(unix)]
    watch_signals(tx.clone());
    let crash = event_loop::run_loop(
        &mut app,
        &mut terminal,
        &rx,
        &tx,
        &loader,
        &syncer,
        &mut |_| {},
    )
    .map_err(io_err)?;
    drop(terminal);
    drop(guard);
    match crash {
        Some(why) => Err(TuiError::Crashed(why)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
