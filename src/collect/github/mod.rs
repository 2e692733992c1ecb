//! Sync a GitHub organisation into a snapshot: pre-flight (`/user`, `/orgs/{org}`), the REST
//! repository listing, GraphQL batches for protection, rulesets and files, REST only where
//! only REST has the fact, and org-level facts. Returns the snapshot; saving is the caller's.

mod graph;
mod org;
pub mod query;
mod repo_rest;
pub mod rest;

use std::fmt;
use std::path::PathBuf;

use chrono::Utc;
use futures_util::StreamExt;
use serde_json::Value;

use super::api::ApiBase;
use super::client::{Client, Failure};
use super::etag::EtagCache;
use super::progress::{Event, Progress};
use super::token::Token;
use crate::model::{Fact, Provider, Repo, Ruleset, RulesetSource, Snapshot, Unreadable};

/// What to sync and how.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Organisation login.
    pub org: String,
    /// Refresh only these repositories (short or full names) of `base`.
    pub repos: Vec<String>,
    /// Where requests go.
    pub api: ApiBase,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The token.
    pub token: Token,
    /// Directory for the ETag cache (`etags/github-ORG.json` below it); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// The snapshot a `--repo` sync refreshes.
    pub base: Option<Snapshot>,
    /// Release branch patterns (config `release_patterns`): which branches to list.
    pub release_patterns: Vec<String>,
}

/// Why a sync produced no snapshot (one line, never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError(pub String);

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SyncError {}

/// Run a sync. Progress goes to `progress`; the ETag cache is saved when the sync succeeds.
pub async fn sync(options: SyncOptions, progress: Progress) -> Result<Snapshot, SyncError> {
    let org = options.org.clone();
    let etags = match &options.cache_dir {
        Some(dir) => EtagCache::load(dir, "github", &org),
        None => EtagCache::memory(),
    };
    let redact = |s: String| SyncError(options.token.redact(&s));
    let client = Client::new(
        options.api.clone(),
        options.token.clone(),
        options.concurrency,
        etags,
        progress.clone(),
    )
    .map_err(redact)?;

    progress.emit(Event::Phase("pre-flight".into()));
    let user = client
        .get("/user")
        .await
        .map_err(|f| redact(Failure::preflight("/user", &f)))?;
    let org_answer = client
        .get(format!("/orgs/{org}"))
        .await
        .map_err(|f| match f {
            Failure::Http { status: 404, .. } => redact(format!(
                "organisation {org} not found on {} (or not visible to this token)",
                options.api.display()
            )),
            f => redact(Failure::preflight(&format!("/orgs/{org}"), &f)),
        })?;

    progress.emit(Event::Phase("listing repositories".into()));
    let listed = list(&client, &org, &options.repos).await.map_err(redact)?;
    let total = listed.len();
    progress.emit(Event::Total(total));

    let mut snapshot = Snapshot::new(Provider::Github, &org, &options.api.display(), Utc::now());
    snapshot.synced_by = user
        .body
        .get("login")
        .and_then(Value::as_str)
        .map(str::to_owned);
    snapshot.token.scopes = user
        .scopes
        .as_deref()
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();

    progress.emit(Event::Phase("reading repositories".into()));
    let org_facts = async {
        if options.repos.is_empty() {
            Some(org::facts(&client, &org).await)
        } else {
            None
        }
    };
    let release_query = query::release_query(&options.release_patterns);
    let ids: Vec<String> = listed
        .iter()
        .map(|(_, id)| id.clone().unwrap_or_default())
        .collect();
    let batches = async {
        futures_util::stream::iter(ids.chunks(graph::BATCH))
            .map(|chunk| graph::fetch_batch(&client, chunk, &release_query))
            .buffered(options.concurrency.max(1))
            .collect::<Vec<_>>()
            .await
    };
    let (org_facts, batches) = tokio::join!(org_facts, batches);
    let answers: Vec<graph::NodeAnswer> = batches.into_iter().flatten().collect();

    let mut repos: Vec<Repo> = Vec::with_capacity(total);
    let mut needs = Vec::with_capacity(total);
    let mut more_rulesets = Vec::new();
    for ((mut repo, id), answer) in listed.into_iter().zip(answers) {
        let workflows = graph::apply(&answer, &mut repo, &mut snapshot);
        needs.push(repo_rest::needs(&repo.name, &workflows));
        // More rulesets than the batch held: read the rest, or say the list is incomplete.
        match (graph::rulesets_cursor(&answer), id) {
            (Ok(None), _) => {}
            (Ok(Some(cursor)), Some(id)) => more_rulesets.push((repos.len(), id, cursor)),
            (Ok(Some(_)), None) => {
                let why =
                    Unreadable::new(None, "more rulesets, and no node id to ask for them", None);
                repo.rulesets = Fact::Unreadable(Box::new(why));
            }
            (Err(why), _) => repo.rulesets = Fact::Unreadable(Box::new(why)),
        }
        repos.push(repo);
    }
    read_more_rulesets(&client, &mut repos, more_rulesets, options.concurrency).await;

    let mut org_facts = match (org_facts, &options.base) {
        (Some(facts), _) => facts,
        (None, Some(base)) => base.org_facts.clone(),
        (None, None) => crate::model::OrgFacts::not_in_snapshot(),
    };
    org_facts.security_defaults = rest::security_defaults(&org_answer.body);
    let org_runners = if needs.iter().any(|n| n.self_hosted) {
        let groups = org_facts.runner_groups.known().cloned().unwrap_or_default();
        Some(repo_rest::org_runners(&client, &org, &groups).await)
    } else {
        None
    };

    let done = std::sync::atomic::AtomicUsize::new(0);
    let org_runners = org_runners.as_ref();
    futures_util::stream::iter(repos.iter_mut().zip(needs.iter().copied()))
        .for_each_concurrent(options.concurrency.max(1) * 2, |(repo, need)| {
            let client = &client;
            let progress = &progress;
            let done = &done;
            async move {
                repo_rest::read(client, repo, need, org_runners).await;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress.emit(Event::RepoDone {
                    name: repo.name.clone(),
                    done: n,
                    total,
                });
            }
        })
        .await;
    repo_rest::clones_for_ties(&client, &mut repos).await;

    snapshot.org_facts = org_facts;
    snapshot.repos = repos;
    if let Some(base) = options.base {
        super::refresh::merge_into_base(&mut snapshot, base);
    }
    if let Some(why) = client.stopped() {
        // A rate limit too far away: a snapshot with most facts unknown would mislead.
        return Err(redact(why));
    }
    snapshot.token.cannot_see = cannot_see(&snapshot);
    if let Err(err) = client.save_etags(!options.repos.is_empty()) {
        progress.emit(Event::Warning(format!(
            "could not save the ETag cache (the next sync re-reads everything): {err}"
        )));
    }
    progress.emit(Event::Finished {
        repos: snapshot.repos.len(),
        requests: progress.requests(),
        not_modified: progress.not_modified(),
    });
    Ok(snapshot)
}

