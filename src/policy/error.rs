//! What can go wrong loading or evaluating Rego policies. `Display` is the one line the user
//! sees; the exit code is chosen at the command boundary (`commands::errors`).

use std::io;
use std::path::PathBuf;

/// The policies could not be read, compiled or evaluated.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A directory of the policy tree could not be listed.
    #[error("cannot read policy directory {}: {source}", .dir.display())]
    ReadDir {
        /// The directory.
        dir: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// An entry of a policy directory could not be read.
    #[error("cannot read {}: {source}", .dir.display())]
    ReadEntry {
        /// The directory being listed.
        dir: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// `--policy DIR` has no `.rego` files.
    #[error("no .rego policy files in {}", .dir.display())]
    NoFiles {
        /// The directory.
        dir: PathBuf,
    },
    /// A policy file could not be read.
    #[error("cannot read policy {}: {source}", .file.display())]
    ReadFile {
        /// The policy file.
        file: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A policy does not parse or compile, or fails at run time (regorus' report, one line).
    #[error("{}", bad_line(.at, .message))]
    Bad {
        /// `FILE:LINE:COL` when regorus names it, else the file or control.
        at: String,
        /// regorus' message.
        message: String,
    },
    /// The `metadata` rule ran past an execution limit.
    #[error("bad policy {file}: metadata {why}")]
    MetadataLimit {
        /// The first file of the package.
        file: String,
        /// Which limit, in words.
        why: String,
    },
    /// `metadata` is not an object.
    #[error(
        "bad policy {at}: metadata must be an object like {{\"title\": \"...\", \"severity\": \"high\"}}"
    )]
    MetadataNotObject {
        /// `FILE:LINE` of the `metadata` rule, else the file.
        at: String,
    },
    /// `metadata.severity` is not a severity.
    #[error("bad policy {at}: severity \"{severity}\" is not one of high, medium, low, info")]
    BadSeverity {
        /// `FILE:LINE` of the `metadata` rule, else the file.
        at: String,
        /// The severity given (one line, lower case).
        severity: String,
    },
    /// An earlier evaluation panicked while holding the engine: it cannot be trusted.
    #[error("the policy engine failed during an earlier run")]
    Poisoned,
}

/// `bad policy AT: MESSAGE` on one line.
fn bad_line(at: &str, message: &str) -> String {
    one_line(&format!("bad policy {at}: {message}"))
}

/// Untrusted text (policy messages may echo platform text) on one line, control characters out.
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}
