//! The explorer's sync key on a GitLab group: `r` re-reads the group from the API host the
//! snapshot came from (the fake GitLab), saves a new snapshot and shows it. Skipped, with a
//! message, when tmux is not installed (a failure in CI).

mod support;

use support::{fake_gitlab, tmux};

use fake_gitlab::FakeGitlab;
use fake_gitlab::cli::{posture, sync_cli};
use fake_gitlab::fixtures::{TOKEN, acme};
use tmux::{Session, tmux_available};

/// Snapshot files in the cache dir (their `.meta` sidecars aside).
fn snapshot_files(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(cache)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                // The record of trusted API hosts lives beside the snapshots.
                .filter(|p| p.file_name().is_some_and(|n| n != "hosts.json"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_sync_key_resyncs_a_gitlab_group_and_opens_the_new_snapshot() {
    if !tmux_available() {
        return;
    }
    let fake = FakeGitlab::start(acme());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let first = sync_cli(&fake, &cache, &["--quiet"]);
    assert!(first.status.success(), "{first:?}");
    let before = snapshot_files(&cache);
    assert_eq!(before.len(), 1, "{before:?}");
    let listed = posture(&cache, &["snapshots", "--format", "json"]);
    assert!(listed.status.success());

    let session = Session::start("posture-tui-gitlab-sync", 120, 40);
    let cache_s = cache.display();
    session.launch(
        &format!(
            "GITLAB_TOKEN={TOKEN} POSTURE_CACHE_DIR={cache_s} POSTURE_CONFIG_DIR={cache_s}/config"
        ),
        "explore --org acme-gl",
    );
    session.wait_for(&["gitlab", "acme-gl", "Rollout"]);
    let requests_before = fake.requests();

    session.send(&["s"]);
    // The sync saves a second snapshot of the group and the explorer reopens on it.
    let start = std::time::Instant::now();
    while snapshot_files(&cache).len() < 2 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "no new snapshot; screen:\n{}",
            session.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let screen = session.wait_for(&["gitlab", "acme-gl", "Rollout"]);
    assert!(
        !screen.contains("not available"),
        "the GitLab sync ran from the explorer:\n{screen}"
    );
    assert!(
        fake.requests() > requests_before,
        "the explorer's sync asked the fake GitLab"
    );

    session.send(&["q"]);
    session.wait_for(&["posture-exit=0"]);
}
