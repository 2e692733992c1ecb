//! The fake GitLab's write endpoints — those `shared/spec/fixes.md` names — with GitLab's
//! validation answers, applied to the world so later reads see them. A method GitLab does not
//! route on an existing path answers 405 with `Allow`.
//!
//! GitLab REST docs per route: "Protected branches API" (`POST` 409 when the branch is
//! already protected; `PATCH`; `DELETE` 204), "Merge request approvals API" (`POST
//! /approvals`, `POST /approval_rules`, Premium), "Push rules API" (`POST` when none exists,
//! `PUT` to edit, Premium), "Secret push protection" (`PUT /security_settings`, Ultimate),
//! "CI/CD job token API" (`PATCH /job_token_scope` with `enabled`, 204), "Protected
//! environments API" (`POST`, Premium). Missing or invalid parameters answer 400 with Grape's
//! `{"error": "<param> is missing"}` / `does not have a valid value`; writes need Maintainer.

use std::sync::Arc;

use hyper::Response;
use serde_json::{Value, json};

use super::access::Role;
use super::world::{Protected, PushRule, World};
use super::{Body, State, json_bytes, respond, respond_raw};

/// Status and body (`None`: no content).
pub type Outcome = (u16, Option<Value>);

fn message(status: u16, text: &str) -> Outcome {
    (status, Some(json!({"message": text})))
}

fn bad_param(text: &str) -> Outcome {
    (400, Some(json!({"error": text})))
}

fn access_level(body: &Value, key: &str, default: u8) -> Result<u8, Outcome> {
    match body.get(key) {
        None => Ok(default),
        Some(v) => match v.as_u64() {
            Some(l @ (0 | 30 | 40 | 60)) => Ok(l as u8),
            _ => Err(bad_param(&format!("{key} does not have a valid value"))),
        },
    }
}

/// Answer a write `method` on `segments` (below `/api/v4`) with `body`, changing `world`.
/// `None` when no write route matches (the caller answers 405 or 404).
pub fn answer(
    world: &mut World,
    method: &str,
    segments: &[String],
    body: &Value,
) -> Option<Outcome> {
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let ["projects", id, rest @ ..] = seg.as_slice() else {
        return None;
    };
    let routed = matches!(
        (method, rest),
        ("POST", ["protected_branches"])
            | ("PATCH" | "DELETE", ["protected_branches", _])
            | ("POST", ["approvals"])
            | ("POST", ["approval_rules"])
            | ("POST" | "PUT", ["push_rule"])
            | ("PUT", ["security_settings"])
            | ("PATCH", ["job_token_scope"])
            | ("POST", ["protected_environments"])
    );
    if !routed {
        return None;
    }
    let Some(path) = world.project(id).map(|p| p.path.clone()) else {
        return Some(message(404, "404 Project Not Found"));
    };
    if let Some(first) = rest.first()
        && world.access.tier_refuses(&path, first)
    {
        return Some(message(404, "404 Not Found"));
    }
    if world.access.role_of(&path) < Role::Maintainer {
        return Some(message(403, "403 Forbidden"));
    }
    let project = world.project_mut(id)?;
    Some(match (method, rest) {
        ("POST", ["protected_branches"]) => {
            let Some(name) = body.get("name").and_then(Value::as_str) else {
                return Some(bad_param("name is missing"));
            };
            if project.protected.iter().any(|pb| pb.name == name) {
                return Some(message(
                    409,
                    &format!("Protected branch '{name}' already exists"),
                ));
            }
            let push = match access_level(body, "push_access_level", 40) {
                Ok(l) => l,
                Err(e) => return Some(e),
            };
            let merge = match access_level(body, "merge_access_level", 40) {
                Ok(l) => l,
                Err(e) => return Some(e),
            };
            let rule = Protected {
                name: name.to_owned(),
                push,
                merge,
                force: body["allow_force_push"].as_bool().unwrap_or(false),
                code_owner: body["code_owner_approval_required"]
                    .as_bool()
                    .unwrap_or(false),
            };
            project.protected.push(rule.clone());
            (201, Some(super::routes::protected_json(&rule)))
        }
        ("PATCH", ["protected_branches", name]) => {
            let Some(rule) = project.protected.iter_mut().find(|pb| pb.name == *name) else {
                return Some(message(404, "404 Not found"));
            };
            if let Some(force) = body.get("allow_force_push").and_then(Value::as_bool) {
                rule.force = force;
            }
            if let Some(owner) = body
                .get("code_owner_approval_required")
                .and_then(Value::as_bool)
            {
                rule.code_owner = owner;
            }
            (200, Some(super::routes::protected_json(rule)))
        }
        ("DELETE", ["protected_branches", name]) => {
            let before = project.protected.len();
            project.protected.retain(|pb| pb.name != *name);
            if project.protected.len() == before {
                return Some(message(404, "404 Not found"));
            }
            (204, None)
        }
        ("POST", ["approvals"]) => {
            let (mut author, mut no_committers, mut reset) =
                project.approvals.unwrap_or((true, false, false));
            let flag = |key: &str| body.get(key).and_then(Value::as_bool);
            author = flag("merge_requests_author_approval").unwrap_or(author);
            no_committers =
                flag("merge_requests_disable_committers_approval").unwrap_or(no_committers);
            reset = flag("reset_approvals_on_push").unwrap_or(reset);
            project.approvals = Some((author, no_committers, reset));
            (
                201,
                Some(json!({"merge_requests_author_approval": author,
                "merge_requests_disable_committers_approval": no_committers,
                "reset_approvals_on_push": reset})),
            )
        }
        ("POST", ["approval_rules"]) => {
            let Some(name) = body.get("name").and_then(Value::as_str) else {
                return Some(bad_param("name is missing"));
            };
            let Some(required) = body.get("approvals_required") else {
                return Some(bad_param("approvals_required is missing"));
            };
            let Some(required) = required.as_u64() else {
                return Some(bad_param("approvals_required is invalid"));
            };
            let rules = project.approval_rules.get_or_insert_with(Vec::new);
            rules.push((name.to_owned(), required as u32, "regular".to_owned()));
            (
                201,
                Some(
                    json!({"id": rules.len(), "name": name, "rule_type": "regular",
                              "approvals_required": required}),
                ),
            )
        }
        ("POST" | "PUT", ["push_rule"]) => {
            let exists = matches!(project.push_rule, PushRule::Set { .. });
            if method == "POST" && exists {
                return Some((422, Some(json!({"error": "Project push rule exists"}))));
            }
            if method == "PUT" && !exists {
                return Some(message(404, "404 Push Rule Not Found"));
            }
            if project.push_rule == PushRule::Free && world.access.tier_of(&path).is_none() {
                return Some(message(404, "404 Not Found"));
            }
            let reject = body["reject_unsigned_commits"].as_bool().unwrap_or(false);
            let project = world.project_mut(id)?;
            project.push_rule = PushRule::Set {
                reject_unsigned: reject,
            };
            let status = if method == "POST" { 201 } else { 200 };
            (
                status,
                Some(json!({"project_id": project.id, "reject_unsigned_commits": reject})),
            )
        }
        ("PUT", ["security_settings"]) => {
            let Some(on) = body
                .get("secret_push_protection_enabled")
                .and_then(Value::as_bool)
            else {
                return Some(bad_param("secret_push_protection_enabled is missing"));
            };
            project.spp = Some(on);
            (200, Some(json!({"secret_push_protection_enabled": on})))
        }
        ("PATCH", ["job_token_scope"]) => {
            let Some(enabled) = body.get("enabled").and_then(Value::as_bool) else {
                return Some(bad_param("enabled is missing"));
            };
            project.job_token_inbound = enabled;
            (204, None)
        }
        ("POST", ["protected_environments"]) => {
            let Some(name) = body.get("name").and_then(Value::as_str) else {
                return Some(bad_param("name is missing"));
            };
            if body
                .get("deploy_access_levels")
                .and_then(Value::as_array)
                .is_none()
            {
                return Some(bad_param("deploy_access_levels is missing"));
            }
            let known = project.environments.iter_mut().find(|(n, _)| n == name);
            match known {
                Some((_, true)) => {
                    return Some((
                        409,
                        Some(json!({"message": "Protected environment already exists"})),
                    ));
                }
                Some(env) => env.1 = true,
                None => project.environments.push((name.to_owned(), true)),
            }
            (
                201,
                Some(
                    json!({"name": name, "deploy_access_levels": body["deploy_access_levels"],
                              "required_approval_count": body["required_approval_count"].as_u64().unwrap_or(0)}),
                ),
            )
        }
        _ => return None,
    })
}

