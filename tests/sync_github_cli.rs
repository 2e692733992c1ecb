//! `posture sync github` as a process: progress on a terminal and off it, Ctrl-C, and a sync
//! killed midway, none of which may damage the previous snapshot.

mod support;

use support::{fake_github, sync_github_common as common};

use std::process::Command;

use common::{posture, skip, sync_acme, walk};
use fake_github::fixtures::TOKEN;
use fake_github::{FakeGithub, World};
use serde_json::Value;

#[test]
fn a_sync_killed_midway_leaves_the_previous_snapshot_intact() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 120));
    let cache = tempfile::tempdir().unwrap();
    let out = sync_acme(&fake, cache.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    let saved: Vec<(std::path::PathBuf, Vec<u8>)> = files
        .iter()
        .map(|p| (p.clone(), std::fs::read(p).unwrap()))
        .collect();
    // Slow the fake down, start a new sync, kill it while it is reading.
    fake.faults(|f| f.latency = std::time::Duration::from_millis(50));
    fake.update(|w| w.repos[0].listing["stargazers_count"] = serde_json::json!(999));
    fake.reset_counters();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut child = Command::new(env!("CARGO_BIN_EXE_posture"))
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
        .env("GITHUB_TOKEN", TOKEN)
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while fake.requests() < 20 && started.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    let _ = child.wait();
    for (path, bytes) in &saved {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "{} changed",
            path.display()
        );
    }
    let listed = posture(cache.path(), &["snapshots", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed["snapshots"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let leftovers: Vec<_> = walk(cache.path())
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains("tmp"))
        })
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

/// On a terminal the progress is one updating line (carriage return + erase line); with
/// stderr not a terminal, plain lines. Uses `script` for a pseudo-terminal when it exists.
#[test]
fn progress_is_one_updating_line_on_a_terminal_and_plain_lines_otherwise() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 30));
    let cache = tempfile::tempdir().unwrap();
    let plain = posture(
        cache.path(),
        &["sync", "github", "--org", "acme", "--api-url", &fake.url],
    );
    assert!(plain.status.success());
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "{stderr:?}"
    );
    assert!(stderr.contains("repos 30/30"), "{stderr}");
    assert!(stderr.contains("saved 30 repositories of acme"), "{stderr}");
    let script = Command::new("script").arg("--version").output();
    if script.map(|o| !o.status.success()).unwrap_or(true) {
        eprintln!("skipping the terminal half: no `script`");
        return;
    }
    let command = format!(
        "{} sync github --org acme --api-url {}",
        env!("CARGO_BIN_EXE_posture"),
        fake.url
    );
    let tty = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("POSTURE_CACHE_DIR", cache.path())
        .env("POSTURE_CONFIG_DIR", cache.path().join("config"))
        .env("GITHUB_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(tty.status.success());
    let out = String::from_utf8_lossy(&tty.stdout);
    assert!(out.contains("\r\x1b[2Krepos "), "{out:?}");
    assert!(out.contains("rate limit"), "{out:?}");
    let quiet = sync_acme(&fake, cache.path());
    assert!(quiet.status.success());
    assert!(
        quiet.stderr.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&quiet.stderr)
    );
}

/// Ctrl-C (SIGINT) during a sync: exit 3 saying it was cancelled, and no new snapshot.
#[cfg(unix)]
#[test]
fn ctrl_c_cancels_with_exit_3_and_saves_nothing() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 120));
    fake.faults(|f| f.latency = std::time::Duration::from_millis(50));
    let cache = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(["sync", "github", "--org", "acme", "--api-url", &fake.url])
        .env("POSTURE_CACHE_DIR", cache.path())
        .env("POSTURE_CONFIG_DIR", cache.path().join("config"))
        .env("GITHUB_TOKEN", TOKEN)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while fake.requests() < 10 && started.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sync cancelled"), "{stderr}");
    let listed = posture(cache.path(), &["snapshots", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed["snapshots"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );
}

/// Without a token: exit 3 naming where a token comes from. A bad `--api-url` or
/// `--concurrency`: exit 2. No request is sent in either case.
#[test]
fn missing_token_is_exit_3_and_bad_flags_are_exit_2() {
    if skip() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 1));
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str], token: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_posture"));
        command
            .args(args)
            .env("POSTURE_CACHE_DIR", cache.path())
            .env("POSTURE_CONFIG_DIR", cache.path().join("config"))
            .env_remove("GH_TOKEN")
            .env("PATH", cache.path()); // no `gh` to ask
        if token {
            command.env("GITHUB_TOKEN", TOKEN);
        } else {
            command.env_remove("GITHUB_TOKEN");
        }
        command.output().unwrap()
    };
    let out = run(
        &["sync", "github", "--org", "acme", "--api-url", &fake.url],
        false,
    );
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("GITHUB_TOKEN") && stderr.contains("gh auth login"),
        "{stderr}"
    );
    let out = run(
        &["sync", "github", "--org", "acme", "--api-url", "ftp://x"],
        true,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &fake.url,
            "--concurrency",
            "0",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--repo",
            "x",
            "--api-url",
            &fake.url,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2), "no snapshot to refresh");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("run a full sync")
            || String::from_utf8_lossy(&out.stderr).contains("first")
    );
    assert_eq!(fake.requests(), 0);
}
