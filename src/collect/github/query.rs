//! The GraphQL queries a sync sends (validated against GitHub's schema in
//! `tests/graphql_schema.rs`) and the translation of their answers into model facts.

use serde_json::Value;

use crate::model::{
    BranchRule, BypassActor, ClassicProtection, Enforcement, Patterns, PullRequestReviews, Rule,
    Ruleset, RulesetSource, Unreadable,
};

/// Fields of a ruleset, shared by repo and org queries.
const RULESET_FRAGMENT: &str = r#"
fragment RulesetFacts on RepositoryRuleset {
  databaseId
  name
  enforcement
  target
  source { __typename ... on Repository { nameWithOwner } ... on Organization { login } }
  conditions {
    refName { include exclude }
    repositoryName { include exclude }
  }
  bypassActors(first: 50) {
    nodes {
      organizationAdmin
      deployKey
      repositoryRoleDatabaseId
      bypassMode
      actor { __typename ... on App { databaseId } ... on Team { databaseId } }
    }
  }
  rules(first: 50) {
    nodes {
      type
      parameters {
        __typename
        ... on PullRequestParameters {
          requiredApprovingReviewCount
          dismissStaleReviewsOnPush
          requireCodeOwnerReview
          requireLastPushApproval
        }
        ... on RequiredStatusChecksParameters { requiredStatusChecks { context } }
      }
    }
  }
}
"#;

/// Repository facts read in one batch by node ids (from the REST listing).
pub const REPOS_QUERY: &str = r#"
query PostureRepos($ids: [ID!]!, $releaseQuery: String) {
  nodes(ids: $ids) {
    ... on Repository { ...RepoFacts }
  }
}

fragment RepoFacts on Repository {
  id
  nameWithOwner
  defaultBranchRef {
    name
    branchProtectionRule {
      pattern
      requiresApprovingReviews
      requiredApprovingReviewCount
      dismissesStaleReviews
      requiresCodeOwnerReviews
      requireLastPushApproval
      requiresStatusChecks
      requiredStatusCheckContexts
      isAdminEnforced
      allowsForcePushes
      allowsDeletions
      requiresCommitSignatures
      restrictsPushes
    }
  }
  branchProtectionRules(first: 100) { nodes { pattern restrictsPushes } }
  rulesets(first: 50, includeParents: true) {
    pageInfo { hasNextPage endCursor }
    nodes { ...RulesetFacts }
  }
  workflows: object(expression: "HEAD:.github/workflows") {
    ... on Tree {
      entries { name path type object { ... on Blob { text isBinary } } }
    }
  }
  precommit: object(expression: "HEAD:.pre-commit-config.yaml") { ... on Blob { text isBinary } }
  codeownersGithub: object(expression: "HEAD:.github/CODEOWNERS") { ... on Blob { oid } }
  codeownersRoot: object(expression: "HEAD:CODEOWNERS") { ... on Blob { oid } }
  codeownersDocs: object(expression: "HEAD:docs/CODEOWNERS") { ... on Blob { oid } }
  latestRelease { tagName publishedAt }
  releaseRefs: refs(refPrefix: "refs/heads/", query: $releaseQuery, first: 100) {
    nodes { name }
  }
}
"#;

/// Org rulesets, a page at a time.
pub const ORG_RULESETS_QUERY: &str = r#"
query PostureOrgRulesets($login: String!, $after: String) {
  organization(login: $login) {
    rulesets(first: 50, after: $after, includeParents: true) {
      pageInfo { hasNextPage endCursor }
      nodes { ...RulesetFacts }
    }
  }
}
"#;

/// A repository's rulesets after the first page (which comes with the batch), a page at a
/// time.
pub const REPO_RULESETS_QUERY: &str = r#"
query PostureRepoRulesets($id: ID!, $after: String) {
  node(id: $id) {
    ... on Repository {
      rulesets(first: 50, after: $after, includeParents: true) {
        pageInfo { hasNextPage endCursor }
        nodes { ...RulesetFacts }
      }
    }
  }
}
"#;

