//! `posture sync github`: run the collector, show its progress events, save the snapshot
//! atomically at the end. A failed or cancelled sync leaves every cached snapshot as it was.

use std::path::PathBuf;

use crate::cli::SyncGithubArgs;
use crate::collect::api::ApiBase;
use crate::collect::github::{SyncOptions, sync};
use crate::collect::progress::Progress;
use crate::collect::token::github_token;
use crate::exit::{CmdResult, ExitError};
use crate::model::Snapshot;
use crate::store::Store;

use super::sync_progress::{run_sync, save_synced};

/// Default requests in flight.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Everything a GitHub sync needs, checked: the options (token found, API URL parsed, the base
/// snapshot loaded for a `--repo` refresh) and the cache they save into. The TUI's sync key
/// calls this, then [`sync_github_and_save`] on its runtime with its own progress channel.
pub fn github_options(
    org: &str,
    repos: &[String],
    api_url: Option<&str>,
    concurrency: Option<usize>,
) -> Result<(SyncOptions, Store), ExitError> {
    let api = ApiBase::parse(api_url).map_err(ExitError::input)?;
    if org.trim().is_empty() || org.contains('/') {
        return Err(ExitError::input(format!(
            "--org {org:?} is not an organisation login"
        )));
    }
    let concurrency = concurrency.unwrap_or(DEFAULT_CONCURRENCY);
    if concurrency == 0 || concurrency > 64 {
        return Err(ExitError::input("--concurrency must be between 1 and 64"));
    }
    let store = Store::open()?;
    let base = if repos.is_empty() {
        None
    } else {
        let newest = store.newest(Some(org))?.ok_or_else(|| {
            ExitError::input(format!(
                "no cached snapshot of {org} to refresh; run `posture sync github --org {org}` first"
            ))
        })?;
        Some(crate::store::load(&newest.path)?)
    };
    let token = github_token().ok_or_else(|| {
        ExitError::remote(
            "no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`",
        )
    })?;
    let options = SyncOptions {
        org: org.to_owned(),
        repos: repos.to_vec(),
        api,
        concurrency,
        token,
        cache_dir: Some(store.dir().to_path_buf()),
        base,
        release_patterns: crate::config::load()?.release_patterns,
    };
    Ok((options, store))
}

/// Run a GitHub sync and save the snapshot (atomically, only at the end). Exit-3 errors say
/// that the previous snapshot is unchanged.
pub async fn sync_github_and_save(
    options: SyncOptions,
    progress: Progress,
    store: &Store,
) -> Result<(PathBuf, Snapshot), ExitError> {
    super::sync_progress::test_panic_point(&options);
    let name = options.org.clone();
    let saved = save_synced(&name, sync(options, progress).await, store)?;
    // The host this machine synced from: the only one the explorer's sync key will use for
    // this org. Not recording it only means the explorer asks for a command-line sync.
    let _ = store.record_host(
        crate::model::Provider::Github,
        &saved.1.org,
        &saved.1.api_host,
    );
    Ok(saved)
}

/// Run `posture sync github`.
pub fn run_github(args: &SyncGithubArgs) -> CmdResult {
    let (options, store) = github_options(
        &args.org,
        &args.repos,
        args.api_url.as_deref(),
        args.common.concurrency,
    )?;
    run_sync(
        &args.common,
        "repositories",
        "repos",
        |progress| async move { sync_github_and_save(options, progress, &store).await },
    )
}
