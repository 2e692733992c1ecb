//! `posture sync github` under faults: 5xx, truncated bodies, secondary and primary rate
//! limits, GraphQL field errors with partial data; org rulesets paging and clone tie-breaks.

mod support;

use support::{fake_github, sync_github_common as common};

use common::{options, run, skip};
use fake_github::FakeGithub;
use fake_github::fixtures::acme;
use posture::collect::github::sync;
use posture::collect::progress::{Event, Progress};
use posture::model::Fact;

#[test]
fn faults_are_retried_and_the_facts_still_read() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    fake.faults(|f| {
        f.fail_5xx_once = Some("/repos/acme/repo-0000/traffic/views".into());
        f.truncate_once = Some("/repos/acme/repo-0001/actions/permissions/workflow".into());
        f.secondary_once = Some("/repos/acme/repo-0002/traffic/views".into());
    });
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, events) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    assert_eq!(
        fake.state
            .counters
            .faults_served
            .load(std::sync::atomic::Ordering::SeqCst),
        3
    );
    let r0 = snapshot.repo("acme/repo-0000").unwrap();
    assert_eq!(r0.traffic.known().unwrap().views_14d, Some(3));
    let r1 = snapshot.repo("acme/repo-0001").unwrap();
    assert!(
        r1.workflow_token.known().is_some(),
        "{:?}",
        r1.workflow_token
    );
    let r2 = snapshot.repo("acme/repo-0002").unwrap();
    assert_eq!(r2.traffic.known().unwrap().views_14d, Some(23));
    let retries = events
        .iter()
        .filter(|e| matches!(e, Event::Retry { .. }))
        .count();
    assert!(retries >= 2, "5xx and truncated body retried: {events:?}");
    assert!(events.iter().any(
        |e| matches!(e, Event::Paused { reason, .. } if reason.contains("secondary rate limit"))
    ));
}

#[test]
fn a_body_truncated_every_time_becomes_unreadable() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let cache = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Re-arm the fault on every request to this path by a watcher thread.
    let state = fake.state.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let watcher = std::thread::spawn(move || {
        while !stop2.load(std::sync::atomic::Ordering::SeqCst) {
            state.faults.lock().unwrap().truncate_once =
                Some("/repos/acme/repo-0001/traffic/views".into());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    });
    let snapshot = runtime
        .block_on(sync(options(&fake, cache.path()), Progress::none()))
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    watcher.join().unwrap();
    let r1 = snapshot.repo("acme/repo-0001").unwrap();
    let why = r1.traffic.unreadable().expect("traffic unreadable");
    // Cut mid-answer: hyper reports a truncated body, or a closed connection when the cut
    // comes before the head was flushed.
    assert!(
        why.reason.contains("truncated") || why.reason.contains("connection closed"),
        "{why:?}"
    );
}

#[test]
fn the_sync_pauses_before_the_rate_limit_runs_out() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    fake.faults(|f| f.low_remaining = Some((4, 12, 2)));
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, events) = run(options(&fake, cache.path()));
    assert!(snapshot.is_ok());
    assert!(
        events.iter().any(
            |e| matches!(e, Event::Paused { reason, .. } if reason.contains("core rate limit"))
        ),
        "{events:?}"
    );
    assert_eq!(
        fake.state
            .counters
            .rate_limited
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "never ran into the limit"
    );
}

#[test]
fn graphql_field_errors_keep_the_rest_of_the_data() {
    if skip() {
        return;
    }
    let mut world = acme();
    world.repo_mut("repo-0001").node["rulesets"] =
        serde_json::json!({"__error": "FORBIDDEN|Resource not accessible by integration"});
    let fake = FakeGithub::start(world);
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    let r1 = snapshot.repo("acme/repo-0001").unwrap();
    let why = r1.rulesets.unreadable().expect("rulesets unreadable");
    assert_eq!(why.status, Some(403), "{why:?}");
    assert!(why.reason.contains("not accessible"), "{why:?}");
    assert!(
        matches!(r1.precommit, Fact::Known(Some(_))),
        "the rest of the node is kept"
    );
    assert!(r1.pipelines.known().is_some_and(|p| p.len() == 1));
    assert!(
        snapshot
            .repo("acme/repo-0002")
            .unwrap()
            .rulesets
            .known()
            .is_some_and(|r| r.len() == 1)
    );
    assert!(
        snapshot
            .token
            .cannot_see
            .iter()
            .any(|l| l.starts_with("rulesets of 1 repositories")),
        "{:?}",
        snapshot.token.cannot_see
    );
}

