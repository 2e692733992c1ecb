//! GitHub workflow / composite action analysis, with a local callee resolved against itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use posture::pipeline::{FileKind, analyse_in_repo, detect_kind, resolve_local_callees};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = detect_kind(".github/workflows/ci.yml", text);
    let first = analyse_in_repo(
        ".github/workflows/ci.yml",
        text,
        Some(FileKind::GithubActions),
        Some("acme/api"),
    );
    let mut resolved = first.clone();
    resolve_local_callees(&mut resolved, |_| Some(&first));
    let _ = analyse_in_repo("action.yml", text, None, None);
});
