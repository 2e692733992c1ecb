//! Progress of a sync as a stream of events. `collect` never prints: the `sync` command (and
//! later the TUI) consumes these events and decides how to show them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

/// One thing that happened during a sync.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A phase began, e.g. `pre-flight`, `listing repositories`, `reading repositories`.
    Phase(String),
    /// The number of repositories this sync will read.
    Total(usize),
    /// One more repository is fully read.
    RepoDone {
        /// Full name of the repository.
        name: String,
        /// Repositories done so far.
        done: usize,
        /// Repositories to read in all.
        total: usize,
    },
    /// A request was answered (or failed without an answer).
    Request(RequestLog),
    /// Requests are paused because of a rate limit.
    Paused {
        /// Why, e.g. `core rate limit: 3 requests left`.
        reason: String,
        /// When requests resume.
        until: DateTime<Utc>,
    },
    /// A request is retried.
    Retry {
        /// Method and path of the request.
        request: String,
        /// Which retry this is (1-based).
        attempt: u32,
        /// Why, e.g. `502 Bad Gateway` or `truncated body`.
        reason: String,
    },
    /// Something the user should know that does not stop the sync.
    Warning(String),
    /// The sync finished (the snapshot is about to be saved).
    Finished {
        /// Repositories in the snapshot.
        repos: usize,
        /// Requests sent.
        requests: u64,
        /// Requests answered `304 Not Modified`.
        not_modified: u64,
    },
}

/// One request as logged with `--verbose`: never a header, so never a token.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestLog {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Path and query (relative to the API host).
    pub path: String,
    /// HTTP status, `None` when no answer arrived (connection reset, timeout).
    pub status: Option<u16>,
    /// Milliseconds from sending to the end of the body.
    pub ms: u64,
    /// `x-ratelimit-remaining` of the answer.
    pub remaining: Option<u64>,
}

/// Where progress goes: a channel, or nowhere. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    tx: Option<UnboundedSender<Event>>,
    requests: Arc<AtomicU64>,
    not_modified: Arc<AtomicU64>,
}

impl Progress {
    /// Progress sent to `tx`.
    pub fn to(tx: UnboundedSender<Event>) -> Self {
        Self {
            tx: Some(tx),
            ..Self::default()
        }
    }

    /// Progress that goes nowhere.
    pub fn none() -> Self {
        Self::default()
    }

    /// Send an event (dropped when nobody listens).
    pub fn emit(&self, event: Event) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(event);
        }
    }

    /// Count one request sent, and whether it was answered 304.
    pub(crate) fn count_request(&self, not_modified: bool) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if not_modified {
            self.not_modified.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests answered 304 so far.
    pub fn not_modified(&self) -> u64 {
        self.not_modified.load(Ordering::Relaxed)
    }
}
