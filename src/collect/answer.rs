//! What a request to the platform comes back as: a JSON answer, or a failure that carries what
//! an unreadable fact needs to say (status, message, missing permission).

use serde_json::Value;

use crate::model::Unreadable;

/// A JSON answer (a 304 is answered from the cache and says so).
#[derive(Debug, Clone)]
pub struct Answer {
    /// Status of the answer (200 for a 304 answered from the cache).
    pub status: u16,
    /// The body (`Null` when empty).
    pub body: Value,
    /// `Link` header.
    pub link: Option<String>,
    /// `X-OAuth-Scopes` header, when present.
    pub scopes: Option<String>,
    /// True when the server said 304 and the body came from the ETag cache.
    pub cached: bool,
}

/// Why a request has no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The API answered with an error status.
    Http {
        /// Status.
        status: u16,
        /// The API's `message`.
        message: String,
        /// Permission named by `X-Accepted-GitHub-Permissions`, e.g. `Administration:read`.
        needs: Option<String>,
    },
    /// No usable answer: connection failure, timeout, truncated or invalid body.
    Transport(String),
}

impl Failure {
    /// The failure as an unreadable fact.
    pub fn unreadable(&self) -> Unreadable {
        match self {
            Failure::Http {
                status,
                message,
                needs,
            } => Unreadable::new(Some(*status), message.clone(), needs.as_deref()),
            Failure::Transport(why) => Unreadable::new(None, why.clone(), None),
        }
    }

    /// The one-line message of a failed pre-flight read of `route`.
    pub fn preflight(route: &str, failure: &Failure) -> String {
        match failure {
            Failure::Http {
                status: 401,
                message,
                ..
            } => format!("the token was refused (GET {route}: 401 {message})"),
            f => format!("pre-flight GET {route} failed: {}", f.describe()),
        }
    }

    /// One line for the user.
    pub fn describe(&self) -> String {
        match self {
            Failure::Http {
                status, message, ..
            } => format!("{status} {message}"),
            Failure::Transport(why) => why.clone(),
        }
    }
}
