//! The explorer's state: the data being explored, the navigation stack, the topmost overlay,
//! theme and keymap. Changed only by `update`; drawn by `views::render`.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::data::{ExplorerData, SnapshotEntry};
use super::keymap::Keymap;
use super::search::{Matcher, SkimMatcher};
use super::theme::{Theme, Themes};
use crate::controls::{Band, Status};

/// A selection and the first row drawn, for a virtualised list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    /// Selected item.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

impl ListState {
    /// Move the selection by `delta`, clamped to `len`, and keep it within `height` rows.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = Self::default();
            return;
        }
        let target = (self.selected as isize).saturating_add(delta);
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.follow(len, height);
    }

    /// Clamp to `len` and scroll so the selection is visible in `height` rows.
    pub fn follow(&mut self, len: usize, height: usize) {
        if len == 0 {
            *self = Self::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = len.saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

/// Sort orders of the repository list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Traffic rank (archived last).
    Rank,
    /// Most failing controls first (ties by rank).
    Failures,
    /// By name.
    Name,
}

impl SortKey {
    /// The next sort order.
    pub fn next(self) -> Self {
        match self {
            SortKey::Rank => SortKey::Failures,
            SortKey::Failures => SortKey::Name,
            SortKey::Name => SortKey::Rank,
        }
    }

    /// Label.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Rank => "rank",
            SortKey::Failures => "failures",
            SortKey::Name => "name",
        }
    }
}

/// A preset subset of repositories (e.g. those blocking a rollout step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subset {
    /// Shown in the breadcrumbs, e.g. `blocking step 2`.
    pub label: String,
    /// Repository indices, in rank order.
    pub rows: Arc<Vec<u32>>,
}

/// The repository list: sort, band/verdict filters and the fuzzy filter.
#[derive(Debug, Clone)]
pub struct ReposView {
    /// Selection.
    pub list: ListState,
    /// Sort order.
    pub sort: SortKey,
    /// Band filter.
    pub band: Option<Band>,
    /// Verdict filter.
    pub verdict: Option<Status>,
    /// Preset subset.
    pub subset: Option<Subset>,
    /// The fuzzy query as typed.
    pub query: String,
    /// The query is being typed.
    pub editing: bool,
    /// Rows after sort, subset and band/verdict filters.
    pub base: Arc<Vec<u32>>,
    /// Rows shown: `base` narrowed by the query `rows_query`.
    pub rows: Arc<Vec<u32>>,
    /// The query `rows` answers (empty: `rows` is `base`).
    pub rows_query: String,
    /// Generation of the search in flight, if any.
    pub pending: Option<u64>,
}

/// Which control a control view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlRef {
    /// Index into `catalog.repo`.
    Repo(usize),
    /// Index into `catalog.org`.
    Org(usize),
}

/// One layer of the navigation stack.
#[derive(Debug, Clone)]
pub enum View {
    /// Org overview: rollout steps then org controls are selectable.
    Overview {
        /// Selection.
        list: ListState,
    },
    /// Repositories ranked by traffic.
    Repos(Box<ReposView>),
    /// One repository's controls grouped by band.
    Repo {
        /// Repository index.
        repo: usize,
        /// Selection over `ExplorerData::controls_by_band` (offset counts display rows).
        list: ListState,
    },
    /// One control on one repository (or on the org).
    Control {
        /// Repository index; `None` for an org control.
        repo: Option<usize>,
        /// The control.
        control: ControlRef,
        /// Lines scrolled.
        scroll: u16,
    },
    /// Choose a control.
    ByControl {
        /// Selection over `catalog.repo`.
        list: ListState,
    },
    /// Every repository failing one control, in rank order.
    ControlRepos {
        /// Index into `catalog.repo`.
        control: usize,
        /// Failing repositories.
        rows: Arc<Vec<u32>>,
        /// Selection.
        list: ListState,
    },
    /// Cached snapshots.
    Snapshots {
        /// Selection.
        list: ListState,
    },
}

