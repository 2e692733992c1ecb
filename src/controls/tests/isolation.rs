//! Band `isolation`.

use super::*;
use crate::model::{JobTokenScope, Runner, TokenPermission};
use crate::pipeline::FindingKind;
use crate::pipeline::{SelfHosted, SelfHostedJob};

const CI: &str = ".github/workflows/ci.yml";

fn runner(name: &str, ephemeral: Option<bool>, labels: &[&str]) -> Runner {
    Runner {
        id: 1,
        name: name.into(),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        ephemeral,
        scope: "org".into(),
        group: None,
    }
}

fn job(name: &str, maybe: bool, egress_block: bool, line: u32) -> SelfHostedJob {
    SelfHostedJob {
        job: name.into(),
        labels: vec!["self-hosted".into(), "linux".into()],
        maybe,
        egress_block,
        line,
    }
}

fn self_hosted(jobs: Vec<SelfHostedJob>) -> PipelineFacts {
    let maybe = jobs.iter().all(|j| j.maybe);
    PipelineFacts {
        self_hosted_jobs: Some(if maybe {
            SelfHosted::Maybe
        } else {
            SelfHosted::Yes
        }),
        self_hosted: jobs,
        ..PipelineFacts::default()
    }
}

fn with_jobs(jobs: Vec<SelfHostedJob>, visibility: Visibility) -> (Snapshot, Repo) {
    let mut snap = github();
    let mut r = Repo::new("acme/api", visibility, "main");
    add_pipeline(&mut snap, &mut r, CI, gha(self_hosted(jobs), vec![]));
    (snap, r)
}

#[test]
fn ephemeral_runners_from_the_api_and_labels() {
    let snap = github();
    let mut r = repo();
    assert_status(
        &verdict(&snap, &r, "ephemeral-runners"),
        Status::NotApplicable,
    );
    r.runners = Fact::Known(vec![runner("arc-1", Some(true), &[])]);
    assert_status(&verdict(&snap, &r, "ephemeral-runners"), Status::Pass);
    r.runners = Fact::Known(vec![
        runner("arc-1", Some(true), &[]),
        runner("box", Some(false), &[]),
    ]);
    let v = verdict(&snap, &r, "ephemeral-runners");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.contains("\"box\"") && v.evidence.contains("ephemeral: false"),
        "{v:?}"
    );
    r.runners = Fact::Known(vec![runner("scale", None, &["arc-linux"])]);
    assert_status(&verdict(&snap, &r, "ephemeral-runners"), Status::Unknown);
    let settings = Settings {
        ephemeral_runner_labels: vec!["arc-linux".into()],
        ..Settings::default()
    };
    let v = verdict_with(&snap, &settings, &r, "ephemeral-runners");
    assert_status(&v, Status::Pass);
    assert!(v.evidence.contains("label arc-linux"), "{v:?}");
}

#[test]
fn ephemeral_runners_from_jobs_when_no_runner_is_visible() {
    let (snap, mut r) = with_jobs(vec![job("build", false, false, 12)], Visibility::Private);
    r.runners = forbidden("Administration:read");
    let v = verdict(&snap, &r, "ephemeral-runners");
    assert_status(&v, Status::Unknown);
    assert!(
        v.evidence.starts_with(".github/workflows/ci.yml:12:"),
        "{v:?}"
    );
    assert!(
        v.reason
            .as_deref()
            .unwrap()
            .contains("needs Administration:read"),
        "{v:?}"
    );
    let settings = Settings {
        ephemeral_runner_labels: vec!["linux".into()],
        ..Settings::default()
    };
    assert_status(
        &verdict_with(&snap, &settings, &r, "ephemeral-runners"),
        Status::Pass,
    );
}

