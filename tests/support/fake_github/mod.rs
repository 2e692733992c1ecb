//! A faithful fake GitHub for tests: hyper 1 on 127.0.0.1:0, REST shaped as the recordings
//! (`Link` pagination, ETag/304, `x-ratelimit-*`, 404 vs 403 with
//! `X-Accepted-GitHub-Permissions`), GraphQL validated and executed against GitHub's real
//! schema. Faults can be injected; every answered request is counted.

#![allow(dead_code)]

pub mod fixtures;
pub mod graphql;
pub mod graphql_cost;
use super::loopback;
mod paging;
mod respond;
pub mod roles;
pub mod world;
mod writes;
mod writes_rulesets;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{Value, json};

pub use world::{Reply, World};

/// Faults to inject. Path matches are substrings of the request path.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Latency added to every request.
    pub latency: Duration,
    /// Answer 502 once to the first request whose path contains this.
    pub fail_5xx_once: Option<String>,
    /// Answer a truncated body once to the first request whose path contains this.
    pub truncate_once: Option<String>,
    /// Answer a secondary rate limit (403 + `retry-after: 1`) once.
    pub secondary_once: Option<String>,
    /// After this many REST requests, drop `remaining` to the given value until a reset in
    /// the given number of seconds.
    pub low_remaining: Option<(u64, u64, u64)>,
    /// Answer 403 with this permission to every request whose path contains the first string.
    pub forbidden: Vec<(String, String)>,
    /// Answer 502 to every GraphQL request asking for more than this many `ids` (a query too
    /// big to finish in time).
    pub graphql_max_ids: Option<usize>,
    /// Answer one GraphQL request with a `RATE_LIMITED` error (HTTP 200, no data), the
    /// GraphQL budget resetting a second later.
    pub graphql_rate_limited_once: bool,
    /// A sustained secondary limit: requests numbered `after+1 ..= after+count` (REST and
    /// GraphQL) answer this status (403 or 429, as GitHub may send either) with the
    /// secondary-limit message and `retry-after: 1`.
    pub secondary_window: Option<(u64, u64, u16)>,
    /// GitHub's concurrency secondary limit ("no more than 100 concurrent requests"): a
    /// request arriving while this many are in flight answers 403 secondary limit.
    pub max_in_flight: Option<u64>,
}

/// Counters of what the fake answered.
#[derive(Debug, Default)]
pub struct Counters {
    /// Every answered request (GraphQL included).
    pub requests: AtomicU64,
    /// REST requests.
    pub rest: AtomicU64,
    /// GraphQL requests.
    pub graphql: AtomicU64,
    /// Requests answered 304.
    pub not_modified: AtomicU64,
    /// Requests answered 403 because the primary rate limit was exhausted.
    pub rate_limited: AtomicU64,
    /// Injected faults served.
    pub faults_served: AtomicU64,
    /// Requests answered with a secondary rate limit (window or concurrency).
    pub secondary_limited: AtomicU64,
    /// Requests being answered now.
    pub in_flight: AtomicU64,
    /// Highest number of requests in flight at once.
    pub max_in_flight_seen: AtomicU64,
    /// GraphQL points charged (the documented cost of each query).
    pub graphql_points: AtomicU64,
    /// Answers with a status of 400 or more (errors carry no ETag, so a re-sync asks again).
    pub refused: AtomicU64,
}

struct Rate {
    remaining: u64,
    reset: u64,
}

/// Shared state of a running fake.
pub struct State {
    /// The data.
    pub world: Mutex<Arc<World>>,
    /// Faults to inject.
    pub faults: Mutex<Faults>,
    /// Counters.
    pub counters: Counters,
    /// Paths requested, in order (method and path).
    pub log: Mutex<Vec<String>>,
    /// Authorization headers seen are never logged; this records whether any request lacked one.
    prefix: String,
    graphql_path: String,
    rate: Mutex<Rate>,
    graphql_rate: Mutex<Rate>,
    origin: Mutex<String>,
}

