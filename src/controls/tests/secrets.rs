//! Band `secrets`.

use crate::pipeline::FindingKind;
use chrono::Duration;

use super::*;
use crate::model::{SecretMeta, SecretScanning};

fn scanning(secret_scanning: bool, push_protection: bool) -> Fact<SecretScanning> {
    Fact::Known(SecretScanning {
        secret_scanning,
        push_protection,
    })
}

#[test]
fn github_secret_scanning_and_push_protection() {
    let snap = github();
    let mut r = repo();
    r.secret_scanning = scanning(true, false);
    let v = verdict(&snap, &r, "secret-scanning");
    assert_status(&v, Status::Pass);
    assert_eq!(
        &*v.evidence,
        "security_and_analysis.secret_scanning: enabled"
    );
    let v = verdict(&snap, &r, "push-protection");
    assert_status(&v, Status::Fail);
    assert_eq!(
        &*v.evidence,
        "security_and_analysis.secret_scanning_push_protection: disabled"
    );
    r.secret_scanning = scanning(false, true);
    let v = verdict(&snap, &r, "secret-scanning");
    assert_status(&v, Status::Fail);
    assert_eq!(
        &*v.evidence,
        "security_and_analysis.secret_scanning: disabled"
    );
    assert_status(&verdict(&snap, &r, "push-protection"), Status::Pass);
    r.secret_scanning = forbidden("Administration:read");
    for id in ["secret-scanning", "push-protection"] {
        let v = verdict(&snap, &r, id);
        assert_status(&v, Status::Unknown);
        assert_eq!(v.reason.as_deref(), Some("403: needs Administration:read"));
    }
}

#[test]
fn gitlab_secret_detection_job_or_setting() {
    let mut snap = gitlab();
    let mut p = project();
    assert_status(&verdict(&snap, &p, "secret-scanning"), Status::Fail);
    p.secret_scanning = forbidden("Ultimate");
    assert_status(&verdict(&snap, &p, "secret-scanning"), Status::Unknown);
    let facts = PipelineFacts {
        secret_scanner: true,
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut p,
        ".gitlab-ci.yml",
        glci(
            facts,
            vec![finding(FindingKind::SecretScanner, 3, "Secret-Detection")],
        ),
    );
    let v = verdict(&snap, &p, "secret-scanning");
    assert_status(&v, Status::Pass);
    assert!(v.evidence.starts_with(".gitlab-ci.yml:3:"), "{v:?}");
    let mut q = project();
    q.secret_scanning = scanning(true, false);
    assert_status(&verdict(&snap, &q, "secret-scanning"), Status::Pass);
}

#[test]
fn gitlab_push_protection_setting() {
    let snap = gitlab();
    let mut p = project();
    let v = verdict(&snap, &p, "push-protection");
    assert_status(&v, Status::Fail);
    assert_eq!(&*v.evidence, "secret_push_protection_enabled: false");
    if let Some(g) = p.gitlab.as_mut() {
        g.secret_push_protection = Fact::Known(true);
    }
    assert_status(&verdict(&snap, &p, "push-protection"), Status::Pass);
    if let Some(g) = p.gitlab.as_mut() {
        g.secret_push_protection = forbidden("Ultimate");
    }
    assert_status(&verdict(&snap, &p, "push-protection"), Status::Unknown);
}

#[test]
fn pipeline_secret_scan_paths() {
    let mut snap = github();
    let mut r = repo();
    assert_status(&verdict(&snap, &r, "pipeline-secret-scan"), Status::Fail);
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/ci.yml",
        gha(PipelineFacts::default(), vec![]),
    );
    assert_status(&verdict(&snap, &r, "pipeline-secret-scan"), Status::Fail);
    let facts = PipelineFacts {
        secret_scanner: true,
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/gitleaks.yml",
        gha(
            facts,
            vec![finding(
                FindingKind::SecretScanner,
                14,
                "gitleaks/gitleaks-action",
            )],
        ),
    );
    let v = verdict(&snap, &r, "pipeline-secret-scan");
    assert_status(&v, Status::Pass);
    assert!(
        v.evidence.starts_with(".github/workflows/gitleaks.yml:14:"),
        "{v:?}"
    );
    r.pipelines = forbidden("Contents:read");
    assert_status(&verdict(&snap, &r, "pipeline-secret-scan"), Status::Unknown);
}

