//! `update()` tests on the embedded demo with the real controls: navigation flows
//! (`navigation.rs`) and input handling (`input.rs`), sharing the helpers below.

mod input;
mod navigation;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::action::Action;
use super::app::{App, ControlRef, Overlay, SortKey, View};
use super::data::{ExplorerData, SnapshotEntry};
use super::effects::Effect;
use super::keymap::{Command, Keymap};
use super::search::{self, SkimMatcher};
use super::theme::Themes;
use super::{process, update::update};
use crate::assess::Registry;
use crate::cli::DemoKind;
use crate::config::Settings;
use crate::controls::Status;
use crate::open::{Origin, open_snapshot};

fn demo_data(kind: DemoKind) -> ExplorerData {
    let opened = open_snapshot(
        crate::demo::embedded(kind),
        Origin::Demo(kind),
        Settings::default(),
        &Registry::builtin(),
    )
    .expect("judged");
    ExplorerData::from_opened(opened, false)
}

fn demo_app() -> App {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .unwrap();
    let mut app = App::new(
        demo_data(DemoKind::Github),
        Themes::builtin(),
        Keymap::default(),
        now,
    );
    app.size = (80, 24);
    app
}

fn cmd(app: &mut App, c: Command) -> Vec<Effect> {
    update(app, Action::Command(c))
}

fn type_filter(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(app, Action::FilterChar(c)));
    }
    effects
}

fn repos(app: &App) -> &super::app::ReposView {
    match app.top() {
        View::Repos(r) => r,
        other => panic!("expected the repository list, got {other:?}"),
    }
}

fn names(app: &App, rows: &[u32]) -> Vec<String> {
    rows.iter()
        .map(|&i| app.data.names[i as usize].clone())
        .collect()
}
