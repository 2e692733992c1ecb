//! Hardening of what posture writes and prints: URL credentials never echoed, plain http only
//! to loopback, private cache dirs, bounded file names, no secrets in the ETag cache, and the
//! token in none of the snapshot, the cache, `--verbose` output, failure messages or a panic's
//! message (GitHub and GitLab).

// Both fake servers are loaded here, and each brings the shared loopback server loop in as its
// own module: two copies of one small file, in a test binary only.
#![allow(clippy::duplicate_mod)]

mod support;

use support::{fake_github, fake_gitlab, fault_proxy, sync_github_common as common};

use std::path::Path;
use std::process::{Command, Output};

use fault_proxy::{Fault, FaultProxy, Rule};

const GH_TOKEN: &str = fake_github::fixtures::TOKEN;
const GL_TOKEN: &str = fake_gitlab::fixtures::TOKEN;

fn posture(cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_posture"));
    command
        .args(args)
        .env("POSTURE_CACHE_DIR", cache)
        .env("POSTURE_CONFIG_DIR", cache.join("config"))
        .env("GITHUB_TOKEN", GH_TOKEN)
        .env("GITLAB_TOKEN", GL_TOKEN)
        .env_remove("GH_TOKEN")
        .env_remove("POSTURE_TEST_PANIC");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file under `dir`, as lossy text.
fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    common::walk(dir)
        .into_iter()
        .map(|p| {
            let t = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            (p, t)
        })
        .collect()
}

