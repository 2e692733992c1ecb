//! Unit tests of the rollout sequence with hand-built verdict vectors.

use chrono::{TimeZone, Utc};

use super::*;
use crate::controls::Verdict;
use crate::model::{CachedAnalysis, Fact, FileRef, Provider, Traffic, Visibility};
use crate::pipeline::{
    ANALYSER_VERSION, Analysis, AuthMethod, CloudAuth, CloudProvider, FileKind, PipelineFacts,
};
use crate::rank::rank;

/// A snapshot of `n` repos named `r00`, `r01`, …; repo `i` has `1000 - i` views so the rank
/// order is the index order.
fn org(n: usize) -> Snapshot {
    let taken = Utc
        .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
        .single()
        .unwrap_or_default();
    let mut s = Snapshot::new(Provider::Github, "acme", "https://api.github.com", taken);
    for i in 0..n {
        let mut r = Repo::new(&format!("acme/r{i:02}"), Visibility::Private, "main");
        r.traffic = Fact::Known(Traffic {
            views_14d: Some(1000 - i as u64),
            ..Traffic::default()
        });
        s.repos.push(r);
    }
    s
}

/// Every repo control passing, every org control passing.
fn all_pass(s: &Snapshot, catalog: &Catalog) -> (Vec<Verdict>, Vec<Vec<Verdict>>) {
    let org = catalog.org.iter().map(|_| Verdict::pass("test")).collect();
    let repos = s
        .repos
        .iter()
        .map(|_| catalog.repo.iter().map(|_| Verdict::pass("test")).collect())
        .collect();
    (org, repos)
}

fn set(catalog: &Catalog, repos: &mut [Vec<Verdict>], i: usize, id: &str, status: Status) {
    let c = catalog
        .repo_index(id)
        .unwrap_or_else(|| panic!("no control {id}"));
    repos[i][c] = Verdict::new(status, "test");
}

fn cloud_deploy(s: &mut Snapshot, i: usize, provider: CloudProvider) {
    let text = format!("# deploy {i} {provider:?}\n");
    let hash = s.add_file(FileKind::GithubActions, text);
    let facts = PipelineFacts {
        cloud_auth: vec![CloudAuth {
            provider,
            method: AuthMethod::Oidc,
        }],
        ..PipelineFacts::default()
    };
    if let Some(file) = s.files.get_mut(&hash) {
        file.analysis = Some(CachedAnalysis {
            analyser_version: ANALYSER_VERSION,
            analysis: Analysis {
                kind: FileKind::GithubActions,
                error: None,
                facts,
                findings: Vec::new(),
            },
        });
    }
    s.repos[i].pipelines = Fact::Known(vec![FileRef {
        path: ".github/workflows/deploy.yml".into(),
        hash,
    }]);
}

fn runner(id: u64, ephemeral: Option<bool>, labels: &[&str]) -> Runner {
    Runner {
        id,
        name: format!("runner-{id}"),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        ephemeral,
        scope: "org".into(),
        group: None,
    }
}

fn run(s: &Snapshot, org: &[Verdict], repos: &[Vec<Verdict>]) -> Vec<RolloutStep> {
    run_with(s, org, repos, &Settings::default())
}

fn run_with(
    s: &Snapshot,
    org: &[Verdict],
    repos: &[Vec<Verdict>],
    settings: &Settings,
) -> Vec<RolloutStep> {
    rollout(s, &Catalog::builtin(), org, repos, &rank(s), settings)
}

#[test]
fn four_steps_with_ids_titles_and_efforts() {
    let s = org(3);
    let catalog = Catalog::builtin();
    let (o, r) = all_pass(&s, &catalog);
    let steps = run(&s, &o, &r);
    let ids: Vec<_> = steps.iter().map(|s| (s.step, s.id, s.effort)).collect();
    assert_eq!(
        ids,
        [
            (1, "oidc-first-account", "a week"),
            (2, "protect-top-10", "a few hours"),
            (3, "secret-scanning-org-wide", "a configuration change"),
            (4, "ephemeral-runners", "the longest tail"),
        ]
    );
    assert!(steps.iter().all(|s| !s.title.is_empty()));
}

