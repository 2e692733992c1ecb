//! Page-based pagination of every list the fake serves, as GitHub's REST API does it: `page`
//! and `per_page` (default 30, at most 100) and a `Link` header with `next`/`last`/`prev`/
//! `first` (REST docs "Using pagination in the REST API"; recording
//! `octokit-paginate-issues.json`). A list is a JSON array, or an object with `total_count`
//! and one array (`secrets`, `runners`, `environments`, …), whose `total_count` stays the
//! whole count on every page.

use serde_json::Value;

/// A route split into the route a world stores (query without `page`), the page asked for
/// and the page size.
pub(super) struct PageRequest {
    /// The route without `page=` (e.g. `/repos/acme/x/actions/secrets?per_page=100`).
    pub base: String,
    /// 1-based page.
    pub page: usize,
    /// Page size.
    pub per_page: usize,
}

pub(super) fn split(route: &str) -> PageRequest {
    let (path, query) = route.split_once('?').unwrap_or((route, ""));
    let mut page = 1;
    let mut per_page = 30;
    let mut kept = Vec::new();
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "page" => page = v.parse().unwrap_or(1),
            "per_page" => {
                per_page = v.parse::<usize>().unwrap_or(30).clamp(1, 100);
                kept.push(kv);
            }
            _ => kept.push(kv),
        }
    }
    let base = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    PageRequest {
        base,
        page: page.max(1),
        per_page,
    }
}

/// The page of `body` asked for and the number of pages; bodies that are not lists are
/// returned whole (one page).
pub(super) fn page_of(body: Value, request: &PageRequest) -> (Value, usize) {
    let start = (request.page - 1) * request.per_page;
    let cut = |items: &[Value]| -> Vec<Value> {
        items
            .iter()
            .skip(start)
            .take(request.per_page)
            .cloned()
            .collect()
    };
    match body {
        Value::Array(items) => {
            let pages = items.len().div_ceil(request.per_page).max(1);
            (Value::Array(cut(&items)), pages)
        }
        Value::Object(mut map) if map.contains_key("total_count") => {
            let list_key = map
                .iter()
                .find(|(_, v)| v.is_array())
                .map(|(k, _)| k.clone());
            let Some(key) = list_key else {
                return (Value::Object(map), 1);
            };
            let items = map
                .get(&key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let pages = items.len().div_ceil(request.per_page).max(1);
            map.insert(key, Value::Array(cut(&items)));
            (Value::Object(map), pages)
        }
        other => (other, 1),
    }
}

/// The `Link` header for `page` of `pages` of `base` served at `origin` (prefix included).
pub(super) fn link(origin: &str, base: &str, page: usize, pages: usize) -> Option<String> {
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = |p: usize| format!("<{origin}{base}{sep}page={p}>");
    let mut links = Vec::new();
    if page < pages {
        links.push(format!("{}; rel=\"next\"", url(page + 1)));
        links.push(format!("{}; rel=\"last\"", url(pages)));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", url(page - 1)));
        links.push(format!("{}; rel=\"first\"", url(1)));
    }
    (!links.is_empty()).then(|| links.join(", "))
}
