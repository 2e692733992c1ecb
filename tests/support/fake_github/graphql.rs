//! The fake's GraphQL: each query is validated against GitHub's real schema, then executed by
//! walking its selection set over a JSON world (apollo-compiler's resolvers): aliases, inline
//! fragments by `__typename`, `first/after` pagination with `pageInfo`, `nodes(ids:)`,
//! `organization(login:)`, `repository(owner:, name:)`, `object(expression: "HEAD:path")`,
//! `refs(query:)`. A world value `{"__error": "FORBIDDEN|message"}` is a field error.

use std::sync::Arc;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::resolvers::{Execution, FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use apollo_compiler::response::{JsonMap, JsonValue};
use apollo_compiler::schema::ExtendedType;
use serde_json::{Value, json};

use super::world::World;

/// Execute `query` with `variables` over `world`; the GitHub-shaped JSON answer.
pub fn execute(world: &Arc<World>, query: &str, variables: &Value) -> Value {
    execute_charged(world, query, variables, |_| (4999, 1)).0
}

/// Execute `query` and charge its cost (`graphql_cost`): `charge(points)` takes the points
/// from the budget and returns `(remaining, used)`, which a `rateLimit` selection reports.
/// The answer and the points charged (0 when the query was refused before running).
pub fn execute_charged(
    world: &Arc<World>,
    query: &str,
    variables: &Value,
    charge: impl FnOnce(u64) -> (u64, u64),
) -> (Value, u64) {
    let Some(schema) = crate::support::github_schema::github_schema() else {
        return (json!({"errors": [{"message": "schema absent"}]}), 0);
    };
    let document = match ExecutableDocument::parse_and_validate(schema, query, "query.graphql") {
        Ok(doc) => doc,
        Err(errors) => {
            return (
                json!({"errors": [{"message": errors.errors.to_string(), "type": "INVALID_QUERY"}]}),
                0,
            );
        }
    };
    let cost = match super::graphql_cost::cost(&document, variables) {
        Ok(cost) if cost.nodes > super::graphql_cost::MAX_NODES => {
            return (
                json!({"errors": [{"type": "MAX_NODE_LIMIT_EXCEEDED",
                    "message": format!("By the time this query traverses to the nodes, it requests up to {} possible nodes which exceeds the maximum limit of 500,000.", cost.nodes)}]}),
                0,
            );
        }
        Ok(cost) => cost,
        Err(message) => {
            return (
                json!({"errors": [{"type": "MISSING_PAGINATION_BOUNDARIES", "message": message}]}),
                0,
            );
        }
    };
    let points = cost.points();
    let (remaining, used) = charge(points);
    let mut out = run(world, schema, &document, variables);
    // `rateLimit` selections report this query's accounting.
    if let Some(operation) = document.operations.iter().next() {
        for selection in &operation.selection_set.selections {
            if let apollo_compiler::executable::Selection::Field(f) = selection
                && f.name == "rateLimit"
            {
                let key = f.response_key().as_str();
                if let Some(rate) = out
                    .pointer_mut(&format!("/data/{key}"))
                    .filter(|v| v.is_object())
                {
                    for (field, value) in [
                        ("cost", points),
                        ("nodeCount", cost.nodes),
                        ("remaining", remaining),
                        ("used", used),
                        ("limit", 5000),
                    ] {
                        if rate.get(field).is_some() {
                            rate[field] = json!(value);
                        }
                    }
                }
            }
        }
    }
    (out, points)
}

fn run(
    world: &Arc<World>,
    schema: &apollo_compiler::validation::Valid<apollo_compiler::Schema>,
    document: &apollo_compiler::validation::Valid<ExecutableDocument>,
    variables: &Value,
) -> Value {
    let vars: JsonMap = match JsonValue::from(variables.clone()) {
        JsonValue::Object(map) => map,
        _ => JsonMap::new(),
    };
    let root = Obj {
        ty: "Query".into(),
        v: json!({}),
        world: world.clone(),
    };
    let response = match Execution::new(schema, document)
        .raw_variable_values(&vars)
        .execute_sync(&root)
    {
        Ok(r) => r,
        Err(e) => return json!({"errors": [{"message": format!("{e:?}")}]}),
    };
    let mut out: Value = serde_json::to_value(&response).unwrap_or(Value::Null);
    // "TYPE|message" → GitHub's {"type": ..., "message": ...}.
    if let Some(errors) = out.get_mut("errors").and_then(Value::as_array_mut) {
        for error in errors {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            if let Some((kind, text)) = message.split_once('|') {
                let kind = kind.rsplit(": ").next().unwrap_or(kind);
                error["type"] = json!(kind);
                error["message"] = json!(text);
            }
        }
    }
    out
}

struct Obj {
    ty: String,
    v: Value,
    world: Arc<World>,
}

fn arg_i64(info: &ResolveInfo<'_>, name: &str) -> Option<i64> {
    info.arguments().get(name).and_then(|v| v.as_i64())
}

fn arg_str(info: &ResolveInfo<'_>, name: &str) -> Option<String> {
    info.arguments()
        .get(name)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

impl Obj {
    fn child(&self, v: Value, info: &ResolveInfo<'_>) -> Obj {
        let declared = info
            .field_definition()
            .ty
            .inner_named_type()
            .as_str()
            .to_owned();
        let ty = v
            .get("__typename")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or(declared);
        Obj {
            ty,
            v,
            world: self.world.clone(),
        }
    }

    /// Turn a world value into a resolved value of the field's type.
    fn value<'a>(&self, v: Value, info: &ResolveInfo<'a>) -> Result<ResolvedValue<'a>, FieldError> {
        if let Some(error) = v.get("__error").and_then(Value::as_str) {
            return Err(FieldError {
                message: error.to_owned(),
            });
        }
        let ty = &info.field_definition().ty;
        let named = ty.inner_named_type().as_str();
        let is_object = matches!(
            info.schema().types.get(named),
            Some(ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_))
        );
        if named.ends_with("Connection")
            && let Value::Array(items) = v
        {
            let first = arg_i64(info, "first").unwrap_or(100).max(0) as usize;
            let start = arg_str(info, "after")
                .and_then(|c| {
                    c.strip_prefix("cursor:")
                        .and_then(|n| n.parse::<usize>().ok())
                })
                .map(|n| n + 1)
                .unwrap_or(0);
            let page: Vec<Value> = items.iter().skip(start).take(first).cloned().collect();
            let end = start + page.len();
            let conn = json!({
                "__typename": named,
                "totalCount": items.len(),
                "nodes": page,
                "edges": page.iter().enumerate().map(|(i, n)| json!({"node": n, "cursor": format!("cursor:{}", start + i)})).collect::<Vec<_>>(),
                "pageInfo": {
                    "hasNextPage": end < items.len(),
                    "hasPreviousPage": start > 0,
                    "endCursor": if page.is_empty() { Value::Null } else { json!(format!("cursor:{}", end - 1)) },
                    "startCursor": if page.is_empty() { Value::Null } else { json!(format!("cursor:{start}")) },
                }
            });
            return Ok(ResolvedValue::object(self.child(conn, info)));
        }
        match v {
            Value::Null => Ok(ResolvedValue::null()),
            Value::Array(items) if ty.is_list() => {
                let world = self.world.clone();
                let declared = named.to_owned();
                Ok(ResolvedValue::List(Box::new(items.into_iter().map(
                    move |item| {
                        if item.is_null() {
                            return Ok(ResolvedValue::null());
                        }
                        if is_object {
                            let ty = item
                                .get("__typename")
                                .and_then(Value::as_str)
                                .map(str::to_owned)
                                .unwrap_or_else(|| declared.clone());
                            Ok(ResolvedValue::object(Obj {
                                ty,
                                v: item,
                                world: world.clone(),
                            }))
                        } else {
                            Ok(ResolvedValue::leaf(JsonValue::from(item)))
                        }
                    },
                ))))
            }
            v if is_object => Ok(ResolvedValue::object(self.child(v, info))),
            v => Ok(ResolvedValue::leaf(JsonValue::from(v))),
        }
    }

    /// A missing world value: null when nullable, else the type's zero.
    fn missing<'a>(&self, info: &ResolveInfo<'a>) -> Result<ResolvedValue<'a>, FieldError> {
        let ty = &info.field_definition().ty;
        if !ty.is_non_null() {
            return Ok(ResolvedValue::null());
        }
        if ty.is_list() {
            return Ok(ResolvedValue::list(Vec::new()));
        }
        let zero = match ty.inner_named_type().as_str() {
            "Boolean" => json!(false),
            "Int" | "Float" => json!(0),
            named if named.ends_with("Connection") => return self.value(json!([]), info),
            _ => json!(""),
        };
        self.value(zero, info)
    }

    fn object_at(&self, expression: &str) -> Value {
        let Some(path) = expression.strip_prefix("HEAD:") else {
            return Value::Null;
        };
        let files = self.v.get("files").and_then(Value::as_object);
        let Some(files) = files else {
            return Value::Null;
        };
        let path = path.trim_end_matches('/');
        if let Some(text) = files.get(path) {
            return blob(text);
        }
        let prefix = format!("{path}/");
        let mut entries: Vec<Value> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (file, text) in files {
            let Some(rest) = file.strip_prefix(&prefix) else {
                continue;
            };
            match rest.split_once('/') {
                None => entries.push(json!({"__typename": "TreeEntry", "name": rest, "path": file, "type": "blob", "mode": 33188, "object": blob(text)})),
                Some((dir, _)) if seen.insert(dir.to_owned()) => entries.push(json!({"__typename": "TreeEntry", "name": dir, "path": format!("{prefix}{dir}"), "type": "tree", "mode": 16384, "object": {"__typename": "Tree", "entries": []}})),
                Some(_) => {}
            }
        }
        if entries.is_empty() {
            Value::Null
        } else {
            json!({"__typename": "Tree", "entries": entries, "oid": "0000000000000000000000000000000000000000"})
        }
    }
}

