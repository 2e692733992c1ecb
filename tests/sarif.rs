//! SARIF 2.1.0 output: valid against the official schema, one rule per control, one result per
//! failing verdict with the right level and location, waivers as suppressions, one-repository
//! files, and the per-run result limit.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use posture::assess::Registry;
use posture::cli::DemoKind;
use posture::config::{Settings, Waiver};
use posture::controls::{Severity, Status};
use posture::open::{Opened, Origin, open_snapshot};
use posture::report::sarif::{MAX_RESULTS, SarifOptions, build};
use serde_json::Value;
use tempfile::TempDir;

mod support;

use support::prerequisite;

fn demo_with(settings: Settings) -> Opened {
    open_snapshot(
        posture::demo::embedded(DemoKind::Github),
        Origin::Demo(DemoKind::Github),
        settings,
        &Registry::builtin(),
    )
    .expect("judged")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

fn options(include_org: bool, max_results: usize) -> SarifOptions {
    SarifOptions {
        include_org,
        max_results,
        today: today(),
    }
}

fn all_rows(opened: &Opened) -> Vec<usize> {
    posture::report::rank_order(opened)
}

fn run(args: &[&str]) -> (Option<i32>, Value) {
    let cache = TempDir::new().expect("temp dir");
    let config = TempDir::new().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .env("POSTURE_CACHE_DIR", cache.path())
        .env("POSTURE_CONFIG_DIR", config.path())
        .output()
        .expect("run posture");
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

fn validate(doc: &Value) {
    let Some(text) = prerequisite::read_shared("sarif/sarif-schema-2.1.0.json") else {
        return;
    };
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

#[test]
fn the_demo_validates_against_the_official_schema() {
    let (code, doc) = run(&["report", "--demo", "--format", "sarif"]);
    assert_eq!(code, Some(0));
    validate(&doc);
    // The validator is not a no-op: a wrong version or level is caught.
    if let Some(text) = prerequisite::read_shared("sarif/sarif-schema-2.1.0.json") {
        let schema: Value = serde_json::from_str(&text).expect("JSON");
        let validator = jsonschema::draft4::new(&schema).expect("compiles");
        let mut bad = doc.clone();
        bad["runs"][0]["results"][0]["level"] = Value::from("fatal");
        assert!(!validator.is_valid(&bad));
        let mut bad = doc.clone();
        bad["version"] = Value::from("2.0.0");
        assert!(!validator.is_valid(&bad));
    }
    let (_, doc) = run(&["report", "--demo", "gitlab", "--format", "sarif"]);
    validate(&doc);
    let (_, doc) = run(&[
        "report",
        "--demo",
        "--format",
        "sarif",
        "--repo",
        "terraform-live",
    ]);
    validate(&doc);
}

#[test]
fn one_rule_per_control_and_one_result_per_failing_verdict() {
    let opened = demo_with(Settings::default());
    let rows = all_rows(&opened);
    let doc = build(&opened, &rows, &options(true, MAX_RESULTS));
    validate(&doc);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let catalog = &opened.assessment.catalog;
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let want: Vec<&str> = catalog
        .repo
        .iter()
        .chain(&catalog.org)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(ids, want);
    for (rule, def) in rules.iter().zip(catalog.repo.iter().chain(&catalog.org)) {
        assert_eq!(rule["shortDescription"]["text"], def.title.as_str());
        assert_eq!(rule["fullDescription"]["text"], def.rationale.as_str());
        assert_eq!(rule["help"]["text"], def.fix.as_str());
        let level = match def.severity {
            Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{}", def.id);
        assert!(rule["properties"]["security-severity"].is_string());
    }

    // Every failing verdict, and nothing else, is a result.
    let mut want = BTreeSet::new();
    for (def, v) in catalog.org.iter().zip(&opened.assessment.org) {
        if v.status == Status::Fail {
            want.insert((def.id.to_string(), "acme".to_owned()));
        }
    }
    for (r, repo) in opened.snapshot.repos.iter().enumerate() {
        for (def, v) in catalog.repo.iter().zip(&opened.assessment.repos[r]) {
            if v.status == Status::Fail {
                want.insert((def.id.to_string(), repo.name.clone()));
            }
        }
    }
    let results = run["results"].as_array().expect("results");
    let got: BTreeSet<(String, String)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().expect("ruleId").to_owned(),
                r["properties"]["repository"]
                    .as_str()
                    .expect("repository")
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(got.len(), results.len(), "one result per verdict");
    assert_eq!(got, want);
    assert_eq!(run["properties"]["droppedResults"], 0);

    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(r["level"], rules[index]["defaultConfiguration"]["level"]);
        let loc = &r["locations"][0];
        assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
        assert!(
            loc["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://github.com/"))
        );
    }
}

#[test]
fn pipeline_evidence_is_located_at_the_file_and_line() {
    let opened = demo_with(Settings::default());
    let r = opened
        .snapshot
        .repos
        .iter()
        .position(|x| x.name == "acme/terraform-live")
        .expect("terraform-live");
    let c = opened
        .assessment
        .catalog
        .repo_index("oidc-federation")
        .expect("control");
    let verdict = &opened.assessment.repos[r][c];
    assert_eq!(verdict.status, Status::Fail);
    let location = verdict.location.clone().expect("a pipeline line");

    // A one-repository file: the path is relative to the repository.
    let doc = build(&opened, &[r], &options(false, MAX_RESULTS));
    validate(&doc);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .all(|x| x["properties"]["repository"] == "acme/terraform-live")
    );
    let hit = results
        .iter()
        .find(|x| x["ruleId"] == "oidc-federation")
        .expect("oidc-federation result");
    let physical = &hit["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], location.path.as_str());
    assert_eq!(physical["region"]["startLine"], location.line);

    // A whole-org file: the file's web address on the default branch.
    let doc = build(&opened, &all_rows(&opened), &options(true, MAX_RESULTS));
    let hit = doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|x| {
            x["ruleId"] == "oidc-federation"
                && x["properties"]["repository"] == "acme/terraform-live"
        })
        .cloned()
        .expect("result");
    assert_eq!(
        hit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!(
            "https://github.com/acme/terraform-live/blob/main/{}",
            location.path
        )
    );
}

#[test]
fn over_the_limit_results_are_kept_by_severity_then_rank() {
    let opened = demo_with(Settings::default());
    let rows = all_rows(&opened);
    let full = build(&opened, &rows, &options(false, MAX_RESULTS));
    let total = full["runs"][0]["results"]
        .as_array()
        .expect("results")
        .len();
    let limit = 40;
    assert!(total > limit);
    let doc = build(&opened, &rows, &options(false, limit));
    validate(&doc);
    let run = &doc["runs"][0];
    let kept = run["results"].as_array().expect("results");
    assert_eq!(kept.len(), limit);
    assert_eq!(run["properties"]["droppedResults"], total - limit);
    assert!(
        run["properties"]["droppedReason"]
            .as_str()
            .is_some_and(|s| s.contains("severity"))
    );
    // The demo has more than 40 high failures: all kept ones are high, from the best-ranked
    // repositories; every dropped high failure is on a repository ranked no better.
    assert!(kept.iter().all(|r| r["properties"]["severity"] == "high"));
    let worst_kept = kept
        .iter()
        .filter_map(|r| r["properties"]["rank"].as_u64())
        .max()
        .expect("ranks");
    let kept_keys: BTreeSet<(String, String)> = kept
        .iter()
        .map(|r| {
            (
                r["ruleId"].to_string(),
                r["properties"]["repository"].to_string(),
            )
        })
        .collect();
    for r in full["runs"][0]["results"].as_array().expect("results") {
        let key = (
            r["ruleId"].to_string(),
            r["properties"]["repository"].to_string(),
        );
        if r["properties"]["severity"] == "high" && !kept_keys.contains(&key) {
            let rank = r["properties"]["rank"].as_u64().unwrap_or(u64::MAX);
            assert!(
                rank >= worst_kept,
                "dropped rank {rank} before kept rank {worst_kept}"
            );
        }
    }
}

#[test]
fn waived_failures_are_suppressed_and_expired_ones_are_not() {
    let waiver = |expires: NaiveDate| Waiver {
        control: "oidc-federation".into(),
        repo: "acme/terraform-*".into(),
        owner: "platform-team".into(),
        reason: "moving to OIDC in Q1".into(),
        expires,
    };
    let find = |opened: &Opened| {
        let doc = build(opened, &all_rows(opened), &options(true, MAX_RESULTS));
        validate(&doc);
        doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|x| {
                x["ruleId"] == "oidc-federation"
                    && x["properties"]["repository"] == "acme/terraform-live"
            })
            .cloned()
            .expect("still a result")
    };
    let settings = Settings {
        waivers: vec![waiver(NaiveDate::from_ymd_opt(2027, 3, 31).expect("date"))],
        ..Settings::default()
    };
    let hit = find(&demo_with(settings));
    let s = &hit["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(s["status"], "accepted");
    assert!(
        s["justification"]
            .as_str()
            .is_some_and(|j| j.contains("platform-team") && j.contains("2027-03-31"))
    );

    let settings = Settings {
        waivers: vec![waiver(NaiveDate::from_ymd_opt(2026, 1, 31).expect("date"))],
        ..Settings::default()
    };
    let hit = find(&demo_with(settings));
    assert!(hit.get("suppressions").is_none());
    assert_eq!(hit["properties"]["waiver"]["expired"], true);
}

#[test]
fn policy_controls_become_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/policies");
    let (code, doc) = run(&[
        "report",
        "--demo",
        "--format",
        "sarif",
        "--policy",
        &dir.display().to_string(),
    ]);
    assert_eq!(code, Some(0));
    validate(&doc);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = rules
        .iter()
        .find(|r| r["id"] == "policy/posture.top10_two_approvals")
        .expect("policy rule");
    assert_eq!(rule["name"], "PolicyPostureTop10TwoApprovals");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| {
        r["ruleId"] == "policy/posture.top10_two_approvals"
            && r["message"]["text"]
                .as_str()
                .is_some_and(|m| m.contains("needs 2"))
    }));
}
