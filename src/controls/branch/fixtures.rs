//! Test fixtures of the branch band: snapshots, repos, classic protection and rulesets.

pub(crate) use chrono::{TimeZone, Utc};

pub(crate) use crate::config::Settings;
pub(crate) use crate::controls::branch::judge;
pub(crate) use crate::controls::{Band, Catalog, Context, Status, Verdict};
pub(crate) use crate::model::{
    BranchRule, BypassActor, ClassicProtection, Enforcement, Fact, Patterns, Provider,
    PullRequestReviews, ReleaseBranches, Repo, Rule, Ruleset, RulesetSource, Snapshot, Visibility,
};

pub(crate) const IDS: [&str; 10] = [
    "branch-protected",
    "pr-required",
    "approving-review",
    "last-push-approval",
    "status-checks",
    "dismiss-stale-reviews",
    "no-force-push",
    "signed-commits",
    "no-admin-bypass",
    "release-push-restricted",
];

pub(crate) fn snapshot() -> Snapshot {
    let taken = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    Snapshot::new(Provider::Github, "acme", "https://api.github.com", taken)
}

pub(crate) fn repo(name: &str) -> Repo {
    Repo::new(&format!("acme/{name}"), Visibility::Private, "main")
}

pub(crate) fn run_with(snapshot: &Snapshot, repo: &Repo, settings: &Settings) -> Vec<Verdict> {
    let ctx = Context::new(snapshot, settings);
    let mut out = Vec::new();
    judge(&ctx, repo, &mut out);
    assert_eq!(out.len(), 10, "exactly 10 branch verdicts");
    out
}

pub(crate) fn run(snapshot: &Snapshot, repo: &Repo) -> Vec<Verdict> {
    run_with(snapshot, repo, &Settings::default())
}

pub(crate) fn get<'v>(verdicts: &'v [Verdict], id: &str) -> &'v Verdict {
    let i = IDS.iter().position(|x| *x == id).unwrap();
    &verdicts[i]
}

pub(crate) fn status(verdicts: &[Verdict], id: &str) -> Status {
    get(verdicts, id).status
}

pub(crate) fn full_classic() -> ClassicProtection {
    ClassicProtection {
        pull_request_reviews: Some(PullRequestReviews {
            required_approving_review_count: 1,
            dismiss_stale_reviews: true,
            require_code_owner_reviews: false,
            require_last_push_approval: true,
        }),
        required_status_checks: vec!["ci/build".into()],
        enforce_admins: true,
        allow_force_pushes: false,
        allow_deletions: false,
        required_signatures: Some(true),
        restricts_pushes: true,
    }
}

pub(crate) fn pr(n: u32) -> Rule {
    Rule::PullRequest {
        parameters: PullRequestReviews {
            required_approving_review_count: n,
            ..Default::default()
        },
    }
}

pub(crate) fn strict_rules() -> Vec<Rule> {
    vec![
        Rule::PullRequest {
            parameters: PullRequestReviews {
                required_approving_review_count: 2,
                dismiss_stale_reviews: true,
                require_code_owner_reviews: true,
                require_last_push_approval: true,
            },
        },
        Rule::RequiredStatusChecks {
            contexts: vec!["ci".into()],
        },
        Rule::NonFastForward,
        Rule::Deletion,
        Rule::RequiredSignatures,
    ]
}

pub(crate) fn ruleset(
    id: u64,
    name: &str,
    source: RulesetSource,
    refs: &[&str],
    rules: Vec<Rule>,
) -> Ruleset {
    Ruleset {
        id,
        name: name.into(),
        source,
        enforcement: Enforcement::Active,
        target: "branch".into(),
        ref_name: Patterns {
            include: refs.iter().map(|s| s.to_string()).collect(),
            exclude: vec![],
        },
        repository_name: match source {
            RulesetSource::Org => Some(Patterns {
                include: vec!["~ALL".into()],
                exclude: vec![],
            }),
            RulesetSource::Repo => None,
        },
        bypass_actors: vec![],
        rules,
    }
}

pub(crate) fn forbidden() -> Fact<Option<ClassicProtection>> {
    Fact::unreadable_with(
        Some(403),
        "Resource not accessible by integration",
        Some("Administration:read"),
    )
}

pub(crate) fn release(branches: &[&str], rules: &[(&str, bool)]) -> Fact<ReleaseBranches> {
    Fact::Known(ReleaseBranches {
        branches: branches.iter().map(|s| s.to_string()).collect(),
        rules: rules
            .iter()
            .map(|(p, restricts)| BranchRule {
                pattern: p.to_string(),
                restricts_pushes: *restricts,
            })
            .collect(),
    })
}
