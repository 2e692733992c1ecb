//! Cloud use without visible credentials (`implicit`) and registry trusted publishing from
//! `run:` steps (`uv publish --trusted-publishing`, npm publish with an OIDC token).

use super::{Step, Workflow};
use crate::pipeline::collect::Out;
use crate::pipeline::facts::{AuthMethod, CloudProvider};
use crate::pipeline::text::{cloud_clis, is_registry_token_var, npm_publish};
use crate::pipeline::yaml::Node;

/// Actions that act on a cloud with credentials they do not take as inputs.
fn cloud_action(step: &Step<'_>) -> Option<CloudProvider> {
    let (r, _) = step.uses.as_ref()?;
    let owner = r.repo.split('/').next().unwrap_or_default();
    if owner == "aws-actions" && !r.is("aws-actions/configure-aws-credentials") {
        return Some(CloudProvider::Aws);
    }
    const GCP: &[&str] = &[
        "google-github-actions/deploy-cloudrun",
        "google-github-actions/deploy-appengine",
        "google-github-actions/deploy-cloud-functions",
        "google-github-actions/get-gke-credentials",
        "google-github-actions/upload-cloud-storage",
        "google-github-actions/get-secretmanager-secrets",
    ];
    if GCP.iter().any(|a| r.is(a)) {
        return Some(CloudProvider::Gcp);
    }
    const AZURE: &[&str] = &["azure/cli", "azure/arm-deploy", "azure/aks-set-context"];
    let azure_without_profile = (r.is("azure/webapps-deploy") || r.is("azure/functions-action"))
        && step.input("publish-profile").is_none();
    if AZURE.iter().any(|a| r.is(a)) || azure_without_profile {
        return Some(CloudProvider::Azure);
    }
    None
}

/// Record `implicit` cloud use and trusted publishing.
pub fn analyse(wf: &Workflow<'_>, id_token: bool, out: &mut Out) {
    let mut uses: Vec<(CloudProvider, u32)> = Vec::new();
    let mut after_local_action: Vec<bool> = vec![false; wf.jobs.len().max(1)];
    for step in &wf.steps {
        // A local action earlier in the job may well be where the credentials come from.
        let covered = after_local_action.get(step.job).copied().unwrap_or(false);
        if !covered {
            if let Some(p) = cloud_action(step) {
                uses.push((p, step.line()));
            }
            if let Some((script, line)) = &step.run {
                uses.extend(cloud_clis(script).into_iter().map(|p| (p, *line)));
            }
        }
        if let Some((script, line)) = &step.run {
            trusted_publishing(wf, step, script, *line, id_token, out);
        }
        if step
            .uses
            .as_ref()
            .is_some_and(|(r, _)| r.local_path().is_some_and(|p| !p.is_empty()))
            && let Some(flag) = after_local_action.get_mut(step.job)
        {
            *flag = true;
        }
    }
    for (p, line) in uses {
        if !out.has_auth(p) {
            out.auth(
                p,
                AuthMethod::Implicit,
                line,
                "cloud used without visible credentials",
            );
        }
    }
}

/// `uv publish` / `npm publish` with an OIDC token and no token variable in scope.
fn trusted_publishing(
    wf: &Workflow<'_>,
    step: &Step<'_>,
    script: &str,
    line: u32,
    id_token: bool,
    out: &mut Out,
) {
    let uv = script.contains("uv publish");
    if !(uv || npm_publish(script)) {
        return;
    }
    if uv
        && script.contains("--trusted-publishing")
        && !script.contains("--trusted-publishing=never")
    {
        out.auth(
            CloudProvider::Other,
            AuthMethod::Oidc,
            line,
            "uv publish --trusted-publishing",
        );
        return;
    }
    let env_has_token = |env: Option<Node<'_>>| {
        env.is_some_and(|e| e.entries().iter().any(|(k, _, _)| is_registry_token_var(k)))
    };
    let job_env = wf.jobs.get(step.job).and_then(|j| j.node.get("env"));
    let token_in_scope = env_has_token(step.node.get("env"))
        || env_has_token(job_env)
        || env_has_token(wf.root.get("env"))
        || script.contains("--token");
    if id_token && !token_in_scope {
        out.auth(
            CloudProvider::Other,
            AuthMethod::Oidc,
            line,
            "registry trusted publishing",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::gh;
    use crate::pipeline::FindingKind;
    use crate::pipeline::facts::{AuthMethod, CloudProvider};

    fn steps(s: &str) -> String {
        format!("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n{s}")
    }

    #[test]
    fn implicit_cli_and_actions() {
        let a = gh(&steps("      - uses: aws-actions/amazon-ecr-login@v2\n"));
        assert_eq!(a.facts.cloud_auth.len(), 1);
        assert_eq!(a.facts.cloud_auth[0].provider, CloudProvider::Aws);
        assert_eq!(a.facts.cloud_auth[0].method, AuthMethod::Implicit);
        assert_eq!(a.line_of(FindingKind::CloudAuth), Some(6));
    }

    #[test]
    fn local_action_before_cli_is_not_implicit() {
        let a = gh(&steps(
            "      - uses: ./.github/actions/login\n      - run: aws s3 ls\n",
        ));
        assert!(a.facts.cloud_auth.is_empty());
    }

    #[test]
    fn npm_token_is_not_trusted_publishing() {
        let y = "on: push\npermissions:\n  id-token: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM }}\n";
        let a = gh(y);
        assert_eq!(a.facts.cloud_auth.len(), 1);
        assert_eq!(a.facts.cloud_auth[0].method, AuthMethod::StaticKey);
    }
}
