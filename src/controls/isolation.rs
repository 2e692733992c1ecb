//! Band `isolation`: `ephemeral-runners`, `egress-allowlist`, `no-self-hosted-public`,
//! `token-least-privilege`, `pinned-actions`.

use crate::model::{Runner, TokenPermission, Visibility};
use crate::pipeline::FindingKind;

use super::Status::{Fail, Pass};
use super::Verdict;
use super::control::{Definition, RepoControl};
use super::judge::RepoView;
use super::pipelines::{HostedJob, cite_line, cite_unknown, hosted_jobs};
use super::{Band, Severity};

/// `ephemeral-runners`.
pub(crate) const EPHEMERAL_RUNNERS: RepoControl = RepoControl {
    def: Definition {
        id: "ephemeral-runners",
        band: Band::Isolation,
        severity: Severity::High,
        title: "Self-hosted runners are ephemeral",
        rationale: "A persistent runner carries one job's compromise into the next.",
        fix: "Register self-hosted runners as ephemeral (or run them through Actions Runner Controller).",
    },
    judge: ephemeral_runners,
};

/// `egress-allowlist`.
pub(crate) const EGRESS_ALLOWLIST: RepoControl = RepoControl {
    def: Definition {
        id: "egress-allowlist",
        band: Band::Isolation,
        severity: Severity::High,
        title: "Self-hosted jobs restrict egress",
        rationale: "An allow-list stops exfiltration and malicious downloads from build machines.",
        fix: "Add step-security/harden-runner with egress-policy: block and allowed-endpoints to self-hosted jobs.",
    },
    judge: egress_allowlist,
};

/// `no-self-hosted-public`.
pub(crate) const NO_SELF_HOSTED_PUBLIC: RepoControl = RepoControl {
    def: Definition {
        id: "no-self-hosted-public",
        band: Band::Isolation,
        severity: Severity::High,
        title: "Public repositories do not use self-hosted runners",
        rationale: "Anyone can open a pull request on a public repository and run code on the runner.",
        fix: "Move the public repository's jobs to hosted runners.",
    },
    judge: no_self_hosted_public,
};

/// `token-least-privilege`.
pub(crate) const TOKEN_LEAST_PRIVILEGE: RepoControl = RepoControl {
    def: Definition {
        id: "token-least-privilege",
        band: Band::Isolation,
        severity: Severity::Medium,
        title: "Workflow token is least privilege",
        rationale: "A write token lets any compromised step push code or publish releases.",
        fix: "Set the default workflow token permission to read, or declare top-level permissions in every workflow.",
    },
    judge: token_least_privilege,
};

/// `[self-hosted, linux]` for evidence.
fn labels(labels: &[String]) -> String {
    format!("[{}]", labels.join(", "))
}

fn ephemeral_label<'a>(view: &RepoView<'_>, labels: &'a [String]) -> Option<&'a str> {
    let wanted = &view.settings().ephemeral_runner_labels;
    labels
        .iter()
        .find(|l| wanted.iter().any(|w| w.eq_ignore_ascii_case(l)))
        .map(String::as_str)
}

/// GitLab: the runners API lists no self-managed runner the project can use, so every job
/// (tagged or not) runs on GitLab-hosted runners.
fn gitlab_hosted_only(view: &RepoView<'_>) -> bool {
    view.gitlab() && view.repo.runners.known().is_some_and(Vec::is_empty)
}

fn runner_desc(runner: &Runner) -> String {
    format!(
        "runner {} \"{}\" ({})",
        runner.id, runner.name, runner.scope
    )
}

