//! `cloud_auth`, `static_key_secret_names` and `secret_names` for GitLab CI: `id_tokens`
//! exchanged for cloud credentials, cloud key variables (declared or read by scripts), and
//! cloud CLIs whose credentials come from CI/CD variables the file does not show.

use std::sync::LazyLock;

use regex::Regex;

use super::Job;
use crate::pipeline::collect::Out;
use crate::pipeline::facts::{AuthMethod, CloudProvider};
use crate::pipeline::text::{cloud_clis, static_key_name_provider};
use crate::pipeline::yaml::Node;

static AWS_CONFIGURE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r#"(?i)aws\s+configure\s+set\s+(?:aws_access_key_id|aws_secret_access_key)\s+["']?\$\{?(\w+)"#)
        .expect("valid built-in regex")
});

static KEY_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r#"\b([A-Za-z_][A-Za-z0-9_]*)=["']?\$\{?([A-Za-z_][A-Za-z0-9_]*)"#)
        .expect("valid built-in regex")
});

static VAR_REF: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").expect("valid built-in regex")
});

/// Markers of an OIDC exchange per provider (in scripts or variables).
const OIDC_MARKERS: &[(CloudProvider, &[&str])] = &[
    (
        CloudProvider::Aws,
        &[
            "assume-role-with-web-identity",
            "web_identity_token_file",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN",
        ],
    ),
    (
        CloudProvider::Gcp,
        &[
            "workload-identity",
            "workload_identity",
            "--credential-source",
            "external_account",
        ],
    ),
    (
        CloudProvider::Azure,
        &["--federated-token", "AZURE_FEDERATED_TOKEN"],
    ),
    (
        CloudProvider::Vault,
        &["auth/jwt", "vault write auth/", "VAULT_ID_TOKEN"],
    ),
];

fn looks_secret(name: &str) -> bool {
    let u = name.to_ascii_uppercase();
    !u.starts_with("CI_")
        && [
            "TOKEN",
            "KEY",
            "SECRET",
            "PASSWORD",
            "PASS",
            "PAT",
            "CREDENTIALS",
        ]
        .iter()
        .any(|s| u.ends_with(s))
}

fn variables<'a>(node: Node<'a>) -> Vec<(&'a str, u32, Option<&'a str>)> {
    node.get("variables")
        .map(|v| {
            v.entries()
                .into_iter()
                .map(|(k, key, val)| (k, key.line(), val.as_str().or_else(|| val.str_of("value"))))
                .collect()
        })
        .unwrap_or_default()
}

