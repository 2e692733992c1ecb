//! The fake org's data: REST bodies shaped as GitHub's (see `shared/github/recordings`) and
//! GraphQL nodes walked by the executor.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use super::roles::{self, Role};

/// A REST answer of the fake.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with this body.
    Json(Value),
    /// An error status, the API's message and the `X-Accepted-GitHub-Permissions` value.
    Error(u16, String, Option<String>),
    /// A redirect: status and `Location` (`{origin}` is replaced by the fake's origin).
    Redirect(u16, String),
}

/// One repository.
#[derive(Debug, Clone)]
pub struct FakeRepo {
    /// The REST repository object (as in `GET /orgs/{org}/repos`).
    pub listing: Value,
    /// The GraphQL `Repository` node (plus `files` and `branches` the executor reads).
    pub node: Value,
    /// REST routes below `/repos/{full_name}/`, e.g. `traffic/views`.
    pub rest: BTreeMap<String, Reply>,
    /// The token's role here; `listing`, `node` and `rest` are what an admin sees, cut down
    /// for other roles when served (`roles`).
    pub role: Role,
}

impl FakeRepo {
    /// A public repository with hosted-runner workflows and nothing protected.
    pub fn new(org: &str, name: &str, index: usize) -> Self {
        let full = format!("{org}/{name}");
        let node_id = format!("R_kgDO{index:06}");
        let listing = json!({
            "id": 1000 + index, "node_id": node_id, "name": name, "full_name": full,
            "private": false, "visibility": "public", "owner": {"login": org, "type": "Organization"},
            "html_url": format!("https://github.com/{full}"), "description": format!("repo {name}"),
            "fork": false, "url": format!("https://api.github.com/repos/{full}"),
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2026-11-01T00:00:00Z",
            "pushed_at": "2026-11-20T00:00:00Z", "stargazers_count": index % 17, "watchers_count": 1,
            "forks_count": index % 5, "archived": false, "disabled": false, "topics": [],
            "default_branch": "main", "permissions": {"admin": true, "push": true, "pull": true},
            "security_and_analysis": {
                "secret_scanning": {"status": "disabled"},
                "secret_scanning_push_protection": {"status": "disabled"}
            }
        });
        let node = json!({
            "__typename": "Repository", "id": node_id, "nameWithOwner": full, "name": name,
            "defaultBranchRef": {"name": "main", "branchProtectionRule": null},
            "branchProtectionRules": [], "rulesets": [], "latestRelease": null,
            "branches": ["main"],
            "files": {".github/workflows/ci.yml": "name: ci\non: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8\n      - run: make test\n"}
        });
        let mut rest = BTreeMap::new();
        rest.insert(
            "traffic/views".into(),
            Reply::Json(json!({"count": 10 * index + 3, "uniques": index + 1, "views": []})),
        );
        rest.insert(
            "actions/secrets?per_page=100".into(),
            Reply::Json(json!({"total_count": 0, "secrets": []})),
        );
        rest.insert(
            "actions/permissions/workflow".into(),
            Reply::Json(json!({"default_workflow_permissions": "read", "can_approve_pull_request_reviews": false})),
        );
        Self {
            listing,
            node,
            rest,
            role: Role::Admin,
        }
    }

    /// The repository JSON as the token's role sees it.
    pub fn listing_view(&self) -> Value {
        roles::listing_view(&self.listing, self.role)
    }

    /// The GraphQL node as the token's role sees it.
    pub fn node_view(&self) -> Value {
        roles::node_view(&self.node, self.role)
    }