#[test]
fn precommit_hook_paths() {
    let mut snap = github();
    let mut r = repo();
    assert_status(&verdict(&snap, &r, "precommit-secret-hook"), Status::Fail);
    let hook = |on: bool| Analysis {
        kind: FileKind::PreCommit,
        error: None,
        facts: PipelineFacts {
            precommit_secret_hook: Some(on),
            ..PipelineFacts::default()
        },
        findings: vec![finding(FindingKind::PrecommitSecretHook, 4, "gitleaks")],
    };
    r.precommit = Fact::Known(Some(store(
        &mut snap,
        ".pre-commit-config.yaml",
        hook(true),
    )));
    let v = verdict(&snap, &r, "precommit-secret-hook");
    assert_status(&v, Status::Pass);
    assert!(
        v.evidence.starts_with(".pre-commit-config.yaml:4:"),
        "{v:?}"
    );
    r.precommit = Fact::Known(Some(store(
        &mut snap,
        ".pre-commit-config.yaml",
        hook(false),
    )));
    assert_status(&verdict(&snap, &r, "precommit-secret-hook"), Status::Fail);
    let mut bad = broken("2:1: mapping values are not allowed here");
    bad.kind = FileKind::PreCommit;
    r.precommit = Fact::Known(Some(store(&mut snap, ".pre-commit-config.yaml", bad)));
    let v = verdict(&snap, &r, "precommit-secret-hook");
    assert_status(&v, Status::Unknown);
    assert_eq!(&*v.evidence, ".pre-commit-config.yaml: YAML error at 2:1");
    r.precommit = forbidden("Contents:read");
    assert_status(
        &verdict(&snap, &r, "precommit-secret-hook"),
        Status::Unknown,
    );
}

#[test]
fn secrets_in_env_github_and_gitlab() {
    let mut snap = github();
    let mut r = repo();
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/ci.yml",
        gha(PipelineFacts::default(), vec![]),
    );
    assert_status(&verdict(&snap, &r, "no-secrets-in-env"), Status::Pass);
    let facts = PipelineFacts {
        workflow_or_job_env_secrets: Some(true),
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/deploy.yml",
        gha(
            facts,
            vec![finding(
                FindingKind::WorkflowOrJobEnvSecrets,
                8,
                "env.TOKEN",
            )],
        ),
    );
    let v = verdict(&snap, &r, "no-secrets-in-env");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/deploy.yml:8:"),
        "{v:?}"
    );
    assert_status(
        &verdict(&gitlab(), &project(), "no-secrets-in-env"),
        Status::NotApplicable,
    );
}

#[test]
fn rotation_against_taken_at() {
    let snap = github();
    let mut r = repo();
    assert_status(
        &verdict(&snap, &r, "secret-rotation"),
        Status::NotApplicable,
    );
    let aged = |name: &str, days: i64| SecretMeta {
        name: name.into(),
        updated_at: Some(taken_at() - Duration::days(days)),
    };
    r.secrets = Fact::Known(vec![aged("NPM_TOKEN", 10), aged("DEPLOY_KEY", 90)]);
    let v = verdict(&snap, &r, "secret-rotation");
    assert_status(&v, Status::Pass);
    r.secrets = Fact::Known(vec![
        aged("NPM_TOKEN", 10),
        aged("DEPLOY_KEY", 91),
        aged("OLD", 200),
    ]);
    let v = verdict(&snap, &r, "secret-rotation");
    assert_status(&v, Status::Fail);
    assert_eq!(
        &*v.evidence,
        "GET /repos/acme/api/actions/secrets: OLD updated 200 days before the snapshot (limit 90) (+1 more)"
    );
    let settings = Settings {
        rotation_days: 365,
        ..Settings::default()
    };
    assert_status(
        &verdict_with(&snap, &settings, &r, "secret-rotation"),
        Status::Pass,
    );
    r.secrets = forbidden("Secrets:read");
    assert_status(&verdict(&snap, &r, "secret-rotation"), Status::Unknown);
}

#[test]
fn rotation_on_gitlab_is_unknown() {
    let snap = gitlab();
    let mut p = project();
    p.secrets = Fact::Known(vec![SecretMeta {
        name: "DEPLOY_TOKEN".into(),
        updated_at: None,
    }]);
    let v = verdict(&snap, &p, "secret-rotation");
    assert_status(&v, Status::Unknown);
    assert_eq!(
        v.reason.as_deref(),
        Some("the variables API does not say when a variable last changed")
    );
}
