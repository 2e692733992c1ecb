//! Band `branch` on GitHub: each control decided from the default branch's effective
//! protection ([`Effective`]): classic protection merged with every active ruleset that
//! targets it. Any readable source that meets a requirement satisfies it (the strongest
//! requirement wins); when none does and a source is unreadable, the verdict is `unknown`
//! with that source's reason.

use crate::model::{ClassicProtection, Fact, PullRequestReviews, Rule, Ruleset};

use super::Verdict;
use super::branch::{Part, Says, both, clean, decide, join, label, met, missing, unread};
use super::effective::Effective;

fn approvals(n: u32) -> String {
    if n == 1 {
        "1 approval".to_owned()
    } else {
        format!("{n} approvals")
    }
}

/// Parts from classic protection and every active ruleset; evaluate-mode rulesets the
/// requirement would be met by become notes.
fn collect(
    eff: &Effective<'_>,
    classic: impl Fn(&ClassicProtection) -> Part,
    ruleset: impl Fn(&Ruleset, &str) -> Part,
) -> (Vec<Part>, Vec<String>) {
    let mut parts = Vec::with_capacity(eff.active.len() + 2);
    parts.push(match eff.classic {
        Fact::Known(Some(cp)) => classic(cp),
        Fact::Known(None) => missing("classic protection: branch not protected"),
        Fact::Unreadable(why) => unread(
            format!("classic protection unreadable ({})", why.explain()),
            why.explain(),
        ),
    });
    for rs in &eff.active {
        parts.push(ruleset(rs, &label(rs)));
    }
    if eff.active.is_empty() && eff.unreadable_rulesets.is_empty() {
        parts.push(missing(format!(
            "no active ruleset targets {}",
            clean(eff.branch)
        )));
    }
    for (what, why) in &eff.unreadable_rulesets {
        parts.push(unread(
            format!("{what} unreadable ({})", why.explain()),
            why.explain(),
        ));
    }
    let notes = eff
        .evaluate
        .iter()
        .filter(|rs| ruleset(rs, "").says == Says::Met)
        .map(|rs| format!("{} in evaluate mode: not enforced", label(rs)))
        .collect();
    (parts, notes)
}

fn judge_with(
    eff: &Effective<'_>,
    classic: impl Fn(&ClassicProtection) -> Part,
    ruleset: impl Fn(&Ruleset, &str) -> Part,
) -> Verdict {
    let (parts, notes) = collect(eff, classic, ruleset);
    decide(&parts, &notes)
}

/// The strongest pull request requirement of a ruleset, if it has a `pull_request` rule.
fn pr_rule(rs: &Ruleset) -> Option<PullRequestReviews> {
    rs.rules
        .iter()
        .filter_map(|r| match r {
            Rule::PullRequest { parameters } => Some(parameters),
            _ => None,
        })
        .fold(None, |acc: Option<PullRequestReviews>, p| {
            let mut best = acc.unwrap_or_default();
            best.required_approving_review_count = best
                .required_approving_review_count
                .max(p.required_approving_review_count);
            best.dismiss_stale_reviews |= p.dismiss_stale_reviews;
            best.require_code_owner_reviews |= p.require_code_owner_reviews;
            best.require_last_push_approval |= p.require_last_push_approval;
            Some(best)
        })
}

fn has_rule(rs: &Ruleset, want: fn(&Rule) -> bool) -> bool {
    rs.rules.iter().any(want)
}

pub(super) fn branch_protected(eff: &Effective<'_>) -> Verdict {
    let branch = clean(eff.branch);
    judge_with(
        eff,
        |_| met(format!("classic protection on {branch}")),
        |rs, l| {
            if rs.rules.is_empty() {
                missing(format!("{l}: no rules"))
            } else {
                met(format!("{l} targets {branch}"))
            }
        },
    )
}

pub(super) fn pr_required(eff: &Effective<'_>) -> Verdict {
    judge_with(
        eff,
        |cp| match cp.pull_request_reviews {
            Some(_) => met("classic protection: pull request required"),
            None => missing("classic protection: pull request not required"),
        },
        |rs, l| match pr_rule(rs) {
            Some(_) => met(format!("{l}: pull_request rule")),
            None => missing(format!("{l}: no pull_request rule")),
        },
    )
}

