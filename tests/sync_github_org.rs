//! `posture sync github` org-level facts and release attestations against the fake: org
//! secrets with the repositories of `selected` ones, the workflow token default, OIDC subject
//! template, runner groups, security defaults an owner-only field hides, attestations looked
//! up only for a repository with a release.

mod support;

use support::{connect_proxy, fake_github, sync_github_common as common};

use common::{options, run, skip};
use fake_github::fixtures::acme;
use fake_github::{FakeGithub, Reply};
use posture::model::{Fact, Reach, TokenPermission};
use serde_json::json;

#[test]
fn org_facts_and_release_attestations_are_read() {
    if skip() {
        return;
    }
    let mut world = acme();
    world.rest.insert(
        "/orgs/acme/actions/secrets?per_page=100".into(),
        Reply::Json(json!({"total_count": 2, "secrets": [
            {"name": "DEPLOY_KEY", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-02-01T00:00:00Z", "visibility": "selected",
             "selected_repositories_url": "https://api.github.com/orgs/acme/actions/secrets/DEPLOY_KEY/repositories"},
            {"name": "NPM_TOKEN", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-03-01T00:00:00Z", "visibility": "private"}]})),
    );
    world.rest.insert(
        "/orgs/acme/actions/secrets/DEPLOY_KEY/repositories?per_page=100".into(),
        Reply::Json(json!({"total_count": 1, "repositories": [{"full_name": "acme/repo-0005", "name": "repo-0005"}]})),
    );
    world.rest.insert(
        "/orgs/acme/actions/permissions/workflow".into(),
        Reply::Json(json!({"default_workflow_permissions": "write", "can_approve_pull_request_reviews": true})),
    );
    world.rest.insert(
        "/orgs/acme/actions/oidc/customization/sub".into(),
        Reply::Json(json!({"use_default": false, "include_claim_keys": ["repo", "context"]})),
    );
    world.org_json = json!({"login": "acme", "id": 1, "type": "Organization"});
    {
        let r = world.repo_mut("repo-0001");
        r.node["latestRelease"] =
            json!({"tagName": "v1.2.0", "publishedAt": "2026-10-01T00:00:00Z"});
        r.rest.insert(
            "releases/latest".into(),
            Reply::Json(json!({"tag_name": "v1.2.0", "assets": [
            {"name": "tool.tar.gz", "digest": "sha256:abc123"}]})),
        );
        r.rest.insert(
            "attestations/sha256:abc123".into(),
            Reply::Json(json!({"attestations": [{"bundle": {}, "repository_id": 1}]})),
        );
    }
    let fake = FakeGithub::start(world);
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    let org = &snapshot.org_facts;
    let secrets = org.secrets.known().expect("org secrets");
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[0].visibility, Reach::Selected);
    assert_eq!(secrets[0].selected_repos, vec!["acme/repo-0005"]);
    assert_eq!(secrets[1].visibility, Reach::Private);
    assert_eq!(
        org.workflow_token,
        Fact::Known(Some(TokenPermission::Write))
    );
    let oidc = org.oidc_subject.known().unwrap();
    assert!(!oidc.use_default);
    assert_eq!(oidc.include_claim_keys, vec!["repo", "context"]);
    assert_eq!(org.runner_groups.known().unwrap()[0].visibility, Reach::All);
    let why = org
        .security_defaults
        .unreadable()
        .expect("owner-only fields absent");
    assert!(why.reason.contains("owners"), "{why:?}");
    assert!(
        snapshot
            .token
            .cannot_see
            .iter()
            .any(|l| l.starts_with("org security defaults")),
        "{:?}",
        snapshot.token.cannot_see
    );
    let release = snapshot
        .repo("acme/repo-0001")
        .unwrap()
        .latest_release
        .known()
        .unwrap()
        .clone()
        .unwrap();
    assert_eq!(release.tag, "v1.2.0");
    assert_eq!(release.attested, Some(true));
    let log = fake.log();
    let release_reads: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("/releases/") || l.contains("/attestations/"))
        .collect();
    assert_eq!(
        release_reads.len(),
        2,
        "only the repository with a release: {release_reads:?}"
    );
    assert_eq!(
        snapshot.repo("acme/repo-0000").unwrap().latest_release,
        Fact::Known(None)
    );
}

#[test]
fn an_org_secret_list_forbidden_is_unknown_with_the_permission() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    fake.faults(|f| {
        f.forbidden.push((
            "/orgs/acme/actions/secrets".into(),
            "organization_secrets=read".into(),
        ))
    });
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    let why = snapshot
        .org_facts
        .secrets
        .unreadable()
        .expect("org secrets unreadable");
    assert_eq!(why.status, Some(403));
    assert_eq!(why.needs.as_deref(), Some("Organization secrets:read"));
    assert!(
        snapshot
            .token
            .cannot_see
            .iter()
            .any(|l| l == "org secrets: 403: needs Organization secrets:read"),
        "{:?}",
        snapshot.token.cannot_see
    );
}

/// `HTTP_PROXY`/`HTTPS_PROXY` are honoured: every request goes through the proxy's `CONNECT`
/// tunnel to the API host, with the proxy's basic auth; `NO_PROXY` bypasses it.
#[test]
fn requests_go_through_the_proxy_from_the_environment() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let proxy = connect_proxy::ConnectProxy::start();
    let cache = tempfile::tempdir().unwrap();
    let proxy_url = proxy.url.replace("http://", "http://user:secret@");
    let host = fake.url.trim_start_matches("http://").to_owned();
    let sync = |no_proxy: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_posture"))
            .args([
                "sync",
                "github",
                "--org",
                "acme",
                "--api-url",
                &fake.url,
                "--quiet",
            ])
            .env("POSTURE_CACHE_DIR", cache.path())
            .env("POSTURE_CONFIG_DIR", cache.path().join("config"))
            .env("GITHUB_TOKEN", fake_github::fixtures::TOKEN)
            .env("HTTP_PROXY", &proxy_url)
            .env("HTTPS_PROXY", &proxy_url)
            .env("NO_PROXY", no_proxy)
            .env_remove("ALL_PROXY")
            .env_remove("http_proxy")
            .env_remove("https_proxy")
            .env_remove("no_proxy")
            .output()
            .unwrap()
    };
    let out = sync("");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tunnels = proxy.tunnels.lock().unwrap().clone();
    assert!(!tunnels.is_empty(), "no tunnel opened");
    assert!(
        tunnels.iter().all(|(target, _)| *target == host),
        "{tunnels:?}"
    );
    assert!(
        tunnels
            .iter()
            .all(|(_, auth)| auth.as_deref() == Some("Basic dXNlcjpzZWNyZXQ=")),
        "{tunnels:?}"
    );
    let before = tunnels.len();
    let out = sync("127.0.0.1");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        proxy.tunnels.lock().unwrap().len(),
        before,
        "NO_PROXY bypasses the proxy"
    );
}

