//! The fake GitHub refuses what github.com refuses: by role (admin, maintain, write, triage,
//! read), by method, by body; it paginates every list, charges GraphQL by the documented
//! cost and keeps a secondary limit up for a while. Valid writes change what later reads see.

mod support;

use support::{fake_github, github_schema, http};

use fake_github::fixtures::{TOKEN, acme};
use fake_github::roles::Role;
use fake_github::world::Reply;
use fake_github::{FakeGithub, World};
use http::{Answer, request};
use serde_json::{Value, json};

fn get(fake: &FakeGithub, path: &str) -> Answer {
    send(fake, "GET", path, "")
}

fn send(fake: &FakeGithub, method: &str, path: &str, body: &str) -> Answer {
    let auth = format!("Bearer {TOKEN}");
    request(
        method,
        &format!("{}{path}", fake.url),
        &[("Authorization", &auth)],
        body,
    )
}

fn graphql(fake: &FakeGithub, query: &str, variables: Value) -> Answer {
    let body = json!({"query": query, "variables": variables}).to_string();
    send(fake, "POST", "/graphql", &body)
}

const PROTECTION: &str = "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { defaultBranchRef { branchProtectionRule { requiredApprovingReviewCount } } branchProtectionRules(first: 10) { totalCount } } }";

#[test]
fn each_role_sees_what_github_shows_it() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let admin = get(&fake, "/repos/acme/repo-0000");
    assert_eq!(admin.json()["permissions"]["admin"], true);
    assert!(admin.json()["security_and_analysis"].is_object());
    for (role, push, maintain) in [
        (Role::Maintain, true, true),
        (Role::Write, true, false),
        (Role::Triage, false, false),
        (Role::Read, false, false),
    ] {
        fake.update(|w| w.repo_mut("repo-0000").role = role);
        let repo = get(&fake, "/repos/acme/repo-0000").json();
        let p = &repo["permissions"];
        assert_eq!(
            (
                p["admin"].as_bool(),
                p["push"].as_bool(),
                p["maintain"].as_bool()
            ),
            (Some(false), Some(push), Some(maintain)),
            "{role:?}"
        );
        assert!(repo.get("security_and_analysis").is_none(), "{role:?}");
        let listed = get(&fake, "/orgs/acme/repos?per_page=100").json();
        assert_eq!(listed[0]["permissions"]["admin"], false);
        // Protection is an admin's view: null rule, no pattern rules.
        let gql = graphql(
            &fake,
            PROTECTION,
            json!({"owner": "acme", "name": "repo-0000"}),
        );
        let r = &gql.json()["data"]["repository"];
        assert!(
            r["defaultBranchRef"]["branchProtectionRule"].is_null(),
            "{role:?}"
        );
        assert_eq!(r["branchProtectionRules"]["totalCount"], 0);
        let secrets = get(&fake, "/repos/acme/repo-0000/actions/secrets?per_page=100");
        assert_eq!(secrets.status, 403, "{role:?}");
        assert_eq!(
            secrets.json()["message"],
            "Must have admin rights to Repository."
        );
        let protection = get(&fake, "/repos/acme/repo-0000/branches/main/protection");
        assert_eq!(protection.status, 404, "{role:?}");
        let traffic = get(&fake, "/repos/acme/repo-0000/traffic/views");
        assert_eq!(traffic.status == 200, push, "{role:?} traffic");
    }
    fake.update(|w| w.repo_mut("repo-0000").role = Role::Admin);
    let gql = graphql(
        &fake,
        PROTECTION,
        json!({"owner": "acme", "name": "repo-0000"}),
    );
    let r = &gql.json()["data"]["repository"];
    assert_eq!(
        r["defaultBranchRef"]["branchProtectionRule"]["requiredApprovingReviewCount"],
        2
    );
}

#[test]
fn a_method_github_does_not_route_is_not_answered_with_the_read_body() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(acme());
    for (method, path) in [
        ("PUT", "/repos/acme/repo-0000/traffic/views"),
        (
            "DELETE",
            "/repos/acme/repo-0000/actions/secrets?per_page=100",
        ),
        ("POST", "/orgs/acme"),
        ("PATCH", "/repos/acme/repo-0000/environments"),
    ] {
        let answer = send(&fake, method, path, "{}");
        assert_eq!(answer.status, 404, "{method} {path}: {answer:?}");
        assert_eq!(answer.json()["message"], "Not Found");
    }
}

