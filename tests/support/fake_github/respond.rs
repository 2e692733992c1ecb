//! The fake's REST answers: routing (the org listing with `Link` pagination, the world's
//! routes) and responses with GitHub's headers (`x-ratelimit-*`, media type, request id).

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::Response;
use hyper::body::Frame;
use serde_json::{Value, json};

use super::paging;
use super::world::{Reply, World};
use super::{Body, State, now};

pub(super) fn route_rest(
    state: &State,
    world: &World,
    route: &str,
) -> (Reply, Vec<(&'static str, String)>) {
    if route == "/user" {
        return (
            Reply::Json(json!({"login": world.login, "id": 1, "type": "User"})),
            vec![("x-oauth-scopes", world.scopes.clone())],
        );
    }
    if route == format!("/orgs/{}", world.org) {
        return (Reply::Json(world.org_json.clone()), Vec::new());
    }
    let listing = format!("/orgs/{}/repos", world.org);
    if let Some(query) = route.strip_prefix(&listing)
        && (query.is_empty() || query.starts_with('?'))
    {
        let params: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect();
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let per_page: usize = get("per_page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30)
            .clamp(1, 100);
        let page: usize = get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
        let pages = world.repos.len().div_ceil(per_page).max(1);
        let items: Vec<Value> = world
            .repos
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|r| r.listing_view())
            .collect();
        let origin = format!("{}{}", state.origin.lock().unwrap(), state.prefix);
        let other: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "page")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let base = if other.is_empty() {
            listing.clone()
        } else {
            format!("{listing}?{}", other.join("&"))
        };
        let headers = paging::link(&origin, &base, page, pages)
            .map(|l| vec![("link", l)])
            .unwrap_or_default();
        return (Reply::Json(Value::Array(items)), headers);
    }
    let request = paging::split(route);
    match world.rest(&request.base) {
        Some(Reply::Json(body)) => {
            let (body, pages) = paging::page_of(body, &request);
            let origin = format!("{}{}", state.origin.lock().unwrap(), state.prefix);
            let headers = paging::link(&origin, &request.base, request.page, pages)
                .map(|l| vec![("link", l)])
                .unwrap_or_default();
            (Reply::Json(body), headers)
        }
        Some(reply) => (reply, Vec::new()),
        None => (Reply::Error(404, "Not Found".into(), None), Vec::new()),
    }
}

pub(super) fn finish(
    state: &State,
    body: &Value,
    truncate: bool,
    headers: &[(&'static str, String)],
    resource: &str,
) -> Response<Body> {
    let text = serde_json::to_vec(body).unwrap_or_default();
    if truncate {
        state.counters.faults_served.fetch_add(1, Ordering::SeqCst);
        // Announce the whole length, send half, and let the connection end: the client sees
        // the body cut short, as when a connection drops mid-answer.
        let half = Bytes::copy_from_slice(&text[..text.len() / 2]);
        let mut headers = headers.to_vec();
        headers.push(("content-length", text.len().to_string()));
        let mut response = raw_response(200, Bytes::new(), &headers, state, resource, true);
        let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
            Ok(Frame::data(half)),
            Err(std::io::Error::other("connection cut by the fake")),
        ];
        *response.body_mut() = StreamBody::new(futures_util::stream::iter(frames)).boxed();
        return response;
    }
    raw_response(200, Bytes::from(text), headers, state, resource, true)
}

pub(super) fn json_response(
    status: u16,
    body: &Value,
    headers: &[(&'static str, String)],
    state: &State,
    resource: &str,
) -> Response<Body> {
    let text = serde_json::to_vec(body).unwrap_or_default();
    raw_response(status, Bytes::from(text), headers, state, resource, true)
}

pub(super) fn raw_response(
    status: u16,
    body: Bytes,
    headers: &[(&'static str, String)],
    state: &State,
    resource: &str,
    counts: bool,
) -> Response<Body> {
    if status >= 400 {
        state.counters.refused.fetch_add(1, Ordering::SeqCst);
    }
    let (remaining, reset) = {
        let mut rate = state.rate.lock().unwrap();
        if resource == "core" && counts && status != 304 && rate.remaining > 0 && status != 401 {
            rate.remaining -= 1;
        }
        if resource == "core" {
            (rate.remaining, rate.reset)
        } else if resource == "graphql-limited" {
            (0, now() + 1)
        } else {
            let graphql = state.graphql_rate.lock().unwrap();
            (graphql.remaining, graphql.reset)
        }
    };
    let resource = resource.trim_end_matches("-limited");
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-github-media-type", "github.v3; format=json")
        .header("x-github-request-id", "0000:00000:0000000:0000000:00000000")
        .header("access-control-expose-headers", "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset")
        .header("x-ratelimit-limit", "5000")
        .header("x-ratelimit-remaining", remaining.to_string())
        .header("x-ratelimit-reset", reset.to_string())
        .header("x-ratelimit-used", (5000 - remaining.min(5000)).to_string())
        .header("x-ratelimit-resource", resource);
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder
        .body(full(body))
        .unwrap_or_else(|_| Response::new(full(Bytes::new())))
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

/// Counts a request in flight until dropped.
pub(super) struct InFlight<'a>(pub &'a AtomicU64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub(super) fn secondary_limit(state: &State, status: u16) -> Response<Body> {
    state
        .counters
        .secondary_limited
        .fetch_add(1, Ordering::SeqCst);
    json_response(
        status,
        &json!({"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}),
        &[("retry-after", "1".to_owned())],
        state,
        "core",
    )
}
