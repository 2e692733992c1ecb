//! Reading GitHub's response headers: rate-limit figures, `Link` pagination,
//! `X-Accepted-GitHub-Permissions`; and the small timing helpers of the client's retries.

use std::time::Duration;

use chrono::Utc;
use http::HeaderMap;

pub(crate) fn until_reset(headers: &HeaderMap) -> Duration {
    let reset = header_u64(headers, "x-ratelimit-reset").unwrap_or(0) as i64;
    let secs = (reset + 1 - Utc::now().timestamp()).clamp(1, 3600);
    Duration::from_secs(secs as u64)
}

pub(crate) fn jitter() -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    Duration::from_millis(u64::from(nanos % 200))
}

pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        out.push_str(": ");
        out.push_str(&inner.to_string());
        source = inner.source();
    }
    out
}

pub(crate) fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

pub(crate) fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_str(headers, name).and_then(|v| v.trim().parse().ok())
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

/// `X-Accepted-GitHub-Permissions: administration=read; metadata=read` →
/// `Administration:read, Metadata:read`.
pub fn permission_names(header: &str) -> String {
    header
        .split([';', ','])
        .filter_map(|part| {
            let (name, level) = part.trim().split_once('=')?;
            let mut chars = name.trim().chars();
            let first = chars.next()?;
            let name: String = first
                .to_uppercase()
                .chain(chars.map(|c| if c == '_' { ' ' } else { c }))
                .collect();
            Some(format!("{name}:{}", level.trim()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_and_permissions() {
        let link = "<https://api.github.com/orgs/a/repos?page=2>; rel=\"next\", \
                    <https://api.github.com/orgs/a/repos?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.github.com/orgs/a/repos?page=2")
        );
        assert_eq!(next_link("<https://x/y?page=1>; rel=\"prev\""), None);
        assert_eq!(
            permission_names("administration=read"),
            "Administration:read"
        );
        assert_eq!(
            permission_names("secrets=read; actions_variables=read"),
            "Secrets:read, Actions variables:read"
        );
    }
}
