//! Band `secrets`: `secret-scanning`, `push-protection`, `pipeline-secret-scan`,
//! `precommit-secret-hook`, `no-secrets-in-env`, `secret-rotation`.

use crate::pipeline::FindingKind;
use chrono::Duration;

use super::Status::{Fail, Pass};
use super::Verdict;
use super::control::{Definition, RepoControl};
use super::judge::RepoView;
use super::pipelines::{cite, yaml_error};
use super::{Band, Severity};

/// `secret-scanning`.
pub(crate) const SECRET_SCANNING: RepoControl = RepoControl {
    def: Definition {
        id: "secret-scanning",
        band: Band::Secrets,
        severity: Severity::High,
        title: "Secret scanning enabled",
        rationale: "The platform finds committed credentials before an attacker does.",
        fix: "Enable secret scanning for the repository.",
    },
    judge: secret_scanning,
};

/// `push-protection`.
pub(crate) const PUSH_PROTECTION: RepoControl = RepoControl {
    def: Definition {
        id: "push-protection",
        band: Band::Secrets,
        severity: Severity::High,
        title: "Secret push protection enabled",
        rationale: "Push protection stops a credential before it lands in history.",
        fix: "Enable secret scanning push protection.",
    },
    judge: push_protection,
};

/// `pipeline-secret-scan`.
pub(crate) const PIPELINE_SECRET_SCAN: RepoControl = RepoControl {
    def: Definition {
        id: "pipeline-secret-scan",
        band: Band::Secrets,
        severity: Severity::Medium,
        title: "A pipeline job scans for secrets",
        rationale: "Defence in depth: catches a fork merge or a skipped hook.",
        fix: "Add a gitleaks or TruffleHog job to the pipeline.",
    },
    judge: pipeline_secret_scan,
};

/// `precommit-secret-hook`.
pub(crate) const PRECOMMIT_SECRET_HOOK: RepoControl = RepoControl {
    def: Definition {
        id: "precommit-secret-hook",
        band: Band::Secrets,
        severity: Severity::Low,
        title: "Pre-commit secret-scanning hook",
        rationale: "Catches secrets on the developer's machine, before a push.",
        fix: "Add a gitleaks or detect-secrets hook to .pre-commit-config.yaml.",
    },
    judge: precommit_secret_hook,
};

/// `no-secrets-in-env`.
pub(crate) const NO_SECRETS_IN_ENV: RepoControl = RepoControl {
    def: Definition {
        id: "no-secrets-in-env",
        band: Band::Secrets,
        severity: Severity::Medium,
        title: "No secrets in workflow- or job-level env",
        rationale: "A secret in a broad env is exposed to every step, including third-party code.",
        fix: "Pass secrets only to the step that needs them (step-level env or with).",
    },
    judge: no_secrets_in_env,
};

/// `secret-rotation`.
pub(crate) const SECRET_ROTATION: RepoControl = RepoControl {
    def: Definition {
        id: "secret-rotation",
        band: Band::Secrets,
        severity: Severity::Low,
        title: "Secrets rotated within rotation_days",
        rationale: "Old secrets have had the longest time to leak.",
        fix: "Rotate secrets older than rotation_days.",
    },
    judge: secret_rotation,
};

fn enabled(on: bool) -> &'static str {
    if on { "enabled" } else { "disabled" }
}