#[test]
fn gitlab_runners_are_unknown_unless_labelled() {
    let snap = gitlab();
    let mut p = project();
    assert_status(
        &verdict(&snap, &p, "ephemeral-runners"),
        Status::NotApplicable,
    );
    p.runners = Fact::Known(vec![runner("group-runner", None, &["docker"])]);
    let v = verdict(&snap, &p, "ephemeral-runners");
    assert_status(&v, Status::Unknown);
    assert!(
        v.reason.as_deref().unwrap().contains("does not say"),
        "{v:?}"
    );
    let settings = Settings {
        ephemeral_runner_labels: vec!["docker".into()],
        ..Settings::default()
    };
    assert_status(
        &verdict_with(&snap, &settings, &p, "ephemeral-runners"),
        Status::Pass,
    );
}

#[test]
fn egress_allowlist_paths() {
    let (snap, r) = with_jobs(vec![job("build", false, true, 9)], Visibility::Private);
    let v = verdict(&snap, &r, "egress-allowlist");
    assert_status(&v, Status::Pass);
    assert_eq!(v.location.as_ref().map(|l| l.line), Some(9));
    let (snap, r) = with_jobs(
        vec![
            job("build", false, true, 9),
            job("deploy", false, false, 30),
        ],
        Visibility::Private,
    );
    let v = verdict(&snap, &r, "egress-allowlist");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence
            .starts_with(".github/workflows/ci.yml:30: job deploy"),
        "{v:?}"
    );
    let mut snap = github();
    let mut r = repo();
    add_pipeline(&mut snap, &mut r, CI, gha(PipelineFacts::default(), vec![]));
    assert_status(
        &verdict(&snap, &r, "egress-allowlist"),
        Status::NotApplicable,
    );
}

#[test]
fn maybe_job_is_unknown_unless_egress_is_blocked() {
    let (snap, r) = with_jobs(vec![job("matrix", true, false, 17)], Visibility::Private);
    let v = verdict(&snap, &r, "egress-allowlist");
    assert_status(&v, Status::Unknown);
    assert!(
        v.evidence.starts_with(".github/workflows/ci.yml:17:"),
        "{v:?}"
    );
    assert_status(&verdict(&snap, &r, "ephemeral-runners"), Status::Unknown);
    let (snap, r) = with_jobs(vec![job("matrix", true, true, 17)], Visibility::Private);
    assert_status(&verdict(&snap, &r, "egress-allowlist"), Status::Pass);
}

#[test]
fn file_level_fact_without_job_list() {
    let mut snap = github();
    let mut r = repo();
    let facts = PipelineFacts {
        self_hosted_jobs: Some(SelfHosted::Yes),
        egress_block_all_jobs: Some(false),
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        CI,
        gha(facts, vec![finding(FindingKind::SelfHostedJobs, 6, "")]),
    );
    let v = verdict(&snap, &r, "egress-allowlist");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/ci.yml:6:"),
        "{v:?}"
    );
}

#[test]
fn self_hosted_in_public_repositories() {
    let (snap, r) = with_jobs(vec![job("build", false, true, 12)], Visibility::Public);
    let v = verdict(&snap, &r, "no-self-hosted-public");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/ci.yml:12:"),
        "{v:?}"
    );
    let (snap, r) = with_jobs(vec![job("build", false, false, 12)], Visibility::Private);
    assert_status(
        &verdict(&snap, &r, "no-self-hosted-public"),
        Status::NotApplicable,
    );
    let (snap, r) = with_jobs(vec![job("m", true, false, 3)], Visibility::Public);
    assert_status(
        &verdict(&snap, &r, "no-self-hosted-public"),
        Status::Unknown,
    );
    let mut snap = github();
    let mut r = Repo::new("acme/site", Visibility::Public, "main");
    add_pipeline(&mut snap, &mut r, CI, gha(PipelineFacts::default(), vec![]));
    assert_status(&verdict(&snap, &r, "no-self-hosted-public"), Status::Pass);
}

fn permissions(top_level: bool, write_all: bool) -> PipelineFacts {
    PipelineFacts {
        top_level_permissions: Some(top_level),
        write_all_permissions: write_all,
        ..PipelineFacts::default()
    }
}

