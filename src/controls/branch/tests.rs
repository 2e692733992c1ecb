//! Tests of the branch band on GitHub: effective protection (classic + rulesets), unreadable
//! sources, evaluate mode, bypass actors. Ruleset targeting: `branch_targeting_tests.rs`.

use super::fixtures::*;

#[test]
fn verdicts_follow_the_catalog_order_of_the_branch_band() {
    let catalog = Catalog::builtin();
    let band: Vec<&str> = catalog
        .repo
        .iter()
        .filter(|c| c.band == Band::Branch)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(band, IDS);
}

#[test]
fn full_classic_protection_passes_every_default_branch_control() {
    let snap = snapshot();
    let mut r = repo("api");
    r.classic_protection = Fact::Known(Some(full_classic()));
    let v = run(&snap, &r);
    for id in &IDS[..9] {
        let verdict = get(&v, id);
        assert_eq!(verdict.status, Status::Pass, "{id}: {verdict:?}");
        assert!(verdict.evidence.contains("classic protection"), "{id}");
        assert!(!verdict.evidence.contains('\n'), "one line");
    }
    assert!(get(&v, "status-checks").evidence.contains("ci/build"));
    assert_eq!(status(&v, "release-push-restricted"), Status::NotApplicable);
}

#[test]
fn branch_not_protected_404_fails_everything_with_what_is_missing() {
    let snap = snapshot();
    let r = repo("api"); // classic Known(None): 404 "Branch not protected"
    let v = run(&snap, &r);
    for id in &IDS[..9] {
        assert_eq!(status(&v, id), Status::Fail, "{id}");
        assert_eq!(get(&v, id).reason, None);
    }
    let ev = &get(&v, "branch-protected").evidence;
    assert!(
        ev.contains("classic protection: branch not protected"),
        "{ev}"
    );
    assert!(ev.contains("no active ruleset targets main"), "{ev}");
    let force = &get(&v, "no-force-push").evidence;
    assert_eq!(force.matches("branch not protected").count(), 1, "{force}");
}

#[test]
fn forbidden_classic_protection_is_unknown_never_fail() {
    let snap = snapshot();
    let mut r = repo("api");
    r.classic_protection = forbidden();
    let v = run(&snap, &r);
    for id in &IDS[..9] {
        let verdict = get(&v, id);
        assert_eq!(verdict.status, Status::Unknown, "{id}");
        assert_eq!(
            verdict.reason.as_deref(),
            Some("403: needs Administration:read"),
            "{id}"
        );
    }
    // Release branches are read separately: none here.
    assert_eq!(status(&v, "release-push-restricted"), Status::NotApplicable);
}

#[test]
fn a_readable_ruleset_decides_pass_despite_unreadable_classic_protection() {
    let mut snap = snapshot();
    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        7,
        "baseline",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        vec![pr(1), Rule::NonFastForward, Rule::Deletion],
    )]);
    let mut r = repo("api");
    r.classic_protection = forbidden();
    let v = run(&snap, &r);
    for id in [
        "branch-protected",
        "pr-required",
        "approving-review",
        "no-force-push",
    ] {
        assert_eq!(status(&v, id), Status::Pass, "{id}");
        assert!(
            get(&v, id)
                .evidence
                .contains("ruleset 7 \"baseline\" (org)"),
            "{id}"
        );
    }
    for id in [
        "status-checks",
        "signed-commits",
        "no-admin-bypass",
        "last-push-approval",
    ] {
        assert_eq!(status(&v, id), Status::Unknown, "{id}");
        assert_eq!(
            get(&v, id).reason.as_deref(),
            Some("403: needs Administration:read")
        );
    }
}

#[test]
fn classic_and_org_ruleset_merge_per_requirement() {
    let mut snap = snapshot();
    let mut cp = full_classic();
    cp.allow_force_pushes = true;
    cp.allow_deletions = true;
    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        7,
        "baseline",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        vec![Rule::NonFastForward, Rule::Deletion],
    )]);
    let mut r = repo("api");
    r.classic_protection = Fact::Known(Some(cp.clone()));
    let v = run(&snap, &r);
    let approvals = get(&v, "approving-review");
    assert_eq!(approvals.status, Status::Pass);
    assert!(
        approvals
            .evidence
            .contains("classic protection: 1 approval required")
    );
    let force = get(&v, "no-force-push");
    assert_eq!(force.status, Status::Pass, "{force:?}");
    assert!(
        force
            .evidence
            .contains("ruleset 7 \"baseline\" (org): non_fast_forward")
    );
    assert!(force.evidence.contains("deletion rule"));

    // Only half of the requirement covered: deletions still allowed.
    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        7,
        "baseline",
        RulesetSource::Org,
        &["~ALL"],
        vec![Rule::NonFastForward],
    )]);
    let v = run(&snap, &r);
    let force = get(&v, "no-force-push");
    assert_eq!(force.status, Status::Fail);
    assert!(
        force
            .evidence
            .contains("classic protection: deletions allowed"),
        "{force:?}"
    );
    assert!(force.evidence.contains("no deletion rule"));
}