#[test]
fn step1_counts_only_aws_gcp_azure_and_needs_one_on_oidc() {
    let mut s = org(5);
    cloud_deploy(&mut s, 1, CloudProvider::Aws);
    cloud_deploy(&mut s, 3, CloudProvider::Gcp);
    cloud_deploy(&mut s, 4, CloudProvider::Vault); // not a cloud deploy
    let catalog = Catalog::builtin();
    let (o, mut r) = all_pass(&s, &catalog);
    set(&catalog, &mut r, 1, "oidc-federation", Status::Fail);
    set(&catalog, &mut r, 3, "oidc-federation", Status::Unknown);
    let step = &run(&s, &o, &r)[0];
    assert_eq!((step.done, step.total, step.complete), (0, 2, false));
    assert_eq!(step.blocking, vec![1, 3]);

    set(&catalog, &mut r, 3, "oidc-federation", Status::Pass);
    let step = &run(&s, &o, &r)[0];
    assert_eq!((step.done, step.total, step.complete), (1, 2, true));
    assert_eq!(step.blocking, vec![1]);
}

#[test]
fn step1_ignores_archived_repos_and_is_vacuous_without_cloud_deploys() {
    let mut s = org(2);
    cloud_deploy(&mut s, 0, CloudProvider::Azure);
    s.repos[0].archived = true;
    let catalog = Catalog::builtin();
    let (o, mut r) = all_pass(&s, &catalog);
    set(&catalog, &mut r, 0, "oidc-federation", Status::Fail);
    let step = &run(&s, &o, &r)[0];
    assert_eq!((step.done, step.total, step.complete), (0, 0, true));
    assert!(step.blocking.is_empty());
}

#[test]
fn step2_top_ten_by_rank_with_not_applicable_met_and_unknown_not() {
    let mut s = org(14);
    // r13 has no readable traffic but many stars: fallback-ranked, still after all traffic.
    s.repos[13].traffic = Fact::unreadable_with(Some(403), "push access", None);
    s.repos[13].stars = 1_000_000;
    // An archived repo with the most views is not ranked and not in the top 10.
    s.repos[12].archived = true;
    s.repos[12].traffic = Fact::Known(Traffic {
        views_14d: Some(99_999),
        ..Traffic::default()
    });
    let catalog = Catalog::builtin();
    let (o, mut r) = all_pass(&s, &catalog);
    set(&catalog, &mut r, 2, "signed-commits", Status::NotApplicable);
    set(&catalog, &mut r, 7, "signed-commits", Status::Unknown);
    set(&catalog, &mut r, 4, "no-force-push", Status::Fail);
    set(&catalog, &mut r, 11, "pr-required", Status::Fail); // rank 12: outside the top 10
    set(&catalog, &mut r, 0, "secret-scanning", Status::Fail); // other band: irrelevant
    let step = &run(&s, &o, &r)[1];
    assert_eq!((step.done, step.total, step.complete), (8, 10, false));
    assert_eq!(step.blocking, vec![4, 7]);

    set(&catalog, &mut r, 4, "no-force-push", Status::Pass);
    set(&catalog, &mut r, 7, "signed-commits", Status::Pass);
    let step = &run(&s, &o, &r)[1];
    assert_eq!((step.done, step.total, step.complete), (10, 10, true));
}

#[test]
fn step2_includes_fallback_ranked_repos_in_small_orgs() {
    let mut s = org(3);
    s.repos[0].traffic = Fact::unreadable_with(Some(403), "push access", None);
    let catalog = Catalog::builtin();
    let (o, mut r) = all_pass(&s, &catalog);
    set(&catalog, &mut r, 0, "branch-protected", Status::Fail);
    set(&catalog, &mut r, 2, "approving-review", Status::Fail);
    let step = &run(&s, &o, &r)[1];
    assert_eq!((step.done, step.total, step.complete), (1, 3, false));
    // r02 ranks 2nd (traffic), r00 ranks 3rd (fallback): blocking in rank order.
    assert_eq!(step.blocking, vec![2, 0]);
}

