//! `posture sync github`: run the collector, show its progress events, save the snapshot
//! atomically at the end. A failed or cancelled sync leaves every cached snapshot as it was.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use tokio::sync::mpsc;

use crate::cli::SyncGithubArgs;
use crate::collect::api::ApiBase;
use crate::collect::github::{SyncOptions, sync};
use crate::collect::progress::{Event, Progress};
use crate::collect::token::github_token;
use crate::exit::{CmdResult, ExitError, OK};
use crate::model::Snapshot;
use crate::store::Store;

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

#[derive(Debug, Clone, Copy)]
struct Style {
    quiet: bool,
    verbose: bool,
    tty: bool,
}

/// Print progress: one updating line on a terminal, plain lines otherwise, nothing when quiet
/// (verbose request lines are printed even when quiet: the user asked for them).
async fn print_events(mut rx: mpsc::UnboundedReceiver<Event>, style: Style) {
    let started = Instant::now();
    let mut line = Line::default();
    let mut last_decile = 0;
    while let Some(event) = rx.recv().await {
        let mut err = std::io::stderr().lock();
        if let Event::Request(log) = &event
            && style.verbose
        {
            line.clear(&mut err, style.tty);
            let status = log.status.map_or("---".to_owned(), |s| s.to_string());
            let remaining = log
                .remaining
                .map_or(String::new(), |r| format!(" remaining={r}"));
            let _ = writeln!(
                err,
                "{} {} {status} {}ms{remaining}",
                log.method, log.path, log.ms
            );
        }
        if style.quiet {
            continue;
        }
        match event {
            Event::Request(log) => {
                line.requests += 1;
                if log.remaining.is_some() {
                    line.remaining = log.remaining;
                }
            }
            Event::Total(total) => line.total = total,
            Event::RepoDone { done, total, .. } => {
                line.done = done;
                line.total = total;
                if !style.tty && total > 0 {
                    let decile = done * 10 / total;
                    if decile > last_decile {
                        last_decile = decile;
                        let _ = writeln!(err, "{}", line.text(started));
                    }
                }
            }
            Event::Phase(phase) => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(err, "{phase}…");
            }
            Event::Paused { reason, until } => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(
                    err,
                    "paused until {}: {reason}",
                    until.format("%H:%M:%S UTC")
                );
            }
            Event::Retry {
                request,
                attempt,
                reason,
            } => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(err, "retry {attempt} of {request}: {reason}");
            }
            Event::Warning(text) => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(err, "warning: {text}");
            }
            Event::Finished {
                repos,
                requests,
                not_modified,
            } => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(
                    err,
                    "read {repos} repositories with {requests} requests ({not_modified} answered 304 Not Modified) in {:.1}s",
                    started.elapsed().as_secs_f64()
                );
                continue;
            }
        }
        if style.tty {
            let _ = write!(err, "\r\x1b[2K{}", line.text(started));
            let _ = err.flush();
            line.shown = true;
        }
    }
    if style.tty && line.shown {
        let _ = writeln!(std::io::stderr());
    }
}

#[derive(Debug, Default)]
struct Line {
    done: usize,
    total: usize,
    requests: u64,
    remaining: Option<u64>,
    shown: bool,
}

impl Line {
    fn text(&self, started: Instant) -> String {
        let elapsed = started.elapsed().as_secs_f64();
        let eta = if self.done > 0 && self.total > self.done {
            let left = elapsed / self.done as f64 * (self.total - self.done) as f64;
            format!(" · ETA {}s", left.ceil() as u64)
        } else {
            String::new()
        };
        let remaining = self
            .remaining
            .map_or(String::new(), |r| format!(" · rate limit {r} left"));
        format!(
            "repos {}/{} · {} requests{remaining}{eta}",
            self.done, self.total, self.requests
        )
    }

    fn clear(&mut self, err: &mut impl Write, tty: bool) {
        if tty && self.shown {
            let _ = write!(err, "\r\x1b[2K");
            self.shown = false;
        }
    }
}
