//! `cloud_auth` and `static_key_secret_names` for GitHub Actions: the login actions (AWS,
//! GCP, Azure, Vault, PyPI/crates.io trusted publishing, Depot), cloud credentials mapped
//! from secrets in `env:`/`with:`/`run:`, registry tokens, and cloud CLIs whose credentials
//! the file never shows (`implicit`).

use super::{Step, Workflow};
use crate::pipeline::collect::Out;
use crate::pipeline::facts::{AuthMethod, CloudProvider};
use crate::pipeline::text::{
    has_secret_ref, is_registry_token_var, secret_refs, static_key_name_provider,
};
use crate::pipeline::yaml::Node;

use AuthMethod::{Implicit, Oidc, StaticKey};
use CloudProvider::{Aws, Azure, Gcp, Other, Vault};

/// Record the names of secrets in `value` as static cloud credentials.
fn static_names(out: &mut Out, value: Option<&str>, line: u32) {
    for name in value.map(secret_refs).unwrap_or_default() {
        out.static_name(name, line);
    }
}

/// Secrets in an azure/login `creds`: the whole value when it is one secret, else the
/// secrets under a key naming a secret (`"clientSecret": "${{ secrets.X }}"`).
fn azure_creds_names(creds: &str) -> Vec<&str> {
    if !creds.contains(':') || creds.trim().starts_with("${{") && !creds.contains('{') {
        return secret_refs(creds);
    }
    let trimmed = creds.trim();
    if trimmed.starts_with("${{") && trimmed.ends_with("}}") && trimmed.matches("${{").count() == 1
    {
        return secret_refs(creds);
    }
    creds
        .split(',')
        .filter(|part| {
            part.split(':')
                .next()
                .is_some_and(|k| k.to_ascii_lowercase().contains("secret"))
        })
        .flat_map(secret_refs)
        .collect()
}

fn login_action(step: &Step<'_>, id_token: bool, out: &mut Out) {
    let Some((r, line)) = &step.uses else { return };
    let line = *line;
    if r.is("aws-actions/configure-aws-credentials") {
        if step.input("aws-access-key-id").is_some()
            || step.input("aws-secret-access-key").is_some()
        {
            out.auth(
                Aws,
                StaticKey,
                line,
                "configure-aws-credentials with access keys",
            );
            static_names(
                out,
                step.input("aws-access-key-id"),
                step.input_line("aws-access-key-id"),
            );
            static_names(
                out,
                step.input("aws-secret-access-key"),
                step.input_line("aws-secret-access-key"),
            );
        } else if step.input("role-to-assume").is_some() {
            out.auth(Aws, Oidc, line, "configure-aws-credentials role-to-assume");
        } else {
            out.auth(
                Aws,
                Implicit,
                line,
                "configure-aws-credentials without visible credentials",
            );
        }
    } else if r.is("google-github-actions/auth") {
        if let Some(key) = step.input("credentials_json") {
            out.auth(
                Gcp,
                StaticKey,
                line,
                "google-github-actions/auth credentials_json",
            );
            static_names(out, Some(key), step.input_line("credentials_json"));
        } else if step.input("workload_identity_provider").is_some() {
            out.auth(
                Gcp,
                Oidc,
                line,
                "google-github-actions/auth workload_identity_provider",
            );
        } else {
            out.auth(
                Gcp,
                Implicit,
                line,
                "google-github-actions/auth without visible credentials",
            );
        }
    } else if r.is("google-github-actions/setup-gcloud") {
        if let Some(key) = step.input("service_account_key") {
            out.auth(Gcp, StaticKey, line, "setup-gcloud service_account_key");
            static_names(out, Some(key), step.input_line("service_account_key"));
        }
    } else if r.is("azure/login") {
        if let Some(creds) = step.input("creds") {
            out.auth(Azure, StaticKey, line, "azure/login creds");
            for name in azure_creds_names(creds) {
                out.static_name(name, step.input_line("creds"));
            }
        } else if step.input("client-id").is_some() {
            out.auth(Azure, Oidc, line, "azure/login client-id without a secret");
        } else {
            out.auth(
                Azure,
                Implicit,
                line,
                "azure/login without visible credentials",
            );
        }
    } else if (r.is("azure/webapps-deploy") || r.is("azure/functions-action"))
        && let Some(profile) = step.input("publish-profile")
    {
        out.auth(Azure, StaticKey, line, "publish profile from a secret");
        static_names(out, Some(profile), step.input_line("publish-profile"));
    } else if r.is("hashicorp/vault-action") {
        let method = step
            .input("method")
            .unwrap_or("token")
            .trim()
            .to_ascii_lowercase();
        if method == "jwt" && step.input("jwtPrivateKey").is_none() {
            out.auth(Vault, Oidc, line, "vault-action method: jwt");
        } else {
            out.auth(
                Vault,
                StaticKey,
                line,
                &format!("vault-action method: {method}"),
            );
            static_names(out, step.input("token"), step.input_line("token"));
            for input in ["secretId", "githubToken", "password"] {
                static_names(out, step.input(input), step.input_line(input));
            }
        }
    } else if r.is("pypa/gh-action-pypi-publish") {
        if step.input("password").is_some() {
            out.auth(Other, StaticKey, line, "PyPI upload with an API token");
        } else {
            out.auth(Other, Oidc, line, "PyPI trusted publishing");
        }
    } else if r.is("docker/login-action") {
        registry_login(step, line, out);
    } else if r.is("rust-lang/crates-io-auth-action") {
        out.auth(Other, Oidc, line, "crates.io trusted publishing");
    } else if r.repo.starts_with("depot/") {
        if step.input("token").is_some() {
            out.auth(Other, StaticKey, line, "Depot token");
        } else if id_token {
            out.auth(Other, Oidc, line, "Depot OIDC");
        }
    }
}

