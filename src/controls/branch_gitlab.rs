//! Band `branch` on GitLab: the default branch's protected-branch settings, merge request
//! approval settings and rules, push rules (Premium), and protected release branches.

use crate::model::{AccessLevel, Fact, GitlabProject, ProtectedBranch, Repo};

use super::branch::clean;
use super::{Context, Verdict, branch_release};

/// `branch-protected`: the default branch is a protected branch.
pub(crate) fn protected(repo: &Repo, project: &GitlabProject) -> Verdict {
    on_protected(project, repo, |pb| {
        Verdict::pass(format!("protected branch {}", clean(&pb.name)))
    })
}

/// `pr-required`: nobody may push to the default branch directly.
pub(crate) fn merge_request_required(repo: &Repo, project: &GitlabProject) -> Verdict {
    on_protected(project, repo, pr_required)
}

/// `approving-review`: an approval rule requires `min_approvals`, authors cannot approve.
pub(crate) fn approvals(ctx: &Context<'_>, project: &GitlabProject) -> Verdict {
    approving_review(project, ctx.settings.min_approvals)
}

/// `last-push-approval`: committers cannot approve.
pub(crate) fn committers_cannot_approve(project: &GitlabProject) -> Verdict {
    approval_setting(
        &project.approval_settings,
        |s| s.merge_requests_disable_committers_approval,
        "merge_requests_disable_committers_approval: committers cannot approve",
        "merge_requests_disable_committers_approval off: committers can approve",
    )
}

/// `status-checks`: merges need a green pipeline.
pub(crate) fn pipelines_must_succeed(project: &GitlabProject) -> Verdict {
    if project.pipelines_must_succeed {
        Verdict::pass("only_allow_merge_if_pipeline_succeeds: pipelines must succeed")
    } else {
        Verdict::fail("only_allow_merge_if_pipeline_succeeds off: merges need no green pipeline")
    }
}

/// `dismiss-stale-reviews`: new commits reset approvals.
pub(crate) fn approvals_reset_on_push(project: &GitlabProject) -> Verdict {
    approval_setting(
        &project.approval_settings,
        |s| s.reset_approvals_on_push,
        "reset_approvals_on_push: new commits reset approvals",
        "reset_approvals_on_push off: approvals survive new commits",
    )
}

/// `no-force-push`: the protected default branch blocks force pushes.
pub(crate) fn force_push_blocked(repo: &Repo, project: &GitlabProject) -> Verdict {
    on_protected(project, repo, |pb| {
        if pb.allow_force_push {
            Verdict::fail(format!(
                "protected branch {}: allow_force_push on",
                clean(&pb.name)
            ))
        } else {
            Verdict::pass(format!(
                "protected branch {}: force push blocked, deletion blocked (protected)",
                clean(&pb.name)
            ))
        }
    })
}

/// `no-admin-bypass`: GitLab has no bypass list.
pub(crate) fn no_bypass_list() -> Verdict {
    Verdict::not_applicable(
        "GitLab protected branches have no bypass list; who may push directly is judged by pr-required",
    )
}

/// `release-push-restricted` on GitLab.
pub(crate) fn release_branches(ctx: &Context<'_>, repo: &Repo) -> Verdict {
    branch_release::judge_gitlab(ctx, repo)
}

/// Decide from the default branch's protection: unreadable → unknown, 404 → fail.
fn on_protected(
    project: &GitlabProject,
    repo: &Repo,
    then: impl Fn(&ProtectedBranch) -> Verdict,
) -> Verdict {
    let branch = clean(&repo.default_branch);
    match &project.default_branch_protection {
        Fact::Known(Some(pb)) => then(pb),
        Fact::Known(None) => Verdict::fail(format!("default branch {branch} is not protected")),
        Fact::Unreadable(why) => Verdict::unknown(
            format!("protected branch {branch} unreadable ({})", why.explain()),
            why.explain(),
        ),
    }
}

fn level_name(level: AccessLevel) -> String {
    match level {
        0 => "No one (0)".to_owned(),
        30 => "Developers + Maintainers (30)".to_owned(),
        40 => "Maintainers (40)".to_owned(),
        60 => "Admins (60)".to_owned(),
        other => format!("level {other}"),
    }
}

fn pr_required(pb: &ProtectedBranch) -> Verdict {
    let name = clean(&pb.name);
    if !pb.push_access_levels.is_empty() && pb.push_access_levels.iter().all(|&l| l == 0) {
        return Verdict::pass(format!("protected branch {name}: push access No one (0)"));
    }
    let levels: Vec<String> = pb
        .push_access_levels
        .iter()
        .filter(|&&l| l != 0)
        .map(|&l| level_name(l))
        .collect();
    let who = if levels.is_empty() {
        "no access level listed".to_owned()
    } else {
        levels.join(", ")
    };
    Verdict::fail(format!(
        "protected branch {name}: push access {who}, needs No one (0)"
    ))
}

fn approval_setting(
    settings: &Fact<crate::model::ApprovalSettings>,
    get: impl Fn(&crate::model::ApprovalSettings) -> bool,
    on: &str,
    off: &str,
) -> Verdict {
    match settings {
        Fact::Known(s) if get(s) => Verdict::pass(on),
        Fact::Known(_) => Verdict::fail(off),
        Fact::Unreadable(why) => Verdict::unknown(
            format!("approval settings unreadable ({})", why.explain()),
            why.explain(),
        ),
    }
}

fn approving_review(project: &GitlabProject, min: u32) -> Verdict {
    let rules = match &project.approval_rules {
        Fact::Known(rules) => rules,
        Fact::Unreadable(why) => {
            return Verdict::unknown(
                format!("approval rules unreadable ({})", why.explain()),
                why.explain(),
            );
        }
    };
    // Code-owner and report-approver rules only apply to some merge requests.
    let general = |t: &str| !matches!(t, "code_owner" | "report_approver");
    let best = rules
        .iter()
        .filter(|r| general(&r.rule_type))
        .max_by_key(|r| r.approvals_required);
    let Some(rule) = best.filter(|r| r.approvals_required >= min) else {
        return Verdict::fail(match best {
            Some(r) => format!(
                "approval rule \"{}\": {} required, needs {min}",
                clean(&r.name),
                r.approvals_required
            ),
            None => format!(
                "no approval rule requires {min} approval{} (on Free tier none can)",
                if min == 1 { "" } else { "s" }
            ),
        });
    };
    let head = format!(
        "approval rule \"{}\": {} required",
        clean(&rule.name),
        rule.approvals_required
    );
    match &project.approval_settings {
        Fact::Known(s) if s.merge_requests_author_approval => Verdict::fail(format!(
            "{head}; merge_requests_author_approval on: authors can approve their own"
        )),
        Fact::Known(_) => Verdict::pass(format!("{head}; author approval disabled")),
        Fact::Unreadable(why) => Verdict::unknown(
            format!("{head}; approval settings unreadable ({})", why.explain()),
            why.explain(),
        ),
    }
}

pub(crate) fn signed_commits(project: &GitlabProject) -> Verdict {
    match &project.push_rules {
        Fact::Known(Some(rules)) if rules.reject_unsigned_commits => {
            Verdict::pass("push rule reject_unsigned_commits")
        }
        Fact::Known(Some(_)) => Verdict::fail("push rule reject_unsigned_commits off"),
        Fact::Known(None) => Verdict::fail("no push rule: unsigned commits accepted"),
        Fact::Unreadable(why) => Verdict::unknown(
            format!("push rules unreadable ({})", why.explain()),
            why.explain(),
        ),
    }
}

#[cfg(test)]
mod tests;
