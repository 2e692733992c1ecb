//! Unit tests of the exit codes the library's errors end with.

use std::path::Path;

use super::*;
use crate::config::SettingsError;

#[test]
fn library_errors_become_exit_2_with_their_message() {
    let err = crate::store::load(Path::new("/nonexistent/posture/x.json"));
    let Err(err) = err else {
        panic!("loaded a missing file")
    };
    let exit = ExitError::from(err);
    assert_eq!(exit.code, crate::exit::INPUT);
    assert!(
        exit.message
            .starts_with("cannot read snapshot /nonexistent/posture/x.json: ")
    );
    // Every layer's error ends with exit 2 and keeps its message word for word.
    let cases = [
        (
            ExitError::from(StoreError::NoCacheDir),
            "cannot find a cache directory for snapshots; set POSTURE_CACHE_DIR",
        ),
        (
            ExitError::from(ConfigError::Invalid(SettingsError {
                file: "/c/config.toml".into(),
                line: Some(2),
                message: "unknown field `bogus`".into(),
            })),
            "/c/config.toml:2: unknown field `bogus`",
        ),
        (
            ExitError::from(PolicyError::Poisoned),
            "the policy engine failed during an earlier run",
        ),
        (
            ExitError::from(OpenError::NoSnapshotOf { org: "acme".into() }),
            "no cached snapshot of acme; run `posture sync github --org acme` (or `posture sync \
             gitlab --group acme`), or pass --snapshot PATH",
        ),
        (
            ExitError::from(SelectError::NoMatch {
                pattern: "api-*".into(),
                org: "acme\u{1b}[31m".into(),
                in_scope: 3,
            }),
            "--repo \"api-*\" matches no repository in acme (3 in scope)",
        ),
        (
            ExitError::from(TuiError::NoTerminal),
            "the explorer needs a terminal (stdin and stdout are not both a tty); use `posture \
             report` or `posture check` in scripts",
        ),
    ];
    for (exit, message) in cases {
        assert_eq!(exit.code, crate::exit::INPUT, "{message}");
        assert_eq!(exit.message, message);
    }
}
