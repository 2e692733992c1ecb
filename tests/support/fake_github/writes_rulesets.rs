//! `POST /repos/{o}/{r}/rulesets` and `PUT /repos/{o}/{r}/rulesets/{id}`: the REST body
//! (REST "Create a repository ruleset": `name` required, `enforcement` one of
//! `disabled|active|evaluate`, `target` `branch|tag|push`, `conditions.ref_name`,
//! `bypass_actors`, `rules` with lower-case types) is validated, then stored as the GraphQL
//! `RepositoryRuleset` node the sync reads back.

use serde_json::{Map, Value, json};

use super::world::FakeRepo;
use super::writes::Outcome;

const DOCS: &str = "https://docs.github.com/rest/repos/rules";

fn schema_error(detail: &str) -> Outcome {
    (
        422,
        Some(
            json!({"message": format!("Invalid request.\n\n{detail}"), "documentation_url": DOCS}),
        ),
    )
}

fn next_id(repo: &FakeRepo) -> u64 {
    repo.node["rulesets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["databaseId"].as_u64())
        .max()
        .unwrap_or(1000)
        + 1
}

/// Create a ruleset; 201 with its REST shape.
pub(super) fn create(repo: &mut FakeRepo, body: &Value) -> Outcome {
    let id = next_id(repo);
    store(repo, id, body, None)
}

/// Replace a ruleset's given fields; 404 when absent.
pub(super) fn update(repo: &mut FakeRepo, id: &str, body: &Value) -> Outcome {
    let Some(id) = id.parse::<u64>().ok() else {
        return (
            404,
            Some(json!({"message": "Not Found", "documentation_url": DOCS})),
        );
    };
    let existing = repo.node["rulesets"]
        .as_array()
        .and_then(|list| list.iter().find(|r| r["databaseId"] == id).cloned());
    let Some(existing) = existing else {
        return (
            404,
            Some(json!({"message": "Not Found", "documentation_url": DOCS})),
        );
    };
    store(repo, id, body, Some(existing))
}

fn store(repo: &mut FakeRepo, id: u64, body: &Value, existing: Option<Value>) -> Outcome {
    let Some(fields) = body.as_object() else {
        return schema_error("Body must be an object.");
    };
    let name = match (fields.get("name"), &existing) {
        (Some(Value::String(n)), _) if !n.is_empty() => n.clone(),
        (None, Some(old)) => old["name"].as_str().unwrap_or_default().to_owned(),
        (None, None) => return schema_error("\"name\" wasn't supplied."),
        _ => return schema_error("For 'properties/name', is not a non-empty string."),
    };
    let enforcement = match fields.get("enforcement").and_then(Value::as_str) {
        Some(e @ ("disabled" | "active" | "evaluate")) => e.to_ascii_uppercase(),
        Some(_) => {
            return schema_error(
                "For 'properties/enforcement', is not one of [\"disabled\", \"active\", \"evaluate\"].",
            );
        }
        None => match &existing {
            Some(old) => old["enforcement"].as_str().unwrap_or("DISABLED").to_owned(),
            None => return schema_error("\"enforcement\" wasn't supplied."),
        },
    };
    let target = match fields.get("target").and_then(Value::as_str) {
        Some(t @ ("branch" | "tag" | "push")) => t.to_ascii_uppercase(),
        Some(_) => {
            return schema_error(
                "For 'properties/target', is not one of [\"branch\", \"tag\", \"push\"].",
            );
        }
        None => "BRANCH".to_owned(),
    };
    let duplicate = repo.node["rulesets"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r["name"] == name.as_str() && r["databaseId"] != id);
    if duplicate {
        return (
            422,
            Some(json!({"message": "Validation Failed",
                        "errors": ["Name must be unique"], "documentation_url": DOCS})),
        );
    }
    let mut rules = Vec::new();
    for rule in fields
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match graphql_rule(rule) {
            Some(r) => rules.push(r),
            None => return schema_error(&format!("For 'items', {rule} is not a known rule.")),
        }
    }
    let conditions = fields.get("conditions").cloned().unwrap_or(Value::Null);
    let ref_name = &conditions["ref_name"];
    let bypass: Vec<Value> = fields
        .get("bypass_actors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(graphql_bypass)
        .collect();
    let full = repo.full_name();
    let node = json!({
        "__typename": "RepositoryRuleset", "id": format!("RRS_{id}"), "databaseId": id,
        "name": name, "enforcement": enforcement, "target": target,
        "source": {"__typename": "Repository", "nameWithOwner": full},
        "conditions": {"refName": {
            "include": ref_name.get("include").cloned().unwrap_or(json!([])),
            "exclude": ref_name.get("exclude").cloned().unwrap_or(json!([]))},
            "repositoryName": null},
        "bypassActors": bypass, "rules": rules,
    });
    let mut list = repo.node["rulesets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.retain(|r| r["databaseId"] != id);
    list.push(node);
    repo.node["rulesets"] = Value::Array(list);
    let status = if existing.is_some() { 200 } else { 201 };
    let mut answer = Map::new();
    answer.insert("id".into(), json!(id));
    answer.insert("name".into(), json!(name));
    answer.insert("target".into(), json!(target.to_ascii_lowercase()));
    answer.insert("source_type".into(), json!("Repository"));
    answer.insert("source".into(), json!(full));
    answer.insert(
        "enforcement".into(),
        json!(enforcement.to_ascii_lowercase()),
    );
    answer.insert(
        "rules".into(),
        fields.get("rules").cloned().unwrap_or(json!([])),
    );
    (status, Some(Value::Object(answer)))
}

/// A REST rule (`{"type": "pull_request", "parameters": {...}}`) as a GraphQL rule node.
fn graphql_rule(rule: &Value) -> Option<Value> {
    let kind = rule.get("type")?.as_str()?;
    let known = [
        "creation",
        "update",
        "deletion",
        "required_linear_history",
        "required_signatures",
        "pull_request",
        "required_status_checks",
        "non_fast_forward",
    ];
    if !known.contains(&kind) {
        return None;
    }
    let p = rule.get("parameters").cloned().unwrap_or(Value::Null);
    let parameters = match kind {
        "pull_request" => json!({"__typename": "PullRequestParameters",
            "requiredApprovingReviewCount": p["required_approving_review_count"].as_u64().unwrap_or(0),
            "dismissStaleReviewsOnPush": p["dismiss_stale_reviews_on_push"].as_bool().unwrap_or(false),
            "requireCodeOwnerReview": p["require_code_owner_review"].as_bool().unwrap_or(false),
            "requireLastPushApproval": p["require_last_push_approval"].as_bool().unwrap_or(false),
            "requiredReviewThreadResolution": p["required_review_thread_resolution"].as_bool().unwrap_or(false)}),
        "required_status_checks" => json!({"__typename": "RequiredStatusChecksParameters",
            "requiredStatusChecks": p["required_status_checks"].as_array().cloned().unwrap_or_default().iter()
                .map(|c| json!({"context": c["context"]})).collect::<Vec<_>>(),
            "strictRequiredStatusChecksPolicy": p["strict_required_status_checks_policy"].as_bool().unwrap_or(false)}),
        _ => Value::Null,
    };
    Some(json!({"type": kind.to_ascii_uppercase(), "parameters": parameters}))
}

/// A REST bypass actor as the GraphQL `RepositoryRulesetBypassActor` the sync reads.
fn graphql_bypass(actor: &Value) -> Value {
    let mode = actor["bypass_mode"]
        .as_str()
        .unwrap_or("always")
        .to_ascii_uppercase();
    match actor["actor_type"].as_str() {
        Some("OrganizationAdmin") => json!({"bypassMode": mode, "organizationAdmin": true}),
        Some("DeployKey") => json!({"bypassMode": mode, "deployKey": true}),
        Some("RepositoryRole") => {
            json!({"bypassMode": mode, "repositoryRoleDatabaseId": actor["actor_id"]})
        }
        _ => {
            json!({"bypassMode": mode, "actor": {"__typename": "Team", "databaseId": actor["actor_id"]}})
        }
    }
}