/// The `refs(query:)` substring that finds the branches of the release patterns: `release`
/// when every pattern names it, else the one literal prefix they share, else every branch.
pub fn release_query(patterns: &[String]) -> String {
    let prefixes: Vec<&str> = patterns
        .iter()
        .map(|p| {
            let end = p.find(['*', '?', '[', '{']).unwrap_or(p.len());
            p[..end].trim_matches(['/', '-', '_', '.'])
        })
        .collect();
    if prefixes.is_empty() || prefixes.iter().all(|p| p.contains("release")) {
        return "release".to_owned();
    }
    match prefixes.first() {
        Some(first) if !first.is_empty() && prefixes.iter().all(|p| p.contains(first)) => {
            (*first).to_owned()
        }
        _ => String::new(),
    }
}

/// The full text of the repos query (with its fragments).
pub fn repos_query() -> String {
    format!("{REPOS_QUERY}{RULESET_FRAGMENT}")
}

/// The full text of the repository rulesets query (with its fragments).
pub fn repo_rulesets_query() -> String {
    format!("{REPO_RULESETS_QUERY}{RULESET_FRAGMENT}")
}

/// The full text of the org rulesets query (with its fragments).
pub fn org_rulesets_query() -> String {
    format!("{ORG_RULESETS_QUERY}{RULESET_FRAGMENT}")
}

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn b(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `nodes` of a connection (empty when absent).
pub fn nodes(v: Option<&Value>) -> &[Value] {
    v.and_then(|c| c.get("nodes"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The cursor of a connection's next page: `None` on the last page. A page that says there is
/// more but gives no cursor is an error: what follows it cannot be read.
pub fn next_cursor(conn: &Value) -> Result<Option<String>, Unreadable> {
    let more = conn
        .pointer("/pageInfo/hasNextPage")
        .and_then(Value::as_bool)
        == Some(true);
    if !more {
        return Ok(None);
    }
    match conn.pointer("/pageInfo/endCursor").and_then(Value::as_str) {
        Some(cursor) => Ok(Some(cursor.to_owned())),
        None => Err(Unreadable::new(
            None,
            "the answer says more pages follow but gives no cursor",
            None,
        )),
    }
}

/// A `BranchProtectionRule` as classic protection.
pub fn classic_protection(rule: &Value) -> ClassicProtection {
    let reviews = b(rule, "requiresApprovingReviews").then(|| PullRequestReviews {
        required_approving_review_count: rule
            .get("requiredApprovingReviewCount")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32,
        dismiss_stale_reviews: b(rule, "dismissesStaleReviews"),
        require_code_owner_reviews: b(rule, "requiresCodeOwnerReviews"),
        require_last_push_approval: b(rule, "requireLastPushApproval"),
    });
    ClassicProtection {
        pull_request_reviews: reviews,
        required_status_checks: if b(rule, "requiresStatusChecks") {
            strings(rule.get("requiredStatusCheckContexts"))
        } else {
            Vec::new()
        },
        enforce_admins: b(rule, "isAdminEnforced"),
        allow_force_pushes: b(rule, "allowsForcePushes"),
        allow_deletions: b(rule, "allowsDeletions"),
        required_signatures: rule
            .get("requiresCommitSignatures")
            .and_then(Value::as_bool),
        restricts_pushes: b(rule, "restrictsPushes"),
    }
}

/// Pattern rules (`branchProtectionRules`) as release-branch rules.
pub fn branch_rules(repo: &Value) -> Vec<BranchRule> {
    nodes(repo.get("branchProtectionRules"))
        .iter()
        .filter_map(|r| {
            Some(BranchRule {
                pattern: s(r, "pattern")?,
                restricts_pushes: b(r, "restrictsPushes"),
            })
        })
        .collect()
}

/// A `RepositoryRuleset` node as the model's ruleset (`None` without a database id).
pub fn ruleset(node: &Value) -> Option<Ruleset> {
    let id = node.get("databaseId").and_then(Value::as_u64)?;
    let source = match node.pointer("/source/__typename").and_then(Value::as_str) {
        Some("Repository") => RulesetSource::Repo,
        _ => RulesetSource::Org,
    };
    let enforcement = match node.get("enforcement").and_then(Value::as_str) {
        Some("ACTIVE") => Enforcement::Active,
        Some("EVALUATE") => Enforcement::Evaluate,
        _ => Enforcement::Disabled,
    };
    let patterns = |key: &str| -> Option<Patterns> {
        let target = node.get("conditions")?.get(key)?;
        if target.is_null() {
            return None;
        }
        Some(Patterns {
            include: strings(target.get("include")),
            exclude: strings(target.get("exclude")),
        })
    };
    let bypass_actors = nodes(node.get("bypassActors"))
        .iter()
        .filter_map(bypass_actor)
        .collect();
    let rules = nodes(node.get("rules")).iter().map(rule).collect();
    Some(Ruleset {
        id,
        name: s(node, "name").unwrap_or_default(),
        source,
        enforcement,
        target: s(node, "target")
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_else(|| "branch".to_owned()),
        ref_name: patterns("refName").unwrap_or_default(),
        repository_name: patterns("repositoryName"),
        bypass_actors,
        rules,
    })
}

fn bypass_actor(node: &Value) -> Option<BypassActor> {
    let mode = s(node, "bypassMode")
        .map(|m| m.to_ascii_lowercase())
        .unwrap_or_else(|| "always".to_owned());
    let (actor_type, actor_id) = if b(node, "organizationAdmin") {
        ("OrganizationAdmin", None)
    } else if b(node, "deployKey") {
        ("DeployKey", None)
    } else if let Some(role) = node.get("repositoryRoleDatabaseId").and_then(Value::as_u64) {
        ("RepositoryRole", Some(role))
    } else {
        let actor = node.get("actor")?;
        let id = actor.get("databaseId").and_then(Value::as_u64);
        match actor.get("__typename").and_then(Value::as_str) {
            Some("App") => ("Integration", id),
            Some("Team") => ("Team", id),
            _ => return None,
        }
    };
    Some(BypassActor {
        actor_type: actor_type.to_owned(),
        actor_id,
        bypass_mode: mode,
    })
}

fn rule(node: &Value) -> Rule {
    let params = node.get("parameters").unwrap_or(&Value::Null);
    match node.get("type").and_then(Value::as_str).unwrap_or("") {
        "CREATION" => Rule::Creation,
        "UPDATE" => Rule::Update,
        "DELETION" => Rule::Deletion,
        "NON_FAST_FORWARD" => Rule::NonFastForward,
        "REQUIRED_SIGNATURES" => Rule::RequiredSignatures,
        "REQUIRED_LINEAR_HISTORY" => Rule::RequiredLinearHistory,
        "PULL_REQUEST" => Rule::PullRequest {
            parameters: PullRequestReviews {
                required_approving_review_count: params
                    .get("requiredApprovingReviewCount")
                    .and_then(Value::as_u64)
                    .unwrap_or(0) as u32,
                dismiss_stale_reviews: b(params, "dismissStaleReviewsOnPush"),
                require_code_owner_reviews: b(params, "requireCodeOwnerReview"),
                require_last_push_approval: b(params, "requireLastPushApproval"),
            },
        },
        "REQUIRED_STATUS_CHECKS" => Rule::RequiredStatusChecks {
            contexts: params
                .get("requiredStatusChecks")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|c| s(c, "context")).collect())
                .unwrap_or_default(),
        },
        _ => Rule::Other,
    }
}

/// Workflow files from the `workflows` tree: `(path, text)` of each YAML blob with text.
pub fn workflow_files(repo: &Value) -> Vec<(String, String)> {
    let entries = repo
        .pointer("/workflows/entries")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    entries
        .iter()
        .filter(|e| e.get("type").and_then(Value::as_str) == Some("blob"))
        .filter_map(|e| {
            let name = s(e, "name")?;
            if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
                return None;
            }
            let path = s(e, "path").unwrap_or_else(|| format!(".github/workflows/{name}"));
            let text = e.pointer("/object/text").and_then(Value::as_str)?;
            Some((path, text.to_owned()))
        })
        .collect()
}

/// Workflow blobs GraphQL did not give text for (binary or too large), by path.
pub fn workflow_files_without_text(repo: &Value) -> Vec<String> {
    repo.pointer("/workflows/entries")
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e.get("type").and_then(Value::as_str) == Some("blob"))
                .filter(|e| e.pointer("/object/text").is_none_or(Value::is_null))
                .filter_map(|e| s(e, "path"))
                .filter(|p| p.ends_with(".yml") || p.ends_with(".yaml"))
                .collect()
        })
        .unwrap_or_default()
}