/// A running fake GitHub. Dropping it stops the server thread's runtime.
pub struct FakeGithub {
    /// The `--api-url` to pass: `http://127.0.0.1:PORT` or `http://127.0.0.1:PORT/api/v3`.
    pub url: String,
    /// Shared state (world, faults, counters).
    pub state: Arc<State>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl FakeGithub {
    /// Serve `world` as api.github.com does (REST at `/`, GraphQL at `/graphql`).
    pub fn start(world: World) -> Self {
        Self::start_with(world, false)
    }

    /// Serve `world` as GitHub Enterprise Server does (`/api/v3`, GraphQL at `/api/graphql`).
    pub fn start_ghes(world: World) -> Self {
        Self::start_with(world, true)
    }

    fn start_with(world: World, ghes: bool) -> Self {
        let (prefix, graphql_path) = if ghes {
            ("/api/v3".to_owned(), "/api/graphql".to_owned())
        } else {
            (String::new(), "/graphql".to_owned())
        };
        let state = Arc::new(State {
            world: Mutex::new(Arc::new(world)),
            faults: Mutex::new(Faults::default()),
            counters: Counters::default(),
            log: Mutex::new(Vec::new()),
            prefix: prefix.clone(),
            graphql_path,
            rate: Mutex::new(Rate {
                remaining: 5000,
                reset: now() + 3600,
            }),
            graphql_rate: Mutex::new(Rate {
                remaining: 5000,
                reset: now() + 3600,
            }),
            origin: Mutex::new(String::new()),
        });
        let (addr, shutdown) =
            loopback::serve(state.clone(), |state: Arc<State>, req| async move {
                handle(&state, req).await
            });
        let origin = format!("http://{addr}");
        *state.origin.lock().unwrap() = origin.clone();
        FakeGithub {
            url: format!("{origin}{prefix}"),
            state,
            _shutdown: shutdown,
        }
    }

    /// Change the world (e.g. between two syncs).
    pub fn update(&self, f: impl FnOnce(&mut World)) {
        let mut guard = self.state.world.lock().unwrap();
        let mut world = (**guard).clone();
        f(&mut world);
        world.reindex();
        *guard = Arc::new(world);
    }

    /// Change the world and return what the change reports.
    pub fn update_returning<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        let mut guard = self.state.world.lock().unwrap();
        let mut world = (**guard).clone();
        let out = f(&mut world);
        world.reindex();
        *guard = Arc::new(world);
        out
    }

    /// Set the faults.
    pub fn faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.state.faults.lock().unwrap());
    }

    /// Requests answered so far (GraphQL included).
    pub fn requests(&self) -> u64 {
        self.state.counters.requests.load(Ordering::SeqCst)
    }

    /// REST requests answered so far.
    pub fn rest_requests(&self) -> u64 {
        self.state.counters.rest.load(Ordering::SeqCst)
    }

    /// Requests answered 304 so far.
    pub fn not_modified(&self) -> u64 {
        self.state.counters.not_modified.load(Ordering::SeqCst)
    }

    /// Requests answered with a status of 400 or more so far.
    pub fn refused(&self) -> u64 {
        self.state.counters.refused.load(Ordering::SeqCst)
    }

    /// Reset the counters and the log.
    pub fn reset_counters(&self) {
        let c = &self.state.counters;
        for counter in [
            &c.requests,
            &c.rest,
            &c.graphql,
            &c.not_modified,
            &c.rate_limited,
            &c.faults_served,
            &c.secondary_limited,
            &c.max_in_flight_seen,
            &c.graphql_points,
            &c.refused,
        ] {
            counter.store(0, Ordering::SeqCst);
        }
        self.state.log.lock().unwrap().clear();
    }

    /// Restore the full rate-limit budgets, REST and GraphQL (as an hourly reset would).
    pub fn reset_rate_limit(&self) {
        for rate in [&self.state.rate, &self.state.graphql_rate] {
            let mut rate = rate.lock().unwrap();
            rate.remaining = 5000;
            rate.reset = now() + 3600;
        }
    }

    /// GraphQL points charged so far.
    pub fn graphql_points(&self) -> u64 {
        self.state.counters.graphql_points.load(Ordering::SeqCst)
    }

    /// The request log (method and path).
    pub fn log(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }
}

type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

fn take_once(slot: &mut Option<String>, path: &str) -> bool {
    if slot.as_deref().is_some_and(|p| path.contains(p)) {
        *slot = None;
        true
    } else {
        false
    }
}

use respond::{InFlight, finish, json_response, raw_response, route_rest, secondary_limit};

