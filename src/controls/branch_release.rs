//! `release-push-restricted`: branches matching the release patterns restrict who can push.
//!
//! What is judged ("targets"): existing branches that match the release patterns, branch
//! protection rules (GitHub classic pattern rules, GitLab protected branches) whose pattern
//! matches them, and release-like `ref_name` patterns of active rulesets. A target is
//! restricted by a protection rule with `restricts_pushes` whose pattern covers it, or by an
//! active ruleset with an `update` rule whose `ref_name` covers it.

use crate::model::{BranchRule, Enforcement, Fact, Repo, Rule, Ruleset};

use super::branch::{clean, label};
use super::effective::{RepoRulesets, branch_pattern, fnmatch, ref_matches};
use super::{Context, Verdict};

/// GitHub: classic pattern rules (fnmatch with `FNM_PATHNAME`) and rulesets.
pub(crate) fn judge_github(ctx: &Context<'_>, repo: &Repo, rulesets: &RepoRulesets<'_>) -> Verdict {
    judge(ctx, repo, rulesets, true)
}

/// GitLab: protected branches (wildcards cross `/`), no rulesets.
pub(crate) fn judge_gitlab(ctx: &Context<'_>, repo: &Repo) -> Verdict {
    judge(ctx, repo, &RepoRulesets::default(), false)
}

/// One thing that must restrict pushes.
enum Target<'a> {
    /// An existing release branch.
    Branch(&'a str),
    /// A protection rule matching the release patterns.
    Rule(&'a BranchRule),
    /// A release-like pattern of an active ruleset.
    Pattern(&'a str, &'a Ruleset),
}

fn judge(ctx: &Context<'_>, repo: &Repo, rulesets: &RepoRulesets<'_>, pathname: bool) -> Verdict {
    let patterns = &ctx.release_patterns;
    let shown = ctx.settings.release_patterns.join(", ");
    let (branches, rules): (Vec<&str>, &[BranchRule]) = match &repo.release_branches {
        Fact::Known(rb) => (
            rb.branches
                .iter()
                .map(String::as_str)
                .filter(|b| patterns.is_match(b))
                .collect(),
            &rb.rules,
        ),
        Fact::Unreadable(_) => (Vec::new(), &[]),
    };
    let active: Vec<&Ruleset> = rulesets.active().collect();
    let updaters: Vec<&Ruleset> = active
        .iter()
        .copied()
        .filter(|rs| rs.rules.iter().any(|r| matches!(r, Rule::Update)))
        .collect();
    let default = repo.default_branch.as_str();

    let mut targets: Vec<Target<'_>> = branches.iter().map(|b| Target::Branch(b)).collect();
    for rule in rules {
        let covers_branch = branches
            .iter()
            .any(|b| fnmatch(&rule.pattern, b, pathname, false));
        // A restricting rule over a listed branch is already cited by that branch.
        let cited = covers_branch && rule.restricts_pushes;
        if (covers_branch || patterns.is_match(&rule.pattern)) && !cited {
            targets.push(Target::Rule(rule));
        }
    }
    for rs in &active {
        for p in rs.ref_name.include.iter().filter_map(|p| branch_pattern(p)) {
            if patterns.is_match(p) {
                targets.push(Target::Pattern(p, rs));
            }
        }
    }

    // Who restricts a branch name or pattern `t`.
    let restrictor = |t: &str| -> Option<String> {
        if let Some(rule) = rules
            .iter()
            .find(|r| r.restricts_pushes && fnmatch(&r.pattern, t, pathname, false))
        {
            return Some(format!(
                "protection rule {} restricts pushes",
                clean(&rule.pattern)
            ));
        }
        updaters
            .iter()
            .find(|rs| ref_matches(&rs.ref_name, t, default))
            .map(|rs| format!("{}: update rule", label(rs)))
    };

    let mut covered: Vec<String> = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for target in &targets {
        let (name, by) = match target {
            Target::Branch(b) => (format!("branch {}", clean(b)), restrictor(b)),
            Target::Rule(rule) => {
                let by = if rule.restricts_pushes {
                    Some("restricts pushes".to_owned())
                } else {
                    restrictor(&rule.pattern)
                };
                (format!("protection rule {}", clean(&rule.pattern)), by)
            }
            Target::Pattern(p, rs) => (format!("{} on {}", label(rs), clean(p)), restrictor(p)),
        };
        match by {
            Some(by) if by == "restricts pushes" => {
                covered.push(format!("{name} restricts pushes"))
            }
            Some(by) => covered.push(format!("{name}: {by}")),
            None => open.push(format!("{name}: pushes not restricted")),
        }
    }

    let mut reasons: Vec<String> = Vec::new();
    let mut unread_notes: Vec<String> = Vec::new();
    if let Fact::Unreadable(why) = &repo.release_branches {
        reasons.push(why.explain());
        unread_notes.push(format!("release branches unreadable ({})", why.explain()));
    }
    for (what, why) in &rulesets.unreadable {
        let reason = why.explain();
        unread_notes.push(format!("{what} unreadable ({reason})"));
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    let evaluate: Vec<String> = rulesets
        .rulesets
        .iter()
        .filter(|rs| rs.enforcement == Enforcement::Evaluate)
        .filter(|rs| {
            rs.ref_name
                .include
                .iter()
                .filter_map(|p| branch_pattern(p))
                .any(|p| patterns.is_match(p))
        })
        .map(|rs| format!("{} in evaluate mode: not enforced", label(rs)))
        .collect();
    let line = |items: &[String]| {
        let mut all: Vec<&str> = items.iter().map(String::as_str).collect();
        all.extend(unread_notes.iter().map(String::as_str));
        super::branch::join(all.into_iter(), &evaluate)
    };

    if !open.is_empty() {
        open.extend(covered);
        return if reasons.is_empty() {
            Verdict::fail(line(&open))
        } else {
            Verdict::unknown(line(&open), reasons.join("; "))
        };
    }
    if targets.is_empty() {
        return if reasons.is_empty() {
            Verdict::not_applicable(super::branch::join(
                std::iter::once(
                    format!("no branch or protection rule matches the release patterns ({shown})")
                        .as_str(),
                ),
                &evaluate,
            ))
        } else {
            Verdict::unknown(
                line(&[format!("release patterns ({shown}) not judged")]),
                reasons.join("; "),
            )
        };
    }
    // Every known target is restricted. Unseen branches (branch list unreadable) are
    // restricted only if every release pattern is covered by a restricting rule.
    if repo.release_branches.unreadable().is_some()
        && !ctx
            .settings
            .release_patterns
            .iter()
            .all(|p| restrictor(p).is_some())
    {
        return Verdict::unknown(line(&covered), reasons.join("; "));
    }
    Verdict::pass(super::branch::join(
        covered.iter().map(String::as_str),
        &evaluate,
    ))
}

#[cfg(test)]
mod tests;
