//! The GitHub demo org `acme`: facts built from the repository table (`top`, `long_tail`,
//! `unreadable`, shaped by `spec`).

mod long_tail;
mod spec;
mod top;
mod unreadable;

use chrono::{DateTime, Duration, TimeZone, Utc};

use self::spec::{BASELINE_REPOS, ORG_DEFAULT_TOKEN, Prot, RUNNERS, Scan, Spec, Tr};
use super::templates::{PRECOMMIT_PATH, file_ref};
use crate::model::{
    BranchRule, BypassActor, ClassicProtection, Enforcement, Environment, Fact, OidcSubject,
    OrgFacts, OrgSecret, Patterns, PullRequestReviews, Reach, Release, ReleaseBranches, Repo, Rule,
    Ruleset, RulesetSource, Runner, RunnerGroup, SecretMeta, SecretScanning, SecurityDefaults,
    Snapshot, Traffic,
};
use crate::pipeline::FileKind;

/// The org login of the GitHub demo.
pub const ORG: &str = "acme";

/// When the GitHub demo snapshot was taken.
pub fn taken_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// The GitHub demo snapshot.
pub fn snapshot() -> Snapshot {
    let now = taken_at();
    let mut snap = Snapshot::new(
        crate::model::Provider::Github,
        ORG,
        "https://api.github.com",
        now,
    );
    snap.synced_by = Some("mhernandez-sec".to_owned());
    // A fine-grained personal access token: what it may read is also capped by its owner's
    // role on each repository, hence the per-repository 403s below.
    snap.token.scopes = [
        "Metadata:read",
        "Contents:read",
        "Actions:read",
        "Administration:read",
        "Secrets:read",
        "Environments:read",
        "Organization administration:read",
        "Organization self-hosted runners:read",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    snap.org_facts = org_facts(now);
    for spec in top::REPOS
        .iter()
        .chain(long_tail::REPOS)
        .chain(unreadable::REPOS)
    {
        let repo = repo(&mut snap, spec, now);
        snap.repos.push(repo);
    }
    snap.token.cannot_see = cannot_see(&snap);
    snap
}

/// The pre-flight summary, counted from the facts so it always agrees with them.
fn cannot_see(snap: &Snapshot) -> Vec<String> {
    let count = |f: &dyn Fn(&Repo) -> bool| snap.repos.iter().filter(|r| f(r)).count();
    let traffic = count(&|r| r.traffic.unreadable().is_some());
    let protection = count(&|r| r.classic_protection.unreadable().is_some());
    let secrets = count(&|r| r.secrets.unreadable().is_some());
    let scanning = count(&|r| r.secret_scanning.unreadable().is_some());
    vec![
        format!("traffic of {traffic} repositories: 403, needs push access to the repository"),
        format!(
            "branch protection of {protection} repositories: 403 Resource not accessible by personal access token (needs Administration:read; the token's owner is not an admin there)"
        ),
        format!("Actions secrets of {secrets} repositories: 403, needs Secrets:read"),
        format!(
            "secret scanning settings of {scanning} repositories: not returned without admin access"
        ),
    ]
}

fn days(now: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    now - Duration::days(n)
}

fn forbidden<T>(needs: &str) -> Fact<T> {
    Fact::unreadable_with(
        Some(403),
        "Resource not accessible by personal access token",
        Some(needs),
    )
}

fn full_name(short: &str) -> String {
    format!("{ORG}/{short}")
}

fn strong_reviews() -> PullRequestReviews {
    PullRequestReviews {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
        require_code_owner_reviews: true,
        require_last_push_approval: true,
    }
}

fn all_branch_rules() -> Vec<Rule> {
    vec![
        Rule::Deletion,
        Rule::NonFastForward,
        Rule::RequiredSignatures,
        Rule::PullRequest {
            parameters: strong_reviews(),
        },
        Rule::RequiredStatusChecks {
            contexts: vec!["ci".to_owned()],
        },
    ]
}

fn org_facts(now: DateTime<Utc>) -> OrgFacts {
    let baseline = Ruleset {
        id: 1_402_117,
        name: "baseline".to_owned(),
        source: RulesetSource::Org,
        enforcement: Enforcement::Active,
        target: "branch".to_owned(),
        ref_name: Patterns {
            include: vec!["~DEFAULT_BRANCH".to_owned()],
            exclude: Vec::new(),
        },
        repository_name: Some(Patterns {
            include: BASELINE_REPOS.iter().map(|s| (*s).to_owned()).collect(),
            exclude: Vec::new(),
        }),
        bypass_actors: Vec::new(),
        rules: all_branch_rules(),
    };
    let signed = Ruleset {
        id: 1_630_054,
        name: "require-signed-commits".to_owned(),
        source: RulesetSource::Org,
        enforcement: Enforcement::Evaluate,
        target: "branch".to_owned(),
        ref_name: Patterns {
            include: vec!["~DEFAULT_BRANCH".to_owned()],
            exclude: Vec::new(),
        },
        repository_name: Some(Patterns {
            include: vec!["~ALL".to_owned()],
            exclude: vec!["sandbox-*".to_owned()],
        }),
        bypass_actors: vec![BypassActor {
            actor_type: "OrganizationAdmin".to_owned(),
            actor_id: None,
            bypass_mode: "always".to_owned(),
        }],
        rules: vec![Rule::RequiredSignatures, Rule::NonFastForward],
    };
    let secret = |name: &str, age: i64, visibility: Reach, selected: &[&str]| OrgSecret {
        name: name.to_owned(),
        updated_at: Some(days(now, age)),
        visibility,
        selected_repos: selected.iter().map(|s| full_name(s)).collect(),
    };
    let deploy_repos = ["legacy-billing", "analytics-etl", "hr-integrations"];
    OrgFacts {
        rulesets: Fact::Known(vec![baseline, signed]),
        security_defaults: Fact::Known(SecurityDefaults {
            secret_scanning: true,
            push_protection: false,
        }),
        workflow_token: Fact::Known(Some(ORG_DEFAULT_TOKEN)),
        runner_groups: Fact::Known(vec![
            RunnerGroup {
                id: 1,
                name: "Default".to_owned(),
                visibility: Reach::All,
                allows_public_repositories: true,
            },
            RunnerGroup {
                id: 2,
                name: "linux-build".to_owned(),
                visibility: Reach::Selected,
                allows_public_repositories: false,
            },
            RunnerGroup {
                id: 3,
                name: "gpu".to_owned(),
                visibility: Reach::Selected,
                allows_public_repositories: false,
            },
            RunnerGroup {
                id: 4,
                name: "arc".to_owned(),
                visibility: Reach::Selected,
                allows_public_repositories: false,
            },
        ]),
        secrets: Fact::Known(vec![
            secret("NPM_TOKEN", 210, Reach::All, &[]),
            secret("SLACK_WEBHOOK_URL", 40, Reach::All, &[]),
            secret("SONAR_TOKEN", 75, Reach::Private, &[]),
            secret("GO_MODULES_TOKEN", 45, Reach::Private, &[]),
            secret(
                "DEPLOY_AWS_ACCESS_KEY_ID",
                480,
                Reach::Selected,
                &deploy_repos,
            ),
            secret(
                "DEPLOY_AWS_SECRET_ACCESS_KEY",
                480,
                Reach::Selected,
                &deploy_repos,
            ),
        ]),
        oidc_subject: Fact::Known(OidcSubject {
            use_default: false,
            include_claim_keys: vec![
                "repo".to_owned(),
                "context".to_owned(),
                "job_workflow_ref".to_owned(),
            ],
        }),
    }
}

fn classic(prot: Prot) -> Fact<Option<ClassicProtection>> {
    match prot {
        Prot::Full => Fact::Known(Some(ClassicProtection {
            pull_request_reviews: Some(strong_reviews()),
            required_status_checks: vec!["ci / test".to_owned(), "ci / lint".to_owned()],
            enforce_admins: true,
            allow_force_pushes: false,
            allow_deletions: false,
            required_signatures: Some(true),
            restricts_pushes: false,
        })),
        Prot::Partial => Fact::Known(Some(ClassicProtection {
            pull_request_reviews: Some(PullRequestReviews {
                required_approving_review_count: 1,
                dismiss_stale_reviews: false,
                require_code_owner_reviews: false,
                require_last_push_approval: false,
            }),
            required_status_checks: vec!["build".to_owned()],
            enforce_admins: false,
            allow_force_pushes: false,
            allow_deletions: false,
            required_signatures: Some(false),
            restricts_pushes: false,
        })),
        Prot::Weak => Fact::Known(Some(ClassicProtection {
            pull_request_reviews: Some(PullRequestReviews::default()),
            required_status_checks: Vec::new(),
            enforce_admins: false,
            allow_force_pushes: true,
            allow_deletions: false,
            required_signatures: Some(false),
            restricts_pushes: false,
        })),
        Prot::Forbidden => forbidden("Administration:read"),
        Prot::Baseline | Prot::None | Prot::Bypass => Fact::Known(None),
    }
}

fn repo_rulesets(prot: Prot, index: usize) -> Vec<Ruleset> {
    if prot != Prot::Bypass {
        return Vec::new();
    }
    vec![Ruleset {
        id: 2_001_000 + index as u64,
        name: "main".to_owned(),
        source: RulesetSource::Repo,
        enforcement: Enforcement::Active,
        target: "branch".to_owned(),
        ref_name: Patterns {
            include: vec!["~DEFAULT_BRANCH".to_owned()],
            exclude: Vec::new(),
        },
        repository_name: None,
        bypass_actors: vec![
            BypassActor {
                actor_type: "RepositoryRole".to_owned(),
                actor_id: Some(5),
                bypass_mode: "always".to_owned(),
            },
            BypassActor {
                actor_type: "Integration".to_owned(),
                actor_id: Some(310_442),
                bypass_mode: "always".to_owned(),
            },
        ],
        rules: all_branch_rules(),
    }]
}

fn runners(ids: &[u64]) -> Vec<Runner> {
    RUNNERS
        .iter()
        .filter(|r| ids.contains(&r.0))
        .map(|&(id, name, labels, ephemeral, scope, group)| Runner {
            id,
            name: name.to_owned(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            ephemeral,
            scope: scope.to_owned(),
            group: group.map(str::to_owned),
        })
        .collect()
}

fn repo(snap: &mut Snapshot, spec: &Spec, now: DateTime<Utc>) -> Repo {
    let index = snap.repos.len();
    let mut repo = Repo::new(&full_name(spec.name), spec.vis, "main");
    repo.description = Some(spec.desc.to_owned());
    repo.archived = spec.archived;
    repo.fork = spec.fork;
    repo.topics = spec.topics.iter().map(|t| (*t).to_owned()).collect();
    repo.pushed_at = Some(days(now, spec.pushed));
    repo.stars = spec.stars;
    repo.forks = spec.forks;
    repo.traffic = match spec.traffic {
        Tr::Views(views, uniques, clones) => Fact::Known(Traffic {
            views_14d: Some(views),
            uniques_14d: Some(uniques),
            clones_14d: Some(clones),
            fetches_30d: None,
        }),
        Tr::Forbidden => Fact::unreadable_with(
            Some(403),
            "Must have push access to repository",
            Some("push access"),
        ),
    };
    repo.classic_protection = classic(spec.prot);
    repo.rulesets = Fact::Known(repo_rulesets(spec.prot, index));
    let mut rules = Vec::new();
    if let Some(restricts) = spec.release_rule {
        let pattern = if spec
            .release_branches
            .iter()
            .any(|b| b.starts_with("release-"))
        {
            "release-*"
        } else {
            "release/*"
        };
        rules.push(BranchRule {
            pattern: pattern.to_owned(),
            restricts_pushes: restricts,
        });
    }
    repo.release_branches = Fact::Known(ReleaseBranches {
        branches: spec
            .release_branches
            .iter()
            .map(|b| (*b).to_owned())
            .collect(),
        rules,
    });
    repo.secret_scanning = match spec.scan {
        Scan::Both => Fact::Known(SecretScanning {
            secret_scanning: true,
            push_protection: true,
        }),
        Scan::AlertsOnly => Fact::Known(SecretScanning {
            secret_scanning: true,
            push_protection: false,
        }),
        Scan::Off => Fact::Known(SecretScanning::default()),
        Scan::Forbidden => Fact::unreadable_with(
            None,
            "security_and_analysis is returned to repository admins only",
            Some("admin access to the repository"),
        ),
    };
    repo.secrets = match spec.secrets {
        Some(list) => Fact::Known(
            list.iter()
                .map(|&(name, age)| SecretMeta {
                    name: name.to_owned(),
                    updated_at: Some(days(now, age)),
                })
                .collect(),
        ),
        None => forbidden("Secrets:read"),
    };
    let pipelines = spec
        .wf
        .iter()
        .map(|wf| file_ref(snap, FileKind::GithubActions, wf.path(), wf.text()))
        .collect();
    repo.pipelines = Fact::Known(pipelines);
    repo.precommit = Fact::Known(
        spec.pc
            .map(|pc| file_ref(snap, FileKind::PreCommit, PRECOMMIT_PATH, pc.text())),
    );
    repo.codeowners = Fact::Known(spec.codeowners.map(str::to_owned));
    repo.runners = Fact::Known(runners(spec.runners));
    repo.workflow_token = Fact::Known(Some(spec.token));
    repo.environments = Fact::Known(
        spec.envs
            .iter()
            .map(|&(name, reviewers, protected)| Environment {
                name: name.to_owned(),
                required_reviewers: reviewers,
                protected_branches_only: protected,
                custom_branch_policies: false,
                protected: false,
            })
            .collect(),
    );
    repo.latest_release = Fact::Known(spec.release.map(|(tag, age, attested)| Release {
        tag: tag.to_owned(),
        published_at: Some(days(now, age)),
        attested,
    }));
    repo
}
