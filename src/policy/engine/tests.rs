//! Unit tests of policy loading and evaluation.

use super::*;

fn set(text: &str) -> Result<PolicySet, PolicyError> {
    PolicySet::from_sources(&[("p/x.rego".to_owned(), text.to_owned())])
}

#[test]
fn errors_name_file_line_and_message() {
    let e = set("package a.b\n\ndeny contains msg if {\n  msg := \n}\n").unwrap_err();
    assert!(matches!(e, PolicyError::Bad { .. }), "{e:?}");
    assert!(
        e.to_string().starts_with("bad policy p/x.rego:4:"),
        "{}",
        e.to_string()
    );
    let e = set("package a.b\n\ndeny contains msg if {\n  msg := foo(1)\n}\n").unwrap_err();
    assert!(
        e.to_string().contains("p/x.rego:4:") && e.to_string().contains("foo"),
        "{}",
        e.to_string()
    );
    let e = set("package a.b\n\ndeny contains msg if {\n  msg := y\n}\n").unwrap_err();
    assert!(
        e.to_string().contains("p/x.rego:4:") && e.to_string().contains("unsafe"),
        "{}",
        e.to_string()
    );
    assert!(!e.to_string().contains('\n'));
    let e = set("package a.b\nmetadata := {\"severity\": \"critical\"}\ndeny contains \"x\" if { input.a }\n").unwrap_err();
    assert!(
        e.to_string().contains("p/x.rego:2") && e.to_string().contains("critical"),
        "{}",
        e.to_string()
    );
}

