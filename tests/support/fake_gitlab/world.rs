//! The data a fake GitLab serves: groups (with subgroups), projects, runners, the token.
//! Shapes follow the GitLab REST API v4 documentation; `None`/flags choose the documented
//! failure answers (404 on Free tier, 403 by role).

#![allow(dead_code)]

use std::collections::BTreeMap;

use serde_json::{Value, json};

pub use super::access::Access;

/// A group or subgroup.
#[derive(Debug, Clone)]
pub struct Group {
    /// Numeric id.
    pub id: u64,
    /// Full path, e.g. `acme-gl/platform`.
    pub full_path: String,
    /// CI/CD variables: key and value.
    pub variables: Vec<(String, String)>,
    /// Variables answer 403 (the token's role is below Maintainer).
    pub variables_forbidden: bool,
}

/// A protected branch rule.
#[derive(Debug, Clone)]
pub struct Protected {
    /// Name or wildcard.
    pub name: String,
    /// Push access level (0 No one, 30 Developer, 40 Maintainer).
    pub push: u8,
    /// Merge access level.
    pub merge: u8,
    /// `allow_force_push`.
    pub force: bool,
    /// `code_owner_approval_required`.
    pub code_owner: bool,
}

/// The push rule of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushRule {
    /// Free tier: the endpoint answers 404.
    Free,
    /// Premium without a push rule: `null`.
    Unset,
    /// Premium with `reject_unsigned_commits`.
    Set { reject_unsigned: bool },
    /// Premium, a push rule created with nothing set: GitLab answers `null` for every unset
    /// setting (the push rule API's attributes are nullable).
    SetNothing,
}

/// A runner (`GET /runners/:id`).
#[derive(Debug, Clone)]
pub struct RunnerSpec {
    /// Description.
    pub description: String,
    /// `instance_type`, `group_type` or `project_type`.
    pub runner_type: String,
    /// Tags.
    pub tags: Vec<String>,
    /// `run_untagged`: picks up jobs without tags.
    pub run_untagged: bool,
}

/// A project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Numeric id.
    pub id: u64,
    /// Full path.
    pub path: String,
    /// `public`, `internal` or `private`.
    pub visibility: String,
    /// Archived.
    pub archived: bool,
    /// Default branch.
    pub default_branch: String,
    /// Stars.
    pub stars: u64,
    /// Forks.
    pub forks: u64,
    /// Topics.
    pub topics: Vec<String>,
    /// `only_allow_merge_if_pipeline_succeeds`.
    pub must_succeed: bool,
    /// `secret_push_protection_enabled`; `None`: not returned (below Ultimate).
    pub spp: Option<bool>,
    /// Protected branches.
    pub protected: Vec<Protected>,
    /// Branch names.
    pub branches: Vec<String>,
    /// `/approvals`: author approval, committers' approval disabled, reset on push;
    /// `None`: 404 (Community Edition).
    pub approvals: Option<(bool, bool, bool)>,
    /// `/approvals` answers 403 (role).
    pub approvals_forbidden: bool,
    /// `/approval_rules`: name, required, type; `None`: 404.
    pub approval_rules: Option<Vec<(String, u32, String)>>,
    /// Push rule.
    pub push_rule: PushRule,
    /// 30-day fetches; `None`: statistics answer 403 (needs Reporter).
    pub fetches: Option<u64>,
    /// CI/CD variables: key and value.
    pub variables: Vec<(String, String)>,
    /// Variables answer 403.
    pub variables_forbidden: bool,
    /// Repository files on the default branch: path → text.
    pub files: BTreeMap<String, String>,
    /// Ids of runners available to the project.
    pub runners: Vec<u64>,
    /// Runners answer 403.
    pub runners_forbidden: bool,
    /// Job token inbound allowlist enabled.
    pub job_token_inbound: bool,
    /// Environments: name and whether it is protected.
    pub environments: Vec<(String, bool)>,
    /// Latest release tag.
    pub release: Option<String>,
}

impl Project {
    /// A private project with defaults: nothing protected, Free-tier answers.
    pub fn new(id: u64, path: &str) -> Self {
        Self {
            id,
            path: path.to_owned(),
            visibility: "private".into(),
            archived: false,
            default_branch: "main".into(),
            stars: 0,
            forks: 0,
            topics: Vec::new(),
            must_succeed: false,
            spp: None,
            protected: Vec::new(),
            branches: vec!["main".into()],
            approvals: None,
            approvals_forbidden: false,
            approval_rules: None,
            push_rule: PushRule::Free,
            fetches: Some(0),
            variables: Vec::new(),
            variables_forbidden: false,
            files: BTreeMap::new(),
            runners: Vec::new(),
            runners_forbidden: false,
            job_token_inbound: false,
            environments: Vec::new(),
            release: None,
        }
    }

    /// The project as `GET /projects/:id` and the group listing show it.
    pub fn json(&self, groups: &[Group]) -> Value {
        let (namespace, name) = self.path.rsplit_once('/').unwrap_or(("", &self.path));
        let ns = groups.iter().find(|g| g.full_path == namespace);
        let mut v = json!({
            "id": self.id,
            "description": format!("project {name}"),
            "name": name,
            "name_with_namespace": self.path.replace('/', " / "),
            "path": name,
            "path_with_namespace": self.path,
            "created_at": "2024-01-10T09:00:00.000Z",
            "default_branch": self.default_branch,
            "tag_list": self.topics,
            "topics": self.topics,
            "ssh_url_to_repo": format!("git@gitlab.example.com:{}.git", self.path),
            "http_url_to_repo": format!("https://gitlab.example.com/{}.git", self.path),
            "web_url": format!("https://gitlab.example.com/{}", self.path),
            "forks_count": self.forks,
            "star_count": self.stars,
            "last_activity_at": "2026-11-20T12:00:00.000Z",
            "namespace": {
                "id": ns.map_or(0, |g| g.id),
                "name": namespace.rsplit('/').next().unwrap_or(namespace),
                "path": namespace.rsplit('/').next().unwrap_or(namespace),
                "kind": "group",
                "full_path": namespace,
            },
            "visibility": self.visibility,
            "archived": self.archived,
            "empty_repo": self.files.is_empty(),
            "only_allow_merge_if_pipeline_succeeds": self.must_succeed,
            "ci_config_path": "",
            "shared_runners_enabled": true,
        });
        if let Some(on) = self.spp {
            v["secret_push_protection_enabled"] = json!(on);
        }
        v
    }
}

/// Everything the fake serves.
#[derive(Debug, Clone)]
pub struct World {
    /// The accepted token.
    pub token: String,
    /// The token owner's username.
    pub username: String,
    /// Groups and subgroups.
    pub groups: Vec<Group>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Runners by id.
    pub runners: BTreeMap<u64, RunnerSpec>,
    /// Tiers of top-level groups and the token user's roles (default: Owner, per-project
    /// tier flags).
    pub access: Access,
}

impl World {
    /// A group by numeric id or full path.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.id.to_string() == id || g.full_path == id)
    }

    /// A project by numeric id or full path.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.id.to_string() == id || p.path == id)
    }

    /// A project by numeric id or full path, mutable.
    pub fn project_mut(&mut self, id: &str) -> Option<&mut Project> {
        self.projects
            .iter_mut()
            .find(|p| p.id.to_string() == id || p.path == id)
    }

    /// Subgroups below `group` (all depths).
    pub fn descendants(&self, group: &Group) -> Vec<&Group> {
        let prefix = format!("{}/", group.full_path);
        self.groups
            .iter()
            .filter(|g| g.full_path.starts_with(&prefix))
            .collect()
    }
}
