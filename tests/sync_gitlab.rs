//! `posture sync gitlab` against the fake GitLab in `tests/support/fake_gitlab`: verdicts end
//! to end through the binary, facts as GitLab reported them, CI variable values never kept.

mod support;

use support::fake_gitlab;

use fake_gitlab::FakeGitlab;
use fake_gitlab::cli::{options, report, run, snapshots_in, status, sync_cli, walk};
use fake_gitlab::fixtures::{TOKEN, VALUE_MARK, acme};
use posture::collect::progress::Event;
use posture::model::Fact;
use serde_json::Value;

#[test]
fn sync_then_report_gives_the_fixtures_verdicts() {
    let fake = FakeGitlab::start(acme());
    let cache = tempfile::tempdir().unwrap();
    let out = sync_cli(&fake, cache.path(), &["--quiet"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "--quiet prints nothing");
    let report = report(cache.path());
    assert_eq!(report["snapshot"]["provider"], "gitlab");
    assert_eq!(report["snapshot"]["org"], "acme-gl");
    let api = "acme-gl/platform/api";
    let tf = "acme-gl/platform/infra/terraform";
    let web = "acme-gl/web";
    let expected = [
        // Everything protected and configured.
        (api, "branch-protected", "pass"),
        (api, "pr-required", "pass"),
        (api, "approving-review", "pass"),
        (api, "last-push-approval", "pass"),
        (api, "status-checks", "pass"),
        (api, "dismiss-stale-reviews", "pass"),
        (api, "no-force-push", "pass"),
        (api, "signed-commits", "pass"),
        (api, "no-admin-bypass", "not_applicable"),
        (api, "release-push-restricted", "pass"),
        (api, "oidc-federation", "pass"),
        (api, "no-static-cloud-keys", "pass"),
        (api, "secret-scanning", "pass"),
        (api, "pipeline-secret-scan", "pass"),
        (api, "push-protection", "pass"),
        (api, "precommit-secret-hook", "pass"),
        (api, "token-least-privilege", "pass"),
        (api, "deploy-gate", "pass"),
        (api, "codeowners", "pass"),
        (api, "ephemeral-runners", "not_applicable"),
        (api, "secret-rotation", "unknown"),
        // Free tier, unprotected, static key, group runner, unprotected prod.
        (tf, "branch-protected", "fail"),
        (tf, "pr-required", "fail"),
        (tf, "approving-review", "fail"),
        (tf, "last-push-approval", "fail"),
        (tf, "no-force-push", "fail"),
        (tf, "signed-commits", "unknown"),
        (tf, "release-push-restricted", "fail"),
        (tf, "no-static-cloud-keys", "fail"),
        (tf, "ephemeral-runners", "unknown"),
        (tf, "token-least-privilege", "fail"),
        (tf, "deploy-gate", "fail"),
        (tf, "codeowners", "fail"),
        (tf, "push-protection", "unknown"),
        // Wildcard protection that lets developers push and force-push; 403s by role.
        (web, "branch-protected", "pass"),
        (web, "pr-required", "fail"),
        (web, "no-force-push", "fail"),
        (web, "last-push-approval", "unknown"),
        (web, "dismiss-stale-reviews", "unknown"),
        (web, "signed-commits", "fail"),
        (web, "no-static-cloud-keys", "unknown"),
        (web, "codeowners", "pass"),
        (web, "release-push-restricted", "not_applicable"),
        (web, "push-protection", "fail"),
        (web, "secret-scanning", "unknown"),
        (tf, "secret-scanning", "fail"),
    ];
    for (repo, control, want) in expected {
        let (got, c) = status(&report, repo, control);
        assert_eq!(got, want, "{repo} {control}: {c}");
    }
    let (_, c) = status(&report, tf, "signed-commits");
    assert_eq!(c["reason"], "404: needs GitLab Premium");
    let (_, c) = status(&report, web, "no-static-cloud-keys");
    assert_eq!(c["reason"], "403: needs Maintainer role");
    let (_, c) = status(&report, tf, "no-static-cloud-keys");
    assert!(
        c["evidence"]
            .as_str()
            .unwrap()
            .contains("AWS_SECRET_ACCESS_KEY"),
        "{c}"
    );
    let (_, c) = status(&report, api, "release-push-restricted");
    assert!(
        c["evidence"].as_str().unwrap().contains("release/1.0"),
        "{c}"
    );
    let (_, c) = status(&report, api, "secret-scanning");
    assert!(
        c["evidence"]
            .as_str()
            .unwrap()
            .starts_with("ci/security.yml"),
        "a local include is read: {c}"
    );
    // The archived project: not applicable everywhere, unranked.
    let old = report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "acme-gl/old")
        .unwrap();
    assert_eq!(old["rank"], Value::Null);
    assert!(
        old["controls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "not_applicable")
    );
    // Ranking: 30-day fetches, then the statistics-less project by stars + forks.
    let ranked: Vec<(&str, &str)> = report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["rank"].is_null())
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["traffic"]["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranked,
        vec![(api, "statistics"), (web, "statistics"), (tf, "fallback")]
    );
    // Group-level settings GitLab does not expose are unknown with the reason.
    for c in report["org_controls"].as_array().unwrap() {
        assert_eq!(c["status"], "unknown", "{c}");
        assert!(
            c["reason"]
                .as_str()
                .unwrap()
                .contains("not exposed by the GitLab API"),
            "{c}"
        );
    }
}

