//! Per-repository REST reads, only what a control needs: traffic views, Actions secrets and
//! the workflow token default always; runners only for self-hosted workflows; environments
//! only when a workflow deploys to one; attestations only when there is a release.

use serde_json::Value;

use super::rest;
use crate::collect::client::{Client, Failure};
use crate::model::{Fact, Reach, Repo, Runner, RunnerGroup, Traffic, Unreadable, Visibility};

/// What the workflows of a repository call for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    /// Some job runs (or may run) on a self-hosted runner.
    pub self_hosted: bool,
    /// Some job deploys to an environment.
    pub environments: bool,
}

/// Work out from workflow texts what else to read.
pub fn needs(repo: &str, workflows: &[(String, String)]) -> Needs {
    let mut out = Needs::default();
    for (path, text) in workflows {
        let analysis = crate::pipeline::analyse_in_repo(
            path,
            text,
            Some(crate::pipeline::FileKind::GithubActions),
            Some(repo),
        );
        out.self_hosted |= !analysis.facts.self_hosted.is_empty();
        out.environments |= !analysis.facts.environments.is_empty();
    }
    out
}

/// Org runners and the groups they belong to, read once when any repository needs them.
#[derive(Debug, Clone)]
pub struct OrgRunners {
    /// Org runners (scope `org`) with the id of their group.
    pub runners: Result<Vec<(Runner, Option<u64>)>, Unreadable>,
    /// Runner groups.
    pub groups: Vec<RunnerGroup>,
    /// Repositories admitted by each `selected` group that holds a runner (`None`: unreadable,
    /// so the runner counts as usable, the conservative reading for isolation controls).
    pub selected: std::collections::HashMap<u64, Option<Vec<String>>>,
}

/// Read the org runners.
pub async fn org_runners(client: &Client, org: &str, groups: &[RunnerGroup]) -> OrgRunners {
    let route = format!("/orgs/{org}/actions/runners?per_page=100");
    let runners: Result<Vec<(Runner, Option<u64>)>, Unreadable> =
        match client.get_pages(route).await {
            Ok(pages) => Ok(rest::runners(&pages, "org", groups)
                .into_iter()
                .map(|r| {
                    let group = rest::runner_group_of(&pages, r.id);
                    (r, group)
                })
                .collect()),
            Err(f) => Err(f.unreadable()),
        };
    let mut selected = std::collections::HashMap::new();
    if let Ok(list) = &runners {
        for group in groups.iter().filter(|g| g.visibility == Reach::Selected) {
            if !list.iter().any(|(_, id)| *id == Some(group.id)) {
                continue;
            }
            let route = format!(
                "/orgs/{org}/actions/runner-groups/{}/repositories?per_page=100",
                group.id
            );
            let repos = client
                .get_pages(route)
                .await
                .ok()
                .map(|pages| rest::selected_repos(&pages));
            selected.insert(group.id, repos);
        }
    }
    OrgRunners {
        runners,
        groups: groups.to_vec(),
        selected,
    }
}

fn fact<T>(result: Result<T, Failure>) -> Fact<T> {
    match result {
        Ok(v) => Fact::Known(v),
        Err(f) => Fact::Unreadable(Box::new(f.unreadable())),
    }
}

/// Read the per-repository REST facts into `repo`.
pub async fn read(
    client: &Client,
    repo: &mut Repo,
    needs: Needs,
    org_runners: Option<&OrgRunners>,
) {
    let name = repo.name.clone();
    if repo.archived {
        let why = || Unreadable::new(None, "not read: the repository is archived", None);
        repo.traffic = Fact::Unreadable(Box::new(why()));
        repo.secrets = Fact::Unreadable(Box::new(why()));
        repo.workflow_token = Fact::Unreadable(Box::new(why()));
        return;
    }
    let (views, secrets, token) = tokio::join!(
        client.get(format!("/repos/{name}/traffic/views")),
        client.get_pages(format!("/repos/{name}/actions/secrets?per_page=100")),
        client.get(format!("/repos/{name}/actions/permissions/workflow")),
    );
    repo.traffic = fact(views.map(|a| {
        let (views_14d, uniques_14d) = rest::views(&a.body);
        Traffic {
            views_14d,
            uniques_14d,
            ..Traffic::default()
        }
    }));
    repo.secrets = fact(secrets.map(|pages| rest::secrets(&pages)));
    repo.workflow_token = fact(token.map(|a| rest::workflow_token(&a.body)));
    repo.runners = if needs.self_hosted {
        runners(client, repo, org_runners).await
    } else {
        Fact::Known(Vec::new())
    };
    repo.environments = if needs.environments {
        fact(
            client
                .get_pages(format!("/repos/{name}/environments?per_page=100"))
                .await
                .map(|pages| rest::environments(&pages)),
        )
    } else {
        Fact::Known(Vec::new())
    };
    let has_release = matches!(repo.latest_release, Fact::Known(Some(_)));
    if has_release {
        let attested = attested(client, &name).await;
        if let Fact::Known(Some(release)) = &mut repo.latest_release {
            release.attested = attested;
        }
    }
}