pub(super) fn approving_review(eff: &Effective<'_>, min: u32) -> Verdict {
    let judge_count = |source: &str, n: u32| {
        if n >= min {
            met(format!("{source}: {} required", approvals(n)))
        } else {
            missing(format!("{source}: {} required, needs {min}", approvals(n)))
        }
    };
    judge_with(
        eff,
        |cp| {
            let n = cp
                .pull_request_reviews
                .as_ref()
                .map_or(0, |r| r.required_approving_review_count);
            judge_count("classic protection", n)
        },
        |rs, l| {
            let n = pr_rule(rs).map_or(0, |p| p.required_approving_review_count);
            judge_count(l, n)
        },
    )
}

pub(super) fn last_push_approval(eff: &Effective<'_>) -> Verdict {
    judge_with(
        eff,
        |cp| match &cp.pull_request_reviews {
            Some(r) if r.require_last_push_approval => {
                met("classic protection: require_last_push_approval")
            }
            _ => missing("classic protection: last push approval not required"),
        },
        |rs, l| match pr_rule(rs) {
            Some(p) if p.require_last_push_approval => {
                met(format!("{l}: require_last_push_approval"))
            }
            _ => missing(format!("{l}: last push approval not required")),
        },
    )
}

fn checks_text(source: &str, contexts: &[String]) -> Part {
    if contexts.is_empty() {
        return missing(format!("{source}: no required status checks"));
    }
    let names: Vec<String> = contexts.iter().take(3).map(|c| clean(c)).collect();
    let more = if contexts.len() > 3 { ", …" } else { "" };
    met(format!(
        "{source}: {} required status check{} ({}{more})",
        contexts.len(),
        if contexts.len() == 1 { "" } else { "s" },
        names.join(", ")
    ))
}

pub(super) fn status_checks(eff: &Effective<'_>) -> Verdict {
    judge_with(
        eff,
        |cp| checks_text("classic protection", &cp.required_status_checks),
        |rs, l| {
            let contexts: Vec<String> = rs
                .rules
                .iter()
                .filter_map(|r| match r {
                    Rule::RequiredStatusChecks { contexts } => Some(contexts.iter().cloned()),
                    _ => None,
                })
                .flatten()
                .collect();
            checks_text(l, &contexts)
        },
    )
}

pub(super) fn dismiss_stale_reviews(eff: &Effective<'_>) -> Verdict {
    judge_with(
        eff,
        |cp| match &cp.pull_request_reviews {
            Some(r) if r.dismiss_stale_reviews => met("classic protection: dismiss_stale_reviews"),
            _ => missing("classic protection: stale reviews not dismissed"),
        },
        |rs, l| match pr_rule(rs) {
            Some(p) if p.dismiss_stale_reviews => {
                met(format!("{l}: dismiss_stale_reviews_on_push"))
            }
            _ => missing(format!("{l}: stale reviews not dismissed")),
        },
    )
}

