//! One project's facts: the listing's basics, then protected branches, approvals, push rule,
//! statistics, variable names, files, runners, job token scope, environments and releases.
//! Every read that fails becomes an unreadable fact with its reason; nothing stops the sync.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::files;
use super::http::{GitlabClient, encode};
use super::reads::{
    approval_rules, approvals, environments, job_token_scope, latest_release, pages, parse,
    push_rule, statistics, unreadable, variables,
};
use super::runners::RunnerCache;
use crate::collect::answer::Failure;
use crate::model::{
    AccessLevel, BranchRule, Fact, GitlabProject, ProtectedBranch, ReleaseBranches, Repo,
    SecretScanning, Unreadable, Visibility,
};
use crate::pipeline::FileKind;

/// A project as `GET /groups/:id/projects` lists it (only the fields used).
#[derive(Debug, Clone, Deserialize)]
pub struct Listed {
    /// Numeric id.
    pub id: u64,
    /// Full path, e.g. `group/sub/project`.
    pub path_with_namespace: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    visibility: Option<String>,
    /// Archived projects are read for their basics only.
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    default_branch: Option<String>,
    #[serde(default)]
    last_activity_at: Option<DateTime<Utc>>,
    #[serde(default)]
    star_count: u64,
    #[serde(default)]
    forks_count: u64,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    forked_from_project: Option<Value>,
    #[serde(default)]
    only_allow_merge_if_pipeline_succeeds: bool,
    #[serde(default)]
    ci_config_path: Option<String>,
    #[serde(default)]
    secret_push_protection_enabled: Option<bool>,
    #[serde(default)]
    pre_receive_secret_detection_enabled: Option<bool>,
}

