//! The repository list's rows: subset, band/verdict filters and sort (the fuzzy query is
//! applied on top, by `search`).

use super::app::{ReposView, SortKey};
use super::data::ExplorerData;
use crate::controls::{Band, Status};

/// The next band filter: none, then each band in order, then none again.
pub fn next_band(band: Option<Band>) -> Option<Band> {
    match band {
        None => Some(Band::ALL[0]),
        Some(b) => Band::ALL.get(b.position() + 1).copied(),
    }
}

/// The next verdict filter: any, fail, unknown, pass, any.
pub fn next_verdict(verdict: Option<Status>) -> Option<Status> {
    match verdict {
        None => Some(Status::Fail),
        Some(Status::Fail) => Some(Status::Unknown),
        Some(Status::Unknown) => Some(Status::Pass),
        Some(_) => None,
    }
}

/// Label of the verdict filter.
pub fn verdict_label(verdict: Option<Status>) -> &'static str {
    match verdict {
        None => "any",
        Some(Status::Fail) => "✗ fail",
        Some(Status::Unknown) => "? unknown",
        Some(Status::Pass) => "✓ pass",
        Some(Status::NotApplicable) => "– n/a",
    }
}

/// Does repository `idx` pass the band/verdict filters?
///
/// With a band: its worst verdict in that band is the verdict (any verdict: the band applies).
/// Without a band: `fail` — some control fails; `unknown` — some band is unknown;
/// `pass` — nothing fails and nothing is unknown.
fn keep(data: &ExplorerData, idx: usize, band: Option<Band>, verdict: Option<Status>) -> bool {
    let Some(summary) = data.band_status.get(idx) else {
        return false;
    };
    match (band, verdict) {
        (None, None) => true,
        (Some(b), None) => summary[b.position()] != Status::NotApplicable,
        (Some(b), Some(v)) => summary[b.position()] == v,
        (None, Some(Status::Pass)) => {
            summary.contains(&Status::Pass)
                && summary
                    .iter()
                    .all(|s| matches!(s, Status::Pass | Status::NotApplicable))
        }
        (None, Some(v)) => summary.contains(&v),
    }
}

/// Rows of the list before the fuzzy query: subset (or every repository in rank order),
/// band/verdict filters, then the sort.
pub fn base_rows(data: &ExplorerData, view: &ReposView) -> Vec<u32> {
    let source = match &view.subset {
        Some(subset) => &subset.rows,
        None => &data.rank_order,
    };
    let mut rows: Vec<u32> = if view.band.is_none() && view.verdict.is_none() {
        source.as_ref().clone()
    } else {
        source
            .iter()
            .copied()
            .filter(|&i| keep(data, i as usize, view.band, view.verdict))
            .collect()
    };
    match view.sort {
        SortKey::Rank => {}
        SortKey::Failures => {
            rows.sort_by_key(|&i| std::cmp::Reverse(data.failing.get(i as usize).copied()));
        }
        SortKey::Name => rows.sort_by(|&a, &b| data.names[a as usize].cmp(&data.names[b as usize])),
    }
    rows
}