/// A cloud container registry (ECR, GCR/Artifact Registry, ACR) logged into with a key from
/// a secret is a static cloud credential; `GITHUB_TOKEN`/Docker Hub logins are not listed.
fn registry_login(step: &Step<'_>, line: u32, out: &mut Out) {
    let registry = step
        .input("registry")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let provider = if registry.contains(".amazonaws.com") {
        Aws
    } else if registry.contains("gcr.io") || registry.contains("pkg.dev") {
        Gcp
    } else if registry.contains("azurecr.io") {
        Azure
    } else {
        return;
    };
    let Some(password) = step.input("password").filter(|p| has_secret_ref(p)) else {
        return;
    };
    out.auth(provider, StaticKey, line, "cloud registry login with a key");
    static_names(out, Some(password), step.input_line("password"));
    if provider == Aws {
        static_names(out, step.input("username"), step.input_line("username"));
    }
}

/// `env:`-style entries: cloud-key variables or registry tokens mapped from secrets.
fn env_entries(entries: Node<'_>, out: &mut Out) {
    for (key, key_node, value) in entries.entries() {
        let Some(v) = value.as_str() else { continue };
        if !has_secret_ref(v) {
            continue;
        }
        let line = key_node.line();
        let refs = secret_refs(v);
        let provider = static_key_name_provider(key)
            .or_else(|| refs.iter().find_map(|n| static_key_name_provider(n)));
        if let Some(p) = provider {
            out.auth(p, StaticKey, line, &format!("{key} from a secret"));
            for name in refs {
                out.static_name(name, line);
            }
        } else if is_registry_token_var(key)
            && !refs.iter().all(|n| n.eq_ignore_ascii_case("GITHUB_TOKEN"))
        {
            out.auth(
                Other,
                StaticKey,
                line,
                &format!("{key} registry token from a secret"),
            );
        }
    }
}

/// `with:` inputs that carry cloud keys (`aws-secret-access-key`, `AWS_SECRET_ACCESS_KEY`…).
fn with_entries(with: Node<'_>, out: &mut Out) {
    for (key, key_node, value) in with.entries() {
        let Some(v) = value.as_str() else { continue };
        if !has_secret_ref(v) {
            continue;
        }
        let norm = key.replace('-', "_");
        let refs = secret_refs(v);
        let provider = static_key_name_provider(&norm)
            .or_else(|| refs.iter().find_map(|n| static_key_name_provider(n)));
        if let Some(p) = provider {
            let line = key_node.line();
            out.auth(p, StaticKey, line, &format!("input {key} from a secret"));
            for name in refs {
                out.static_name(name, line);
            }
        }
    }
}

/// Inline `${{ secrets.X }}` on a run line that configures cloud keys.
fn run_lines(script: &str, line: u32, out: &mut Out) {
    for l in script.lines() {
        if !has_secret_ref(l) {
            continue;
        }
        let lower = l.to_ascii_lowercase();
        let provider = if lower.contains("aws_access_key_id")
            || lower.contains("aws_secret_access_key")
        {
            Some(Aws)
        } else if lower.contains("google_application_credentials") || lower.contains("gcp_sa_key") {
            Some(Gcp)
        } else if lower.contains("azure_client_secret") || lower.contains("arm_client_secret") {
            Some(Azure)
        } else {
            secret_refs(l)
                .iter()
                .find_map(|n| static_key_name_provider(n))
        };
        if provider.is_none() && crate::pipeline::text::registry_publish(l) {
            out.auth(
                Other,
                StaticKey,
                line,
                "registry token from a secret in run:",
            );
            continue;
        }
        if let Some(p) = provider {
            out.auth(p, StaticKey, line, "cloud key from a secret in run:");
            for name in secret_refs(l) {
                out.static_name(name, line);
            }
        }
    }
}

/// CLI logins with long-lived keys; the key comes from a secret in the script.
fn key_logins(script: &str, line: u32, out: &mut Out) {
    for (provider, login, via_file) in crate::pipeline::text::cli_key_logins(script) {
        out.auth(provider, StaticKey, line, "CLI login with a long-lived key");
        let source = if via_file { script } else { login };
        for name in secret_refs(source) {
            if !via_file || crate::pipeline::text::credential_like(name) {
                out.static_name(name, line);
            }
        }
    }
}

/// Record `cloud_auth` and `static_key_secret_names`.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let id_token = out.facts.uses_id_token_write || wf.composite;
    if let Some(env) = wf.root.get("env") {
        env_entries(env, out);
    }
    for job in &wf.jobs {
        if let Some(env) = job.node.get("env") {
            env_entries(env, out);
        }
    }
    for step in &wf.steps {
        login_action(step, id_token, out);
        if let Some(env) = step.node.get("env") {
            env_entries(env, out);
        }
        if let Some(with) = step.with {
            let is_login = step.uses.as_ref().is_some_and(|(r, _)| {
                r.is("aws-actions/configure-aws-credentials")
                    || r.is("google-github-actions/auth")
                    || r.is("azure/login")
            });
            if !is_login {
                with_entries(with, out);
            }
        }
        if let Some((script, line)) = &step.run {
            run_lines(script, *line, out);
            key_logins(script, *line, out);
        }
    }
    super::usage::analyse(wf, id_token, out);
}

#[cfg(test)]
mod tests;