/// A layer drawn above the views; Esc closes it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Every key, generated from the keymap.
    Help {
        /// Lines scrolled.
        scroll: u16,
    },
    /// A message (warnings at start-up, a snapshot that failed to open).
    Message {
        /// Title.
        title: String,
        /// Lines.
        lines: Vec<String>,
    },
}

/// The whole state.
pub struct App {
    /// The snapshot explored.
    pub data: Arc<ExplorerData>,
    /// Navigation stack; never empty (the overview is at the bottom).
    pub stack: Vec<View>,
    /// Dialog or help, drawn on top.
    pub overlay: Option<Overlay>,
    /// Available themes.
    pub themes: Themes,
    /// Index of the theme in use.
    pub theme: usize,
    /// `NO_COLOR`: draw monochrome whatever the theme.
    pub no_color: bool,
    mono: Theme,
    /// Key bindings.
    pub keymap: Keymap,
    /// Cached snapshots (for the Snapshots view).
    pub snapshots: Vec<SnapshotEntry>,
    /// The clock at start, for the stale warning (injected so drawing stays pure).
    pub now: DateTime<Utc>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Never offer to sync or fix.
    pub read_only: bool,
    /// Why the explorer is read-only when the user did not ask for it (a `--snapshot` file);
    /// the sync key says it.
    pub read_only_why: Option<String>,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// The user asked to quit.
    pub quit: bool,
    /// A snapshot being opened.
    pub loading: Option<PathBuf>,
    /// Its re-analysis so far, `(done, total)`, when its pipeline files are stale.
    pub loading_progress: Option<(usize, usize)>,
    /// Fuzzy matcher (filtering and highlighting).
    pub matcher: Arc<dyn Matcher>,
    /// Filters over at most this many rows run inside `update`; larger ones go to the worker.
    pub inline_search_limit: usize,
    /// Last search generation handed out.
    pub generation: u64,
    /// A one-off notice for the status bar (e.g. the theme just chosen); cleared by the next
    /// action that changes something.
    pub notice: Option<String>,
    /// The sync in flight, drawn as the topmost layer; Esc cancels it.
    pub sync: Option<super::action::SyncProgress>,
}

impl App {
    /// A new explorer on `data`, at the overview.
    pub fn new(data: ExplorerData, themes: Themes, keymap: Keymap, now: DateTime<Utc>) -> Self {
        Self {
            data: Arc::new(data),
            stack: vec![View::Overview {
                list: ListState::default(),
            }],
            overlay: None,
            themes,
            theme: 0,
            no_color: false,
            mono: Theme::monochrome("monochrome"),
            keymap,
            snapshots: Vec::new(),
            now,
            size: (80, 24),
            read_only: false,
            read_only_why: None,
            dirty: true,
            quit: false,
            loading: None,
            loading_progress: None,
            matcher: Arc::new(SkimMatcher::default()),
            inline_search_limit: 5_000,
            generation: 0,
            notice: None,
            sync: None,
        }
    }

    /// The theme to draw with (monochrome under `NO_COLOR`).
    pub fn theme(&self) -> &Theme {
        if self.no_color {
            return &self.mono;
        }
        self.themes.all.get(self.theme).unwrap_or(&self.mono)
    }

    /// The topmost view.
    pub fn top(&self) -> &View {
        // The stack is never empty: `update` never pops the overview.
        &self.stack[self.stack.len() - 1]
    }

    /// The topmost view, mutably.
    pub fn top_mut(&mut self) -> &mut View {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// True while the user types a filter (keys go to the filter, not the keymap).
    pub fn editing_filter(&self) -> bool {
        self.overlay.is_none() && matches!(self.top(), View::Repos(r) if r.editing)
    }
}

/// The stale threshold: a snapshot older than this is flagged.
pub const STALE_DAYS: i64 = 7;

/// Days since the snapshot was taken, when that is more than [`STALE_DAYS`].
pub fn stale_days(data: &ExplorerData, now: DateTime<Utc>) -> Option<i64> {
    let age = now.signed_duration_since(data.snapshot.taken_at);
    (age > chrono::Duration::days(STALE_DAYS)).then_some(age.num_days())
}