fn ephemeral_runners(view: &RepoView<'_>) -> Verdict {
    let source = || view.api("/actions/runners", "/runners");
    let runners = view.repo.runners.as_result();
    if let Ok(list) = runners
        && !list.is_empty()
    {
        let mut undetermined = None;
        let mut how = None;
        for runner in list {
            if runner.ephemeral == Some(true) {
                how.get_or_insert_with(|| format!("{}: ephemeral: true", runner_desc(runner)));
            } else if let Some(label) = ephemeral_label(view, &runner.labels) {
                how.get_or_insert_with(|| format!("{}: label {label}", runner_desc(runner)));
            } else if runner.ephemeral == Some(false) {
                return Verdict::fail(format!(
                    "{}: {}: ephemeral: false",
                    source(),
                    runner_desc(runner)
                ));
            } else {
                undetermined.get_or_insert(runner);
            }
        }
        if let Some(runner) = undetermined {
            let reason = if view.gitlab() {
                "the GitLab runners API does not say whether a runner is ephemeral"
            } else {
                "the runner API gives no ephemeral flag and no label is in ephemeral_runner_labels"
            };
            return Verdict::unknown(
                format!(
                    "{}: {}: ephemeral not stated",
                    source(),
                    runner_desc(runner)
                ),
                reason,
            );
        }
        return Verdict::pass(format!(
            "{}: {} self-hosted runners, all ephemeral ({})",
            source(),
            list.len(),
            how.unwrap_or_default()
        ));
    }
    if gitlab_hosted_only(view) {
        return Verdict::not_applicable(format!(
            "{}: no self-managed runner is available to the project",
            source()
        ));
    }
    // No runner visible (none registered, or unreadable): judge the jobs that ask for one.
    let mut passed = None;
    for (path, analysis) in view.pipelines.ok() {
        for job in hosted_jobs(analysis) {
            if let Some(label) = ephemeral_label(view, job.labels) {
                passed.get_or_insert_with(|| {
                    cite_line(
                        Pass,
                        path,
                        job.line,
                        &format!("{} runs on ephemeral label {label}", job.name()),
                    )
                });
                continue;
            }
            if job.maybe {
                return cite_unknown(
                    path,
                    job.line,
                    &format!(
                        "{}: the runner cannot be resolved from the file",
                        job.name()
                    ),
                );
            }
            let what = format!(
                "{} runs on self-hosted {}; no runner visible says it is ephemeral",
                job.name(),
                labels(job.labels)
            );
            let mut verdict = cite_unknown(path, job.line, &what);
            if let Err(why) = runners {
                verdict = verdict.with_reason(format!("{}: {}", source(), why.explain()));
            }
            return verdict;
        }
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    // A GitLab pipeline does not name its runner: untagged jobs can run on any self-managed
    // runner that takes them, so only the runner list can say none is available.
    if let (None, true, Err(why)) = (&passed, view.gitlab(), runners) {
        return Verdict::unknown(source().to_string(), why.explain());
    }
    passed.unwrap_or_else(|| {
        Verdict::not_applicable("only hosted runners are used: no job runs on a self-hosted runner")
    })
}

/// The self-hosted jobs of every analysed file, each with its file and analysis.
fn jobs<'a>(view: &'a RepoView<'_>) -> impl Iterator<Item = (&'a str, HostedJob<'a>)> + 'a {
    view.pipelines
        .ok()
        .flat_map(|(path, analysis)| hosted_jobs(analysis).into_iter().map(move |j| (path, j)))
}

fn egress_allowlist(view: &RepoView<'_>) -> Verdict {
    if gitlab_hosted_only(view) {
        return Verdict::not_applicable("no self-managed runner is available to the project");
    }
    let mut protected = None;
    let mut maybe = None;
    let mut any = false;
    for (path, job) in jobs(view) {
        any = true;
        if job.egress_block {
            protected.get_or_insert((path, job));
        } else if job.maybe {
            maybe.get_or_insert((path, job));
        } else {
            return cite_line(
                Fail,
                path,
                job.line,
                &format!(
                    "{} runs on self-hosted {} without egress-policy: block",
                    job.name(),
                    labels(job.labels)
                ),
            );
        }
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    if let Some((path, job)) = maybe {
        return cite_unknown(
            path,
            job.line,
            &format!(
                "{}: the runner cannot be resolved from the file (maybe self-hosted) and egress is not blocked",
                job.name()
            ),
        );
    }
    if let Some((path, job)) = protected {
        return cite_line(
            Pass,
            path,
            job.line,
            &format!(
                "{} on a self-hosted runner with egress-policy: block",
                job.name()
            ),
        );
    }
    if view.gitlab() && !any {
        // GitLab pipelines do not say which jobs land on self-managed runners.
        return self_managed_unresolved(
            view,
            "self-managed runners available",
            "neither the pipeline nor the API shows whether jobs on self-managed runners restrict egress",
        );
    }
    Verdict::not_applicable("no job runs on a self-hosted runner")
}

/// GitLab: self-managed runners may take the project's jobs, but neither the pipeline nor the
/// API settles it: `unknown`, with how many runners there are (or why they were unreadable).
fn self_managed_unresolved(view: &RepoView<'_>, what: &str, reason: &str) -> Verdict {
    let source = view.api("/actions/runners", "/runners");
    match view.repo.runners.as_result() {
        Ok(list) => Verdict::unknown(format!("{source}: {what}: {}", list.len()), reason),
        Err(why) => Verdict::unknown(source.to_string(), why.explain()),
    }
}

fn no_self_hosted_public(view: &RepoView<'_>) -> Verdict {
    if view.repo.visibility != Visibility::Public {
        return Verdict::not_applicable(format!("{} repository", view.repo.visibility.as_str()));
    }
    if gitlab_hosted_only(view) {
        return Verdict::pass("no self-managed runner is available to the public project");
    }
    let mut maybe = None;
    let mut any = false;
    for (path, job) in jobs(view) {
        any = true;
        if job.maybe {
            maybe.get_or_insert((path, job));
        } else {
            return cite_line(
                Fail,
                path,
                job.line,
                &format!(
                    "{} runs on self-hosted {} in a public repository",
                    job.name(),
                    labels(job.labels)
                ),
            );
        }
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    if let Some((path, job)) = maybe {
        return cite_unknown(
            path,
            job.line,
            &format!(
                "{}: the runner cannot be resolved from the file (maybe self-hosted)",
                job.name()
            ),
        );
    }
    if view.gitlab() && !any {
        return self_managed_unresolved(
            view,
            "self-managed runners available to the public project",
            "GitLab runner selection by tags cannot be resolved from the pipeline",
        );
    }
    Verdict::pass("no job runs on a self-hosted runner (public repository)")
}

fn token_least_privilege(view: &RepoView<'_>) -> Verdict {
    if view.pipelines.known_empty() {
        return Verdict::not_applicable("no workflows");
    }
    if let Some(project) = &view.repo.gitlab {
        return match (
            project.job_token_scope.as_result(),
            view.pipelines.unreadable,
        ) {
            // An open scope matters only if some pipeline gets a job token: with the pipeline
            // list unread, that is not known (no pipeline would make this not applicable).
            (Ok(scope), Some(why)) if !scope.inbound_enabled => {
                Verdict::unknown(view.pipelines_source().to_string(), why.explain())
            }
            (Ok(scope), _) => Verdict::new(
                if scope.inbound_enabled { Pass } else { Fail },
                format!(
                    "GET /projects/{}/job_token_scope: inbound_enabled: {}",
                    project.id, scope.inbound_enabled
                ),
            ),
            (Err(why), _) => Verdict::unknown(
                format!("GET /projects/{}/job_token_scope", project.id),
                why.explain(),
            ),
        };
    }
    // The effective default: the repository's, else the org's (`true` when from the org).
    let repo_source = view.api("/actions/permissions/workflow", "");
    let org_source = || super::judge::org_api(view.judge.ctx, "/actions/permissions/workflow", "");
    let default = match view.repo.workflow_token.as_result() {
        Ok(Some(p)) => Ok((*p, false)),
        Ok(None) => match view.judge.ctx.snapshot.org_facts.workflow_token.as_result() {
            Ok(Some(p)) => Ok((*p, true)),
            Ok(None) => Err("the default workflow permission is not set".to_owned()),
            Err(why) => Err(format!("{}: {}", org_source(), why.explain())),
        },
        Err(why) => Err(format!("{repo_source}: {}", why.explain())),
    };
    if let Ok((TokenPermission::Read, from_org)) = &default {
        return if *from_org {
            Verdict::pass(format!(
                "{}: default_workflow_permissions: read",
                org_source()
            ))
        } else {
            Verdict::pass(format!("{repo_source}: default_workflow_permissions: read"))
        };
    }
    let mut missing = None;
    let mut count = 0usize;
    for file in view.pipelines.files.iter().filter(|f| f.is_workflow()) {
        let Some(analysis) = file.analysis.filter(|a| a.error.is_none()) else {
            continue;
        };
        count += 1;
        if analysis.facts.write_all_permissions {
            let line = analysis
                .line_of(FindingKind::WriteAllPermissions)
                .or_else(|| analysis.line_of(FindingKind::TopLevelPermissions));
            return cite_line(Fail, file.path, line, "top-level permissions: write-all");
        }
        if analysis.facts.top_level_permissions != Some(true) {
            missing.get_or_insert(file.path);
        }
    }
    if let Some(path) = missing {
        return match default {
            Ok((_, from_org)) => {
                let source = if from_org {
                    org_source()
                } else {
                    repo_source.to_string()
                };
                Verdict::fail(format!(
                    "{path}: no top-level permissions; {source}: default_workflow_permissions: write"
                ))
            }
            Err(reason) => Verdict::unknown(
                format!("{path}: no top-level permissions; default token permission unreadable"),
                reason,
            ),
        };
    }
    if let Some(blocker) = view.pipeline_blocker() {
        return blocker;
    }
    if count == 0 {
        return Verdict::not_applicable("no workflows (composite actions only)");
    }
    Verdict::pass(format!(
        "every workflow ({count}) declares top-level permissions other than write-all"
    ))
}
