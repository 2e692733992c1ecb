//! Group-level facts: the synced group's variables (names only) and those of its ancestors,
//! which every project below sees, and of its subgroups, which only their projects see; the
//! org-level settings GitLab does not expose are unknown with the reason.

use serde_json::Value;

use super::http::{GitlabClient, encode};
use super::project::VariableName;
use crate::collect::answer::Failure;
use crate::model::{Fact, OrgFacts, OrgSecret, Reach, Unreadable};

fn not_exposed<T>(what: &str) -> Fact<T> {
    Fact::Unreadable(Box::new(Unreadable::new(
        None,
        format!("not exposed by the GitLab API: {what}"),
        None,
    )))
}

/// Org facts of `group` (full path) whose projects are `projects` (full paths).
pub async fn facts(client: &GitlabClient, group: &str, projects: &[String]) -> OrgFacts {
    OrgFacts {
        rulesets: Fact::Known(Vec::new()),
        security_defaults: not_exposed("a group default for secret detection and push protection"),
        workflow_token: not_exposed("a group default job token permission"),
        runner_groups: not_exposed(
            "runner groups (a group runner serves every project below its group)",
        ),
        secrets: secrets(client, group, projects).await,
        oidc_subject: not_exposed("a per-group ID token subject template"),
    }
}

async fn secrets(client: &GitlabClient, group: &str, projects: &[String]) -> Fact<Vec<OrgSecret>> {
    // The group itself and each ancestor: visible to every project of the sync.
    let segments: Vec<&str> = group.split('/').collect();
    let mut everyone: Vec<String> = Vec::new();
    for i in 1..=segments.len() {
        let path = segments[..i].join("/");
        match names(client, &path).await {
            Ok(found) => everyone.extend(found),
            // An ancestor the token cannot administer: its variables stay unknown only when it
            // is the synced group itself; ancestors are best effort.
            Err(f) if i == segments.len() => return forbidden(f),
            Err(_) => {}
        }
    }
    let mut out: Vec<OrgSecret> = everyone
        .into_iter()
        .map(|name| OrgSecret {
            name,
            updated_at: None,
            visibility: Reach::All,
            selected_repos: Vec::new(),
        })
        .collect();
    // Subgroups: visible to the projects below them only.
    let route = format!("/groups/{}/descendant_groups?per_page=100", encode(group));
    let subgroups: Vec<String> = match client.get_pages(&route, true).await {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.as_array().cloned().unwrap_or_default())
            .filter_map(|g| {
                g.get("full_path")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    for sub in subgroups {
        let Ok(found) = names(client, &sub).await else {
            continue;
        };
        let prefix = format!("{sub}/");
        let selected: Vec<String> = projects
            .iter()
            .filter(|p| p.starts_with(&prefix))
            .cloned()
            .collect();
        out.extend(found.into_iter().map(|name| OrgSecret {
            name,
            updated_at: None,
            visibility: Reach::Selected,
            selected_repos: selected.clone(),
        }));
    }
    Fact::Known(out)
}

fn forbidden(f: Failure) -> Fact<Vec<OrgSecret>> {
    match f {
        Failure::Http {
            status: 403,
            message,
            ..
        } => Fact::Unreadable(Box::new(Unreadable::new(
            Some(403),
            message,
            Some("Maintainer role"),
        ))),
        f => Fact::Unreadable(Box::new(f.unreadable())),
    }
}

/// Variable names of one group, read without the ETag cache (bodies carry values).
async fn names(client: &GitlabClient, group: &str) -> Result<Vec<String>, Failure> {
    let route = format!("/groups/{}/variables?per_page=100", encode(group));
    let vars = client.get_pages_typed::<VariableName>(&route).await?;
    let mut out: Vec<String> = vars.into_iter().map(|v| v.key).collect();
    out.sort();
    out.dedup();
    Ok(out)
}
