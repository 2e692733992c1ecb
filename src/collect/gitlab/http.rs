//! The HTTP client every GitLab request goes through. It reuses the GitHub client's pieces
//! (the proxy-aware octocrab transport of `collect::transport`, [`EtagCache`], [`Progress`] events, [`Token`] redaction, [`Answer`]
//! and [`Failure`]) and speaks GitLab's dialect: `/api/v4` below the instance URL,
//! `RateLimit-Remaining`/`RateLimit-Reset`, 429 + `Retry-After`, `X-Next-Page` or `Link`
//! pagination. Conditional requests use the ETag cache except where a body must never be kept
//! (CI/CD variables carry values): those are fetched with [`GitlabClient::get_uncached`].

use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::Utc;
use http::{HeaderMap, HeaderValue, Method};
use octocrab::Octocrab;
use serde_json::Value;
use tokio::sync::Semaphore;

pub use super::dialect::{GitlabBase, encode};
use super::dialect::{message_of, pagination_link};
use crate::collect::answer::{Answer, Failure};
use crate::collect::etag::{Entry, EtagCache};
use crate::collect::headers::next_link;
use crate::collect::headers::{
    Pause, error_chain, header_str, header_u64, jitter, pause_for, until_reset, wait_for_reset,
};
use crate::collect::progress::{Event, Progress, RequestLog};
use crate::collect::token::Token;
use crate::collect::transport::{NoAnswer, body_cap, read_capped};

/// Retries after the first try (5xx, resets, timeouts, truncated bodies, 429).
const MAX_RETRIES: u32 = 3;
/// At most this many pages of one listing.
const MAX_PAGES: usize = 1000;

/// One answer before JSON parsing.
enum Raw {
    /// A 304 answered from the ETag cache.
    Cached(Entry),
    /// A 2xx with its bytes.
    Fresh {
        status: u16,
        body: Bytes,
        link: Option<String>,
        etag: Option<String>,
    },
}

#[derive(Debug, Clone, Copy)]
struct Limit {
    remaining: u64,
    reset: i64,
}

/// The GitLab client. Shared by reference between concurrent tasks.
pub struct GitlabClient {
    octo: Octocrab,
    base: GitlabBase,
    token: Token,
    sem: Semaphore,
    reserve: u64,
    etags: Mutex<EtagCache>,
    limit: Mutex<Option<Limit>>,
    progress: Progress,
    /// Set when a rate limit asks for a longer wait than posture takes: every later request
    /// fails at once with this message, and the sync fails with it.
    stopped: Mutex<Option<String>>,
    /// One request may take this long, body included.
    timeout: Duration,
}

impl GitlabClient {
    /// A client for `base` with `token`, at most `concurrency` requests in flight.
    pub fn new(
        base: GitlabBase,
        token: Token,
        concurrency: usize,
        etags: EtagCache,
        progress: Progress,
    ) -> Result<Self, String> {
        // The same transport as the GitHub client: `HTTPS_PROXY`/`NO_PROXY` honoured, rustls
        // with the platform's roots (`SSL_CERT_FILE`).
        let octo = crate::collect::transport::octocrab_for(&base.origin)?;
        let concurrency = concurrency.max(1);
        Ok(Self {
            octo,
            base,
            token,
            sem: Semaphore::new(concurrency),
            reserve: concurrency as u64 + 1,
            etags: Mutex::new(etags),
            limit: Mutex::new(None),
            progress,
            stopped: Mutex::new(None),
            timeout: crate::collect::transport::request_timeout(),
        })
    }

    /// Why the sync must stop (a rate limit too far away), when it must.
    pub fn stopped(&self) -> Option<String> {
        self.stopped.lock().ok().and_then(|s| s.clone())
    }

    fn stop(&self, why: &str) -> Failure {
        if let Ok(mut stopped) = self.stopped.lock()
            && stopped.is_none()
        {
            *stopped = Some(why.to_owned());
        }
        Failure::Transport(why.to_owned())
    }

    /// The API base.
    pub fn base(&self) -> &GitlabBase {
        &self.base
    }

    /// Save the ETag cache (see [`EtagCache::save`]).
    pub fn save_etags(&self, merge: bool) -> std::io::Result<()> {
        match self.etags.lock() {
            Ok(cache) => cache.save(merge),
            Err(_) => Ok(()),
        }
    }

    /// `GET` a route below `/api/v4`, conditionally when an ETag is cached.
    pub async fn get(&self, route: &str) -> Result<Answer, Failure> {
        self.send(format!("{}{route}", self.base.prefix), true)
            .await
    }

    /// `GET` a route without the ETag cache: the body is neither sent conditionally nor kept.
    pub async fn get_uncached(&self, route: &str) -> Result<Answer, Failure> {
        self.send(format!("{}{route}", self.base.prefix), false)
            .await
    }

