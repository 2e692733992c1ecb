//! GraphQL repository batches: send `nodes(ids:)` in batches, and apply each node's answer
//! (protection, rulesets, files, release, release branches) to its repository. A GraphQL
//! error for one field makes that fact unreadable and keeps the rest (partial `data`).

use serde_json::Value;

use super::query::{self, nodes};
use crate::collect::client::{Client, Failure};
use crate::model::{
    Fact, FileRef, Release, ReleaseBranches, Repo, RulesetSource, Snapshot, Unreadable,
};
use crate::pipeline::FileKind;

/// Repositories per GraphQL request (file texts make bigger batches slow to answer).
pub const BATCH: usize = 25;

/// One repository's GraphQL answer: its node (or why there is none) and field errors.
#[derive(Debug, Clone)]
pub struct NodeAnswer {
    /// The `Repository` node; `Err` when the whole node is unreadable.
    pub node: Result<Value, Unreadable>,
    /// Field errors below the node: `(top-level field or alias, reason)`.
    pub field_errors: Vec<(String, Unreadable)>,
}

/// Ask for the facts of the repositories with these node ids, one batch. A batch GitHub
/// cannot answer (5xx, timeouts: big file texts make slow queries) is split in halves, down to
/// single repositories, before its repositories are marked unreadable.
pub fn fetch_batch<'a>(
    client: &'a Client,
    ids: &'a [String],
    release_query: &'a str,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Vec<NodeAnswer>> + Send + 'a>> {
    Box::pin(async move {
        let answer = client
            .graphql(
                &query::repos_query(),
                serde_json::json!({ "ids": ids, "releaseQuery": release_query }),
            )
            .await;
        match answer {
            Ok(answer) => parse_batch(answer.body, ids.len()),
            Err(failure) if ids.len() > 1 && splittable(&failure) => {
                let (left, right) = ids.split_at(ids.len() / 2);
                let (mut a, b) = tokio::join!(
                    fetch_batch(client, left, release_query),
                    fetch_batch(client, right, release_query)
                );
                a.extend(b);
                a
            }
            Err(failure) => vec![whole(failure.unreadable()); ids.len()],
        }
    })
}

fn splittable(failure: &Failure) -> bool {
    match failure {
        Failure::Http { status, .. } => *status >= 500,
        Failure::Transport(_) => true,
    }
}

fn parse_batch(body: Value, count: usize) -> Vec<NodeAnswer> {
    let errors = body
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let list = body.pointer("/data/nodes").and_then(Value::as_array);
    let Some(list) = list else {
        let why = errors
            .first()
            .map(gql_unreadable)
            .unwrap_or_else(|| Unreadable::new(None, "GraphQL answer without data", None));
        return vec![whole(why); count];
    };
    let mut out: Vec<NodeAnswer> = (0..count)
        .map(|i| match list.get(i) {
            Some(node) if !node.is_null() => NodeAnswer {
                node: Ok(node.clone()),
                field_errors: Vec::new(),
            },
            _ => whole(Unreadable::new(
                None,
                "GraphQL returned no repository for this node id",
                None,
            )),
        })
        .collect();
    for error in &errors {
        let path = error.get("path").and_then(Value::as_array);
        let Some(path) = path else { continue };
        let (Some(index), field) = (
            path.get(1).and_then(Value::as_u64).map(|i| i as usize),
            path.get(2).and_then(Value::as_str),
        ) else {
            continue;
        };
        let Some(slot) = out.get_mut(index) else {
            continue;
        };
        let why = gql_unreadable(error);
        match field {
            Some(field) => slot.field_errors.push((field.to_owned(), why)),
            None if slot.node.is_ok() && list.get(index).is_some_and(Value::is_null) => {
                slot.node = Err(why)
            }
            None => slot.node = Err(why),
        }
    }
    out
}

fn whole(why: Unreadable) -> NodeAnswer {
    NodeAnswer {
        node: Err(why),
        field_errors: Vec::new(),
    }
}

/// A GraphQL error as an unreadable fact (`FORBIDDEN` → 403, `NOT_FOUND` → 404).
pub fn gql_unreadable(error: &Value) -> Unreadable {
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("GraphQL error");
    let status = match error.get("type").and_then(Value::as_str) {
        Some("FORBIDDEN") => Some(403),
        Some("NOT_FOUND") => Some(404),
        _ => None,
    };
    Unreadable::new(status, message, None)
}

/// Which GraphQL fields feed which fact.
fn fact_of(field: &str) -> &'static str {
    match field {
        "defaultBranchRef" => "classic_protection",
        "branchProtectionRules" | "releaseRefs" => "release_branches",
        "rulesets" => "rulesets",
        "workflows" => "pipelines",
        "precommit" => "precommit",
        "latestRelease" => "latest_release",
        f if f.starts_with("codeowners") => "codeowners",
        _ => "other",
    }
}

