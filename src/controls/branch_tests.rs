//! Tests of the branch band on GitHub: effective protection (classic + rulesets), unreadable
//! sources, evaluate mode, bypass actors and org ruleset conditions.

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

#[test]
fn org_ruleset_repository_name_include_and_exclude() {
    let mut snap = snapshot();
    let mut rs = ruleset(
        7,
        "api",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        strict_rules(),
    );
    rs.repository_name = Some(Patterns {
        include: vec!["api-*".into()],
        exclude: vec!["api-legacy".into()],
    });
    snap.org_facts.rulesets = Fact::Known(vec![rs]);
    let protected = |name: &str| status(&run(&snap, &repo(name)), "branch-protected");
    assert_eq!(protected("api-gateway"), Status::Pass);
    assert_eq!(
        protected("API-Billing"),
        Status::Pass,
        "names compare case-insensitively"
    );
    assert_eq!(protected("api-legacy"), Status::Fail);
    assert_eq!(protected("web"), Status::Fail);
}

#[test]
fn ref_name_conditions_follow_the_repos_default_branch() {
    let mut snap = snapshot();
    let trunk = Repo::new("acme/svc", Visibility::Public, "trunk");
    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        1,
        "default",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        strict_rules(),
    )]);
    assert_eq!(status(&run(&snap, &trunk), "signed-commits"), Status::Pass);

    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        2,
        "main only",
        RulesetSource::Org,
        &["refs/heads/main"],
        strict_rules(),
    )]);
    assert_eq!(
        status(&run(&snap, &trunk), "branch-protected"),
        Status::Fail
    );

    let mut all_but_default = ruleset(3, "all", RulesetSource::Org, &["~ALL"], strict_rules());
    all_but_default.ref_name.exclude = vec!["~DEFAULT_BRANCH".into()];
    snap.org_facts.rulesets = Fact::Known(vec![all_but_default]);
    assert_eq!(
        status(&run(&snap, &trunk), "branch-protected"),
        Status::Fail
    );

    let mut tag = ruleset(4, "tags", RulesetSource::Org, &["~ALL"], strict_rules());
    tag.target = "tag".into();
    snap.org_facts.rulesets = Fact::Known(vec![tag]);
    assert_eq!(
        status(&run(&snap, &trunk), "branch-protected"),
        Status::Fail
    );
}

#[test]
fn signed_commits_not_read_is_unknown_unless_a_ruleset_decides() {
    let mut snap = snapshot();
    let mut cp = full_classic();
    cp.required_signatures = None;
    let mut r = repo("api");
    r.classic_protection = Fact::Known(Some(cp.clone()));
    let v = run(&snap, &r);
    let verdict = get(&v, "signed-commits");
    assert_eq!(verdict.status, Status::Unknown);
    assert!(
        verdict
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("required_signatures not read")
    );

    snap.org_facts.rulesets = Fact::Known(vec![ruleset(
        5,
        "sign",
        RulesetSource::Org,
        &["~ALL"],
        vec![Rule::RequiredSignatures],
    )]);
    assert_eq!(status(&run(&snap, &r), "signed-commits"), Status::Pass);

    cp.required_signatures = Some(false);
    r.classic_protection = Fact::Known(Some(cp));
    snap.org_facts.rulesets = Fact::Known(vec![]);
    let verdict = run(&snap, &r)[7].clone();
    assert_eq!(verdict.status, Status::Fail);
    assert!(verdict.evidence.contains("signed commits not required"));
}

#[test]
fn unreadable_org_rulesets_make_undecided_controls_unknown() {
    let mut snap = snapshot();
    snap.org_facts.rulesets =
        Fact::unreadable_with(Some(403), "forbidden", Some("Administration:read (org)"));
    let r = repo("api");
    let v = run(&snap, &r);
    let verdict = get(&v, "branch-protected");
    assert_eq!(verdict.status, Status::Unknown);
    assert_eq!(
        verdict.reason.as_deref(),
        Some("403: needs Administration:read (org)")
    );
    assert!(verdict.evidence.contains("org rulesets unreadable"));
    // Release branches: a matching branch whose restriction could come from an unseen ruleset.
    let mut r = repo("api");
    r.release_branches = Fact::Known(ReleaseBranches {
        branches: vec!["release/1.0".into()],
        rules: vec![],
    });
    assert_eq!(
        status(&run(&snap, &r), "release-push-restricted"),
        Status::Unknown
    );

    let mut r = repo("api");
    r.classic_protection = Fact::Known(Some(full_classic()));
    let v = run(&snap, &r);
    assert_eq!(status(&v, "pr-required"), Status::Pass);
    assert_eq!(
        status(&v, "no-admin-bypass"),
        Status::Unknown,
        "bypass lists unseen"
    );
}

#[test]
fn duplicate_org_ruleset_counts_once_and_platform_text_is_cleaned() {
    let mut snap = snapshot();
    let rs = ruleset(
        7,
        "evil\u{1b}[31mname",
        RulesetSource::Org,
        &["~DEFAULT_BRANCH"],
        strict_rules(),
    );
    snap.org_facts.rulesets = Fact::Known(vec![rs.clone()]);
    let mut r = repo("api");
    r.rulesets = Fact::Known(vec![rs]);
    let v = run(&snap, &r);
    let verdict = get(&v, "no-admin-bypass");
    assert_eq!(verdict.status, Status::Pass);
    assert!(
        verdict.evidence.contains("1 active ruleset"),
        "{}",
        verdict.evidence
    );
    for v in &v {
        assert!(!v.evidence.contains('\u{1b}'), "{}", v.evidence);
    }
}

#[test]
fn status_checks_need_at_least_one_context() {
    let snap = snapshot();
    let mut r = repo("api");
    r.rulesets = Fact::Known(vec![ruleset(
        1,
        "ci",
        RulesetSource::Repo,
        &["~DEFAULT_BRANCH"],
        vec![Rule::RequiredStatusChecks { contexts: vec![] }],
    )]);
    let verdict = get(&run(&snap, &r), "status-checks").clone();
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict
            .evidence
            .contains("ruleset 1 \"ci\" (repo): no required status checks")
    );
}

#[test]
fn many_rulesets_keep_the_evidence_to_one_bounded_line() {
    let mut snap = snapshot();
    snap.org_facts.rulesets = Fact::Known(
        (1..=6)
            .map(|i| {
                ruleset(
                    i,
                    &format!("rs{i}"),
                    RulesetSource::Org,
                    &["~ALL"],
                    vec![Rule::Deletion],
                )
            })
            .collect(),
    );
    let v = run(&snap, &repo("api"));
    let verdict = get(&v, "pr-required");
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict
            .evidence
            .contains("ruleset 3 \"rs3\" (org): no pull_request rule")
    );
    assert!(
        !verdict.evidence.contains("\"rs6\""),
        "{}",
        verdict.evidence
    );
    assert!(
        verdict.evidence.ends_with("and 3 more"),
        "{}",
        verdict.evidence
    );
    assert!(!verdict.evidence.contains('\n'));
}