#[test]
fn writes_are_validated_and_applied() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(acme());
    let path = "/repos/acme/repo-0003/branches/main/protection";
    // Not JSON: 400; a required key missing: 422 with GitHub's message shape.
    assert_eq!(send(&fake, "PUT", path, "{not json").status, 400);
    let missing = send(&fake, "PUT", path, r#"{"required_status_checks": null}"#);
    assert_eq!(missing.status, 422);
    assert!(
        missing.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Invalid request.")),
        "{missing:?}"
    );
    let too_many = json!({"required_status_checks": null, "enforce_admins": true,
        "required_pull_request_reviews": {"required_approving_review_count": 9}, "restrictions": null});
    let refused = send(&fake, "PUT", path, &too_many.to_string());
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json()["message"], "Validation Failed");
    assert_eq!(
        refused.json()["errors"][0]["field"],
        "required_approving_review_count"
    );
    // A valid body is applied: GraphQL now shows the rule.
    let valid = json!({"required_status_checks": {"strict": true, "contexts": ["ci"]}, "enforce_admins": true,
        "required_pull_request_reviews": {"required_approving_review_count": 2}, "restrictions": null});
    let applied = send(&fake, "PUT", path, &valid.to_string());
    assert_eq!(applied.status, 200, "{applied:?}");
    assert_eq!(applied.json()["enforce_admins"]["enabled"], true);
    let gql = graphql(
        &fake,
        PROTECTION,
        json!({"owner": "acme", "name": "repo-0003"}),
    );
    let rule = &gql.json()["data"]["repository"]["defaultBranchRef"]["branchProtectionRule"];
    assert_eq!(rule["requiredApprovingReviewCount"], 2);
    // Non-admins cannot write.
    fake.update(|w| w.repo_mut("repo-0003").role = Role::Write);
    assert_eq!(send(&fake, "PUT", path, &valid.to_string()).status, 404);
    let patch = json!({"security_and_analysis": {"secret_scanning": {"status": "enabled"}}});
    let forbidden = send(&fake, "PATCH", "/repos/acme/repo-0003", &patch.to_string());
    assert_eq!(forbidden.status, 403);
    fake.update(|w| w.repo_mut("repo-0003").role = Role::Admin);
    // Repository settings, workflow token, rulesets and environments.
    let bad = json!({"security_and_analysis": {"secret_scanning": {"status": "on"}}});
    assert_eq!(
        send(&fake, "PATCH", "/repos/acme/repo-0003", &bad.to_string()).status,
        422
    );
    assert_eq!(
        send(&fake, "PATCH", "/repos/acme/repo-0003", &patch.to_string()).status,
        200
    );
    let repo = get(&fake, "/repos/acme/repo-0003").json();
    assert_eq!(
        repo["security_and_analysis"]["secret_scanning"]["status"],
        "enabled"
    );
    let workflow = "/repos/acme/repo-0003/actions/permissions/workflow";
    assert_eq!(
        send(
            &fake,
            "PUT",
            workflow,
            r#"{"default_workflow_permissions": "admin"}"#
        )
        .status,
        422
    );
    let ok = send(
        &fake,
        "PUT",
        workflow,
        r#"{"default_workflow_permissions": "write"}"#,
    );
    assert_eq!((ok.status, ok.body.as_str()), (204, ""));
    assert_eq!(
        get(&fake, workflow).json()["default_workflow_permissions"],
        "write"
    );
    let ruleset = json!({"name": "posture-baseline", "enforcement": "active", "target": "branch",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1}}]});
    let created = send(
        &fake,
        "POST",
        "/repos/acme/repo-0003/rulesets",
        &ruleset.to_string(),
    );
    assert_eq!(created.status, 201, "{created:?}");
    let again = send(
        &fake,
        "POST",
        "/repos/acme/repo-0003/rulesets",
        &ruleset.to_string(),
    );
    assert_eq!(again.status, 422, "a second ruleset of the same name");
    let unknown =
        json!({"name": "x", "enforcement": "active", "rules": [{"type": "no_such_rule"}]});
    assert_eq!(
        send(
            &fake,
            "POST",
            "/repos/acme/repo-0003/rulesets",
            &unknown.to_string()
        )
        .status,
        422
    );
    let q = "query { repository(owner: \"acme\", name: \"repo-0003\") { rulesets(first: 10) { nodes { name enforcement } } } }";
    let nodes =
        graphql(&fake, q, json!({})).json()["data"]["repository"]["rulesets"]["nodes"].clone();
    assert_eq!(
        nodes,
        json!([{"name": "posture-baseline", "enforcement": "ACTIVE"}])
    );
    let env = "/repos/acme/repo-0003/environments/production";
    let both = json!({"deployment_branch_policy": {"protected_branches": true, "custom_branch_policies": true}});
    assert_eq!(send(&fake, "PUT", env, &both.to_string()).status, 422);
    let reviewers = json!({"reviewers": [{"type": "Team", "id": 7}]});
    assert_eq!(send(&fake, "PUT", env, &reviewers.to_string()).status, 200);
    let envs = get(&fake, "/repos/acme/repo-0003/environments?per_page=100").json();
    assert_eq!(
        envs["environments"][0]["protection_rules"][0]["type"],
        "required_reviewers"
    );
}

