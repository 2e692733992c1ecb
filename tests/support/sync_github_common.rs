//! Helpers shared by the `sync_github*` tests: sync options for the fake, an in-process run
//! that keeps the progress events, the binary with a private cache, report lookups.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use crate::support::fake_github::FakeGithub;
use crate::support::fake_github::fixtures::TOKEN;
use posture::collect::api::ApiBase;
use posture::collect::github::{SyncOptions, sync};
use posture::collect::progress::{Event, Progress};
use posture::collect::token::Token;
use posture::model::Snapshot;
use serde_json::Value;

pub fn options(fake: &FakeGithub, dir: &Path) -> SyncOptions {
    SyncOptions {
        org: "acme".into(),
        repos: Vec::new(),
        api: ApiBase::parse(Some(&fake.url)).unwrap(),
        concurrency: 8,
        token: Token::new(TOKEN),
        cache_dir: Some(dir.to_path_buf()),
        base: None,
        release_patterns: posture::config::Settings::default().release_patterns,
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

/// Whether to skip because GitHub's schema (which the fake executes queries against) is
/// absent; in CI its absence fails the test instead.
pub fn skip() -> bool {
    crate::support::github_schema::github_schema().is_none()
}

pub fn posture(cache: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .env("POSTURE_CACHE_DIR", cache)
        .env("POSTURE_CONFIG_DIR", cache.join("config"))
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GH_TOKEN")
        .output()
        .unwrap()
}

/// `posture sync github --org acme --api-url FAKE --quiet` with the test token.
pub fn sync_acme(fake: &FakeGithub, cache: &Path) -> std::process::Output {
    posture(
        cache,
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &fake.url,
            "--quiet",
        ],
    )
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
        .unwrap();
    (c["status"].as_str().unwrap(), c)
}

pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
