//! `oidc-federation`, `no-static-cloud-keys`, `build-provenance`.

use super::*;
use crate::model::{Release, SecretMeta};
use crate::pipeline::FindingKind;

const DEPLOY: &str = ".github/workflows/deploy.yml";

fn secret(name: &str) -> SecretMeta {
    SecretMeta {
        name: name.into(),
        updated_at: None,
    }
}

fn with_auth(provider: CloudProvider, method: AuthMethod) -> (Snapshot, Repo) {
    let mut snap = github();
    let mut r = repo();
    add_pipeline(
        &mut snap,
        &mut r,
        DEPLOY,
        gha(
            auth(provider, method),
            vec![finding(
                FindingKind::CloudAuth,
                31,
                "aws-actions/configure-aws-credentials",
            )],
        ),
    );
    (snap, r)
}

#[test]
fn oidc_pass_cites_the_line() {
    let (snap, r) = with_auth(CloudProvider::Aws, AuthMethod::Oidc);
    let v = verdict(&snap, &r, "oidc-federation");
    assert_status(&v, Status::Pass);
    assert!(
        v.evidence.starts_with(".github/workflows/deploy.yml:31:"),
        "{v:?}"
    );
    assert_eq!(
        v.location.as_ref().map(|l| (l.path.as_str(), l.line)),
        Some((DEPLOY, 31))
    );
}

#[test]
fn static_key_auth_fails_oidc() {
    let (snap, r) = with_auth(CloudProvider::Gcp, AuthMethod::StaticKey);
    let v = verdict(&snap, &r, "oidc-federation");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.contains("deploy.yml:31") && v.evidence.contains("gcp"),
        "{v:?}"
    );
}

#[test]
fn no_cloud_auth_is_not_applicable_even_with_id_token_write() {
    let mut snap = github();
    let mut r = repo();
    let facts = PipelineFacts {
        uses_id_token_write: true,
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/pages.yml",
        gha(facts, vec![]),
    );
    assert_status(
        &verdict(&snap, &r, "oidc-federation"),
        Status::NotApplicable,
    );
}

#[test]
fn implicit_is_unknown_unless_a_static_key_is_visible() {
    let (snap, mut r) = with_auth(CloudProvider::Aws, AuthMethod::Implicit);
    let v = verdict(&snap, &r, "oidc-federation");
    assert_status(&v, Status::Unknown);
    assert!(
        v.evidence.contains("deploy.yml:31") && v.evidence.contains("implicit"),
        "{v:?}"
    );
    // A static key visible to the repository decides: fail.
    r.secrets = Fact::Known(vec![secret("PROD_AWS_SECRET_ACCESS_KEY")]);
    let v = verdict(&snap, &r, "oidc-federation");
    assert_status(&v, Status::Fail);
    assert!(v.evidence.contains("PROD_AWS_SECRET_ACCESS_KEY"), "{v:?}");
    // A registry token is not a cloud key: still unknown.
    r.secrets = Fact::Known(vec![secret("NPM_TOKEN")]);
    assert_status(&verdict(&snap, &r, "oidc-federation"), Status::Unknown);
}

#[test]
fn gitlab_id_tokens_pass_and_key_variables_fail() {
    let mut snap = gitlab();
    let mut p = project();
    add_pipeline(
        &mut snap,
        &mut p,
        ".gitlab-ci.yml",
        glci(
            auth(CloudProvider::Aws, AuthMethod::Oidc),
            vec![finding(FindingKind::CloudAuth, 9, "")],
        ),
    );
    let v = verdict(&snap, &p, "oidc-federation");
    assert_status(&v, Status::Pass);
    assert!(v.evidence.contains("id_tokens"), "{v:?}");
    let mut snap = gitlab();
    let mut p = project();
    add_pipeline(
        &mut snap,
        &mut p,
        "ci/deploy.gitlab-ci.yml",
        glci(auth(CloudProvider::Aws, AuthMethod::StaticKey), vec![]),
    );
    assert_status(&verdict(&snap, &p, "oidc-federation"), Status::Fail);
}

#[test]
fn static_keys_in_secrets_or_pipelines_fail() {
    let snap = github();
    let mut r = repo();
    r.secrets = Fact::Known(vec![secret("NPM_TOKEN"), secret("PYPI_API_TOKEN")]);
    let v = verdict(&snap, &r, "no-static-cloud-keys");
    assert_status(&v, Status::Pass);
    assert!(
        v.evidence
            .starts_with("GET /repos/acme/api/actions/secrets"),
        "{v:?}"
    );
    r.secrets = Fact::Known(vec![
        secret("NPM_TOKEN"),
        secret("prod_aws_secret_access_key"),
    ]);
    let v = verdict(&snap, &r, "no-static-cloud-keys");
    assert_status(&v, Status::Fail);
    assert_eq!(
        &*v.evidence,
        "GET /repos/acme/api/actions/secrets: prod_aws_secret_access_key (repo secret) is a static cloud credential"
    );
    // Pipeline use of a static key under any name.
    let mut snap = github();
    let mut r = repo();
    let facts = PipelineFacts {
        static_key_secret_names: vec!["SP1".into()],
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        DEPLOY,
        gha(
            facts,
            vec![finding(
                FindingKind::StaticKeySecretNames,
                44,
                "secrets.SP1",
            )],
        ),
    );
    let v = verdict(&snap, &r, "no-static-cloud-keys");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/deploy.yml:44:"),
        "{v:?}"
    );
}