#[test]
fn step3_needs_both_switches_everywhere_and_the_org_default() {
    let mut s = org(4);
    s.repos[2].archived = true;
    let catalog = Catalog::builtin();
    let (mut o, mut r) = all_pass(&s, &catalog);
    set(
        &catalog,
        &mut r,
        2,
        "secret-scanning",
        Status::NotApplicable,
    );
    set(&catalog, &mut r, 3, "push-protection", Status::Fail);
    set(&catalog, &mut r, 1, "secret-scanning", Status::Unknown);
    let step = &run(&s, &o, &r)[2];
    assert_eq!((step.done, step.total, step.complete), (1, 3, false));
    assert_eq!(step.blocking, vec![1, 3]);

    set(&catalog, &mut r, 3, "push-protection", Status::Pass);
    set(&catalog, &mut r, 1, "secret-scanning", Status::Pass);
    let org_idx = catalog.org_index("org-secret-scanning-default");
    let Some(org_idx) = org_idx else {
        panic!("org control missing")
    };
    o[org_idx] = Verdict::fail("defaults off");
    let step = &run(&s, &o, &r)[2];
    assert_eq!((step.done, step.total, step.complete), (3, 3, false));
    assert!(step.blocking.is_empty());

    o[org_idx] = Verdict::pass("defaults on");
    assert!(run(&s, &o, &r)[2].complete);
}

#[test]
fn step4_dedupes_runners_and_names_blocking_repos_in_rank_order() {
    let mut s = org(5);
    let shared = runner(1, Some(true), &[]);
    s.repos[0].runners = Fact::Known(vec![shared.clone(), runner(2, None, &["linux"])]);
    s.repos[3].runners = Fact::Known(vec![shared.clone(), runner(3, Some(false), &[])]);
    s.repos[4].runners = Fact::Known(vec![shared, runner(4, None, &["arc-set"])]);
    let catalog = Catalog::builtin();
    let (o, mut r) = all_pass(&s, &catalog);
    set(&catalog, &mut r, 1, "egress-allowlist", Status::Fail);
    set(
        &catalog,
        &mut r,
        2,
        "egress-allowlist",
        Status::NotApplicable,
    );
    let step = &run(&s, &o, &r)[3];
    // Runners 1..=4 once each; 1 is ephemeral by the API, 4 only with the configured label.
    assert_eq!((step.done, step.total, step.complete), (1, 4, false));
    assert_eq!(step.blocking, vec![0, 1, 3, 4]);

    let settings = Settings {
        ephemeral_runner_labels: vec!["arc-set".into()],
        ..Settings::default()
    };
    let step = &run_with(&s, &o, &r, &settings)[3];
    assert_eq!((step.done, step.total), (2, 4));
    assert_eq!(step.blocking, vec![0, 1, 3]);
}

#[test]
fn step4_complete_when_all_ephemeral_and_egress_restricted() {
    let mut s = org(2);
    s.repos[0].runners = Fact::Known(vec![runner(9, Some(true), &[])]);
    let catalog = Catalog::builtin();
    let (o, mut r) = all_pass(&s, &catalog);
    set(
        &catalog,
        &mut r,
        1,
        "ephemeral-runners",
        Status::NotApplicable,
    );
    set(
        &catalog,
        &mut r,
        1,
        "egress-allowlist",
        Status::NotApplicable,
    );
    let step = &run(&s, &o, &r)[3];
    assert_eq!((step.done, step.total, step.complete), (1, 1, true));
    assert!(step.blocking.is_empty());

    // An unknown egress verdict (e.g. a `maybe` self-hosted job) keeps it open.
    set(&catalog, &mut r, 1, "egress-allowlist", Status::Unknown);
    let step = &run(&s, &o, &r)[3];
    assert!(!step.complete);
    assert_eq!(step.blocking, vec![1]);
}

#[test]
fn empty_org_has_nothing_blocking() {
    let s = org(0);
    let catalog = Catalog::builtin();
    let (mut o, r) = all_pass(&s, &catalog);
    let steps = run(&s, &o, &r);
    assert!(steps.iter().all(|s| s.blocking.is_empty() && s.total == 0));
    assert_eq!(
        steps.iter().map(|s| s.complete).collect::<Vec<_>>(),
        [true, true, true, true]
    );
    o.clear(); // org controls not judged: step 3 cannot be complete
    assert!(!run(&s, &o, &r)[2].complete);
}
