//! Unit tests of loading and of the cache directory.

use chrono::{Duration, TimeZone};

use super::*;
use crate::model::{Repo, Visibility};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

fn snap(provider: Provider, org: &str, minutes: i64, repos: usize) -> Snapshot {
    let mut s = Snapshot::new(provider, org, "https://api.example", at(minutes));
    for i in 0..repos {
        s.repos.push(Repo::new(
            &format!("{org}/r{i}"),
            Visibility::Private,
            "main",
        ));
    }
    s
}

fn bytes_of(s: &Snapshot) -> Vec<u8> {
    serde_json::to_vec(s).unwrap_or_default()
}

fn message(bytes: &[u8]) -> String {
    match parse(bytes, "x.json") {
        Ok(_) => String::from("<loaded>"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn parse_round_trips_a_snapshot() {
    let s = snap(Provider::Github, "acme", 0, 3);
    assert_eq!(parse(&bytes_of(&s), "x.json").ok(), Some(s));
}

#[test]
fn corrupt_json_names_file_line_and_column() {
    let msg = message(b"{\"schema\" x}");
    assert!(
        msg.starts_with("snapshot x.json is corrupt: line 1 col 11: "),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
    assert!(message(b"\x00\x01binary").starts_with("snapshot x.json is corrupt: line 1 col 1"));
}

#[test]
fn truncated_file_says_where_it_ends() {
    let full = bytes_of(&snap(Provider::Github, "acme", 0, 5));
    let cut = &full[..full.len() / 2];
    assert_eq!(
        message(cut),
        format!("snapshot x.json is truncated (ends at byte {})", cut.len())
    );
    assert_eq!(message(b"  \n"), "snapshot x.json is empty");
}

#[test]
fn newer_schema_is_refused_even_when_the_body_is_not_v1() {
    let expected = "snapshot x.json was written by a newer posture (schema 7; this build reads 1) — upgrade posture";
    // Parses as v1 (unknown fields are ignored) but says version 7.
    let mut v = serde_json::to_value(snap(Provider::Github, "acme", 0, 1)).unwrap_or_default();
    v["schema_version"] = serde_json::json!(7);
    assert_eq!(message(v.to_string().as_bytes()), expected);
    // A v7 body v1 cannot read, even truncated.
    let body = br#"{"schema":"posture.snapshot","schema_version":7,"repositories":{"new":"#;
    assert_eq!(message(body), expected);
}

#[test]
fn foreign_json_is_not_a_snapshot() {
    let msg = message(br#"{"schema":"posture.report/v1","schema_version":1,"repos":[]}"#);
    assert!(
        msg.starts_with("x.json is not a posture snapshot (schema \"posture.report/v1\""),
        "{msg}"
    );
    let msg = message(b"[1,2,3]");
    assert!(
        msg.starts_with(
            "snapshot x.json is not a valid posture snapshot: line 1 col 2: invalid type"
        ),
        "{msg}"
    );
    let msg = message(br#"{"schema":"posture.snapshot","schema_version":"one"}"#);
    assert!(msg.contains("invalid schema_version \"one\""), "{msg}");
}

#[test]
fn untrusted_text_in_errors_stays_on_one_line() {
    let mut v = serde_json::to_value(snap(Provider::Github, "acme", 0, 1)).unwrap_or_default();
    v["provider"] = serde_json::json!("evil\nsecond line\u{1b}[31m");
    let msg = message(v.to_string().as_bytes());
    assert!(msg.contains("is not a valid posture snapshot"), "{msg}");
    assert!(!msg.contains('\n') && !msg.contains('\u{1b}'), "{msg:?}");
}

#[test]
fn save_list_newest_prune() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::at(dir.path().join("cache"));
    assert!(store.list().unwrap_or_else(|e| panic!("{e}")).is_empty());
    let saves = [
        snap(Provider::Github, "acme", 0, 2),
        snap(Provider::Github, "acme", 10, 3),
        snap(Provider::Gitlab, "grp/sub", 5, 4),
        snap(Provider::Github, "acme", 20, 1),
        snap(Provider::Gitlab, "grp/sub", 30, 6),
    ];
    for s in &saves {
        let path = store.save(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(load(&path).ok().as_ref(), Some(s));
    }
    let list = store.list().unwrap_or_else(|e| panic!("{e}"));
    let summary: Vec<_> = list.iter().map(|i| (i.org.as_str(), i.repos)).collect();
    assert_eq!(
        summary,
        [
            ("grp/sub", 6),
            ("acme", 1),
            ("acme", 3),
            ("grp/sub", 4),
            ("acme", 2)
        ]
    );
    let newest = store.newest(Some("ACME")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(newest.map(|i| i.taken_at), Some(at(20)));
    let newest = store.newest(None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(newest.map(|i| i.org), Some("grp/sub".to_owned()));
    assert!(
        store
            .newest(Some("other"))
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );

    let removed = store.prune(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(removed.len(), 3);
    let left: Vec<_> = store
        .list()
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|i| i.taken_at)
        .collect();
    assert_eq!(left, [at(30), at(20)]);
    // Sidecars of pruned snapshots are gone too: two snapshots, two sidecars.
    let files = std::fs::read_dir(store.dir())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 4);
}

#[test]
fn listing_without_sidecar_or_with_a_stale_one_counts_repos_from_the_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::at(dir.path());
    let path = store
        .save(&snap(Provider::Github, "acme", 0, 7))
        .unwrap_or_else(|e| panic!("{e}"));
    let sidecar = path.with_extension("meta");
    assert!(sidecar.is_file());
    std::fs::remove_file(&sidecar).unwrap_or_else(|e| panic!("{e}"));
    let list = store.list().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.first().map(|i| i.repos), Some(7));

    // Replace the snapshot behind the sidecar's back: the size check catches it.
    let other = snap(Provider::Github, "acme", 0, 2);
    store
        .save(&snap(Provider::Github, "acme", 0, 7))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, bytes_of(&other)).unwrap_or_else(|e| panic!("{e}"));
    let list = store.list().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.first().map(|i| i.repos), Some(2));
}

#[test]
fn listing_skips_foreign_temp_and_broken_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::at(dir.path());
    store
        .save(&snap(Provider::Github, "acme", 0, 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"))
    };
    write("notes.json", "{}");
    write(".tmp-1-0-github--acme--20261125T110000.000Z.json", "{");
    write("github--acme--20261125T120000.000Z.json", "{\"schema\":");
    let list = store.list().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.len(), 1);
}

#[cfg(unix)]
#[test]
fn saved_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::at(dir.path().join("new"));
    let path = store
        .save(&snap(Provider::Github, "acme", 0, 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let mode = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode(&path).ok(), Some(0o600));
    assert_eq!(mode(&path.with_extension("meta")).ok(), Some(0o600));
    assert_eq!(mode(store.dir()).ok(), Some(0o700));
}

#[test]
fn failed_save_keeps_the_previous_file_and_leaves_no_temp() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::at(dir.path());
    let first = snap(Provider::Github, "acme", 0, 2);
    let path = store.save(&first).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&path).unwrap_or_default();
    // The target name of the next save is taken by a directory: the rename must fail.
    let next = snap(Provider::Github, "acme", 5, 9);
    let blocked = dir.path().join(format!(
        "{}.json",
        name::stem(next.provider, &next.org, next.taken_at)
    ));
    std::fs::create_dir_all(blocked.join("x")).unwrap_or_else(|e| panic!("{e}"));
    let err = store.save(&next);
    assert!(err.is_err());
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);
    let temps = std::fs::read_dir(dir.path())
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .unwrap_or(usize::MAX);
    assert_eq!(temps, 0);
    assert_eq!(store.newest(None).ok().flatten().map(|i| i.repos), Some(2));
}

#[test]
fn listing_reads_the_sidecar_not_the_snapshot() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::at(dir.path());
    let path = store
        .save(&snap(Provider::Github, "acme", 0, 3))
        .unwrap_or_else(|e| panic!("{e}"));
    let sidecar = path.with_extension("meta");
    let text = std::fs::read_to_string(&sidecar).unwrap_or_default();
    assert!(text.contains("\"repos\":3"), "{text}");
    // A sidecar that matches the file's size is trusted: the snapshot body is never parsed.
    std::fs::write(&sidecar, text.replace("\"repos\":3", "\"repos\":99"))
        .unwrap_or_else(|e| panic!("{e}"));
    let list = store.list().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.first().map(|i| i.repos), Some(99));
}
