//! Adding a control: a scratch control declared here, registered with
//! `Registry::with_control`, reaches every consumer — the JSON report, `check`, SARIF, the
//! explorer (data and the by-control screen) and the Rego input — without any of them being
//! edited. (A built-in control is the same `const` in its band's module plus one line in
//! `controls::registry`.)

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use super::Registry;
use crate::cli::DemoKind;
use crate::config::Settings;
use crate::controls::{Band, Definition, RepoControl, Severity, Status, Verdict};
use crate::model::Visibility;
use crate::open::{Opened, Origin, open_snapshot};

const SCRATCH_ID: &str = "scratch-private-only";

/// A control that exists only in this test: public repositories fail it.
static SCRATCH: RepoControl = RepoControl {
    def: Definition {
        id: SCRATCH_ID,
        band: Band::Isolation,
        severity: Severity::High,
        title: "Scratch: repository is not public",
        rationale: "Shows that one registered control reaches every consumer.",
        fix: "Make the repository private.",
    },
    judge: |view| match view.repo.visibility {
        Visibility::Public => Verdict::fail(format!("{}: visibility public", view.repo.name)),
        _ => Verdict::pass("visibility not public"),
    },
};

fn opened() -> Opened {
    let registry = Registry::builtin().with_control(&SCRATCH);
    open_snapshot(
        crate::demo::embedded(DemoKind::Github),
        Origin::Demo(DemoKind::Github),
        Settings::default(),
        &registry,
    )
    .unwrap()
}

fn public_repo(opened: &Opened) -> usize {
    opened
        .snapshot
        .repos
        .iter()
        .position(|r| r.visibility == Visibility::Public && !r.archived)
        .unwrap()
}

#[test]
fn a_registered_control_is_judged_and_shown_in_the_json_report() {
    let opened = opened();
    let c = opened.assessment.catalog.repo_index(SCRATCH_ID).unwrap();
    let public = public_repo(&opened);
    assert_eq!(opened.assessment.repos[public][c].status, Status::Fail);
    assert_eq!(
        opened
            .assessment
            .repo_verdict(public, SCRATCH_ID)
            .map(|v| v.status),
        Some(Status::Fail)
    );
    let rows = crate::report::select(&opened, &[], None).unwrap();
    let mut out = Vec::new();
    crate::report::json::write(&opened, &rows, &mut out).unwrap();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let name = &opened.snapshot.repos[public].name;
    let repo = doc["repos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name.as_str())
        .expect("the public repository is in the report");
    let control = repo["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == SCRATCH_ID)
        .expect("the JSON report lists the scratch control");
    assert_eq!(control["status"], "fail");
    assert_eq!(control["band"], "isolation");
    assert_eq!(control["severity"], "high");
    assert_eq!(control["evidence"], format!("{name}: visibility public"));
}

#[test]
fn a_registered_control_gates_check_and_reaches_sarif() {
    let opened = opened();
    let rows = crate::report::select(&opened, &[], None).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let gate = crate::commands::check::gate(&opened, &rows, true, Severity::High, today);
    let json = crate::commands::check::json(&opened, &gate, Severity::High).unwrap();
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert!(json.contains(SCRATCH_ID), "check fails on it: {doc:#}");

    let sarif = crate::report::sarif::build(
        &opened,
        &rows,
        &crate::report::sarif::SarifOptions {
            include_org: true,
            max_results: crate::report::sarif::MAX_RESULTS,
            today,
        },
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == SCRATCH_ID), "a SARIF rule");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == SCRATCH_ID),
        "a SARIF result"
    );
}

#[test]
fn a_registered_control_appears_in_the_explorer() {
    let opened = opened();
    let public = public_repo(&opened);
    let data = crate::tui::data::ExplorerData::from_opened(opened, false);
    let c = data.assessment.catalog.repo_index(SCRATCH_ID).unwrap();
    assert!(data.controls_by_band().contains(&c));
    assert!(data.control_fails[c] > 0);
    assert!(data.failing_repos(c).contains(&(public as u32)));

    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let mut app = crate::tui::app::App::new(
        data,
        crate::tui::theme::Themes::builtin(),
        crate::tui::keymap::Keymap::default(),
        now,
    );
    app.size = (160, 60);
    crate::tui::update::update(
        &mut app,
        crate::tui::action::Action::Command(crate::tui::keymap::Command::ByControl),
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 60)).unwrap();
    terminal
        .draw(|f| crate::tui::views::render(f, &app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let screen: String = buffer.content().iter().map(|c| c.symbol()).collect();
    assert!(
        screen.contains(SCRATCH_ID),
        "the by-control screen lists it"
    );
}

#[test]
fn a_registered_control_is_in_the_rego_input() {
    let opened = opened();
    let public = public_repo(&opened);
    let docs = crate::policy::input::documents(&opened.snapshot, &opened.assessment, &[public]);
    assert_eq!(docs[0]["controls"][SCRATCH_ID]["status"], "fail");
    // A policy can build on it like on any built-in control.
    let rego = format!(
        "package scratch.uses\n\
         deny contains \"public\" if input.controls[\"{SCRATCH_ID}\"].status == \"fail\"\n"
    );
    let set = crate::policy::PolicySet::from_sources(&[("uses.rego".into(), rego)]).unwrap();
    let registry = Registry::builtin()
        .with_control(&SCRATCH)
        .with_policies(set);
    let judged = open_snapshot(
        crate::demo::embedded(DemoKind::Github),
        Origin::Demo(DemoKind::Github),
        Settings::default(),
        &registry,
    )
    .unwrap();
    assert_eq!(
        judged
            .assessment
            .repo_verdict(public, "policy/scratch.uses")
            .map(|v| v.status),
        Some(Status::Fail)
    );
}