/// A CI/CD variable as read: the name only. The `value` field is never deserialized, so a
/// value lives no longer than the HTTP body it arrived in.
#[derive(Debug, Deserialize)]
pub struct VariableName {
    /// The variable's name.
    pub key: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Level {
    #[serde(default)]
    access_level: Option<AccessLevel>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawProtected {
    name: String,
    #[serde(default)]
    push_access_levels: Vec<Level>,
    #[serde(default)]
    merge_access_levels: Vec<Level>,
    #[serde(default)]
    allow_force_push: bool,
    #[serde(default)]
    code_owner_approval_required: bool,
}

impl RawProtected {
    fn model(self) -> ProtectedBranch {
        let levels = |v: Vec<Level>| v.into_iter().filter_map(|l| l.access_level).collect();
        ProtectedBranch {
            name: self.name,
            push_access_levels: levels(self.push_access_levels),
            merge_access_levels: levels(self.merge_access_levels),
            allow_force_push: self.allow_force_push,
            code_owner_approval_required: self.code_owner_approval_required,
        }
    }
}

/// A project read in full, with the file texts to store in the snapshot.
pub struct Read {
    /// The repository.
    pub repo: Repo,
    /// Texts for `Snapshot::files`.
    pub texts: Vec<(FileKind, String)>,
}

/// The basics from the listing: enough for an archived project.
pub fn basics(listed: &Listed) -> Repo {
    let visibility = match listed.visibility.as_deref() {
        Some("public") => Visibility::Public,
        Some("internal") => Visibility::Internal,
        _ => Visibility::Private,
    };
    let branch = listed.default_branch.clone().unwrap_or_default();
    let mut repo = Repo::new(&listed.path_with_namespace, visibility, &branch);
    repo.description = listed.description.clone();
    repo.archived = listed.archived;
    repo.fork = listed.forked_from_project.is_some();
    repo.topics = listed.topics.clone();
    repo.pushed_at = listed.last_activity_at;
    repo.stars = listed.star_count;
    repo.forks = listed.forks_count;
    repo.workflow_token = Fact::Known(None);
    let mut gitlab = GitlabProject::new(listed.id);
    gitlab.pipelines_must_succeed = listed.only_allow_merge_if_pipeline_succeeds;
    gitlab.secret_push_protection = secret_push_protection(listed);
    // Below Ultimate there is no secret detection setting: only a pipeline job can scan, so
    // the setting is known to be off. On Ultimate (the project reports push protection), scan
    // execution policies can run secret detection without a job, and REST does not show them.
    repo.secret_scanning = match gitlab.secret_push_protection.known() {
        None => Fact::Known(SecretScanning {
            secret_scanning: false,
            push_protection: false,
        }),
        Some(_) => Fact::Unreadable(Box::new(Unreadable::new(
            None,
            "secret detection enforced by scan execution policies is not readable over REST",
            None,
        ))),
    };
    repo.gitlab = Some(gitlab);
    repo
}

fn secret_push_protection(listed: &Listed) -> Fact<bool> {
    match listed
        .secret_push_protection_enabled
        .or(listed.pre_receive_secret_detection_enabled)
    {
        Some(on) => Fact::Known(on),
        None => Fact::Unreadable(Box::new(Unreadable::new(
            None,
            "secret_push_protection_enabled not returned (an Ultimate setting)",
            Some("GitLab Ultimate"),
        ))),
    }
}

/// Read everything about one project.
pub async fn read(
    client: &GitlabClient,
    listed: &Listed,
    runners: &RunnerCache,
    release_patterns: &globset::GlobSet,
) -> Read {
    let mut repo = basics(listed);
    if listed.archived {
        return Read {
            repo,
            texts: Vec::new(),
        };
    }
    let id = listed.id;
    let branch = repo.default_branch.clone();
    let ci_path = listed.ci_config_path.clone().unwrap_or_default();
    let (protection, approvals, rules, push, stats, vars, files, runs, scope, envs, release) = tokio::join!(
        protection(client, id, &branch, release_patterns),
        approvals(client, id),
        approval_rules(client, id),
        push_rule(client, id),
        statistics(client, id),
        variables(client, id),
        files::read(client, id, &branch, &ci_path),
        runners.for_project(client, id),
        job_token_scope(client, id),
        environments(client, id),
        latest_release(client, id),
    );
    let (default_protection, release_branches) = protection;
    repo.release_branches = release_branches;
    repo.traffic = stats;
    repo.secrets = vars;
    repo.pipelines = files.pipelines;
    repo.precommit = files.precommit;
    repo.codeowners = files.codeowners;
    repo.runners = runs;
    repo.environments = envs;
    repo.latest_release = release;
    if let Some(gitlab) = repo.gitlab.as_mut() {
        gitlab.default_branch_protection = default_protection;
        gitlab.approval_settings = approvals;
        gitlab.approval_rules = rules;
        gitlab.push_rules = push;
        gitlab.job_token_scope = scope;
    }
    Read {
        repo,
        texts: files.texts,
    }
}

/// The default branch's protection and the release branches with the protected branches.
async fn protection(
    client: &GitlabClient,
    id: u64,
    branch: &str,
    release_patterns: &globset::GlobSet,
) -> (Fact<Option<ProtectedBranch>>, Fact<ReleaseBranches>) {
    let single = async {
        if branch.is_empty() {
            return Ok(None);
        }
        let route = format!("/projects/{id}/protected_branches/{}", encode(branch));
        match client.get(&route).await {
            Ok(answer) => parse::<RawProtected>(answer.body, "protected branch").map(Some),
            Err(Failure::Http { status: 404, .. }) => Ok(None),
            Err(f) => Err(f),
        }
    };
    let list_route = format!("/projects/{id}/protected_branches?per_page=100");
    let branches_route = format!("/projects/{id}/repository/branches?search=release&per_page=100");
    let list = client.get_pages(&list_route, true);
    let branches = client.get_pages(&branches_route, true);
    let (single, list, branches) = tokio::join!(single, list, branches);
    let list = list.and_then(|p| pages::<RawProtected>(p, "protected branches"));
    // A wildcard protected branch (`ma*`) protects the default branch without a rule of its
    // name: the single read says 404, the list has the wildcard.
    let default = match (single, &list) {
        (Ok(Some(pb)), _) => Fact::Known(Some(pb.model())),
        (Ok(None), Ok(list)) => Fact::Known(
            list.iter()
                .find(|pb| pb.name.contains('*') && wildcard(&pb.name, branch))
                .cloned()
                .map(RawProtected::model),
        ),
        (Ok(None), Err(_)) => Fact::Known(None),
        (Err(f), _) => unreadable(&f),
    };
    #[derive(Deserialize)]
    struct Branch {
        name: String,
    }
    let release = match (list, branches.and_then(|p| pages::<Branch>(p, "branches"))) {
        (Ok(list), Ok(branches)) => Fact::Known(ReleaseBranches {
            branches: branches
                .into_iter()
                .map(|b| b.name)
                .filter(|b| release_patterns.is_match(b))
                .collect(),
            rules: list
                .into_iter()
                .filter(|pb| pb.name != branch)
                .map(|pb| {
                    let pushers: Vec<AccessLevel> = pb
                        .push_access_levels
                        .iter()
                        .filter_map(|l| l.access_level)
                        .collect();
                    BranchRule {
                        restricts_pushes: !pushers.is_empty()
                            && pushers.iter().all(|&l| l == 0 || l >= 40),
                        pattern: pb.name,
                    }
                })
                .collect(),
        }),
        (Err(f), _) | (_, Err(f)) => unreadable(&f),
    };
    (default, release)
}

/// GitLab wildcard protected branches: `*` matches any characters, `/` included.
fn wildcard(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return pattern == name;
    }
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    name.len() >= first.len() + last.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cross_slashes() {
        assert!(wildcard("release/*", "release/1.0"));
        assert!(wildcard("*", "main"));
        assert!(wildcard("ma*", "main"));
        assert!(wildcard("*-stable", "a/b-stable"));
        assert!(!wildcard("release/*", "main"));
        assert!(wildcard("main", "main"));
        assert!(!wildcard("a*a", "a"));
    }

    #[test]
    fn variables_keep_only_names() {
        let body = serde_json::json!([{"key": "AWS_SECRET_ACCESS_KEY", "value": "s3cr3t", "protected": true}]);
        let vars: Vec<VariableName> = serde_json::from_value(body).unwrap();
        assert_eq!(vars[0].key, "AWS_SECRET_ACCESS_KEY");
        assert!(!format!("{vars:?}").contains("s3cr3t"));
    }
}
