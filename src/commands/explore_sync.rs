//! The explorer's sync key: the same GitHub sync and save as `posture sync github`, on its
//! own runtime, with progress events turned into what the sync overlay shows.

use std::sync::Arc;

use crate::collect::progress::{Event, Progress};
use crate::config::Settings;
use crate::model::Provider;
use crate::open::{Origin, open_snapshot};
use crate::tui::action::SyncProgress;
use crate::tui::data::Data;
use crate::tui::{ProgressFn, Syncer};

/// Fold one progress event into the overlay's state; false when nothing visible changed.
pub fn apply(state: &mut SyncProgress, event: Event) -> bool {
    match event {
        Event::Phase(phase) => state.phase = phase,
        Event::Total(total) => state.total = total,
        Event::RepoDone { name, done, total } => {
            state.last = name;
            state.done = done;
            state.total = total;
        }
        Event::Paused { reason, until } => {
            state.phase = format!("paused until {}: {reason}", until.format("%H:%M:%S UTC"));
        }
        Event::Retry {
            request, reason, ..
        } => state.last = format!("retrying {request}: {reason}"),
        Event::Warning(warning) => {
            state.warnings.push(warning);
            if state.warnings.len() > 3 {
                state.warnings.remove(0);
            }
        }
        Event::Finished { repos, .. } => state.phase = format!("saving {repos} repositories"),
        Event::Request(_) => return false,
    }
    true
}

/// The syncer the explorer runs when `r` is pressed.
pub fn syncer(settings: Settings) -> Syncer {
    Arc::new(move |request, progress: ProgressFn, cancel| {
        if request.provider != Provider::Github {
            return Err(format!(
                "syncing a GitLab group from the explorer is not available yet; run `posture sync gitlab --group {}`",
                crate::report::strip_controls(&request.org)
            ));
        }
        let (options, store) =
            crate::commands::sync::github_options(&request.org, &[], Some(&request.api_host), None)
                .map_err(|e| e.message)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        let outcome = runtime.block_on(async move {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let forward = tokio::spawn(async move {
                let mut state = SyncProgress {
                    phase: "starting".to_owned(),
                    ..SyncProgress::default()
                };
                while let Some(event) = rx.recv().await {
                    if apply(&mut state, event) {
                        progress(state.clone());
                    }
                }
            });
            let outcome = tokio::select! {
                result = crate::commands::sync::sync_github_and_save(options, Progress::to(tx), &store) => Some(result),
                _ = cancel => None,
            };
            let _ = forward.await;
            outcome
        });
        match outcome {
            None => Err("sync cancelled; the previous snapshot is unchanged".to_owned()),
            Some(Err(e)) => Err(e.message),
            Some(Ok((path, snapshot))) => Ok(Data::from_opened(
                open_snapshot(snapshot, Origin::Cache(path), settings.clone()),
                false,
            )),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_events_fold_into_the_overlay_state() {
        let mut state = SyncProgress::default();
        assert!(apply(
            &mut state,
            Event::Phase("listing repositories".into())
        ));
        assert!(apply(&mut state, Event::Total(3)));
        assert!(apply(
            &mut state,
            Event::RepoDone {
                name: "acme/api".into(),
                done: 1,
                total: 3
            }
        ));
        for i in 0..5 {
            apply(&mut state, Event::Warning(format!("w{i}")));
        }
        assert_eq!(state.phase, "listing repositories");
        assert_eq!((state.done, state.total), (1, 3));
        assert_eq!(state.last, "acme/api");
        assert_eq!(state.warnings, ["w2", "w3", "w4"]);
    }
}
