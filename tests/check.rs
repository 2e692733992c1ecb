//! `posture check`: the gate's exit code, what it lists, waivers (active and expired),
//! `unknown` and `info` never failing, `--repo`, its JSON and SARIF forms, and Rego policies
//! through the binary (`--policy DIR|FILE`, the config dir's `policies/`, broken policies).

use std::collections::BTreeSet;
use std::process::{Command, Output};

use posture::assess::Registry;
use posture::cli::DemoKind;
use posture::config::Settings;
use posture::controls::{Severity, Status};
use posture::open::{Opened, Origin, open_snapshot};
use serde_json::Value;
use tempfile::TempDir;

struct Env {
    cache: TempDir,
    config: TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
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

    fn config(&self, toml: &str) {
        std::fs::write(self.config.path().join("config.toml"), toml).expect("write config.toml");
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

fn demo() -> Opened {
    open_snapshot(
        posture::demo::embedded(DemoKind::Github),
        Origin::Demo(DemoKind::Github),
        Settings::default(),
        &Registry::builtin(),
    )
    .expect("judged")
}

type Key = (String, Option<String>);

/// (control, repo) of every verdict with `status` at or above `min` (not info), org included.
fn expected(opened: &Opened, status: Status, min: Severity) -> BTreeSet<Key> {
    let a = &opened.assessment;
    let mut out = BTreeSet::new();
    for (def, v) in a.catalog.org.iter().zip(&a.org) {
        if v.status == status && def.severity >= min && def.severity != Severity::Info {
            out.insert((def.id.to_string(), None));
        }
    }
    for (r, repo) in opened.snapshot.repos.iter().enumerate() {
        for (def, v) in a.catalog.repo.iter().zip(&a.repos[r]) {
            if v.status == status && def.severity >= min && def.severity != Severity::Info {
                out.insert((def.id.to_string(), Some(repo.name.clone())));
            }
        }
    }
    out
}

fn keys(list: &Value) -> BTreeSet<Key> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|i| {
            (
                i["control"].as_str().expect("control").to_owned(),
                i["repo"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn waivers_for(items: &BTreeSet<Key>, expires: &str) -> String {
    let mut toml = String::new();
    for (control, repo) in items {
        toml.push_str(&format!(
            "[[waiver]]\ncontrol = \"{control}\"\nrepo = \"{}\"\nowner = \"platform-team\"\nreason = \"accepted for the test\"\nexpires = {expires}\n\n",
            repo.as_deref().unwrap_or("acme")
        ));
    }
    toml
}

#[test]
fn fails_on_high_and_lists_exactly_the_failures() {
    let env = Env::new();
    let opened = demo();
    let want = expected(&opened, Status::Fail, Severity::High);
    assert!(!want.is_empty(), "the demo has high failures");

    let out = env.run(&["check", "--demo", "--fail-on", "high", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["schema"], "posture.check/v1");
    assert_eq!(doc["passed"], false);
    assert_eq!(keys(&doc["failures"]), want);
    assert!(
        doc["failures"]
            .as_array()
            .expect("failures")
            .iter()
            .all(|f| f["severity"] == "high" && f["status"] == "fail")
    );
    // unknown verdicts are listed, never failing
    assert_eq!(
        keys(&doc["unknown"]),
        expected(&opened, Status::Unknown, Severity::High)
    );

    // The text form lists each failure too, and defaults to --fail-on high.
    let out = env.run(&["check", "--demo"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAILED:"), "{text}");
    let fail_lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with("FAIL "))
        .count();
    assert_eq!(fail_lines, want.len());
    assert!(text.lines().any(|l| l.contains("FAIL")
        && l.contains("acme/terraform-live")
        && l.contains("no-static-cloud-keys")));
}

#[test]
fn lower_thresholds_count_more_and_info_never_fails() {
    let env = Env::new();
    let opened = demo();
    let doc = json(&env.run(&["check", "--demo", "--fail-on", "low", "--format", "json"]));
    let want = expected(&opened, Status::Fail, Severity::Low);
    assert_eq!(keys(&doc["failures"]), want);
    assert!(want.len() > expected(&opened, Status::Fail, Severity::High).len());
    assert!(
        doc["failures"]
            .as_array()
            .expect("failures")
            .iter()
            .all(|f| f["severity"] != "info")
    );
    let info_failures = opened
        .assessment
        .catalog
        .org
        .iter()
        .zip(&opened.assessment.org)
        .filter(|(d, v)| d.severity == Severity::Info && v.status == Status::Fail)
        .count();
    assert_eq!(doc["counts"]["below_threshold"], info_failures);
}

#[test]
fn waivers_turn_the_gate_green_until_they_expire() {
    let env = Env::new();
    let opened = demo();
    let failing = expected(&opened, Status::Fail, Severity::High);
    env.config(&waivers_for(&failing, "2099-12-31"));

    let out = env.run(&["check", "--demo", "--fail-on", "high", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    assert_eq!(doc["passed"], true);
    assert_eq!(doc["failures"].as_array().map(Vec::len), Some(0));
    assert_eq!(keys(&doc["waived"]), failing);
    let first = &doc["waived"][0]["waiver"];
    assert_eq!(first["owner"], "platform-team");
    assert_eq!(first["expires"], "2099-12-31");
    assert_eq!(first["expired"], false);
    // unknowns are still listed, and still do not fail
    assert!(!doc["unknown"].as_array().expect("unknown").is_empty());

    let text = String::from_utf8_lossy(&env.run(&["check", "--demo"]).stdout).into_owned();
    assert!(text.contains("PASSED"), "{text}");
    assert!(
        text.contains("waived by platform-team until 2099-12-31"),
        "{text}"
    );

    // One waiver expired: that failure counts again, shown as expired.
    let (control, repo) = failing
        .iter()
        .find(|(_, r)| r.as_deref() == Some("acme/terraform-live"))
        .cloned()
        .expect("terraform-live fails a high control");
    let mut rest = failing.clone();
    rest.remove(&(control.clone(), repo.clone()));
    let mut once = BTreeSet::new();
    once.insert((control.clone(), repo.clone()));
    env.config(&(waivers_for(&rest, "2099-12-31") + &waivers_for(&once, "2020-01-31")));
    let out = env.run(&["check", "--demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(keys(&doc["failures"]), once);
    assert_eq!(doc["failures"][0]["waiver"]["expired"], true);
    assert_eq!(doc["counts"]["expired_waivers"], 1);
    let text = String::from_utf8_lossy(&env.run(&["check", "--demo"]).stdout).into_owned();
    assert!(
        text.contains("waiver by platform-team expired 2020-01-31: counts again"),
        "{text}"
    );
}

#[test]
fn repo_narrows_the_gate_to_one_repository() {
    let env = Env::new();
    let out = env.run(&[
        "check",
        "--demo",
        "--repo",
        "payments-api",
        "--format",
        "json",
    ]);
    let doc = json(&out);
    let all: Vec<&Value> = ["failures", "waived", "unknown"]
        .iter()
        .flat_map(|k| doc[*k].as_array().expect("list").iter())
        .collect();
    assert!(
        all.iter().all(|i| i["repo"] == "acme/payments-api"),
        "no org controls, no other repo"
    );
    let code = out.status.code();
    let failed = !doc["failures"].as_array().expect("failures").is_empty();
    assert_eq!(code, Some(if failed { 1 } else { 0 }));

    let out = env.run(&["check", "--demo", "--repo", "no-such-repo"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sarif_form_keeps_the_gate_exit_code() {
    let env = Env::new();
    let out = env.run(&["check", "--demo", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        !doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
}

#[test]
fn without_a_snapshot_check_is_an_input_error() {
    let env = Env::new();
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo"));
}

#[test]
fn an_info_failure_never_fails_the_gate() {
    let mut opened = demo();
    let c = opened
        .assessment
        .catalog
        .org_index("org-oidc-subject")
        .expect("info org control");
    assert_eq!(opened.assessment.catalog.org[c].severity, Severity::Info);
    opened.assessment.org[c] = posture::controls::Verdict::fail("default subject template");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let gate = posture::commands::check::gate(&opened, &[], true, Severity::Low, today);
    assert!(
        gate.failures
            .iter()
            .all(|i| i.control != "org-oidc-subject")
    );
    assert!(gate.below_threshold >= 1);
    // And an unknown high verdict is listed without failing.
    let h = opened
        .assessment
        .catalog
        .org_index("org-token-read-default")
        .expect("org control");
    for v in opened.assessment.org.iter_mut() {
        *v = posture::controls::Verdict::pass("ok");
    }
    opened.assessment.org[h] =
        posture::controls::Verdict::unknown("unreadable", "403: needs admin");
    let gate = posture::commands::check::gate(&opened, &[], true, Severity::High, today);
    assert!(!gate.failed());
    assert_eq!(gate.unknown.len(), 1);
    assert_eq!(gate.unknown[0].reason.as_deref(), Some("403: needs admin"));
}

// ---- with Rego policies ----

const DEPLOY: &str = "policy/posture.deploy_slsa";
const TOP10: &str = "policy/posture.top10_two_approvals";

fn examples_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/policies")
}

#[test]
fn a_broken_policy_is_exit_2_with_file_and_line() {
    let env = Env::new();
    let dir = TempDir::new().expect("temp dir");
    let file = dir.path().join("broken.rego");
    std::fs::write(
        &file,
        "package acme.broken\n\ndeny contains msg if {\n  msg := sprintf(\"%s\", [input.repository.name]\n}\n",
    )
    .expect("write");
    for cmd in ["check", "report"] {
        let out = env.run(&[cmd, "--demo", "--policy", &dir.path().display().to_string()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("broken.rego:4:"), "{cmd}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    // A semantic error (an undefined function) is caught at load time too.
    std::fs::write(
        &file,
        "package acme.broken\n\ndeny contains \"x\" if {\n  nosuch(input)\n}\n",
    )
    .expect("write");
    let out = env.run(&[
        "check",
        "--demo",
        "--policy",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.rego:4:"));
    // A missing directory is an input error as well.
    let out = env.run(&["check", "--demo", "--policy", "/nonexistent/policies"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn policy_controls_appear_in_check_and_report() {
    let env = Env::new();
    let dir = examples_dir().display().to_string();
    let out = env.run(&["check", "--demo", "--policy", &dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let failures = doc["failures"].as_array().expect("failures");
    let hit = failures.iter().any(|f| {
        f["control"] == TOP10
            && f["repo"] == "acme/payments-api"
            && f["evidence"] == "rank 2 by traffic: 1 approving review(s) required on main, needs 2"
    });
    assert!(hit, "the top-10 policy fails payments-api in check");

    let out = env.run(&["report", "--demo", "--policy", &dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    for repo in doc["repos"].as_array().expect("repos") {
        let ids: Vec<&str> = repo["controls"]
            .as_array()
            .expect("controls")
            .iter()
            .filter_map(|c| c["id"].as_str())
            .collect();
        assert!(
            ids.contains(&DEPLOY) && ids.contains(&TOP10),
            "{}",
            repo["name"]
        );
    }
}

#[test]
fn config_dir_policies_apply_without_the_flag() {
    let env = Env::new();
    let dir = env.config.path().join("policies");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let name = "top10_two_approvals.rego";
    std::fs::copy(examples_dir().join(name), dir.join(name)).expect("copy");
    let out = env.run(&[
        "check",
        "--demo",
        "--format",
        "json",
        "--repo",
        "payments-api",
    ]);
    let doc = json(&out);
    let controls: Vec<&str> = doc["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter_map(|f| f["control"].as_str())
        .collect();
    assert!(controls.contains(&TOP10), "{controls:?}");
    assert!(!controls.contains(&DEPLOY), "only the copied policy");
}

#[test]
fn policy_may_name_a_single_file() {
    let env = Env::new();
    let file = examples_dir().join("top10_two_approvals.rego");
    let out = env.run(&[
        "check",
        "--demo",
        "--policy",
        &file.display().to_string(),
        "--format",
        "json",
    ]);
    let doc = json(&out);
    let controls: Vec<&str> = doc["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter_map(|f| f["control"].as_str())
        .filter(|c| c.starts_with("policy/"))
        .collect();
    assert!(controls.contains(&TOP10));
    assert!(!controls.contains(&DEPLOY));
}
