//! Judging one repository (or the org): every control of the registry, in registry order,
//! each through the facts gathered once per repository ([`RepoView`]).

use std::cell::OnceCell;

use crate::model::{OrgSecret, Reach, Repo, Unreadable, Visibility};

use super::branch::GithubBranch;
use super::control::{OrgControl, RepoControl};
use super::pipelines::Pipelines;
use super::registry::{ORG_CONTROLS, REPO_CONTROLS};
use super::{Context, Verdict};

/// Names that make a secret a static cloud credential (equal, or a `_`-separated suffix).
pub const STATIC_KEY_NAMES: [&str; 10] = [
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_ACCESS_KEY",
    "GCP_SA_KEY",
    "GCP_CREDENTIALS",
    "GOOGLE_CREDENTIALS",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "AZURE_CREDENTIALS",
    "AZURE_CLIENT_SECRET",
    "ARM_CLIENT_SECRET",
];

/// True when `name` equals `key` or ends in `_` + `key`, compared case-insensitively.
fn name_matches(name: &str, key: &str) -> bool {
    let (n, k) = (name.as_bytes(), key.as_bytes());
    if n.len() == k.len() {
        return n.eq_ignore_ascii_case(k);
    }
    n.len() > k.len()
        && n[n.len() - k.len() - 1] == b'_'
        && n[n.len() - k.len()..].eq_ignore_ascii_case(k)
}

/// Whether a secret name is a static cloud credential: the built-in names plus
/// `extra` (config `extra_static_key_names`), by the same rule.
pub fn is_static_key_name(name: &str, extra: &[String]) -> bool {
    STATIC_KEY_NAMES.iter().any(|k| name_matches(name, k))
        || extra.iter().any(|k| name_matches(name, k))
}

/// Whether an org secret is visible to `repo` (`all`; `private` for private/internal repos;
/// `selected` when the repo is in the list).
pub fn org_secret_visible(secret: &OrgSecret, repo: &Repo) -> bool {
    match secret.visibility {
        Reach::All => true,
        Reach::Private => repo.visibility != Visibility::Public,
        Reach::Selected => secret.selected_repos.iter().any(|r| r == &repo.name),
    }
}

/// A static cloud key secret visible to a repository, and where it is defined.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StaticKey<'a> {
    /// Secret name.
    pub name: &'a str,
    /// Defined at org level (else repo level).
    pub org: bool,
}

/// The judge of one assessment: the context plus what is computed once for all repositories.
pub struct Judge<'c> {
    /// The shared context.
    pub ctx: &'c Context<'c>,
    /// The repository controls judged, in order.
    repo_controls: &'c [&'c RepoControl],
    /// The org controls judged, in order.
    org_controls: &'c [&'c OrgControl],
    /// Org secrets whose names are static cloud keys.
    org_static: Vec<&'c OrgSecret>,
    /// Why org secrets could not be read, when they could not.
    org_secrets_unreadable: Option<&'c Unreadable>,
}

/// Per-repository facts gathered once and shared by the band judges.
pub(crate) struct RepoView<'c> {
    /// The judge.
    pub judge: &'c Judge<'c>,
    /// The repository.
    pub repo: &'c Repo,
    /// Its pipeline files.
    pub pipelines: Pipelines<'c>,
    /// Static cloud key secrets visible to it (repo and org level).
    pub static_keys: Vec<StaticKey<'c>>,
    /// Why visible secrets could not all be read, with the API that failed.
    pub secrets_unreadable: Option<(String, &'c Unreadable)>,
    /// GitHub branch protection sources, gathered when a branch control first asks.
    github_branch: OnceCell<GithubBranch<'c>>,
}

impl<'c> RepoView<'c> {
    /// True for a GitLab project.
    pub fn gitlab(&self) -> bool {
        self.repo.gitlab.is_some()
    }

    /// The API a repository fact came from: `GET /repos/o/r{github}` or
    /// `GET /projects/{id}{gitlab}` (formatted only when displayed).
    pub fn api(&self, github: &'static str, gitlab: &'static str) -> Api<'c> {
        Api {
            repo: self.repo,
            github,
            gitlab,
        }
    }

    /// Where the pipeline file list comes from.
    pub fn pipelines_source(&self) -> Api<'c> {
        self.api(
            "/contents/.github/workflows",
            "/repository/files/.gitlab-ci.yml",
        )
    }

    /// The `unknown` a control gets when its pipeline facts are incomplete.
    pub fn pipeline_blocker(&self) -> Option<Verdict> {
        self.pipelines.blocker(self.pipelines_source())
    }

    /// The GitHub default branch's protection sources (gathered on first use).
    pub fn github_branch(&self) -> &GithubBranch<'c> {
        self.github_branch
            .get_or_init(|| GithubBranch::of(self.judge.ctx, self.repo))
    }

    /// Settings.
    pub fn settings(&self) -> &'c crate::config::Settings {
        self.judge.ctx.settings
    }

    /// Where org secrets come from.
    pub fn org_secrets_source(&self) -> String {
        org_api(self.judge.ctx, "/actions/secrets", "/variables")
    }
}

