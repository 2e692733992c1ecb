//! The HTTP client every GitHub request goes through (octocrab's transport): bounded
//! concurrency, conditional requests from the ETag cache, rate-limit pauses, secondary-limit
//! waits and bounded retries with jitter. Answers are JSON; failures carry what a fact needs to
//! say why it is unreadable.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::Utc;
use http::{HeaderMap, HeaderValue, Method};
use octocrab::Octocrab;
use serde_json::Value;
use tokio::sync::Semaphore;

pub use super::answer::{Answer, Failure};
use super::api::ApiBase;
use super::etag::{Entry, EtagCache};
use super::headers::{
    Pause, error_chain, header_str, header_u64, jitter, pause_for, until_reset, wait_for_reset,
};
pub use super::headers::{next_link, permission_names};
use super::progress::{Event, Progress, RequestLog};
use super::token::Token;
use super::transport::{NoAnswer, body_cap, read_capped};

/// Retries after the first try (5xx, resets, timeouts, truncated bodies, secondary limits).
const MAX_RETRIES: u32 = 3;

#[derive(Debug, Clone, Copy)]
struct Limit {
    remaining: u64,
    reset: i64,
}

/// The client. Shared by reference between concurrent tasks.
pub struct Client {
    octo: Octocrab,
    api: ApiBase,
    token: Token,
    sem: Semaphore,
    reserve: u64,
    etags: Mutex<EtagCache>,
    limits: Mutex<HashMap<String, Limit>>,
    progress: Progress,
    /// Set when a rate limit asks for a longer wait than posture takes: every later request
    /// fails at once with this message, and the sync fails with it.
    stopped: Mutex<Option<String>>,
    /// One request may take this long, body included.
    timeout: Duration,
}

