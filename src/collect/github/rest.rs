//! REST answers → model facts: the repository listing, traffic, secrets, workflow token,
//! runners, environments, org secrets, runner groups, OIDC template and security defaults.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::{
    Environment, Fact, OidcSubject, Reach, Repo, Runner, RunnerGroup, SecretMeta, SecretScanning,
    SecurityDefaults, TokenPermission, Unreadable, Visibility,
};

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn items<'a>(body: &'a Value, key: &str) -> &'a [Value] {
    body.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A listed repository (`GET /orgs/{org}/repos` item or `GET /repos/{o}/{r}`): the repo with
/// the listing's facts; the other facts start unread and are filled in later.
pub fn listed_repo(item: &Value) -> Option<(Repo, Option<String>)> {
    let name = s(item, "full_name")?;
    let visibility = match item.get("visibility").and_then(Value::as_str) {
        Some("public") => Visibility::Public,
        Some("internal") => Visibility::Internal,
        Some("private") => Visibility::Private,
        _ if item.get("private").and_then(Value::as_bool) == Some(false) => Visibility::Public,
        _ => Visibility::Private,
    };
    let default_branch = s(item, "default_branch").unwrap_or_else(|| "main".to_owned());
    let mut repo = Repo::new(&name, visibility, &default_branch);
    repo.description = s(item, "description");
    repo.archived = item
        .get("archived")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    repo.fork = item.get("fork").and_then(Value::as_bool).unwrap_or(false);
    repo.topics = item
        .get("topics")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    repo.pushed_at = time(item, "pushed_at");
    repo.stars = item
        .get("stargazers_count")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    repo.forks = item.get("forks_count").and_then(Value::as_u64).unwrap_or(0);
    repo.secret_scanning = secret_scanning(item);
    Some((repo, s(item, "node_id")))
}

/// `security_and_analysis` of a listed repository: present only for admins.
fn secret_scanning(item: &Value) -> Fact<SecretScanning> {
    let Some(sa) = item.get("security_and_analysis").filter(|v| v.is_object()) else {
        return Fact::Unreadable(Box::new(Unreadable::new(
            None,
            "the repository listing has no security_and_analysis (admin access needed)",
            Some("Administration:read"),
        )));
    };
    let enabled = |key: &str| {
        sa.get(key)
            .and_then(|v| v.get("status"))
            .and_then(Value::as_str)
            == Some("enabled")
    };
    Fact::Known(SecretScanning {
        secret_scanning: enabled("secret_scanning"),
        push_protection: enabled("secret_scanning_push_protection"),
    })
}

/// `GET /repos/{o}/{r}/traffic/views` → `(count, uniques)`.
pub fn views(body: &Value) -> (Option<u64>, Option<u64>) {
    (
        body.get("count").and_then(Value::as_u64),
        body.get("uniques").and_then(Value::as_u64),
    )
}

/// `GET …/actions/secrets` pages → names and update times.
pub fn secrets(pages: &[Value]) -> Vec<SecretMeta> {
    pages
        .iter()
        .flat_map(|p| items(p, "secrets"))
        .filter_map(|s_| {
            Some(SecretMeta {
                name: s(s_, "name")?,
                updated_at: time(s_, "updated_at"),
            })
        })
        .collect()
}

/// `GET …/actions/permissions/workflow` → the default token permission.
pub fn workflow_token(body: &Value) -> Option<TokenPermission> {
    match body
        .get("default_workflow_permissions")
        .and_then(Value::as_str)
    {
        Some("read") => Some(TokenPermission::Read),
        Some("write") => Some(TokenPermission::Write),
        _ => None,
    }
}

/// `GET …/actions/runners` pages → runners with `scope`.
pub fn runners(pages: &[Value], scope: &str, groups: &[RunnerGroup]) -> Vec<Runner> {
    pages
        .iter()
        .flat_map(|p| items(p, "runners"))
        .filter_map(|r| {
            let group = r
                .get("runner_group_id")
                .and_then(Value::as_u64)
                .and_then(|id| groups.iter().find(|g| g.id == id))
                .map(|g| g.name.clone());
            Some(Runner {
                id: r.get("id").and_then(Value::as_u64)?,
                name: s(r, "name").unwrap_or_default(),
                labels: items(r, "labels")
                    .iter()
                    .filter_map(|l| s(l, "name"))
                    .collect(),
                ephemeral: r.get("ephemeral").and_then(Value::as_bool),
                scope: scope.to_owned(),
                group,
            })
        })
        .collect()
}

/// The runner group id of an org runner (to decide whether a repository can use it).
pub fn runner_group_of(pages: &[Value], runner_id: u64) -> Option<u64> {
    pages
        .iter()
        .flat_map(|p| items(p, "runners"))
        .find(|r| r.get("id").and_then(Value::as_u64) == Some(runner_id))
        .and_then(|r| r.get("runner_group_id").and_then(Value::as_u64))
}

fn reach(v: Option<&str>) -> Reach {
    match v {
        Some("all") => Reach::All,
        Some("private") => Reach::Private,
        _ => Reach::Selected,
    }
}

