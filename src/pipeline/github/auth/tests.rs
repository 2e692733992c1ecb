//! Unit tests of `auth.rs`.
use super::super::test_util::{gh, gh_in};
use crate::pipeline::FindingKind;
use crate::pipeline::facts::{AuthMethod, CloudAuth, CloudProvider};

fn job(steps: &str, perms: &str) -> String {
    format!("on: push\n{perms}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n{steps}")
}

fn ca(p: CloudProvider, m: AuthMethod) -> CloudAuth {
    CloudAuth {
        provider: p,
        method: m,
    }
}

#[test]
fn aws_oidc_and_static() {
    let a = gh(&job(
        "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:x\n",
        "permissions:\n  id-token: write\n",
    ));
    assert_eq!(
        a.facts.cloud_auth,
        vec![ca(CloudProvider::Aws, AuthMethod::Oidc)]
    );
    let b = gh(&job(
        "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY }}\n          aws-secret-access-key: ${{ secrets.K2 }}\n",
        "",
    ));
    assert_eq!(
        b.facts.cloud_auth,
        vec![ca(CloudProvider::Aws, AuthMethod::StaticKey)]
    );
    assert_eq!(
        b.facts.static_key_secret_names,
        vec!["AWS_ACCESS_KEY", "K2"]
    );
    assert_eq!(b.line_of(FindingKind::CloudAuth), Some(6));
}

#[test]
fn step_env_keys_with_odd_names() {
    let a = gh(&job(
        "      - run: aws s3 cp a s3://b\n        env:\n          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_KEY_ID }}\n          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_KEY_SECRET }}\n",
        "",
    ));
    assert_eq!(
        a.facts.cloud_auth,
        vec![ca(CloudProvider::Aws, AuthMethod::StaticKey)]
    );
    assert_eq!(
        a.facts.static_key_secret_names,
        vec!["AWS_KEY_ID", "AWS_KEY_SECRET"]
    );
}

#[test]
fn azure_creds_json_and_oidc_via_own_root_action() {
    let y = job(
        "      - uses: ./\n        with:\n          creds: '{\"clientId\":\"${{ secrets.ID }}\",\"clientSecret\":\"${{ secrets.SEC }}\"}'\n      - uses: ./\n        with:\n          client-id: ${{ secrets.CID }}\n",
        "",
    );
    let a = gh_in(&y, "Azure/login");
    assert_eq!(
        a.facts.cloud_auth,
        vec![
            ca(CloudProvider::Azure, AuthMethod::Oidc),
            ca(CloudProvider::Azure, AuthMethod::StaticKey)
        ]
    );
    assert_eq!(a.facts.static_key_secret_names, vec!["SEC"]);
}

#[test]
fn gcp_and_registry_and_implicit() {
    let a = gh(&job(
        "      - uses: google-github-actions/auth@v2\n        with:\n          credentials_json: ${{ secrets.GCP_SA_BOT }}\n      - run: npx semantic-release\n        env:\n          NPM_TOKEN: ${{ secrets.BOT_NPM }}\n",
        "",
    ));
    assert_eq!(
        a.facts.cloud_auth,
        vec![
            ca(CloudProvider::Gcp, AuthMethod::StaticKey),
            ca(CloudProvider::Other, AuthMethod::StaticKey)
        ]
    );
    assert_eq!(a.facts.static_key_secret_names, vec!["GCP_SA_BOT"]);
    let b = gh(&job("      - run: |\n          aws s3 sync . s3://x\n", ""));
    assert_eq!(
        b.facts.cloud_auth,
        vec![ca(CloudProvider::Aws, AuthMethod::Implicit)]
    );
    let c = gh(&job(
        "      - uses: buildpulse/buildpulse-action@v1\n        with:\n          key: ${{ secrets.BUILDPULSE_ACCESS_KEY_ID }}\n",
        "",
    ));
    assert!(c.facts.cloud_auth.is_empty());
}

#[test]
fn cloud_registry_logins() {
    let a = gh(&job(
        "      - uses: docker/login-action@v3\n        with:\n          registry: europe-docker.pkg.dev\n          username: _json_key\n          password: ${{ secrets.GAR_KEY }}\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ secrets.GITHUB_TOKEN }}\n",
        "",
    ));
    assert_eq!(
        a.facts.cloud_auth,
        vec![ca(CloudProvider::Gcp, AuthMethod::StaticKey)]
    );
    assert_eq!(a.facts.static_key_secret_names, vec!["GAR_KEY"]);
}

#[test]
fn trusted_publishing() {
    let a = gh(&job(
        "      - uses: pypa/gh-action-pypi-publish@release/v1\n      - uses: rust-lang/crates-io-auth-action@v1\n",
        "permissions:\n  id-token: write\n",
    ));
    assert_eq!(
        a.facts.cloud_auth,
        vec![ca(CloudProvider::Other, AuthMethod::Oidc)]
    );
    let b = gh(&job(
        "      - run: uv publish --trusted-publishing=always\n",
        "permissions:\n  id-token: write\n",
    ));
    assert_eq!(
        b.facts.cloud_auth,
        vec![ca(CloudProvider::Other, AuthMethod::Oidc)]
    );
}

#[test]
fn registry_token_inline_in_run() {
    let a = gh(&job(
        "      - run: poetry publish --username __token__ --password ${{ secrets.PYPI }}\n",
        "",
    ));
    assert_eq!(
        a.facts.cloud_auth,
        vec![ca(CloudProvider::Other, AuthMethod::StaticKey)]
    );
    assert!(a.facts.static_key_secret_names.is_empty());
}

#[test]
fn vault_jwt_and_token_methods() {
    let jwt = gh(&job(
        "      - uses: hashicorp/vault-action@v3\n        with:\n          method: jwt\n          role: ci\n",
        "permissions:\n  id-token: write\n",
    ));
    assert_eq!(
        jwt.facts.cloud_auth,
        vec![ca(CloudProvider::Vault, AuthMethod::Oidc)]
    );
    let gh_token = gh(&job(
        "      - uses: hashicorp/vault-action@v3\n        with:\n          method: github\n          githubToken: ${{ secrets.VAULT_GH }}\n",
        "",
    ));
    assert_eq!(
        gh_token.facts.cloud_auth,
        vec![ca(CloudProvider::Vault, AuthMethod::StaticKey)]
    );
    assert_eq!(gh_token.facts.static_key_secret_names, vec!["VAULT_GH"]);
}
