//! The fake's write endpoints — the routes `shared/spec/fixes.md` names — and method-aware
//! routing: a method GitHub does not route on a path answers 404 `Not Found` (a PUT to a read
//! route never gets the GET body). Bodies are validated as GitHub does and valid writes
//! change the world, so a later read (REST or GraphQL) sees them.
//!
//! Error shapes: invalid JSON → 400 `Problems parsing JSON`; a body that misses or mistypes a
//! field → 422 `Invalid request.` (schema) or `Validation Failed` with `errors: [{resource,
//! code, field}]` (recording `octokit-errors.json`); below admin → 403 `Must have admin
//! rights to Repository.`, branch protection 404 (REST "Update branch protection": "requires
//! admin or owner permissions"). Recorded success shapes: `octokit-branch-protection.json`.

use hyper::Method;
use serde_json::{Value, json};

use super::world::{FakeRepo, Reply, World};

const DOCS: &str = "https://docs.github.com/rest";

/// A write's outcome: status and body (`None`: no content).
pub(super) type Outcome = (u16, Option<Value>);

fn error(status: u16, message: &str) -> Outcome {
    (
        status,
        Some(json!({"message": message, "documentation_url": DOCS})),
    )
}

fn invalid(resource: &str, field: &str, code: &str) -> Outcome {
    (
        422,
        Some(json!({"message": "Validation Failed",
                    "errors": [{"resource": resource, "code": code, "field": field}],
                    "documentation_url": DOCS})),
    )
}

fn schema_error(detail: &str) -> Outcome {
    error(422, &format!("Invalid request.\n\n{detail}"))
}

