//! `.gitlab-ci.yml` analysis with a local include: the input is the main file, optionally
//! followed by `\n#--8<--\n` and the included file `ci/included.yml`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use posture::pipeline::{FileKind, analyse_in_repo, resolve_local_callees};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (main, included) = text.split_once("\n#--8<--\n").unwrap_or((text, ""));
    let inc = analyse_in_repo("ci/included.yml", included, Some(FileKind::GitlabCi), None);
    let mut top = analyse_in_repo(".gitlab-ci.yml", main, Some(FileKind::GitlabCi), None);
    resolve_local_callees(&mut top, |_| Some(&inc));
    let _ = analyse_in_repo("ci.yml", main, None, None);
});
