//! Synthetic GitHub orgs of any size for benchmarks: realistic distributions, deterministic
//! per seed, fast (no regex, no hashing per repository: templates are stored once).

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::rng::SplitMix64;
use super::templates::{PRECOMMIT_PATH, Pc, Wf, file_ref};
use crate::model::{
    BypassActor, ClassicProtection, Enforcement, Environment, Fact, FileRef, OidcSubject, OrgFacts,
    OrgSecret, Patterns, PullRequestReviews, Reach, Release, ReleaseBranches, Repo, Rule, Ruleset,
    RulesetSource, Runner, RunnerGroup, SecretMeta, SecretScanning, SecurityDefaults, Snapshot,
    TokenPermission, Traffic, Visibility,
};
use crate::pipeline::FileKind;

const PREFIXES: &[&str] = &[
    "payments",
    "web",
    "api",
    "data",
    "ml",
    "infra",
    "auth",
    "search",
    "billing",
    "mobile",
    "platform",
    "catalog",
    "orders",
    "notify",
    "analytics",
    "edge",
    "ledger",
    "identity",
];
const SUFFIXES: &[&str] = &[
    "service", "api", "worker", "ui", "pipeline", "lib", "cli", "jobs", "gateway", "sdk", "etl",
    "config",
];
const DESCRIPTIONS: &[&str] = &[
    "Internal service",
    "Shared library",
    "Batch jobs",
    "Frontend application",
    "Infrastructure as code",
    "Command-line tool",
];
const OTHER_SECRETS: &[&str] = &[
    "SLACK_WEBHOOK_URL",
    "SENTRY_AUTH_TOKEN",
    "CODECOV_TOKEN",
    "NPM_TOKEN",
    "DOCKERHUB_TOKEN",
    "DATADOG_API_KEY",
];
const CI: &[Wf] = &[Wf::CiNode, Wf::CiGo, Wf::CiPython];
/// Deploy templates with a weight each (percent of deploying repos).
const DEPLOYS: &[(Wf, u64)] = &[
    (Wf::AwsOidc, 30),
    (Wf::AwsStatic, 33),
    (Wf::TerraformStatic, 5),
    (Wf::GcpWif, 10),
    (Wf::GcpKey, 7),
    (Wf::AzureOidc, 8),
    (Wf::Pages, 7),
];
const PUBLISH: &[Wf] = &[
    Wf::ReleaseAttest,
    Wf::DockerPush,
    Wf::NpmPublish,
    Wf::PypiTrusted,
];
const SCANNERS: &[Wf] = &[Wf::Gitleaks, Wf::Trufflehog];
const SELF_HOSTED: &[Wf] = &[
    Wf::SelfHosted,
    Wf::SelfHostedHardened,
    Wf::GpuTraining,
    Wf::DispatchRunner,
];

/// When every synthetic snapshot was taken.
pub fn taken_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Template references, stored once in the snapshot.
struct Stored {
    workflows: Vec<(Wf, FileRef)>,
    gitleaks_hook: FileRef,
    basic_hook: FileRef,
}

impl Stored {
    fn new(snap: &mut Snapshot) -> Self {
        let workflows = Wf::ALL
            .iter()
            .map(|&wf| {
                (
                    wf,
                    file_ref(snap, FileKind::GithubActions, wf.path(), wf.text()),
                )
            })
            .collect();
        Self {
            workflows,
            gitleaks_hook: file_ref(
                snap,
                FileKind::PreCommit,
                PRECOMMIT_PATH,
                Pc::Gitleaks.text(),
            ),
            basic_hook: file_ref(snap, FileKind::PreCommit, PRECOMMIT_PATH, Pc::Basic.text()),
        }
    }

    fn get(&self, wf: Wf) -> Option<FileRef> {
        self.workflows
            .iter()
            .find(|(w, _)| *w == wf)
            .map(|(_, r)| r.clone())
    }
}

