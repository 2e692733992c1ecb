//! The explorer's in-app sync judges the new snapshot with the same controls as the opened
//! one: the config dir's Rego policies stay under "By control" after `s` (they used to
//! vanish, because the sync judged with the built-in controls only). Runs the real binary in
//! tmux against the fake GitHub; skipped, with a message, when tmux or GitHub's schema is
//! absent.

mod support;

use support::{fake_github, sync_github_common as common, tmux};

use std::time::{Duration, Instant};

use common::{skip, sync_acme};
use fake_github::FakeGithub;
use fake_github::fixtures::{TOKEN, acme};
use tmux::{Session, tmux_available};

const POLICY: &str = "policy/posture.top10";

/// Snapshot files in the cache dir (their `.meta` sidecars and the trusted-hosts file aside).
fn snapshot_files(cache: &std::path::Path) -> usize {
    std::fs::read_dir(cache)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .filter(|p| p.file_name().is_some_and(|n| n != "hosts.json"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn in_app_sync_keeps_the_config_dirs_policy_controls() {
    if !tmux_available() {
        eprintln!("skipping tui_sync_policies: tmux is not installed");
        return;
    }
    if skip() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let synced = sync_acme(&fake, &cache);
    assert!(synced.status.success(), "{synced:?}");
    assert_eq!(snapshot_files(&cache), 1);
    let policies = cache.join("config/policies");
    std::fs::create_dir_all(&policies).unwrap();
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/policies/top10_two_approvals.rego"
    );
    std::fs::copy(example, policies.join("top10.rego")).unwrap();

    let session = Session::start("posture-tui-sync-policies", 120, 40);
    let cache_s = cache.display();
    session.launch(
        &format!(
            "GITHUB_TOKEN={TOKEN} POSTURE_CACHE_DIR={cache_s} POSTURE_CONFIG_DIR={cache_s}/config"
        ),
        "explore --org acme",
    );
    session.wait_for(&["acme", "Rollout"]);
    session.send(&["3"]);
    session.wait_for(&["acme › By control", POLICY]);

    let requests_before = fake.requests();
    session.send(&["s"]);
    let start = Instant::now();
    while snapshot_files(&cache) < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no new snapshot; screen:\n{}",
            session.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        fake.requests() > requests_before,
        "the explorer's sync asked the fake GitHub"
    );
    // The explorer shows the new snapshot; its by-control view still lists the policy.
    session.wait_for(&["synced"]);
    session.send(&["1"]);
    session.wait_for(&["Rollout"]);
    session.send(&["3"]);
    let screen = session.wait_for(&["acme › By control", POLICY]);
    let row = screen.lines().find(|l| l.contains(POLICY)).unwrap();
    assert!(row.contains("policy") && row.contains("high"), "{row}");

    session.send(&["q"]);
    session.wait_for(&["posture-exit=0"]);
}