fn blob(text: &Value) -> Value {
    let len = text.as_str().map_or(0, str::len);
    json!({"__typename": "Blob", "text": text, "isBinary": false, "byteSize": len,
           "oid": format!("{:040x}", len)})
}

impl ObjectValue for Obj {
    fn type_name(&self) -> &str {
        &self.ty
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let name = info.field_name();
        match (self.ty.as_str(), name) {
            ("Query", "nodes") => {
                let ids: Vec<String> = info
                    .arguments()
                    .get("ids")
                    .and_then(|v| v.as_array())
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default();
                let nodes: Vec<Value> = ids
                    .iter()
                    .map(|id| self.world.node(id).unwrap_or(Value::Null))
                    .collect();
                self.value(Value::Array(nodes), info)
            }
            ("Query", "node") => {
                let id = arg_str(info, "id").unwrap_or_default();
                self.value(self.world.node(&id).unwrap_or(Value::Null), info)
            }
            ("Query", "organization") => {
                let login = arg_str(info, "login").unwrap_or_default();
                if login == self.world.org {
                    self.value(self.world.org_graphql(), info)
                } else {
                    Err(FieldError {
                        message: format!("NOT_FOUND|Could not resolve to an Organization with the login of '{login}'."),
                    })
                }
            }
            ("Query", "repository") => {
                let full = format!(
                    "{}/{}",
                    arg_str(info, "owner").unwrap_or_default(),
                    arg_str(info, "name").unwrap_or_default()
                );
                self.value(self.world.repo_node_by_name(&full).unwrap_or(Value::Null), info)
            }
            ("Repository", "object") => {
                let expression = arg_str(info, "expression").unwrap_or_default();
                self.value(self.object_at(&expression), info)
            }
            ("Repository", "refs") => {
                let query = arg_str(info, "query").unwrap_or_default();
                let refs: Vec<Value> = self
                    .v
                    .get("branches")
                    .and_then(Value::as_array)
                    .map(|b| {
                        b.iter()
                            .filter_map(Value::as_str)
                            .filter(|n| n.contains(&query))
                            .map(|n| json!({"__typename": "Ref", "name": n, "prefix": "refs/heads/"}))
                            .collect()
                    })
                    .unwrap_or_default();
                self.value(Value::Array(refs), info)
            }
            (_, "rateLimit") => self.value(json!({"cost": 1, "limit": 5000, "remaining": 4999, "used": 1, "resetAt": "2030-01-01T00:00:00Z", "nodeCount": 1}), info),
            _ => match self.v.get(name) {
                Some(v) => self.value(v.clone(), info),
                None => self.missing(info),
            },
        }
    }
}
