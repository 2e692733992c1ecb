//! The fake GitLab refuses what gitlab.com refuses: tier-gated endpoints by the tier of the
//! top-level group, Maintainer-only endpoints for a Developer, a method GitLab does not route
//! (405 with `Allow`), invalid or conflicting writes (400, 409); valid writes change what
//! later reads see; a runner's `run_untagged` is served as set.

mod support;

use support::{fake_gitlab, http};

use fake_gitlab::FakeGitlab;
use fake_gitlab::access::{Role, Tier};
use fake_gitlab::fixtures::{TOKEN, acme};
use http::{Answer, request};

fn send(fake: &FakeGitlab, method: &str, path: &str, body: &str) -> Answer {
    request(
        method,
        &format!("{}/api/v4{path}", fake.url),
        &[("PRIVATE-TOKEN", TOKEN)],
        body,
    )
}

fn get(fake: &FakeGitlab, path: &str) -> Answer {
    send(fake, "GET", path, "")
}

/// `acme-gl/platform/api` (id 101) is configured with a push rule, protected environments,
/// approval rules and secret push protection; what answers depends on the group's tier.
#[test]
fn the_top_level_groups_tier_gates_every_project_below_it() {
    let fake = FakeGitlab::start(acme());
    for (tier, premium, ultimate) in [
        (Tier::Free, false, false),
        (Tier::Premium, true, false),
        (Tier::Ultimate, true, true),
    ] {
        fake.update(|w| {
            w.access.tiers.insert("acme-gl".into(), tier);
        });
        for route in ["push_rule", "protected_environments", "approval_rules"] {
            let answer = get(&fake, &format!("/projects/101/{route}"));
            let expected = if premium { 200 } else { 404 };
            assert_eq!(answer.status, expected, "{tier:?} {route}: {answer:?}");
        }
        let project = get(&fake, "/projects/101").json();
        assert_eq!(
            project.get("secret_push_protection_enabled").is_some(),
            ultimate,
            "{tier:?}"
        );
        // The same tier holds for a project two subgroups down.
        let deep = get(&fake, "/projects/102/push_rule");
        assert_eq!(deep.status == 404, !premium, "{tier:?} deep: {deep:?}");
    }
}

#[test]
fn a_developer_is_refused_maintainer_endpoints_and_writes() {
    let fake = FakeGitlab::start(acme());
    fake.update(|w| {
        w.access
            .roles
            .insert("acme-gl/platform".into(), Role::Developer);
    });
    for route in ["variables", "runners", "job_token_scope", "push_rule"] {
        let answer = get(&fake, &format!("/projects/101/{route}"));
        assert_eq!(answer.status, 403, "{route}");
        assert_eq!(answer.json()["message"], "403 Forbidden");
    }
    assert_eq!(get(&fake, "/projects/101/protected_branches").status, 200);
    assert_eq!(
        get(&fake, "/groups/acme-gl%2Fplatform%2Finfra/variables").status,
        403
    );
    assert_eq!(
        get(&fake, "/groups/acme-gl/variables").status,
        200,
        "Owner above"
    );
    let write = send(
        &fake,
        "PATCH",
        "/projects/101/job_token_scope",
        r#"{"enabled": true}"#,
    );
    assert_eq!(write.status, 403);
    // A Maintainer on the project itself overrides the group's Developer.
    fake.update(|w| {
        w.access
            .roles
            .insert("acme-gl/platform/api".into(), Role::Maintainer);
    });
    assert_eq!(get(&fake, "/projects/101/variables").status, 200);
}

#[test]
fn unrouted_methods_answer_405_and_writes_are_validated_then_applied() {
    let fake = FakeGitlab::start(acme());
    let put = send(&fake, "PUT", "/projects/101/variables", "{}");
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow"), Some("GET, HEAD"));
    assert_eq!(send(&fake, "PUT", "/no/such/route", "{}").status, 404);
    // Protected branches: 409 when already protected, 400 on a bad level, 201 and visible.
    let main = r#"{"name": "main", "push_access_level": 0, "merge_access_level": 30}"#;
    let conflict = send(&fake, "POST", "/projects/101/protected_branches", main);
    assert_eq!(conflict.status, 409);
    assert_eq!(
        conflict.json()["message"],
        "Protected branch 'main' already exists"
    );
    let bad = r#"{"name": "main", "push_access_level": 35}"#;
    let refused = send(&fake, "POST", "/projects/102/protected_branches", bad);
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.json()["error"],
        "push_access_level does not have a valid value"
    );
    assert_eq!(
        send(&fake, "POST", "/projects/102/protected_branches", "{}").status,
        400
    );
    let created = send(&fake, "POST", "/projects/102/protected_branches", main);
    assert_eq!(created.status, 201, "{created:?}");
    let listed = get(&fake, "/projects/102/protected_branches").json();
    assert_eq!(listed[0]["name"], "main");
    assert_eq!(listed[0]["push_access_levels"][0]["access_level"], 0);
    // Job token scope: 400 without `enabled`, 204 and visible with it.
    assert_eq!(
        send(&fake, "PATCH", "/projects/102/job_token_scope", "{}").status,
        400
    );
    let scoped = send(
        &fake,
        "PATCH",
        "/projects/102/job_token_scope",
        r#"{"enabled": true}"#,
    );
    assert_eq!(scoped.status, 204);
    assert_eq!(
        get(&fake, "/projects/102/job_token_scope").json()["inbound_enabled"],
        true
    );
    // Protected environments: Premium, 409 when already protected.
    fake.update(|w| {
        w.access.tiers.insert("acme-gl".into(), Tier::Premium);
    });
    let env = r#"{"name": "production", "deploy_access_levels": [{"access_level": 40}]}"#;
    assert_eq!(
        send(&fake, "POST", "/projects/101/protected_environments", env).status,
        409
    );
    let prod = r#"{"name": "prod", "deploy_access_levels": [{"access_level": 40}]}"#;
    assert_eq!(
        send(&fake, "POST", "/projects/102/protected_environments", prod).status,
        201
    );
    let envs = get(&fake, "/projects/102/protected_environments").json();
    assert_eq!(envs[0]["name"], "prod");
    // Security settings are Ultimate.
    let spp = r#"{"secret_push_protection_enabled": true}"#;
    assert_eq!(
        send(&fake, "PUT", "/projects/101/security_settings", spp).status,
        404
    );
}

#[test]
fn a_runners_run_untagged_is_served_as_set() {
    let fake = FakeGitlab::start(acme());
    assert_eq!(get(&fake, "/runners/7").json()["run_untagged"], false);
    fake.update(|w| {
        if let Some(r) = w.runners.get_mut(&7) {
            r.run_untagged = true;
        }
    });
    assert_eq!(get(&fake, "/runners/7").json()["run_untagged"], true);
}
