//! `.pre-commit-config.yaml` analysis.
#![no_main]
use libfuzzer_sys::fuzz_target;
use posture::pipeline::{FileKind, analyse};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = analyse(".pre-commit-config.yaml", text, Some(FileKind::PreCommit));
    }
});
