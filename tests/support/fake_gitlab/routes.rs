//! GitLab REST v4 routes of the fake: answers shaped as GitLab documents them, including its
//! error bodies (`{"message":"404 Not Found"}`, `{"message":"404 Protected Branch Not
//! Found"}`, `{"message":"403 Forbidden"}`).

use base64::Engine;
use serde_json::{Value, json};

use super::world::{PushRule, World};

/// An answer before headers: a JSON body (lists are paginated by the server), or an error.
pub enum Reply {
    /// 200 with a single object.
    One(Value),
    /// 200 with a list (paginated).
    List(Vec<Value>),
    /// An error status with GitLab's message.
    Error(u16, &'static str),
}

fn not_found() -> Reply {
    Reply::Error(404, "404 Not Found")
}

fn forbidden() -> Reply {
    Reply::Error(403, "403 Forbidden")
}

/// Percent-decode one path segment or query value.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Route a `GET` (path below `/api/v4`, split on `/` before decoding) to its answer.
pub fn route(world: &World, segments: &[String], query: &[(String, String)]) -> Reply {
    let q = |name: &str| param(query, name);
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    match seg.as_slice() {
        ["user"] => Reply::One(json!({
            "id": 77, "username": world.username, "name": "Sync Bot", "state": "active",
            "web_url": format!("https://gitlab.example.com/{}", world.username)
        })),
        ["groups", id] => match world.group(id) {
            Some(g) => Reply::One(json!({
                "id": g.id, "name": g.full_path.rsplit('/').next(), "path": g.full_path.rsplit('/').next(),
                "full_path": g.full_path, "full_name": g.full_path.replace('/', " / "),
                "visibility": "private", "parent_id": null
            })),
            None => not_found(),
        },
        ["groups", id, "projects"] => {
            let Some(g) = world.group(id) else {
                return not_found();
            };
            let subgroups = q("include_subgroups") == Some("true");
            let prefix = format!("{}/", g.full_path);
            let mut list: Vec<_> = world
                .projects
                .iter()
                .filter(|p| match p.path.strip_prefix(&prefix) {
                    Some(rest) => subgroups || !rest.contains('/'),
                    None => false,
                })
                .collect();
            list.sort_by_key(|p| p.id);
            Reply::List(list.iter().map(|p| p.json(&world.groups)).collect())
        }
        ["groups", id, "descendant_groups"] => match world.group(id) {
            Some(g) => Reply::List(
                world
                    .descendants(g)
                    .iter()
                    .map(|d| json!({"id": d.id, "full_path": d.full_path, "path": d.full_path.rsplit('/').next()}))
                    .collect(),
            ),
            None => not_found(),
        },
        ["groups", id, "variables"] => match world.group(id) {
            Some(g) if g.variables_forbidden => forbidden(),
            Some(g) if world.access.role_of(&g.full_path) < super::access::Role::Maintainer => {
                forbidden()
            }
            Some(g) => Reply::List(g.variables.iter().map(|(k, v)| variable(k, v)).collect()),
            None => not_found(),
        },
        ["runners", id] => match id.parse::<u64>().ok().and_then(|n| world.runners.get(&n).map(|r| (n, r))) {
            Some((n, r)) => Reply::One(json!({
                "id": n, "description": r.description, "runner_type": r.runner_type,
                "is_shared": r.runner_type == "instance_type", "active": true, "paused": false,
                "tag_list": r.tags, "run_untagged": r.run_untagged, "locked": false,
                "access_level": "not_protected", "maximum_timeout": null, "status": "online"
            })),
            None => not_found(),
        },
        ["projects", id, rest @ ..] => {
            let Some(p) = world.project(id) else {
                return not_found();
            };
            if let Some(first) = rest.first() {
                if world.access.tier_refuses(&p.path, first) {
                    return not_found();
                }
                if world.access.role_refuses(&p.path, first) {
                    return forbidden();
                }
            }
            project_route(world, p, rest, query)
        }
        _ => not_found(),
    }
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn variable(key: &str, value: &str) -> Value {
    json!({
        "variable_type": "env_var", "key": key, "value": value, "protected": false,
        "masked": true, "hidden": false, "raw": false, "environment_scope": "*",
        "description": null
    })
}

pub fn protected_json(pb: &super::world::Protected) -> Value {
    let level = |l: u8| {
        let d = match l {
            0 => "No one",
            30 => "Developers + Maintainers",
            _ => "Maintainers",
        };
        json!([{"id": 1, "access_level": l, "access_level_description": d, "user_id": null, "group_id": null}])
    };
    json!({
        "id": 1, "name": pb.name,
        "push_access_levels": level(pb.push),
        "merge_access_levels": level(pb.merge),
        "unprotect_access_levels": [],
        "allow_force_push": pb.force,
        "code_owner_approval_required": pb.code_owner
    })
}

fn project_route(
    world: &World,
    p: &super::world::Project,
    rest: &[&str],
    query: &[(String, String)],
) -> Reply {
    let q = |name: &str| param(query, name);
    let tiered = world.access.tier_of(&p.path).is_some();
    match rest {
        [] => {
            let mut json = p.json(&world.groups);
            // Secret push protection is an Ultimate field: below it, GitLab omits it.
            if world
                .access
                .tier_of(&p.path)
                .is_some_and(|t| t < super::access::Tier::Ultimate)
                && let Some(map) = json.as_object_mut()
            {
                map.remove("secret_push_protection_enabled");
            }
            Reply::One(json)
        }
        ["protected_branches"] => Reply::List(p.protected.iter().map(protected_json).collect()),
        ["protected_branches", name] => match p.protected.iter().find(|pb| pb.name == *name) {
            Some(pb) => Reply::One(protected_json(pb)),
            None => Reply::Error(404, "404 Not found"),
        },
        ["repository", "branches"] => {
            let search = q("search").unwrap_or("");
            Reply::List(
                p.branches
                    .iter()
                    .filter(|b| b.contains(search))
                    .map(|b| json!({"name": b, "merged": false, "protected": p.protected.iter().any(|pb| pb.name == *b), "default": *b == p.default_branch, "commit": {"id": "0123456789abcdef0123456789abcdef01234567"}}))
                    .collect(),
            )
        }
        ["approvals"] if p.approvals_forbidden => forbidden(),
        ["approvals"] => match p.approvals {
            Some((author, no_committers, reset)) => Reply::One(json!({
                "approvers": [], "approver_groups": [], "approvals_before_merge": 0,
                "reset_approvals_on_push": reset, "selective_code_owner_removals": false,
                "disable_overriding_approvers_per_merge_request": false,
                "merge_requests_author_approval": author,
                "merge_requests_disable_committers_approval": no_committers,
                "require_password_to_approve": false
            })),
            None => not_found(),
        },
        // With a tier set, the tier (checked before) decides; the flags only say what is set.
        ["approval_rules"] if tiered && p.approval_rules.is_none() => Reply::List(Vec::new()),
        ["push_rule"] if tiered && p.push_rule == PushRule::Free => Reply::One(Value::Null),
        ["approval_rules"] => match &p.approval_rules {
            Some(rules) => Reply::List(
                rules
                    .iter()
                    .enumerate()
                    .map(|(i, (name, n, kind))| json!({"id": i + 1, "name": name, "rule_type": kind, "eligible_approvers": [], "approvals_required": n, "users": [], "groups": [], "contains_hidden_groups": false, "protected_branches": [], "applies_to_all_protected_branches": false}))
                    .collect(),
            ),
            None => not_found(),
        },
        ["push_rule"] => match p.push_rule {
            PushRule::Free => not_found(),
            PushRule::Unset => Reply::One(Value::Null),
            PushRule::Set { reject_unsigned } => Reply::One(json!({
                "id": 1, "project_id": p.id, "commit_message_regex": "", "deny_delete_tag": false,
                "member_check": false, "prevent_secrets": false, "reject_unsigned_commits": reject_unsigned,
                "commit_committer_check": false, "max_file_size": 0
            })),
            PushRule::SetNothing => Reply::One(json!({
                "id": 1, "project_id": p.id, "commit_message_regex": null, "deny_delete_tag": null,
                "member_check": null, "prevent_secrets": null, "reject_unsigned_commits": null,
                "commit_committer_check": null, "max_file_size": 0
            })),
        },
        ["statistics"] => match p.fetches {
            Some(total) => Reply::One(json!({"fetches": {"total": total, "days": [{"count": total, "date": "2026-11-20"}]}})),
            None => forbidden(),
        },
        ["variables"] if p.variables_forbidden => forbidden(),
        ["variables"] => Reply::List(p.variables.iter().map(|(k, v)| variable(k, v)).collect()),
        ["repository", "tree"] => {
            if p.files.is_empty() {
                return Reply::Error(404, "404 Tree Not Found");
            }
            let mut entries: Vec<(String, &str)> = Vec::new();
            for path in p.files.keys() {
                let (name, kind) = match path.split_once('/') {
                    Some((dir, _)) => (dir.to_owned(), "tree"),
                    None => (path.clone(), "blob"),
                };
                if !entries.iter().any(|(n, _)| *n == name) {
                    entries.push((name, kind));
                }
            }
            Reply::List(
                entries
                    .into_iter()
                    .map(|(name, kind)| json!({"id": "a1b2c3", "name": name, "type": kind, "path": name, "mode": if kind == "tree" { "040000" } else { "100644" }}))
                    .collect(),
            )
        }
        ["repository", "files", path] => {
            if q("ref") != Some(p.default_branch.as_str()) {
                return Reply::Error(404, "404 File Not Found");
            }
            match p.files.get(*path) {
                Some(text) => Reply::One(json!({
                    "file_name": path.rsplit('/').next(), "file_path": path, "size": text.len(),
                    "encoding": "base64",
                    "content": base64::engine::general_purpose::STANDARD.encode(text),
                    "ref": p.default_branch, "blob_id": "b10b", "commit_id": "c0ffee",
                    "last_commit_id": "c0ffee"
                })),
                None => Reply::Error(404, "404 File Not Found"),
            }
        }
        ["runners"] if p.runners_forbidden => forbidden(),
        ["runners"] => Reply::List(
            p.runners
                .iter()
                .filter_map(|id| world.runners.get(id).map(|r| (id, r)))
                .map(|(id, r)| json!({"id": id, "description": r.description, "ip_address": null, "active": true, "paused": false, "is_shared": r.runner_type == "instance_type", "runner_type": r.runner_type, "name": null, "online": true, "status": "online"}))
                .collect(),
        ),
        ["job_token_scope"] => Reply::One(json!({"inbound_enabled": p.job_token_inbound, "outbound_enabled": false})),
        ["environments"] => Reply::List(
            p.environments
                .iter()
                .enumerate()
                .map(|(i, (name, _))| json!({"id": i + 1, "name": name, "slug": name, "external_url": null, "state": "available", "tier": "production"}))
                .collect(),
        ),
        ["protected_environments"] => Reply::List(
            p.environments
                .iter()
                .filter(|(_, protected)| *protected)
                .map(|(name, _)| json!({"name": name, "deploy_access_levels": [{"access_level": 40, "access_level_description": "Maintainers"}], "required_approval_count": 1}))
                .collect(),
        ),
        ["releases"] => Reply::List(
            p.release
                .iter()
                .map(|tag| json!({"tag_name": tag, "name": tag, "description": "", "created_at": "2026-11-01T10:00:00.000Z", "released_at": "2026-11-01T10:00:00.000Z", "assets": {"count": 0, "sources": [], "links": []}}))
                .collect(),
        ),
        _ => not_found(),
    }
}
