//! A faithful fake GitLab for tests: hyper 1 on 127.0.0.1:0, REST v4 below `/api/v4` (or a
//! relative URL root), numeric and URL-encoded ids (`group%2Fsub%2Fproject`), offset
//! pagination with `X-Page`/`X-Per-Page`/`X-Total`/`X-Total-Pages`/`X-Next-Page`/`X-Prev-Page`
//! and `Link`, weak ETags with 304 on `If-None-Match`, `RateLimit-*` headers, 429 with
//! `Retry-After`, GitLab's error bodies. Faults can be injected; every request is counted.

#![allow(dead_code)]

pub mod access;
pub mod cli;
pub mod fixtures;
use super::loopback;
pub mod routes;
pub mod world;
mod writes;

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{Value, json};

use routes::{Reply, decode};
pub use world::World;

/// How listings say where the next page is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paging {
    /// `Link` and the `X-*` headers, as GitLab sends them.
    #[default]
    Both,
    /// Only `X-Next-Page` and friends (a proxy stripped `Link`).
    HeadersOnly,
    /// Only `Link` (keyset-style answers).
    LinkOnly,
}

/// Faults to inject. Path matches are substrings of the request path.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Latency added to every request.
    pub latency: Duration,
    /// Answer 502 once to the first request whose path contains this.
    pub fail_5xx_once: Option<String>,
    /// Answer 429 `Retry later` with `Retry-After: 1` once.
    pub too_many_once: Option<String>,
    /// After this many requests, drop `RateLimit-Remaining` to the given value until a reset in
    /// the given number of seconds.
    pub low_remaining: Option<(u64, u64, u64)>,
    /// Answer `403 Forbidden` to every request whose path contains one of these.
    pub forbidden: Vec<String>,
    /// Largest page size served (GitLab's is 100).
    pub max_per_page: Option<usize>,
    /// Pagination headers.
    pub paging: Paging,
    /// Requests per minute (GitLab.com's authenticated limit, 2000, when `None`).
    pub rate_limit: Option<u64>,
    /// The instance's configured `external_url`, used in `Link` (default: the fake's own).
    pub external_url: Option<String>,
}

/// Counters of what the fake answered.
#[derive(Debug, Default)]
pub struct Counters {
    /// Every request.
    pub requests: AtomicU64,
    /// Requests answered 304.
    pub not_modified: AtomicU64,
    /// Injected faults served.
    pub faults_served: AtomicU64,
    /// Requests for CI/CD variables that carried `If-None-Match` (a client caching values).
    pub conditional_variables: AtomicU64,
}

/// Shared state of a running fake.
pub struct State {
    /// The data.
    pub world: Mutex<Arc<World>>,
    /// Faults to inject.
    pub faults: Mutex<Faults>,
    /// Counters.
    pub counters: Counters,
    /// Requests in order (`GET /api/v4/...`).
    pub log: Mutex<Vec<String>>,
    /// Answers in order: status and path.
    pub answers: Mutex<Vec<(u16, String)>>,
    prefix: String,
    rate: Mutex<(u64, u64, u64)>,
    origin: Mutex<String>,
}

/// A running fake GitLab. Dropping it stops the server.
pub struct FakeGitlab {
    /// The `--url` to pass (`http://127.0.0.1:PORT`, or with a relative root).
    pub url: String,
    /// Shared state.
    pub state: Arc<State>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

const LIMIT: u64 = 2000;

impl FakeGitlab {
    /// Serve `world` as gitlab.com does (`/api/v4`).
    pub fn start(world: World) -> Self {
        Self::start_at(world, "")
    }

    /// Serve `world` below a relative URL root (self-managed `https://host/gitlab`).
    pub fn start_at(world: World, root: &str) -> Self {
        let state = Arc::new(State {
            world: Mutex::new(Arc::new(world)),
            faults: Mutex::new(Faults::default()),
            counters: Counters::default(),
            log: Mutex::new(Vec::new()),
            answers: Mutex::new(Vec::new()),
            prefix: format!("{root}/api/v4"),
            rate: Mutex::new((LIMIT, now() + 60, LIMIT)),
            origin: Mutex::new(String::new()),
        });
        let (addr, shutdown) =
            loopback::serve(state.clone(), |state: Arc<State>, req| async move {
                handle(&state, req).await
            });
        let origin = format!("http://{addr}");
        *state.origin.lock().unwrap() = origin.clone();
        FakeGitlab {
            url: format!("{origin}{root}"),
            state,
            _shutdown: shutdown,
        }
    }