async fn handle(state: &State, req: Request<Incoming>) -> Response<Body> {
    let counters = &state.counters;
    let in_flight = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _in_flight = InFlight(&counters.in_flight);
    counters
        .max_in_flight_seen
        .fetch_max(in_flight, Ordering::SeqCst);
    let method = req.method().clone();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let if_none_match = req
        .headers()
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    state.counters.requests.fetch_add(1, Ordering::SeqCst);
    state.log.lock().unwrap().push(format!("{method} {path}"));
    let faults = state.faults.lock().unwrap().clone();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let world = state.world.lock().unwrap().clone();
    let graphql = method == hyper::Method::POST && path == state.graphql_path;
    if graphql {
        state.counters.graphql.fetch_add(1, Ordering::SeqCst);
    } else {
        state.counters.rest.fetch_add(1, Ordering::SeqCst);
    }
    let authorized = auth.as_deref().is_some_and(|a| {
        a.strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("token "))
            == Some(world.token.as_str())
    });
    if !authorized {
        return json_response(
            401,
            &json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
            &[],
            state,
            "core",
        );
    }
    // Injected faults.
    let number = state.counters.requests.load(Ordering::SeqCst);
    if faults
        .secondary_window
        .is_some_and(|(after, count, _)| number > after && number <= after + count)
    {
        let status = faults.secondary_window.map_or(403, |(_, _, s)| s);
        return secondary_limit(state, status);
    }
    if faults.max_in_flight.is_some_and(|max| in_flight > max) {
        return secondary_limit(state, 403);
    }
    {
        let mut f = state.faults.lock().unwrap();
        if take_once(&mut f.fail_5xx_once, &path) {
            state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
            return json_response(502, &json!({"message": "Server Error"}), &[], state, "core");
        }
        if take_once(&mut f.secondary_once, &path) {
            state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
            return json_response(
                403,
                &json!({"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}),
                &[("retry-after", "1".to_owned())],
                state,
                "core",
            );
        }
        if let Some((_, permission)) = f.forbidden.iter().find(|(p, _)| path.contains(p.as_str())) {
            return json_response(
                403,
                &json!({"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"}),
                &[("x-accepted-github-permissions", permission.clone())],
                state,
                "core",
            );
        }
    }
    let truncate = take_once(&mut state.faults.lock().unwrap().truncate_once, &path);
    if graphql {
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let query = request.get("query").and_then(Value::as_str).unwrap_or("");
        let variables = request.get("variables").cloned().unwrap_or(json!({}));
        let ids = variables
            .get("ids")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if faults.graphql_max_ids.is_some_and(|max| ids > max) {
            state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
            return json_response(
                502,
                &json!({"message": "Server Error"}),
                &[],
                state,
                "graphql",
            );
        }
        let limited = std::mem::take(&mut state.faults.lock().unwrap().graphql_rate_limited_once);
        if limited {
            state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
            return json_response(
                200,
                &json!({"errors": [{"type": "RATE_LIMITED", "message": "API rate limit already exceeded for user ID 1."}]}),
                &[],
                state,
                "graphql-limited",
            );
        }
        let (answer, points) = graphql::execute_charged(&world, query, &variables, |points| {
            let mut rate = state.graphql_rate.lock().unwrap();
            if now() >= rate.reset {
                rate.remaining = 5000;
                rate.reset = now() + 3600;
            }
            rate.remaining = rate.remaining.saturating_sub(points);
            (rate.remaining, 5000 - rate.remaining)
        });
        state
            .counters
            .graphql_points
            .fetch_add(points, Ordering::SeqCst);
        return finish(state, &answer, truncate, &[], "graphql");
    }
    // REST: rate limit first.
    {
        let mut rate = state.rate.lock().unwrap();
        if now() >= rate.reset {
            rate.remaining = 5000;
            rate.reset = now() + 3600;
        }
        if let Some((after, low, secs)) = faults.low_remaining
            && state.counters.rest.load(Ordering::SeqCst) == after
        {
            rate.remaining = low;
            rate.reset = now() + secs;
        }
        if rate.remaining == 0 {
            drop(rate);
            state.counters.rate_limited.fetch_add(1, Ordering::SeqCst);
            return json_response(
                403,
                &json!({"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}),
                &[],
                state,
                "core",
            );
        }
    }
    let Some(route) = path
        .strip_prefix(&state.prefix)
        .filter(|r| r.starts_with('/'))
    else {
        return json_response(404, &json!({"message": "Not Found"}), &[], state, "core");
    };
    let route = route.to_owned();
    if method != hyper::Method::GET && method != hyper::Method::HEAD {
        // Writes: validated, applied to a copy of the world that replaces it on success.
        let (status, answer) = {
            let mut guard = state.world.lock().unwrap();
            let mut changed = (**guard).clone();
            let outcome = writes::answer(&mut changed, &method, &route, &body);
            if outcome.0 < 300 {
                changed.reindex();
                *guard = Arc::new(changed);
            }
            outcome
        };
        return match answer {
            Some(body) => json_response(status, &body, &[], state, "core"),
            None => raw_response(status, Bytes::new(), &[], state, "core", true),
        };
    }
    let (reply, extra) = route_rest(state, &world, &route);
    match reply {
        Reply::Json(body) => {
            let text = serde_json::to_string(&body).unwrap_or_default();
            let etag = format!("W/\"{}\"", posture::model::content_hash(&text));
            if if_none_match.as_deref() == Some(etag.as_str()) {
                state.counters.not_modified.fetch_add(1, Ordering::SeqCst);
                let mut headers = extra.clone();
                headers.push(("etag", etag));
                return raw_response(304, Bytes::new(), &headers, state, "core", false);
            }
            let mut headers = extra;
            headers.push(("etag", etag));
            finish(state, &body, truncate, &headers, "core")
        }
        Reply::Redirect(status, location) => {
            let origin = state.origin.lock().unwrap().clone();
            let location = location.replace("{origin}", &format!("{origin}{}", state.prefix));
            json_response(
                status,
                &json!({"message": "Moved Permanently", "url": location, "documentation_url": "https://docs.github.com/rest"}),
                &[("location", location.clone())],
                state,
                "core",
            )
        }
        Reply::Error(status, message, permission) => {
            let mut headers = Vec::new();
            if let Some(p) = permission {
                headers.push(("x-accepted-github-permissions", p));
            }
            json_response(
                status,
                &json!({"message": message, "documentation_url": "https://docs.github.com/rest"}),
                &headers,
                state,
                "core",
            )
        }
    }
}