    /// Full name.
    pub fn full_name(&self) -> String {
        self.listing["full_name"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// The whole fake org.
#[derive(Debug, Clone)]
pub struct World {
    /// Org login.
    pub org: String,
    /// The token the fake accepts.
    pub token: String,
    /// Login of the token's owner.
    pub login: String,
    /// `X-OAuth-Scopes` of the token.
    pub scopes: String,
    /// `GET /orgs/{org}`.
    pub org_json: Value,
    /// Repositories in listing order.
    pub repos: Vec<FakeRepo>,
    /// Org rulesets as GraphQL `RepositoryRuleset` nodes.
    pub org_rulesets: Vec<Value>,
    /// Other REST routes (full route, query included when the client sends one).
    pub rest: BTreeMap<String, Reply>,
    by_id: HashMap<String, usize>,
}

impl World {
    /// An org with `n` default repositories named `repo-0000`…
    pub fn new(org: &str, token: &str, n: usize) -> Self {
        let repos = (0..n)
            .map(|i| FakeRepo::new(org, &format!("repo-{i:04}"), i))
            .collect();
        let mut rest = BTreeMap::new();
        rest.insert(
            format!("/orgs/{org}/actions/secrets?per_page=100"),
            Reply::Json(json!({"total_count": 0, "secrets": []})),
        );
        rest.insert(
            format!("/orgs/{org}/actions/permissions/workflow"),
            Reply::Json(json!({"default_workflow_permissions": "read", "can_approve_pull_request_reviews": false})),
        );
        rest.insert(
            format!("/orgs/{org}/actions/runner-groups?per_page=100"),
            Reply::Json(json!({"total_count": 1, "runner_groups": [{"id": 1, "name": "Default", "visibility": "all", "default": true, "allows_public_repositories": false}]})),
        );
        rest.insert(
            format!("/orgs/{org}/actions/runners?per_page=100"),
            Reply::Json(json!({"total_count": 0, "runners": []})),
        );
        rest.insert(
            format!("/orgs/{org}/actions/oidc/customization/sub"),
            Reply::Json(json!({"use_default": true})),
        );
        let mut world = Self {
            org: org.to_owned(),
            token: token.to_owned(),
            login: "octocat".to_owned(),
            scopes: "repo, read:org, workflow".to_owned(),
            org_json: json!({"login": org, "id": 1, "node_id": "O_1", "type": "Organization",
                             "public_repos": n, "two_factor_requirement_enabled": true,
                             "secret_scanning_enabled_for_new_repositories": false,
                             "secret_scanning_push_protection_enabled_for_new_repositories": false}),
            repos,
            org_rulesets: Vec::new(),
            rest,
            by_id: HashMap::new(),
        };
        world.reindex();
        world
    }

    /// Rebuild the node-id index after changing `repos`.
    pub fn reindex(&mut self) {
        self.by_id = self
            .repos
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.listing["node_id"].as_str()?.to_owned(), i)))
            .collect();
    }

    /// The repository with this short name.
    pub fn repo_mut(&mut self, name: &str) -> &mut FakeRepo {
        let full = format!("{}/{name}", self.org);
        self.repos
            .iter_mut()
            .find(|r| r.full_name() == full)
            .expect("repo in the fake world")
    }

    /// A GraphQL node by id.
    pub fn node(&self, id: &str) -> Option<Value> {
        self.by_id.get(id).map(|&i| self.repos[i].node_view())
    }

    /// A GraphQL repository node by full name.
    pub fn repo_node_by_name(&self, full: &str) -> Option<Value> {
        self.repos
            .iter()
            .find(|r| r.full_name() == full)
            .map(FakeRepo::node_view)
    }

    /// The GraphQL `Organization` object.
    pub fn org_graphql(&self) -> Value {
        json!({"__typename": "Organization", "login": self.org, "rulesets": self.org_rulesets})
    }

    /// A REST route (path and query, without a GHES prefix and without `page=`), as the
    /// token's role on the repository sees it.
    pub fn rest(&self, route: &str) -> Option<Reply> {
        if let Some(reply) = self.rest.get(route) {
            return Some(reply.clone());
        }
        let rest = route.strip_prefix("/repos/")?;
        for repo in &self.repos {
            let full = repo.full_name();
            if rest == full {
                return Some(Reply::Json(repo.listing_view()));
            }
            if let Some(sub) = rest.strip_prefix(&format!("{full}/")) {
                if let Some(refused) = roles::gate(sub, repo.role) {
                    return Some(refused);
                }
                if let Some(reply) = repo.rest.get(sub) {
                    return Some(reply.clone());
                }
                let branch = sub
                    .strip_prefix("branches/")
                    .and_then(|b| b.strip_suffix("/protection"));
                return branch.map(|b| super::writes::protection_view(repo, b));
            }
        }
        None
    }

    /// The repository `full` (owner/name), mutable.
    pub fn repo_by_full_name_mut(&mut self, full: &str) -> Option<&mut FakeRepo> {
        self.repos.iter_mut().find(|r| r.full_name() == full)
    }
}

/// A GraphQL ruleset node.
pub fn ruleset(
    id: u64,
    name: &str,
    enforcement: &str,
    source: Value,
    include: &[&str],
    rules: Value,
) -> Value {
    json!({
        "__typename": "RepositoryRuleset", "id": format!("RRS_{id}"), "databaseId": id, "name": name,
        "enforcement": enforcement, "target": "BRANCH", "source": source,
        "conditions": {"refName": {"include": include, "exclude": []},
                        "repositoryName": {"include": ["~ALL"], "exclude": [], "protected": false}},
        "bypassActors": [], "rules": rules,
    })
}
