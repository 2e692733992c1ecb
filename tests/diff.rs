//! `posture diff OLD NEW`: the demo exported with `posture demo --export` against a copy with
//! a few facts edited lists exactly those changes, and exits 1 only when something got worse.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

struct Env {
    dir: TempDir,
    cache: TempDir,
    config: TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: TempDir::new().expect("temp dir"),
            cache: TempDir::new().expect("temp dir"),
            config: TempDir::new().expect("temp dir"),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_posture"))
            .args(args)
            .env("POSTURE_CACHE_DIR", self.cache.path())
            .env("POSTURE_CONFIG_DIR", self.config.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run posture")
    }

    /// The embedded demo as a snapshot file, parsed.
    fn export(&self) -> Value {
        let out = self.run(&["demo", "--export"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the export is JSON")
    }

    fn write(&self, name: &str, doc: &Value) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, serde_json::to_vec(doc).expect("encode")).expect("write");
        path
    }

    fn diff(&self, old: &Path, new: &Path, json: bool) -> Output {
        let (old, new) = (old.display().to_string(), new.display().to_string());
        let mut args = vec!["diff", old.as_str(), new.as_str()];
        if json {
            args.extend(["--format", "json"]);
        }
        self.run(&args)
    }
}

fn repo<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    doc["repos"]
        .as_array_mut()
        .expect("repos")
        .iter_mut()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} in the demo"))
}

/// The four edits of the test: remove one repository, archive one, turn secret scanning off
/// on one, protect one (with payments-api's classic protection).
fn edited(old: &Value) -> Value {
    let mut new = old.clone();
    new["repos"]
        .as_array_mut()
        .expect("repos")
        .retain(|r| r["name"] != "acme/email-templates");
    repo(&mut new, "acme/legacy-billing")["archived"] = Value::Bool(true);
    repo(&mut new, "acme/payments-api")["secret_scanning"] =
        serde_json::json!({"known": {"secret_scanning": false, "push_protection": false}});
    let protection = repo(&mut new, "acme/payments-api")["classic_protection"].clone();
    assert!(
        protection["known"].is_object(),
        "payments-api has classic protection"
    );
    repo(&mut new, "acme/mobile-ios")["classic_protection"] = protection;
    new
}

fn changes(doc: &Value, direction: &str) -> BTreeSet<(String, String)> {
    doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["direction"] == direction)
        .map(|c| {
            (
                c["repo"].as_str().unwrap_or("(org)").to_owned(),
                c["control"].as_str().expect("control").to_owned(),
            )
        })
        .collect()
}

