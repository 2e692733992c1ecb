//! Helpers shared by the GitLab sync tests: in-process syncs, the binary with a temp cache,
//! report lookups, and walking the cache dir.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use posture::collect::gitlab::http::GitlabBase;
use posture::collect::gitlab::{SyncOptions, sync};
use posture::collect::progress::{Event, Progress};
use posture::collect::token::Token;
use posture::model::Snapshot;
use serde_json::Value;

use super::FakeGitlab;
use super::fixtures::TOKEN;

pub fn options(fake: &FakeGitlab, dir: &Path, group: &str) -> SyncOptions {
    SyncOptions {
        group: group.into(),
        projects: Vec::new(),
        base_url: GitlabBase::parse(Some(&fake.url)).unwrap(),
        concurrency: 8,
        token: Token::new(TOKEN),
        cache_dir: Some(dir.to_path_buf()),
        base: None,
        release_patterns: vec!["release/*".into(), "releases/*".into(), "release-*".into()],
    }
}

/// Run a sync in-process; the snapshot and every progress event.
pub fn run(options: SyncOptions) -> (Result<Snapshot, String>, Vec<Event>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let result = sync(options, Progress::to(tx)).await.map_err(|e| e.0);
        let mut events = Vec::new();
        while let Ok(e) = rx.try_recv() {
            events.push(e);
        }
        (result, events)
    })
}

pub fn posture(cache: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .env("POSTURE_CACHE_DIR", cache)
        .env("POSTURE_CONFIG_DIR", cache.join("config"))
        .env("GITLAB_TOKEN", TOKEN)
        .output()
        .unwrap()
}

pub fn sync_cli(fake: &FakeGitlab, cache: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sync", "gitlab", "--group", "acme-gl", "--url", &fake.url];
    args.extend_from_slice(extra);
    posture(cache, &args)
}

pub fn status<'a>(report: &'a Value, repo: &str, control: &str) -> (&'a str, &'a Value) {
    let repo = report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == repo)
        .unwrap_or_else(|| panic!("{repo} in the report"));
    let c = repo["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == control)
        .unwrap_or_else(|| panic!("{control} in the report"));
    (c["status"].as_str().unwrap(), c)
}

pub fn report(cache: &Path) -> Value {
    let out = posture(cache, &["report", "--format", "json"]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "report: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

pub fn snapshots_in(cache: &Path) -> Vec<std::path::PathBuf> {
    walk(cache)
        .into_iter()
        .filter(|p| {
            !p.components().any(|c| c.as_os_str() == "etags")
                && p.extension().is_some_and(|e| e == "json")
                && p.file_name().is_some_and(|n| n != "hosts.json")
        })
        .collect()
}