/// A synthetic org of `repos` repositories, identical for the same `seed`.
pub fn synthetic(repos: usize, seed: u64) -> Snapshot {
    let now = taken_at();
    let org = format!("synthetic-{seed}");
    let mut snap = Snapshot::new(
        crate::model::Provider::Github,
        &org,
        "https://api.github.com",
        now,
    );
    snap.synced_by = Some("posture-demo".to_owned());
    let mut rng = SplitMix64::new(seed);
    let stored = Stored::new(&mut snap);
    let runners = runner_pool(repos);
    snap.org_facts = org_facts(now, &org, &mut rng);
    snap.repos.reserve(repos);
    for i in 0..repos {
        let repo = repo(&mut rng, &stored, &runners, &org, i, now);
        snap.repos.push(repo);
    }
    snap
}

fn runner_pool(repos: usize) -> Vec<Runner> {
    let count = (repos / 200).clamp(4, 2_000);
    (0..count)
        .map(|i| Runner {
            id: 10_000 + i as u64,
            name: format!("runner-{i:04}"),
            labels: vec![
                "self-hosted".to_owned(),
                "linux".to_owned(),
                "x64".to_owned(),
            ],
            // One in ten is ephemeral; the API says nothing for one in five.
            ephemeral: match i % 10 {
                0 => Some(true),
                1 | 2 => None,
                _ => Some(false),
            },
            scope: "org".to_owned(),
            group: Some(if i % 3 == 0 { "Default" } else { "build" }.to_owned()),
        })
        .collect()
}

fn org_facts(now: DateTime<Utc>, org: &str, rng: &mut SplitMix64) -> OrgFacts {
    let mut rulesets = Vec::new();
    for (i, prefix) in PREFIXES.iter().take(5).enumerate() {
        let enforcement = match i {
            3 => Enforcement::Evaluate,
            4 => Enforcement::Disabled,
            _ => Enforcement::Active,
        };
        rulesets.push(Ruleset {
            id: 900_000 + i as u64,
            name: format!("{prefix}-baseline"),
            source: RulesetSource::Org,
            enforcement,
            target: "branch".to_owned(),
            ref_name: Patterns {
                include: vec!["~DEFAULT_BRANCH".to_owned()],
                exclude: Vec::new(),
            },
            repository_name: Some(Patterns {
                include: vec![format!("{prefix}-*")],
                exclude: Vec::new(),
            }),
            bypass_actors: if i == 1 {
                vec![BypassActor {
                    actor_type: "OrganizationAdmin".to_owned(),
                    actor_id: None,
                    bypass_mode: "always".to_owned(),
                }]
            } else {
                Vec::new()
            },
            rules: vec![
                Rule::Deletion,
                Rule::NonFastForward,
                Rule::PullRequest {
                    parameters: PullRequestReviews {
                        required_approving_review_count: 1,
                        dismiss_stale_reviews: true,
                        require_code_owner_reviews: false,
                        require_last_push_approval: rng.percent(50),
                    },
                },
            ],
        });
    }
    let _ = org;
    OrgFacts {
        rulesets: Fact::Known(rulesets),
        security_defaults: Fact::Known(SecurityDefaults {
            secret_scanning: true,
            push_protection: false,
        }),
        workflow_token: Fact::Known(Some(TokenPermission::Write)),
        runner_groups: Fact::Known(vec![
            RunnerGroup {
                id: 1,
                name: "Default".to_owned(),
                visibility: Reach::All,
                allows_public_repositories: false,
            },
            RunnerGroup {
                id: 2,
                name: "build".to_owned(),
                visibility: Reach::Selected,
                allows_public_repositories: false,
            },
        ]),
        secrets: Fact::Known(vec![
            OrgSecret {
                name: "NPM_TOKEN".to_owned(),
                updated_at: Some(now - Duration::days(120)),
                visibility: Reach::All,
                selected_repos: Vec::new(),
            },
            OrgSecret {
                name: "SLACK_WEBHOOK_URL".to_owned(),
                updated_at: Some(now - Duration::days(30)),
                visibility: Reach::Private,
                selected_repos: Vec::new(),
            },
        ]),
        oidc_subject: Fact::Known(OidcSubject {
            use_default: true,
            include_claim_keys: Vec::new(),
        }),
    }
}