#[test]
fn snapshot_facts_as_gitlab_reported_them() {
    let fake = FakeGitlab::start(acme());
    let dir = tempfile::tempdir().unwrap();
    let (snap, events) = run(options(&fake, dir.path(), "acme-gl"));
    let snap = snap.unwrap();
    assert_eq!(snap.synced_by.as_deref(), Some("sync-bot"));
    assert_eq!(snap.api_host, format!("{}/api/v4", fake.url));
    assert_eq!(snap.repos.len(), 4, "the group and every subgroup");
    let api = snap.repo("acme-gl/platform/api").unwrap();
    let g = api.gitlab.as_ref().unwrap();
    assert_eq!(g.id, 101);
    let pb = g
        .default_branch_protection
        .known()
        .unwrap()
        .as_ref()
        .unwrap();
    assert_eq!(
        (
            pb.push_access_levels.as_slice(),
            pb.merge_access_levels.as_slice()
        ),
        (&[0u8][..], &[40u8][..])
    );
    assert!(pb.code_owner_approval_required && !pb.allow_force_push);
    assert_eq!(g.approval_rules.known().unwrap()[0].approvals_required, 2);
    assert!(g.job_token_scope.known().unwrap().inbound_enabled);
    assert_eq!(g.secret_push_protection, Fact::Known(true));
    assert!(g.pipelines_must_succeed);
    assert_eq!(api.traffic.known().unwrap().fetches_30d, Some(900));
    assert_eq!((api.stars, api.forks), (40, 4));
    assert_eq!(api.topics, vec!["service".to_owned()]);
    assert!(api.pushed_at.is_some());
    let rb = api.release_branches.known().unwrap();
    assert_eq!(rb.branches, vec!["release/1.0".to_owned()]);
    assert!(
        rb.rules
            .iter()
            .any(|r| r.pattern == "release/*" && r.restricts_pushes)
    );
    let paths: Vec<&str> = api
        .pipelines
        .known()
        .unwrap()
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(paths, vec![".gitlab-ci.yml", "ci/security.yml"]);
    for f in api.pipelines.known().unwrap() {
        assert!(snap.files.contains_key(&f.hash), "{} stored", f.path);
    }
    assert_eq!(
        api.codeowners,
        Fact::Known(Some(".gitlab/CODEOWNERS".to_owned()))
    );
    assert!(api.precommit.known().unwrap().is_some());
    let envs = api.environments.known().unwrap();
    assert!(envs.iter().any(|e| e.name == "production" && e.protected));
    assert!(envs.iter().any(|e| e.name == "review/x" && !e.protected));
    assert_eq!(
        api.latest_release.known().unwrap().as_ref().unwrap().tag,
        "v1.2.0"
    );
    let names: Vec<&str> = api
        .secrets
        .known()
        .unwrap()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, vec!["ROLE_ARN"]);

    let tf = snap.repo("acme-gl/platform/infra/terraform").unwrap();
    let g = tf.gitlab.as_ref().unwrap();
    assert_eq!(
        g.default_branch_protection,
        Fact::Known(None),
        "404 = not protected"
    );
    let push = g.push_rules.unreadable().unwrap();
    assert_eq!(
        (push.status, push.needs.as_deref()),
        (Some(404), Some("GitLab Premium"))
    );
    let traffic = tf.traffic.unreadable().unwrap();
    assert_eq!(
        (traffic.status, traffic.reason.as_str()),
        (Some(403), "403 Forbidden")
    );
    assert!(
        g.secret_push_protection.unreadable().is_some(),
        "not returned below Ultimate"
    );
    let runners = tf.runners.known().unwrap();
    assert_eq!(runners.len(), 1);
    assert_eq!(
        (runners[0].scope.as_str(), runners[0].ephemeral),
        ("group", None)
    );
    assert_eq!(runners[0].labels, vec!["terraform".to_owned()]);

    let web = snap.repo("acme-gl/web").unwrap();
    let pb = web
        .gitlab
        .as_ref()
        .unwrap()
        .default_branch_protection
        .known()
        .unwrap();
    assert_eq!(
        pb.as_ref().map(|p| p.name.as_str()),
        Some("ma*"),
        "a wildcard protects main"
    );
    assert_eq!(web.codeowners, Fact::Known(Some("CODEOWNERS".to_owned())));
    assert_eq!(web.pipelines, Fact::Known(Vec::new()));
    assert_eq!(web.secrets.unreadable().unwrap().status, Some(403));
    assert_eq!(web.gitlab.as_ref().unwrap().push_rules, Fact::Known(None));

    // Group variables: the group's reach every project, a subgroup's only its projects.
    let secrets = snap.org_facts.secrets.known().unwrap();
    let sonar = secrets.iter().find(|s| s.name == "SONAR_TOKEN").unwrap();
    assert_eq!(sonar.visibility, posture::model::Reach::All);
    let gcp = secrets.iter().find(|s| s.name == "GCP_SA_KEY").unwrap();
    assert_eq!(gcp.visibility, posture::model::Reach::Selected);
    assert_eq!(
        gcp.selected_repos,
        vec!["acme-gl/platform/infra/terraform".to_owned()]
    );
    assert!(
        snap.token
            .cannot_see
            .iter()
            .any(|l| l.starts_with("push rules of 1 projects: 404: needs GitLab Premium")),
        "{:?}",
        snap.token.cannot_see
    );
    assert!(events.iter().any(|e| matches!(e, Event::Total(4))));
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::RepoDone { .. }))
            .count(),
        4
    );
    // Encoded ids were used for the group; numeric ids for projects.
    assert!(
        fake.log()
            .iter()
            .any(|l| l.contains("/groups/acme-gl/variables")
                || l.contains("/groups/acme-gl%2Fplatform%2Finfra/variables"))
    );
}

