//! Text rules shared by the GitHub and GitLab analysers: secret references, shell commands
//! (scanners, cloud CLIs, publishing, keyless signing) and cloud credential names. Regexes are
//! compiled once per process.

use std::sync::LazyLock;

use regex::Regex;

use super::facts::CloudProvider;

#[allow(clippy::expect_used)]
fn re(pattern: &str) -> Regex {
    // Patterns are literals of this module, covered by its tests.
    Regex::new(pattern).expect("valid built-in regex")
}

static SECRET_REF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:^|[^A-Za-z0-9_.-])secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*['"]([^'"]+)['"]\s*\])"#,
    )
});

static SECRET_CONTEXT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|[^A-Za-z0-9_.-])secrets\s*[.\[)]"));

static SCANNER_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:gitleaks(?::\S*)?\s+(?:detect|git|dir|protect)\b|trufflehog(?::\S*)?\s+(?:git|filesystem|github|gitlab)\b|ggshield(?::\S*)?\s+secret\s+scan\b|detect-secrets(?:-hook\b|\s+scan\b))",
    )
});

static AWS_CLI: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)(?:^|[\s;&|(`$])aws\s+(?:--\S+\s+)*[a-z][a-z0-9-]+(?:\s|$)"));
static GCP_CLI: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)(?:^|[\s;&|(`$])(?:gcloud\s+[a-z]|gsutil\s+[a-z-])"));
static AZ_CLI: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)(?:^|[\s;&|(`$])az\s+(?:login|account|group|webapp|aks|acr|storage|functionapp|deployment|keyvault|vm|network|resource|ad|role|containerapp|cosmosdb|sql|staticwebapp)\b",
    )
});

static VAULT_CLI: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)(?:^|[\s;&|(`$])vault\s+(?:kv|read|write|login|token|secrets|auth|list)\s")
});

static AZ_LOGIN: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[\s;&|(`$])az\s+login\b"));
static VAULT_LOGIN: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[\s;&|(`$])vault\s+login\s+\S"));

static PUBLISH_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:docker\s+push|docker\s+buildx\s+build\b[^\n]*--push|podman\s+push|npm\s+publish|yarn\s+(?:npm\s+)?publish|pnpm\s+publish|cargo\s+publish|twine\s+upload|uv\s+publish|poetry\s+publish|gh\s+release\s+create|semantic-release|goreleaser\s+release|changeset\s+publish|mvn\s+deploy|gradle\w*\s+publish)\b",
    )
});

static COSIGN_CMD: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bcosign\s+(?:sign|attest|sign-blob|attest-blob)\b"));

static REGISTRY_PUBLISH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:npm\s+publish|yarn\s+(?:npm\s+)?publish|pnpm\s+publish|cargo\s+publish|twine\s+upload|uv\s+publish|poetry\s+publish|flit\s+publish|hatch\s+publish)\b",
    )
});

static NPM_PUBLISH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:npm\s+publish|semantic-release|changeset\s+publish|yarn\s+npm\s+publish|pnpm\s+publish)\b",
    )
});

/// Secret names referenced by `secrets.X` / `secrets['X']` (the context is case-insensitive).
pub fn secret_refs(text: &str) -> Vec<&str> {
    SECRET_REF
        .captures_iter(text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()))
        .collect()
}

/// True when `text` references the `secrets` context.
pub fn has_secret_ref(text: &str) -> bool {
    SECRET_CONTEXT.is_match(text)
}

