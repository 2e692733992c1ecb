//! Tests of the branch band on GitLab: protected branches, approvals, push rules, tiers.

use chrono::{TimeZone, Utc};

use crate::config::Settings;
use crate::controls::branch::judge;
use crate::controls::{Context, Status, Verdict};
use crate::model::{
    ApprovalRule, ApprovalSettings, BranchRule, Fact, GitlabProject, ProtectedBranch, Provider,
    PushRules, ReleaseBranches, Repo, Snapshot, Visibility,
};

const IDS: [&str; 10] = [
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
    Snapshot::new(Provider::Gitlab, "acme", "https://gitlab.com/api/v4", taken)
}

fn project_repo(project: GitlabProject) -> Repo {
    let mut repo = Repo::new("acme/platform/api", Visibility::Internal, "main");
    repo.gitlab = Some(project);
    repo
}

fn run_with(repo: &Repo, settings: &Settings) -> Vec<Verdict> {
    let snap = snapshot();
    let ctx = Context::new(&snap, settings);
    let mut out = Vec::new();
    judge(&ctx, repo, &mut out);
    assert_eq!(out.len(), 10);
    out
}

fn run(repo: &Repo) -> Vec<Verdict> {
    run_with(repo, &Settings::default())
}

fn get<'v>(v: &'v [Verdict], id: &str) -> &'v Verdict {
    &v[IDS.iter().position(|x| *x == id).unwrap()]
}

fn protected(push: &[u8]) -> ProtectedBranch {
    ProtectedBranch {
        name: "main".into(),
        push_access_levels: push.to_vec(),
        merge_access_levels: vec![40],
        allow_force_push: false,
        code_owner_approval_required: false,
    }
}

/// A Premium project configured as the spec wants.
fn premium() -> GitlabProject {
    let mut p = GitlabProject::new(42);
    p.default_branch_protection = Fact::Known(Some(protected(&[0])));
    p.approval_settings = Fact::Known(ApprovalSettings {
        merge_requests_author_approval: false,
        merge_requests_disable_committers_approval: true,
        reset_approvals_on_push: true,
    });
    p.approval_rules = Fact::Known(vec![ApprovalRule {
        name: "All members".into(),
        approvals_required: 1,
        rule_type: "any_approver".into(),
    }]);
    p.push_rules = Fact::Known(Some(PushRules {
        reject_unsigned_commits: true,
    }));
    p.pipelines_must_succeed = true;
    p
}

#[test]
fn a_well_configured_premium_project_passes() {
    let v = run(&project_repo(premium()));
    for id in &IDS[..8] {
        assert_eq!(get(&v, id).status, Status::Pass, "{id}: {:?}", get(&v, id));
    }
    assert!(get(&v, "pr-required").evidence.contains("No one (0)"));
    assert!(
        get(&v, "approving-review")
            .evidence
            .contains("\"All members\": 1 required")
    );
    let bypass = get(&v, "no-admin-bypass");
    assert_eq!(bypass.status, Status::NotApplicable);
    assert!(bypass.evidence.contains("no bypass list"));
    assert_eq!(
        get(&v, "release-push-restricted").status,
        Status::NotApplicable
    );
}

#[test]
fn free_tier_defaults_fail_and_premium_push_rules_are_unknown() {
    let mut project = GitlabProject::new(7);
    project.push_rules = Fact::unreadable_with(Some(404), "Not Found", Some("Premium"));
    let v = run(&project_repo(project));
    for id in &IDS[..7] {
        assert_eq!(get(&v, id).status, Status::Fail, "{id}");
    }
    assert!(
        get(&v, "branch-protected")
            .evidence
            .contains("default branch main is not protected")
    );
    assert!(
        get(&v, "approving-review")
            .evidence
            .contains("on Free tier none can")
    );
    let signed = get(&v, "signed-commits");
    assert_eq!(signed.status, Status::Unknown);
    assert_eq!(signed.reason.as_deref(), Some("404: needs Premium"));
    assert_eq!(get(&v, "no-admin-bypass").status, Status::NotApplicable);

    // Premium with no push rule configured: unsigned commits are accepted.
    let v = run(&project_repo(GitlabProject::new(8)));
    let signed = get(&v, "signed-commits");
    assert_eq!(signed.status, Status::Fail);
    assert!(signed.evidence.contains("no push rule"));
}

#[test]
fn unreadable_protection_is_unknown_with_its_reason() {
    let mut project = premium();
    project.default_branch_protection =
        Fact::unreadable_with(Some(403), "Forbidden", Some("Maintainer role"));
    let v = run(&project_repo(project));
    for id in ["branch-protected", "pr-required", "no-force-push"] {
        let verdict = get(&v, id);
        assert_eq!(verdict.status, Status::Unknown, "{id}");
        assert_eq!(
            verdict.reason.as_deref(),
            Some("403: needs Maintainer role")
        );
    }
    // Settings read elsewhere still decide.
    assert_eq!(get(&v, "approving-review").status, Status::Pass);
}