#[test]
fn no_variable_value_reaches_the_snapshot_the_cache_or_the_output() {
    let fake = FakeGitlab::start(acme());
    let cache = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for _ in 0..2 {
        let out = sync_cli(&fake, cache.path(), &["--verbose"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(out);
    }
    // The values were served: the fake answered the variables endpoints.
    let log = fake.log();
    assert!(log.iter().any(|l| l.contains("/projects/102/variables")));
    assert!(
        log.iter()
            .any(|l| l.contains("/groups/acme-gl%2Fplatform%2Finfra/variables"))
    );
    for out in &outputs {
        for text in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(text);
            assert!(!text.contains(VALUE_MARK), "a value in the output");
            assert!(!text.contains(TOKEN), "the token in the output");
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("GET /api/v4/projects/102/variables?per_page=100 200"),
            "--verbose logs requests"
        );
    }
    let files = walk(cache.path());
    assert!(
        files.iter().any(|f| f.to_string_lossy().contains("etags")),
        "an ETag cache was written"
    );
    assert!(!snapshots_in(cache.path()).is_empty());
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(!text.contains(VALUE_MARK), "a value in {}", file.display());
        assert!(!text.contains(TOKEN), "the token in {}", file.display());
        if file.to_string_lossy().contains("etags") {
            assert!(
                !text.contains("/variables"),
                "variable answers are never cached"
            );
        }
    }
    // Names are kept.
    let report = report(cache.path());
    let (_, c) = status(
        &report,
        "acme-gl/platform/infra/terraform",
        "no-static-cloud-keys",
    );
    assert!(
        c["evidence"]
            .as_str()
            .unwrap()
            .contains("AWS_SECRET_ACCESS_KEY")
    );
}