/// A write: the JSON body (query parameters fill what it lacks, as Grape accepts both) goes to
/// `writes::answer`; a valid write replaces the world. No write route: 405 with `Allow` on a
/// path GitLab serves for reading, 404 elsewhere.
pub(super) fn serve(
    state: &State,
    method: &hyper::Method,
    segments: &[String],
    params: &[(String, String)],
    body: &[u8],
    mut headers: Vec<(&'static str, String)>,
) -> Response<Body> {
    let mut parsed: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => {
                return respond(
                    400,
                    json_bytes(&json!({"error": "400 Bad request"})),
                    headers,
                );
            }
        }
    };
    if let Some(map) = parsed.as_object_mut() {
        for (k, v) in params {
            let value = serde_json::from_str::<Value>(v).unwrap_or_else(|_| json!(v));
            map.entry(k.clone()).or_insert(value);
        }
    }
    let (outcome, world) = {
        let mut guard = state.world.lock().unwrap();
        let mut changed = (**guard).clone();
        let outcome = answer(&mut changed, method.as_str(), segments, &parsed);
        if outcome.as_ref().is_some_and(|(status, _)| *status < 300) {
            *guard = Arc::new(changed);
        }
        (outcome, guard.clone())
    };
    match outcome {
        Some((status, Some(value))) => respond(status, json_bytes(&value), headers),
        Some((status, None)) => respond_raw(status, bytes::Bytes::new(), headers),
        None => match super::routes::route(&world, segments, params) {
            super::routes::Reply::Error(404, _) => respond(
                404,
                json_bytes(&json!({"message": "404 Not Found"})),
                headers,
            ),
            _ => {
                headers.push(("allow", "GET, HEAD".into()));
                respond(
                    405,
                    json_bytes(&json!({"error": "405 Method Not Allowed"})),
                    headers,
                )
            }
        },
    }
}