pub(super) fn no_force_push(eff: &Effective<'_>) -> Verdict {
    let (force, force_notes) = collect(
        eff,
        |cp| {
            if cp.allow_force_pushes {
                missing("classic protection: force pushes allowed")
            } else {
                met("classic protection: force pushes blocked")
            }
        },
        |rs, l| {
            if has_rule(rs, |r| matches!(r, Rule::NonFastForward)) {
                met(format!("{l}: non_fast_forward rule"))
            } else {
                missing(format!("{l}: no non_fast_forward rule"))
            }
        },
    );
    let (deletion, deletion_notes) = collect(
        eff,
        |cp| {
            if cp.allow_deletions {
                missing("classic protection: deletions allowed")
            } else {
                met("classic protection: deletions blocked")
            }
        },
        |rs, l| {
            if has_rule(rs, |r| matches!(r, Rule::Deletion)) {
                met(format!("{l}: deletion rule"))
            } else {
                missing(format!("{l}: no deletion rule"))
            }
        },
    );
    let mut notes = force_notes;
    for note in deletion_notes {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    both(decide(&force, &[]), decide(&deletion, &[]), &notes)
}

pub(super) fn signed_commits(eff: &Effective<'_>) -> Verdict {
    judge_with(
        eff,
        |cp| match cp.required_signatures {
            Some(true) => met("classic protection: required_signatures"),
            Some(false) => missing("classic protection: signed commits not required"),
            None => unread(
                "classic protection: required_signatures not read",
                "classic protection: required_signatures not read",
            ),
        },
        |rs, l| {
            if has_rule(rs, |r| matches!(r, Rule::RequiredSignatures)) {
                met(format!("{l}: required_signatures rule"))
            } else {
                missing(format!("{l}: no required_signatures rule"))
            }
        },
    )
}

fn bypass_text(rs: &Ruleset) -> String {
    let actors: Vec<String> = rs
        .bypass_actors
        .iter()
        .take(3)
        .map(|a| {
            let mut s = clean(&a.actor_type);
            if let Some(id) = a.actor_id {
                s.push_str(&format!(" {id}"));
            }
            if a.bypass_mode != "always" {
                s.push_str(&format!(" ({})", clean(&a.bypass_mode)));
            }
            s
        })
        .collect();
    let more = if rs.bypass_actors.len() > 3 {
        ", …"
    } else {
        ""
    };
    format!("{}: bypass actors {}{more}", label(rs), actors.join(", "))
}

pub(super) fn no_admin_bypass(eff: &Effective<'_>) -> Verdict {
    let bypassed: Vec<String> = eff
        .active
        .iter()
        .filter(|rs| !rs.bypass_actors.is_empty())
        .map(|rs| bypass_text(rs))
        .collect();
    let classic = match eff.classic {
        Fact::Known(Some(cp)) if cp.enforce_admins => {
            met("classic protection: enforce_admins (admins included)")
        }
        Fact::Known(Some(_)) => {
            missing("classic protection: admins not included (enforce_admins off)")
        }
        Fact::Known(None) => missing("classic protection: branch not protected"),
        Fact::Unreadable(why) => unread(
            format!("classic protection unreadable ({})", why.explain()),
            why.explain(),
        ),
    };
    let classic_present = matches!(eff.classic, Fact::Known(Some(_)));
    // Definite failures first: a bypass list, or classic protection that exempts admins.
    if !bypassed.is_empty() || (classic_present && classic.says == Says::Missing) {
        let mut texts: Vec<&str> = Vec::new();
        if classic_present && classic.says == Says::Missing {
            texts.push(&classic.text);
        }
        texts.extend(bypassed.iter().map(String::as_str));
        return Verdict::fail(join(texts.into_iter(), &[]));
    }
    let mut parts = vec![classic];
    for (what, why) in &eff.unreadable_rulesets {
        parts.push(unread(
            format!("{what} unreadable ({})", why.explain()),
            why.explain(),
        ));
    }
    let unreadable = parts.iter().any(|p| matches!(p.says, Says::Unread(_)));
    if unreadable {
        return decide(
            &parts
                .into_iter()
                .map(|mut p| {
                    if p.says == Says::Met {
                        p.says = Says::Missing; // one met source does not decide a conjunction
                    }
                    p
                })
                .collect::<Vec<_>>(),
            &[],
        );
    }
    if !classic_present && eff.active.is_empty() {
        return Verdict::fail(format!(
            "classic protection: branch not protected; no active ruleset targets {}",
            clean(eff.branch)
        ));
    }
    let rulesets = match eff.active.len() {
        0 => "no active ruleset".to_owned(),
        1 => "1 active ruleset, no bypass actors".to_owned(),
        n => format!("{n} active rulesets, no bypass actors"),
    };
    let head = if classic_present {
        "classic protection: enforce_admins (admins included)"
    } else {
        "no classic protection"
    };
    Verdict::pass(format!("{head}; {rulesets}"))
}
