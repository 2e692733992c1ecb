//! Exit codes (`spec/cli.md`) and the error that carries one.

use std::fmt;

/// Success.
pub const OK: u8 = 0;
/// `check` found failures at or above `--fail-on`; `diff` found a verdict that got worse.
pub const FINDINGS: u8 = 1;
/// Usage or input error: bad flag, unreadable or invalid snapshot, bad policy.
pub const INPUT: u8 = 2;
/// Remote error: auth, network, rate limit exhausted.
pub const REMOTE: u8 = 3;
/// Fix refused or not verified.
pub const FIX: u8 = 4;

/// An error that ends the program with a specific exit code and a one-line message.
#[derive(Debug)]
pub struct ExitError {
    /// Exit code.
    pub code: u8,
    /// One-line message, printed as `posture: {message}`.
    pub message: String,
}

impl ExitError {
    /// An input error (exit 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            code: INPUT,
            message: message.into(),
        }
    }

    /// A remote error (exit 3).
    pub fn remote(message: impl Into<String>) -> Self {
        Self {
            code: REMOTE,
            message: message.into(),
        }
    }
}

impl fmt::Display for ExitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExitError {}

/// Result of a command: the exit code on success paths (0, or 1 for findings).
pub type CmdResult = Result<u8, ExitError>;
