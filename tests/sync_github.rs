//! `posture sync github` against the fake GitHub in `tests/support/fake_github`: verdicts end
//! to end through the binary and `report`, pagination and 304 reuse, GHES paths, the token
//! never shown or stored, a killed sync keeps the old snapshot, `--repo`, 1,000-repo figures.

mod support;

use support::{fake_github, sync_github_common as common};

use common::{options, posture, run, skip, status, sync_acme, walk};
use fake_github::fixtures::{TOKEN, acme};
use fake_github::{FakeGithub, World};
use posture::model::Fact;
use serde_json::Value;

#[test]
fn sync_then_report_gives_the_fixtures_verdicts() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let cache = tempfile::tempdir().unwrap();
    let out = sync_acme(&fake, cache.path());
    assert!(
        out.status.success(),
        "sync failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = posture(
        cache.path(),
        &["report", "--org", "acme", "--format", "json"],
    );
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["snapshot"]["org"], "acme");
    assert_eq!(report["repos"].as_array().unwrap().len(), 6);
    assert_eq!(
        status(&report, "acme/repo-0000", "branch-protected").0,
        "pass"
    );
    assert_eq!(
        status(&report, "acme/repo-0000", "approving-review").0,
        "pass"
    );
    assert_eq!(status(&report, "acme/repo-0000", "codeowners").0, "pass");
    assert_eq!(
        status(&report, "acme/repo-0000", "release-push-restricted").0,
        "pass"
    );
    assert_eq!(
        status(&report, "acme/repo-0001", "branch-protected").0,
        "pass"
    );
    assert_eq!(
        status(&report, "acme/repo-0001", "secret-scanning").0,
        "pass"
    );
    assert_eq!(
        status(&report, "acme/repo-0001", "precommit-secret-hook").0,
        "pass"
    );
    assert_eq!(status(&report, "acme/repo-0002", "codeowners").0, "fail");
    // An evaluate-mode ruleset protects nothing.
    let (evaluate, verdict) = status(&report, "acme/repo-0002", "branch-protected");
    assert_ne!(evaluate, "pass", "{verdict}");
    assert_eq!(
        status(&report, "acme/repo-0003", "secret-scanning").0,
        "fail"
    );
    let (forbidden, verdict) = status(&report, "acme/repo-0003", "secret-rotation");
    assert_eq!(forbidden, "unknown", "{verdict}");
    assert!(
        verdict["reason"].as_str().unwrap().contains("Secrets:read"),
        "{verdict}"
    );
    let traffic = &report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "acme/repo-0003")
        .unwrap()["traffic"];
    assert!(traffic["views_14d"].is_null(), "{traffic}");
    assert_eq!(
        status(&report, "acme/repo-0004", "ephemeral-runners").0,
        "fail"
    );
    assert_eq!(
        status(&report, "acme/repo-0004", "no-self-hosted-public").0,
        "fail"
    );
    assert_eq!(status(&report, "acme/repo-0005", "deploy-gate").0, "fail");
    // Runners only for the self-hosted workflow, environments only for the deploying one.
    let log = fake.log();
    let runners: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("/actions/runners"))
        .collect();
    assert!(
        runners
            .iter()
            .all(|l| l.contains("repo-0004") || l.contains("/orgs/")),
        "{runners:?}"
    );
    assert!(runners.iter().any(|l| l.contains("repo-0004")));
    let envs: Vec<&String> = log.iter().filter(|l| l.contains("/environments")).collect();
    assert_eq!(envs.len(), 1, "{envs:?}");
    assert!(envs[0].contains("repo-0005"));
}

#[test]
fn pagination_and_an_unchanged_resync_is_answered_by_304s() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 250));
    let cache = tempfile::tempdir().unwrap();
    let (first, _) = run(options(&fake, cache.path()));
    let first = first.unwrap();
    assert_eq!(first.repos.len(), 250, "all three pages of 100 are read");
    assert!(
        fake.log()
            .iter()
            .any(|l| l.contains("/orgs/acme/repos?per_page=100&type=all&page=3"))
    );
    assert!(cache.path().join("etags/github-acme.json").exists());
    fake.reset_counters();
    let (second, _) = run(options(&fake, cache.path()));
    let second = second.unwrap();
    assert_eq!(second.repos, first.repos);
    let rest = fake.rest_requests();
    let not_modified = fake.not_modified();
    assert!(
        not_modified * 100 >= rest * 80,
        "{not_modified} of {rest} REST requests answered 304"
    );
}

#[test]
fn ghes_paths_have_the_api_prefix() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start_ghes(acme());
    assert!(fake.url.ends_with("/api/v3"));
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    assert_eq!(snapshot.api_host, fake.url);
    assert_eq!(snapshot.repos.len(), 6);
    let log = fake.log();
    assert!(
        log.iter()
            .all(|l| l.contains(" /api/v3/") || l == "POST /api/graphql"),
        "{log:?}"
    );
    assert!(log.iter().any(|l| l == "POST /api/graphql"));
    assert!(matches!(
        snapshot.repo("acme/repo-0000").unwrap().classic_protection,
        Fact::Known(Some(_))
    ));
}

