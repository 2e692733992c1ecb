//! Band `branch`: protection of the default branch (GitHub effective protection, GitLab
//! protected branches) and of release branches.
//!
//! Each control is one `const` here (definition + judge); the judge decides from GitHub's
//! effective protection (`branch_github.rs`) or GitLab's project settings
//! (`branch_gitlab.rs`).

use crate::model::{GitlabProject, Repo};

use super::branch_github as github;
use super::control::{Definition, RepoControl};
use super::effective::{Effective, RepoRulesets};
use super::judge::RepoView;
use super::{Band, Context, Severity, Verdict, branch_gitlab, branch_release};

mod decide;
pub(crate) use decide::{Part, Says, both, clean, decide, join, label, met, missing, unread};

/// The GitHub default branch's protection sources, gathered once per repository on first use
/// (see [`RepoView::github_branch`]).
pub(crate) struct GithubBranch<'a> {
    /// The rulesets that apply to the repository.
    pub rulesets: RepoRulesets<'a>,
    /// Classic protection merged with the active rulesets that target the default branch.
    pub eff: Effective<'a>,
}

impl<'a> GithubBranch<'a> {
    /// Gather the sources of one repository.
    pub fn of(ctx: &Context<'a>, repo: &'a Repo) -> Self {
        let rulesets = RepoRulesets::of(&ctx.snapshot.org_facts.rulesets, repo);
        let eff = Effective::from_rulesets(rulesets.clone(), repo);
        Self { rulesets, eff }
    }
}

/// Judge a branch control from GitHub's effective protection or GitLab's project settings.
fn on_platform(
    view: &RepoView<'_>,
    github: impl FnOnce(&GithubBranch<'_>) -> Verdict,
    gitlab: impl FnOnce(&GitlabProject) -> Verdict,
) -> Verdict {
    match &view.repo.gitlab {
        Some(project) => gitlab(project),
        None => github(view.github_branch()),
    }
}

/// `branch-protected`.
pub(crate) const BRANCH_PROTECTED: RepoControl = RepoControl {
    def: Definition {
        id: "branch-protected",
        band: Band::Branch,
        severity: Severity::High,
        title: "Default branch is protected",
        rationale: "An unprotected default branch accepts any push from anyone with write access.",
        fix: "Protect the default branch with a ruleset (or classic protection).",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::branch_protected(&b.eff),
            |p| branch_gitlab::protected(view.repo, p),
        )
    },
};

/// `pr-required`.
pub(crate) const PR_REQUIRED: RepoControl = RepoControl {
    def: Definition {
        id: "pr-required",
        band: Band::Branch,
        severity: Severity::High,
        title: "Changes go through a pull request",
        rationale: "Direct pushes skip review and the checks that run on pull requests.",
        fix: "Require a pull request before merging on the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::pr_required(&b.eff),
            |p| branch_gitlab::merge_request_required(view.repo, p),
        )
    },
};

/// `approving-review`.
pub(crate) const APPROVING_REVIEW: RepoControl = RepoControl {
    def: Definition {
        id: "approving-review",
        band: Band::Branch,
        severity: Severity::High,
        title: "Approving reviews required",
        rationale: "Two-person review: no change reaches the default branch on one person's say.",
        fix: "Require at least min_approvals approving reviews on the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::approving_review(&b.eff, view.settings().min_approvals),
            |p| branch_gitlab::approvals(view.judge.ctx, p),
        )
    },
};

/// `last-push-approval`.
pub(crate) const LAST_PUSH_APPROVAL: RepoControl = RepoControl {
    def: Definition {
        id: "last-push-approval",
        band: Band::Branch,
        severity: Severity::High,
        title: "Last push must be approved by someone else",
        rationale: "Without it, an author can push new code after approval and merge it unreviewed.",
        fix: "Enable require_last_push_approval on the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::last_push_approval(&b.eff),
            branch_gitlab::committers_cannot_approve,
        )
    },
};

/// `status-checks`.
pub(crate) const STATUS_CHECKS: RepoControl = RepoControl {
    def: Definition {
        id: "status-checks",
        band: Band::Branch,
        severity: Severity::Medium,
        title: "Required status checks",
        rationale: "Required checks make tests and scanners a gate rather than advice.",
        fix: "Require at least one status check on the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::status_checks(&b.eff),
            branch_gitlab::pipelines_must_succeed,
        )
    },
};

/// `dismiss-stale-reviews`.
pub(crate) const DISMISS_STALE_REVIEWS: RepoControl = RepoControl {
    def: Definition {
        id: "dismiss-stale-reviews",
        band: Band::Branch,
        severity: Severity::Medium,
        title: "New commits dismiss stale approvals",
        rationale: "An approval should cover the code that is merged, not an earlier version.",
        fix: "Enable dismiss stale reviews on push.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::dismiss_stale_reviews(&b.eff),
            branch_gitlab::approvals_reset_on_push,
        )
    },
};

/// `no-force-push`.
pub(crate) const NO_FORCE_PUSH: RepoControl = RepoControl {
    def: Definition {
        id: "no-force-push",
        band: Band::Branch,
        severity: Severity::High,
        title: "Force push and deletion blocked",
        rationale: "Force pushes rewrite reviewed history; deletion removes the branch and its protection.",
        fix: "Block force pushes and deletions on the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::no_force_push(&b.eff),
            |p| branch_gitlab::force_push_blocked(view.repo, p),
        )
    },
};

/// `signed-commits`.
pub(crate) const SIGNED_COMMITS: RepoControl = RepoControl {
    def: Definition {
        id: "signed-commits",
        band: Band::Branch,
        severity: Severity::Medium,
        title: "Signed commits required",
        rationale: "Signatures tie each commit to a verified identity.",
        fix: "Require signed commits on the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::signed_commits(&b.eff),
            branch_gitlab::signed_commits,
        )
    },
};

/// `no-admin-bypass`.
pub(crate) const NO_ADMIN_BYPASS: RepoControl = RepoControl {
    def: Definition {
        id: "no-admin-bypass",
        band: Band::Branch,
        severity: Severity::Medium,
        title: "Admins cannot bypass protection",
        rationale: "Protection with a bypass list is protection for everyone else.",
        fix: "Include administrators and remove bypass actors from rulesets targeting the default branch.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| github::no_admin_bypass(&b.eff),
            |_| branch_gitlab::no_bypass_list(),
        )
    },
};

/// `release-push-restricted`.
pub(crate) const RELEASE_PUSH_RESTRICTED: RepoControl = RepoControl {
    def: Definition {
        id: "release-push-restricted",
        band: Band::Branch,
        severity: Severity::Medium,
        title: "Release branches restrict who can push",
        rationale: "Release branches ship to production; anyone with write access should not push to them.",
        fix: "Restrict pushes to release branches to the release team.",
    },
    judge: |view| {
        on_platform(
            view,
            |b| branch_release::judge_github(view.judge.ctx, view.repo, &b.rulesets),
            |_| branch_gitlab::release_branches(view.judge.ctx, view.repo),
        )
    },
};

/// The 10 branch verdicts of `repo`, in registry order (band tests judge them together).
#[cfg(test)]
pub(crate) fn judge(ctx: &Context<'_>, repo: &Repo, out: &mut Vec<Verdict>) {
    let judge = super::Judge::new(ctx);
    let view = judge.view(repo);
    out.extend(
        super::registry::REPO_CONTROLS
            .iter()
            .filter(|c| c.def.band == Band::Branch)
            .map(|c| (c.judge)(&view)),
    );
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod targeting_tests;
