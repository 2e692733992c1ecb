//! Band `policy`: `deploy-gate`, `codeowners`.

use crate::model::Environment;

use super::Verdict;
use super::control::{Definition, RepoControl};
use super::judge::RepoView;
use super::{Band, Severity};

/// `deploy-gate`.
pub(crate) const DEPLOY_GATE: RepoControl = RepoControl {
    def: Definition {
        id: "deploy-gate",
        band: Band::Policy,
        severity: Severity::High,
        title: "Production environments are gated",
        rationale: "A production deployment should need a reviewer or a protected branch.",
        fix: "Add required reviewers or restrict production deployments to protected branches.",
    },
    judge: deploy_gate,
};

/// `codeowners`.
pub(crate) const CODEOWNERS: RepoControl = RepoControl {
    def: Definition {
        id: "codeowners",
        band: Band::Policy,
        severity: Severity::Low,
        title: "CODEOWNERS file present",
        rationale: "Code owners route reviews to the people responsible for the code.",
        fix: "Add a CODEOWNERS file in .github/.",
    },
    judge: codeowners,
};

/// Where GitHub reads CODEOWNERS.
const GITHUB_CODEOWNERS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
/// Where GitLab reads CODEOWNERS.
const GITLAB_CODEOWNERS: [&str; 3] = ["CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"];

/// Why an environment is gated, or `None` when it is not.
fn gate(env: &Environment, gitlab: bool) -> Option<String> {
    if gitlab {
        return env.protected.then(|| "protected environment".to_owned());
    }
    if env.required_reviewers > 0 {
        Some(format!("{} required reviewers", env.required_reviewers))
    } else if env.protected_branches_only {
        Some("deployments restricted to protected branches".to_owned())
    } else {
        None
    }
}

fn deploy_gate(view: &RepoView<'_>) -> Verdict {
    let source = || view.api("/environments", "/environments");
    let envs = match view.repo.environments.as_result() {
        Ok(envs) => envs,
        Err(why) => return Verdict::unknown(source().to_string(), why.explain()),
    };
    let patterns = &view.judge.ctx.production_environments;
    let mut gated = None;
    let mut count = 0usize;
    for env in envs.iter().filter(|e| patterns.is_match(&e.name)) {
        count += 1;
        match gate(env, view.gitlab()) {
            Some(why) => {
                gated.get_or_insert_with(|| format!("environment {}: {why}", env.name));
            }
            None => {
                let missing = if view.gitlab() {
                    "not a protected environment"
                } else {
                    "no required reviewers, not restricted to protected branches"
                };
                return Verdict::fail(format!("{}: environment {}: {missing}", source(), env.name));
            }
        }
    }
    match gated {
        Some(first) if count == 1 => Verdict::pass(format!("{}: {first}", source())),
        Some(first) => Verdict::pass(format!(
            "{}: all {count} production environments gated ({first}, ...)",
            source()
        )),
        None => Verdict::not_applicable(format!(
            "no production environment ({} environments)",
            envs.len()
        )),
    }
}

fn codeowners(view: &RepoView<'_>) -> Verdict {
    let places: &[&str] = if view.gitlab() {
        &GITLAB_CODEOWNERS
    } else {
        &GITHUB_CODEOWNERS
    };
    match view.repo.codeowners.as_result() {
        Ok(Some(path)) if places.contains(&path.as_str()) => Verdict::pass(path.clone()),
        Ok(Some(path)) => Verdict::fail(format!(
            "{path}: not where the platform reads CODEOWNERS ({})",
            places.join(", ")
        )),
        Ok(None) => Verdict::fail(format!("no CODEOWNERS in {}", places.join(", "))),
        Err(why) => Verdict::unknown(
            view.api(
                "/contents/.github/CODEOWNERS",
                "/repository/files/CODEOWNERS",
            )
            .to_string(),
            why.explain(),
        ),
    }
}
