//! Unit tests of the exit codes the library's errors end with.

use std::path::Path;

use super::*;

#[test]
fn load_error_becomes_exit_2() {
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
}
