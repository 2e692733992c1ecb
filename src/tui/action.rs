//! Actions: what input (keys, mouse, resize) and background work (search, loading) ask of
//! `update`. Mapping an event to an action depends only on the state and the keymap.

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

use super::app::App;
use super::data::ExplorerData;
use super::keymap::Command;
use super::search::SearchDone;

/// Something `update` handles.
#[derive(Debug)]
pub enum Action {
    /// A keymap command.
    Command(Command),
    /// A character typed into the filter.
    FilterChar(char),
    /// Backspace in the filter.
    FilterBackspace,
    /// Enter in the filter: keep it, stop typing.
    FilterAccept,
    /// Esc in the filter: clear it.
    FilterCancel,
    /// Mouse wheel up.
    ScrollUp,
    /// Mouse wheel down.
    ScrollDown,
    /// Left click at a cell.
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// The terminal was resized.
    Resize(u16, u16),
    /// A background search finished.
    SearchDone(SearchDone),
    /// A snapshot finished opening (or failed with a one-line message).
    Loaded(Result<Box<ExplorerData>, String>),
    /// The snapshot being opened has re-analysed `done` of its `total` stale pipeline files.
    LoadProgress {
        /// Files analysed so far.
        done: usize,
        /// Files to analyse.
        total: usize,
    },
    /// Progress of the sync in flight, one line (`12/58 acme/api`).
    SyncProgress(SyncProgress),
    /// The sync finished: the new snapshot, or a one-line error (previous snapshot unchanged).
    SyncDone(Result<Box<ExplorerData>, String>),
    /// Nothing to do (unbound key, mouse move): no redraw.
    Noop,
}

/// What the sync overlay shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncProgress {
    /// Current phase, e.g. `listing repositories`.
    pub phase: String,
    /// Repositories done.
    pub done: usize,
    /// Repositories in all (0 until known).
    pub total: usize,
    /// Last repository finished.
    pub last: String,
    /// Warnings so far (the latest few).
    pub warnings: Vec<String>,
}

/// The action for a terminal event.
pub fn from_event(app: &App, event: &Event) -> Action {
    match event {
        Event::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Action::Noop;
            }
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            if app.editing_filter() {
                return match key.code {
                    KeyCode::Esc => Action::FilterCancel,
                    KeyCode::Enter => Action::FilterAccept,
                    KeyCode::Backspace => Action::FilterBackspace,
                    KeyCode::Up => Action::Command(Command::Up),
                    KeyCode::Down => Action::Command(Command::Down),
                    KeyCode::Char('c') if ctrl => Action::Command(Command::Quit),
                    KeyCode::Char(c) if !ctrl && !c.is_control() => Action::FilterChar(c),
                    _ => Action::Noop,
                };
            }
            match app.keymap.command(key) {
                Some(cmd) => Action::Command(cmd),
                None => Action::Noop,
            }
        }
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Action::ScrollUp,
            MouseEventKind::ScrollDown => Action::ScrollDown,
            MouseEventKind::Down(MouseButton::Left) => Action::Click {
                column: mouse.column,
                row: mouse.row,
            },
            _ => Action::Noop,
        },
        Event::Resize(w, h) => Action::Resize(*w, *h),
        _ => Action::Noop,
    }
}
