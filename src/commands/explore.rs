//! `posture`, `posture --demo [github|gitlab]` and `posture explore`: open the TUI.
//!
//! With no selector the newest cached snapshot is opened, or the embedded demo when nothing
//! is cached (the header says so). Without a terminal this exits 2 with one line, never hangs.

use std::path::Path;
use std::sync::Arc;

use crate::assess::Registry;
use crate::cli::{DemoKind, ExploreArgs, Select};
use crate::exit::{CmdResult, ExitError};
use crate::open::{Opened, Origin, open, open_snapshot};
use crate::tui::data::{ExplorerData, SnapshotEntry};
use crate::tui::{self, Options};

/// `posture [--demo [KIND]] [--theme NAME]`.
pub fn run_default(demo: Option<DemoKind>, theme: Option<String>) -> CmdResult {
    let options = options(theme, false);
    start(&options, None, |registry| match demo {
        Some(kind) => open_demo(kind, false, registry),
        None => open_newest_or_demo(registry),
    })
}

/// `posture explore [--snapshot PATH | --org NAME] [--theme NAME] [--read-only]`.
pub fn run_explore(args: ExploreArgs) -> CmdResult {
    let options = options(args.theme.clone(), args.read_only);
    // A file someone passed around is evidence to look at, never a place to send the token.
    let read_only_why = args.snapshot.as_ref().map(|_| {
        "a snapshot opened with --snapshot is read-only (its API host came from the file); \
         sync from the cache with `posture explore --org ORG`"
            .to_owned()
    });
    start(&options, read_only_why, |registry| {
        if args.snapshot.is_none() && args.org.is_none() {
            return open_newest_or_demo(registry);
        }
        let select = Select {
            snapshot: args.snapshot.clone(),
            org: args.org.clone(),
            demo: None,
        };
        Ok(to_data(open(&select, registry)?, false))
    })
}

fn options(theme: Option<String>, read_only: bool) -> Options {
    Options {
        theme,
        read_only,
        config_dir: crate::config::config_dir(),
        no_color: tui::theme::no_color_from_env(),
    }
}

/// Check the theme, then the terminal, then load the controls (with the config dir's Rego
/// policies), open the snapshot and run. The snapshot loader and the in-app sync judge with
/// the same registry, so the controls shown never change on reload or sync.
/// Runs read-only, saying why, when `read_only_why` is given.
fn start(
    options: &Options,
    read_only_why: Option<String>,
    opener: impl FnOnce(&Registry) -> Result<ExplorerData, ExitError>,
) -> CmdResult {
    if let Some(name) = &options.theme {
        tui::check_theme(name, options.config_dir.as_deref())?;
    }
    tui::require_terminal()?;
    let registry = Arc::new(super::load_registry(None)?);
    let data = opener(&registry)?;
    let mut app = tui::prepare(data, cached_snapshots(), options, chrono::Utc::now())?;
    if let Some(why) = read_only_why {
        app.read_only = true;
        app.read_only_why = Some(why);
    }
    let settings = crate::config::load()?;
    let sync_settings = settings.clone();
    let sync_registry = Arc::clone(&registry);
    let loader: tui::Loader = Arc::new(move |path: &Path, progress: &tui::LoadProgress| {
        let mut snapshot = crate::store::load(path).map_err(|e| e.to_string())?;
        crate::reanalyse::reanalyse_stale(&mut snapshot.files, progress);
        let opened = open_snapshot(
            snapshot,
            Origin::Cache(path.to_path_buf()),
            settings.clone(),
            &registry,
        )
        .map_err(|e| e.to_string())?;
        Ok(to_data(opened, false))
    });
    tui::run(
        app,
        loader,
        Some(super::explore_sync::syncer(sync_settings, sync_registry)),
    )?;
    Ok(crate::exit::OK)
}

fn open_demo(
    kind: DemoKind,
    fallback: bool,
    registry: &Registry,
) -> Result<ExplorerData, ExitError> {
    let select = Select {
        snapshot: None,
        org: None,
        demo: Some(kind),
    };
    Ok(to_data(open(&select, registry)?, fallback))
}

/// The newest cached snapshot of any org, else the embedded GitHub demo.
fn open_newest_or_demo(registry: &Registry) -> Result<ExplorerData, ExitError> {
    let newest = crate::store::Store::open()
        .ok()
        .and_then(|store| store.newest(None).ok().flatten());
    match newest {
        Some(_) => Ok(to_data(open(&Select::default(), registry)?, false)),
        None => open_demo(DemoKind::Github, true, registry),
    }
}

/// Summarise an opened (judged) snapshot for the explorer, labelling its origin.
fn to_data(opened: Opened, fallback_demo: bool) -> ExplorerData {
    ExplorerData::from_opened(opened, fallback_demo)
}

fn cached_snapshots() -> Vec<SnapshotEntry> {
    let Ok(store) = crate::store::Store::open() else {
        return Vec::new();
    };
    store
        .list()
        .unwrap_or_default()
        .into_iter()
        .map(|info| SnapshotEntry {
            path: info.path,
            provider: info.provider.as_str().to_owned(),
            org: info.org,
            taken_at: info.taken_at,
            repos: info.repos,
        })
        .collect()
}
