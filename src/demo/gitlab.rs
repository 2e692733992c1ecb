//! The GitLab demo group `acme-gl`: projects in subgroups, GitLab-only facts.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::gitlab_projects::{GROUP_RUNNERS, Gp, PROJECTS, Pr, Spec};
use super::templates::{GITLAB_CI_PATH, Gl, file_ref};
use crate::model::{
    ApprovalRule, ApprovalSettings, Environment, Fact, GitlabProject, JobTokenScope, OrgFacts,
    OrgSecret, ProtectedBranch, PushRules, Reach, Release, ReleaseBranches, Repo, Runner,
    SecretMeta, SecretScanning, Snapshot, Traffic,
};
use crate::pipeline::FileKind;

/// The full path of the GitLab demo group.
pub const GROUP: &str = "acme-gl";

/// When the GitLab demo snapshot was taken.
pub fn taken_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// The GitLab demo snapshot.
pub fn snapshot() -> Snapshot {
    let now = taken_at();
    let mut snap = Snapshot::new(
        crate::model::Provider::Gitlab,
        GROUP,
        "https://gitlab.com/api/v4",
        now,
    );
    snap.synced_by = Some("mhernandez".to_owned());
    snap.token.scopes = vec!["read_api".to_owned()];
    snap.org_facts = OrgFacts {
        rulesets: Fact::Known(Vec::new()),
        security_defaults: Fact::unreadable_with(
            None,
            "GitLab exposes no group-level default for secret detection",
            None,
        ),
        workflow_token: Fact::unreadable_with(
            None,
            "GitLab has no group default job token permission",
            None,
        ),
        runner_groups: Fact::unreadable_with(
            None,
            "GitLab has no runner groups: a group runner serves every project below the group",
            None,
        ),
        secrets: Fact::Known(vec![
            OrgSecret {
                name: "SONAR_TOKEN".to_owned(),
                updated_at: None,
                visibility: Reach::All,
                selected_repos: Vec::new(),
            },
            OrgSecret {
                name: "NPM_REGISTRY_TOKEN".to_owned(),
                updated_at: None,
                visibility: Reach::All,
                selected_repos: Vec::new(),
            },
        ]),
        oidc_subject: Fact::unreadable_with(
            None,
            "GitLab ID token claims are not configurable per group",
            None,
        ),
    };
    for (i, spec) in PROJECTS.iter().enumerate() {
        let repo = project(&mut snap, spec, 41_000_100 + i as u64 * 7, now);
        snap.repos.push(repo);
    }
    snap.token.cannot_see = cannot_see(&snap);
    snap
}

/// The pre-flight summary, counted from the facts so it always agrees with them.
fn cannot_see(snap: &Snapshot) -> Vec<String> {
    let count = |f: &dyn Fn(&GitlabProject) -> bool| {
        snap.repos
            .iter()
            .filter_map(|r| r.gitlab.as_ref())
            .filter(|g| f(g))
            .count()
    };
    let push_rules = count(&|g| g.push_rules.unreadable().is_some());
    let spp = count(&|g| g.secret_push_protection.unreadable().is_some());
    let stats = snap
        .repos
        .iter()
        .filter(|r| r.traffic.unreadable().is_some())
        .count();
    vec![
        format!("push rules of {push_rules} projects: 404, needs GitLab Premium"),
        format!("secret push protection of {spp} projects: needs GitLab Ultimate"),
        format!("repository statistics of {stats} projects: 403, needs Reporter access"),
        "group security defaults, runner groups and OIDC settings: not exposed by the GitLab API"
            .to_owned(),
    ]
}

fn protected_branch(prot: Gp) -> Option<ProtectedBranch> {
    let (push, merge, force) = match prot {
        Gp::Strict => (0, 40, false),
        Gp::Maintainers => (40, 40, false),
        Gp::Weak => (30, 30, true),
        Gp::None => return None,
    };
    Some(ProtectedBranch {
        name: "main".to_owned(),
        push_access_levels: vec![push],
        merge_access_levels: vec![merge],
        allow_force_push: force,
        code_owner_approval_required: prot == Gp::Strict,
    })
}