fn pick_deploy(rng: &mut SplitMix64) -> Wf {
    let total: u64 = DEPLOYS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total);
    for &(wf, weight) in DEPLOYS {
        if roll < weight {
            return wf;
        }
        roll -= weight;
    }
    Wf::AwsOidc
}

/// Classic protection: about a third of repositories, more often the busy ones (teams
/// protect what everyone uses first), a few unreadable.
fn protection(rng: &mut SplitMix64, views: u64) -> Fact<Option<ClassicProtection>> {
    let roll = if views >= 1_000 {
        rng.below(40)
    } else {
        rng.below(100)
    };
    if roll < 3 {
        return Fact::unreadable_with(
            Some(403),
            "Resource not accessible by integration",
            Some("Administration:read"),
        );
    }
    if roll >= 33 {
        return Fact::Known(None);
    }
    let strong = roll < 13;
    Fact::Known(Some(ClassicProtection {
        pull_request_reviews: Some(PullRequestReviews {
            required_approving_review_count: if roll < 28 { 1 } else { 0 },
            dismiss_stale_reviews: strong || rng.percent(40),
            require_code_owner_reviews: strong,
            require_last_push_approval: strong,
        }),
        required_status_checks: if rng.percent(70) {
            vec!["ci".to_owned()]
        } else {
            Vec::new()
        },
        enforce_admins: strong,
        allow_force_pushes: !strong && rng.percent(15),
        allow_deletions: false,
        required_signatures: Some(strong && rng.percent(60)),
        restricts_pushes: false,
    }))
}

