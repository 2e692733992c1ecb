//! The explorer's sync key: the same sync and save as `posture sync github|gitlab`, on its
//! own runtime, with progress events turned into what the sync overlay shows.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use crate::assess::Registry;
use crate::collect::progress::{Event, Progress};
use crate::config::Settings;
use crate::model::{Provider, Snapshot};
use crate::open::{Origin, open_snapshot};
use crate::tui::action::SyncProgress;
use crate::tui::data::ExplorerData;
use crate::tui::effects::SyncRequest;
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
        Event::Finished { repos, .. } => state.phase = format!("saving {repos} read"),
        Event::Request(_) => return false,
    }
    true
}

/// The public API of each platform: syncing there needs no recorded host.
const PUBLIC_HOSTS: [(Provider, &str); 2] = [
    (Provider::Github, "https://api.github.com"),
    (Provider::Gitlab, "https://gitlab.com/api/v4"),
];

/// Where the sync key may send the token for `request`: the host this machine's own sync of
/// the org recorded in the cache, or the platform's public API (`None`) when the snapshot names
/// it. Never the snapshot's `api_host` as such: a snapshot file is data anyone can write.
pub fn trusted_host(
    store: Option<&crate::store::Store>,
    request: &SyncRequest,
) -> Result<Option<String>, String> {
    let recorded = store.and_then(|store| store.recorded_host(request.provider, &request.org));
    if let Some(host) = recorded {
        return Ok(Some(host));
    }
    let public = PUBLIC_HOSTS
        .iter()
        .any(|(p, host)| *p == request.provider && request.api_host.trim_end_matches('/') == *host);
    if public {
        return Ok(None);
    }
    let (command, flag) = match request.provider {
        Provider::Github => (format!("sync github --org {}", request.org), "--api-url"),
        Provider::Gitlab => (format!("sync gitlab --group {}", request.org), "--url"),
    };
    Err(format!(
        "this machine has never synced {} from {}; posture sends the token only to a host you \
         named on the command line: run `posture {command} {flag} URL` once",
        crate::report::strip_controls(&request.org),
        crate::report::strip_controls(&crate::collect::url::redact_userinfo(&request.api_host)),
    ))
}

/// A sync that saves its snapshot: GitHub's or GitLab's, chosen by the explored snapshot.
/// It runs under `block_on` on the explorer's sync thread, so it need not be `Send`.
type SyncJob = Pin<Box<dyn Future<Output = Result<(PathBuf, Snapshot), crate::exit::ExitError>>>>;

/// The syncer the explorer runs when the sync key is pressed: the same sync and save as
/// `posture sync github|gitlab` for the org or group being explored, against the host
/// [`trusted_host`] allows.
/// The synced snapshot is judged with `registry`, the controls the explorer opened with
/// (built-in and the config dir's Rego policies).
pub fn syncer(settings: Settings, registry: Arc<Registry>) -> Syncer {
    Arc::new(move |request, progress: ProgressFn, cancel| {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let events = Progress::to(tx);
        let job: SyncJob = match request.provider {
            Provider::Github => {
                let host = trusted_host(crate::store::Store::open().ok().as_ref(), &request)?;
                let (options, store) =
                    crate::commands::sync::github_options(&request.org, &[], host.as_deref(), None)
                        .map_err(|e| e.message)?;
                Box::pin(async move {
                    crate::commands::sync::sync_github_and_save(options, events, &store).await
                })
            }
            Provider::Gitlab => {
                let host = trusted_host(crate::store::Store::open().ok().as_ref(), &request)?;
                let (options, store) = crate::commands::sync_gitlab::gitlab_options(
                    &request.org,
                    &[],
                    host.as_deref(),
                    None,
                )
                .map_err(|e| e.message)?;
                Box::pin(async move {
                    crate::commands::sync_gitlab::sync_gitlab_and_save(options, events, &store)
                        .await
                })
            }
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        let outcome = runtime.block_on(async move {
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
                result = job => Some(result),
                _ = cancel => None,
            };
            let _ = forward.await;
            outcome
        });
        match outcome {
            None => Err("sync cancelled; the previous snapshot is unchanged".to_owned()),
            Some(Err(e)) => Err(e.message),
            Some(Ok((path, snapshot))) => {
                let opened =
                    open_snapshot(snapshot, Origin::Cache(path), settings.clone(), &registry)
                        .map_err(|e| e.to_string())?;
                Ok(ExplorerData::from_opened(opened, false))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_only_to_a_recorded_or_public_host() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::at(dir.path());
        let request = |provider, api_host: &str| SyncRequest {
            provider,
            org: "acme".into(),
            api_host: api_host.into(),
        };
        // A snapshot naming some other host: refused, saying how to sync instead.
        let crafted = request(Provider::Github, "http://127.0.0.1:18081");
        let refused = trusted_host(Some(&store), &crafted).unwrap_err();
        assert!(
            refused.contains("posture sync github --org acme --api-url URL"),
            "{refused}"
        );
        assert_eq!(trusted_host(None, &crafted).map_err(|_| ()), Err(()));
        // The public APIs need no record.
        assert_eq!(
            trusted_host(
                Some(&store),
                &request(Provider::Github, "https://api.github.com")
            ),
            Ok(None)
        );
        assert_eq!(
            trusted_host(
                Some(&store),
                &request(Provider::Gitlab, "https://gitlab.com/api/v4/")
            ),
            Ok(None)
        );
        // Once this machine synced acme from its GHES, that host wins over any file's.
        store
            .record_host(Provider::Github, "acme", "https://ghe.example/api/v3")
            .unwrap();
        assert_eq!(
            trusted_host(Some(&store), &crafted),
            Ok(Some("https://ghe.example/api/v3".to_owned()))
        );
        assert_eq!(
            trusted_host(
                Some(&store),
                &request(Provider::Github, "https://api.github.com")
            ),
            Ok(Some("https://ghe.example/api/v3".to_owned()))
        );
    }

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