#[test]
fn every_list_paginates_with_link_headers() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let mut world = World::new("acme", TOKEN, 1);
    let secrets: Vec<Value> = (0..230)
        .map(|i| json!({"name": format!("S{i:03}"), "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}))
        .collect();
    world.repo_mut("repo-0000").rest.insert(
        "actions/secrets?per_page=100".into(),
        Reply::Json(json!({"total_count": 230, "secrets": secrets})),
    );
    let fake = FakeGithub::start(world);
    let mut names = Vec::new();
    let mut path = "/repos/acme/repo-0000/actions/secrets?per_page=100".to_owned();
    let mut pages = 0;
    loop {
        let answer = get(&fake, &path);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(
            answer.json()["total_count"],
            230,
            "the whole count on every page"
        );
        names.extend(
            answer.json()["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        let next = answer.header("link").and_then(|l| {
            l.split(", ")
                .find(|p| p.ends_with("rel=\"next\""))
                .map(|p| {
                    p.trim_start_matches('<')
                        .split('>')
                        .next()
                        .unwrap()
                        .to_owned()
                })
        });
        match next {
            Some(url) => path = url.strip_prefix(&fake.url).unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names.len(), 230);
    assert_eq!(names.last().map(String::as_str), Some("S229"));
}

#[test]
fn graphql_is_charged_by_its_documented_cost() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 3));
    // 100 rulesets × 100 rules below them: 1 + 100 requests → 1 point; 100 + 10,000 nodes.
    let q = "query { organization(login: \"acme\") { rulesets(first: 100) { nodes { rules(first: 100) { totalCount } } } } rateLimit { cost nodeCount remaining } }";
    let answer = graphql(&fake, q, json!({}));
    let rate = &answer.json()["data"]["rateLimit"];
    assert_eq!(rate["cost"], 1);
    assert_eq!(rate["nodeCount"], 10_100);
    // 100 repositories, each with 3 connections of 100: 1 + 300 requests → 3 points.
    let ids: Vec<String> = (0..3).map(|i| format!("R_kgDO{i:06}")).collect();
    let heavy = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Repository { a: rulesets(first: 100) { totalCount } b: branchProtectionRules(first: 100) { totalCount } refs(refPrefix: \"refs/heads/\", first: 100) { totalCount } } } rateLimit { cost nodeCount remaining } }";
    let answer = graphql(&fake, heavy, json!({"ids": ids}));
    let rate = &answer.json()["data"]["rateLimit"];
    assert_eq!(rate["nodeCount"], 3 + 900);
    assert_eq!(rate["cost"], 1, "9 requests round to 0, charged at least 1");
    let remaining: u64 = answer
        .header("x-ratelimit-remaining")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(remaining, 5000 - 2, "two queries of one point each");
    assert_eq!(answer.header("x-ratelimit-resource"), Some("graphql"));
    // A connection without `first`/`last`, or over 100, is refused as GitHub does.
    let unbounded = "query { organization(login: \"acme\") { rulesets { totalCount } } }";
    let refused = graphql(&fake, unbounded, json!({})).json();
    assert_eq!(
        refused["errors"][0]["type"],
        "MISSING_PAGINATION_BOUNDARIES"
    );
    let too_big = "query { organization(login: \"acme\") { rulesets(first: 101) { totalCount } } }";
    assert!(graphql(&fake, too_big, json!({})).json()["data"].is_null());
}

#[test]
fn a_sustained_secondary_limit_answers_403_and_429_with_retry_after() {
    if github_schema::github_schema().is_none() {
        return;
    }
    let fake = FakeGithub::start(World::new("acme", TOKEN, 1));
    fake.faults(|f| f.secondary_window = Some((1, 3, 429)));
    assert_eq!(get(&fake, "/orgs/acme").status, 200);
    for _ in 0..3 {
        let limited = get(&fake, "/orgs/acme");
        assert_eq!(limited.status, 429);
        assert_eq!(limited.header("retry-after"), Some("1"));
        assert!(limited.body.contains("secondary rate limit"));
    }
    assert_eq!(get(&fake, "/orgs/acme").status, 200, "the window closes");
}