#[test]
fn credentials_in_a_url_are_never_echoed() {
    let cache = tempfile::tempdir().unwrap();
    for args in [
        &[
            "sync",
            "gitlab",
            "--group",
            "g",
            "--url",
            "https://oauth2:glpat-URLSECRET1@gitlab.example/x",
        ][..],
        &[
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            "https://x:ghp_URLSECRET1@ghe.example/api/v3",
        ][..],
        &[
            "sync",
            "gitlab",
            "--group",
            "g",
            "--url",
            "oauth2:glpat-URLSECRET1@gitlab.example?x",
        ][..],
    ] {
        let out = posture(cache.path(), args, &[]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(!text(&out).contains("URLSECRET1"), "{}", text(&out));
    }
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    let cache = tempfile::tempdir().unwrap();
    let out = posture(
        cache.path(),
        &[
            "sync",
            "gitlab",
            "--group",
            "g",
            "--url",
            "http://gitlab.example",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("in clear"), "{}", text(&out));
    let out = posture(
        cache.path(),
        &[
            "sync",
            "github",
            "--org",
            "a",
            "--api-url",
            "http://10.1.2.3/api/v3",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn the_cache_is_private_after_a_first_sync() {
    use std::os::unix::fs::PermissionsExt;
    let fake = fake_gitlab::FakeGitlab::start(fake_gitlab::fixtures::acme());
    let root = tempfile::tempdir().unwrap();
    let cache = root.path().join("cache");
    let out = fake_gitlab::cli::sync_cli(&fake, &cache, &["--quiet"]);
    assert!(out.status.success(), "{}", text(&out));
    for dir in [cache.clone(), cache.join("etags")] {
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", dir.display());
    }
    for (file, _) in all_files(&cache) {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

#[test]
fn a_231_character_group_path_saves_lists_and_loads() {
    let dir = tempfile::tempdir().unwrap();
    let store = posture::store::Store::at(dir.path());
    let group = format!("{}/{}", "g".repeat(115), "s".repeat(115));
    assert_eq!(group.len(), 231);
    let snapshot = posture::model::Snapshot::new(
        posture::model::Provider::Gitlab,
        &group,
        "https://gitlab.example/api/v4",
        chrono::Utc::now(),
    );
    let path = store.save(&snapshot).unwrap();
    assert!(path.file_name().unwrap().len() < 200);
    let listed = store.newest(Some(&group)).unwrap().unwrap();
    assert_eq!(listed.org, group);
    assert_eq!(posture::store::load(&listed.path).unwrap().org, group);
}

/// Secret fields as GitLab returns them to maintainers (and GitHub in hook configs).
fn secrets() -> serde_json::Value {
    serde_json::json!({
        "runners_token": "GR1348941RUNNERSECRET",
        "token": "TOKENFIELDSECRET",
        "value": "VALUEFIELDSECRET",
        "private_key": "PRIVATEKEYSECRET",
        "webhook_secret": "WEBHOOKSECRET"
    })
}

#[test]
fn the_etag_cache_keeps_no_secret_fields() {
    let fake = fake_gitlab::FakeGitlab::start(fake_gitlab::fixtures::acme());
    let proxy = FaultProxy::start(&fake.url);
    proxy.add(Rule::new(
        "/api/v4/projects",
        usize::MAX,
        Fault::Augment(secrets()),
    ));
    proxy.add(Rule::new(
        "/api/v4/groups",
        usize::MAX,
        Fault::Augment(secrets()),
    ));
    let cache = tempfile::tempdir().unwrap();
    let mut options = fake_gitlab::cli::options(&fake, cache.path(), "acme-gl");
    options.base_url = posture::collect::gitlab::http::GitlabBase::parse(Some(&proxy.url)).unwrap();
    let (snapshot, _) = fake_gitlab::cli::run(options);
    snapshot.unwrap();
    assert!(proxy.served() > 0);
    let files = all_files(cache.path());
    assert!(
        files
            .iter()
            .any(|(p, _)| p.to_string_lossy().contains("etags"))
    );
    for (path, body) in files {
        for name in [
            "runners_token",
            "\"token\"",
            "\"value\"",
            "private_key",
            "webhook_secret",
        ] {
            assert!(!body.contains(name), "{name} in {}", path.display());
        }
        assert!(
            !body.contains("SECRET"),
            "a secret value in {}",
            path.display()
        );
    }
}

fn assert_clean(what: &str, haystack: &str) {
    for token in [GH_TOKEN, GL_TOKEN] {
        assert!(!haystack.contains(token), "the token in {what}");
    }
}

#[test]
fn the_token_reaches_no_file_no_output_and_no_panic_message() {
    if common::skip() {
        return;
    }
    let github = fake_github::FakeGithub::start(fake_github::fixtures::acme());
    let gitlab = fake_gitlab::FakeGitlab::start(fake_gitlab::fixtures::acme());
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path();
    let gh = ["sync", "github", "--org", "acme", "--api-url", &github.url];
    let gl = ["sync", "gitlab", "--group", "acme-gl", "--url", &gitlab.url];
    for args in [&gh, &gl] {
        let verbose = posture(c, &[&args[..], &["--verbose"]].concat(), &[]);
        assert!(verbose.status.success(), "{}", text(&verbose));
        assert!(text(&verbose).contains("GET "), "verbose lists requests");
        assert_clean("--verbose output", &text(&verbose));
    }
    // Servers that echo the token in their error messages, and redirect URLs.
    let echo = |url: &str, token: &str| {
        let proxy = FaultProxy::start(url);
        proxy.add(Rule::new(
            "/user",
            usize::MAX,
            Fault::status(401, &format!("Bad credentials: {token}"), &[]),
        ));
        proxy
    };
    let gh_echo = echo(&github.url, GH_TOKEN);
    let gl_echo = echo(&gitlab.url, GL_TOKEN);
    for args in [
        vec!["sync", "github", "--org", "acme", "--api-url", &gh_echo.url],
        vec![
            "sync",
            "gitlab",
            "--group",
            "acme-gl",
            "--url",
            &gl_echo.url,
        ],
    ] {
        let failed = posture(c, &args, &[]);
        assert_eq!(failed.status.code(), Some(3), "{}", text(&failed));
        assert!(text(&failed).contains("[redacted]"), "{}", text(&failed));
        assert_clean("a failure's message", &text(&failed));
    }
    // A panic in the middle of a sync (debug builds: forced), its message printing the options.
    for args in [&gh, &gl] {
        let panicked = posture(c, &args[..], &[("POSTURE_TEST_PANIC", "sync")]);
        assert_eq!(panicked.status.code(), Some(101), "{}", text(&panicked));
        assert!(
            text(&panicked).contains("Token([redacted])"),
            "{}",
            text(&panicked)
        );
        assert_clean("a panic's message", &text(&panicked));
    }
    for (path, body) in all_files(c) {
        assert_clean(&path.display().to_string(), &body);
    }
}
