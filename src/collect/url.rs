//! Rules every API URL posture sends a token to obeys, shared by GitHub and GitLab:
//! credentials in a URL (`https://user:secret@host`) are never echoed ([`redact_userinfo`]),
//! and plain `http` is accepted only for a loopback host (a local test server): anywhere else
//! the token would cross the network in clear ([`check_scheme`]).

/// `text` with the userinfo of every URL in it (`scheme://USER:PASS@host`) replaced by
/// `[redacted]`. Use on any message that may quote a URL the user or a file gave.
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends at the first `/`, `?`, `#`, quote or whitespace.
        let end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '>') || c.is_whitespace())
            .unwrap_or(tail.len());
        match tail[..end].rfind('@') {
            Some(userinfo_end) => {
                out.push_str("[redacted]");
                rest = &tail[userinfo_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// A URL flag's value as it may be shown in a message: [`redact_userinfo`] for a URL, and for
/// a value that does not parse as one (`oauth2:SECRET@host`, no scheme) everything before its
/// last `@`, which can only be a credential or a typo, is withheld too.
pub fn redact_flag_value(value: &str) -> String {
    if value.contains("://") {
        return redact_userinfo(value);
    }
    match value.rsplit_once('@') {
        Some((_, host)) => format!("[redacted]@{host}"),
        None => value.to_string(),
    }
}

/// True for `localhost`, `127.0.0.0/8` and `[::1]` (with or without a port).
pub fn is_loopback(host: &str) -> bool {
    let name = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `https` anywhere; `http` only to a loopback host. `flag` names the option for the message.
pub fn check_scheme(flag: &str, scheme: &str, host: &str) -> Result<(), String> {
    match scheme {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(format!(
            "{flag} http://{} would send the token in clear; use https \
             (plain http is accepted only for a loopback test server)",
            redact_userinfo(host).rsplit('@').next().unwrap_or_default()
        )),
        other => Err(format!(
            "{flag} must be https (or http to a loopback host), not {}",
            redact_userinfo(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted_wherever_a_url_appears() {
        assert_eq!(
            redact_userinfo("bad --url \"https://oauth2:glpat-abc@gitlab.example/x\" here"),
            "bad --url \"https://[redacted]@gitlab.example/x\" here"
        );
        assert_eq!(
            redact_userinfo("http://u:p@h:1 and https://ok.example/a@b"),
            "http://[redacted]@h:1 and https://ok.example/a@b"
        );
        assert_eq!(redact_userinfo("no url"), "no url");
        assert_eq!(redact_userinfo("x://"), "x://");
        assert_eq!(
            redact_flag_value("oauth2:glpat-abc@gitlab.example?x"),
            "[redacted]@gitlab.example?x"
        );
        assert_eq!(redact_flag_value("gitlab.example"), "gitlab.example");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for host in ["127.0.0.1:8080", "localhost", "[::1]:9", "127.1.2.3"] {
            assert!(check_scheme("--url", "http", host).is_ok(), "{host}");
        }
        for host in ["example.com", "10.0.0.1:80", "127.0.0.1.evil.example"] {
            assert!(check_scheme("--url", "http", host).is_err(), "{host}");
        }
        assert!(check_scheme("--url", "https", "example.com").is_ok());
        assert!(check_scheme("--url", "ftp", "example.com").is_err());
    }
}
