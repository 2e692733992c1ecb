//! The one place where the library's typed errors become exit codes (`spec/cli.md`): each
//! layer's error keeps its own variants and message, and the command boundary decides how
//! the program ends. Every conversion keeps the message (`Display`) unchanged.

use crate::config::ConfigError;
use crate::exit::ExitError;
use crate::open::OpenError;
use crate::policy::PolicyError;
use crate::report::SelectError;
use crate::store::{LoadError, StoreError};
use crate::tui::TuiError;

/// An unreadable or invalid snapshot file is an input error (exit 2).
impl From<LoadError> for ExitError {
    fn from(err: LoadError) -> Self {
        ExitError::input(err.to_string())
    }
}

/// An unusable snapshot cache is an input error (exit 2).
impl From<StoreError> for ExitError {
    fn from(err: StoreError) -> Self {
        ExitError::input(err.to_string())
    }
}

/// An unreadable or invalid `config.toml` is an input error (exit 2).
impl From<ConfigError> for ExitError {
    fn from(err: ConfigError) -> Self {
        ExitError::input(err.to_string())
    }
}

/// Unreadable, invalid or failing Rego policies are an input error (exit 2).
impl From<PolicyError> for ExitError {
    fn from(err: PolicyError) -> Self {
        ExitError::input(err.to_string())
    }
}

/// A snapshot that cannot be opened (none cached, unreadable, failing policies) is an input
/// error (exit 2).
impl From<OpenError> for ExitError {
    fn from(err: OpenError) -> Self {
        ExitError::input(err.to_string())
    }
}

/// A `--repo` glob that is invalid or matches nothing is an input error (exit 2).
impl From<SelectError> for ExitError {
    fn from(err: SelectError) -> Self {
        ExitError::input(err.to_string())
    }
}

/// An explorer that cannot start (bad theme, no terminal) or ends abnormally (terminal I/O,
/// a crashed worker) is an input error (exit 2).
impl From<TuiError> for ExitError {
    fn from(err: TuiError) -> Self {
        ExitError::input(err.to_string())
    }
}

#[cfg(test)]
mod tests;
