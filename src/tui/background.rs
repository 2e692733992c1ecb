//! Background work as `update` sees it: search answers, snapshots opened, syncs started,
//! progressing and finished. Pure state changes; the work itself runs in the loop.

use std::sync::Arc;

use super::action::SyncProgress;
use super::app::{App, ListState, Overlay, View};
use super::data::{ExplorerData, SnapshotEntry};
use super::effects::{Effect, SyncRequest};
use super::navigate::refollow;
use super::search::SearchDone;

/// A search answered: shown only when it answers the query in flight (stale ones dropped).
pub(super) fn search_done(app: &mut App, done: SearchDone) -> bool {
    let mut applied = false;
    if let View::Repos(r) = app.top_mut()
        && r.pending == Some(done.generation)
        && r.query == done.query
    {
        r.rows = done.rows;
        r.rows_query = done.query;
        r.pending = None;
        applied = true;
    }
    if applied {
        refollow(app);
    }
    applied
}

/// Open new data at its overview.
fn replace_data(app: &mut App, data: ExplorerData) {
    app.data = Arc::new(data);
    app.stack = vec![View::Overview {
        list: ListState::default(),
    }];
    app.overlay = None;
}

/// The snapshot being opened re-analysed more of its pipeline files: the status bar counts.
pub(super) fn load_progress(app: &mut App, done: usize, total: usize) -> bool {
    if app.loading.is_none() {
        return false;
    }
    app.loading_progress = Some((done, total));
    true
}

/// A snapshot chosen in the Snapshots view finished opening (or failed).
pub(super) fn loaded(app: &mut App, result: Result<Box<ExplorerData>, String>) -> bool {
    app.loading = None;
    app.loading_progress = None;
    match result {
        Ok(data) => replace_data(app, *data),
        Err(message) => {
            app.overlay = Some(Overlay::Message {
                title: "Could not open the snapshot".to_owned(),
                lines: vec![message],
            });
        }
    }
    true
}

/// `r`: sync the org being explored, unless read-only, the demo, or already syncing.
pub(super) fn start_sync(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    let refuse = if app.read_only {
        Some(match &app.read_only_why {
            Some(why) => format!("read-only: {why}"),
            None => "read-only: sync is not offered".to_owned(),
        })
    } else if app.data.source.demo {
        Some(
            "the embedded demo cannot be synced; `posture sync github --org ORG` syncs a real org"
                .to_owned(),
        )
    } else if app.sync.is_some() {
        None
    } else {
        let snapshot = &app.data.snapshot;
        effects.push(Effect::Sync(SyncRequest {
            provider: snapshot.provider,
            org: snapshot.org.clone(),
            api_host: snapshot.api_host.clone(),
        }));
        app.sync = Some(SyncProgress {
            phase: "starting".to_owned(),
            ..Default::default()
        });
        return true;
    };
    app.notice = refuse;
    app.notice.is_some()
}

/// Progress of the sync in flight; dropped after a cancel.
pub(super) fn sync_progress(app: &mut App, progress: SyncProgress) -> bool {
    match &mut app.sync {
        Some(current) => {
            *current = progress;
            true
        }
        None => false,
    }
}

/// The sync finished: open the new snapshot and list it, or say why it failed. The answer of
/// a cancelled sync changes nothing.
pub(super) fn sync_done(app: &mut App, result: Result<Box<ExplorerData>, String>) -> bool {
    if app.sync.take().is_none() {
        return false;
    }
    match result {
        Ok(data) => {
            app.notice = Some(format!(
                "synced {} {} of {}",
                data.len(),
                data.unit(),
                data.org
            ));
            if let Some(path) = data.source.path.clone()
                && !app.snapshots.iter().any(|s| s.path == path)
            {
                // The new snapshot is the newest in the cache.
                app.snapshots.insert(
                    0,
                    SnapshotEntry {
                        path,
                        provider: data.snapshot.provider.as_str().to_owned(),
                        org: data.snapshot.org.clone(),
                        taken_at: data.snapshot.taken_at,
                        repos: data.len(),
                    },
                );
            }
            replace_data(app, *data);
        }
        Err(message) => {
            app.overlay = Some(Overlay::Message {
                title: "Sync failed".to_owned(),
                lines: vec![message],
            });
        }
    }
    true
}