#[test]
fn token_least_privilege_github() {
    let mut snap = github();
    let mut r = repo();
    assert_status(
        &verdict(&snap, &r, "token-least-privilege"),
        Status::NotApplicable,
    );
    add_pipeline(
        &mut snap,
        &mut r,
        CI,
        gha(permissions(false, false), vec![]),
    );
    // Repo default read (Repo::new): pass whatever the workflows say.
    let v = verdict(&snap, &r, "token-least-privilege");
    assert_status(&v, Status::Pass);
    assert_eq!(
        &*v.evidence,
        "GET /repos/acme/api/actions/permissions/workflow: default_workflow_permissions: read"
    );
    r.workflow_token = Fact::Known(Some(TokenPermission::Write));
    let v = verdict(&snap, &r, "token-least-privilege");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence
            .starts_with(".github/workflows/ci.yml: no top-level permissions"),
        "{v:?}"
    );
    r.workflow_token = forbidden("Administration:read");
    assert_status(
        &verdict(&snap, &r, "token-least-privilege"),
        Status::Unknown,
    );
    // Every workflow declares permissions: pass even with a write default.
    let mut snap = github();
    let mut r = repo();
    r.workflow_token = Fact::Known(Some(TokenPermission::Write));
    add_pipeline(&mut snap, &mut r, CI, gha(permissions(true, false), vec![]));
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/actions/setup/action.yml",
        gha(PipelineFacts::default(), vec![]),
    );
    assert_status(&verdict(&snap, &r, "token-least-privilege"), Status::Pass);
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/release.yml",
        gha(
            permissions(true, true),
            vec![finding(FindingKind::TopLevelPermissions, 4, "write-all")],
        ),
    );
    let v = verdict(&snap, &r, "token-least-privilege");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/release.yml:4:"),
        "{v:?}"
    );
}

#[test]
fn token_least_privilege_falls_back_to_the_org_default() {
    let mut snap = github();
    let mut r = repo();
    add_pipeline(
        &mut snap,
        &mut r,
        CI,
        gha(permissions(false, false), vec![]),
    );
    r.workflow_token = Fact::Known(None);
    snap.org_facts.workflow_token = Fact::Known(Some(TokenPermission::Read));
    let v = verdict(&snap, &r, "token-least-privilege");
    assert_status(&v, Status::Pass);
    assert!(v.evidence.starts_with("GET /orgs/acme/"), "{v:?}");
}

#[test]
fn token_least_privilege_gitlab_job_token_scope() {
    let mut snap = gitlab();
    let mut p = project();
    assert_status(
        &verdict(&snap, &p, "token-least-privilege"),
        Status::NotApplicable,
    );
    add_pipeline(
        &mut snap,
        &mut p,
        ".gitlab-ci.yml",
        glci(PipelineFacts::default(), vec![]),
    );
    let v = verdict(&snap, &p, "token-least-privilege");
    assert_status(&v, Status::Fail);
    assert_eq!(
        &*v.evidence,
        "GET /projects/7/job_token_scope: inbound_enabled: false"
    );
    if let Some(g) = p.gitlab.as_mut() {
        g.job_token_scope = Fact::Known(JobTokenScope {
            inbound_enabled: true,
        });
    }
    assert_status(&verdict(&snap, &p, "token-least-privilege"), Status::Pass);
    if let Some(g) = p.gitlab.as_mut() {
        g.job_token_scope = forbidden("Maintainer");
    }
    assert_status(
        &verdict(&snap, &p, "token-least-privilege"),
        Status::Unknown,
    );
}

#[test]
fn pinned_actions_with_slsa_exception() {
    let unpinned = |n: u32| PipelineFacts {
        unpinned_third_party_actions: Some(n),
        ..PipelineFacts::default()
    };
    let mut snap = github();
    let mut r = repo();
    add_pipeline(&mut snap, &mut r, CI, gha(unpinned(0), vec![]));
    assert_status(&verdict(&snap, &r, "pinned-actions"), Status::Pass);
    let slsa =
        "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0";
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/release.yml",
        gha(
            unpinned(1),
            vec![finding(FindingKind::UnpinnedThirdPartyActions, 40, slsa)],
        ),
    );
    assert_status(&verdict(&snap, &r, "pinned-actions"), Status::Pass);
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/lint.yml",
        gha(
            unpinned(2),
            vec![
                finding(FindingKind::UnpinnedThirdPartyActions, 11, "some/action@v3"),
                finding(
                    FindingKind::UnpinnedThirdPartyActions,
                    19,
                    "other/action@main",
                ),
            ],
        ),
    );
    let v = verdict(&snap, &r, "pinned-actions");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/lint.yml:11:"),
        "{v:?}"
    );
}

