//! The explorer's sync key under hostile input, in tmux against the fakes: a snapshot whose
//! `api_host` points elsewhere never receives the token (a `--snapshot` file is read-only; a
//! snapshot planted in the cache syncs only to the host this machine's own sync recorded, or
//! not at all), and a panic in the sync worker is reported as a failed sync while the
//! explorer keeps running. Skipped, with a message, without tmux or GitHub's schema.

mod support;

use support::{fake_github, sync_github_common as common, tmux};

use std::path::Path;

use fake_github::FakeGithub;
use tmux::{Session, tmux_available};

/// The newest snapshot of the cache, rewritten to claim `api_host` and a later time, written
/// to `to` (a file name in the cache makes it the newest cached snapshot).
fn crafted(cache: &Path, api_host: &str, to: &Path) {
    let newest = posture::store::Store::at(cache).list().unwrap()[0]
        .path
        .clone();
    let mut snapshot: serde_json::Value =
        serde_json::from_slice(&std::fs::read(newest).unwrap()).unwrap();
    snapshot["api_host"] = api_host.into();
    let later = chrono::Utc::now() + chrono::Duration::minutes(1);
    snapshot["taken_at"] = later.to_rfc3339().into();
    std::fs::write(to, serde_json::to_vec(&snapshot).unwrap()).unwrap();
}

fn env(cache: &Path, extra: &str) -> String {
    let c = cache.display();
    format!(
        "{extra} GITHUB_TOKEN={} POSTURE_CACHE_DIR={c} POSTURE_CONFIG_DIR={c}/config",
        fake_github::fixtures::TOKEN
    )
}

#[test]
fn a_snapshot_never_chooses_where_the_token_goes() {
    if !tmux_available() || common::skip() {
        eprintln!("skipping tui_hardening: needs tmux and GitHub's schema");
        return;
    }
    let real = FakeGithub::start(fake_github::fixtures::acme());
    let trap = FakeGithub::start(fake_github::fixtures::acme());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    assert!(common::sync_acme(&real, &cache).status.success());

    // 1. A shared file opened with --snapshot is read-only, and says why.
    let shared = dir.path().join("shared.json");
    crafted(&cache, &trap.url, &shared);
    let session = Session::start("posture-tui-hostile", 200, 40);
    session.launch(
        &env(&cache, ""),
        &format!("explore --snapshot {}", shared.display()),
    );
    session.wait_for(&["acme", "Rollout"]);
    session.send(&["s"]);
    session.wait_for(&["opened with --snapshot is read-only"]);
    session.send(&["q"]);
    session.wait_for(&["posture-exit=0"]);

    // 2. The same file planted in the cache as the newest snapshot: the sync goes to the host
    //    this machine's sync recorded, never to the file's.
    let planted = cache.join(format!(
        "github--acme--{}.json",
        (chrono::Utc::now() + chrono::Duration::minutes(1)).format("%Y%m%dT%H%M%S%.3fZ")
    ));
    std::fs::copy(&shared, &planted).unwrap();
    let before = real.requests();
    session.clear();
    session.launch(&env(&cache, ""), "explore --org acme");
    session.wait_for(&["acme", "Rollout"]);
    session.send(&["s"]);
    session.wait_for(&["synced"]);
    assert!(real.requests() > before, "the recorded host was synced");

    // 3. Without a record of this machine's own sync, nothing is sent anywhere.
    session.send(&["q"]);
    session.wait_for(&["posture-exit=0"]);
    std::fs::remove_file(cache.join("hosts.json")).unwrap();
    session.clear();
    session.launch(&env(&cache, ""), "explore --org acme");
    session.wait_for(&["acme", "Rollout"]);
    session.send(&["s"]);
    session.wait_for(&["never synced acme"]);
    session.send(&["Escape", "q"]);
    session.wait_for(&["posture-exit=0"]);
    assert_eq!(
        trap.requests(),
        0,
        "the token never went to the snapshot's host"
    );
}

#[test]
fn a_panic_in_the_sync_worker_is_a_failed_sync_not_a_broken_terminal() {
    if !tmux_available() || common::skip() {
        eprintln!("skipping tui_hardening: needs tmux and GitHub's schema");
        return;
    }
    let fake = FakeGithub::start(fake_github::fixtures::acme());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    assert!(common::sync_acme(&fake, &cache).status.success());
    let session = Session::start("posture-tui-worker-panic", 200, 40);
    session.launch(
        &env(&cache, "POSTURE_TEST_PANIC=sync"),
        "explore --org acme",
    );
    session.wait_for(&["acme", "Rollout"]);
    session.send(&["s"]);
    let screen = session.wait_for(&["Sync failed", "the sync stopped on an internal error"]);
    assert!(
        !screen.contains("panicked at"),
        "no panic text over the explorer:\n{screen}"
    );
    assert_eq!(
        session.format("#{alternate_on}"),
        "1",
        "still on the explorer's screen"
    );
    session.send(&["Escape"]);
    session.wait_for(&["Rollout"]);
    session.send(&["q"]);
    session.wait_for(&["posture-exit=0"]);
    session.assert_terminal_restored();
}
