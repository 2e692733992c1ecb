//! Rego input building: a snapshot (any that parses) → the JSON lines policies see.
#![no_main]
use libfuzzer_sys::fuzz_target;
use posture::assess::Registry;
use posture::config::Settings;
use posture::open::{Origin, open_snapshot};

fuzz_target!(|data: &[u8]| {
    if let Ok(snapshot) = posture::store::parse(data, "fuzz.json") {
        let registry = Registry::builtin();
        let origin = Origin::File("fuzz.json".into());
        // The built-in registry has no Rego policies, so judging cannot fail.
        let Ok(opened) = open_snapshot(snapshot, origin, Settings::default(), &registry) else {
            return;
        };
        let rows: Vec<usize> = (0..opened.snapshot.repos.len()).collect();
        let _ = posture::policy::input::json_lines(&opened.snapshot, &opened.assessment, &rows);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = posture::policy::input::uses_refs(text);
    }
});
