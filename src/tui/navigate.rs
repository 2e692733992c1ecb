//! Moving the selection and keeping it visible: the list lengths and heights of each view.

use super::app::{App, Overlay, View};
use super::layout::{self, RepoRow};

/// Rows in the topmost view's list region.
pub(super) fn list_height(app: &App) -> usize {
    let body = layout::areas(layout::screen(app.size)).body;
    usize::from(layout::list_rect(app.top(), body).height)
}

/// Number of selectable positions in a view.
pub(super) fn list_len(app: &App, view: &View) -> usize {
    let data = &app.data;
    match view {
        View::Overview { .. } => data.assessment.rollout.len() + data.assessment.catalog.org.len(),
        View::Repos(r) => r.rows.len(),
        View::Repo { .. } => layout::repo_rows(data).len(),
        View::ByControl { .. } => data.assessment.catalog.repo.len(),
        View::ControlRepos { rows, .. } => rows.len(),
        View::Snapshots { .. } => app.snapshots.len(),
        View::Control { .. } => 0,
    }
}

/// Move the topmost view's selection (or scroll text) by `delta`.
pub(super) fn move_selection(app: &mut App, delta: isize) -> bool {
    if let Some(Overlay::Help { scroll }) = &mut app.overlay {
        let before = *scroll;
        *scroll = (i32::from(*scroll) + delta as i32).clamp(0, 200) as u16;
        return *scroll != before;
    }
    if app.overlay.is_some() {
        return false;
    }
    let len = list_len(app, app.top());
    let height = list_height(app);
    let repo_rows = matches!(app.top(), View::Repo { .. }).then(|| layout::repo_rows(&app.data));
    match app.top_mut() {
        View::Control { scroll, .. } => {
            let before = *scroll;
            *scroll = (i32::from(*scroll) + delta as i32).clamp(0, 500) as u16;
            *scroll != before
        }
        View::Repo { list, .. } => {
            let rows = repo_rows.unwrap_or_default();
            let before = *list;
            let last = rows.len() as isize - 1;
            let is_control = |i: isize| matches!(rows.get(i as usize), Some(RepoRow::Control(_)));
            let mut target = (list.selected as isize)
                .saturating_add(delta)
                .clamp(0, last.max(0));
            // Skip band headings in the direction of travel; at an end, turn back.
            let step = if delta < 0 { -1 } else { 1 };
            while (0..=last).contains(&target) && !is_control(target) {
                target += step;
            }
            if !(0..=last).contains(&target) {
                target = (list.selected as isize)
                    .saturating_add(delta)
                    .clamp(0, last.max(0));
                while (0..=last).contains(&target) && !is_control(target) {
                    target -= step;
                }
            }
            if !is_control(target) {
                target = list.selected as isize;
            }
            list.selected = target as usize;
            list.follow(rows.len(), height);
            // Keep the heading above the first control visible.
            if list.selected == 1 {
                list.offset = 0;
            }
            *list != before
        }
        View::Overview { list }
        | View::ByControl { list }
        | View::ControlRepos { list, .. }
        | View::Snapshots { list } => {
            let before = *list;
            list.move_by(delta, len, height);
            *list != before
        }
        View::Repos(r) => {
            let before = r.list;
            r.list.move_by(delta, len, height);
            r.list != before
        }
    }
}

/// Re-clamp the selection after the list or the screen changed.
pub(super) fn refollow(app: &mut App) {
    let len = list_len(app, app.top());
    let height = list_height(app);
    match app.top_mut() {
        View::Overview { list }
        | View::ByControl { list }
        | View::ControlRepos { list, .. }
        | View::Snapshots { list }
        | View::Repo { list, .. } => list.follow(len, height),
        View::Repos(r) => r.list.follow(len, height),
        View::Control { .. } => {}
    }
}