/// Syncing a subgroup: only its projects, the ancestors' variables reach them all, a deeper
/// subgroup's only its own; CODEOWNERS under `docs/` is found through the tree.
#[test]
fn a_subgroup_sync_sees_its_projects_and_inherited_variables() {
    let fake = FakeGitlab::start(acme());
    fake.update(|w| {
        let tf = w.projects.iter_mut().find(|p| p.id == 102).unwrap();
        tf.files
            .insert("docs/CODEOWNERS".into(), "* @infra\n".into());
    });
    let dir = tempfile::tempdir().unwrap();
    let (snap, _) = run(options(&fake, dir.path(), "acme-gl/platform"));
    let snap = snap.unwrap();
    assert_eq!(snap.org, "acme-gl/platform");
    let mut names: Vec<&str> = snap.repos.iter().map(|r| r.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        vec!["acme-gl/platform/api", "acme-gl/platform/infra/terraform"]
    );
    let secrets = snap.org_facts.secrets.known().unwrap();
    let sonar = secrets.iter().find(|s| s.name == "SONAR_TOKEN").unwrap();
    assert_eq!(
        sonar.visibility,
        posture::model::Reach::All,
        "inherited from acme-gl"
    );
    let gcp = secrets.iter().find(|s| s.name == "GCP_SA_KEY").unwrap();
    assert_eq!(
        gcp.selected_repos,
        vec!["acme-gl/platform/infra/terraform".to_owned()]
    );
    let tf = snap.repo("acme-gl/platform/infra/terraform").unwrap();
    assert_eq!(
        tf.codeowners,
        Fact::Known(Some("docs/CODEOWNERS".to_owned()))
    );
    assert!(
        fake.log().iter().any(|l| l
            .starts_with("GET /api/v4/groups/acme-gl%2Fplatform/projects?include_subgroups=true")),
        "the group is addressed by its URL-encoded path"
    );
}

/// GitLab answers `null` for push rule settings left unset; that is "off", judged, not an
/// unreadable push rule (it was `unknown`: "invalid type: null, expected a boolean").
#[test]
fn a_push_rule_with_unset_settings_is_judged_not_unreadable() {
    let fake = FakeGitlab::start(acme());
    fake.update(|w| {
        let api = w.projects.iter_mut().find(|p| p.id == 101).unwrap();
        api.push_rule = fake_gitlab::world::PushRule::SetNothing;
    });
    let cache = tempfile::tempdir().unwrap();
    let out = sync_cli(&fake, cache.path(), &["--quiet"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = report(cache.path());
    let (got, c) = status(&report, "acme-gl/platform/api", "signed-commits");
    assert_eq!(got, "fail", "{c}");
    assert_eq!(
        c["evidence"], "push rule reject_unsigned_commits off",
        "{c}"
    );
}
