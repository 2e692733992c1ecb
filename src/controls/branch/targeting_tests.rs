//! Tests of which rulesets target a repository's default branch (org repository_name and
//! ref_name conditions), unreadable org rulesets, and evidence that stays one bounded line.

use super::fixtures::*;

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