#[test]
fn org_rulesets_pages_and_ties_in_views_read_clones() {
    if skip() {
        return;
    }
    let mut world = acme();
    world.org_rulesets = (0..60)
        .map(|i| {
            let enforcement = ["ACTIVE", "EVALUATE", "DISABLED"][i % 3];
            let mut rs = fake_github::world::ruleset(
                100 + i as u64,
                &format!("org-{i}"),
                enforcement,
                serde_json::json!({"__typename": "Organization", "login": "acme"}),
                &["~DEFAULT_BRANCH"],
                serde_json::json!([{"type": "NON_FAST_FORWARD", "parameters": null}]),
            );
            rs["conditions"]["repositoryName"]["include"] = serde_json::json!(["repo-00*"]);
            rs["bypassActors"] = serde_json::json!([{"organizationAdmin": true, "deployKey": false, "bypassMode": "ALWAYS", "actor": null}]);
            rs
        })
        .collect();
    for name in ["repo-0001", "repo-0002"] {
        let r = world.repo_mut(name);
        r.rest.insert(
            "traffic/views".into(),
            fake_github::Reply::Json(serde_json::json!({"count": 50, "uniques": 5, "views": []})),
        );
        r.rest.insert(
            "traffic/clones".into(),
            fake_github::Reply::Json(serde_json::json!({"count": 7, "uniques": 2, "clones": []})),
        );
    }
    let fake = FakeGithub::start(world);
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    let rulesets = snapshot
        .org_facts
        .rulesets
        .known()
        .expect("org rulesets read");
    assert_eq!(rulesets.len(), 60, "two GraphQL pages of 50");
    assert_eq!(
        rulesets[1].enforcement,
        posture::model::Enforcement::Evaluate
    );
    assert_eq!(
        rulesets[2].enforcement,
        posture::model::Enforcement::Disabled
    );
    assert_eq!(
        rulesets[0].repository_name.as_ref().unwrap().include,
        vec!["repo-00*"]
    );
    assert_eq!(rulesets[0].bypass_actors[0].actor_type, "OrganizationAdmin");
    let clones: Vec<String> = fake
        .log()
        .into_iter()
        .filter(|l| l.contains("/traffic/clones"))
        .collect();
    assert_eq!(clones.len(), 2, "clones only for the tie: {clones:?}");
    let r1 = snapshot.repo("acme/repo-0001").unwrap();
    assert_eq!(r1.traffic.known().unwrap().clones_14d, Some(7));
    assert_eq!(
        snapshot
            .repo("acme/repo-0000")
            .unwrap()
            .traffic
            .known()
            .unwrap()
            .clones_14d,
        None
    );
    assert_eq!(snapshot.synced_by.as_deref(), Some("octocat"));
    assert_eq!(snapshot.token.scopes, vec!["repo", "read:org", "workflow"]);
}

#[test]
fn a_graphql_batch_too_big_to_answer_is_split() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(fake_github::World::new(
        "acme",
        fake_github::fixtures::TOKEN,
        30,
    ));
    fake.faults(|f| f.graphql_max_ids = Some(10));
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    assert_eq!(snapshot.repos.len(), 30);
    for repo in &snapshot.repos {
        assert!(
            repo.pipelines.known().is_some_and(|p| p.len() == 1),
            "{}: {:?}",
            repo.name,
            repo.pipelines
        );
    }
}

#[test]
fn a_graphql_rate_limited_answer_waits_for_the_reset() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    fake.faults(|f| f.graphql_rate_limited_once = true);
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, events) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Paused { reason, .. } if reason.contains("RATE_LIMITED"))),
        "{events:?}"
    );
    assert_eq!(
        fake.state
            .counters
            .faults_served
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    assert!(
        snapshot.org_facts.rulesets.known().is_some(),
        "{:?}",
        snapshot.org_facts.rulesets
    );
    assert!(
        snapshot.repos.iter().all(|r| r.rulesets.known().is_some()),
        "every batch read after the wait"
    );
}

/// A same-origin redirect (a renamed repository) is followed; one to another host is not:
/// `--api-url` is the only place a request goes.
#[test]
fn redirects_are_followed_only_on_the_api_host() {
    if skip() {
        return;
    }
    let mut world = acme();
    world.repo_mut("repo-0002").rest.insert(
        "traffic/views".into(),
        fake_github::Reply::Redirect(301, "{origin}/repositories/1002/traffic/views".into()),
    );
    world.rest.insert(
        "/repositories/1002/traffic/views".into(),
        fake_github::Reply::Json(serde_json::json!({"count": 77, "uniques": 7, "views": []})),
    );
    world.repo_mut("repo-0003").rest.insert(
        "actions/permissions/workflow".into(),
        fake_github::Reply::Redirect(302, "http://elsewhere.invalid/steal".into()),
    );
    let fake = FakeGithub::start(world);
    let cache = tempfile::tempdir().unwrap();
    let (snapshot, _) = run(options(&fake, cache.path()));
    let snapshot = snapshot.unwrap();
    let r2 = snapshot.repo("acme/repo-0002").unwrap();
    assert_eq!(r2.traffic.known().unwrap().views_14d, Some(77));
    let r3 = snapshot.repo("acme/repo-0003").unwrap();
    let why = r3
        .workflow_token
        .unreadable()
        .expect("redirect off the host not followed");
    assert_eq!(why.status, Some(302));
    assert!(why.reason.contains("not followed"), "{why:?}");
    assert!(
        fake.log()
            .iter()
            .any(|l| l == "GET /repositories/1002/traffic/views")
    );
}
