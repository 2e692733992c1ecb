//! The public parsers of HTTP answers: GitHub GraphQL repository/ruleset nodes, `Link` and
//! `X-Accepted-GitHub-Permissions` headers, API base URLs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use posture::collect::github::query;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = query::nodes(Some(&value));
        let _ = query::classic_protection(&value);
        let _ = query::branch_rules(&value);
        let _ = query::ruleset(&value);
        let _ = query::workflow_files(&value);
        let _ = query::workflow_files_without_text(&value);
        let _ = query::codeowners(&value);
        for node in query::nodes(value.get("nodes")) {
            let _ = query::ruleset(node);
            let _ = query::branch_rules(node);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = posture::collect::headers::next_link(text);
        let _ = posture::collect::headers::permission_names(text);
        if let Ok(base) = posture::collect::api::ApiBase::parse(Some(text)) {
            let _ = base.path_of(text);
            let _ = base.rest("/repos/a/b");
        }
    }
});