impl Client {
    /// A client for `api` with `token`, at most `concurrency` requests in flight.
    pub fn new(
        api: ApiBase,
        token: Token,
        concurrency: usize,
        etags: EtagCache,
        progress: Progress,
    ) -> Result<Self, String> {
        let octo = super::transport::octocrab_for(&api.origin)?;
        let concurrency = concurrency.max(1);
        Ok(Self {
            octo,
            api,
            token,
            sem: Semaphore::new(concurrency),
            reserve: concurrency as u64 + 1,
            etags: Mutex::new(etags),
            limits: Mutex::new(HashMap::new()),
            progress,
            stopped: Mutex::new(None),
            timeout: super::transport::request_timeout(),
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
    pub fn api(&self) -> &ApiBase {
        &self.api
    }

    /// Progress sink.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Save the ETag cache (see [`EtagCache::save`]).
    pub fn save_etags(&self, merge: bool) -> std::io::Result<()> {
        match self.etags.lock() {
            Ok(cache) => cache.save(merge),
            Err(_) => Ok(()),
        }
    }

    /// `GET` a REST route (without the GHES prefix), conditionally when an ETag is cached.
    pub async fn get(&self, route: impl Into<String>) -> Result<Answer, Failure> {
        let path = self.api.rest(&route.into());
        self.send(Method::GET, path, None).await
    }

    /// `GET` every page of a REST route, following `Link: rel="next"`. Each page's body.
    pub async fn get_pages(&self, route: impl Into<String>) -> Result<Vec<Value>, Failure> {
        let mut path = self.api.rest(&route.into());
        let mut pages = Vec::new();
        loop {
            let answer = self.send(Method::GET, path, None).await?;
            let next = answer.link.as_deref().and_then(next_link);
            pages.push(answer.body);
            match next.and_then(|url| self.api.path_of(&url)) {
                Some(next_path) if pages.len() < 1000 => path = next_path,
                _ => return Ok(pages),
            }
        }
    }

    /// `POST` a GraphQL query; the answer's body holds `data` and `errors`.
    /// A `RATE_LIMITED` GraphQL error (answered 200) waits for the reset and asks again, at
    /// most [`MAX_RETRIES`] times.
    pub async fn graphql(&self, query: &str, variables: Value) -> Result<Answer, Failure> {
        let body = serde_json::json!({"query": query, "variables": variables});
        let mut attempt = 0;
        loop {
            let answer = self
                .send(
                    Method::POST,
                    self.api.graphql_path.clone(),
                    Some(body.clone()),
                )
                .await?;
            let limited = answer
                .body
                .get("errors")
                .and_then(Value::as_array)
                .is_some_and(|errors| {
                    errors
                        .iter()
                        .any(|e| e.get("type").and_then(Value::as_str) == Some("RATE_LIMITED"))
                });
            if !limited || attempt >= MAX_RETRIES {
                return Ok(answer);
            }
            attempt += 1;
            let reset = self
                .limits
                .lock()
                .ok()
                .and_then(|l| l.get("graphql").map(|l| l.reset));
            let now = Utc::now().timestamp();
            let secs = reset
                .filter(|r| *r > now)
                .map_or(60, |r| r.saturating_add(1).saturating_sub(now))
                as u64;
            let reason = "GraphQL rate limit exhausted (RATE_LIMITED)";
            match pause_for(secs, reason) {
                Pause::Wait(wait, until) => {
                    self.progress.emit(Event::Paused {
                        reason: reason.to_owned(),
                        until,
                    });
                    tokio::time::sleep(wait).await;
                }
                Pause::Stop(why) => return Err(self.stop(&why)),
            }
        }
    }

    async fn send(
        &self,
        method: Method,
        mut path: String,
        body: Option<Value>,
    ) -> Result<Answer, Failure> {
        let resource = if body.is_some() { "graphql" } else { "core" };
        let label = format!("{method} {path}");
        let mut attempt = 0;
        let mut redirects = 0;
        loop {
            if let Some(why) = self.stopped() {
                return Err(Failure::Transport(why));
            }
            let cached = if method == Method::GET {
                self.etags
                    .lock()
                    .ok()
                    .and_then(|c| c.get(&path).map(|e| e.etag.clone()))
            } else {
                None
            };
            let started = Instant::now();
            let result = {
                // Check the budget while holding a permit: at most `concurrency` requests are
                // in flight past the check, and the reserve covers them.
                let _permit = self.sem.acquire().await;
                if let Err(why) = self.wait_for_limit(resource).await {
                    return Err(self.stop(&why));
                }
                self.exchange(&method, &path, body.as_ref(), cached.as_deref())
                    .await
            };
            let ms = started.elapsed().as_millis() as u64;
            let retry =
                |reason: String| -> Option<String> { (attempt < MAX_RETRIES).then_some(reason) };
            let (status, headers, bytes) = match result {
                Ok(parts) => parts,
                Err(NoAnswer { why, retry: false }) => {
                    self.log(&method, &path, None, ms, None);
                    return Err(Failure::Transport(self.token.redact(&why)));
                }
                Err(NoAnswer { why, .. }) => {
                    self.log(&method, &path, None, ms, None);
                    let why = self.token.redact(&why);
                    match retry(why.clone()) {
                        Some(reason) => {
                            attempt += 1;
                            self.retry_wait(&label, attempt, reason, None).await;
                            continue;
                        }
                        None => return Err(Failure::Transport(why)),
                    }
                }
            };
            let remaining = header_u64(&headers, "x-ratelimit-remaining");
            self.note_limits(&headers);
            self.progress.count_request(status == 304);
            self.log(&method, &path, Some(status), ms, remaining);
            let link = header_str(&headers, "link");
            if matches!(status, 301 | 302 | 307 | 308) {
                // Follow a redirect only on the API origin (a renamed repository answers 301 to
                // `/repositories/{id}`); anything else is not followed.
                let location = header_str(&headers, "location").unwrap_or_default();
                let next = if location.starts_with('/') {
                    Some(location.clone())
                } else {
                    self.api.path_of(&location)
                };
                match next {
                    Some(next) if redirects < 5 => {
                        redirects += 1;
                        path = next;
                        continue;
                    }
                    _ => {
                        return Err(Failure::Http {
                            status,
                            message: format!(
                                "redirected to {location:?}, off the API host or too often; not followed"
                            ),
                            needs: None,
                        });
                    }
                }
            }
            if status == 304 {
                let entry = self.etags.lock().ok().and_then(|c| c.get(&path).cloned());
                if let Some(entry) = entry {
                    if let Ok(mut cache) = self.etags.lock() {
                        cache.confirm(&path);
                    }
                    return Ok(Answer {
                        status: 200,
                        body: entry.body,
                        link: entry.link,
                        scopes: header_str(&headers, "x-oauth-scopes"),
                        cached: true,
                    });
                }
                return Err(Failure::Transport(format!(
                    "{label}: 304 Not Modified without a cached answer"
                )));
            }
            let parsed: Result<Value, String> = if bytes.is_empty() {
                Ok(Value::Null)
            } else {
                serde_json::from_slice(&bytes)
                    .map_err(|e| format!("truncated or invalid JSON body ({e})"))
            };
            if (200..300).contains(&status) {
                match parsed {
                    Ok(value) => {
                        if method == Method::GET
                            && let Some(etag) = header_str(&headers, "etag")
                            && let Ok(mut cache) = self.etags.lock()
                        {
                            cache.put(
                                &path,
                                Entry {
                                    etag,
                                    body: value.clone(),
                                    link: link.clone(),
                                },
                            );
                        }
                        return Ok(Answer {
                            status,
                            body: value,
                            link,
                            scopes: header_str(&headers, "x-oauth-scopes"),
                            cached: false,
                        });
                    }
                    Err(why) => match retry(why.clone()) {
                        Some(reason) => {
                            attempt += 1;
                            self.retry_wait(&label, attempt, reason, None).await;
                            continue;
                        }
                        None => return Err(Failure::Transport(format!("{label}: {why}"))),
                    },
                }
            }
            let message = parsed
                .ok()
                .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| format!("HTTP {status}"));
            let message = self.token.redact(&message);
            let retry_after = header_u64(&headers, "retry-after");
            let limited = (status == 403 || status == 429)
                && (retry_after.is_some()
                    || remaining == Some(0)
                    || message.to_ascii_lowercase().contains("rate limit"));
            if limited && attempt < MAX_RETRIES {
                attempt += 1;
                let secs = match (retry_after, remaining) {
                    (Some(secs), _) => secs,
                    (None, Some(0)) => until_reset(&headers, "x-ratelimit-reset"),
                    _ => 60 << (attempt - 1),
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
                self.retry_wait(&label, attempt, format!("{status} {message}"), None)
                    .await;
                continue;
            }
            return Err(Failure::Http {
                status,
                message,
                needs: header_str(&headers, "x-accepted-github-permissions")
                    .map(|h| permission_names(&h)),
            });
        }
    }

    async fn exchange(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        etag: Option<&str>,
    ) -> Result<(u16, HeaderMap, Bytes), NoAnswer> {
        let fail = |why: String| NoAnswer { why, retry: false };
        let mut builder = http::Request::builder()
            .method(method.clone())
            .uri(path)
            .header("accept", "application/vnd.github+json")
            .header("user-agent", concat!("posture/", env!("CARGO_PKG_VERSION")))
            .header("x-github-api-version", "2022-11-28");
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.secret()))
            .map_err(|_| fail("the token contains characters a header cannot carry".to_owned()))?;
        auth.set_sensitive(true);
        builder = builder.header(http::header::AUTHORIZATION, auth);
        if let Some(etag) = etag {
            builder = builder.header(http::header::IF_NONE_MATCH, etag);
        }
        let request = self
            .octo
            .build_request(builder, body)
            .map_err(|e| fail(format!("cannot build the request: {e}")))?;
        let cap = body_cap(*method == Method::POST, path);
        let label = format!("{method} {path}");
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

    async fn retry_wait(&self, label: &str, attempt: u32, reason: String, wait: Option<Duration>) {
        self.progress.emit(Event::Retry {
            request: label.to_owned(),
            attempt,
            reason,
        });
        let base = Duration::from_millis(250 << (attempt - 1));
        tokio::time::sleep(wait.unwrap_or(base) + jitter()).await;
    }

    fn log(
        &self,
        method: &Method,
        path: &str,
        status: Option<u16>,
        ms: u64,
        remaining: Option<u64>,
    ) {
        let method = if *method == Method::POST {
            "POST"
        } else {
            "GET"
        };
        self.progress.emit(Event::Request(RequestLog {
            method,
            path: self.token.redact(path),
            status,
            ms,
            remaining,
        }));
    }

    fn note_limits(&self, headers: &HeaderMap) {
        let (Some(remaining), Some(reset)) = (
            header_u64(headers, "x-ratelimit-remaining"),
            header_u64(headers, "x-ratelimit-reset"),
        ) else {
            return;
        };
        let resource = header_str(headers, "x-ratelimit-resource").unwrap_or_else(|| "core".into());
        if let Ok(mut limits) = self.limits.lock() {
            limits.insert(
                resource,
                Limit {
                    remaining,
                    reset: i64::try_from(reset).unwrap_or(i64::MAX),
                },
            );
        }
    }

    /// Pause before a request when the resource's remaining budget is below the reserve; an
    /// error when the reset is further away than posture waits.
    async fn wait_for_limit(&self, resource: &str) -> Result<(), String> {
        loop {
            let limit = self
                .limits
                .lock()
                .ok()
                .and_then(|l| l.get(resource).copied());
            let Some(limit) = limit else { return Ok(()) };
            if limit.remaining >= self.reserve {
                return Ok(());
            }
            let now = Utc::now().timestamp();
            if limit.reset < now {
                if let Ok(mut limits) = self.limits.lock() {
                    limits.remove(resource);
                }
                return Ok(());
            }
            let reason = format!(
                "{resource} rate limit: {} requests left, waiting for the reset",
                limit.remaining
            );
            wait_for_reset(limit.reset, now, reason, &self.progress).await?;
            if let Ok(mut limits) = self.limits.lock()
                && limits.get(resource).is_some_and(|l| l.reset == limit.reset)
            {
                limits.remove(resource);
            }
        }
    }
}