    /// Change the world (e.g. between two syncs).
    pub fn update(&self, f: impl FnOnce(&mut World)) {
        let mut guard = self.state.world.lock().unwrap();
        let mut world = (**guard).clone();
        f(&mut world);
        *guard = Arc::new(world);
    }

    /// Set the faults.
    pub fn faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.state.faults.lock().unwrap());
    }

    /// Requests answered so far.
    pub fn requests(&self) -> u64 {
        self.state.counters.requests.load(Ordering::SeqCst)
    }

    /// Requests answered 304 so far.
    pub fn not_modified(&self) -> u64 {
        self.state.counters.not_modified.load(Ordering::SeqCst)
    }

    /// Reset the counters and the log.
    pub fn reset_counters(&self) {
        let c = &self.state.counters;
        for counter in [
            &c.requests,
            &c.not_modified,
            &c.faults_served,
            &c.conditional_variables,
        ] {
            counter.store(0, Ordering::SeqCst);
        }
        self.state.log.lock().unwrap().clear();
        self.state.answers.lock().unwrap().clear();
    }

    /// Answers so far: status and path.
    pub fn answers(&self) -> Vec<(u16, String)> {
        self.state.answers.lock().unwrap().clone()
    }

    /// The request log.
    pub fn log(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }
}

type Body = Full<Bytes>;

fn take_once(slot: &mut Option<String>, path: &str) -> bool {
    if slot.as_deref().is_some_and(|p| path.contains(p)) {
        *slot = None;
        true
    } else {
        false
    }
}

async fn handle(state: &State, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_owned();
    if path.ends_with("/variables") && req.headers().contains_key("if-none-match") {
        state
            .counters
            .conditional_variables
            .fetch_add(1, Ordering::SeqCst);
    }
    let response = answer(state, req).await;
    state
        .answers
        .lock()
        .unwrap()
        .push((response.status().as_u16(), path));
    response
}

