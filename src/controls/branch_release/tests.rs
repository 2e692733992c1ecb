//! Tests of `release-push-restricted` on GitHub: branches, classic pattern rules, rulesets.

use crate::controls::branch::fixtures::*;

#[test]
fn release_push_restricted_judges_branches_rules_and_rulesets() {
    let mut snap = snapshot();
    let mut r = repo("api");
    let judge_release = |snap: &Snapshot, r: &Repo| run(snap, r)[9].clone();

    r.release_branches = release(&["main", "feature/x"], &[]);
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::NotApplicable);
    assert!(v.evidence.contains("release/*, releases/*, release-*"));

    r.release_branches = release(&["release/1.0"], &[("release/*", true)]);
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::Pass, "{v:?}");
    assert!(
        v.evidence
            .contains("branch release/1.0: protection rule release/* restricts pushes")
    );

    r.release_branches = release(&["release/1.0"], &[]);
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.evidence
            .contains("branch release/1.0: pushes not restricted")
    );

    // Classic patterns do not cross `/`: release/* does not cover release/2.0/hotfix.
    r.release_branches = release(&["release/2.0/hotfix"], &[("release/*", true)]);
    assert_eq!(judge_release(&snap, &r).status, Status::Fail);
    r.release_branches = release(&["release/2.0/hotfix"], &[("release/**", true)]);
    assert_eq!(judge_release(&snap, &r).status, Status::Pass);

    // A rule with no branch yet still applies, and must restrict pushes.
    r.release_branches = release(&[], &[("release-*", false)]);
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.evidence
            .contains("protection rule release-*: pushes not restricted")
    );

    // An org ruleset with an update rule on release branches restricts them.
    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        5,
        "releases",
        RulesetSource::Org,
        &["refs/heads/release/*", "refs/heads/release-*"],
        vec![Rule::Update],
    )]);
    r.release_branches = release(&["release/1.0"], &[("release-*", false)]);
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::Pass, "{v:?}");
    assert!(
        v.evidence
            .contains("branch release/1.0: ruleset 5 \"releases\" (org): update rule")
    );

    // A ruleset on release branches without an update rule applies but does not restrict.
    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        6,
        "rel-pr",
        RulesetSource::Org,
        &["refs/heads/releases/*"],
        vec![pr(1)],
    )]);
    r.release_branches = release(&[], &[]);
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.evidence
            .contains("ruleset 6 \"rel-pr\" (org) on releases/*: pushes not restricted")
    );

    // Release branches unreadable: unknown with the reason.
    snap.org_facts.rulesets = Fact::Known(vec![]);
    r.release_branches = Fact::unreadable_with(Some(403), "forbidden", Some("Contents:read"));
    let v = judge_release(&snap, &r);
    assert_eq!(v.status, Status::Unknown);
    assert_eq!(v.reason.as_deref(), Some("403: needs Contents:read"));
}

#[test]
fn release_patterns_come_from_settings() {
    let snap = snapshot();
    let settings = Settings {
        release_patterns: vec!["stable-*".into()],
        ..Settings::default()
    };
    let mut r = repo("api");
    r.release_branches = release(&["release/1.0", "stable-3"], &[("stable-*", true)]);
    let v = run_with(&snap, &r, &settings)[9].clone();
    assert_eq!(v.status, Status::Pass, "{v:?}");
    assert!(v.evidence.contains("stable-3"));
    assert!(
        !v.evidence.contains("release/1.0"),
        "not a release branch under these settings"
    );
}