/// Org runners count for a repository only when their group admits it: `selected` groups are
/// read once for the repositories they admit; public repositories only where allowed.
#[test]
fn org_runners_follow_their_groups() {
    if skip() {
        return;
    }
    let mut world = acme();
    world.rest.insert(
        "/orgs/acme/actions/runner-groups?per_page=100".into(),
        Reply::Json(json!({"total_count": 2, "runner_groups": [
            {"id": 1, "name": "Default", "visibility": "all", "default": true, "allows_public_repositories": false},
            {"id": 2, "name": "prod", "visibility": "selected", "default": false, "allows_public_repositories": false}]})),
    );
    world.rest.insert(
        "/orgs/acme/actions/runner-groups/2/repositories?per_page=100".into(),
        Reply::Json(json!({"total_count": 1, "repositories": [{"full_name": "acme/repo-0001"}]})),
    );
    world.rest.insert(
        "/orgs/acme/actions/runners?per_page=100".into(),
        Reply::Json(json!({"total_count": 2, "runners": [
            {"id": 50, "name": "prod-1", "os": "linux", "status": "online", "busy": false, "ephemeral": true,
             "runner_group_id": 2, "labels": [{"id": 1, "name": "self-hosted", "type": "read-only"}]},
            {"id": 51, "name": "shared-1", "os": "linux", "status": "online", "busy": false,
             "runner_group_id": 1, "labels": [{"id": 1, "name": "self-hosted", "type": "read-only"}]}]})),
    );
    {
        let r = world.repo_mut("repo-0001");
        r.listing["visibility"] = json!("private");
        r.listing["private"] = json!(true);
        r.node["files"][".github/workflows/ci.yml"] = json!(
            "on: push\njobs:\n  b:\n    runs-on: self-hosted\n    steps:\n      - run: make\n"
        );
        r.rest.insert(
            "actions/runners?per_page=100".into(),
            Reply::Json(json!({"total_count": 0, "runners": []})),
        );
    }
    let fake = FakeGithub::start(world);
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    let names = |repo: &str| -> Vec<String> {
        snapshot
            .repo(repo)
            .unwrap()
            .runners
            .known()
            .unwrap()
            .iter()
            .map(|r| format!("{}:{}", r.scope, r.name))
            .collect()
    };
    assert_eq!(names("acme/repo-0001"), vec!["org:prod-1", "org:shared-1"]);
    assert_eq!(
        names("acme/repo-0004"),
        vec!["repo:linux_runner"],
        "public: no org group admits it"
    );
    let prod = snapshot
        .repo("acme/repo-0001")
        .unwrap()
        .runners
        .known()
        .unwrap()[0]
        .clone();
    assert_eq!(prod.ephemeral, Some(true));
    assert_eq!(prod.group.as_deref(), Some("prod"));
    let group_reads = fake
        .log()
        .iter()
        .filter(|l| l.contains("/runner-groups/2/repositories"))
        .count();
    assert_eq!(group_reads, 1);
}
