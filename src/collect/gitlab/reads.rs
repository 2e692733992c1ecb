//! The per-project reads that map one endpoint to one fact: MR approval settings and rules,
//! push rule, statistics, CI/CD variable names, job token scope, environments, releases.
//! Tier- and role-dependent answers (404 on Free, 403 by role) become unreadable facts with
//! the tier or role they need, never a failed sync.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::http::GitlabClient;
use super::project::VariableName;
use crate::collect::answer::Failure;
use crate::model::{
    ApprovalRule, ApprovalSettings, Environment, Fact, JobTokenScope, PushRules, Release,
    SecretMeta, Traffic, Unreadable,
};

pub(super) fn unreadable<T>(failure: &Failure) -> Fact<T> {
    Fact::Unreadable(Box::new(failure.unreadable()))
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(
    value: Value,
    what: &str,
) -> Result<T, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::Transport(format!("unexpected {what} body ({e})")))
}

pub(super) fn pages<T: serde::de::DeserializeOwned>(
    pages: Vec<Value>,
    what: &str,
) -> Result<Vec<T>, Failure> {
    let mut out = Vec::new();
    for page in pages {
        out.extend(parse::<Vec<T>>(page, what)?);
    }
    Ok(out)
}

pub(super) async fn approvals(client: &GitlabClient, id: u64) -> Fact<ApprovalSettings> {
    match client.get(&format!("/projects/{id}/approvals")).await {
        Ok(answer) => parse(answer.body, "approvals").map_or_else(|f| unreadable(&f), Fact::Known),
        // Free / Community Edition: no approval settings exist, so none are enforced.
        Err(Failure::Http { status: 404, .. }) => Fact::Known(ApprovalSettings::default()),
        Err(f) => unreadable(&f),
    }
}

pub(super) async fn approval_rules(client: &GitlabClient, id: u64) -> Fact<Vec<ApprovalRule>> {
    let route = format!("/projects/{id}/approval_rules?per_page=100");
    match client.get_pages(&route, true).await {
        Ok(p) => pages(p, "approval rules").map_or_else(|f| unreadable(&f), Fact::Known),
        // Free / Community Edition: no rule can require an approval.
        Err(Failure::Http { status: 404, .. }) => Fact::Known(Vec::new()),
        Err(f) => unreadable(&f),
    }
}

/// `GET /projects/:id/push_rule` as GitLab answers it: `null` for a project whose push rule
/// was never configured, and `null` for a setting left unset in one that was.
#[derive(Deserialize)]
struct PushRuleAnswer {
    #[serde(default)]
    reject_unsigned_commits: Option<bool>,
}

/// The push rule in a `200` body: `None` when the body is `null` (never configured); an unset
/// (`null`) setting is off, as GitLab applies it.
fn push_rule_of(body: Value) -> Result<Option<PushRules>, Failure> {
    if body.is_null() {
        return Ok(None);
    }
    let answer: PushRuleAnswer = parse(body, "push rule")?;
    Ok(Some(PushRules {
        reject_unsigned_commits: answer.reject_unsigned_commits.unwrap_or(false),
    }))
}

pub(super) async fn push_rule(client: &GitlabClient, id: u64) -> Fact<Option<PushRules>> {
    match client.get(&format!("/projects/{id}/push_rule")).await {
        Ok(answer) => push_rule_of(answer.body).map_or_else(|f| unreadable(&f), Fact::Known),
        Err(Failure::Http {
            status: 404,
            message,
            ..
        }) => Fact::Unreadable(Box::new(Unreadable::new(
            Some(404),
            message,
            Some("GitLab Premium"),
        ))),
        Err(f) => unreadable(&f),
    }
}

pub(super) async fn statistics(client: &GitlabClient, id: u64) -> Fact<Traffic> {
    match client.get(&format!("/projects/{id}/statistics")).await {
        Ok(answer) => {
            let total = answer
                .body
                .pointer("/fetches/total")
                .and_then(Value::as_u64);
            Fact::Known(Traffic {
                fetches_30d: total,
                ..Traffic::default()
            })
        }
        Err(Failure::Http {
            status: 403,
            message,
            ..
        }) => Fact::Unreadable(Box::new(Unreadable::new(
            Some(403),
            message,
            Some("Reporter access"),
        ))),
        Err(f) => unreadable(&f),
    }
}

