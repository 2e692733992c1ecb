//! The GitHub token: `GITHUB_TOKEN`, then `GH_TOKEN`, then `gh auth token`. Never logged,
//! never stored, never in an error message (see [`Token::redact`]).

use std::fmt;

/// A secret token. `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// A token from its text (trimmed).
    pub fn new(text: &str) -> Self {
        Token(text.trim().to_owned())
    }

    /// The secret itself, for the `Authorization` header only.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `[redacted]`.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_owned();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// Find a GitHub token: `GITHUB_TOKEN`, then `GH_TOKEN`, then `gh auth token` when `gh` exists.
pub fn github_token() -> Option<Token> {
    for var in ["GITHUB_TOKEN", "GH_TOKEN"] {
        if let Ok(value) = std::env::var(var)
            && !value.trim().is_empty()
        {
            return Some(Token::new(&value));
        }
    }
    let output = std::process::Command::new("gh")
        .args(["auth", "token"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    (!text.trim().is_empty()).then(|| Token::new(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_redact_hide_the_token() {
        let token = Token::new("ghp_SECRETSECRET\n");
        assert_eq!(format!("{token:?}"), "Token([redacted])");
        assert_eq!(
            token.redact("bad ghp_SECRETSECRET here"),
            "bad [redacted] here"
        );
    }
}