    /// `GET` every page of a listing (`X-Next-Page`, else `Link: rel="next"`). Each page's body.
    pub async fn get_pages(&self, route: &str, cache: bool) -> Result<Vec<Value>, Failure> {
        let mut path = format!("{}{route}", self.base.prefix);
        let mut pages = Vec::new();
        loop {
            let answer = self.send(path, cache).await?;
            let next = answer.link.as_deref().and_then(next_link);
            pages.push(answer.body);
            match next.and_then(|url| self.path_of(&url)) {
                Some(next_path) if pages.len() < MAX_PAGES => path = next_path,
                _ => return Ok(pages),
            }
        }
    }

    fn path_of(&self, url: &str) -> Option<String> {
        let rest = url.strip_prefix(&self.base.origin)?;
        rest.starts_with(&self.base.prefix).then(|| rest.to_owned())
    }

    async fn send(&self, path: String, cache: bool) -> Result<Answer, Failure> {
        match self.fetch(&path, cache).await? {
            Raw::Cached(entry) => Ok(Answer {
                status: 200,
                body: entry.body,
                link: entry.link,
                scopes: None,
                cached: true,
            }),
            Raw::Fresh {
                status,
                body,
                link,
                etag,
            } => {
                let body: Value = if body.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_slice(&body).map_err(|e| {
                        Failure::Transport(format!("GET {path}: invalid JSON body ({e})"))
                    })?
                };
                if cache
                    && let Some(etag) = etag
                    && let Ok(mut etags) = self.etags.lock()
                {
                    let entry = Entry {
                        etag,
                        body: body.clone(),
                        link: link.clone(),
                    };
                    etags.put(&path, entry);
                }
                Ok(Answer {
                    status,
                    body,
                    link,
                    scopes: None,
                    cached: false,
                })
            }
        }
    }

    /// Every page of a listing deserialized straight from the response bytes into `T`, without
    /// the ETag cache and without an intermediate JSON value: fields `T` does not have (a CI/CD
    /// variable's `value`) are skipped by the parser and never kept.
    pub async fn get_pages_typed<T: serde::de::DeserializeOwned>(
        &self,
        route: &str,
    ) -> Result<Vec<T>, Failure> {
        let mut path = format!("{}{route}", self.base.prefix);
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let Raw::Fresh { body, link, .. } = self.fetch(&path, false).await? else {
                return Err(Failure::Transport(format!(
                    "GET {path}: unexpected cached answer"
                )));
            };
            let items: Vec<T> = serde_json::from_slice(&body)
                .map_err(|e| Failure::Transport(format!("GET {path}: unexpected body ({e})")))?;
            drop(body);
            out.extend(items);
            match link
                .as_deref()
                .and_then(next_link)
                .and_then(|url| self.path_of(&url))
            {
                Some(next) => path = next,
                None => break,
            }
        }
        Ok(out)
    }

    /// One `GET` with retries and pauses: the fresh bytes of a 2xx, or the cached entry of a 304.
    async fn fetch(&self, path: &str, cache: bool) -> Result<Raw, Failure> {
        let label = format!("GET {path}");
        let mut attempt = 0;
        loop {
            if let Some(why) = self.stopped() {
                return Err(Failure::Transport(why));
            }
            let cached_etag = if cache {
                self.etags
                    .lock()
                    .ok()
                    .and_then(|c| c.get(path).map(|e| e.etag.clone()))
            } else {
                None
            };
            let started = Instant::now();
            let result = {
                let _permit = self.sem.acquire().await;
                if let Err(why) = self.wait_for_limit().await {
                    return Err(self.stop(&why));
                }
                self.exchange(path, cached_etag.as_deref()).await
            };
            let ms = started.elapsed().as_millis() as u64;
            let (status, headers, bytes) = match result {
                Ok(parts) => parts,
                Err(NoAnswer { why, retry: false }) => {
                    self.log(path, None, ms, None);
                    return Err(Failure::Transport(self.token.redact(&why)));
                }
                Err(NoAnswer { why, .. }) => {
                    self.log(path, None, ms, None);
                    let why = self.token.redact(&why);
                    if attempt < MAX_RETRIES {
                        attempt += 1;
                        self.retry_wait(&label, attempt, why).await;
                        continue;
                    }
                    return Err(Failure::Transport(why));
                }
            };
            let remaining = header_u64(&headers, "ratelimit-remaining");
            self.note_limit(&headers);
            self.progress.count_request(status == 304);
            self.log(path, Some(status), ms, remaining);
            let link = pagination_link(&self.base, path, &headers);
            if status == 304 && cache {
                let entry = self.etags.lock().ok().and_then(|c| c.get(path).cloned());
                if let Some(entry) = entry {
                    if let Ok(mut etags) = self.etags.lock() {
                        etags.confirm(path);
                    }
                    return Ok(Raw::Cached(entry));
                }
                return Err(Failure::Transport(format!(
                    "{label}: 304 Not Modified without a cached answer"
                )));
            }
            if (200..300).contains(&status) {
                // A body cut short is retried; whether it is the JSON expected is the caller's.
                let complete = bytes.is_empty()
                    || serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok();
                if complete {
                    return Ok(Raw::Fresh {
                        status,
                        body: bytes,
                        link,
                        etag: header_str(&headers, "etag"),
                    });
                }
                let why = "truncated or invalid JSON body".to_owned();
                if attempt < MAX_RETRIES {
                    attempt += 1;
                    self.retry_wait(&label, attempt, why).await;
                    continue;
                }
                return Err(Failure::Transport(format!("{label}: {why}")));
            }
            let parsed: Option<Value> = serde_json::from_slice(&bytes).ok().or_else(|| {
                // Rack::Attack answers 429 with a plain `Retry later`.
                let text = std::str::from_utf8(&bytes).ok()?.trim();
                (!text.is_empty() && text.len() <= 200 && !text.contains('<'))
                    .then(|| serde_json::json!({ "message": text }))
            });
            drop(bytes);
            let message = parsed
                .as_ref()
                .and_then(message_of)
                .unwrap_or_else(|| format!("HTTP {status}"));
            let message = self.token.redact(&message);
            if status == 429 && attempt < MAX_RETRIES {
                attempt += 1;
                let secs = match header_u64(&headers, "retry-after") {
                    Some(secs) => secs,
                    None => until_reset(&headers, "ratelimit-reset"),
                };
                let reason = format!("{status} {message}");
                match pause_for(secs, &reason) {
                    Pause::Wait(wait, until) => {
                        self.progress.emit(Event::Paused { reason, until });
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    Pause::Stop(why) => return Err(self.stop(&why)),
                }
            }
            if status >= 500 && attempt < MAX_RETRIES {
                attempt += 1;
                self.retry_wait(&label, attempt, format!("{status} {message}"))
                    .await;
                continue;
            }
            return Err(Failure::Http {
                status,
                message,
                needs: None,
            });
        }
    }

    async fn exchange(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<(u16, HeaderMap, Bytes), NoAnswer> {
        let fail = |why: String| NoAnswer { why, retry: false };
        let mut builder = http::Request::builder()
            .method(Method::GET)
            .uri(path)
            .header("accept", "application/json");
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.secret()))
            .map_err(|_| fail("the token contains characters a header cannot carry".to_owned()))?;
        auth.set_sensitive(true);
        builder = builder.header(http::header::AUTHORIZATION, auth);
        if let Some(etag) = etag {
            builder = builder.header(http::header::IF_NONE_MATCH, etag);
        }
        let request = self
            .octo
            .build_request::<Value>(builder, None)
            .map_err(|e| fail(format!("cannot build the request: {e}")))?;
        let cap = body_cap(false, path);
        let label = format!("GET {path}");
        let exchange = async {
            let response =
                self.octo.execute(request).await.map_err(|e| {
                    NoAnswer::transient(format!("request failed: {}", error_chain(&e)))
                })?;
            let (parts, body) = response.into_parts();
            let bytes = read_capped(&parts.headers, body, cap, &label).await?;
            Ok::<_, NoAnswer>((parts.status.as_u16(), parts.headers, bytes))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(NoAnswer::transient(format!(
                "timed out after {}s",
                self.timeout.as_secs()
            ))),
        }
    }

    async fn retry_wait(&self, label: &str, attempt: u32, reason: String) {
        self.progress.emit(Event::Retry {
            request: label.to_owned(),
            attempt,
            reason,
        });
        let base = Duration::from_millis(250 << (attempt - 1));
        tokio::time::sleep(base + jitter()).await;
    }

    fn log(&self, path: &str, status: Option<u16>, ms: u64, remaining: Option<u64>) {
        self.progress.emit(Event::Request(RequestLog {
            method: "GET",
            path: self.token.redact(path),
            status,
            ms,
            remaining,
        }));
    }

    fn note_limit(&self, headers: &HeaderMap) {
        let (Some(remaining), Some(reset)) = (
            header_u64(headers, "ratelimit-remaining"),
            header_u64(headers, "ratelimit-reset"),
        ) else {
            return;
        };
        if let Ok(mut limit) = self.limit.lock() {
            *limit = Some(Limit {
                remaining,
                reset: i64::try_from(reset).unwrap_or(i64::MAX),
            });
        }
    }

    /// Pause before a request when the remaining budget is below the reserve; an error when
    /// the reset is further away than posture waits.
    async fn wait_for_limit(&self) -> Result<(), String> {
        loop {
            let Some(limit) = self.limit.lock().ok().and_then(|l| *l) else {
                return Ok(());
            };
            if limit.remaining >= self.reserve {
                return Ok(());
            }
            let now = Utc::now().timestamp();
            if limit.reset < now {
                if let Ok(mut l) = self.limit.lock() {
                    *l = None;
                }
                return Ok(());
            }
            let reason = format!(
                "GitLab rate limit: {} requests left, waiting for the reset",
                limit.remaining
            );
            wait_for_reset(limit.reset, now, reason, &self.progress).await?;
            if let Ok(mut l) = self.limit.lock()
                && l.is_some_and(|x| x.reset == limit.reset)
            {
                *l = None;
            }
        }
    }
}