#[test]
fn developers_pushing_or_force_pushing_fail() {
    let mut project = premium();
    let mut pb = protected(&[40, 30]);
    pb.allow_force_push = true;
    project.default_branch_protection = Fact::Known(Some(pb));
    let v = run(&project_repo(project));
    let pr = get(&v, "pr-required");
    assert_eq!(pr.status, Status::Fail);
    assert!(
        pr.evidence
            .contains("Maintainers (40), Developers + Maintainers (30)"),
        "{}",
        pr.evidence
    );
    let force = get(&v, "no-force-push");
    assert_eq!(force.status, Status::Fail);
    assert!(force.evidence.contains("allow_force_push on"));
    assert_eq!(get(&v, "branch-protected").status, Status::Pass);
}

#[test]
fn approvals_need_enough_approvers_and_no_self_approval() {
    let mut project = premium();
    project.approval_settings = Fact::Known(ApprovalSettings {
        merge_requests_author_approval: true,
        ..ApprovalSettings::default()
    });
    let v = run(&project_repo(project.clone()));
    let verdict = get(&v, "approving-review");
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict
            .evidence
            .contains("merge_requests_author_approval on")
    );
    assert_eq!(get(&v, "last-push-approval").status, Status::Fail);
    assert_eq!(get(&v, "dismiss-stale-reviews").status, Status::Fail);

    let two = Settings {
        min_approvals: 2,
        ..Settings::default()
    };
    let v = run_with(&project_repo(premium()), &two);
    let verdict = get(&v, "approving-review");
    assert_eq!(verdict.status, Status::Fail);
    assert!(
        verdict.evidence.contains("1 required, needs 2"),
        "{}",
        verdict.evidence
    );

    // Code-owner rules only cover owned files: they do not count.
    let mut project = premium();
    project.approval_rules = Fact::Known(vec![ApprovalRule {
        name: "Code owners".into(),
        approvals_required: 3,
        rule_type: "code_owner".into(),
    }]);
    assert_eq!(
        get(&run(&project_repo(project)), "approving-review").status,
        Status::Fail
    );

    let mut project = premium();
    project.approval_settings =
        Fact::unreadable_with(Some(403), "Forbidden", Some("Maintainer role"));
    let v = run(&project_repo(project));
    for id in [
        "approving-review",
        "last-push-approval",
        "dismiss-stale-reviews",
    ] {
        assert_eq!(get(&v, id).status, Status::Unknown, "{id}");
    }

    let mut project = premium();
    project.approval_rules = Fact::unreadable_with(Some(403), "Forbidden", None);
    let verdict = get(&run(&project_repo(project)), "approving-review").clone();
    assert_eq!(verdict.status, Status::Unknown);
    assert_eq!(verdict.reason.as_deref(), Some("403: Forbidden"));
}

#[test]
fn gitlab_release_branches_use_protected_branch_wildcards() {
    let mut repo = project_repo(premium());
    let rb = |branches: &[&str], rules: &[(&str, bool)]| {
        Fact::Known(ReleaseBranches {
            branches: branches.iter().map(|s| s.to_string()).collect(),
            rules: rules
                .iter()
                .map(|(p, r)| BranchRule {
                    pattern: p.to_string(),
                    restricts_pushes: *r,
                })
                .collect(),
        })
    };
    // GitLab wildcards cross `/`.
    repo.release_branches = rb(&["release/1.0/hotfix", "release-2"], &[("release*", true)]);
    let v = get(&run(&repo), "release-push-restricted").clone();
    assert_eq!(v.status, Status::Pass, "{v:?}");
    assert!(
        v.evidence
            .contains("branch release/1.0/hotfix: protection rule release* restricts pushes")
    );

    repo.release_branches = rb(&["release/1.0"], &[("release/*", false)]);
    let v = get(&run(&repo), "release-push-restricted").clone();
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.evidence
            .contains("branch release/1.0: pushes not restricted")
    );

    repo.release_branches = rb(&["main"], &[]);
    assert_eq!(
        get(&run(&repo), "release-push-restricted").status,
        Status::NotApplicable
    );
}

#[test]
fn gitlab_release_branches_unreadable_is_unknown() {
    let mut repo = project_repo(premium());
    repo.release_branches = Fact::unreadable_with(Some(403), "Forbidden", Some("Developer role"));
    let v = get(&run(&repo), "release-push-restricted").clone();
    assert_eq!(v.status, Status::Unknown);
    assert_eq!(v.reason.as_deref(), Some("403: needs Developer role"));
    assert!(v.evidence.contains("release branches unreadable"));
}
