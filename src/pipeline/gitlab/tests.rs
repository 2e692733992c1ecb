//! Unit tests of the GitLab analyser.

use crate::pipeline::FindingKind;
use crate::pipeline::analyse;
use crate::pipeline::facts::{Analysis, AuthMethod, CloudAuth, CloudProvider, FileKind};

fn gl(y: &str) -> Analysis {
    analyse(".gitlab-ci.yml", y, Some(FileKind::GitlabCi))
}

#[test]
fn includes_kinds_and_pinning() {
    let a = gl(
        "include:\n  - local: /a.yml\n  - template: Security/Secret-Detection.gitlab-ci.yml\n  - project: g/p\n    ref: main\n    file: x.yml\n  - remote: https://x/y.yml\n",
    );
    assert_eq!(
        a.facts.includes,
        Some(vec![
            "local".into(),
            "template".into(),
            "project".into(),
            "remote".into()
        ])
    );
    assert!(a.facts.secret_scanner);
    assert_eq!(a.facts.unpinned_includes, Some(1));
    assert_eq!(a.facts.local_callees, vec!["a.yml".to_string()]);
    let b = gl("include: common.yml\njob:\n  script: [make]\n");
    assert_eq!(b.facts.includes, Some(vec!["local".into()]));
    let c = gl("job:\n  script: [make]\n");
    assert_eq!(c.facts.includes, Some(vec![]));
}

#[test]
fn anchors_pinned_project_include_merges_and_references() {
    let a = gl(
        ".t: &sha 0123456789abcdef0123456789abcdef01234567\ninclude:\n  - project: f/ci\n    ref: *sha\n    file: x.yml\n.a: &a\n  tags: [kvm]\n.b: &b\n  image: x\njob:\n  <<: *a\n  extends: .a\n  script:\n    - !reference [.setup, script]\n  <<: *b\n",
    );
    assert_eq!(a.facts.unpinned_includes, Some(0));
    assert_eq!(a.facts.uses_yaml_anchors, Some(true));
    assert_eq!(a.facts.duplicate_merge_keys, Some(true));
    assert_eq!(a.facts.uses_reference_tags, Some(true));
    assert_eq!(a.facts.uses_extends, Some(true));
    assert_eq!(a.facts.runner_tags, Some(vec!["kvm".into()]));
    assert_eq!(a.facts.yaml_valid, Some(true));
    assert!(a.error.is_none());
    assert_eq!(a.facts.self_hosted_jobs, None);
}

#[test]
fn invalid_yaml_reports_line_and_col() {
    let a = gl(
        "include: \"c.yml\"\njob:\n  extends: .x\n  artifacts:\n    paths:\n      - \"a.xml\"\"\n",
    );
    let err = a.error.clone().unwrap_or_default();
    assert!(err.starts_with("6:"), "{err}");
    assert_eq!(a.facts.yaml_valid, Some(false));
    assert_eq!(a.facts.includes, Some(vec!["local".into()]));
    assert_eq!(a.facts.uses_extends, Some(true));
}

#[test]
fn auth_oidc_static_implicit() {
    let oidc = gl(
        "deploy:\n  id_tokens:\n    T:\n      aud: https://gitlab.com\n  script:\n    - echo \"web_identity_token_file=/tmp/t\" > ~/.aws/config\n    - export $(printf \"AWS_ACCESS_KEY_ID=%s\" $(aws sts assume-role))\n",
    );
    assert!(oidc.facts.uses_id_token_write);
    assert_eq!(
        oidc.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Aws,
            method: AuthMethod::Oidc
        }]
    );
    assert!(oidc.facts.static_key_secret_names.is_empty());
    let st = gl(
        "s3:\n  variables:\n    AWS_ACCESS_KEY_ID: \" \"\n    AWS_SECRET_ACCESS_KEY: $MY_SECRET\n  script:\n    - aws s3 sync . s3://b\n",
    );
    assert_eq!(
        st.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Aws,
            method: AuthMethod::StaticKey
        }]
    );
    assert_eq!(
        st.facts.static_key_secret_names,
        vec!["AWS_ACCESS_KEY_ID", "MY_SECRET"]
    );
    assert_eq!(st.line_of(FindingKind::CloudAuth), Some(3));
    let read = gl("d:\n  script:\n    - if [ -z \"$AWS_SECRET_ACCESS_KEY\" ]; then exit 1; fi\n");
    assert_eq!(
        read.facts.static_key_secret_names,
        vec!["AWS_SECRET_ACCESS_KEY"]
    );
    let imp = gl("d:\n  script:\n    - pip install awscli\n    - aws s3 cp a s3://b\n");
    assert_eq!(
        imp.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Aws,
            method: AuthMethod::Implicit
        }]
    );
}

