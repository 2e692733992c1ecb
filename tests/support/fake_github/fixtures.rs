//! The fake org `acme` whose verdicts the end-to-end test checks: one repository per
//! situation a control distinguishes.

use serde_json::json;

use super::world::{Reply, World, ruleset};

/// The token the fake accepts in these tests (recognisable, to grep for leaks).
pub const TOKEN: &str = "ghp_FAKETOKEN0123456789abcdefSECRET";

/// `acme` with six repositories:
/// * `repo-0000` classic protection (2 approvals, no force push), CODEOWNERS, a release branch;
/// * `repo-0001` an active repo ruleset, secret scanning on, a pre-commit config;
/// * `repo-0002` only an evaluate-mode ruleset;
/// * `repo-0003` traffic and secrets forbidden (403 with the permission named);
/// * `repo-0004` a self-hosted, non-ephemeral runner on a public repository;
/// * `repo-0005` deploys to `production`, which has no reviewers.
pub fn acme() -> World {
    let mut world = World::new("acme", TOKEN, 6);
    {
        let r = world.repo_mut("repo-0000");
        r.node["defaultBranchRef"]["branchProtectionRule"] = json!({
            "pattern": "main", "requiresApprovingReviews": true, "requiredApprovingReviewCount": 2,
            "dismissesStaleReviews": true, "requiresCodeOwnerReviews": true, "requireLastPushApproval": true,
            "requiresStatusChecks": true, "requiredStatusCheckContexts": ["ci"], "isAdminEnforced": true,
            "allowsForcePushes": false, "allowsDeletions": false, "requiresCommitSignatures": false,
            "restrictsPushes": false});
        r.node["branchProtectionRules"] = json!([{"pattern": "main", "restrictsPushes": false},
                                                  {"pattern": "release/*", "restrictsPushes": true}]);
        r.node["branches"] = json!(["main", "release/1.0"]);
        r.node["files"][".github/CODEOWNERS"] = json!("* @acme/owners\n");
    }
    {
        let r = world.repo_mut("repo-0001");
        r.node["rulesets"] = json!([ruleset(
            11,
            "main-protection",
            "ACTIVE",
            json!({"__typename": "Repository", "nameWithOwner": "acme/repo-0001"}),
            &["~DEFAULT_BRANCH"],
            json!([{"type": "PULL_REQUEST", "parameters": {"__typename": "PullRequestParameters",
                     "requiredApprovingReviewCount": 1, "dismissStaleReviewsOnPush": false,
                     "requireCodeOwnerReview": false, "requireLastPushApproval": false,
                     "requiredReviewThreadResolution": false}},
                   {"type": "NON_FAST_FORWARD", "parameters": null},
                   {"type": "DELETION", "parameters": null}])
        )]);
        r.node["rulesets"][0]["conditions"]["repositoryName"] = json!(null);
        r.listing["security_and_analysis"] = json!({
            "secret_scanning": {"status": "enabled"},
            "secret_scanning_push_protection": {"status": "enabled"}});
        r.node["files"][".pre-commit-config.yaml"] = json!(
            "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.18.0\n    hooks:\n      - id: gitleaks\n"
        );
    }
    {
        let r = world.repo_mut("repo-0002");
        r.node["rulesets"] = json!([ruleset(
            12,
            "dry-run",
            "EVALUATE",
            json!({"__typename": "Repository", "nameWithOwner": "acme/repo-0002"}),
            &["~DEFAULT_BRANCH"],
            json!([{"type": "PULL_REQUEST", "parameters": {"__typename": "PullRequestParameters",
                     "requiredApprovingReviewCount": 1, "dismissStaleReviewsOnPush": false,
                     "requireCodeOwnerReview": false, "requireLastPushApproval": false,
                     "requiredReviewThreadResolution": false}}])
        )]);
        r.node["rulesets"][0]["conditions"]["repositoryName"] = json!(null);
    }
    {
        let r = world.repo_mut("repo-0003");
        r.rest.insert(
            "traffic/views".into(),
            Reply::Error(
                403,
                "Must have push access to repository".into(),
                Some("administration=read".into()),
            ),
        );
        r.rest.insert(
            "actions/secrets?per_page=100".into(),
            Reply::Error(
                403,
                "Resource not accessible by integration".into(),
                Some("secrets=read".into()),
            ),
        );
    }
    {
        let r = world.repo_mut("repo-0004");
        r.node["files"][".github/workflows/ci.yml"] = json!(
            "name: ci\non: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: make\n"
        );
        r.rest.insert("actions/runners?per_page=100".into(), Reply::Json(json!({"total_count": 1,
            "runners": [{"id": 23, "name": "linux_runner", "os": "linux", "status": "online", "busy": false,
                         "ephemeral": false,
                         "labels": [{"id": 5, "name": "self-hosted", "type": "read-only"},
                                    {"id": 11, "name": "linux", "type": "read-only"}]}]})));
    }
    {
        let r = world.repo_mut("repo-0005");
        r.node["files"][".github/workflows/deploy.yml"] = json!(
            "name: deploy\non: push\npermissions:\n  contents: read\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./deploy.sh\n"
        );
        r.rest.insert(
            "environments?per_page=100".into(),
            Reply::Json(json!({"total_count": 1,
            "environments": [{"id": 1, "name": "production", "protection_rules": [],
                              "deployment_branch_policy": null}]})),
        );
    }
    world
}