/// The cursor after the first page of the repository's rulesets, when the batch answer did
/// not hold them all (`Ok(None)` when it did, or when the node or its rulesets are absent).
pub fn rulesets_cursor(answer: &NodeAnswer) -> Result<Option<String>, Unreadable> {
    match answer.node.as_ref().ok().and_then(|n| n.get("rulesets")) {
        Some(conn) => query::next_cursor(conn),
        None => Ok(None),
    }
}

/// Apply one answer to `repo`; files go into `snapshot`. Returns the workflow texts read
/// (path, text) so the caller can decide what else to ask.
pub fn apply(
    answer: &NodeAnswer,
    repo: &mut Repo,
    snapshot: &mut Snapshot,
) -> Vec<(String, String)> {
    let node = match &answer.node {
        Ok(node) => node,
        Err(why) => {
            let un = || why.clone();
            repo.classic_protection = Fact::Unreadable(Box::new(un()));
            repo.rulesets = Fact::Unreadable(Box::new(un()));
            repo.release_branches = Fact::Unreadable(Box::new(un()));
            repo.pipelines = Fact::Unreadable(Box::new(un()));
            repo.precommit = Fact::Unreadable(Box::new(un()));
            repo.codeowners = Fact::Unreadable(Box::new(un()));
            repo.latest_release = Fact::Unreadable(Box::new(un()));
            return Vec::new();
        }
    };
    let failed = |fact: &str| {
        answer
            .field_errors
            .iter()
            .find(|(field, _)| fact_of(field) == fact)
            .map(|(_, why)| why.clone())
    };
    repo.classic_protection = match failed("classic_protection") {
        Some(why) => Fact::Unreadable(Box::new(why)),
        None => Fact::Known(
            node.pointer("/defaultBranchRef/branchProtectionRule")
                .filter(|v| !v.is_null())
                .map(query::classic_protection),
        ),
    };
    repo.rulesets = match failed("rulesets") {
        Some(why) => Fact::Unreadable(Box::new(why)),
        None => Fact::Known(
            nodes(node.get("rulesets"))
                .iter()
                .filter_map(query::ruleset)
                .filter(|rs| rs.source == RulesetSource::Repo)
                .collect(),
        ),
    };
    repo.release_branches = match failed("release_branches") {
        Some(why) => Fact::Unreadable(Box::new(why)),
        None => Fact::Known(ReleaseBranches {
            branches: nodes(node.get("releaseRefs"))
                .iter()
                .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect(),
            rules: query::branch_rules(node),
        }),
    };
    let workflows = query::workflow_files(node);
    repo.pipelines = match failed("pipelines") {
        Some(why) => Fact::Unreadable(Box::new(why)),
        None => {
            let missing = query::workflow_files_without_text(node);
            if missing.is_empty() {
                Fact::Known(
                    workflows
                        .iter()
                        .map(|(path, text)| FileRef {
                            path: path.clone(),
                            hash: snapshot.add_file(FileKind::GithubActions, text.clone()),
                        })
                        .collect(),
                )
            } else {
                Fact::Unreadable(Box::new(Unreadable::new(
                    None,
                    format!(
                        "GraphQL gave no text for {} (binary or too large)",
                        missing.join(", ")
                    ),
                    None,
                )))
            }
        }
    };
    repo.precommit =
        match failed("precommit") {
            Some(why) => Fact::Unreadable(Box::new(why)),
            None => Fact::Known(node.pointer("/precommit/text").and_then(Value::as_str).map(
                |text| FileRef {
                    path: ".pre-commit-config.yaml".to_owned(),
                    hash: snapshot.add_file(FileKind::PreCommit, text.to_owned()),
                },
            )),
        };
    repo.codeowners = match failed("codeowners") {
        Some(why) => Fact::Unreadable(Box::new(why)),
        None => Fact::Known(query::codeowners(node)),
    };
    repo.latest_release = match failed("latest_release") {
        Some(why) => Fact::Unreadable(Box::new(why)),
        None => Fact::Known(
            node.get("latestRelease")
                .filter(|v| !v.is_null())
                .and_then(|r| {
                    Some(Release {
                        tag: r.get("tagName")?.as_str()?.to_owned(),
                        published_at: r
                            .get("publishedAt")
                            .and_then(Value::as_str)
                            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                            .map(|t| t.with_timezone(&chrono::Utc)),
                        attested: None,
                    })
                }),
        ),
    };
    workflows
}
