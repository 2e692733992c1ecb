//! Tests of the branch band on GitHub: effective protection (classic + rulesets), unreadable
//! sources, evaluate mode, bypass actors, org ruleset conditions and release branches.

use chrono::{TimeZone, Utc};

use super::judge;
use crate::config::Settings;
use crate::controls::{Band, Catalog, Context, Status, Verdict};
use crate::model::{
    BranchRule, BypassActor, ClassicProtection, Enforcement, Fact, Patterns, Provider,
    PullRequestReviews, ReleaseBranches, Repo, Rule, Ruleset, RulesetSource, Snapshot, Visibility,
};

pub(super) const IDS: [&str; 10] = [
    "branch-protected",
    "pr-required",
    "approving-review",
    "last-push-approval",
    "status-checks",
    "dismiss-stale-reviews",
    "no-force-push",
    "signed-commits",
    "no-admin-bypass",
    "release-push-restricted",
];

fn snapshot() -> Snapshot {
    let taken = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    Snapshot::new(Provider::Github, "acme", "https://api.github.com", taken)
}

fn repo(name: &str) -> Repo {
    Repo::new(&format!("acme/{name}"), Visibility::Private, "main")
}

fn run_with(snapshot: &Snapshot, repo: &Repo, settings: &Settings) -> Vec<Verdict> {
    let ctx = Context::new(snapshot, settings);
    let mut out = Vec::new();
    judge(&ctx, repo, &mut out);
    assert_eq!(out.len(), 10, "exactly 10 branch verdicts");
    out
}

fn run(snapshot: &Snapshot, repo: &Repo) -> Vec<Verdict> {
    run_with(snapshot, repo, &Settings::default())
}

fn get<'v>(verdicts: &'v [Verdict], id: &str) -> &'v Verdict {
    let i = IDS.iter().position(|x| *x == id).unwrap();
    &verdicts[i]
}

fn status(verdicts: &[Verdict], id: &str) -> Status {
    get(verdicts, id).status
}

fn full_classic() -> ClassicProtection {
    ClassicProtection {
        pull_request_reviews: Some(PullRequestReviews {
            required_approving_review_count: 1,
            dismiss_stale_reviews: true,
            require_code_owner_reviews: false,
            require_last_push_approval: true,
        }),
        required_status_checks: vec!["ci/build".into()],
        enforce_admins: true,
        allow_force_pushes: false,
        allow_deletions: false,
        required_signatures: Some(true),
        restricts_pushes: true,
    }
}

fn pr(n: u32) -> Rule {
    Rule::PullRequest {
        parameters: PullRequestReviews {
            required_approving_review_count: n,
            ..Default::default()
        },
    }
}

fn strict_rules() -> Vec<Rule> {
    vec![
        Rule::PullRequest {
            parameters: PullRequestReviews {
                required_approving_review_count: 2,
                dismiss_stale_reviews: true,
                require_code_owner_reviews: true,
                require_last_push_approval: true,
            },
        },
        Rule::RequiredStatusChecks {
            contexts: vec!["ci".into()],
        },
        Rule::NonFastForward,
        Rule::Deletion,
        Rule::RequiredSignatures,
    ]
}

fn ruleset(id: u64, name: &str, source: RulesetSource, refs: &[&str], rules: Vec<Rule>) -> Ruleset {
    Ruleset {
        id,
        name: name.into(),
        source,
        enforcement: Enforcement::Active,
        target: "branch".into(),
        ref_name: Patterns {
            include: refs.iter().map(|s| s.to_string()).collect(),
            exclude: vec![],
        },
        repository_name: match source {
            RulesetSource::Org => Some(Patterns {
                include: vec!["~ALL".into()],
                exclude: vec![],
            }),
            RulesetSource::Repo => None,
        },
        bypass_actors: vec![],
        rules,
    }
}

fn forbidden() -> Fact<Option<ClassicProtection>> {
    Fact::unreadable_with(
        Some(403),
        "Resource not accessible by integration",
        Some("Administration:read"),
    )
}

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

fn release(branches: &[&str], rules: &[(&str, bool)]) -> Fact<ReleaseBranches> {
    Fact::Known(ReleaseBranches {
        branches: branches.iter().map(|s| s.to_string()).collect(),
        rules: rules
            .iter()
            .map(|(p, restricts)| BranchRule {
                pattern: p.to_string(),
                restricts_pushes: *restricts,
            })
            .collect(),
    })
}

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
