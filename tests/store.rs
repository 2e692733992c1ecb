//! The snapshot cache end to end: the library API and the real binary with
//! `POSTURE_CACHE_DIR`, private files, one-line exit-2 errors for broken files, and a
//! failed save that leaves the previous snapshot as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Duration, TimeZone, Utc};
use posture::cli::DemoKind;
use posture::model::{Provider, Snapshot};
use posture::store::{Store, load};

fn demo(kind: DemoKind, org: &str, minutes: i64) -> Snapshot {
    let mut s = posture::demo::embedded(kind);
    s.org = org.to_owned();
    s.taken_at = Utc
        .with_ymd_and_hms(2026, 11, 20, 8, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes);
    s
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn posture(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .env("POSTURE_CACHE_DIR", cache)
        .env("POSTURE_CONFIG_DIR", cache.join("no-config"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("run posture: {e}"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn save(store: &Store, s: &Snapshot) -> PathBuf {
    store.save(s).unwrap_or_else(|e| panic!("save: {e}"))
}

#[test]
fn library_save_list_newest_prune() {
    let dir = temp();
    let store = Store::at(dir.path());
    let old = demo(DemoKind::Github, "acme", 0);
    let new = demo(DemoKind::Github, "acme", 60);
    let group = demo(DemoKind::Gitlab, "platform/tools", 30);
    for s in [&old, &new, &group] {
        let path = save(&store, s);
        assert_eq!(load(&path).ok().as_ref(), Some(s), "round trip of {path:?}");
    }
    let list = store.list().unwrap_or_else(|e| panic!("{e}"));
    let seen: Vec<_> = list
        .iter()
        .map(|i| (i.provider, i.org.as_str(), i.repos))
        .collect();
    assert_eq!(
        seen,
        [
            (Provider::Github, "acme", new.repos.len()),
            (Provider::Gitlab, "platform/tools", group.repos.len()),
            (Provider::Github, "acme", old.repos.len()),
        ]
    );
    let newest = store.newest(Some("platform/tools")).ok().flatten();
    assert_eq!(newest.map(|i| i.taken_at), Some(group.taken_at));
    let removed = store.prune(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(removed, vec![list[2].path.clone()]);
    assert!(!list[2].path.exists());
    assert_eq!(store.list().map(|l| l.len()).ok(), Some(2));
}

#[cfg(unix)]
#[test]
fn snapshot_files_are_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    let path = save(&Store::at(dir.path()), &demo(DemoKind::Github, "acme", 0));
    let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode.ok(), Some(0o600));
}

#[test]
fn cli_lists_and_prunes_the_cache_dir() {
    let dir = temp();
    let empty = posture(dir.path(), &["snapshots"]);
    assert_eq!(empty.status.code(), Some(0), "{}", stderr(&empty));
    assert!(
        stdout(&empty).contains("no cached snapshots"),
        "{}",
        stdout(&empty)
    );

    let store = Store::at(dir.path());
    let paths: Vec<PathBuf> = (0..3)
        .map(|i| save(&store, &demo(DemoKind::Github, "acme", i * 10)))
        .collect();
    let gl = save(&store, &demo(DemoKind::Gitlab, "platform/tools", 5));

    let out = posture(dir.path(), &["snapshots", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let listed: Vec<_> = json["snapshots"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["path"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default();
    let expected: Vec<_> = [&paths[2], &paths[1], &gl, &paths[0]]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(json["snapshots"][2]["org"], "platform/tools");
    assert_eq!(json["snapshots"][2]["provider"], "gitlab");
    let repos = demo(DemoKind::Gitlab, "x", 0).repos.len();
    assert_eq!(json["snapshots"][2]["repos"], repos);

    let text = posture(dir.path(), &["snapshots"]);
    let text_out = stdout(&text);
    assert!(text_out.starts_with("4 cached snapshots in "), "{text_out}");
    assert!(text_out.contains("platform/tools"), "{text_out}");

    let refused = posture(dir.path(), &["snapshots", "--prune", "--keep", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused).trim_end().lines().count(),
        1,
        "{}",
        stderr(&refused)
    );

    let pruned = posture(dir.path(), &["snapshots", "--prune", "--keep", "2"]);
    assert_eq!(pruned.status.code(), Some(0), "{}", stderr(&pruned));
    assert!(stdout(&pruned).contains("pruned 1 snapshot, kept the newest 2 per org"));
    assert!(!paths[0].exists() && paths[1].exists() && gl.exists());
}

/// A broken snapshot file: exit 2 and exactly one line on stderr naming the file.
fn assert_refused(file: &Path, expected: &str) {
    let msg = load(file).map(|_| ()).map_err(|e| e.to_string());
    let Err(msg) = msg else {
        panic!("{file:?} loaded")
    };
    assert!(msg.contains(expected), "{msg}");
    assert!(msg.contains(&file.display().to_string()), "{msg}");
    assert!(!msg.contains('\n'));

    let dir = file.parent().unwrap_or(Path::new("."));
    let snapshot = file.display().to_string();
    let out = posture(
        dir,
        &["report", "--snapshot", &snapshot, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2), "stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(expected) && err.contains(&snapshot), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn corrupt_truncated_and_newer_files_are_exit_2_with_one_line() {
    let dir = temp();
    let good = serde_json::to_vec(&demo(DemoKind::Github, "acme", 0)).unwrap_or_default();

    let corrupt = dir.path().join("corrupt.json");
    let mut bytes = good.clone();
    let at = good
        .windows(11)
        .position(|w| w == b"\"provider\":")
        .unwrap_or_else(|| panic!("no provider key"));
    bytes[at + 10] = b'#';
    std::fs::write(&corrupt, &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_refused(&corrupt, "is corrupt: line 1 col ");

    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &good[..good.len() * 2 / 3]).unwrap_or_else(|e| panic!("{e}"));
    assert_refused(
        &truncated,
        &format!("is truncated (ends at byte {})", good.len() * 2 / 3),
    );

    let newer = dir.path().join("newer.json");
    let body = r#"{"schema":"posture.snapshot","schema_version":7,"orgs":[{"v7":true}]}"#;
    std::fs::write(&newer, body).unwrap_or_else(|e| panic!("{e}"));
    assert_refused(
        &newer,
        "was written by a newer posture (schema 7; this build reads 1) — upgrade posture",
    );

    let missing = dir.path().join("missing.json");
    assert_refused(&missing, "cannot read snapshot");
}

#[test]
fn failed_save_leaves_the_previous_snapshot_unchanged() {
    let dir = temp();
    let store = Store::at(dir.path());
    let first = demo(DemoKind::Github, "acme", 0);
    let path = save(&store, &first);
    let before = std::fs::read(&path).unwrap_or_default();

    // Re-saving the same org at the same time replaces the same file name. Make that name's
    // rename impossible (running as root, a read-only dir would not stop us): turn the
    // target into a non-empty directory, after moving the original aside and back.
    let aside = dir.path().join("aside.bin");
    std::fs::rename(&path, &aside).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(path.join("blocker")).unwrap_or_else(|e| panic!("{e}"));
    let mut second = first.clone();
    second.repos.truncate(1);
    assert!(store.save(&second).is_err());
    // Nothing else in the dir changed and no temp file was left behind.
    assert_eq!(std::fs::read(&aside).unwrap_or_default(), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");

    // A save of a newer snapshot that fails the same way keeps the older one listable.
    std::fs::remove_dir_all(&path).unwrap_or_else(|e| panic!("{e}"));
    std::fs::rename(&aside, &path).unwrap_or_else(|e| panic!("{e}"));
    let third = demo(DemoKind::Github, "acme", 90);
    let third_name = format!(
        "github--acme--{}.json",
        third.taken_at.format("%Y%m%dT%H%M%S%.3fZ")
    );
    std::fs::create_dir_all(dir.path().join(third_name).join("blocker"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(store.save(&third).is_err());
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);
    let newest = store.newest(Some("acme")).ok().flatten();
    assert_eq!(newest.map(|i| i.path), Some(path.clone()));
    assert_eq!(load(&path).ok(), Some(first));
}
