//! `update(state, action) -> effects`: synchronous, no I/O. Every change to the state goes
//! through here, and it marks the state dirty only when something visible changed.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::action::Action;
use super::app::{App, ControlRef, ListState, Overlay, ReposView, SortKey, Subset, View};
use super::background;
use super::effects::Effect;
use super::filter;
use super::keymap::Command;
use super::layout::{self, RepoRow};
use super::navigate::{list_height, list_len, move_selection, refollow};
use super::search::{self, SearchJob};

/// Apply an action; returns the effects the run loop must carry out.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    let notice = app.notice.take();
    let changed = match action {
        Action::Noop => false,
        Action::Command(cmd) => command(app, cmd, &mut effects),
        Action::FilterChar(c) => edit_filter(app, &mut effects, |q| q.push(c)),
        Action::FilterBackspace => edit_filter(app, &mut effects, |q| {
            q.pop();
        }),
        Action::FilterAccept => {
            if let View::Repos(r) = app.top_mut() {
                r.editing = false;
            }
            true
        }
        Action::FilterCancel => clear_filter(app),
        Action::ScrollUp => scroll(app, -3),
        Action::ScrollDown => scroll(app, 3),
        Action::Click { column, row } => click(app, column, row, &mut effects),
        Action::Resize(w, h) => {
            app.size = (w, h);
            refollow(app);
            true
        }
        Action::SearchDone(done) => background::search_done(app, done),
        Action::SyncProgress(progress) => background::sync_progress(app, progress),
        Action::SyncDone(result) => background::sync_done(app, result),
        Action::Loaded(result) => background::loaded(app, result),
        Action::LoadProgress { done, total } => background::load_progress(app, done, total),
    };
    if changed {
        app.dirty = true;
    } else if notice.is_some() && app.notice.is_none() {
        // Nothing changed: the notice stays up.
        app.notice = notice;
    }
    effects
}

fn command(app: &mut App, cmd: Command, effects: &mut Vec<Effect>) -> bool {
    let page = list_height(app).max(1) as isize;
    // An open dialog takes the keys: scrolling, help, back and quit work; others close it.
    let passes = matches!(
        cmd,
        Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::Top
            | Command::Bottom
            | Command::Quit
            | Command::Help
            | Command::Back
    );
    if app.overlay.is_some() && !passes {
        app.overlay = None;
        return true;
    }
    match cmd {
        Command::Quit => {
            app.quit = true;
            effects.push(Effect::Quit);
            false
        }
        Command::Help => {
            app.overlay = match app.overlay {
                Some(Overlay::Help { .. }) => None,
                _ => Some(Overlay::Help { scroll: 0 }),
            };
            true
        }
        Command::Back => back(app, effects),
        Command::Sync => background::start_sync(app, effects),
        Command::Drill => drill(app, effects),
        Command::Up => move_selection(app, -1),
        Command::Down => move_selection(app, 1),
        Command::PageUp => move_selection(app, -page),
        Command::PageDown => move_selection(app, page),
        Command::Top => move_selection(app, -(isize::MAX / 2)),
        Command::Bottom => move_selection(app, isize::MAX / 2),
        Command::Filter => start_filter(app),
        Command::Sort => repos_change(app, effects, |r| r.sort = r.sort.next()),
        Command::BandFilter => repos_change(app, effects, |r| r.band = filter::next_band(r.band)),
        Command::VerdictFilter => repos_change(app, effects, |r| {
            r.verdict = filter::next_verdict(r.verdict)
        }),
        Command::Theme => {
            app.theme = (app.theme + 1) % app.themes.all.len().max(1);
            let name = app
                .themes
                .all
                .get(app.theme)
                .map_or_else(String::new, |t| t.name.clone());
            app.notice = Some(if app.no_color {
                format!("theme: {name} (NO_COLOR is set: drawing without colour)")
            } else {
                format!("theme: {name}")
            });
            true
        }
        Command::Overview => goto(app, None),
        Command::Repos => goto(app, Some(repos_view(app, None))),
        Command::ByControl => goto(
            app,
            Some(View::ByControl {
                list: ListState::default(),
            }),
        ),
        Command::Snapshots => goto(
            app,
            Some(View::Snapshots {
                list: ListState::default(),
            }),
        ),
    }
}

/// Reset the stack to the overview, plus `view` on top of it.
fn goto(app: &mut App, view: Option<View>) -> bool {
    app.overlay = None;
    app.stack.truncate(1);
    if let Some(view) = view {
        app.stack.push(view);
    }
    refollow(app);
    true
}

