//! The command-line side of a sync, shared by `sync github` and `sync gitlab`: the runtime,
//! Ctrl-C, saving at the end, and progress on stderr (one updating line on a terminal, plain
//! lines otherwise, nothing when quiet).

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use tokio::sync::mpsc;

use crate::cli::SyncCommon;
use crate::collect::github::SyncError;
use crate::collect::progress::{Event, Progress};
use crate::exit::{CmdResult, ExitError, OK};
use crate::model::Snapshot;
use crate::report::strip_controls;
use crate::store::Store;

/// Debug builds only: panic when `POSTURE_TEST_PANIC=sync`, showing the sync's options as a
/// careless panic message would (the token's `Debug` is redacted), so tests can prove that a
/// panicking sync leaks no token and, in the explorer, is reported as a failed sync.
pub(crate) fn test_panic_point(options: &dyn std::fmt::Debug) {
    if cfg!(debug_assertions) && std::env::var("POSTURE_TEST_PANIC").as_deref() == Ok("sync") {
        panic!("test panic requested by POSTURE_TEST_PANIC=sync; options: {options:?}");
    }
}

/// Save a finished sync of `name` (atomically); every error says the previous snapshot is
/// unchanged, and is a remote error (exit 3).
pub(crate) fn save_synced(
    name: &str,
    synced: Result<Snapshot, SyncError>,
    store: &Store,
) -> Result<(PathBuf, Snapshot), ExitError> {
    let snapshot = synced.map_err(|err| {
        ExitError::remote(format!(
            "sync of {name} failed: {err}; the previous snapshot is unchanged"
        ))
    })?;
    let path = store
        .save(&snapshot)
        .map_err(|e| ExitError::remote(e.to_string()))?;
    Ok((path, snapshot))
}

/// Run a sync-and-save `job` on its own runtime with progress on stderr as `common` asks;
/// Ctrl-C cancels it (nothing is saved). Says where the snapshot went and what the token
/// could not see, unless quiet.
pub(crate) fn run_sync<F>(
    common: &SyncCommon,
    units: &'static str,
    units_short: &'static str,
    job: impl FnOnce(Progress) -> F,
) -> CmdResult
where
    F: Future<Output = Result<(PathBuf, Snapshot), ExitError>>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ExitError::remote(format!("cannot start the async runtime: {e}")))?;
    let style = Style {
        quiet: common.quiet,
        verbose: common.verbose,
        tty: std::io::stderr().is_terminal() && !common.quiet,
        units,
        units_short,
    };
    let result = runtime.block_on(async {
        let (tx, rx) = mpsc::unbounded_channel();
        let printer = tokio::spawn(print_events(rx, style));
        let outcome = tokio::select! {
            result = job(Progress::to(tx)) => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        };
        let _ = printer.await;
        outcome
    });
    let Some(result) = result else {
        return Err(ExitError::remote(
            "sync cancelled; the previous snapshot is unchanged",
        ));
    };
    let (path, snapshot) = result?;
    if !style.quiet {
        eprintln!(
            "saved {} {units} of {} to {}",
            snapshot.repos.len(),
            strip_controls(&snapshot.org),
            path.display()
        );
        for line in &snapshot.token.cannot_see {
            eprintln!("  the token cannot see: {}", strip_controls(line));
        }
    }
    Ok(OK)
}

/// How progress is shown, and what the synced things are called.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// No progress lines (verbose request lines still print).
    pub quiet: bool,
    /// One line per request.
    pub verbose: bool,
    /// stderr is a terminal: one updating line instead of plain lines.
    pub tty: bool,
    /// What a synced unit is called, plural: `repositories` or `projects`.
    pub units: &'static str,
    /// Short plural for the progress line: `repos` or `projects`.
    pub units_short: &'static str,
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
                log.method,
                strip_controls(&log.path),
                log.ms
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
                        let _ = writeln!(err, "{}", line.text(started, style.units_short));
                    }
                }
            }
            Event::Phase(phase) => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(err, "{}…", strip_controls(&phase));
            }
            Event::Paused { reason, until } => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(
                    err,
                    "paused until {}: {}",
                    until.format("%H:%M:%S UTC"),
                    strip_controls(&reason)
                );
            }
            Event::Retry {
                request,
                attempt,
                reason,
            } => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(
                    err,
                    "retry {attempt} of {}: {}",
                    strip_controls(&request),
                    strip_controls(&reason)
                );
            }
            Event::Warning(text) => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(err, "warning: {}", strip_controls(&text));
            }
            Event::Finished {
                repos,
                requests,
                not_modified,
            } => {
                line.clear(&mut err, style.tty);
                let _ = writeln!(
                    err,
                    "read {repos} {} with {requests} requests ({not_modified} answered 304 Not Modified) in {:.1}s",
                    style.units,
                    started.elapsed().as_secs_f64()
                );
                continue;
            }
        }
        if style.tty {
            let _ = write!(err, "\r\x1b[2K{}", line.text(started, style.units_short));
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
    fn text(&self, started: Instant, units: &str) -> String {
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
            "{units} {}/{} · {} requests{remaining}{eta}",
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
