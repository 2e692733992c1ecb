//! Runners a project can use. `GET /projects/:id/runners` lists project, group and instance
//! runners available to the project; the tags come from `GET /runners/:id`, read once per runner for the whole sync. GitLab.com's
//! instance runners are GitLab-hosted and left out; a self-managed instance's are self-hosted.
//! `ephemeral` is `None`: the API does not say.

use std::collections::HashMap;

use serde::Deserialize;
use tokio::sync::Mutex;

use super::http::GitlabClient;
use crate::model::{Fact, Runner, Unreadable};

#[derive(Debug, Clone, Deserialize)]
struct Listed {
    id: u64,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    runner_type: Option<String>,
    #[serde(default)]
    is_shared: bool,
}

/// What `GET /runners/:id` says about a runner (the fields posture uses).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Detail {
    /// Tags jobs select the runner by.
    #[serde(default)]
    pub tag_list: Vec<String>,
}

/// Runner details shared by every project of a sync.
pub struct RunnerCache {
    gitlab_com: bool,
    details: Mutex<HashMap<u64, Option<Detail>>>,
}

impl RunnerCache {
    /// An empty cache; `gitlab_com` leaves instance runners out (GitLab-hosted).
    pub fn new(gitlab_com: bool) -> Self {
        Self {
            gitlab_com,
            details: Mutex::new(HashMap::new()),
        }
    }

    /// The self-managed runners project `id` can use.
    pub async fn for_project(&self, client: &GitlabClient, id: u64) -> Fact<Vec<Runner>> {
        let pages = match client
            .get_pages(&format!("/projects/{id}/runners?per_page=100"), true)
            .await
        {
            Ok(pages) => pages,
            Err(crate::collect::answer::Failure::Http {
                status: 403,
                message,
                ..
            }) => {
                return Fact::Unreadable(Box::new(Unreadable::new(
                    Some(403),
                    message,
                    Some("Maintainer role"),
                )));
            }
            Err(f) => return Fact::Unreadable(Box::new(f.unreadable())),
        };
        let mut listed: Vec<Listed> = Vec::new();
        for page in pages {
            match serde_json::from_value::<Vec<Listed>>(page) {
                Ok(items) => listed.extend(items),
                Err(e) => {
                    return Fact::unreadable_with(
                        None,
                        &format!("unexpected runners body ({e})"),
                        None,
                    );
                }
            }
        }
        let mut out = Vec::new();
        for runner in listed {
            let scope = match runner.runner_type.as_deref() {
                Some("group_type") => "group",
                Some("project_type") => "project",
                Some(_) => "instance",
                None if runner.is_shared => "instance",
                None => "project",
            };
            if scope == "instance" && self.gitlab_com {
                continue;
            }
            let detail = self.detail(client, runner.id).await;
            out.push(Runner {
                id: runner.id,
                name: runner
                    .description
                    .filter(|d| !d.is_empty())
                    .or(runner.name)
                    .unwrap_or_else(|| format!("runner {}", runner.id)),
                labels: detail.map(|d| d.tag_list).unwrap_or_default(),
                ephemeral: None,
                scope: scope.to_owned(),
                group: None,
            });
        }
        Fact::Known(out)
    }

    /// `GET /runners/:id`, once per runner; `None` when unreadable.
    async fn detail(&self, client: &GitlabClient, id: u64) -> Option<Detail> {
        let mut details = self.details.lock().await;
        if let Some(known) = details.get(&id) {
            return known.clone();
        }
        let read = client
            .get(&format!("/runners/{id}"))
            .await
            .ok()
            .and_then(|a| serde_json::from_value::<Detail>(a.body).ok());
        details.insert(id, read.clone());
        read
    }
}