/// The repositories to read: the whole org listing, or the named ones.
async fn list(
    client: &Client,
    org: &str,
    names: &[String],
) -> Result<Vec<(Repo, Option<String>)>, String> {
    let items: Vec<Value> = if names.is_empty() {
        client
            .get_pages(format!("/orgs/{org}/repos?per_page=100&type=all"))
            .await
            .map_err(|f| format!("cannot list the repositories of {org}: {}", f.describe()))?
            .into_iter()
            .flat_map(|page| page.as_array().cloned().unwrap_or_default())
            .collect()
    } else {
        let mut items = Vec::new();
        for name in names {
            let short = name.strip_prefix(&format!("{org}/")).unwrap_or(name);
            let answer = client
                .get(format!("/repos/{org}/{short}"))
                .await
                .map_err(|f| format!("cannot read {org}/{short}: {}", f.describe()))?;
            items.push(answer.body);
        }
        items
    };
    Ok(items.iter().filter_map(rest::listed_repo).collect())
}

/// One line per kind of unreadable fact: what, how many repositories, why.
fn cannot_see(snapshot: &Snapshot) -> Vec<String> {
    let mut seen = super::cannot_see::CannotSee::default();
    for r in &snapshot.repos {
        seen.repo("traffic", r.traffic.unreadable());
        seen.repo("classic protection", r.classic_protection.unreadable());
        seen.repo("rulesets", r.rulesets.unreadable());
        seen.repo("release branches", r.release_branches.unreadable());
        seen.repo("secret scanning", r.secret_scanning.unreadable());
        seen.repo("secrets", r.secrets.unreadable());
        seen.repo("workflows", r.pipelines.unreadable());
        seen.repo("runners", r.runners.unreadable());
        seen.repo("workflow token", r.workflow_token.unreadable());
        seen.repo("environments", r.environments.unreadable());
        seen.repo("latest release", r.latest_release.unreadable());
    }
    let o = &snapshot.org_facts;
    seen.org("org rulesets", o.rulesets.unreadable());
    seen.org("org security defaults", o.security_defaults.unreadable());
    seen.org("org workflow token", o.workflow_token.unreadable());
    seen.org("org runner groups", o.runner_groups.unreadable());
    seen.org("org secrets", o.secrets.unreadable());
    seen.org("org OIDC subject template", o.oidc_subject.unreadable());
    seen.lines("repositories")
}

/// Rulesets past the first page of a repository's batch answer: read every further page and
/// add the repository's own ones; a page that fails makes the repository's rulesets
/// unreadable rather than a list that looks complete.
async fn read_more_rulesets(
    client: &Client,
    repos: &mut [Repo],
    wanted: Vec<(usize, String, String)>,
    concurrency: usize,
) {
    let pages: Vec<(usize, Fact<Vec<Ruleset>>)> = futures_util::stream::iter(wanted)
        .map(|(index, id, cursor)| async move {
            (index, org::more_repo_rulesets(client, &id, cursor).await)
        })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    for (index, more) in pages {
        let Some(repo) = repos.get_mut(index) else {
            continue;
        };
        match (more, &mut repo.rulesets) {
            (Fact::Known(more), Fact::Known(have)) => have.extend(
                more.into_iter()
                    .filter(|rs| rs.source == RulesetSource::Repo),
            ),
            (Fact::Unreadable(why), rulesets) => {
                *rulesets = Fact::Unreadable(why);
            }
            (Fact::Known(_), Fact::Unreadable(_)) => {}
        }
    }
}