/// A new repository list (optionally limited to a subset), unfiltered, by rank.
pub fn repos_view(app: &App, subset: Option<Subset>) -> View {
    let mut view = ReposView {
        list: ListState::default(),
        sort: SortKey::Rank,
        band: None,
        verdict: None,
        subset,
        query: String::new(),
        editing: false,
        base: Arc::new(Vec::new()),
        rows: Arc::new(Vec::new()),
        rows_query: String::new(),
        pending: None,
    };
    view.base = Arc::new(filter::base_rows(&app.data, &view));
    view.rows = Arc::clone(&view.base);
    View::Repos(Box::new(view))
}

/// Esc: the topmost layer closes — the sync in flight or a dialog, then the filter, then
/// the view.
fn back(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    if app.sync.take().is_some() {
        effects.push(Effect::CancelSync);
        app.notice = Some("sync cancelled; the snapshot is unchanged".to_owned());
        return true;
    }
    if app.overlay.take().is_some() {
        return true;
    }
    if clear_filter(app) {
        return true;
    }
    if app.stack.len() > 1 {
        app.stack.pop();
        refollow(app);
        return true;
    }
    false
}

/// Clear the repository list's query and band/verdict filters; false when there were none.
fn clear_filter(app: &mut App) -> bool {
    let data = Arc::clone(&app.data);
    let View::Repos(r) = app.top_mut() else {
        return false;
    };
    let had = r.editing || !r.query.is_empty() || r.band.is_some() || r.verdict.is_some();
    if !had {
        return false;
    }
    r.editing = false;
    r.query.clear();
    r.band = None;
    r.verdict = None;
    r.pending = None;
    r.base = Arc::new(filter::base_rows(&data, r));
    r.rows = Arc::clone(&r.base);
    r.rows_query.clear();
    refollow(app);
    true
}

fn start_filter(app: &mut App) -> bool {
    if !matches!(app.top(), View::Repos(_)) {
        let view = repos_view(app, None);
        app.stack.truncate(1);
        app.stack.push(view);
    }
    if let View::Repos(r) = app.top_mut() {
        r.editing = true;
    }
    true
}

fn edit_filter(app: &mut App, effects: &mut Vec<Effect>, edit: impl FnOnce(&mut String)) -> bool {
    let View::Repos(r) = app.top_mut() else {
        return false;
    };
    edit(&mut r.query);
    refilter(app, effects);
    true
}

/// Change sort or band/verdict filters, then rebuild the rows.
fn repos_change(
    app: &mut App,
    effects: &mut Vec<Effect>,
    change: impl FnOnce(&mut ReposView),
) -> bool {
    let data = Arc::clone(&app.data);
    let View::Repos(r) = app.top_mut() else {
        return false;
    };
    change(r);
    r.base = Arc::new(filter::base_rows(&data, r));
    r.rows = Arc::clone(&r.base);
    r.rows_query.clear();
    r.list = ListState::default();
    refilter(app, effects);
    true
}

/// Narrow the rows to the query: inline for small lists, on the worker for large ones.
/// A query extending the one `rows` answers searches only `rows`.
fn refilter(app: &mut App, effects: &mut Vec<Effect>) {
    app.generation += 1;
    let generation = app.generation;
    let limit = app.inline_search_limit;
    let names = Arc::clone(&app.data.names);
    let matcher = Arc::clone(&app.matcher);
    let View::Repos(r) = app.top_mut() else {
        return;
    };
    if r.query.is_empty() {
        r.rows = Arc::clone(&r.base);
        r.rows_query.clear();
        r.pending = None;
    } else {
        let candidates = if r.query.starts_with(r.rows_query.as_str()) {
            Arc::clone(&r.rows)
        } else {
            Arc::clone(&r.base)
        };
        let job = SearchJob {
            generation,
            query: r.query.clone(),
            candidates,
            names,
        };
        if job.candidates.len() <= limit {
            let latest = AtomicU64::new(generation);
            if let Some(done) = search::run(&job, matcher.as_ref(), &latest) {
                r.rows = done.rows;
                r.rows_query = done.query;
            }
            r.pending = None;
        } else {
            r.pending = Some(generation);
            effects.push(Effect::Search(job));
        }
    }
    r.list.selected = 0;
    r.list.offset = 0;
    refollow(app);
}

