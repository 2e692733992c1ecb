//! The one place where the library's typed errors become exit codes (`spec/cli.md`): each
//! layer's error keeps its own variants and message, and the command boundary decides how
//! the program ends. Every conversion keeps the message (`Display`) unchanged.

use crate::config::ConfigError;
use crate::exit::ExitError;
use crate::policy::PolicyError;
use crate::store::{LoadError, StoreError};

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

#[cfg(test)]
mod tests;