/// The CODEOWNERS path GitHub reads (`.github/`, then root, then `docs/`), if any.
pub fn codeowners(repo: &Value) -> Option<String> {
    [
        ("codeownersGithub", ".github/CODEOWNERS"),
        ("codeownersRoot", "CODEOWNERS"),
        ("codeownersDocs", "docs/CODEOWNERS"),
    ]
    .into_iter()
    .find(|(alias, _)| repo.get(alias).is_some_and(|v| !v.is_null()))
    .map(|(_, path)| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn release_query_from_patterns() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            release_query(&p(&["release/*", "releases/*", "release-*"])),
            "release"
        );
        assert_eq!(release_query(&p(&["hotfix/*"])), "hotfix");
        assert_eq!(release_query(&p(&["release/*", "hotfix/*"])), "");
        assert_eq!(release_query(&[]), "release");
    }

    #[test]
    fn ruleset_from_graphql() {
        let node = json!({
            "databaseId": 7, "name": "baseline", "enforcement": "EVALUATE", "target": "BRANCH",
            "source": {"__typename": "Organization", "login": "acme"},
            "conditions": {"refName": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
                           "repositoryName": {"include": ["*"], "exclude": ["sandbox-*"]}},
            "bypassActors": {"nodes": [
                {"organizationAdmin": true, "deployKey": false, "bypassMode": "ALWAYS", "actor": null},
                {"organizationAdmin": false, "deployKey": false, "bypassMode": "PULL_REQUEST",
                 "actor": {"__typename": "Team", "databaseId": 42}}]},
            "rules": {"nodes": [
                {"type": "PULL_REQUEST", "parameters": {"__typename": "PullRequestParameters",
                  "requiredApprovingReviewCount": 2, "dismissStaleReviewsOnPush": true,
                  "requireCodeOwnerReview": false, "requireLastPushApproval": true}},
                {"type": "NON_FAST_FORWARD", "parameters": null},
                {"type": "MERGE_QUEUE", "parameters": null}]}
        });
        let rs = ruleset(&node).unwrap();
        assert_eq!(rs.source, RulesetSource::Org);
        assert_eq!(rs.enforcement, Enforcement::Evaluate);
        assert_eq!(rs.repository_name.unwrap().exclude, vec!["sandbox-*"]);
        assert_eq!(rs.bypass_actors[0].actor_type, "OrganizationAdmin");
        assert_eq!(rs.bypass_actors[1].actor_id, Some(42));
        assert_eq!(rs.bypass_actors[1].bypass_mode, "pull_request");
        assert!(
            matches!(rs.rules[0], Rule::PullRequest { ref parameters } if parameters.required_approving_review_count == 2)
        );
        assert_eq!(rs.rules[1], Rule::NonFastForward);
        assert_eq!(rs.rules[2], Rule::Other);
    }

    #[test]
    fn a_next_page_without_a_cursor_is_an_error_not_the_last_page() {
        let last = json!({"pageInfo": {"hasNextPage": false, "endCursor": "c1"}});
        assert_eq!(next_cursor(&last).ok(), Some(None));
        let more = json!({"pageInfo": {"hasNextPage": true, "endCursor": "c1"}});
        assert_eq!(next_cursor(&more).ok(), Some(Some("c1".to_owned())));
        let broken = json!({"pageInfo": {"hasNextPage": true, "endCursor": null}});
        assert!(next_cursor(&broken).is_err());
    }
}
