//! Alignment with the catalog, archived repositories, static key names, org secret visibility.

use super::*;
use crate::controls::{
    Judge, is_slsa_release_tag, is_static_key_name, judge_org, org_secret_visible,
};
use crate::model::{OrgSecret, Reach};

/// `(band, id, severity)` of every control row of `spec/controls.md`, in order: the band
/// sections' tables, then the org table (band `org`, severity from the registry's view).
fn spec_controls() -> Vec<(String, String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/controls.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut band = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("## Band `") {
            band = rest.split('`').next().unwrap().to_owned();
        } else if line.starts_with("## Org-level") {
            band = "org".to_owned();
        } else if line.starts_with("## ") {
            band.clear();
        } else if !band.is_empty() && line.starts_with("| `") {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let id = cells[1].trim_matches('`').to_owned();
            out.push((band.clone(), id, cells[2].to_owned()));
        }
    }
    out
}

#[test]
fn the_registry_lists_the_spec_controls_in_spec_order() {
    let spec = spec_controls();
    let catalog = Catalog::builtin();
    let repo: Vec<(String, String, String)> = catalog
        .repo
        .iter()
        .map(|c| {
            (
                c.band.as_str().to_owned(),
                c.id.to_string(),
                c.severity.as_str().to_owned(),
            )
        })
        .collect();
    let org: Vec<String> = catalog.org.iter().map(|c| c.id.to_string()).collect();
    let spec_repo: Vec<_> = spec
        .iter()
        .filter(|(b, _, _)| b != "org")
        .cloned()
        .collect();
    let spec_org: Vec<String> = spec
        .iter()
        .filter(|(b, _, _)| b == "org")
        .map(|(_, id, _)| id.clone())
        .collect();
    assert_eq!(repo, spec_repo);
    assert_eq!(org, spec_org);
}

#[test]
fn verdicts_align_with_the_catalog() {
    let catalog = Catalog::builtin();
    let snap = github();
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    assert_eq!(judge_repo(&ctx, &repo()).len(), catalog.repo.len());
    assert_eq!(judge_repo(&ctx, &project()).len(), catalog.repo.len());
    assert_eq!(judge_org(&ctx).len(), catalog.org.len());
}

#[test]
fn archived_repository_is_not_applicable_everywhere() {
    let mut snap = github();
    let mut r = repo();
    r.archived = true;
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/deploy.yml",
        gha(auth(CloudProvider::Aws, AuthMethod::StaticKey), vec![]),
    );
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    let verdicts = judge_repo(&ctx, &r);
    assert_eq!(verdicts.len(), Catalog::builtin().repo.len());
    for v in &verdicts {
        assert_eq!(v.status, Status::NotApplicable);
        assert_eq!(&*v.evidence, "archived repository");
    }
}

#[test]
fn static_key_names_follow_the_suffix_rule() {
    let none: Vec<String> = Vec::new();
    assert!(is_static_key_name("AWS_SECRET_ACCESS_KEY", &none));
    assert!(is_static_key_name("PROD_AWS_SECRET_ACCESS_KEY", &none));
    assert!(is_static_key_name("prod_aws_access_key_id", &none));
    assert!(is_static_key_name("ARM_CLIENT_SECRET", &none));
    assert!(is_static_key_name(
        "STAGING_GOOGLE_APPLICATION_CREDENTIALS",
        &none
    ));
    assert!(!is_static_key_name("NPM_TOKEN", &none));
    assert!(!is_static_key_name("PYPI_API_TOKEN", &none));
    // A suffix must be separated by `_`.
    assert!(!is_static_key_name("MYAWS_SECRET_ACCESS_KEY", &none));
    assert!(!is_static_key_name("AWS_SECRET_ACCESS_KEY_OLD", &none));
    let extra = vec!["DO_TOKEN".to_owned()];
    assert!(is_static_key_name("PROD_DO_TOKEN", &extra));
    assert!(!is_static_key_name("PROD_DO_TOKEN", &none));
}

fn org_secret(name: &str, visibility: Reach, selected: &[&str]) -> OrgSecret {
    OrgSecret {
        name: name.into(),
        updated_at: None,
        visibility,
        selected_repos: selected.iter().map(|s| (*s).to_owned()).collect(),
    }
}