#[test]
fn a_failing_sync_never_shows_or_stores_the_token_and_keeps_the_old_snapshot() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let cache = tempfile::tempdir().unwrap();
    let out = posture(
        cache.path(),
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &fake.url,
            "--verbose",
        ],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("GET /orgs/acme/repos"),
        "verbose logs requests: {stderr}"
    );
    let before: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // Now the org disappears: the sync fails with exit 3.
    fake.update(|w| w.org = "other".into());
    let out = posture(
        cache.path(),
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &fake.url,
            "--verbose",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("acme not found"), "{stderr}");
    assert!(
        !stderr.contains(TOKEN) && !stderr.contains("FAKETOKEN"),
        "{stderr}"
    );
    let after: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before.len(), after.len());
    for entry in walk(cache.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("FAKETOKEN"),
            "{} holds the token",
            entry.display()
        );
    }
    assert!(
        walk(cache.path())
            .iter()
            .any(|p| p.ends_with("etags/github-acme.json"))
    );
}

#[test]
fn repo_flag_refreshes_only_the_named_repositories() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let cache = tempfile::tempdir().unwrap();
    let out = sync_acme(&fake, cache.path());
    assert!(out.status.success());
    fake.update(|w| {
        w.repo_mut("repo-0002").listing["stargazers_count"] = serde_json::json!(777);
        w.repo_mut("repo-0003").listing["stargazers_count"] = serde_json::json!(555);
    });
    fake.reset_counters();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = posture(
        cache.path(),
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--repo",
            "repo-0002",
            "--api-url",
            &fake.url,
            "--quiet",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !fake.log().iter().any(|l| l.contains("/orgs/acme/repos")),
        "no full listing"
    );
    let out = posture(
        cache.path(),
        &["report", "--org", "acme", "--format", "json"],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stars = |name: &str| {
        report["repos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()["traffic"]["stars"]
            .clone()
    };
    assert_eq!(stars("acme/repo-0002"), 777);
    assert_ne!(stars("acme/repo-0003"), 555);
    assert_eq!(report["repos"].as_array().unwrap().len(), 6);
}

/// Figures on a 1,000-repo fake org: requests per repository cold, share of REST answered 304
/// on an immediate re-sync, wall time with 50 ms latency per request.
/// `cargo test --test sync_github -- --ignored --nocapture thousand_repos`
#[test]
#[ignore]
fn thousand_repos_figures() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 1000));
    let cache = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let (cold, _) = run(options(&fake, cache.path()));
    let cold_time = started.elapsed();
    assert_eq!(cold.unwrap().repos.len(), 1000);
    let cold_requests = fake.requests();
    fake.reset_counters();
    fake.reset_rate_limit();
    let (warm, _) = run(options(&fake, cache.path()));
    warm.unwrap();
    let rest = fake.rest_requests();
    let not_modified = fake.not_modified();
    fake.reset_counters();
    fake.reset_rate_limit();
    let slow_cache = tempfile::tempdir().unwrap();
    fake.faults(|f| f.latency = std::time::Duration::from_millis(50));
    let started = std::time::Instant::now();
    let (slow, _) = run(options(&fake, slow_cache.path()));
    slow.unwrap();
    let slow_time = started.elapsed();
    println!(
        "1000 repos: cold {cold_requests} requests ({:.2} per repo) in {:.1}s; re-sync {not_modified}/{rest} REST answered 304 ({:.1}%); cold with 50 ms latency: {:.1}s ({} requests)",
        cold_requests as f64 / 1000.0,
        cold_time.as_secs_f64(),
        not_modified as f64 * 100.0 / rest as f64,
        slow_time.as_secs_f64(),
        fake.requests()
    );
    assert!(cold_requests <= 5 * 1000);
    assert!(not_modified * 100 >= rest * 80);
}

/// Branches are listed by the configured release patterns: `hotfix/*` finds `hotfix/1`, not
/// `release/1.0`.
#[test]
fn release_branches_follow_the_configured_patterns() {
    if skip() {
        return;
    }
    let mut world = acme();
    world.repo_mut("repo-0000").node["branches"] =
        serde_json::json!(["main", "release/1.0", "hotfix/1"]);
    let fake = FakeGithub::start(world);
    let cache = tempfile::tempdir().unwrap();
    let mut opts = options(&fake, cache.path());
    opts.release_patterns = vec!["hotfix/*".into()];
    let (snapshot, _) = run(opts);
    let snapshot = snapshot.unwrap();
    let branches = &snapshot
        .repo("acme/repo-0000")
        .unwrap()
        .release_branches
        .known()
        .unwrap()
        .branches;
    assert_eq!(branches, &vec!["hotfix/1".to_owned()]);
}