#[test]
fn scanners_releases_and_tags() {
    let a = gl(
        "gitleaks:\n  image: zricethezav/gitleaks\n  script:\n    - gitleaks detect -v\nrel:\n  release:\n    tag_name: v1\n  tags: [docker]\n  environment: production\n",
    );
    assert!(a.facts.secret_scanner);
    assert!(a.facts.publishes);
    assert_eq!(a.facts.environments, vec!["production".to_string()]);
    assert_eq!(a.facts.self_hosted.len(), 1);
    assert!(a.facts.self_hosted[0].maybe);
}

#[test]
fn secrets_keyword_and_aws_configure() {
    let a = gl(
        "j:\n  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: https://v\n  secrets:\n    DB:\n      vault: db/pw@ops\n  script: [make]\n",
    );
    assert_eq!(
        a.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Vault,
            method: AuthMethod::Oidc
        }]
    );
    let b = gl(
        "j:\n  script:\n    - aws configure set aws_secret_access_key $PROD_SECRET\n    - aws s3 ls\n",
    );
    assert_eq!(
        b.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Aws,
            method: AuthMethod::StaticKey
        }]
    );
    assert_eq!(b.facts.static_key_secret_names, vec!["PROD_SECRET"]);
}

#[test]
fn variables_reading_cloud_keys() {
    let a = gl(
        "plan:\n  variables:\n    TF_VAR_secret: $AWS_SECRET_ACCESS_KEY\n    ROLE: \"${AWS_ROLE}\"\n  script: [terraform plan]\n",
    );
    assert_eq!(
        a.facts.static_key_secret_names,
        vec!["AWS_SECRET_ACCESS_KEY"]
    );
    assert_eq!(a.line_of(FindingKind::StaticKeySecretNames), Some(3));
}

#[test]
fn exported_keys_from_other_variables() {
    let a = gl("d:\n  script:\n    - export AWS_SECRET_ACCESS_KEY=$PROD_SECRET\n    - aws s3 ls\n");
    assert_eq!(a.facts.static_key_secret_names, vec!["PROD_SECRET"]);
    assert_eq!(
        a.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Aws,
            method: AuthMethod::StaticKey
        }]
    );
}

#[test]
fn sigstore_id_tokens_sign_but_are_not_cloud_credentials() {
    let a = gl(
        "sign:\n  id_tokens:\n    SIGSTORE_ID_TOKEN:\n      aud: sigstore\n  script:\n    - docker push $IMG\n    - cosign sign --yes $IMG\n    - aws s3 cp sbom.json s3://b/\n",
    );
    assert_eq!(a.facts.provenance, Some(true));
    assert!(a.facts.uses_id_token_write);
    assert_eq!(
        a.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Aws,
            method: AuthMethod::Implicit
        }]
    );
}

#[test]
fn gcloud_key_file_login() {
    let a = gl(
        "d:\n  script:\n    - echo $GCP_SERVICE_KEY > /tmp/k.json\n    - gcloud auth activate-service-account --key-file /tmp/k.json\n    - gcloud run deploy x --region $REGION\n",
    );
    assert_eq!(
        a.facts.cloud_auth,
        vec![CloudAuth {
            provider: CloudProvider::Gcp,
            method: AuthMethod::StaticKey
        }]
    );
    assert_eq!(a.facts.static_key_secret_names, vec!["GCP_SERVICE_KEY"]);
}

#[test]
fn hidden_templates_never_run_but_lend_their_tags() {
    let a = gl(concat!(
        ".runner: &runner\n  tags: [acme-shared]\n",
        ".deploy:\n  extends: .runner\n",
        "merged:\n  <<: *runner\n  script: [make]\n",
        "extended:\n  extends: .deploy\n  script: [make]\n",
        "hosted:\n  script: [make]\n",
    ));
    let jobs: Vec<(&str, u32)> = a
        .facts
        .self_hosted
        .iter()
        .map(|j| (j.job.as_str(), j.line))
        .collect();
    // The templates are not jobs; both real jobs run on the template's tags (line 2).
    assert_eq!(jobs, vec![("merged", 2), ("extended", 2)]);
    assert_eq!(a.facts.runner_tags, Some(vec!["acme-shared".to_string()]));
}
