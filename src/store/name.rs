//! Snapshot file names: `{provider}--{org}--{taken_at}.json`, the org percent-encoded so a
//! GitLab path (`group/sub`) or any odd character stays one safe file name, and the time
//! as `20261125T100000.000Z` so names sort by time within an org.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::model::Provider;

/// Extension of snapshot files.
pub const SNAPSHOT_EXT: &str = "json";
/// Extension of the small index file written next to each snapshot.
pub const META_EXT: &str = "meta";

const TIME_FORMAT: &str = "%Y%m%dT%H%M%S%.3fZ";

/// The longest org part of a file name; longer ones keep a readable prefix and a hash of the
/// whole (file names are limited to 255 bytes on common filesystems, and temp names and
/// extensions need room too).
pub const MAX_ORG_PART: usize = 120;

/// The file stem (no extension) of a snapshot.
pub fn stem(provider: Provider, org: &str, taken_at: DateTime<Utc>) -> String {
    format!(
        "{}--{}--{}",
        provider.as_str(),
        bounded(&encode(org)),
        taken_at.format(TIME_FORMAT)
    )
}

/// `name` itself when at most [`MAX_ORG_PART`] bytes, else its first bytes (never cutting a
/// `%XX` escape), `~` and 16 hex digits of the SHA-256 of the whole name: still readable,
/// still distinct.
pub fn bounded(name: &str) -> String {
    if name.len() <= MAX_ORG_PART {
        return name.to_owned();
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let mut cut = MAX_ORG_PART - hash.len() - 1;
    // Only ASCII is kept by `encode`; step back out of a `%XX` escape.
    while cut > 0 && !name.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(pct) = name[..cut].rfind('%')
        && pct + 3 > cut
    {
        cut = pct;
    }
    format!("{}~{hash}", &name[..cut])
}

/// What a snapshot file name says: provider, org and time (to the millisecond).
pub fn parse_stem(stem: &str) -> Option<(Provider, String, DateTime<Utc>)> {
    let (rest, time) = stem.rsplit_once("--")?;
    let (provider, org) = rest.split_once("--")?;
    let provider = match provider {
        "github" => Provider::Github,
        "gitlab" => Provider::Gitlab,
        _ => return None,
    };
    let taken_at = NaiveDateTime::parse_from_str(time, TIME_FORMAT)
        .ok()?
        .and_utc();
    Some((provider, decode(org)?, taken_at))
}

/// Keep `[A-Za-z0-9._-]`, percent-encode every other byte (`/` becomes `%2F`).
fn encode(org: &str) -> String {
    let mut out = String::with_capacity(org.len());
    for byte in org.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode(encoded: &str) -> Option<String> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = encoded.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn round_trips_gitlab_paths_and_odd_names() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 7)
            .single()
            .unwrap_or_default()
            + chrono::Duration::milliseconds(42);
        for org in ["acme", "grp/sub/team", "we--ird__na.me", "ünï %2F", ""] {
            let s = stem(Provider::Gitlab, org, at);
            assert!(!s.contains('/'), "{s}");
            assert_eq!(parse_stem(&s), Some((Provider::Gitlab, org.to_owned(), at)));
        }
        assert_eq!(
            stem(Provider::Github, "grp/sub", at),
            "github--grp%2Fsub--20261125T100007.042Z"
        );
    }

    #[test]
    fn long_group_paths_give_bounded_distinct_listable_names() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 7)
            .single()
            .unwrap_or_default();
        let long = format!("{}/{}", "a".repeat(115), "b".repeat(115));
        let other = format!("{}/{}", "a".repeat(115), "c".repeat(115));
        let s = stem(Provider::Gitlab, &long, at);
        assert!(s.len() + ".json".len() < 200, "{} bytes", s.len());
        assert!(s.starts_with("gitlab--aaaa"), "{s}");
        assert_ne!(s, stem(Provider::Gitlab, &other, at));
        assert!(parse_stem(&s).is_some(), "still recognised as a snapshot");
        // A cut never splits a `%XX` escape.
        let slashes = "/".repeat(100);
        let b = bounded(&encode(&slashes));
        assert!(b.split('~').next().unwrap().len().is_multiple_of(3), "{b}");
    }

    #[test]
    fn foreign_names_are_not_snapshots() {
        for name in [
            "notes",
            "github--acme",
            "svn--acme--20261125T100000.000Z",
            "github--a--yesterday",
        ] {
            assert_eq!(parse_stem(name), None, "{name}");
        }
    }
}
