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
    let vars = serde_json::json!({ "login": org });
    let pages = ruleset_pages(
        client,
        &query::org_rulesets_query(),
        vars,
        "/data/organization/rulesets",
        None,
        "no organization rulesets in the answer",
    )
    .await;
    match pages {
        Fact::Known(mut rulesets) => {
            for rs in &mut rulesets {
                rs.source = RulesetSource::Org;
            }
            Fact::Known(rulesets)
        }
        unread => unread,
    }
}

/// A repository's rulesets after `after`, the cursor its batch answer ended on: the pages the
/// batch could not hold (more than 50 rulesets, counting the org's that apply to it).
pub async fn more_repo_rulesets(client: &Client, id: &str, after: String) -> Fact<Vec<Ruleset>> {
    let vars = serde_json::json!({ "id": id });
    ruleset_pages(
        client,
        &query::repo_rulesets_query(),
        vars,
        "/data/node/rulesets",
        Some(after),
        "no repository rulesets in the answer",
    )
    .await
}

/// Most ruleset pages read for one owner (50 each).
const MAX_RULESET_PAGES: usize = 100;

/// Every page of a `rulesets` connection at `pointer`, from the cursor `after`. A page that
/// cannot be read, or more pages than [`MAX_RULESET_PAGES`], makes the whole list unreadable:
/// a list missing rulesets must not be judged as complete.
async fn ruleset_pages(
    client: &Client,
    query_text: &str,
    mut vars: Value,
    pointer: &str,
    mut after: Option<String>,
    absent: &str,
) -> Fact<Vec<Ruleset>> {
    let mut out = Vec::new();
    for _ in 0..MAX_RULESET_PAGES {
        vars["after"] = serde_json::json!(after);
        let body = match client.graphql(query_text, vars.clone()).await {
            Ok(answer) => answer.body,
            Err(failure) => return Fact::Unreadable(Box::new(failure.unreadable())),
        };
        let Some(conn) = body.pointer(pointer).filter(|c| !c.is_null()) else {
            let why = body
                .pointer("/errors/0")
                .map(gql_unreadable)
                .unwrap_or_else(|| Unreadable::new(None, absent, None));
            return Fact::Unreadable(Box::new(why));
        };
        out.extend(query::nodes(Some(conn)).iter().filter_map(query::ruleset));
        match query::next_cursor(conn) {
            Ok(Some(cursor)) => after = Some(cursor),
            Ok(None) => return Fact::Known(out),
            Err(why) => return Fact::Unreadable(Box::new(why)),
        }
    }
    Fact::Unreadable(Box::new(Unreadable::new(
        None,
        format!("more than {} rulesets", MAX_RULESET_PAGES * 50),
        None,
    )))
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
