//! Collect: I/O only. Reads a platform's API into a [`crate::model::Snapshot`], async (tokio),
//! with bounded concurrency, conditional requests and rate-limit awareness. Reports progress as
//! [`progress::Event`]s and never prints.
//!
//! Platform-neutral HTTP machinery, used by both collectors: [`answer`] (answers and
//! failures), [`transport`] (body caps, timeouts), [`headers`] (rate limits, `Link`,
//! permissions), [`etag`] (conditional requests), [`url`] (host trust, redaction), [`token`].
//! [`client`] is GitHub's client on top of it, [`gitlab`] GitLab's; neither imports the other.

pub mod answer;
pub mod api;
mod cannot_see;
pub mod client;
pub mod etag;
pub mod github;
pub mod gitlab;
pub mod headers;
pub mod progress;
mod refresh;
pub mod token;
pub mod transport;
pub mod url;
