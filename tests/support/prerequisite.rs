//! What a test needs from outside the crate — `../shared`, GitHub's schema, the pipeline corpus,
//! tmux — and what happens when it is missing.
//!
//! On a developer's machine a missing prerequisite skips the test with a message. In CI (the `CI`
//! environment variable set, as GitHub Actions and `.ci/run` callers do) every prerequisite is
//! installed, so a missing one means the set-up broke: the test fails instead of passing by
//! skipping.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the `CI` environment variable asks for strict prerequisites (set, and not `false`/`0`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| {
        let v = v.trim();
        !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")
    })
}

/// Report that `what` is missing: panics in CI, prints a skip message elsewhere. Returns `true`
/// so callers can write `if !present && prerequisite::missing("…") { return; }`.
pub fn missing(what: &str) -> bool {
    assert!(
        !in_ci(),
        "{what} is missing and CI is set: the CI set-up is broken (outside CI this test skips)"
    );
    eprintln!("skipping: {what} is missing");
    true
}

/// `../shared/<relative>`, found from the crate root.
pub fn shared_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative)
}

/// The text of `../shared/<relative>`, or `None` after [`missing`] (a skip, or a panic in CI).
pub fn read_shared(relative: &str) -> Option<String> {
    let path = shared_path(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            missing(&format!("{} ({e})", path.display()));
            None
        }
    }
}

/// Whether a working tmux is on the PATH; when it is not, [`missing`] has been called.
pub fn tmux_present() -> bool {
    let works = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    works || !missing("tmux (the TUI tests drive the real binary inside it)")
}