fn secret_scanning(view: &RepoView<'_>) -> Verdict {
    let setting = &view.repo.secret_scanning;
    if !view.gitlab() {
        return match setting.as_result() {
            Ok(s) => Verdict::new(
                if s.secret_scanning { Pass } else { Fail },
                format!(
                    "security_and_analysis.secret_scanning: {}",
                    enabled(s.secret_scanning)
                ),
            ),
            Err(why) => Verdict::unknown(
                format!("GET /repos/{}: security_and_analysis", view.repo.name),
                why.explain(),
            ),
        };
    }
    // GitLab: a secret detection job in the pipeline, or the (Ultimate) project setting.
    if let Some((path, analysis)) = view.pipelines.ok().find(|(_, a)| a.facts.secret_scanner) {
        return cite(
            Pass,
            path,
            analysis,
            FindingKind::SecretScanner,
            "secret detection job",
        );
    }
    if let Some(s) = setting.known()
        && s.secret_scanning
    {
        return Verdict::pass("secret detection: enabled (project setting)");
    }
    if let Err(why) = setting.as_result() {
        return Verdict::unknown(
            format!(
                "{}: secret detection setting",
                view.api("", "/security_settings")
            ),
            why.explain(),
        );
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    Verdict::fail("no secret detection job in the pipeline; secret detection setting: disabled")
}

fn push_protection(view: &RepoView<'_>) -> Verdict {
    match &view.repo.gitlab {
        None => match view.repo.secret_scanning.as_result() {
            Ok(s) => Verdict::new(
                if s.push_protection { Pass } else { Fail },
                format!(
                    "security_and_analysis.secret_scanning_push_protection: {}",
                    enabled(s.push_protection)
                ),
            ),
            Err(why) => Verdict::unknown(
                format!("GET /repos/{}: security_and_analysis", view.repo.name),
                why.explain(),
            ),
        },
        Some(project) => match project.secret_push_protection.as_result() {
            Ok(&on) => Verdict::new(
                if on { Pass } else { Fail },
                format!("secret_push_protection_enabled: {on}"),
            ),
            Err(why) => Verdict::unknown(
                format!(
                    "GET /projects/{}/security_settings: secret_push_protection_enabled",
                    project.id
                ),
                why.explain(),
            ),
        },
    }
}

fn pipeline_secret_scan(view: &RepoView<'_>) -> Verdict {
    if let Some((path, analysis)) = view.pipelines.ok().find(|(_, a)| a.facts.secret_scanner) {
        return cite(
            Pass,
            path,
            analysis,
            FindingKind::SecretScanner,
            "a job runs a secret scanner",
        );
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    Verdict::fail(format!(
        "no pipeline job runs a secret scanner ({})",
        view.pipelines.count()
    ))
}

fn precommit_secret_hook(view: &RepoView<'_>) -> Verdict {
    let file = match view.repo.precommit.as_result() {
        Ok(Some(file)) => file,
        Ok(None) => return Verdict::fail("no .pre-commit-config.yaml"),
        Err(why) => {
            return Verdict::unknown(
                view.api(
                    "/contents/.pre-commit-config.yaml",
                    "/repository/files/.pre-commit-config.yaml",
                )
                .to_string(),
                why.explain(),
            );
        }
    };
    let Some(analysis) = view.judge.ctx.analysis(&file.hash) else {
        return Verdict::unknown(
            format!("{}: not analysed", file.path),
            format!("{}: the file's content is not in the snapshot", file.path),
        );
    };
    if let Some(error) = &analysis.error {
        return yaml_error(&file.path, error);
    }
    match analysis.facts.precommit_secret_hook {
        Some(true) => cite(
            Pass,
            &file.path,
            analysis,
            FindingKind::PrecommitSecretHook,
            "secret-scanning hook",
        ),
        _ => Verdict::fail(format!("{}: no secret-scanning hook", file.path)),
    }
}

fn no_secrets_in_env(view: &RepoView<'_>) -> Verdict {
    if view.gitlab() {
        return Verdict::not_applicable(
            "GitLab: every CI/CD variable is a job environment variable by design",
        );
    }
    if let Some((path, analysis)) = view
        .pipelines
        .ok()
        .find(|(_, a)| a.facts.workflow_or_job_env_secrets == Some(true))
    {
        return cite(
            Fail,
            path,
            analysis,
            FindingKind::WorkflowOrJobEnvSecrets,
            "workflow- or job-level env maps a secret",
        );
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    Verdict::pass(format!(
        "no workflow- or job-level env maps a secret ({})",
        view.pipelines.count()
    ))
}

fn secret_rotation(view: &RepoView<'_>) -> Verdict {
    let source = view.api("/actions/secrets", "/variables");
    let secrets = match view.repo.secrets.as_result() {
        Ok(secrets) => secrets,
        Err(why) => return Verdict::unknown(source.to_string(), why.explain()),
    };
    if secrets.is_empty() {
        return Verdict::not_applicable(format!("{source}: no repository-level secrets"));
    }
    if view.gitlab() {
        return Verdict::unknown(
            format!("{source}: {} variables", secrets.len()),
            "the variables API does not say when a variable last changed",
        );
    }
    let days = view.settings().rotation_days;
    let taken_at = view.judge.ctx.snapshot.taken_at;
    let limit = Duration::days(i64::from(days));
    let mut stale = 0usize;
    let mut oldest: Option<(&str, Duration)> = None;
    for secret in secrets {
        if let Some(at) = secret.updated_at {
            let age = taken_at - at;
            if age > limit {
                stale += 1;
                if oldest.is_none_or(|(_, a)| age > a) {
                    oldest = Some((&secret.name, age));
                }
            }
        }
    }
    if let Some((name, age)) = oldest {
        let tail = if stale > 1 {
            format!(" (+{} more)", stale - 1)
        } else {
            String::new()
        };
        return Verdict::fail(format!(
            "{source}: {name} updated {} days before the snapshot (limit {days}){tail}",
            age.num_days()
        ));
    }
    if let Some(undated) = secrets.iter().find(|s| s.updated_at.is_none()) {
        return Verdict::unknown(
            format!("{source}: {} has no updated_at", undated.name),
            format!("{source}: no update time for {}", undated.name),
        );
    }
    Verdict::pass(format!(
        "{source}: {} secrets, all updated within {days} days of the snapshot",
        secrets.len()
    ))
}
