//! Crash safety of the cache: `posture sync` killed with SIGKILL at random points (often while
//! it writes the ETag cache and the snapshot) never leaves a half snapshot that lists, never
//! changes an older snapshot, and never leaves an ETag cache that poisons the next sync; two
//! syncs at once on one cache dir do not corrupt it.

mod support;

use support::{fake_github, sync_github_common as common};

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn_sync(fake: &fake_github::FakeGithub, cache: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_posture"))
        .args([
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &fake.url,
            "--quiet",
        ])
        .env("POSTURE_CACHE_DIR", cache)
        .env("POSTURE_CONFIG_DIR", cache.join("config"))
        .env("GITHUB_TOKEN", fake_github::fixtures::TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Every listed snapshot loads whole; returns how many there are.
fn all_listed_load(cache: &Path) -> usize {
    let store = posture::store::Store::at(cache);
    let listed = store.list().unwrap();
    for info in &listed {
        posture::store::load(&info.path)
            .unwrap_or_else(|e| panic!("{} does not load: {e}", info.path.display()));
    }
    listed.len()
}

/// The statuses of the newest snapshot's verdicts, from `posture report --format json`.
fn statuses(cache: &Path) -> Vec<String> {
    let out = common::posture(cache, &["report", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut statuses = Vec::new();
    for repo in report["repos"].as_array().unwrap() {
        for control in repo["controls"].as_array().unwrap() {
            statuses.push(format!(
                "{} {} {}",
                repo["name"], control["id"], control["status"]
            ));
        }
    }
    statuses
}

#[test]
fn sigkill_at_random_points_never_breaks_the_cache() {
    if common::skip() {
        return;
    }
    let fake = fake_github::FakeGithub::start(fake_github::fixtures::acme());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let first = common::sync_acme(&fake, &cache);
    assert!(first.status.success(), "{first:?}");
    let expected = statuses(&cache);
    let oldest = posture::store::Store::at(&cache).list().unwrap()[0]
        .path
        .clone();
    let oldest_bytes = std::fs::read(&oldest).unwrap();

    // How long a whole sync takes here: kills land anywhere within it.
    let started = Instant::now();
    assert!(spawn_sync(&fake, &cache).wait().unwrap().success());
    let span = started.elapsed().as_micros().max(1) as u64;

    let random = RandomState::new();
    let budget = Instant::now();
    let mut kills = 0;
    while kills < 40 && budget.elapsed() < Duration::from_secs(6) {
        let at = random.hash_one(kills) % span;
        let mut child = spawn_sync(&fake, &cache);
        std::thread::sleep(Duration::from_micros(at));
        let _ = child.kill();
        let _ = child.wait();
        kills += 1;
        all_listed_load(&cache);
        assert_eq!(
            std::fs::read(&oldest).unwrap(),
            oldest_bytes,
            "older snapshot untouched"
        );
    }
    assert!(kills >= 5, "only {kills} kills");
    // The ETag cache left by any of them answers the next sync correctly.
    let last = common::sync_acme(&fake, &cache);
    assert!(last.status.success(), "{last:?}");
    assert_eq!(statuses(&cache), expected);
}

#[test]
fn two_syncs_at_once_on_one_cache_do_not_corrupt_it() {
    if common::skip() {
        return;
    }
    let fake = fake_github::FakeGithub::start(fake_github::fixtures::acme());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let first = common::sync_acme(&fake, &cache);
    assert!(first.status.success());
    let expected = statuses(&cache);
    for _ in 0..3 {
        let (mut a, mut b) = (spawn_sync(&fake, &cache), spawn_sync(&fake, &cache));
        assert!(a.wait().unwrap().success());
        assert!(b.wait().unwrap().success());
    }
    assert!(all_listed_load(&cache) >= 2);
    let etags = cache.join("etags/github-acme.json");
    let parsed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&etags).unwrap()).expect("ETag cache parses");
    assert!(parsed.as_object().is_some_and(|o| !o.is_empty()));
    let leftovers: Vec<_> = common::walk(&cache)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".tmp-")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let last = common::sync_acme(&fake, &cache);
    assert!(last.status.success());
    assert_eq!(statuses(&cache), expected);
}