/// Answer a non-GET REST request on `route` (prefix removed), changing `world` when valid.
pub(super) fn answer(world: &mut World, method: &Method, route: &str, body: &[u8]) -> Outcome {
    let path = route.split('?').next().unwrap_or(route);
    let parsed: Option<Value> = if body.is_empty() {
        Some(json!({}))
    } else {
        serde_json::from_slice(body).ok()
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if let ["orgs", org, "actions", "permissions", "workflow"] = segments.as_slice()
        && *method == Method::PUT
        && *org == world.org
    {
        let Some(body) = parsed else {
            return error(400, "Problems parsing JSON");
        };
        let key = format!("/orgs/{org}/actions/permissions/workflow");
        return workflow_permissions(&body, world.rest.get_mut(&key));
    }
    let ["repos", owner, name, rest @ ..] = segments.as_slice() else {
        return error(404, "Not Found");
    };
    let full = format!("{owner}/{name}");
    let Some(repo) = world.repo_by_full_name_mut(&full) else {
        return error(404, "Not Found");
    };
    let routed = matches!(
        (method.as_str(), rest),
        ("PATCH", [])
            | ("PUT", ["branches", _, "protection"])
            | ("POST", ["branches", _, "protection", "required_signatures"])
            | ("PUT", ["actions", "permissions", "workflow"])
            | ("POST", ["rulesets"])
            | ("PUT", ["rulesets", _])
            | ("PUT", ["environments", _])
    );
    if !routed {
        return error(404, "Not Found");
    }
    let Some(body) = parsed else {
        return error(400, "Problems parsing JSON");
    };
    if !repo.role.is_admin() {
        return if rest.first() == Some(&"branches") {
            error(404, "Not Found")
        } else {
            error(403, "Must have admin rights to Repository.")
        };
    }
    match (method.as_str(), rest) {
        ("PATCH", []) => patch_repo(repo, &body),
        ("PUT", ["branches", branch, "protection"]) => put_protection(repo, branch, &body),
        ("POST", ["branches", branch, "protection", "required_signatures"]) => {
            required_signatures(repo, branch)
        }
        ("PUT", ["actions", "permissions", "workflow"]) => {
            workflow_permissions(&body, repo.rest.get_mut("actions/permissions/workflow"))
        }
        ("POST", ["rulesets"]) => super::writes_rulesets::create(repo, &body),
        ("PUT", ["rulesets", id]) => super::writes_rulesets::update(repo, id, &body),
        ("PUT", ["environments", env]) => put_environment(repo, env, &body),
        _ => error(404, "Not Found"),
    }
}

/// `PATCH /repos/{o}/{r}`: `security_and_analysis.*.status` must be `enabled`/`disabled`.
fn patch_repo(repo: &mut FakeRepo, body: &Value) -> Outcome {
    let Some(body) = body.as_object() else {
        return schema_error("Body must be an object.");
    };
    if let Some(sa) = body.get("security_and_analysis") {
        let Some(sa) = sa.as_object() else {
            return invalid("Repository", "security_and_analysis", "invalid");
        };
        for (feature, setting) in sa {
            let status = setting.get("status").and_then(Value::as_str);
            if !matches!(status, Some("enabled" | "disabled")) {
                return invalid("Repository", &format!("{feature}.status"), "invalid");
            }
        }
        for (feature, setting) in sa {
            repo.listing["security_and_analysis"][feature] = setting.clone();
        }
    }
    for key in [
        "description",
        "has_wiki",
        "allow_forking",
        "delete_branch_on_merge",
    ] {
        if let Some(v) = body.get(key) {
            repo.listing[key] = v.clone();
        }
    }
    (200, Some(repo.listing_view()))
}

/// `PUT …/actions/permissions/workflow`: `default_workflow_permissions` is `read`/`write`;
/// 204 on success.
fn workflow_permissions(body: &Value, stored: Option<&mut Reply>) -> Outcome {
    let permission = body.get("default_workflow_permissions");
    if permission.is_some_and(|p| !matches!(p.as_str(), Some("read" | "write"))) {
        return schema_error(
            "\"default_workflow_permissions\" is not one of [\"read\", \"write\"].",
        );
    }
    let approve = body.get("can_approve_pull_request_reviews");
    if approve.is_some_and(|a| !a.is_boolean()) {
        return schema_error("\"can_approve_pull_request_reviews\" is not a boolean.");
    }
    let Some(Reply::Json(current)) = stored else {
        return error(404, "Not Found");
    };
    if let Some(p) = permission {
        current["default_workflow_permissions"] = p.clone();
    }
    if let Some(a) = approve {
        current["can_approve_pull_request_reviews"] = a.clone();
    }
    (204, None)
}

/// `PUT …/branches/{b}/protection`: the four top-level keys are required (each may be
/// `null`); the default branch's GraphQL rule and the pattern list are updated.
fn put_protection(repo: &mut FakeRepo, branch: &str, body: &Value) -> Outcome {
    let branches = repo.node["branches"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !branches.iter().any(|b| b == branch) {
        return error(404, "Branch not found");
    }
    for key in [
        "required_status_checks",
        "enforce_admins",
        "required_pull_request_reviews",
        "restrictions",
    ] {
        if body.get(key).is_none() {
            return schema_error(&format!("\"{key}\" wasn't supplied."));
        }
    }
    let enforce_admins = &body["enforce_admins"];
    if !(enforce_admins.is_boolean() || enforce_admins.is_null()) {
        return schema_error("For 'properties/enforce_admins', is not a boolean.");
    }
    let reviews = &body["required_pull_request_reviews"];
    let count = reviews.get("required_approving_review_count");
    if count.is_some_and(|c| c.as_u64().is_none_or(|n| n > 6)) {
        return invalid(
            "ProtectedBranch",
            "required_approving_review_count",
            "invalid",
        );
    }
    let checks = &body["required_status_checks"];
    let contexts: Vec<Value> = checks
        .get("contexts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let flag = |v: &Value, key: &str| v.get(key).and_then(Value::as_bool).unwrap_or(false);
    let rule = json!({
        "pattern": branch,
        "requiresApprovingReviews": reviews.is_object(),
        "requiredApprovingReviewCount": count.and_then(Value::as_u64).unwrap_or(if reviews.is_object() { 1 } else { 0 }),
        "dismissesStaleReviews": flag(reviews, "dismiss_stale_reviews"),
        "requiresCodeOwnerReviews": flag(reviews, "require_code_owner_reviews"),
        "requireLastPushApproval": flag(reviews, "require_last_push_approval"),
        "requiresStatusChecks": checks.is_object(),
        "requiredStatusCheckContexts": contexts,
        "isAdminEnforced": enforce_admins.as_bool().unwrap_or(false),
        "allowsForcePushes": body.get("allow_force_pushes").and_then(Value::as_bool).unwrap_or(false),
        "allowsDeletions": body.get("allow_deletions").and_then(Value::as_bool).unwrap_or(false),
        "requiresCommitSignatures": false,
        "restrictsPushes": body["restrictions"].is_object(),
    });
    if repo.node["defaultBranchRef"]["name"] == branch {
        repo.node["defaultBranchRef"]["branchProtectionRule"] = rule.clone();
    }
    let rules = repo.node["branchProtectionRules"]
        .as_array_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut rules: Vec<Value> = rules
        .into_iter()
        .filter(|r| r["pattern"] != branch)
        .collect();
    rules.push(json!({"pattern": branch, "restrictsPushes": rule["restrictsPushes"]}));
    repo.node["branchProtectionRules"] = Value::Array(rules);
    (200, Some(rest_protection(&repo.full_name(), branch, &rule)))
}

/// `GET …/branches/{b}/protection` for an admin: the default branch's rule in REST's shape
/// (recording `octokit-branch-protection.json`), or 404 `Branch not protected`.
pub(super) fn protection_view(repo: &FakeRepo, branch: &str) -> Reply {
    let rule = &repo.node["defaultBranchRef"]["branchProtectionRule"];
    if repo.node["defaultBranchRef"]["name"] != branch || !rule.is_object() {
        return Reply::Error(404, "Branch not protected".into(), None);
    }
    Reply::Json(rest_protection(&repo.full_name(), branch, rule))
}

/// A GraphQL `BranchProtectionRule` as REST's branch protection object.
fn rest_protection(full: &str, branch: &str, rule: &Value) -> Value {
    let url = format!("https://api.github.com/repos/{full}/branches/{branch}/protection");
    let enabled = |key: &str| json!({"enabled": rule[key].as_bool().unwrap_or(false)});
    let mut v = json!({
        "url": url,
        "required_signatures": {"url": format!("{url}/required_signatures"),
                                "enabled": rule["requiresCommitSignatures"].as_bool().unwrap_or(false)},
        "enforce_admins": {"url": format!("{url}/enforce_admins"),
                           "enabled": rule["isAdminEnforced"].as_bool().unwrap_or(false)},
        "required_linear_history": {"enabled": false},
        "allow_force_pushes": enabled("allowsForcePushes"),
        "allow_deletions": enabled("allowsDeletions"),
        "block_creations": {"enabled": false},
        "required_conversation_resolution": {"enabled": false},
    });
    if rule["requiresStatusChecks"] == json!(true) {
        let contexts = rule["requiredStatusCheckContexts"].clone();
        let checks: Vec<Value> = contexts
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| json!({"context": c, "app_id": null}))
            .collect();
        v["required_status_checks"] = json!({
            "url": format!("{url}/required_status_checks"), "strict": true,
            "contexts": contexts, "contexts_url": format!("{url}/required_status_checks/contexts"),
            "checks": checks});
    }
    if rule["requiresApprovingReviews"] == json!(true) {
        v["required_pull_request_reviews"] = json!({
            "url": format!("{url}/required_pull_request_reviews"),
            "dismiss_stale_reviews": rule["dismissesStaleReviews"],
            "require_code_owner_reviews": rule["requiresCodeOwnerReviews"],
            "required_approving_review_count": rule["requiredApprovingReviewCount"],
            "require_last_push_approval": rule["requireLastPushApproval"]});
    }
    v
}

/// `POST …/protection/required_signatures`: 404 `Branch not protected` without protection.
fn required_signatures(repo: &mut FakeRepo, branch: &str) -> Outcome {
    let default_branch = &repo.node["defaultBranchRef"];
    if default_branch["name"] != branch || !default_branch["branchProtectionRule"].is_object() {
        return error(404, "Branch not protected");
    }
    repo.node["defaultBranchRef"]["branchProtectionRule"]["requiresCommitSignatures"] = json!(true);
    (200, Some(json!({"enabled": true})))
}

/// `PUT …/environments/{name}`: `reviewers` is a list of `{type: User|Team, id}` (at most
/// six), `wait_timer` 0–43200, and a `deployment_branch_policy` cannot have both
/// `protected_branches` and `custom_branch_policies` true.
fn put_environment(repo: &mut FakeRepo, env: &str, body: &Value) -> Outcome {
    let reviewers = body.get("reviewers").and_then(Value::as_array);
    if reviewers.is_some_and(|r| r.len() > 6) {
        return invalid("Environment", "reviewers", "invalid");
    }
    for reviewer in reviewers.into_iter().flatten() {
        let kind = reviewer.get("type").and_then(Value::as_str);
        if !matches!(kind, Some("User" | "Team"))
            || reviewer.get("id").and_then(Value::as_u64).is_none()
        {
            return schema_error("For 'items', reviewer is not a {type, id} object.");
        }
    }
    if body
        .get("wait_timer")
        .is_some_and(|w| w.as_u64().is_none_or(|n| n > 43_200))
    {
        return invalid("Environment", "wait_timer", "invalid");
    }
    let policy = body
        .get("deployment_branch_policy")
        .cloned()
        .unwrap_or(Value::Null);
    if policy["protected_branches"] == json!(true)
        && policy["custom_branch_policies"] == json!(true)
    {
        return invalid("Environment", "deployment_branch_policy", "invalid");
    }
    let mut rules = Vec::new();
    if let Some(list) = reviewers.filter(|r| !r.is_empty()) {
        let reviewers: Vec<Value> = list
            .iter()
            .map(|r| json!({"type": r["type"], "reviewer": {"id": r["id"]}}))
            .collect();
        rules.push(json!({"id": 1, "type": "required_reviewers", "prevent_self_review": false, "reviewers": reviewers}));
    }
    if let Some(wait) = body
        .get("wait_timer")
        .and_then(Value::as_u64)
        .filter(|w| *w > 0)
    {
        rules.push(json!({"id": 2, "type": "wait_timer", "wait_timer": wait}));
    }
    let environment = json!({"id": 1, "name": env, "protection_rules": rules,
                             "deployment_branch_policy": policy});
    let key = "environments?per_page=100";
    let mut list = match repo.rest.get(key) {
        Some(Reply::Json(v)) => v["environments"].as_array().cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    list.retain(|e| e["name"] != env);
    list.push(environment.clone());
    repo.rest.insert(
        key.into(),
        Reply::Json(json!({"total_count": list.len(), "environments": list})),
    );
    (200, Some(environment))
}
