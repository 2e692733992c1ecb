//! Band `identity`: `oidc-federation`, `no-static-cloud-keys`, `build-provenance`.

use crate::pipeline::FindingKind;
use crate::pipeline::{AuthMethod, CloudProvider};

use super::Status::{Fail, NotApplicable, Pass};
use super::Verdict;
use super::control::{Definition, RepoControl};
use super::judge::{RepoView, StaticKey};
use super::pipelines::{cite, cite_line, cite_unknown};
use super::{Band, Severity};

/// `oidc-federation`.
pub(crate) const OIDC_FEDERATION: RepoControl = RepoControl {
    def: Definition {
        id: "oidc-federation",
        band: Band::Identity,
        severity: Severity::High,
        title: "Cloud access uses OIDC federation",
        rationale: "Short-lived OIDC credentials cannot leak like long-lived keys, and the cloud side can pin them to a repository, branch and environment.",
        fix: "Replace key-based cloud logins with an OIDC role (role-to-assume / workload identity / federated client id) and grant id-token: write to the deploying job.",
    },
    judge: oidc_federation,
};

/// `no-static-cloud-keys`.
pub(crate) const NO_STATIC_CLOUD_KEYS: RepoControl = RepoControl {
    def: Definition {
        id: "no-static-cloud-keys",
        band: Band::Identity,
        severity: Severity::High,
        title: "No static cloud keys in secrets or pipelines",
        rationale: "A static cloud key in CI is a standing credential: anyone who can run a workflow can exfiltrate it.",
        fix: "Delete the static cloud key secrets after moving the pipeline to OIDC, and revoke the keys in the cloud account.",
    },
    judge: no_static_cloud_keys,
};

/// `build-provenance`.
pub(crate) const BUILD_PROVENANCE: RepoControl = RepoControl {
    def: Definition {
        id: "build-provenance",
        band: Band::Identity,
        severity: Severity::Medium,
        title: "Releases carry signed build provenance",
        rationale: "Signed provenance (SLSA) lets consumers verify what was built, from which source, by which pipeline.",
        fix: "Add actions/attest-build-provenance (or the SLSA generator) to the release job.",
    },
    judge: build_provenance,
};

/// Lower-case provider name for evidence.
pub(crate) fn provider_name(provider: CloudProvider) -> &'static str {
    match provider {
        CloudProvider::Aws => "aws",
        CloudProvider::Gcp => "gcp",
        CloudProvider::Azure => "azure",
        CloudProvider::Vault => "vault",
        CloudProvider::Other => "registry",
    }
}

/// `AWS_SECRET_ACCESS_KEY (repo secret)` / `(org secret)`.
fn describe_key(key: &StaticKey<'_>, gitlab: bool) -> String {
    let level = match (key.org, gitlab) {
        (false, false) => "repo secret",
        (true, false) => "org secret",
        (false, true) => "project variable",
        (true, true) => "group variable",
    };
    format!("{} ({level})", key.name)
}

fn oidc_federation(view: &RepoView<'_>) -> Verdict {
    let mut oidc = None;
    let mut implicit = None;
    for (path, analysis) in view.pipelines.ok() {
        for auth in &analysis.facts.cloud_auth {
            let provider = provider_name(auth.provider);
            match auth.method {
                AuthMethod::StaticKey => {
                    return cite_line(
                        Fail,
                        path,
                        analysis.auth_line(*auth),
                        &format!("cloud_auth {provider} static-key"),
                    );
                }
                AuthMethod::Implicit => {
                    implicit.get_or_insert((path, analysis.auth_line(*auth), provider));
                }
                AuthMethod::Oidc => {
                    oidc.get_or_insert((path, analysis.auth_line(*auth), provider));
                }
            }
        }
    }
    if let Some((path, line, provider)) = implicit
        && let Some(key) = view.static_keys.first()
    {
        return cite_line(
            Fail,
            path,
            line,
            &format!(
                "cloud_auth {provider} implicit, and static cloud key {} is visible to the repository",
                describe_key(key, view.gitlab())
            ),
        );
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    if let Some((path, line, provider)) = implicit {
        return cite_unknown(
            path,
            line,
            &format!(
                "cloud_auth {provider} implicit: the credential source is not visible in the file"
            ),
        );
    }
    match oidc {
        Some((path, line, provider)) => {
            let via = if view.gitlab() { "id_tokens" } else { "OIDC" };
            cite_line(
                Pass,
                path,
                line,
                &format!("cloud_auth {provider} oidc ({via}); no key-based cloud login"),
            )
        }
        None => Verdict::not_applicable(format!(
            "no pipeline authenticates to a cloud or registry ({})",
            view.pipelines.count()
        )),
    }
}

fn no_static_cloud_keys(view: &RepoView<'_>) -> Verdict {
    if let Some(key) = view.static_keys.first() {
        let source = if key.org {
            view.org_secrets_source()
        } else {
            view.api("/actions/secrets", "/variables").to_string()
        };
        let more = view.static_keys.len() - 1;
        let tail = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        return Verdict::fail(format!(
            "{source}: {} is a static cloud credential{tail}",
            describe_key(key, view.gitlab())
        ));
    }
    for (path, analysis) in view.pipelines.ok() {
        if let Some(name) = analysis.facts.static_key_secret_names.first() {
            let fact = if analysis
                .line_of(FindingKind::StaticKeySecretNames)
                .is_some()
            {
                FindingKind::StaticKeySecretNames
            } else {
                FindingKind::CloudAuth
            };
            return cite(
                Fail,
                path,
                analysis,
                fact,
                &format!("uses {name} as a static cloud credential"),
            );
        }
    }
    if let Some((source, why)) = &view.secrets_unreadable {
        return Verdict::unknown(source.clone(), why.explain());
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    let repo_count = view.repo.secrets.known().map_or(0, Vec::len);
    Verdict::pass(format!(
        "{}: {repo_count} secrets, none (nor any org secret shared with the repository) a static cloud key; no pipeline uses one",
        view.api("/actions/secrets", "/variables")
    ))
}

fn build_provenance(view: &RepoView<'_>) -> Verdict {
    for (path, analysis) in view.pipelines.ok() {
        if analysis.facts.provenance == Some(true) {
            return cite(
                Pass,
                path,
                analysis,
                FindingKind::Provenance,
                "produces signed provenance",
            );
        }
    }
    let release = &view.repo.latest_release;
    if let Some(Some(r)) = release.known()
        && r.attested == Some(true)
    {
        return Verdict::pass(format!(
            "{}: provenance for an asset of release {}",
            view.api("/attestations", "/releases"),
            r.tag
        ));
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    if let Some((path, analysis)) = view.pipelines.ok().find(|(_, a)| a.facts.publishes) {
        return cite(
            Fail,
            path,
            analysis,
            FindingKind::Publishes,
            "publishes without signed provenance",
        );
    }
    match release.as_result() {
        Ok(Some(r)) => Verdict::fail(format!(
            "{}: release {} has no attested asset and no pipeline produces provenance",
            view.api("/releases/latest", "/releases"),
            r.tag
        )),
        Ok(None) => Verdict::new(
            NotApplicable,
            "publishes nothing: no release and no pipeline job publishes",
        ),
        Err(why) => Verdict::unknown(
            view.api("/releases/latest", "/releases").to_string(),
            why.explain(),
        ),
    }
}
