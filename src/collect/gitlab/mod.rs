//! Sync a GitLab group (with its subgroups) into a snapshot: pre-flight (`/user`,
//! `/groups/:id`), the project listing (`include_subgroups=true`), per-project reads with
//! bounded concurrency, and group-level facts. Returns the snapshot; saving is the caller's.
//!
//! Transport: our own client ([`http::GitlabClient`]) on the same machinery as the GitHub
//! sync (octocrab's transport, ETag cache, progress events, token redaction), not the `gitlab`
//! crate: see `http.rs` for the GitLab dialect it speaks.

mod dialect;
mod files;
mod group;
pub mod http;
mod project;
mod reads;
mod runners;

use std::path::PathBuf;

use chrono::Utc;
use futures_util::StreamExt;
use serde_json::Value;

use self::http::{GitlabBase, GitlabClient, encode};
use super::answer::Failure;
use super::etag::EtagCache;
use super::github::SyncError;
use super::progress::{Event, Progress};
use super::token::Token;
use crate::model::{Provider, Snapshot};

pub use project::VariableName;

/// What to sync and how.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Full path of the group, e.g. `acme` or `acme/platform`.
    pub group: String,
    /// Refresh only these projects (full paths, or paths below the group) of `base`.
    pub projects: Vec<String>,
    /// Where requests go.
    pub base_url: GitlabBase,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The token (`GITLAB_TOKEN`).
    pub token: Token,
    /// Directory for the ETag cache (`etags/gitlab-GROUP.json` below it); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// The snapshot a `--project` sync refreshes.
    pub base: Option<Snapshot>,
    /// Release branch patterns (config `release_patterns`).
    pub release_patterns: Vec<String>,
}

