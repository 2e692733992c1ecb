//! Reading GitHub's response headers: rate-limit figures, `Link` pagination,
//! `X-Accepted-GitHub-Permissions`; and the small timing helpers of the client's retries.

use std::time::Duration;

use chrono::{DateTime, Utc};
use http::HeaderMap;

/// The longest pause posture takes for a rate limit. A platform that asks for a longer wait
/// (`Retry-After`, or a reset further away) stops the sync with the time to try again, rather
/// than sleeping for hours, or days for a hostile or broken header.
pub const MAX_PAUSE: Duration = Duration::from_secs(15 * 60);

/// What to do about a rate limit that asks for `secs` seconds.
#[derive(Debug, Clone, PartialEq)]
pub enum Pause {
    /// Sleep this long (at least a second), until about this time.
    Wait(Duration, DateTime<Utc>),
    /// Too long: stop the sync with this message (it names the time to try again).
    Stop(String),
}

/// Wait until just after a primary rate limit's `reset` (seconds since the epoch), telling the
/// progress listener; shared by the GitHub and GitLab clients. Too long a wait ([`pause_for`])
/// is an error naming the time to try again.
pub async fn wait_for_reset(
    reset: i64,
    now: i64,
    reason: String,
    progress: &crate::collect::progress::Progress,
) -> Result<(), String> {
    let secs = u64::try_from(reset.saturating_add(1).saturating_sub(now)).unwrap_or(0);
    match pause_for(secs, &reason) {
        Pause::Wait(wait, until) => {
            progress.emit(crate::collect::progress::Event::Paused { reason, until });
            tokio::time::sleep(wait).await;
            Ok(())
        }
        Pause::Stop(why) => Err(why),
    }
}

/// A pause of `secs` seconds for `what` (e.g. `403 API rate limit exceeded`), or a stop when
/// it is longer than [`MAX_PAUSE`]. Never overflows, whatever the header said.
pub fn pause_for(secs: u64, what: &str) -> Pause {
    let secs = secs.max(1);
    let now = Utc::now();
    if secs <= MAX_PAUSE.as_secs() {
        let wait = Duration::from_secs(secs);
        let until =
            now + chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::seconds(1));
        return Pause::Wait(wait, until);
    }
    let until = i64::try_from(secs)
        .ok()
        .and_then(chrono::Duration::try_seconds)
        .and_then(|d| now.checked_add_signed(d))
        .filter(|t| t.timestamp() < now.timestamp() + 366 * 24 * 3600);
    let when = match until {
        Some(t) => format!("until {}", t.format("%Y-%m-%d %H:%M:%S UTC")),
        None => format!("{secs} seconds, beyond any sensible reset"),
    };
    Pause::Stop(format!(
        "rate limit: {what}; the platform asks to wait {when}, longer than the {} minutes \
         posture waits; stopped — sync again after the reset",
        MAX_PAUSE.as_secs() / 60
    ))
}

/// Seconds until the reset named by header `name` (epoch seconds: GitHub's
/// `x-ratelimit-reset`, GitLab's `ratelimit-reset`), at least 1.
pub(crate) fn until_reset(headers: &HeaderMap, name: &str) -> u64 {
    let reset = header_u64(headers, name).unwrap_or(0);
    let now = u64::try_from(Utc::now().timestamp()).unwrap_or(0);
    reset.saturating_add(1).saturating_sub(now).max(1)
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
    fn pauses_are_bounded_and_never_overflow() {
        assert!(matches!(pause_for(0, "x"), Pause::Wait(d, _) if d == Duration::from_secs(1)));
        assert!(matches!(pause_for(60, "x"), Pause::Wait(d, _) if d == Duration::from_secs(60)));
        for secs in [
            MAX_PAUSE.as_secs() + 1,
            86_400 * 3,
            9_000_000_000_000,
            u64::MAX,
        ] {
            match pause_for(secs, "403 limited") {
                Pause::Stop(message) => {
                    assert!(message.contains("403 limited"), "{message}");
                    assert!(message.contains("sync again"), "{message}");
                }
                other => panic!("{secs}: {other:?}"),
            }
        }
        match pause_for(3600, "x") {
            Pause::Stop(message) => assert!(message.contains(" UTC"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

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