/// Enter: open the selected item.
fn drill(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    if app.overlay.is_some() {
        return false;
    }
    let data = Arc::clone(&app.data);
    let mut open = None;
    let next = match app.top() {
        View::Overview { list } => {
            let steps = data.assessment.rollout.len();
            if list.selected < steps {
                let step = &data.assessment.rollout[list.selected];
                let rows = step.blocking.iter().map(|&i| i as u32).collect();
                let subset = Subset {
                    label: format!("blocking step {}", step.step),
                    rows: Arc::new(rows),
                };
                Some(repos_view(app, Some(subset)))
            } else if list.selected - steps < data.assessment.catalog.org.len() {
                Some(View::Control {
                    repo: None,
                    control: ControlRef::Org(list.selected - steps),
                    scroll: 0,
                })
            } else {
                None
            }
        }
        View::Repos(r) => r.rows.get(r.list.selected).map(|&repo| View::Repo {
            repo: repo as usize,
            list: ListState {
                selected: 1,
                offset: 0,
            },
        }),
        View::Repo { repo, list } => match layout::repo_rows(&data).get(list.selected) {
            Some(RepoRow::Control(c)) => Some(View::Control {
                repo: Some(*repo),
                control: ControlRef::Repo(*c),
                scroll: 0,
            }),
            _ => None,
        },
        View::ByControl { list } => {
            (list.selected < data.assessment.catalog.repo.len()).then(|| View::ControlRepos {
                control: list.selected,
                rows: Arc::new(data.failing_repos(list.selected)),
                list: ListState::default(),
            })
        }
        View::ControlRepos {
            control,
            rows,
            list,
        } => rows.get(list.selected).map(|&repo| View::Control {
            repo: Some(repo as usize),
            control: ControlRef::Repo(*control),
            scroll: 0,
        }),
        View::Snapshots { list } => {
            open = app.snapshots.get(list.selected).map(|e| e.path.clone());
            None
        }
        View::Control { .. } => None,
    };
    if let Some(path) = open {
        app.loading = Some(path.clone());
        effects.push(Effect::OpenSnapshot(path));
        return true;
    }
    let Some(view) = next else {
        return false;
    };
    if let View::Repos(r) = app.top_mut() {
        r.editing = false;
    }
    app.stack.push(view);
    refollow(app);
    true
}

fn scroll(app: &mut App, delta: isize) -> bool {
    move_selection(app, delta)
}

/// A left click selects the row under it; a click on the selected row opens it.
fn click(app: &mut App, column: u16, row: u16, effects: &mut Vec<Effect>) -> bool {
    if app.overlay.is_some() {
        return false;
    }
    let areas = layout::areas(layout::screen(app.size));
    // A click on a breadcrumb goes back to that view.
    if row == areas.crumbs.y {
        return match super::widgets::breadcrumbs::crumb_at(app, column) {
            Some(depth) if depth + 1 < app.stack.len() => {
                app.stack.truncate(depth + 1);
                refollow(app);
                true
            }
            _ => false,
        };
    }
    let body = areas.body;
    let data = Arc::clone(&app.data);
    let len = list_len(app, app.top());
    let target = match app.top() {
        View::Overview { .. } => {
            let steps = data.assessment.rollout.len();
            let orgs = data.assessment.catalog.org.len();
            let l = layout::overview(body, steps, orgs);
            layout::overview_item_at(&l, steps, orgs, row)
        }
        View::Control { .. } => None,
        view => {
            let rect = layout::list_rect(view, body);
            let offset = match view {
                View::Repos(r) => r.list.offset,
                View::Repo { list, .. }
                | View::ByControl { list }
                | View::ControlRepos { list, .. }
                | View::Snapshots { list } => list.offset,
                _ => 0,
            };
            (row >= rect.y && row < rect.y + rect.height)
                .then(|| offset + usize::from(row - rect.y))
                .filter(|&i| i < len)
        }
    };
    let Some(target) = target else {
        return false;
    };
    if let View::Repo { .. } = app.top()
        && matches!(
            layout::repo_rows(&data).get(target),
            Some(RepoRow::Heading(_))
        )
    {
        return false;
    }
    let list = match app.top_mut() {
        View::Overview { list }
        | View::Repo { list, .. }
        | View::ByControl { list }
        | View::ControlRepos { list, .. }
        | View::Snapshots { list } => list,
        View::Repos(r) => &mut r.list,
        View::Control { .. } => return false,
    };
    if list.selected == target {
        return drill(app, effects);
    }
    list.selected = target;
    true
}