/// A repository API endpoint, displayed as `GET /repos/o/r/...` or `GET /projects/7/...`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Api<'a> {
    repo: &'a Repo,
    github: &'static str,
    gitlab: &'static str,
}

impl std::fmt::Display for Api<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.repo.gitlab {
            Some(project) => write!(f, "GET /projects/{}{}", project.id, self.gitlab),
            None => write!(f, "GET /repos/{}{}", self.repo.name, self.github),
        }
    }
}

impl From<Api<'_>> for String {
    fn from(api: Api<'_>) -> String {
        api.to_string()
    }
}

/// `GET /orgs/{org}{github}` or `GET /groups/{org}{gitlab}`.
pub(crate) fn org_api(ctx: &Context<'_>, github: &str, gitlab: &str) -> String {
    match ctx.snapshot.provider {
        crate::model::Provider::Github => format!("GET /orgs/{}{github}", ctx.snapshot.org),
        crate::model::Provider::Gitlab => format!("GET /groups/{}{gitlab}", ctx.snapshot.org),
    }
}

impl<'c> Judge<'c> {
    /// Prepare a judge of the built-in controls for one assessment.
    pub fn new(ctx: &'c Context<'c>) -> Self {
        Self::with_controls(ctx, REPO_CONTROLS, ORG_CONTROLS)
    }

    /// Prepare a judge of the given controls (a registry's) for one assessment.
    pub fn with_controls(
        ctx: &'c Context<'c>,
        repo_controls: &'c [&'c RepoControl],
        org_controls: &'c [&'c OrgControl],
    ) -> Self {
        let extra = &ctx.settings.extra_static_key_names;
        let (org_static, org_secrets_unreadable) = match ctx.snapshot.org_facts.secrets.as_result()
        {
            Ok(secrets) => (
                secrets
                    .iter()
                    .filter(|s| is_static_key_name(&s.name, extra))
                    .collect(),
                None,
            ),
            Err(why) => (Vec::new(), Some(why)),
        };
        Self {
            ctx,
            repo_controls,
            org_controls,
            org_static,
            org_secrets_unreadable,
        }
    }

    /// Verdicts for every repository control, in the judge's control order.
    /// Archived repositories are `not_applicable` for everything.
    pub fn repo(&self, repo: &Repo) -> Vec<Verdict> {
        if repo.archived {
            return self
                .repo_controls
                .iter()
                .map(|_| Verdict::not_applicable("archived repository"))
                .collect();
        }
        let view = self.view(repo);
        self.repo_controls
            .iter()
            .map(|control| (control.judge)(&view))
            .collect()
    }

    /// Verdicts for every org control, in the judge's control order.
    pub fn org(&self) -> Vec<Verdict> {
        self.org_controls
            .iter()
            .map(|control| (control.judge)(self.ctx))
            .collect()
    }

    /// Gather what the controls share about one repository.
    pub(crate) fn view<'r>(&'r self, repo: &'r Repo) -> RepoView<'r> {
        let extra = &self.ctx.settings.extra_static_key_names;
        let mut static_keys = Vec::new();
        let mut secrets_unreadable = None;
        match repo.secrets.as_result() {
            Ok(secrets) => static_keys.extend(
                secrets
                    .iter()
                    .filter(|s| is_static_key_name(&s.name, extra))
                    .map(|s| StaticKey {
                        name: &s.name,
                        org: false,
                    }),
            ),
            Err(why) => {
                let api = match &repo.gitlab {
                    Some(p) => format!("GET /projects/{}/variables", p.id),
                    None => format!("GET /repos/{}/actions/secrets", repo.name),
                };
                secrets_unreadable = Some((api, why));
            }
        }
        static_keys.extend(
            self.org_static
                .iter()
                .filter(|s| org_secret_visible(s, repo))
                .map(|s| StaticKey {
                    name: &s.name,
                    org: true,
                }),
        );
        if secrets_unreadable.is_none()
            && let Some(why) = self.org_secrets_unreadable
        {
            secrets_unreadable = Some((org_api(self.ctx, "/actions/secrets", "/variables"), why));
        }
        RepoView {
            judge: self,
            repo,
            pipelines: Pipelines::new(self.ctx, repo),
            static_keys,
            secrets_unreadable,
            github_branch: OnceCell::new(),
        }
    }
}

/// Verdicts for every built-in repository control of `repo`, aligned with `Catalog::builtin().repo`.
/// Archived repositories are `not_applicable` for everything.
pub fn judge_repo(ctx: &Context<'_>, repo: &Repo) -> Vec<Verdict> {
    Judge::new(ctx).repo(repo)
}

/// Verdicts for the org controls, aligned with `Catalog::builtin().org`.
pub fn judge_org(ctx: &Context<'_>) -> Vec<Verdict> {
    Judge::new(ctx).org()
}