#[test]
fn verdicts_follow_deny_unknown_and_not_applicable() {
    let text = r#"package org.rules
metadata := {"title": "Big repos are reviewed", "severity": "high"}
deny contains sprintf("%s is big", [input.name]) if { input.size > 10 }
deny contains {"msg": "bad line", "path": ".github/workflows/a.yml", "line": 7} if { input.line }
unknown contains "size unreadable" if { not input.size }
not_applicable := "tiny" if { input.size < 2 }
"#;
    let mut set = set(text).unwrap();
    assert_eq!(set.policies().len(), 1);
    let c = &set.policies()[0].control;
    assert_eq!(c.id, "policy/org.rules");
    assert_eq!(c.title, "Big repos are reviewed");
    assert_eq!(c.severity, Severity::High);
    assert_eq!(c.band, Band::Policy);
    let eval = |set: &mut PolicySet, json: &str| {
        set.evaluate(Value::from_json_str(json).unwrap())
            .unwrap()
            .remove(0)
    };
    let v = eval(&mut set, r#"{"name": "api", "size": 11}"#);
    assert_eq!(
        (v.status, v.evidence.as_ref()),
        (Status::Fail, "api is big")
    );
    let v = eval(&mut set, r#"{"name": "api", "size": 11, "line": true}"#);
    assert_eq!(&*v.evidence, "api is big; bad line");
    assert_eq!(
        v.location.map(|l| (l.path, l.line)),
        Some((".github/workflows/a.yml".into(), 7))
    );
    let v = eval(&mut set, r#"{"name": "api", "size": 5}"#);
    assert_eq!(v.status, Status::Pass);
    let v = eval(&mut set, r#"{"name": "api"}"#);
    assert_eq!(
        (v.status, v.reason.as_deref()),
        (Status::Unknown, Some("size unreadable"))
    );
    let v = eval(&mut set, r#"{"name": "api", "size": 1}"#);
    assert_eq!(
        (v.status, v.evidence.as_ref()),
        (Status::NotApplicable, "tiny")
    );
}

#[test]
fn default_severity_is_medium_and_helper_packages_are_not_controls() {
    let lib = (
        "lib.rego".to_owned(),
        "package lib\nbig(x) if { x > 1 }\n".to_owned(),
    );
    let pol = (
        "v.rego".to_owned(),
        "package checks.size\nimport data.lib\nviolation contains \"big\" if { lib.big(input.n) }\n".to_owned(),
    );
    let mut set = PolicySet::from_sources(&[lib, pol]).unwrap();
    assert_eq!(set.policies().len(), 1);
    assert_eq!(set.policies()[0].control.id, "policy/checks.size");
    assert_eq!(set.policies()[0].control.severity, Severity::Medium);
    let v = set
        .evaluate(Value::from_json_str(r#"{"n": 3}"#).unwrap())
        .unwrap();
    assert_eq!((v[0].status, v[0].evidence.as_ref()), (Status::Fail, "big"));
}

#[test]
fn conftest_style_rego_v0_policies_load_too() {
    let text = "package legacy.checks\n\ndeny[msg] {\n  input.n > 1\n  msg := \"too many\"\n}\n";
    let mut set = set(text).unwrap();
    assert_eq!(set.policies()[0].control.id, "policy/legacy.checks");
    let v = set
        .evaluate(Value::from_json_str(r#"{"n": 2}"#).unwrap())
        .unwrap();
    assert_eq!(
        (v[0].status, v[0].evidence.as_ref()),
        (Status::Fail, "too many")
    );
    // A v1 file with a real syntax error still reports the v1 error.
    let e = set_err("package a\ndeny contains msg if {\n  msg := \n}\n");
    assert!(e.contains("p/x.rego:3:"), "{e}");
}

fn set_err(text: &str) -> String {
    match set(text) {
        Ok(_) => panic!("should not load"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_policy_past_the_time_limit_is_unknown_alone() {
    // Regression (issue 11, defect 13): a numbers.range loop ran 69 s.
    let slow = "package slow\n\ndeny contains \"never\" if {\n  some i in numbers.range(1, input.n)\n  some j in numbers.range(1, input.n)\n  i + j < 0\n}\n";
    let fast = "package fast\n\ndeny contains \"always\" if { true }\n";
    let mut set = PolicySet::from_sources(&[
        ("slow.rego".to_owned(), slow.to_owned()),
        ("fast.rego".to_owned(), fast.to_owned()),
    ])
    .unwrap();
    set.set_time_limit(std::time::Duration::from_millis(200));
    for _ in 0..2 {
        let input = Value::from_json_str(r#"{"n": 100000}"#).unwrap();
        let verdicts = set.evaluate(input).unwrap();
        assert_eq!(verdicts.len(), 2);
        assert_eq!(verdicts[0].status, Status::Unknown, "{:?}", verdicts[0]);
        assert!(
            verdicts[0].evidence.contains("limit"),
            "{}",
            verdicts[0].evidence
        );
        assert_eq!(verdicts[1].status, Status::Fail);
        assert_eq!(&*verdicts[1].evidence, "always");
    }
}

#[test]
fn a_policy_past_the_memory_limit_is_unknown_alone() {
    // Regression (issue 11, defect 13): a 9M-element comprehension used 1.7 GB. With a 32 MiB
    // ceiling a 2M-element array stops long before the time limit could.
    let big = "package big\n\ndeny contains \"never\" if {\n  xs := [x | some x in numbers.range(1, input.n)]\n  count(xs) < 0\n}\n";
    let fast = "package fast\n\ndeny contains \"always\" if { true }\n";
    let mut set = PolicySet::from_sources(&[
        ("big.rego".to_owned(), big.to_owned()),
        ("fast.rego".to_owned(), fast.to_owned()),
    ])
    .unwrap();
    set.set_time_limit(std::time::Duration::from_secs(120));
    set.set_memory_limit(32 * 1024 * 1024);
    let input = Value::from_json_str(r#"{"n": 2000000}"#).unwrap();
    let verdicts = set.evaluate(input).unwrap();
    assert_eq!(verdicts[0].status, Status::Unknown, "{:?}", verdicts[0]);
    assert!(
        verdicts[0].evidence.contains("32 MiB memory limit"),
        "{}",
        verdicts[0].evidence
    );
    assert_eq!(verdicts[1].status, Status::Fail);
    // The ceiling is lifted once the evaluation ends.
    assert_eq!(crate::policy::limits::ceiling_between_evaluations(), None);
}
