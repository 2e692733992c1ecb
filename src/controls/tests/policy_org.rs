//! Band `policy` and the org controls.

use super::*;
use crate::controls::judge_org;
use crate::model::{
    Environment, OidcSubject, Reach, RunnerGroup, SecurityDefaults, TokenPermission,
};

fn env(name: &str, reviewers: u32, protected_branches_only: bool, protected: bool) -> Environment {
    Environment {
        name: name.into(),
        required_reviewers: reviewers,
        protected_branches_only,
        custom_branch_policies: false,
        protected,
    }
}

#[test]
fn deploy_gate_github() {
    let snap = github();
    let mut r = repo();
    r.environments = Fact::Known(vec![env("staging", 0, false, false)]);
    assert_status(&verdict(&snap, &r, "deploy-gate"), Status::NotApplicable);
    r.environments = Fact::Known(vec![
        env("Production", 2, false, false),
        env("prod-eu", 0, true, false),
    ]);
    assert_status(&verdict(&snap, &r, "deploy-gate"), Status::Pass);
    r.environments = Fact::Known(vec![
        env("production", 2, false, false),
        env("PROD-US", 0, false, false),
    ]);
    let v = verdict(&snap, &r, "deploy-gate");
    assert_status(&v, Status::Fail);
    assert!(v.evidence.contains("environment PROD-US"), "{v:?}");
    let settings = Settings {
        production_environments: vec!["live".into()],
        ..Settings::default()
    };
    assert_status(
        &verdict_with(&snap, &settings, &r, "deploy-gate"),
        Status::NotApplicable,
    );
    r.environments = forbidden("Actions:read");
    assert_status(&verdict(&snap, &r, "deploy-gate"), Status::Unknown);
}

#[test]
fn deploy_gate_gitlab_protected_environment() {
    let snap = gitlab();
    let mut p = project();
    p.environments = Fact::Known(vec![env("production", 2, false, false)]);
    assert_status(&verdict(&snap, &p, "deploy-gate"), Status::Fail);
    p.environments = Fact::Known(vec![env("production", 0, false, true)]);
    assert_status(&verdict(&snap, &p, "deploy-gate"), Status::Pass);
}

#[test]
fn codeowners_where_the_platform_reads_it() {
    let snap = github();
    let mut r = repo();
    assert_status(&verdict(&snap, &r, "codeowners"), Status::Fail);
    r.codeowners = Fact::Known(Some(".github/CODEOWNERS".into()));
    let v = verdict(&snap, &r, "codeowners");
    assert_status(&v, Status::Pass);
    assert_eq!(&*v.evidence, ".github/CODEOWNERS");
    r.codeowners = Fact::Known(Some(".gitlab/CODEOWNERS".into()));
    assert_status(&verdict(&snap, &r, "codeowners"), Status::Fail);
    r.codeowners = forbidden("Contents:read");
    assert_status(&verdict(&snap, &r, "codeowners"), Status::Unknown);
    let mut p = project();
    p.codeowners = Fact::Known(Some(".gitlab/CODEOWNERS".into()));
    assert_status(&verdict(&gitlab(), &p, "codeowners"), Status::Pass);
}

fn org(snap: &Snapshot, id: &str) -> Verdict {
    let settings = Settings::default();
    let ctx = Context::new(snap, &settings);
    let index = Catalog::builtin().org_index(id).unwrap();
    judge_org(&ctx)[index].clone()
}

#[test]
fn org_secret_scanning_default() {
    let mut snap = github();
    snap.org_facts.security_defaults = Fact::Known(SecurityDefaults {
        secret_scanning: true,
        push_protection: true,
    });
    assert_status(&org(&snap, "org-secret-scanning-default"), Status::Pass);
    snap.org_facts.security_defaults = Fact::Known(SecurityDefaults {
        secret_scanning: true,
        push_protection: false,
    });
    let v = org(&snap, "org-secret-scanning-default");
    assert_status(&v, Status::Fail);
    assert!(v.evidence.contains("push_protection disabled"), "{v:?}");
    snap.org_facts.security_defaults = forbidden("admin:org");
    assert_status(&org(&snap, "org-secret-scanning-default"), Status::Unknown);
    let mut group = gitlab();
    group.org_facts.security_defaults = forbidden("Ultimate");
    let v = org(&group, "org-secret-scanning-default");
    assert_status(&v, Status::Unknown);
    assert!(v.evidence.starts_with("GET /groups/grp/"), "{v:?}");
}

#[test]
fn org_token_read_default() {
    let mut snap = github();
    snap.org_facts.workflow_token = Fact::Known(Some(TokenPermission::Read));
    assert_status(&org(&snap, "org-token-read-default"), Status::Pass);
    snap.org_facts.workflow_token = Fact::Known(Some(TokenPermission::Write));
    assert_status(&org(&snap, "org-token-read-default"), Status::Fail);
    snap.org_facts.workflow_token = Fact::Known(None);
    assert_status(&org(&snap, "org-token-read-default"), Status::Unknown);
}

#[test]
fn org_runner_groups_scoped() {
    let group = |visibility: Reach, public: bool| RunnerGroup {
        id: 3,
        name: "default".into(),
        visibility,
        allows_public_repositories: public,
    };
    let mut snap = github();
    snap.org_facts.runner_groups = Fact::Known(vec![group(Reach::Selected, false)]);
    assert_status(&org(&snap, "org-runner-groups-scoped"), Status::Pass);
    snap.org_facts.runner_groups = Fact::Known(vec![group(Reach::All, false)]);
    let v = org(&snap, "org-runner-groups-scoped");
    assert_status(&v, Status::Fail);
    assert!(v.evidence.contains("visibility: all"), "{v:?}");
    snap.org_facts.runner_groups = Fact::Known(vec![group(Reach::Private, true)]);
    assert_status(&org(&snap, "org-runner-groups-scoped"), Status::Fail);
    snap.org_facts.runner_groups = forbidden("admin:org");
    assert_status(&org(&snap, "org-runner-groups-scoped"), Status::Unknown);
}

#[test]
fn org_oidc_subject() {
    let mut snap = github();
    snap.org_facts.oidc_subject = Fact::Known(OidcSubject {
        use_default: false,
        include_claim_keys: vec!["repo".into(), "environment".into()],
    });
    let v = org(&snap, "org-oidc-subject");
    assert_status(&v, Status::Pass);
    assert!(v.evidence.contains("repo, environment"), "{v:?}");
    snap.org_facts.oidc_subject = Fact::Known(OidcSubject::default());
    snap.org_facts.oidc_subject = Fact::Known(OidcSubject {
        use_default: true,
        include_claim_keys: vec![],
    });
    assert_status(&org(&snap, "org-oidc-subject"), Status::Fail);
    snap.org_facts.oidc_subject = forbidden("admin:org");
    assert_status(&org(&snap, "org-oidc-subject"), Status::Unknown);
}
