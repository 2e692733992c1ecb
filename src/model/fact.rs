//! Facts that may be unreadable: every platform read is either known or carries why not.

use serde::{Deserialize, Serialize};

/// Why a fact could not be read: the HTTP status (when there was one), a human reason,
/// and the permission the platform says is missing (GitHub's `X-Accepted-GitHub-Permissions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    /// HTTP status of the failed read, if the failure came from an HTTP answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Human-readable reason, e.g. `Resource not accessible by integration`.
    pub reason: String,
    /// The permission or tier that would make the fact readable, e.g. `Administration:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
}

impl Unreadable {
    /// An unreadable fact from an HTTP status, reason and optional missing permission.
    pub fn new(status: Option<u16>, reason: impl Into<String>, needs: Option<&str>) -> Self {
        Self {
            status,
            reason: reason.into(),
            needs: needs.map(str::to_owned),
        }
    }

    /// One-line explanation used as a verdict's `reason`, e.g. `403: needs Administration:read`.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        if let Some(status) = self.status {
            out.push_str(&status.to_string());
            out.push_str(": ");
        }
        match &self.needs {
            Some(needs) => {
                out.push_str("needs ");
                out.push_str(needs);
            }
            None => out.push_str(&self.reason),
        }
        out
    }
}

/// A fact as the platform reported it: known, or unreadable with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact<T> {
    /// The platform answered; the value is what it said.
    Known(T),
    /// The platform refused or failed; the reason says why.
    Unreadable(Box<Unreadable>),
}

/// The reason of a fact the snapshot does not carry.
pub const NOT_IN_SNAPSHOT: &str = "not in this snapshot";

// No `Default` for `Fact`: a fact nobody read is unknown, never a default value.
impl<T> Fact<T> {
    /// A fact the snapshot does not carry (written before posture read it, or edited):
    /// unknown with the reason "not in this snapshot". The serde default of every `Fact`
    /// field, so missing data fails closed.
    pub fn not_in_snapshot() -> Self {
        Fact::Unreadable(Box::new(Unreadable::new(None, NOT_IN_SNAPSHOT, None)))
    }

    /// The value when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(value) => Some(value),
            Fact::Unreadable(_) => None,
        }
    }

    /// The reason when unreadable.
    pub fn unreadable(&self) -> Option<&Unreadable> {
        match self {
            Fact::Known(_) => None,
            Fact::Unreadable(why) => Some(why),
        }
    }

    /// Borrowing view, convenient with `?`-style matching: `Ok(value)` or `Err(reason)`.
    pub fn as_result(&self) -> Result<&T, &Unreadable> {
        match self {
            Fact::Known(value) => Ok(value),
            Fact::Unreadable(why) => Err(why),
        }
    }

    /// An unreadable fact from its parts.
    pub fn unreadable_with(status: Option<u16>, reason: &str, needs: Option<&str>) -> Self {
        Fact::Unreadable(Box::new(Unreadable::new(status, reason, needs)))
    }
}