#[test]
fn static_keys_unknown_when_secrets_unreadable_and_extra_names_count() {
    let mut snap = github();
    let mut r = repo();
    r.secrets = forbidden("Secrets:read");
    let v = verdict(&snap, &r, "no-static-cloud-keys");
    assert_status(&v, Status::Unknown);
    assert_eq!(v.reason.as_deref(), Some("403: needs Secrets:read"));
    r.secrets = Fact::Known(Vec::new());
    snap.org_facts.secrets = forbidden("Organization secrets:read");
    let v = verdict(&snap, &r, "no-static-cloud-keys");
    assert_status(&v, Status::Unknown);
    assert!(v.evidence.contains("/orgs/acme/actions/secrets"), "{v:?}");
    let snap = github();
    r.secrets = Fact::Known(vec![secret("PROD_DO_TOKEN")]);
    let settings = Settings {
        extra_static_key_names: vec!["DO_TOKEN".into()],
        ..Settings::default()
    };
    assert_status(&verdict(&snap, &r, "no-static-cloud-keys"), Status::Pass);
    assert_status(
        &verdict_with(&snap, &settings, &r, "no-static-cloud-keys"),
        Status::Fail,
    );
}

#[test]
fn gitlab_group_variable_static_key_fails() {
    let mut snap = gitlab();
    snap.org_facts.secrets = Fact::Known(vec![crate::model::OrgSecret {
        name: "AWS_ACCESS_KEY_ID".into(),
        updated_at: None,
        visibility: crate::model::Reach::All,
        selected_repos: vec![],
    }]);
    let v = verdict(&snap, &project(), "no-static-cloud-keys");
    assert_status(&v, Status::Fail);
    assert!(v.evidence.contains("GET /groups/grp/variables"), "{v:?}");
    assert!(v.evidence.contains("group variable"), "{v:?}");
}

#[test]
fn provenance_pass_fail_and_not_applicable() {
    // Publishes with provenance: pass.
    let mut snap = github();
    let mut r = repo();
    let facts = PipelineFacts {
        publishes: true,
        provenance: Some(true),
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/release.yml",
        gha(
            facts,
            vec![finding(
                FindingKind::Provenance,
                50,
                "actions/attest-build-provenance",
            )],
        ),
    );
    let v = verdict(&snap, &r, "build-provenance");
    assert_status(&v, Status::Pass);
    assert!(
        v.evidence.starts_with(".github/workflows/release.yml:50:"),
        "{v:?}"
    );
    // Publishes without provenance: fail citing the publishing file.
    let mut snap = github();
    let mut r = repo();
    let facts = PipelineFacts {
        publishes: true,
        provenance: Some(false),
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/release.yml",
        gha(
            facts,
            vec![finding(FindingKind::Publishes, 20, "docker push")],
        ),
    );
    let v = verdict(&snap, &r, "build-provenance");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.starts_with(".github/workflows/release.yml:20:"),
        "{v:?}"
    );
    // Nothing published, no release: not applicable.
    let snap = github();
    let mut r = repo();
    assert_status(
        &verdict(&snap, &r, "build-provenance"),
        Status::NotApplicable,
    );
    // A release without attestation: fail; attested: pass; unreadable: unknown.
    let mut release = Release {
        tag: "v1.0.0".into(),
        published_at: None,
        attested: None,
    };
    r.latest_release = Fact::Known(Some(release.clone()));
    assert_status(&verdict(&snap, &r, "build-provenance"), Status::Fail);
    release.attested = Some(true);
    r.latest_release = Fact::Known(Some(release));
    let v = verdict(&snap, &r, "build-provenance");
    assert_status(&v, Status::Pass);
    assert!(
        v.evidence.contains("/attestations") && v.evidence.contains("v1.0.0"),
        "{v:?}"
    );
    r.latest_release = forbidden("Contents:read");
    assert_status(&verdict(&snap, &r, "build-provenance"), Status::Unknown);
}

#[test]
fn oidc_cites_the_line_of_the_offending_auth() {
    let mut snap = github();
    let mut r = repo();
    let facts = PipelineFacts {
        cloud_auth: vec![
            CloudAuth {
                provider: CloudProvider::Aws,
                method: AuthMethod::Oidc,
            },
            CloudAuth {
                provider: CloudProvider::Aws,
                method: AuthMethod::StaticKey,
            },
        ],
        ..PipelineFacts::default()
    };
    add_pipeline(
        &mut snap,
        &mut r,
        DEPLOY,
        gha(
            facts,
            vec![
                finding(FindingKind::CloudAuth, 20, "aws/oidc: role-to-assume"),
                finding(
                    FindingKind::CloudAuth,
                    35,
                    "aws/static-key: aws-secret-access-key",
                ),
            ],
        ),
    );
    let v = verdict(&snap, &r, "oidc-federation");
    assert_status(&v, Status::Fail);
    assert_eq!(v.location.as_ref().map(|l| l.line), Some(35), "{v:?}");
}
