//! GraphQL rate-limit accounting as GitHub documents it ("Rate limits and node limits for
//! the GraphQL API", docs.github.com/graphql/overview/resource-limitations):
//! * node count: each connection's `first`/`last` times the limits of the connections above
//!   it (50 repositories × 10 issues = 500 nodes, plus the 50);
//! * cost: the requests needed — one per connection per parent node — divided by 100 and
//!   rounded, at least 1;
//! * a call may ask for at most 500,000 nodes, and every connection needs `first` or `last`
//!   within 1–100.
//!
//! `nodes(ids:)` is not a connection; the fake counts it like one of `ids.len()` nodes so
//! connections below it are multiplied by the batch size (GitHub does not document it).

use apollo_compiler::ExecutableDocument;
use apollo_compiler::ast::Value as AstValue;
use apollo_compiler::executable::{Selection, SelectionSet};
use serde_json::Value;

/// A query's accounting.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Nodes the query may return.
    pub nodes: u64,
    /// Requests needed (before dividing by 100).
    pub requests: u64,
}

impl Cost {
    /// Points charged: requests / 100, rounded, at least 1.
    pub fn points(&self) -> u64 {
        ((self.requests as f64 / 100.0).round() as u64).max(1)
    }
}

/// The largest node count GitHub accepts in one call.
pub const MAX_NODES: u64 = 500_000;

/// The cost of the first operation of `document`, or the message GitHub would answer when a
/// connection lacks `first`/`last` or asks for more than 100.
pub fn cost(document: &ExecutableDocument, variables: &Value) -> Result<Cost, String> {
    let mut total = Cost::default();
    if let Some(operation) = document.operations.iter().next() {
        walk(document, &operation.selection_set, 1, variables, &mut total)?;
    }
    Ok(total)
}

fn int_arg(value: &AstValue, variables: &Value) -> Option<i64> {
    match value {
        AstValue::Int(i) => i.try_to_i32().ok().map(i64::from),
        AstValue::Variable(name) => variables.get(name.as_str()).and_then(Value::as_i64),
        _ => None,
    }
}

fn list_len(value: &AstValue, variables: &Value) -> Option<u64> {
    match value {
        AstValue::List(items) => Some(items.len() as u64),
        AstValue::Variable(name) => variables
            .get(name.as_str())
            .and_then(Value::as_array)
            .map(|a| a.len() as u64),
        _ => None,
    }
}

fn walk(
    document: &ExecutableDocument,
    set: &SelectionSet,
    multiplier: u64,
    variables: &Value,
    total: &mut Cost,
) -> Result<(), String> {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                let arg = |name: &str| {
                    field
                        .arguments
                        .iter()
                        .find(|a| a.name == name)
                        .map(|a| a.value.clone())
                };
                let type_name = field.definition.ty.inner_named_type().as_str();
                let below = if type_name.ends_with("Connection") {
                    let limit = arg("first")
                        .or_else(|| arg("last"))
                        .and_then(|v| int_arg(&v, variables));
                    let Some(limit) = limit else {
                        return Err(format!(
                            "You must provide a `first` or `last` value to properly paginate the `{}` connection.",
                            field.name
                        ));
                    };
                    if !(1..=100).contains(&limit) {
                        return Err(format!(
                            "Requesting {limit} records on the `{}` connection exceeds the `first` limit of 100 records.",
                            field.name
                        ));
                    }
                    total.requests += multiplier;
                    total.nodes += multiplier * limit as u64;
                    multiplier * limit as u64
                } else if let Some(ids) = arg("ids").filter(|_| field.name == "nodes") {
                    // `Query.nodes(ids:)`; a connection's own `nodes` list is not a node count.
                    let n = list_len(&ids, variables).unwrap_or(1);
                    total.nodes += multiplier * n;
                    multiplier * n
                } else {
                    multiplier
                };
                walk(document, &field.selection_set, below, variables, total)?;
            }
            Selection::InlineFragment(inline) => {
                walk(
                    document,
                    &inline.selection_set,
                    multiplier,
                    variables,
                    total,
                )?;
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.fragment_name) {
                    walk(
                        document,
                        &fragment.selection_set,
                        multiplier,
                        variables,
                        total,
                    )?;
                }
            }
        }
    }
    Ok(())
}
