//! Contract tests against GitHub's recorded exchanges (`../shared/github/recordings`): every
//! recorded answer of a route the product reads is parsed by the product's own parsers
//! (`posture::collect::github::rest`), and the fake's answer for the same route has the same
//! shape — each field the fake sends exists in the recording with the same JSON type
//! (`null` on either side matches any type; lists compare their first items).

mod support;

use support::{fake_github, github_schema, http, prerequisite};

use std::collections::BTreeSet;

use fake_github::FakeGithub;
use fake_github::fixtures::{TOKEN, acme};
use posture::collect::github::rest;
use posture::model::Fact;
use serde_json::Value;

/// Fields the fake sends that the (older) recordings predate; each is in GitHub's REST
/// reference for the route.
const DOCUMENTED_NOT_RECORDED: &[&str] = &[
    // REST "Get a repository": returned to admins.
    "security_and_analysis",
    // REST "Get a repository"/"List organization repositories": `visibility`, `topics`.
    "visibility",
    "topics",
    // REST "Get an organization".
    "secret_scanning_enabled_for_new_repositories",
    "secret_scanning_push_protection_enabled_for_new_repositories",
    // REST repository `permissions` (roles added after the recordings): maintain, triage.
    "maintain",
    "triage",
    // REST "List organization repositories": the `permissions` object of each
    // minimal-repository, sent when the request is authenticated (the recording was not).
    "permissions",
    // REST "List self-hosted runners for a repository": `ephemeral` on each runner (ephemeral
    // runners arrived in September 2021, after the recording).
    "ephemeral",
    // REST "Update branch protection": `required_pull_request_reviews.require_last_push_approval`
    // (October 2022, after the recording).
    "require_last_push_approval",
];