#[test]
fn pinned_includes_on_gitlab() {
    let includes = |kinds: &[&str], unpinned: u32| PipelineFacts {
        includes: Some(kinds.iter().map(|k| (*k).to_owned()).collect()),
        unpinned_includes: Some(unpinned),
        ..PipelineFacts::default()
    };
    let mut snap = gitlab();
    let mut p = project();
    add_pipeline(
        &mut snap,
        &mut p,
        ".gitlab-ci.yml",
        glci(includes(&["local", "template"], 0), vec![]),
    );
    assert_status(&verdict(&snap, &p, "pinned-actions"), Status::NotApplicable);
    let mut snap = gitlab();
    let mut p = project();
    add_pipeline(
        &mut snap,
        &mut p,
        ".gitlab-ci.yml",
        glci(includes(&["project"], 0), vec![]),
    );
    assert_status(&verdict(&snap, &p, "pinned-actions"), Status::Pass);
    let mut snap = gitlab();
    let mut p = project();
    add_pipeline(
        &mut snap,
        &mut p,
        ".gitlab-ci.yml",
        glci(
            includes(&["component"], 1),
            vec![finding(FindingKind::UnpinnedIncludes, 5, "")],
        ),
    );
    let v = verdict(&snap, &p, "pinned-actions");
    assert_status(&v, Status::Fail);
    assert!(v.evidence.starts_with(".gitlab-ci.yml:5:"), "{v:?}");
}

#[test]
fn gitlab_tagged_jobs_without_self_managed_runners_are_hosted() {
    let mut snap = gitlab();
    let mut p = project();
    p.visibility = Visibility::Public;
    let facts = PipelineFacts {
        self_hosted: vec![SelfHostedJob {
            job: "build".into(),
            labels: vec!["saas-linux-medium-amd64".into()],
            maybe: true,
            egress_block: false,
            line: 4,
        }],
        ..PipelineFacts::default()
    };
    add_pipeline(&mut snap, &mut p, ".gitlab-ci.yml", glci(facts, vec![]));
    assert_status(
        &verdict(&snap, &p, "egress-allowlist"),
        Status::NotApplicable,
    );
    assert_status(
        &verdict(&snap, &p, "ephemeral-runners"),
        Status::NotApplicable,
    );
    assert_status(&verdict(&snap, &p, "no-self-hosted-public"), Status::Pass);
    // With a self-managed runner available, a tagged job may land on it: unknown, cited.
    p.runners = Fact::Known(vec![runner("group-runner", None, &["docker"])]);
    let v = verdict(&snap, &p, "egress-allowlist");
    assert_status(&v, Status::Unknown);
    assert!(v.evidence.starts_with(".gitlab-ci.yml:4:"), "{v:?}");
    assert_status(
        &verdict(&snap, &p, "no-self-hosted-public"),
        Status::Unknown,
    );
}

#[test]
fn gitlab_hidden_jobs_never_run() {
    let mut snap = gitlab();
    let mut p = project();
    p.runners = Fact::Known(vec![runner("group-runner", None, &["docker"])]);
    let facts = PipelineFacts {
        self_hosted: vec![SelfHostedJob {
            job: ".terraform".into(),
            labels: vec!["docker".into()],
            maybe: true,
            egress_block: false,
            line: 13,
        }],
        ..PipelineFacts::default()
    };
    add_pipeline(&mut snap, &mut p, ".gitlab-ci.yml", glci(facts, vec![]));
    let v = verdict(&snap, &p, "egress-allowlist");
    assert_status(&v, Status::Unknown);
    assert!(
        v.evidence
            .starts_with("GET /projects/7/runners: self-managed runners available: 1"),
        "{v:?}"
    );
}