async fn runners(client: &Client, repo: &Repo, org: Option<&OrgRunners>) -> Fact<Vec<Runner>> {
    let route = format!("/repos/{}/actions/runners?per_page=100", repo.name);
    let mut list = match client.get_pages(route).await {
        Ok(pages) => rest::runners(&pages, "repo", &[]),
        Err(f) => return Fact::Unreadable(Box::new(f.unreadable())),
    };
    if let Some(org) = org {
        match &org.runners {
            Ok(runners) => list.extend(
                runners
                    .iter()
                    .filter(|(_, group)| usable(repo, *group, org))
                    .map(|(r, _)| r.clone()),
            ),
            Err(why) => return Fact::Unreadable(Box::new(why.clone())),
        }
    }
    Fact::Known(list)
}

/// Whether an org runner in `group` is open to `repo` (a runner without a known group is in
/// the default group, open to all).
fn usable(repo: &Repo, group: Option<u64>, org: &OrgRunners) -> bool {
    let Some(group) = group.and_then(|id| org.groups.iter().find(|g| g.id == id)) else {
        return true;
    };
    let public = repo.visibility == Visibility::Public;
    if public && !group.allows_public_repositories {
        return false;
    }
    match group.visibility {
        Reach::All => true,
        Reach::Private => !public,
        Reach::Selected => match org.selected.get(&group.id) {
            Some(Some(names)) => names.contains(&repo.name),
            _ => true,
        },
    }
}

/// Whether the latest release's first asset with a digest has an attestation.
async fn attested(client: &Client, name: &str) -> Option<bool> {
    let release = client
        .get(format!("/repos/{name}/releases/latest"))
        .await
        .ok()?;
    let digest = rest::asset_digests(&release.body).into_iter().next()?;
    match client
        .get(format!("/repos/{name}/attestations/{digest}"))
        .await
    {
        Ok(answer) => Some(rest::has_attestations(&answer.body)),
        Err(Failure::Http { status: 404, .. }) => Some(false),
        Err(_) => None,
    }
}

/// Clone counts break ties in views: read `/traffic/clones` for repositories whose known,
/// non-zero view count equals another repository's.
pub async fn clones_for_ties(client: &Client, repos: &mut [Repo]) {
    let mut counts = std::collections::HashMap::<u64, usize>::new();
    for repo in repos.iter() {
        if let Fact::Known(Traffic {
            views_14d: Some(v), ..
        }) = &repo.traffic
            && *v > 0
        {
            *counts.entry(*v).or_default() += 1;
        }
    }
    let tied: Vec<usize> = repos
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            matches!(&r.traffic, Fact::Known(Traffic { views_14d: Some(v), .. }) if counts.get(v).copied().unwrap_or(0) > 1)
        })
        .map(|(i, _)| i)
        .collect();
    let names: Vec<String> = tied.iter().map(|&i| repos[i].name.clone()).collect();
    let answers = futures_util::future::join_all(
        names
            .iter()
            .map(|name| client.get(format!("/repos/{name}/traffic/clones"))),
    )
    .await;
    for (i, answer) in tied.into_iter().zip(answers) {
        if let (Ok(answer), Fact::Known(traffic)) = (answer, &mut repos[i].traffic) {
            traffic.clones_14d = answer.body.get("count").and_then(Value::as_u64);
        }
    }
}