/// Record the GitLab auth facts.
pub fn analyse(root: Node<'_>, jobs: &[Job<'_>], id_tokens: bool, out: &mut Out) {
    let mut scopes: Vec<(&str, Node<'_>)> = vec![("(global)", root)];
    scopes.extend(
        jobs.iter()
            .filter(|j| j.name != "(global)")
            .map(|j| (j.name, j.node)),
    );
    let mut all_text = String::new();
    for (_, node) in &scopes {
        for (key, line, value) in variables(*node) {
            all_text.push_str(key);
            all_text.push('=');
            all_text.push_str(value.unwrap_or_default());
            all_text.push('\n');
            if let Some(p) = static_key_name_provider(key) {
                let source = value
                    .map(str::trim)
                    .and_then(|v| v.strip_prefix('$'))
                    .map(|v| v.trim_start_matches('{').trim_end_matches('}'))
                    .filter(|v| {
                        v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                            && !v.is_empty()
                            && *v != key
                    })
                    .unwrap_or(key);
                out.auth(p, AuthMethod::StaticKey, line, &format!("variable {key}"));
                out.static_name(source, line);
            } else {
                // `TF_VAR_secret_key: $AWS_SECRET_ACCESS_KEY`
                for c in VAR_REF.captures_iter(value.unwrap_or_default()) {
                    let Some(name) = c.get(1).map(|m| m.as_str()) else {
                        continue;
                    };
                    if let Some(p) = static_key_name_provider(name) {
                        out.auth(
                            p,
                            AuthMethod::StaticKey,
                            line,
                            &format!("variable {key} reads ${name}"),
                        );
                        out.static_name(name, line);
                    }
                }
            }
        }
    }
    for job in jobs {
        all_text.push_str(&job.script);
        for c in VAR_REF.captures_iter(&job.script) {
            let Some(name) = c.get(1).map(|m| m.as_str()) else {
                continue;
            };
            if looks_secret(name) {
                out.secret_name(name);
            }
            // Only cloud key names are worth the (linear) assignment check.
            if let Some(p) = static_key_name_provider(name)
                && !job.script.contains(&format!("{name}="))
            {
                out.auth(
                    p,
                    AuthMethod::StaticKey,
                    job.script_line,
                    &format!("script reads ${name}"),
                );
                out.static_name(name, job.script_line);
            }
        }
    }
    for job in jobs {
        // `export AWS_SECRET_ACCESS_KEY=$PROD_SECRET`
        for c in KEY_ASSIGNMENT.captures_iter(&job.script) {
            let (Some(target), Some(source)) = (c.get(1), c.get(2)) else {
                continue;
            };
            if let Some(p) = static_key_name_provider(target.as_str())
                && source.as_str() != target.as_str()
            {
                out.auth(
                    p,
                    AuthMethod::StaticKey,
                    job.script_line,
                    "cloud key assigned from a variable",
                );
                out.static_name(source.as_str(), job.script_line);
            }
        }
        for c in AWS_CONFIGURE_KEY.captures_iter(&job.script) {
            if let Some(name) = c.get(1).map(|m| m.as_str()) {
                out.auth(
                    CloudProvider::Aws,
                    AuthMethod::StaticKey,
                    job.script_line,
                    "aws configure set with a key variable",
                );
                out.static_name(name, job.script_line);
            }
        }
        secrets_keyword(job, id_tokens, out);
        for (provider, login, via_file) in crate::pipeline::text::cli_key_logins(&job.script) {
            out.auth(
                provider,
                AuthMethod::StaticKey,
                job.script_line,
                "CLI login with a long-lived key",
            );
            let source = if via_file { job.script.as_str() } else { login };
            for c in VAR_REF.captures_iter(source) {
                let Some(name) = c.get(1).map(|m| m.as_str()) else {
                    continue;
                };
                if crate::pipeline::text::credential_like(name) {
                    out.static_name(name, job.script_line);
                }
            }
        }
    }
    if id_tokens {
        for (provider, markers) in OIDC_MARKERS {
            if markers.iter().any(|m| all_text.contains(m)) {
                let line = jobs
                    .iter()
                    .find(|j| markers.iter().any(|m| j.script.contains(m)))
                    .map(|j| j.script_line)
                    .unwrap_or(1);
                out.auth(
                    *provider,
                    AuthMethod::Oidc,
                    line,
                    "id_tokens exchanged for credentials",
                );
            }
        }
    }
    for job in jobs {
        for p in cloud_clis(&job.script) {
            if !out.has_auth(p) {
                let method = if id_tokens {
                    AuthMethod::Oidc
                } else {
                    AuthMethod::Implicit
                };
                out.auth(
                    p,
                    method,
                    job.script_line,
                    &format!("job {} uses a cloud CLI", job.name),
                );
            }
        }
    }
}

/// The `secrets:` keyword: Vault, GCP Secret Manager and Azure Key Vault are reached with
/// an ID token (`id_tokens`), or with the legacy job JWT when the file declares none.
fn secrets_keyword(job: &Job<'_>, id_tokens: bool, out: &mut Out) {
    if job.name == "(global)" {
        return;
    }
    let Some(secrets) = job.node.get("secrets") else {
        return;
    };
    for (name, key, spec) in secrets.entries() {
        let provider = if spec.get("vault").is_some() {
            CloudProvider::Vault
        } else if spec.get("gcp_secret_manager").is_some() {
            CloudProvider::Gcp
        } else if spec.get("azure_key_vault").is_some() {
            CloudProvider::Azure
        } else {
            continue;
        };
        let method = if id_tokens {
            AuthMethod::Oidc
        } else {
            AuthMethod::Implicit
        };
        out.auth(
            provider,
            method,
            key.line(),
            &format!("job {} secret {name}", job.name),
        );
    }
}