fn recording(name: &str) -> Option<Value> {
    let text = prerequisite::read_shared(&format!("github/recordings/{name}"))?;
    Some(serde_json::from_str(&text).expect("recordings are JSON"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where the fake's `answer` is not shaped like the `recorded` one.
fn shape_mismatches(answer: &Value, recorded: &Value, at: &str, out: &mut Vec<String>) {
    if answer.is_null() || recorded.is_null() {
        return;
    }
    if kind(answer) != kind(recorded) {
        out.push(format!(
            "{at}: fake {} vs recorded {}",
            kind(answer),
            kind(recorded)
        ));
        return;
    }
    match (answer, recorded) {
        (Value::Object(a), Value::Object(r)) => {
            for (key, value) in a {
                match r.get(key) {
                    Some(rv) => shape_mismatches(value, rv, &format!("{at}.{key}"), out),
                    None if DOCUMENTED_NOT_RECORDED.contains(&key.as_str()) => {}
                    None => out.push(format!(
                        "{at}.{key}: sent by the fake, not in the recording"
                    )),
                }
            }
        }
        (Value::Array(a), Value::Array(r)) => {
            if let (Some(a0), Some(r0)) = (a.first(), r.first()) {
                shape_mismatches(a0, r0, &format!("{at}[0]"), out);
            }
        }
        _ => {}
    }
}

fn fake_get(fake: &FakeGithub, path: &str) -> http::Answer {
    let auth = format!("Bearer {TOKEN}");
    http::request(
        "GET",
        &format!("{}{path}", fake.url),
        &[("Authorization", &auth)],
        "",
    )
}

/// The recorded response body of an exchange file (a bare body, or nock's list of
/// exchanges: the first with `method`).
fn response(recording: &Value, method: &str) -> Value {
    match recording.as_array() {
        Some(list) if list.first().is_some_and(|e| e.get("scope").is_some()) => list
            .iter()
            .find(|e| e["method"] == method)
            .map(|e| e["response"].clone())
            .unwrap_or(Value::Null),
        _ => recording.clone(),
    }
}

#[test]
fn recorded_answers_parse_with_the_products_parsers_and_the_fake_matches_their_shape() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let mut mismatches = Vec::new();
    let mut compare = |name: &str, recorded: &Value, path: &str| {
        let answer = fake_get(&fake, path);
        assert_eq!(answer.status, 200, "{path}: {answer:?}");
        shape_mismatches(
            &answer.json(),
            recorded,
            &format!("{name} ~ GET {path}"),
            &mut mismatches,
        );
    };

    let Some(repo) = recording("octokit-get-repository.json") else {
        return;
    };
    let repo = response(&repo, "get");
    let (parsed, node_id) = rest::listed_repo(&repo).expect("a recorded repository parses");
    assert_eq!(parsed.name, "octokit-fixture-org/hello-world");
    assert!(node_id.is_some());
    compare("octokit-get-repository", &repo, "/repos/acme/repo-0000");

    let listed = recording("octocrab-user_repositories.json").unwrap_or_default();
    let items = listed.as_array().expect("a list of repositories");
    assert!(items.iter().all(|r| rest::listed_repo(r).is_some()));
    compare(
        "octocrab-user_repositories",
        &listed,
        "/orgs/acme/repos?per_page=100",
    );

    let org = response(
        &recording("octokit-get-organization.json").unwrap_or_default(),
        "get",
    );
    assert!(matches!(
        rest::security_defaults(&org),
        Fact::Known(_) | Fact::Unreadable(_)
    ));
    compare("octokit-get-organization", &org, "/orgs/acme");

    let org_secrets = recording("octocrab-org_secrets.json").unwrap_or_default();
    let parsed = rest::org_secrets(std::slice::from_ref(&org_secrets));
    assert_eq!(
        parsed.len(),
        org_secrets["secrets"].as_array().map_or(0, Vec::len)
    );
    compare(
        "octocrab-org_secrets",
        &org_secrets,
        "/orgs/acme/actions/secrets?per_page=100",
    );

    let repo_secrets = recording("octocrab-repo_secrets.json").unwrap_or_default();
    let parsed = rest::secrets(std::slice::from_ref(&repo_secrets));
    assert!(!parsed.is_empty() && parsed.iter().all(|s| s.updated_at.is_some()));
    compare(
        "octocrab-repo_secrets",
        &repo_secrets,
        "/repos/acme/repo-0000/actions/secrets?per_page=100",
    );

    let runners = recording("octocrab-self_hosted_runners.json").unwrap_or_default();
    let parsed = rest::runners(std::slice::from_ref(&runners), "repo", &[]);
    assert_eq!(
        parsed.len(),
        runners["runners"].as_array().map_or(0, Vec::len)
    );
    assert!(parsed.iter().all(|r| !r.labels.is_empty()));
    compare(
        "octocrab-self_hosted_runners",
        &runners,
        "/repos/acme/repo-0004/actions/runners?per_page=100",
    );
    let one = recording("octocrab-self_hosted_runner.json").unwrap_or_default();
    let wrapped = serde_json::json!({"total_count": 1, "runners": [one]});
    assert_eq!(rest::runners(&[wrapped], "repo", &[]).len(), 1);

    for name in [
        "octocrab-repos_releases_get_latest.json",
        "octocrab-repos_releases_list.json",
    ] {
        let releases = recording(name).unwrap_or_default();
        let list = match releases {
            Value::Array(list) => list,
            one => vec![one],
        };
        for release in &list {
            // Digests are parsed when assets carry them; a release without any gives none.
            let digests = rest::asset_digests(release);
            let assets = release["assets"].as_array().map_or(0, Vec::len);
            assert!(digests.len() <= assets, "{name}");
        }
    }

    assert!(
        mismatches.is_empty(),
        "the fake differs from the recordings:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn recorded_errors_and_writes_have_the_fakes_shapes() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let auth = format!("Bearer {TOKEN}");
    let send = |method: &str, path: &str, body: &str| {
        http::request(
            method,
            &format!("{}{path}", fake.url),
            &[("Authorization", &auth)],
            body,
        )
    };
    let Some(protection) = recording("octokit-branch-protection.json") else {
        return;
    };
    let exchanges = protection.as_array().cloned().unwrap_or_default();
    // GET on an unprotected branch: the recorded 404 and message.
    let recorded_get = exchanges
        .iter()
        .find(|e| e["method"] == "get")
        .expect("a GET");
    let answer = send("GET", "/repos/acme/repo-0003/branches/main/protection", "");
    assert_eq!(
        u64::from(answer.status),
        recorded_get["status"].as_u64().unwrap_or(0)
    );
    assert_eq!(
        answer.json()["message"],
        recorded_get["response"]["message"]
    );
    // Each recorded PUT body, sent to the fake, is accepted and answered in the same shape.
    let mut mismatches = Vec::new();
    for put in exchanges.iter().filter(|e| e["method"] == "put") {
        let answer = send(
            "PUT",
            "/repos/acme/repo-0003/branches/main/protection",
            &put["body"].to_string(),
        );
        assert_eq!(
            u64::from(answer.status),
            put["status"].as_u64().unwrap_or(0),
            "{answer:?}"
        );
        shape_mismatches(
            &answer.json(),
            &put["response"],
            "PUT protection",
            &mut mismatches,
        );
    }
    // A validation failure: the recorded 422 body shape.
    let errors = recording("octokit-errors.json").unwrap_or_default();
    let recorded = errors
        .as_array()
        .and_then(|l| l.first())
        .cloned()
        .unwrap_or_default();
    let bad = r#"{"security_and_analysis": {"secret_scanning": {"status": "on"}}}"#;
    let answer = send("PATCH", "/repos/acme/repo-0003", bad);
    assert_eq!(
        u64::from(answer.status),
        recorded["status"].as_u64().unwrap_or(0)
    );
    shape_mismatches(
        &answer.json(),
        &recorded["response"],
        "422",
        &mut mismatches,
    );
    let mut keys_recorded: BTreeSet<String> = BTreeSet::new();
    if let Some(map) = recorded["response"].as_object() {
        keys_recorded.extend(map.keys().cloned());
    }
    let keys_fake: BTreeSet<String> = answer
        .json()
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(
        keys_fake, keys_recorded,
        "the 422 body has exactly the recorded fields"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_fakes_link_header_has_the_recorded_grammar() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let Some(issues) = recording("octokit-paginate-issues.json") else {
        return;
    };
    let recorded = issues[0]["headers"]["link"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let fake = FakeGithub::start(fake_github::World::new("acme", TOKEN, 7));
    let answer = fake_get(&fake, "/orgs/acme/repos?per_page=3");
    let link = answer.header("link").unwrap_or_default().to_owned();
    let rels = |l: &str| -> Vec<String> {
        l.split(", ")
            .map(|part| {
                assert!(
                    part.starts_with('<') && part.contains(">; rel=\""),
                    "{part}"
                );
                part.rsplit("rel=").next().unwrap_or_default().to_owned()
            })
            .collect()
    };
    assert_eq!(
        rels(&link),
        rels(&recorded),
        "fake {link} vs recorded {recorded}"
    );
}