/// Names of the project's CI/CD variables: read without the ETag cache (the bodies carry
/// values), and deserialized into names only.
pub(super) async fn variables(client: &GitlabClient, id: u64) -> Fact<Vec<SecretMeta>> {
    let route = format!("/projects/{id}/variables?per_page=100");
    let read = client.get_pages_typed::<VariableName>(&route).await;
    match read {
        Ok(vars) => {
            let mut names: Vec<String> = vars.into_iter().map(|v| v.key).collect();
            names.sort();
            names.dedup();
            Fact::Known(
                names
                    .into_iter()
                    .map(|name| SecretMeta {
                        name,
                        updated_at: None,
                    })
                    .collect(),
            )
        }
        Err(Failure::Http {
            status: 403,
            message,
            ..
        }) => Fact::Unreadable(Box::new(Unreadable::new(
            Some(403),
            message,
            Some("Maintainer role"),
        ))),
        Err(f) => unreadable(&f),
    }
}

pub(super) async fn job_token_scope(client: &GitlabClient, id: u64) -> Fact<JobTokenScope> {
    match client.get(&format!("/projects/{id}/job_token_scope")).await {
        Ok(answer) => {
            parse(answer.body, "job token scope").map_or_else(|f| unreadable(&f), Fact::Known)
        }
        Err(f) => unreadable(&f),
    }
}

pub(super) async fn environments(client: &GitlabClient, id: u64) -> Fact<Vec<Environment>> {
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    let envs = client
        .get_pages(&format!("/projects/{id}/environments?per_page=100"), true)
        .await
        .and_then(|p| pages::<Named>(p, "environments"));
    let envs = match envs {
        Ok(envs) => envs,
        Err(f) => return unreadable(&f),
    };
    if envs.is_empty() {
        return Fact::Known(Vec::new());
    }
    let protected = client
        .get_pages(
            &format!("/projects/{id}/protected_environments?per_page=100"),
            true,
        )
        .await
        .and_then(|p| pages::<Named>(p, "protected environments"));
    let protected: Vec<String> = match protected {
        Ok(p) => p.into_iter().map(|e| e.name).collect(),
        // Protected environments are Premium: on Free none exists.
        Err(Failure::Http { status: 404, .. }) => Vec::new(),
        Err(f) => return unreadable(&f),
    };
    Fact::Known(
        envs.into_iter()
            .map(|e| Environment {
                protected: protected.contains(&e.name),
                name: e.name,
                ..Environment::default()
            })
            .collect(),
    )
}

pub(super) async fn latest_release(client: &GitlabClient, id: u64) -> Fact<Option<Release>> {
    #[derive(Deserialize)]
    struct Raw {
        tag_name: String,
        #[serde(default)]
        released_at: Option<DateTime<Utc>>,
    }
    match client
        .get(&format!("/projects/{id}/releases?per_page=1"))
        .await
    {
        Ok(answer) => match parse::<Vec<Raw>>(answer.body, "releases") {
            Ok(list) => Fact::Known(list.into_iter().next().map(|r| Release {
                tag: r.tag_name,
                published_at: r.released_at,
                attested: None,
            })),
            Err(f) => unreadable(&f),
        },
        Err(f) => unreadable(&f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_push_rule_never_configured_or_with_unset_fields_is_read_not_unreadable() {
        assert_eq!(push_rule_of(Value::Null).ok(), Some(None));
        let unset =
            json!({"id": 1, "reject_unsigned_commits": null, "commit_committer_check": null});
        assert_eq!(
            push_rule_of(unset).ok(),
            Some(Some(PushRules {
                reject_unsigned_commits: false
            }))
        );
        let on = json!({"id": 1, "reject_unsigned_commits": true});
        assert_eq!(
            push_rule_of(on).ok(),
            Some(Some(PushRules {
                reject_unsigned_commits: true
            }))
        );
        // A body of the wrong shape is still an error, never a default.
        assert!(push_rule_of(json!({"reject_unsigned_commits": "yes"})).is_err());
    }
}
