//! `posture sync gitlab`: run the GitLab collector, show its progress events as the GitHub sync
//! does, save the snapshot atomically at the end. A failed or cancelled sync leaves every
//! cached snapshot as it was.

use std::path::PathBuf;

use crate::cli::SyncGitlabArgs;
use crate::collect::gitlab::http::GitlabBase;
use crate::collect::gitlab::{SyncOptions, gitlab_token, sync};
use crate::collect::progress::Progress;
use crate::exit::{CmdResult, ExitError};
use crate::model::Snapshot;
use crate::store::Store;

use super::sync_progress::{run_sync, save_synced};

use super::sync::DEFAULT_CONCURRENCY;

/// Validate the arguments of a GitLab sync and gather what it needs: the options (token from
/// `GITLAB_TOKEN`, release patterns from the config, the base snapshot of a `--project`
/// refresh) and the store it saves into. `url` may be a snapshot's `api_host`
/// (`https://HOST/api/v4`), so the explorer can re-sync what it shows.
pub fn gitlab_options(
    group: &str,
    projects: &[String],
    url: Option<&str>,
    concurrency: Option<usize>,
) -> Result<(SyncOptions, Store), ExitError> {
    let base_url = GitlabBase::parse(url).map_err(ExitError::input)?;
    let group = group.trim().trim_matches('/').to_owned();
    if group.is_empty() || group.contains(char::is_whitespace) || group.contains("//") {
        return Err(ExitError::input(format!(
            "--group {group:?} is not a group path (e.g. acme or acme/platform)"
        )));
    }
    let concurrency = concurrency.unwrap_or(DEFAULT_CONCURRENCY);
    if concurrency == 0 || concurrency > 64 {
        return Err(ExitError::input("--concurrency must be between 1 and 64"));
    }
    let settings = crate::config::load()?;
    let store = Store::open()?;
    let base = if projects.is_empty() {
        None
    } else {
        let newest = store.newest(Some(&group))?.ok_or_else(|| {
            ExitError::input(format!(
                "no cached snapshot of {group} to refresh; run `posture sync gitlab --group {group}` first"
            ))
        })?;
        Some(crate::store::load(&newest.path)?)
    };
    let token = gitlab_token().ok_or_else(|| {
        ExitError::remote("no GitLab token: set GITLAB_TOKEN (a token with the read_api scope)")
    })?;
    let options = SyncOptions {
        group,
        projects: projects.to_vec(),
        base_url,
        concurrency,
        token,
        cache_dir: Some(store.dir().to_path_buf()),
        base,
        release_patterns: settings.release_patterns.clone(),
    };
    Ok((options, store))
}

/// Run a GitLab sync and save the snapshot (atomically, only at the end). Exit-3 errors say
/// that the previous snapshot is unchanged.
pub async fn sync_gitlab_and_save(
    options: SyncOptions,
    progress: Progress,
    store: &Store,
) -> Result<(PathBuf, Snapshot), ExitError> {
    super::sync_progress::test_panic_point(&options);
    let name = options.group.clone();
    let saved = save_synced(&name, sync(options, progress).await, store)?;
    // The host this machine synced from: the only one the explorer's sync key will use for
    // this org. Not recording it only means the explorer asks for a command-line sync.
    let _ = store.record_host(
        crate::model::Provider::Gitlab,
        &saved.1.org,
        &saved.1.api_host,
    );
    Ok(saved)
}

/// Run `posture sync gitlab`.
pub fn run_gitlab(args: &SyncGitlabArgs) -> CmdResult {
    let (options, store) = gitlab_options(
        &args.group,
        &args.projects,
        args.url.as_deref(),
        args.common.concurrency,
    )?;
    run_sync(
        &args.common,
        "projects",
        "projects",
        |progress| async move { sync_gitlab_and_save(options, progress, &store).await },
    )
}
