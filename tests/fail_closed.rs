//! Facts fail closed: a fact a snapshot does not carry is unknown ("not in this snapshot"),
//! never a default value. For each embedded demo, every fact field (repository, GitLab
//! project and org level; found in the serialised snapshot, not listed by hand) is removed in
//! turn; the snapshot must still load, and every verdict whose status the removal changes must
//! become `unknown` — a new `pass`, `fail` or `not_applicable` would be a verdict read from a
//! default value. A `pass` or `fail` may keep its status with other evidence when it stands on
//! a fact still present: classic protection with the org rulesets unread, a project's
//! secret-detection setting with the pipeline files unread, a static key found in the repo's
//! secrets with the org's secrets unread. A `not_applicable` that changes at all was read from
//! a default and fails the test.

use posture::assess::{Assessment, Registry, assess, ensure_analysed};
use posture::cli::DemoKind;
use posture::config::Settings;
use posture::controls::{Status, Verdict};
use posture::model::Snapshot;
use serde_json::Value;

/// A serialised `Fact`: `{"known": ...}` or `{"unreadable": {...}}`.
fn is_fact(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.len() == 1 && (o.contains_key("known") || o.contains_key("unreadable")))
}

/// Names of the fact fields of an object.
fn fact_fields(object: &Value) -> Vec<String> {
    object
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| is_fact(v))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn judge(doc: &Value) -> (Snapshot, Assessment) {
    let bytes = serde_json::to_vec(doc).unwrap();
    let mut snapshot = posture::store::parse(&bytes, "edited.json").unwrap();
    ensure_analysed(&mut snapshot);
    let assessment = assess(&snapshot, &Settings::default(), &Registry::builtin()).unwrap();
    (snapshot, assessment)
}

/// A verdict that changed when a fact was removed: now unknown, or a pass that still stands.
fn check_change(before: &Verdict, after: &Verdict, what: &str) {
    let stands =
        before.status == after.status && matches!(after.status, Status::Pass | Status::Fail);
    assert!(
        after.status == Status::Unknown || stands,
        "{what} was {before:?}, became {after:?}"
    );
}

/// Every verdict that differs between `before` and `after` is `unknown`; returns how many
/// changed.
fn changed_verdicts_are_unknown(before: &Assessment, after: &Assessment, what: &str) -> usize {
    let mut changed = 0;
    let org = before.org.iter().zip(&after.org).zip(&before.catalog.org);
    for ((b, a), def) in org {
        if b != a {
            changed += 1;
            check_change(b, a, &format!("{what}: org {}", def.id));
        }
    }
    for (r, (rb, ra)) in before.repos.iter().zip(&after.repos).enumerate() {
        for ((b, a), def) in rb.iter().zip(ra).zip(&before.catalog.repo) {
            if b != a {
                changed += 1;
                check_change(b, a, &format!("{what}: repo {r} {}", def.id));
            }
        }
    }
    changed
}

fn check_demo(kind: DemoKind) -> Vec<(String, usize)> {
    let doc = serde_json::to_value(posture::demo::embedded(kind)).unwrap();
    let (_, before) = judge(&doc);
    let mut seen = Vec::new();
    let repos = doc["repos"].as_array().unwrap().len();

    let org_fields = fact_fields(&doc["org_facts"]);
    assert!(!org_fields.is_empty());
    for field in org_fields {
        let mut edited = doc.clone();
        edited["org_facts"].as_object_mut().unwrap().remove(&field);
        let (_, after) = judge(&edited);
        let what = format!("{kind:?} without org_facts.{field}");
        seen.push((
            what.clone(),
            changed_verdicts_are_unknown(&before, &after, &what),
        ));
    }
    let mut edited = doc.clone();
    edited.as_object_mut().unwrap().remove("org_facts");
    let (_, after) = judge(&edited);
    let what = format!("{kind:?} without org_facts");
    seen.push((
        what.clone(),
        changed_verdicts_are_unknown(&before, &after, &what),
    ));

    let mut repo_fields: Vec<String> = Vec::new();
    let mut project_fields: Vec<String> = Vec::new();
    for repo in doc["repos"].as_array().unwrap() {
        for f in fact_fields(repo) {
            if !repo_fields.contains(&f) {
                repo_fields.push(f);
            }
        }
        for f in fact_fields(&repo["gitlab"]) {
            if !project_fields.contains(&f) {
                project_fields.push(f);
            }
        }
    }
    assert!(repo_fields.len() >= 10, "{repo_fields:?}");
    for field in &repo_fields {
        let mut edited = doc.clone();
        for i in 0..repos {
            edited["repos"][i].as_object_mut().unwrap().remove(field);
        }
        let (_, after) = judge(&edited);
        let what = format!("{kind:?} without repos[].{field}");
        seen.push((
            what.clone(),
            changed_verdicts_are_unknown(&before, &after, &what),
        ));
    }
    for field in &project_fields {
        let mut edited = doc.clone();
        for i in 0..repos {
            if let Some(project) = edited["repos"][i]["gitlab"].as_object_mut() {
                project.remove(field);
            }
        }
        let (_, after) = judge(&edited);
        let what = format!("{kind:?} without repos[].gitlab.{field}");
        seen.push((
            what.clone(),
            changed_verdicts_are_unknown(&before, &after, &what),
        ));
    }
    seen
}

#[test]
fn a_fact_missing_from_the_github_demo_is_unknown_never_a_default() {
    let seen = check_demo(DemoKind::Github);
    // The removals the controls judge from do change verdicts (to unknown).
    for field in [
        "repos[].classic_protection",
        "repos[].secret_scanning",
        "repos[].runners",
        "repos[].environments",
        "org_facts.secrets",
    ] {
        let (what, n) = seen.iter().find(|(w, _)| w.ends_with(field)).unwrap();
        assert!(*n > 0, "{what} changed nothing");
    }
}

#[test]
fn a_fact_missing_from_the_gitlab_demo_is_unknown_never_a_default() {
    let seen = check_demo(DemoKind::Gitlab);
    for field in [
        "repos[].gitlab.default_branch_protection",
        "repos[].secrets",
        "repos[].codeowners",
    ] {
        let (what, n) = seen.iter().find(|(w, _)| w.ends_with(field)).unwrap();
        assert!(*n > 0, "{what} changed nothing");
    }
}

#[test]
fn a_snapshot_without_a_fact_loads_it_as_not_in_this_snapshot() {
    let mut doc = serde_json::to_value(posture::demo::embedded(DemoKind::Github)).unwrap();
    doc["repos"][0].as_object_mut().unwrap().remove("runners");
    let bytes = serde_json::to_vec(&doc).unwrap();
    let snapshot = posture::store::parse(&bytes, "edited.json").unwrap();
    let why = snapshot.repos[0].runners.unreadable().expect("unknown");
    assert_eq!(why.reason, posture::model::NOT_IN_SNAPSHOT);
    assert_eq!(why.status, None);
}