async fn answer(state: &State, req: Request<Incoming>) -> Response<Body> {
    let method = req.method().clone();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (auth, private, if_none_match) = (
        header("authorization"),
        header("private-token"),
        header("if-none-match"),
    );
    let body_bytes = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    state.counters.requests.fetch_add(1, Ordering::SeqCst);
    state
        .log
        .lock()
        .unwrap()
        .push(format!("{method} {path_and_query}"));
    let faults = state.faults.lock().unwrap().clone();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let world = state.world.lock().unwrap().clone();
    let limit = faults.rate_limit.unwrap_or(LIMIT);
    let rate = {
        let mut rate = state.rate.lock().unwrap();
        if now() >= rate.1 || rate.2 != limit {
            *rate = (limit, now() + 60, limit);
        }
        if let Some((after, low, secs)) = faults.low_remaining
            && state.counters.requests.load(Ordering::SeqCst) == after
        {
            *rate = (low, now() + secs, limit);
        }
        rate.0 = rate.0.saturating_sub(1);
        *rate
    };
    let mut headers = vec![
        ("ratelimit-limit", limit.to_string()),
        ("ratelimit-observed", (limit - rate.0).to_string()),
        ("ratelimit-remaining", rate.0.to_string()),
        ("ratelimit-reset", rate.1.to_string()),
    ];
    let token_ok = auth.as_deref().and_then(|a| a.strip_prefix("Bearer "))
        == Some(world.token.as_str())
        || private.as_deref() == Some(world.token.as_str());
    if !token_ok {
        return respond(
            401,
            json_bytes(&json!({"message": "401 Unauthorized"})),
            headers,
        );
    }
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((&path_and_query, ""));
    let Some(rest) = path.strip_prefix(&state.prefix) else {
        return respond(404, json_bytes(&json!({"error": "404 Not Found"})), headers);
    };
    {
        let mut f = state.faults.lock().unwrap();
        if take_once(&mut f.fail_5xx_once, path) {
            state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
            return respond(
                502,
                json_bytes(&json!({"message": "502 Bad Gateway"})),
                headers,
            );
        }
        if take_once(&mut f.too_many_once, path) {
            state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
            headers.push(("retry-after", "1".into()));
            headers.push(("content-type", "text/plain".into()));
            return respond_raw(429, Bytes::from_static(b"Retry later\n"), headers);
        }
        if f.forbidden.iter().any(|p| path.contains(p.as_str())) {
            return respond(
                403,
                json_bytes(&json!({"message": "403 Forbidden"})),
                headers,
            );
        }
    }
    let segments: Vec<String> = rest
        .trim_start_matches('/')
        .split('/')
        .map(decode)
        .collect();
    let params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    if method != hyper::Method::GET && method != hyper::Method::HEAD {
        return writes::serve(state, &method, &segments, &params, &body_bytes, headers);
    }
    let body = match routes::route(&world, &segments, &params) {
        Reply::Error(status, message) => {
            return respond(status, json_bytes(&json!({"message": message})), headers);
        }
        Reply::One(value) => json_bytes(&value),
        Reply::List(items) => {
            let origin = match &faults.external_url {
                Some(external) => external.clone(),
                None => state.origin.lock().unwrap().clone(),
            };
            let page = paginate(
                &items,
                &params,
                &faults,
                &format!("{origin}{path}"),
                &mut headers,
            );
            json_bytes(&Value::Array(page))
        }
    };
    let etag = etag_of(&body);
    if if_none_match.as_deref() == Some(etag.as_str()) {
        state.counters.not_modified.fetch_add(1, Ordering::SeqCst);
        headers.push(("etag", etag));
        return respond_raw(304, Bytes::new(), headers);
    }
    headers.push(("etag", etag));
    respond(200, body, headers)
}

/// One page of `items` with GitLab's offset-pagination headers.
fn paginate(
    items: &[Value],
    params: &[(String, String)],
    faults: &Faults,
    url: &str,
    headers: &mut Vec<(&'static str, String)>,
) -> Vec<Value> {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let cap = faults.max_per_page.unwrap_or(100);
    let per_page = get("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, cap);
    let page = get("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let total_pages = items.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = items
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let link_to = |n: usize| {
        let mut query: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "page" && k != "per_page")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        query.push(format!("page={n}"));
        query.push(format!("per_page={per_page}"));
        format!("{url}?{}", query.join("&"))
    };
    let next = (page < total_pages).then_some(page + 1);
    let prev = (page > 1).then(|| page - 1);
    if faults.paging != Paging::LinkOnly {
        headers.push(("x-page", page.to_string()));
        headers.push(("x-per-page", per_page.to_string()));
        headers.push(("x-total", items.len().to_string()));
        headers.push(("x-total-pages", total_pages.to_string()));
        headers.push(("x-next-page", next.map_or(String::new(), |n| n.to_string())));
        headers.push(("x-prev-page", prev.map_or(String::new(), |n| n.to_string())));
    }
    if faults.paging != Paging::HeadersOnly {
        let mut links = Vec::new();
        if let Some(p) = prev {
            links.push(format!("<{}>; rel=\"prev\"", link_to(p)));
        }
        if let Some(n) = next {
            links.push(format!("<{}>; rel=\"next\"", link_to(n)));
        }
        links.push(format!("<{}>; rel=\"first\"", link_to(1)));
        links.push(format!("<{}>; rel=\"last\"", link_to(total_pages)));
        headers.push(("link", links.join(", ")));
    }
    slice
}

fn etag_of(body: &Bytes) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("W/\"{:016x}\"", h.finish())
}

fn json_bytes(value: &Value) -> Bytes {
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

fn respond(status: u16, body: Bytes, mut headers: Vec<(&'static str, String)>) -> Response<Body> {
    headers.push(("content-type", "application/json".into()));
    respond_raw(status, body, headers)
}

fn respond_raw(status: u16, body: Bytes, headers: Vec<(&'static str, String)>) -> Response<Body> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    builder.body(Full::new(body)).expect("response")
}