fn project(snap: &mut Snapshot, spec: &Spec, id: u64, now: DateTime<Utc>) -> Repo {
    let mut repo = Repo::new(&format!("{GROUP}/{}", spec.path), spec.vis, "main");
    repo.description = Some(spec.desc.to_owned());
    repo.archived = spec.archived;
    repo.stars = spec.stars;
    repo.forks = spec.forks;
    repo.pushed_at = Some(now - Duration::days(if spec.archived { 800 } else { 2 }));
    repo.traffic = match spec.fetches {
        Some(n) => Fact::Known(Traffic {
            fetches_30d: Some(n),
            ..Traffic::default()
        }),
        None => Fact::unreadable_with(Some(403), "403 Forbidden", Some("Reporter access")),
    };
    repo.classic_protection = Fact::Known(None);
    repo.rulesets = Fact::Known(Vec::new());
    let release_rules = if spec.release_branches.is_empty() {
        Vec::new()
    } else {
        vec![crate::model::BranchRule {
            pattern: "release/*".to_owned(),
            restricts_pushes: false,
        }]
    };
    repo.release_branches = Fact::Known(ReleaseBranches {
        branches: spec
            .release_branches
            .iter()
            .map(|b| (*b).to_owned())
            .collect(),
        rules: release_rules,
    });
    let secret_detection = matches!(spec.ci, Some(Gl::AwsOidc | Gl::NodeSecretDetection));
    repo.secret_scanning = Fact::Known(SecretScanning {
        secret_scanning: secret_detection,
        push_protection: spec.spp.unwrap_or(false),
    });
    repo.secrets = Fact::Known(
        spec.variables
            .iter()
            .map(|name| SecretMeta {
                name: (*name).to_owned(),
                updated_at: None,
            })
            .collect(),
    );
    let pipelines = match spec.ci {
        Some(gl) => vec![file_ref(
            snap,
            FileKind::GitlabCi,
            GITLAB_CI_PATH,
            gl.text(),
        )],
        None => Vec::new(),
    };
    repo.pipelines = Fact::Known(pipelines);
    repo.codeowners = Fact::Known(spec.codeowners.map(str::to_owned));
    // Group runners are picked by tag: projects whose pipeline selects runners by tag list them.
    let tagged = matches!(spec.ci, Some(Gl::TerraformRunners | Gl::DockerRelease));
    repo.runners = Fact::Known(if tagged && !spec.archived {
        GROUP_RUNNERS
            .iter()
            .map(|&(rid, name, tags)| Runner {
                id: rid,
                name: name.to_owned(),
                labels: tags.iter().map(|t| (*t).to_owned()).collect(),
                ephemeral: None,
                scope: "group".to_owned(),
                group: None,
            })
            .collect()
    } else {
        Vec::new()
    });
    repo.workflow_token = Fact::Known(None);
    repo.environments = Fact::Known(
        spec.envs
            .iter()
            .map(|&(name, protected)| Environment {
                name: name.to_owned(),
                protected,
                ..Environment::default()
            })
            .collect(),
    );
    repo.latest_release = Fact::Known(spec.release.map(|tag| Release {
        tag: tag.to_owned(),
        published_at: Some(now - Duration::days(8)),
        attested: None,
    }));
    let mut gitlab = GitlabProject::new(id);
    gitlab.default_branch_protection = Fact::Known(protected_branch(spec.prot));
    gitlab.approval_settings = Fact::Known(ApprovalSettings {
        merge_requests_author_approval: spec.author_approval,
        merge_requests_disable_committers_approval: !spec.committers_approve,
        reset_approvals_on_push: spec.reset_on_push,
    });
    gitlab.approval_rules = Fact::Known(if spec.approvals > 0 {
        vec![ApprovalRule {
            name: "All eligible users".to_owned(),
            approvals_required: spec.approvals,
            rule_type: "any_approver".to_owned(),
        }]
    } else {
        Vec::new()
    });
    gitlab.push_rules = match spec.push_rules {
        Pr::Signed => Fact::Known(Some(PushRules {
            reject_unsigned_commits: true,
        })),
        Pr::Unsigned => Fact::Known(Some(PushRules::default())),
        Pr::NeedsPremium => {
            Fact::unreadable_with(Some(404), "404 Not Found", Some("GitLab Premium"))
        }
    };
    gitlab.pipelines_must_succeed = spec.must_succeed;
    gitlab.secret_push_protection = match spec.spp {
        Some(on) => Fact::Known(on),
        None => Fact::unreadable_with(None, "not returned below Ultimate", Some("GitLab Ultimate")),
    };
    gitlab.job_token_scope = Fact::Known(JobTokenScope {
        inbound_enabled: spec.job_token_allowlist,
    });
    repo.gitlab = Some(gitlab);
    repo
}
