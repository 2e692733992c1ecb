//! Band `branch`: protection of the default branch (GitHub effective protection, GitLab
//! protected branches) and of release branches.

use crate::model::Repo;

use super::{Context, Verdict};

/// Push exactly 10 verdicts, in catalog order: branch-protected, pr-required, approving-review,
/// last-push-approval, status-checks, dismiss-stale-reviews, no-force-push, signed-commits,
/// no-admin-bypass, release-push-restricted.
pub fn judge(ctx: &Context<'_>, repo: &Repo, out: &mut Vec<Verdict>) {
    let _ = (ctx, repo);
    for _ in 0..10 {
        out.push(Verdict::unknown("not judged yet", "not judged yet"));
    }
}
