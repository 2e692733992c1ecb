//! Org-level facts: rulesets (GraphQL), workflow token default, runner groups and runners,
//! org secrets (with the repositories of `selected` ones), OIDC subject template.

use serde_json::Value;

use super::graph::gql_unreadable;
use super::query;
use super::rest;
use crate::collect::client::Client;
use crate::model::{Fact, OrgFacts, OrgSecret, Reach, Ruleset, RulesetSource, Unreadable};

/// Org rulesets through GraphQL, every page.
pub async fn rulesets(client: &Client, org: &str) -> Fact<Vec<Ruleset>> {
    let mut after: Option<String> = None;
    let mut out = Vec::new();
    for _ in 0..100 {
        let vars = serde_json::json!({"login": org, "after": after});
        let body = match client.graphql(&query::org_rulesets_query(), vars).await {
            Ok(answer) => answer.body,
            Err(failure) => return Fact::Unreadable(Box::new(failure.unreadable())),
        };
        let conn = body.pointer("/data/organization/rulesets");
        let Some(conn) = conn.filter(|c| !c.is_null()) else {
            let why = body
                .pointer("/errors/0")
                .map(gql_unreadable)
                .unwrap_or_else(|| {
                    Unreadable::new(None, "no organization rulesets in the answer", None)
                });
            return Fact::Unreadable(Box::new(why));
        };
        out.extend(
            query::nodes(Some(conn))
                .iter()
                .filter_map(query::ruleset)
                .map(|mut rs| {
                    rs.source = RulesetSource::Org;
                    rs
                }),
        );
        let next = conn
            .pointer("/pageInfo/hasNextPage")
            .and_then(Value::as_bool)
            == Some(true);
        after = conn
            .pointer("/pageInfo/endCursor")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if !next || after.is_none() {
            break;
        }
    }
    Fact::Known(out)
}

/// Org secrets and, for `selected` ones, the repositories they are shared with.
pub async fn secrets(client: &Client, org: &str) -> Fact<Vec<OrgSecret>> {
    let pages = match client
        .get_pages(format!("/orgs/{org}/actions/secrets?per_page=100"))
        .await
    {
        Ok(pages) => pages,
        Err(failure) => return Fact::Unreadable(Box::new(failure.unreadable())),
    };
    let mut out = Vec::new();
    for (name, updated_at, visibility) in rest::org_secrets(&pages) {
        let selected_repos = if visibility == Reach::Selected {
            let route = format!("/orgs/{org}/actions/secrets/{name}/repositories?per_page=100");
            match client.get_pages(route).await {
                Ok(pages) => rest::selected_repos(&pages),
                Err(failure) => return Fact::Unreadable(Box::new(failure.unreadable())),
            }
        } else {
            Vec::new()
        };
        out.push(OrgSecret {
            name,
            updated_at,
            visibility,
            selected_repos,
        });
    }
    Fact::Known(out)
}

/// Everything org-level except security defaults (those come with the pre-flight's org read).
pub async fn facts(client: &Client, org: &str) -> OrgFacts {
    let (rulesets, secrets, token, groups, oidc) = tokio::join!(
        rulesets(client, org),
        secrets(client, org),
        client.get(format!("/orgs/{org}/actions/permissions/workflow")),
        client.get_pages(format!("/orgs/{org}/actions/runner-groups?per_page=100")),
        client.get(format!("/orgs/{org}/actions/oidc/customization/sub")),
    );
    OrgFacts {
        rulesets,
        security_defaults: Fact::Known(Default::default()),
        workflow_token: match token {
            Ok(a) => Fact::Known(rest::workflow_token(&a.body)),
            Err(f) => Fact::Unreadable(Box::new(f.unreadable())),
        },
        runner_groups: match groups {
            Ok(pages) => Fact::Known(rest::runner_groups(&pages)),
            Err(f) => Fact::Unreadable(Box::new(f.unreadable())),
        },
        secrets,
        oidc_subject: match oidc {
            Ok(a) => Fact::Known(rest::oidc_subject(&a.body)),
            Err(f) => Fact::Unreadable(Box::new(f.unreadable())),
        },
    }
}