#[test]
fn org_secret_visibility_by_reach() {
    let private = repo();
    let public = Repo::new("acme/site", Visibility::Public, "main");
    let internal = Repo::new("acme/tools", Visibility::Internal, "main");
    let all = org_secret("X", Reach::All, &[]);
    assert!(org_secret_visible(&all, &public) && org_secret_visible(&all, &private));
    let priv_only = org_secret("X", Reach::Private, &[]);
    assert!(org_secret_visible(&priv_only, &private));
    assert!(org_secret_visible(&priv_only, &internal));
    assert!(!org_secret_visible(&priv_only, &public));
    let selected = org_secret("X", Reach::Selected, &["acme/api"]);
    assert!(org_secret_visible(&selected, &private));
    assert!(!org_secret_visible(&selected, &internal));
}

#[test]
fn shared_org_static_key_fails_only_the_repos_it_reaches() {
    let mut snap = github();
    snap.org_facts.secrets = Fact::Known(vec![
        org_secret("PROD_AWS_SECRET_ACCESS_KEY", Reach::Selected, &["acme/api"]),
        org_secret("NPM_TOKEN", Reach::All, &[]),
    ]);
    let v = verdict(&snap, &repo(), "no-static-cloud-keys");
    assert_status(&v, Status::Fail);
    assert!(
        v.evidence.contains("GET /orgs/acme/actions/secrets"),
        "{v:?}"
    );
    assert!(
        v.evidence
            .contains("PROD_AWS_SECRET_ACCESS_KEY (org secret)"),
        "{v:?}"
    );
    let other = Repo::new("acme/web", Visibility::Private, "main");
    assert_status(
        &verdict(&snap, &other, "no-static-cloud-keys"),
        Status::Pass,
    );
}

#[test]
fn judge_reused_across_repos_matches_judge_repo() {
    let mut snap = github();
    snap.org_facts.secrets =
        Fact::Known(vec![org_secret("AZURE_CREDENTIALS", Reach::Private, &[])]);
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    let judge = Judge::new(&ctx);
    for r in [repo(), Repo::new("acme/site", Visibility::Public, "main")] {
        assert_eq!(judge.repo(&r), judge_repo(&ctx, &r));
    }
}

#[test]
fn yaml_error_makes_pipeline_controls_unknown_citing_the_file() {
    let mut snap = github();
    let mut r = repo();
    add_pipeline(
        &mut snap,
        &mut r,
        ".github/workflows/x.yml",
        broken("12:3: did not find expected key"),
    );
    for id in [
        "oidc-federation",
        "no-static-cloud-keys",
        "build-provenance",
        "pipeline-secret-scan",
        "no-secrets-in-env",
        "egress-allowlist",
        "pinned-actions",
    ] {
        let v = verdict(&snap, &r, id);
        assert_status(&v, Status::Unknown);
        assert_eq!(
            &*v.evidence, ".github/workflows/x.yml: YAML error at 12:3",
            "{id}"
        );
        assert!(
            v.reason
                .as_deref()
                .unwrap()
                .contains("did not find expected key")
        );
        assert_eq!(v.location.as_ref().map(|l| l.line), Some(12), "{id}");
    }
}

#[test]
fn unanalysed_file_and_unreadable_file_list_are_unknown() {
    let mut snap = github();
    let mut r = repo();
    r.pipelines = Fact::Known(vec![FileRef {
        path: ".github/workflows/ci.yml".into(),
        hash: "missing".into(),
    }]);
    let v = verdict(&snap, &r, "pipeline-secret-scan");
    assert_status(&v, Status::Unknown);
    assert!(v.evidence.starts_with(".github/workflows/ci.yml"), "{v:?}");
    r.pipelines = forbidden("Contents:read");
    let v = verdict(&snap, &r, "pinned-actions");
    assert_status(&v, Status::Unknown);
    assert_eq!(v.reason.as_deref(), Some("403: needs Contents:read"));
    assert_eq!(
        &*v.evidence,
        "GET /repos/acme/api/contents/.github/workflows"
    );
    snap.repos.push(r);
}

#[test]
fn slsa_release_tag_exception() {
    assert!(is_slsa_release_tag(
        "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0"
    ));
    assert!(!is_slsa_release_tag(
        "slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@main"
    ));
    assert!(!is_slsa_release_tag(
        "slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v2"
    ));
    assert!(!is_slsa_release_tag("someone/action@v1.2.3"));
}
