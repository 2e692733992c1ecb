//! GitLab's dialect of REST: where the API lives (`/api/v4` below the instance URL, or below a
//! relative URL root), URL-encoded path ids, `X-Next-Page`/`Link` pagination, error bodies and
//! `RateLimit-Reset`.

use http::HeaderMap;
use serde_json::Value;

use crate::collect::headers::header_str;
use crate::collect::headers::next_link;

/// Where GitLab requests go: the instance origin and the REST prefix (`/api/v4`, below a
/// relative URL root on some self-managed instances).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitlabBase {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// `/api/v4`, or `/ROOT/api/v4`.
    pub prefix: String,
}

impl GitlabBase {
    /// Parse `--url`; `None` is GitLab.com. Errors are one line for the user.
    pub fn parse(url: Option<&str>) -> Result<Self, String> {
        let url = url
            .unwrap_or("https://gitlab.com")
            .trim()
            .trim_end_matches('/');
        let shown = crate::collect::url::redact_flag_value(url);
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("--url {shown:?} is not a URL (expected https://HOST)"))?;
        if rest.contains(['?', '#']) {
            return Err(format!("--url {shown:?} must not have a query or fragment"));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if host.is_empty() || host.contains('@') {
            return Err(format!("--url {shown:?} has no usable host"));
        }
        crate::collect::url::check_scheme("--url", scheme, host)?;
        let path = path.strip_suffix("/api/v4").unwrap_or(path);
        Ok(Self {
            origin: format!("{scheme}://{host}"),
            prefix: format!("{path}/api/v4"),
        })
    }

    /// The API base as recorded in the snapshot (`api_host`).
    pub fn display(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    /// True for GitLab.com, whose instance runners are GitLab-hosted.
    pub fn is_gitlab_com(&self) -> bool {
        self.origin == "https://gitlab.com"
    }
}

/// Percent-encode a path or file path for one URL segment (`group/sub/p` → `group%2Fsub%2Fp`).
pub fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The next page as a `Link`-style header: from GitLab's `Link` when present, else built from
/// `X-Next-Page` (some proxies strip `Link`; keyset pagination sends only `Link`).
pub(super) fn pagination_link(
    base: &GitlabBase,
    path: &str,
    headers: &HeaderMap,
) -> Option<String> {
    // GitLab writes `Link` with its configured external URL, which may differ from `--url`
    // (a proxy, an internal name): the next page is taken below our own API base, so every
    // request still goes to `--url` and nowhere else.
    if let Some(link) = header_str(headers, "link")
        && let Some(next) = next_link(&link)
        && let Some(at) = next.find("/api/v4/")
    {
        let rest = &next[at + "/api/v4".len()..];
        return Some(format!(
            "<{}{}{rest}>; rel=\"next\"",
            base.origin, base.prefix
        ));
    }
    let next = header_str(headers, "x-next-page")?;
    let next: u64 = next.trim().parse().ok()?;
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .collect();
    let page = format!("page={next}");
    params.push(&page);
    Some(format!(
        "<{}{route}?{}>; rel=\"next\"",
        base.origin,
        params.join("&")
    ))
}

/// GitLab error bodies: `{"message": "403 Forbidden"}`, `{"message": {"field": ["…"]}}`,
/// `{"error": "insufficient_scope", "error_description": "…"}`.
pub(super) fn message_of(body: &Value) -> Option<String> {
    match body.get("message") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) if !other.is_null() => Some(other.to_string()),
        _ => body
            .get("error_description")
            .or_else(|| body.get("error"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn base_encode_and_next_page() {
        let b = GitlabBase::parse(Some("http://127.0.0.1:9/")).unwrap();
        assert_eq!(b.display(), "http://127.0.0.1:9/api/v4");
        let root = GitlabBase::parse(Some("https://git.example.com/gitlab/api/v4")).unwrap();
        assert_eq!(root.prefix, "/gitlab/api/v4");
        assert!(GitlabBase::parse(None).unwrap().is_gitlab_com());
        assert!(GitlabBase::parse(Some("ftp://x")).is_err());
        assert_eq!(encode("g/sub/p.x"), "g%2Fsub%2Fp.x");
        let mut h = HeaderMap::new();
        h.insert("x-next-page", HeaderValue::from_static("3"));
        let link = pagination_link(&b, "/api/v4/groups/1/projects?per_page=100&page=2", &h);
        assert_eq!(
            link.as_deref().and_then(next_link).as_deref(),
            Some("http://127.0.0.1:9/api/v4/groups/1/projects?per_page=100&page=3")
        );
        h.insert("x-next-page", HeaderValue::from_static(""));
        assert_eq!(pagination_link(&b, "/api/v4/x", &h), None);
        // `Link` written with another external URL is rebased onto ours.
        h.insert(
            "link",
            HeaderValue::from_static(
                "<https://gitlab.example.com/git/api/v4/groups/1/projects?page=2>; rel=\"next\"",
            ),
        );
        assert_eq!(
            pagination_link(&root, "/gitlab/api/v4/groups/1/projects", &h)
                .as_deref()
                .and_then(next_link)
                .as_deref(),
            Some("https://git.example.com/gitlab/api/v4/groups/1/projects?page=2")
        );
        assert_eq!(
            message_of(&serde_json::json!({"message": "403 Forbidden"})).as_deref(),
            Some("403 Forbidden")
        );
    }
}