/// A shell script without its comment lines (`# ...`).
pub fn strip_shell_comments(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    for line in script.lines() {
        if !line.trim_start().starts_with('#') {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The script runs a secret scanner over a repository.
pub fn runs_secret_scanner(script: &str) -> bool {
    SCANNER_CMD.find_iter(script).any(|m| {
        // A scan aimed at test data or fixtures is not a scan of the repository.
        let rest = script[m.end()..].lines().next().unwrap_or_default();
        ![
            "testdata",
            "test-data",
            "fixtures",
            "tests/",
            "test/",
            "corpora",
        ]
        .iter()
        .any(|t| rest.contains(t))
    })
}

/// Cloud CLIs the script uses.
pub fn cloud_clis(script: &str) -> Vec<CloudProvider> {
    let mut out = Vec::new();
    // `--no-sign-request` reads public buckets without credentials.
    if AWS_CLI.is_match(script)
        && script
            .lines()
            .any(|l| AWS_CLI.is_match(l) && !l.contains("--no-sign-request"))
    {
        out.push(CloudProvider::Aws);
    }
    if GCP_CLI.is_match(script) {
        out.push(CloudProvider::Gcp);
    }
    if AZ_CLI.is_match(script) {
        out.push(CloudProvider::Azure);
    }
    if VAULT_CLI.is_match(script) {
        out.push(CloudProvider::Vault);
    }
    out
}

/// Cloud CLI logins with a long-lived key: `gcloud auth activate-service-account`, `az login
/// --service-principal` with a password/secret, `vault login <token>`. Returns the provider,
/// the login line, and whether the key is usually written to a file on an earlier line.
pub fn cli_key_logins(script: &str) -> Vec<(CloudProvider, &str, bool)> {
    let mut out = Vec::new();
    for line in script.lines() {
        if line.contains("gcloud auth activate-service-account") {
            out.push((CloudProvider::Gcp, line, true));
        } else if AZ_LOGIN.is_match(line)
            && line.contains("--service-principal")
            && !line.contains("--federated-token")
        {
            out.push((CloudProvider::Azure, line, false));
        } else if VAULT_LOGIN.is_match(line) && !line.contains("-method=") {
            out.push((CloudProvider::Vault, line, false));
        }
    }
    out
}

/// A variable name that looks like it holds a key file or secret (for key-file logins).
pub fn credential_like(name: &str) -> bool {
    let u = name.to_ascii_uppercase();
    !u.starts_with("CI_")
        && ["KEY", "CRED", "JSON", "SERVICE_ACCOUNT", "SECRET", "TOKEN"]
            .iter()
            .any(|p| u.contains(p))
}

/// The first publishing command in the script.
pub fn publish_command(script: &str) -> Option<&str> {
    PUBLISH_CMD.find(script).map(|m| m.as_str())
}

/// A command that publishes to a package registry with an OIDC option (npm, PyPI, crates.io).
pub fn registry_publish(line: &str) -> bool {
    REGISTRY_PUBLISH.is_match(line)
}

/// The script publishes to npm.
pub fn npm_publish(script: &str) -> bool {
    NPM_PUBLISH.is_match(script)
}

/// The script signs or attests keylessly with cosign (a `cosign sign|attest` command whose
/// backslash-continued command line has no `--key`).
pub fn cosign_keyless(script: &str) -> bool {
    for m in COSIGN_CMD.find_iter(script) {
        let rest = &script[m.end()..];
        let mut end = rest.len();
        let mut offset = 0;
        for line in rest.split_inclusive('\n') {
            offset += line.len();
            if !line.trim_end().ends_with('\\') {
                end = offset;
                break;
            }
        }
        let cmd = &rest[..end.min(rest.len())];
        if !cmd.contains("--key") {
            return true;
        }
    }
    false
}

/// Which cloud a credential name belongs to, when the name is a static cloud credential
/// (compared case-insensitively, equal to or ending in `_` + a known name; `spec/controls.md`).
pub fn static_key_name_provider(name: &str) -> Option<CloudProvider> {
    const NAMES: &[(&str, CloudProvider)] = &[
        ("AWS_SECRET_ACCESS_KEY", CloudProvider::Aws),
        ("AWS_ACCESS_KEY_ID", CloudProvider::Aws),
        ("AWS_ACCESS_KEY", CloudProvider::Aws),
        ("GCP_SA_KEY", CloudProvider::Gcp),
        ("GCP_CREDENTIALS", CloudProvider::Gcp),
        ("GOOGLE_CREDENTIALS", CloudProvider::Gcp),
        ("GOOGLE_APPLICATION_CREDENTIALS", CloudProvider::Gcp),
        ("GOOGLE_GHA_CREDS_PATH", CloudProvider::Gcp),
        ("AZURE_CREDENTIALS", CloudProvider::Azure),
        ("AZURE_CLIENT_SECRET", CloudProvider::Azure),
        ("ARM_CLIENT_SECRET", CloudProvider::Azure),
        ("VAULT_TOKEN", CloudProvider::Vault),
    ];
    let upper = name.to_ascii_uppercase();
    NAMES.iter().find_map(|(n, p)| {
        let hit = upper == *n
            || (upper.len() > n.len()
                && upper.ends_with(n)
                && upper.as_bytes()[upper.len() - n.len() - 1] == b'_');
        hit.then_some(*p)
    })
}

/// Registry token variables (package registries with an OIDC option).
pub fn is_registry_token_var(name: &str) -> bool {
    matches!(
        name.to_ascii_uppercase().as_str(),
        "NPM_TOKEN"
            | "NODE_AUTH_TOKEN"
            | "TWINE_PASSWORD"
            | "UV_PUBLISH_TOKEN"
            | "UV_PUBLISH_PASSWORD"
            | "CARGO_REGISTRY_TOKEN"
            | "POETRY_PYPI_TOKEN_PYPI"
            | "PYPI_TOKEN"
            | "PYPI_API_TOKEN"
            | "DEPOT_TOKEN"
    )
}

/// True for a full 40-hex commit SHA.
pub fn is_full_sha(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_refs_are_case_insensitive_and_bracketed() {
        assert_eq!(
            secret_refs("${{ secrets.A }} ${{ SECRETS.b_c }} ${{ secrets['D-E'] }}"),
            vec!["A", "b_c", "D-E"]
        );
        assert!(!has_secret_ref("${{ steps.auth.outputs.token }}"));
        assert!(has_secret_ref("${{ toJSON(secrets) }}"));
    }

    #[test]
    fn scanner_commands() {
        assert!(runs_secret_scanner("gitleaks detect -v -r x.json"));
        assert!(runs_secret_scanner(
            "docker run trufflesecurity/trufflehog:latest git file://."
        ));
        assert!(runs_secret_scanner("ggshield secret scan ci"));
        assert!(!runs_secret_scanner("go build -o /tmp/trufflehog-pr ."));
        assert!(!runs_secret_scanner(
            "gitleaks detect --no-git --source testdata/leaks"
        ));
        assert!(!runs_secret_scanner(
            "docker build -t zricethezav/gitleaks ."
        ));
    }

    #[test]
    fn cloud_cli_usage() {
        assert_eq!(cloud_clis("aws s3 cp a b"), vec![CloudProvider::Aws]);
        assert_eq!(
            cloud_clis("x=$(aws sts get-caller-identity)"),
            vec![CloudProvider::Aws]
        );
        assert!(cloud_clis("pip install awscli").is_empty());
        assert!(cloud_clis("aws s3 cp --no-sign-request s3://pub/x .").is_empty());
        assert_eq!(cloud_clis("gcloud auth list"), vec![CloudProvider::Gcp]);
        assert_eq!(cloud_clis("az account show"), vec![CloudProvider::Azure]);
        assert_eq!(
            cloud_clis("vault kv get secret/x"),
            vec![CloudProvider::Vault]
        );
        assert!(cloud_clis("echo vault").is_empty());
    }

    #[test]
    fn cosign_keyless_vs_key() {
        assert!(cosign_keyless("cosign sign --yes img@sha256:abc"));
        assert!(!cosign_keyless("cosign sign --key cosign.key img"));
        assert!(!cosign_keyless("cosign sign \\\n  --key k.key img"));
        assert!(!cosign_keyless("cosign version"));
    }

    #[test]
    fn static_key_names() {
        assert_eq!(
            static_key_name_provider("PROD_AWS_SECRET_ACCESS_KEY"),
            Some(CloudProvider::Aws)
        );
        assert_eq!(static_key_name_provider("AZURE_CLIENT_ID"), None);
        assert_eq!(static_key_name_provider("XAWS_ACCESS_KEY_ID"), None);
        assert_eq!(
            static_key_name_provider("gcp_sa_key"),
            Some(CloudProvider::Gcp)
        );
    }

    #[test]
    fn key_logins() {
        let s = "echo $GCP_KEY > k.json\ngcloud auth activate-service-account --key-file k.json\naz login --service-principal -u $ID -p $SECRET --tenant $T\naz login --service-principal --federated-token $TOK\n";
        let found: Vec<CloudProvider> = cli_key_logins(s).iter().map(|(p, _, _)| *p).collect();
        assert_eq!(found, vec![CloudProvider::Gcp, CloudProvider::Azure]);
        assert!(credential_like("GCP_SERVICE_KEY"));
        assert!(!credential_like("CI_JOB_TOKEN"));
    }

    #[test]
    fn publish_and_sha() {
        assert_eq!(
            publish_command("npm ci && npm publish"),
            Some("npm publish")
        );
        assert!(publish_command("docker build .").is_none());
        assert!(is_full_sha("8e5e7e5ab8b370d6c329ec480221332ada57f0ab"));
        assert!(!is_full_sha("v4"));
    }
}
