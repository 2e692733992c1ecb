//! Where things go on screen. Shared by drawing and by `update` (scrolling needs the list
//! height, a click needs to know which row it hit), so the two can never disagree.

use ratatui::layout::Rect;

use super::app::View;
use super::data::ExplorerData;
use crate::controls::Band;

/// The smallest terminal the explorer lays out; below it a notice is drawn instead.
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;

/// The screen's fixed regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Title bar: provider, org, snapshot time, badges.
    pub title: Rect,
    /// Breadcrumbs and where the snapshot came from.
    pub crumbs: Rect,
    /// The view.
    pub body: Rect,
    /// Key hints, filter input or progress.
    pub status: Rect,
}

/// Split the screen.
pub fn areas(area: Rect) -> Areas {
    let h = area.height;
    let row = |y: u16, height: u16| Rect::new(area.x, area.y + y, area.width, height);
    Areas {
        title: row(0, h.min(1)),
        crumbs: row(1.min(h), h.saturating_sub(1).min(1)),
        body: row(2.min(h), h.saturating_sub(3)),
        status: row(h.saturating_sub(1), h.min(1)),
    }
}

/// The screen of a terminal of `size` (columns, rows).
pub fn screen(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// Rows above a view's list inside the body (summaries, column titles).
fn list_header_rows(view: &View) -> u16 {
    match view {
        View::Repos(_) | View::Repo { .. } | View::ControlRepos { .. } => 2,
        View::ByControl { .. } | View::Snapshots { .. } => 1,
        View::Overview { .. } | View::Control { .. } => 0,
    }
}

/// The rows region of a view's list.
pub fn list_rect(view: &View, body: Rect) -> Rect {
    let skip = list_header_rows(view).min(body.height);
    Rect::new(body.x, body.y + skip, body.width, body.height - skip)
}

/// The overview's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverviewLayout {
    /// Per-band bars (heading + one row per band).
    pub bands: Rect,
    /// Rollout steps (heading + two rows per step).
    pub rollout: Rect,
    /// Org controls (heading + one row each).
    pub org: Rect,
}

/// Lay out the overview in `body`; a blank row separates sections when there is room.
pub fn overview(body: Rect, steps: usize, org_controls: usize) -> OverviewLayout {
    let bands_h = 1 + Band::ALL.len() as u16;
    let rollout_h = 1 + 2 * steps as u16;
    let org_h = 1 + org_controls as u16;
    let needed = bands_h + rollout_h + org_h;
    let gap = u16::from(body.height >= needed + 2);
    let mut y = body.y;
    let mut take = |h: u16| {
        let top = y.min(body.y + body.height);
        let bottom = (y + h).min(body.y + body.height);
        y = bottom + gap;
        Rect::new(body.x, top, body.width, bottom - top)
    };
    OverviewLayout {
        bands: take(bands_h),
        rollout: take(rollout_h),
        org: take(org_h),
    }
}

/// The overview item (rollout steps first, then org controls) drawn at screen row `row`.
pub fn overview_item_at(
    layout: &OverviewLayout,
    steps: usize,
    orgs: usize,
    row: u16,
) -> Option<usize> {
    let r = layout.rollout;
    if row > r.y && row < r.y + r.height {
        let i = usize::from((row - r.y - 1) / 2);
        return (i < steps).then_some(i);
    }
    let o = layout.org;
    if row > o.y && row < o.y + o.height {
        let j = usize::from(row - o.y - 1);
        return (j < orgs).then_some(steps + j);
    }
    None
}

/// A row of the repository view: a band heading or a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepoRow {
    /// Band heading.
    Heading(Band),
    /// Repository control (index into `catalog.repo`).
    Control(usize),
}

/// The repository view's rows: each band's heading followed by its controls.
pub fn repo_rows(data: &ExplorerData) -> Vec<RepoRow> {
    let catalog = &data.assessment.catalog.repo;
    let mut rows = Vec::with_capacity(catalog.len() + Band::ALL.len());
    let mut current = None;
    for idx in data.controls_by_band() {
        let band = catalog[idx].band;
        if current != Some(band) {
            rows.push(RepoRow::Heading(band));
            current = Some(band);
        }
        rows.push(RepoRow::Control(idx));
    }
    rows
}
