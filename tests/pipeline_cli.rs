//! `posture pipeline` as a user runs it: JSON and text output, kinds, errors, exit codes.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn posture(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .output()
        .expect("posture runs")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

const WORKFLOW: &str = "on: push\npermissions:\n  contents: read\njobs:\n  deploy:\n    runs-on: [self-hosted, linux]\n    permissions:\n      id-token: write\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::1:role/x\n      - uses: foo/bar@v1\n";

#[test]
fn json_has_one_object_per_file_with_facts_and_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wf = write(dir.path(), ".github/workflows/deploy.yml", WORKFLOW);
    let out = posture(&["pipeline", &wf, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let list = v.as_array().expect("array");
    assert_eq!(list.len(), 1);
    let o = &list[0];
    assert_eq!(o["file"], Value::from(wf.clone()));
    assert_eq!(o["kind"], "github-actions");
    assert_eq!(o["facts"]["cloud_auth"][0]["provider"], "aws");
    assert_eq!(o["facts"]["cloud_auth"][0]["method"], "oidc");
    assert_eq!(o["facts"]["self_hosted_jobs"], Value::Bool(true));
    assert_eq!(
        o["facts"]["unpinned_third_party_actions"], 2,
        "aws-actions/* is third-party too"
    );
    assert!(o["facts"].get("includes").is_none(), "GitLab facts omitted");
    assert!(o.get("error").is_none());
    let findings = o["findings"].as_array().expect("findings");
    let auth = findings
        .iter()
        .find(|f| f["fact"] == "cloud_auth")
        .expect("auth finding");
    assert_eq!(auth["line"], 10);
}

#[test]
fn invalid_yaml_still_reports_with_error_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        ".gitlab-ci.yml",
        "include: common.yml\njob:\n  artifacts:\n    paths:\n      - \"a.xml\"\"\n",
    );
    let out = posture(&["pipeline", &f, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let err = v[0]["error"].as_str().expect("error field");
    let mut parts = err.splitn(3, ':');
    assert_eq!(parts.next(), Some("5"));
    assert!(
        parts.next().is_some_and(|c| c.parse::<u32>().is_ok()),
        "{err}"
    );
    assert_eq!(v[0]["kind"], "gitlab-ci");
    assert_eq!(v[0]["facts"]["yaml_valid"], Value::Bool(false));
    assert_eq!(v[0]["facts"]["includes"][0], "local");
}

#[test]
fn kind_override_and_text_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "ci.yml",
        "build:\n  tags: [docker]\n  script:\n    - gitleaks detect\n",
    );
    let out = posture(&["pipeline", &f, "--kind", "gitlab-ci"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(gitlab-ci)"), "{text}");
    assert!(text.contains("secret scanner"), "{text}");
    assert!(text.contains("runner tags"), "{text}");
    assert!(text.contains(&f), "{text}");
    assert!(text.contains("line 4 "), "finding cites the line\n{text}");
}

#[test]
fn local_callees_resolve_between_given_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let caller = write(
        dir.path(),
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  scan:\n    uses: ./.github/workflows/scan.yml\n",
    );
    let callee = write(
        dir.path(),
        ".github/workflows/scan.yml",
        "on: workflow_call\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: gitleaks/gitleaks-action@v2\n",
    );
    let out = posture(&["pipeline", &caller, &callee, "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(v[0]["facts"]["secret_scanner"], Value::Bool(false));
    assert_eq!(
        v[0]["facts"]["secret_scanner_via_local_callee"],
        Value::Bool(true)
    );
    assert_eq!(v[1]["facts"]["is_reusable_workflow"], Value::Bool(true));
}

#[test]
fn missing_file_is_an_input_error() {
    let out = posture(&["pipeline", "/nonexistent/posture/x.yml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/posture/x.yml"), "{err}");
    assert!(out.stdout.is_empty());
}
