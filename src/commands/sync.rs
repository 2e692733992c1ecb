//! `posture sync github`: run the collector, show its progress events, save the snapshot
//! atomically at the end. A failed or cancelled sync leaves every cached snapshot as it was.

use std::io::IsTerminal;
use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::cli::SyncGithubArgs;
use crate::collect::api::ApiBase;
use crate::collect::github::{SyncOptions, sync};
use crate::collect::progress::Progress;
use crate::collect::token::github_token;
use crate::exit::{CmdResult, ExitError, OK};
use crate::model::Snapshot;
use crate::store::Store;

use super::sync_progress::{Style, print_events};

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
    let org = options.org.clone();
    let snapshot = sync(options, progress).await.map_err(|err| {
        ExitError::remote(format!(
            "sync of {org} failed: {err}; the previous snapshot is unchanged"
        ))
    })?;
    let path = store
        .save(&snapshot)
        .map_err(|e| ExitError::remote(e.message))?;
    Ok((path, snapshot))
}

/// Run `posture sync github`.
pub fn run_github(args: &SyncGithubArgs) -> CmdResult {
    let (options, store) = github_options(
        &args.org,
        &args.repos,
        args.api_url.as_deref(),
        args.common.concurrency,
    )?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ExitError::remote(format!("cannot start the async runtime: {e}")))?;
    let quiet = args.common.quiet;
    let verbose = args.common.verbose;
    let tty = std::io::stderr().is_terminal() && !quiet;
    let result = runtime.block_on(async {
        let (tx, rx) = mpsc::unbounded_channel();
        let printer = tokio::spawn(print_events(
            rx,
            Style {
                quiet,
                verbose,
                tty,
                units: "repositories",
                units_short: "repos",
            },
        ));
        let outcome = tokio::select! {
            result = sync_github_and_save(options, Progress::to(tx), &store) => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        };
        let _ = printer.await;
        outcome
    });
    let (path, snapshot) = match result {
        None => {
            return Err(ExitError::remote(
                "sync cancelled; the previous snapshot is unchanged",
            ));
        }
        Some(result) => result?,
    };
    if !quiet {
        eprintln!(
            "saved {} repositories of {} to {}",
            snapshot.repos.len(),
            snapshot.org,
            path.display()
        );
        for line in &snapshot.token.cannot_see {
            eprintln!("  the token cannot see: {line}");
        }
    }
    Ok(OK)
}