/// The GitLab token from `GITLAB_TOKEN`.
pub fn gitlab_token() -> Option<Token> {
    std::env::var("GITLAB_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| Token::new(&t))
}

/// Run a sync. Progress goes to `progress`; the ETag cache is saved when the sync succeeds.
pub async fn sync(options: SyncOptions, progress: Progress) -> Result<Snapshot, SyncError> {
    let group = options.group.trim_matches('/').to_owned();
    let etags = match &options.cache_dir {
        Some(dir) => EtagCache::load(dir, "gitlab", &group),
        None => EtagCache::memory(),
    };
    let redact = |s: String| SyncError(options.token.redact(&s));
    let client = GitlabClient::new(
        options.base_url.clone(),
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
    let group_route = format!("/groups/{}", encode(&group));
    client
        .get(&format!("{group_route}?with_projects=false"))
        .await
        .map_err(|f| match f {
            Failure::Http { status: 404, .. } => redact(format!(
                "group {group} not found on {} (or not visible to this token)",
                options.base_url.display()
            )),
            f => redact(Failure::preflight(&group_route, &f)),
        })?;

    progress.emit(Event::Phase("listing projects".into()));
    let listed = list(&client, &group, &options.projects)
        .await
        .map_err(redact)?;
    let total = listed.len();
    progress.emit(Event::Total(total));

    let mut snapshot = Snapshot::new(
        Provider::Gitlab,
        &group,
        &options.base_url.display(),
        Utc::now(),
    );
    snapshot.synced_by = user
        .body
        .get("username")
        .and_then(Value::as_str)
        .map(str::to_owned);

    progress.emit(Event::Phase("reading projects".into()));
    let patterns = crate::controls::compile_globs(&options.release_patterns, false);
    let runner_cache = runners::RunnerCache::new(options.base_url.is_gitlab_com());
    let paths: Vec<String> = listed
        .iter()
        .map(|p| p.path_with_namespace.clone())
        .collect();
    let org_facts = async {
        if options.projects.is_empty() {
            Some(group::facts(&client, &group, &paths).await)
        } else {
            None
        }
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let reads = futures_util::stream::iter(listed.iter())
        .map(|listed| {
            let (client, progress, done) = (&client, &progress, &done);
            let (runners, patterns) = (&runner_cache, &patterns);
            async move {
                let read = project::read(client, listed, runners, patterns).await;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress.emit(Event::RepoDone {
                    name: listed.path_with_namespace.clone(),
                    done: n,
                    total,
                });
                read
            }
        })
        .buffered(options.concurrency.max(1) * 2)
        .collect::<Vec<_>>();
    let (org_facts, reads) = tokio::join!(org_facts, reads);

    for read in reads {
        for (kind, text) in read.texts {
            snapshot.add_file(kind, text);
        }
        snapshot.repos.push(read.repo);
    }
    snapshot.org_facts = match (org_facts, &options.base) {
        (Some(facts), _) => facts,
        (None, Some(base)) => base.org_facts.clone(),
        (None, None) => crate::model::OrgFacts::not_in_snapshot(),
    };
    if let Some(base) = options.base {
        super::refresh::merge_into_base(&mut snapshot, base);
    }
    if let Some(why) = client.stopped() {
        // A rate limit too far away: a snapshot with most facts unknown would mislead.
        return Err(redact(why));
    }
    snapshot.token.cannot_see = cannot_see(&snapshot);
    if let Err(err) = client.save_etags(!options.projects.is_empty()) {
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

/// The projects to read: the group and all its subgroups, or the named ones.
async fn list(
    client: &GitlabClient,
    group: &str,
    names: &[String],
) -> Result<Vec<project::Listed>, String> {
    let values: Vec<Value> = if names.is_empty() {
        let route = format!(
            "/groups/{}/projects?include_subgroups=true&with_shared=false&order_by=id&sort=asc&per_page=100",
            encode(group)
        );
        client
            .get_pages(&route, true)
            .await
            .map_err(|f| format!("cannot list the projects of {group}: {}", f.describe()))?
            .into_iter()
            .flat_map(|page| page.as_array().cloned().unwrap_or_default())
            .collect()
    } else {
        let mut items = Vec::new();
        for name in names {
            let full = if name.starts_with(&format!("{group}/")) {
                name.clone()
            } else {
                format!("{group}/{}", name.trim_matches('/'))
            };
            let answer = client
                .get(&format!("/projects/{}", encode(&full)))
                .await
                .map_err(|f| format!("cannot read {full}: {}", f.describe()))?;
            items.push(answer.body);
        }
        items
    };
    let mut out = Vec::with_capacity(values.len());
    for value in values {
        match serde_json::from_value::<project::Listed>(value) {
            Ok(p) => out.push(p),
            Err(e) => return Err(format!("unexpected project in the listing of {group}: {e}")),
        }
    }
    Ok(out)
}

/// One line per kind of unreadable fact: what, how many projects, why.
fn cannot_see(snapshot: &Snapshot) -> Vec<String> {
    let mut seen = super::cannot_see::CannotSee::default();
    for r in &snapshot.repos {
        seen.repo("repository statistics", r.traffic.unreadable());
        seen.repo("release branches", r.release_branches.unreadable());
        seen.repo("secret detection setting", r.secret_scanning.unreadable());
        seen.repo("CI/CD variables", r.secrets.unreadable());
        seen.repo("pipeline files", r.pipelines.unreadable());
        seen.repo("runners", r.runners.unreadable());
        seen.repo("environments", r.environments.unreadable());
        seen.repo("latest release", r.latest_release.unreadable());
        if let Some(g) = &r.gitlab {
            seen.repo("protected branch", g.default_branch_protection.unreadable());
            seen.repo("approval settings", g.approval_settings.unreadable());
            seen.repo("approval rules", g.approval_rules.unreadable());
            seen.repo("push rules", g.push_rules.unreadable());
            seen.repo(
                "secret push protection",
                g.secret_push_protection.unreadable(),
            );
            seen.repo("job token scope", g.job_token_scope.unreadable());
        }
    }
    let o = &snapshot.org_facts;
    seen.org("group security defaults", o.security_defaults.unreadable());
    seen.org("group job token default", o.workflow_token.unreadable());
    seen.org("runner groups", o.runner_groups.unreadable());
    seen.org("group CI/CD variables", o.secrets.unreadable());
    seen.org("OIDC subject template", o.oidc_subject.unreadable());
    seen.lines("projects")
}