#[test]
fn strongest_approval_requirement_wins_against_min_approvals() {
    let mut snap = snapshot();
    let settings = Settings {
        min_approvals: 2,
        ..Settings::default()
    };
    let mut r = repo("api");
    r.classic_protection = Fact::Known(Some(full_classic()));
    let v = run_with(&snap, &r, &settings);
    let verdict = get(&v, "approving-review");
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict
            .evidence
            .contains("classic protection: 1 approval required, needs 2")
    );

    r.rulesets = Fact::Known(vec![ruleset(
        3,
        "two",
        RulesetSource::Repo,
        &["refs/heads/main"],
        vec![pr(2)],
    )]);
    let v = run_with(&snap, &r, &settings);
    let verdict = get(&v, "approving-review");
    assert_eq!(verdict.status, Status::Pass);
    assert!(
        verdict
            .evidence
            .contains("ruleset 3 \"two\" (repo): 2 approvals required")
    );

    // Reviews required but zero approvals: the default min of 1 fails.
    let mut cp = full_classic();
    cp.pull_request_reviews = Some(PullRequestReviews::default());
    r.rulesets = Fact::Known(vec![]);
    r.classic_protection = Fact::Known(Some(cp));
    snap.org_facts.rulesets = Fact::Known(vec![]);
    let v = run(&snap, &r);
    assert_eq!(status(&v, "pr-required"), Status::Pass);
    let verdict = get(&v, "approving-review");
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict
            .evidence
            .contains("classic protection: 0 approvals required, needs 1")
    );
}

#[test]
fn evaluate_mode_rulesets_are_shown_but_do_not_count() {
    let mut snap = snapshot();
    let mut strict = ruleset(
        9,
        "strict",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        strict_rules(),
    );
    strict.enforcement = Enforcement::Evaluate;
    let mut off = ruleset(10, "off", RulesetSource::Org, &["~ALL"], strict_rules());
    off.enforcement = Enforcement::Disabled;
    snap.org_facts.rulesets = Fact::Known(vec![strict, off]);
    let r = repo("api");
    let v = run(&snap, &r);
    for id in &IDS[..8] {
        let verdict = get(&v, id);
        assert_eq!(verdict.status, Status::Fail, "{id}");
        assert!(
            verdict
                .evidence
                .contains("ruleset 9 \"strict\" (org) in evaluate mode: not enforced"),
            "{id}: {}",
            verdict.evidence
        );
        assert!(
            !verdict.evidence.contains("\"off\""),
            "disabled rulesets are ignored"
        );
    }
}

#[test]
fn bypass_actors_and_excluded_admins_fail_no_admin_bypass() {
    let mut snap = snapshot();
    let mut r = repo("api");
    r.classic_protection = Fact::Known(Some(full_classic()));
    let mut rs = ruleset(
        7,
        "baseline",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        vec![Rule::Deletion],
    );
    rs.bypass_actors = vec![
        BypassActor {
            actor_type: "OrganizationAdmin".into(),
            actor_id: None,
            bypass_mode: "always".into(),
        },
        BypassActor {
            actor_type: "Team".into(),
            actor_id: Some(12),
            bypass_mode: "pull_request".into(),
        },
    ];
    snap.org_facts.rulesets = Fact::Known(vec![rs.clone()]);
    let v = run(&snap, &r);
    let verdict = get(&v, "no-admin-bypass");
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict.evidence.contains(
            "ruleset 7 \"baseline\" (org): bypass actors OrganizationAdmin, Team 12 (pull_request)"
        ),
        "{}",
        verdict.evidence
    );

    // A ruleset that does not target the default branch does not matter.
    rs.ref_name.include = vec!["refs/heads/release/*".into()];
    snap.org_facts.rulesets = Fact::Known(vec![rs]);
    let v = run(&snap, &r);
    assert_eq!(status(&v, "no-admin-bypass"), Status::Pass);

    let mut cp = full_classic();
    cp.enforce_admins = false;
    r.classic_protection = Fact::Known(Some(cp));
    let v = run(&snap, &r);
    let verdict = get(&v, "no-admin-bypass");
    assert_eq!(verdict.status, Status::Fail);
    assert!(verdict.evidence.contains("enforce_admins off"));

    // Protected only by a ruleset without bypass actors: admins cannot bypass it.
    r.classic_protection = Fact::Known(None);
    r.rulesets = Fact::Known(vec![ruleset(
        4,
        "main",
        RulesetSource::Repo,
        &["~DEFAULT_BRANCH"],
        strict_rules(),
    )]);
    let v = run(&snap, &r);
    let verdict = get(&v, "no-admin-bypass");
    assert_eq!(verdict.status, Status::Pass, "{verdict:?}");
    assert!(
        verdict
            .evidence
            .contains("1 active ruleset, no bypass actors")
    );
}