/// `GET /orgs/{org}/actions/runner-groups` pages → groups.
pub fn runner_groups(pages: &[Value]) -> Vec<RunnerGroup> {
    pages
        .iter()
        .flat_map(|p| items(p, "runner_groups"))
        .filter_map(|g| {
            Some(RunnerGroup {
                id: g.get("id").and_then(Value::as_u64)?,
                name: s(g, "name").unwrap_or_default(),
                visibility: reach(g.get("visibility").and_then(Value::as_str)),
                allows_public_repositories: g
                    .get("allows_public_repositories")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            })
        })
        .collect()
}

/// `GET …/environments` pages → environments with their protection.
pub fn environments(pages: &[Value]) -> Vec<Environment> {
    pages
        .iter()
        .flat_map(|p| items(p, "environments"))
        .filter_map(|e| {
            let name = s(e, "name")?;
            let reviewers = items(e, "protection_rules")
                .iter()
                .filter(|r| r.get("type").and_then(Value::as_str) == Some("required_reviewers"))
                .map(|r| items(r, "reviewers").len() as u32)
                .sum();
            let policy = e.get("deployment_branch_policy").unwrap_or(&Value::Null);
            let flag = |k: &str| policy.get(k).and_then(Value::as_bool).unwrap_or(false);
            Some(Environment {
                name,
                required_reviewers: reviewers,
                protected_branches_only: flag("protected_branches"),
                custom_branch_policies: flag("custom_branch_policies"),
                protected: false,
            })
        })
        .collect()
}

/// Org secret items: `(name, updated_at, visibility)`.
pub fn org_secrets(pages: &[Value]) -> Vec<(String, Option<DateTime<Utc>>, Reach)> {
    pages
        .iter()
        .flat_map(|p| items(p, "secrets"))
        .filter_map(|x| {
            Some((
                s(x, "name")?,
                time(x, "updated_at"),
                reach(x.get("visibility").and_then(Value::as_str)),
            ))
        })
        .collect()
}

/// `GET …/secrets/{name}/repositories` pages → full names.
pub fn selected_repos(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| items(p, "repositories"))
        .filter_map(|r| s(r, "full_name"))
        .collect()
}

/// `GET /orgs/{org}/actions/oidc/customization/sub`.
pub fn oidc_subject(body: &Value) -> OidcSubject {
    OidcSubject {
        use_default: body
            .get("use_default")
            .and_then(Value::as_bool)
            .unwrap_or_else(|| items(body, "include_claim_keys").is_empty()),
        include_claim_keys: items(body, "include_claim_keys")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    }
}

/// Security defaults for new repositories from `GET /orgs/{org}` (owner-only fields).
pub fn security_defaults(org: &Value) -> Fact<SecurityDefaults> {
    let scanning = org
        .get("secret_scanning_enabled_for_new_repositories")
        .and_then(Value::as_bool);
    let push = org
        .get("secret_scanning_push_protection_enabled_for_new_repositories")
        .and_then(Value::as_bool);
    match (scanning, push) {
        (None, None) => Fact::Unreadable(Box::new(Unreadable::new(
            None,
            "GET /orgs/{org} did not include the security defaults (org owners only)",
            Some("Administration:read"),
        ))),
        (a, b) => Fact::Known(SecurityDefaults {
            secret_scanning: a.unwrap_or(false),
            push_protection: b.unwrap_or(false),
        }),
    }
}

/// Digests of the latest release's assets (`GET …/releases/latest`), e.g. `sha256:…`.
pub fn asset_digests(release: &Value) -> Vec<String> {
    items(release, "assets")
        .iter()
        .filter_map(|a| s(a, "digest"))
        .filter(|d| d.contains(':'))
        .collect()
}

/// Whether an attestations answer holds at least one attestation.
pub fn has_attestations(body: &Value) -> bool {
    !items(body, "attestations").is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn listing_without_security_and_analysis_is_unreadable() {
        let item = json!({"full_name": "acme/api", "visibility": "public", "default_branch": "trunk",
                          "archived": false, "fork": true, "topics": ["x"], "stargazers_count": 3,
                          "forks_count": 1, "pushed_at": "2026-11-01T00:00:00Z", "node_id": "R_1"});
        let (repo, node) = listed_repo(&item).unwrap();
        assert_eq!(node.as_deref(), Some("R_1"));
        assert_eq!(repo.default_branch, "trunk");
        assert!(repo.fork);
        assert_eq!(repo.visibility, Visibility::Public);
        assert!(repo.secret_scanning.unreadable().is_some());
    }

    #[test]
    fn environments_count_reviewers() {
        let body = json!({"environments": [{"name": "production",
            "protection_rules": [{"type": "required_reviewers", "reviewers": [{}, {}]},
                                 {"type": "wait_timer", "wait_timer": 5}],
            "deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": false}}]});
        let envs = environments(&[body]);
        assert_eq!(envs[0].required_reviewers, 2);
        assert!(envs[0].protected_branches_only);
    }
}