fn repo(
    rng: &mut SplitMix64,
    stored: &Stored,
    runners: &[Runner],
    org: &str,
    index: usize,
    now: DateTime<Utc>,
) -> Repo {
    let prefix = rng.pick(PREFIXES).copied().unwrap_or("repo");
    let suffix = rng.pick(SUFFIXES).copied().unwrap_or("service");
    let visibility = match rng.below(100) {
        0..=84 => Visibility::Private,
        85..=92 => Visibility::Internal,
        _ => Visibility::Public,
    };
    let mut repo = Repo::new(
        &format!("{org}/{prefix}-{suffix}-{index}"),
        visibility,
        "main",
    );
    repo.description = rng.pick(DESCRIPTIONS).map(|d| (*d).to_owned());
    repo.archived = rng.percent(5);
    repo.fork = rng.below(1000) < 8;
    repo.pushed_at = Some(now - Duration::days(rng.pareto(1.0, 0.8, 2_000) as i64));
    let views = rng.pareto(3.0, 1.16, 2_000_000);
    repo.stars = rng.pareto(1.0, 1.5, 50_000) - 1;
    repo.forks = repo.stars / 4 + rng.below(3);
    repo.traffic = if rng.percent(3) {
        Fact::unreadable_with(
            Some(403),
            "Must have push access to repository",
            Some("push access"),
        )
    } else {
        Fact::Known(Traffic {
            views_14d: Some(views),
            uniques_14d: Some(views / 6 + rng.below(3)),
            clones_14d: Some(rng.below(views / 3 + 2)),
            fetches_30d: None,
        })
    };
    repo.classic_protection = protection(rng, views);
    repo.secret_scanning = match rng.below(100) {
        0..=1 => Fact::unreadable_with(
            None,
            "security_and_analysis is returned to repository admins only",
            Some("admin access to the repository"),
        ),
        2..=36 => Fact::Known(SecretScanning {
            secret_scanning: true,
            push_protection: true,
        }),
        37..=56 => Fact::Known(SecretScanning {
            secret_scanning: true,
            push_protection: false,
        }),
        _ => Fact::Known(SecretScanning::default()),
    };

    let mut workflows: Vec<Wf> = Vec::with_capacity(4);
    if rng.percent(85) {
        workflows.push(*rng.pick(CI).unwrap_or(&Wf::CiNode));
    }
    let deploy = if rng.percent(40) {
        let wf = pick_deploy(rng);
        workflows.push(wf);
        Some(wf)
    } else {
        None
    };
    if rng.percent(15) {
        workflows.push(*rng.pick(PUBLISH).unwrap_or(&Wf::DockerPush));
    }
    if rng.percent(20) {
        workflows.push(*rng.pick(SCANNERS).unwrap_or(&Wf::Gitleaks));
    }
    let self_hosted = rng.percent(8);
    if self_hosted {
        workflows.push(*rng.pick(SELF_HOSTED).unwrap_or(&Wf::SelfHosted));
        let first = rng.below(runners.len() as u64) as usize;
        let count = 1 + rng.below(3) as usize;
        repo.runners = Fact::Known(
            runners
                .iter()
                .cycle()
                .skip(first)
                .take(count.min(runners.len()))
                .cloned()
                .collect(),
        );
    }
    repo.pipelines = Fact::Known(workflows.iter().filter_map(|&wf| stored.get(wf)).collect());

    let mut secrets = Vec::new();
    match deploy {
        Some(Wf::AwsStatic) => {
            let age = rng.pareto(10.0, 0.9, 2_000) as i64;
            for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
                secrets.push(SecretMeta {
                    name: name.to_owned(),
                    updated_at: Some(now - Duration::days(age)),
                });
            }
        }
        Some(Wf::TerraformStatic) => {
            let age = rng.pareto(10.0, 0.9, 2_000) as i64;
            for name in ["PROD_AWS_ACCESS_KEY_ID", "PROD_AWS_SECRET_ACCESS_KEY"] {
                secrets.push(SecretMeta {
                    name: name.to_owned(),
                    updated_at: Some(now - Duration::days(age)),
                });
            }
        }
        Some(Wf::GcpKey) => secrets.push(SecretMeta {
            name: "GCP_SA_KEY".to_owned(),
            updated_at: Some(now - Duration::days(rng.pareto(10.0, 0.9, 2_000) as i64)),
        }),
        _ => {}
    }
    for _ in 0..rng.below(3) {
        if let Some(name) = rng.pick(OTHER_SECRETS)
            && secrets.iter().all(|s| s.name != *name)
        {
            secrets.push(SecretMeta {
                name: (*name).to_owned(),
                updated_at: Some(now - Duration::days(rng.pareto(5.0, 0.8, 2_000) as i64)),
            });
        }
    }
    repo.secrets = if rng.below(100) < 2 {
        Fact::unreadable_with(
            Some(403),
            "Resource not accessible by integration",
            Some("Secrets:read"),
        )
    } else {
        Fact::Known(secrets)
    };

    if deploy.is_some_and(|wf| wf != Wf::Pages) {
        let reviewers = if rng.percent(45) {
            1 + rng.below(2) as u32
        } else {
            0
        };
        repo.environments = Fact::Known(vec![Environment {
            name: if rng.percent(70) {
                "production"
            } else {
                "prod"
            }
            .to_owned(),
            required_reviewers: reviewers,
            protected_branches_only: rng.percent(50),
            ..Environment::default()
        }]);
    }
    if rng.percent(6) {
        repo.release_branches = Fact::Known(ReleaseBranches {
            branches: vec![format!("release/{}.{}", 1 + rng.below(5), rng.below(20))],
            rules: Vec::new(),
        });
    }
    if workflows.iter().any(|wf| PUBLISH.contains(wf)) {
        repo.latest_release = Fact::Known(Some(Release {
            tag: format!("v{}.{}.{}", rng.below(4), rng.below(30), rng.below(10)),
            published_at: Some(now - Duration::days(rng.below(200) as i64)),
            attested: Some(workflows.contains(&Wf::ReleaseAttest)),
        }));
    }
    if rng.percent(15) {
        let hook = if rng.percent(40) {
            &stored.gitleaks_hook
        } else {
            &stored.basic_hook
        };
        repo.precommit = Fact::Known(Some(hook.clone()));
    }
    if rng.percent(50) {
        repo.codeowners = Fact::Known(Some(".github/CODEOWNERS".to_owned()));
    }
    repo.workflow_token = Fact::Known(Some(if rng.percent(25) {
        TokenPermission::Read
    } else {
        TokenPermission::Write
    }));
    repo
}