#[test]
fn lists_exactly_the_changes_made_and_exits_1_when_worse() {
    let env = Env::new();
    let old = env.export();
    let old_path = env.write("old.json", &old);
    let new_path = env.write("new.json", &edited(&old));

    let out = env.diff(&old_path, &new_path, true);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");

    // Worse: exactly the two secret-scanning controls of payments-api.
    let worse = changes(&doc, "worse");
    let want: BTreeSet<(String, String)> = [
        ("acme/payments-api", "push-protection"),
        ("acme/payments-api", "secret-scanning"),
    ]
    .iter()
    .map(|(r, c)| ((*r).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(worse, want);
    for c in doc["changes"].as_array().expect("changes") {
        if c["direction"] == "worse" {
            assert_eq!(
                (c["old"].as_str(), c["new"].as_str()),
                (Some("pass"), Some("fail"))
            );
        }
    }
    // Better: mobile-ios's branch protection, fail → pass, and nothing else.
    let better = changes(&doc, "better");
    assert!(
        better.iter().all(|(r, _)| r == "acme/mobile-ios"),
        "{better:?}"
    );
    for control in [
        "branch-protected",
        "pr-required",
        "approving-review",
        "no-force-push",
    ] {
        assert!(
            better.contains(&("acme/mobile-ios".to_owned(), control.to_owned())),
            "{control}"
        );
    }
    // No other repository changed at all; archived and removed ones are listed, not diffed.
    let touched: BTreeSet<String> = doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["repo"].as_str().unwrap_or("(org)").to_owned())
        .collect();
    let expected_touched: BTreeSet<String> = ["acme/mobile-ios", "acme/payments-api"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(touched, expected_touched);
    assert_eq!(doc["removed"], serde_json::json!(["acme/email-templates"]));
    assert_eq!(doc["archived"], serde_json::json!(["acme/legacy-billing"]));
    assert_eq!(doc["added"], serde_json::json!([]));
    assert_eq!(doc["unarchived"], serde_json::json!([]));

    // Rollout: secret scanning org-wide lost payments-api; the removed and archived
    // repositories (neither had secret scanning) leave the total.
    let step = doc["rollout"]
        .as_array()
        .expect("rollout")
        .iter()
        .find(|s| s["id"] == "secret-scanning-org-wide")
        .expect("step 3");
    let n = |k: &str| step[k].as_i64().expect("number");
    assert_eq!(n("old_done") - n("new_done"), 1);
    assert_eq!(n("old_total") - n("new_total"), 2);

    // The text form says the same.
    let out = env.diff(&old_path, &new_path, false);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Worse (2):"), "{text}");
    assert!(text.lines().any(|l| l.contains("acme/payments-api")
        && l.contains("secret-scanning")
        && l.contains("pass → fail")));
    assert!(text.contains("removed    acme/email-templates"), "{text}");
    assert!(text.contains("archived   acme/legacy-billing"), "{text}");
    assert!(text.contains("2 worse,"), "{text}");
}

#[test]
fn only_improvements_exit_0() {
    let env = Env::new();
    let old = env.export();
    let mut new = old.clone();
    let protection = repo(&mut new, "acme/payments-api")["classic_protection"].clone();
    repo(&mut new, "acme/mobile-ios")["classic_protection"] = protection;
    let out = env.diff(&env.write("a.json", &old), &env.write("b.json", &new), true);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(changes(&doc, "worse").is_empty());
    assert!(!changes(&doc, "better").is_empty());
}

#[test]
fn a_snapshot_against_itself_has_no_changes() {
    let env = Env::new();
    let path = env.write("same.json", &env.export());
    let out = env.diff(&path, &path, false);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("0 worse, 0 better, 0 changed; 0 added, 0 removed, 0 archived"),
        "{text}"
    );
}

#[test]
fn added_and_unarchived_repositories() {
    let env = Env::new();
    let new = env.export();
    let mut old = new.clone();
    old["repos"]
        .as_array_mut()
        .expect("repos")
        .retain(|r| r["name"] != "acme/payments-api");
    // A repository archived before and live now is listed as unarchived, and its failing
    // verdicts (they were not_applicable while archived) count as worse.
    let archived_now = new["repos"]
        .as_array()
        .expect("repos")
        .iter()
        .find(|r| r["archived"] == true)
        .and_then(|r| r["name"].as_str())
        .expect("the demo has an archived repository")
        .to_owned();
    let mut new = new;
    repo(&mut new, &archived_now)["archived"] = Value::Bool(false);
    let out = env.diff(&env.write("a.json", &old), &env.write("b.json", &new), true);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["added"][0]["name"], "acme/payments-api");
    assert_eq!(doc["added"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["unarchived"], serde_json::json!([archived_now]));
    let worse = changes(&doc, "worse");
    assert!(worse.iter().all(|(r, _)| *r == archived_now), "{worse:?}");
    assert_eq!(
        out.status.code(),
        Some(if worse.is_empty() { 0 } else { 1 })
    );
}

#[test]
fn unreadable_or_invalid_files_are_exit_2() {
    let env = Env::new();
    let good = env.write("good.json", &env.export());
    let missing = env.dir.path().join("missing.json");
    let out = env.diff(&good, &missing, false);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
    let garbage = env.dir.path().join("garbage.json");
    std::fs::write(&garbage, "{not json").expect("write");
    let out = env.diff(&garbage, &good, false);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
