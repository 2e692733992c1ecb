//! Opening a snapshot for a command: the selection rules of `spec/cli.md` (`--demo`,
//! `--snapshot PATH`, `--org NAME`, or the newest cached snapshot), then analysis, scope and
//! assessment. Never falls back to the demo silently.

use std::path::PathBuf;

use crate::assess::{Assessment, assess, ensure_analysed};
use crate::cli::{DemoKind, Select};
use crate::config::Settings;
use crate::exit::ExitError;
use crate::model::Snapshot;

/// Where an opened snapshot came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The embedded demo.
    Demo(DemoKind),
    /// A snapshot file named with `--snapshot`.
    File(PathBuf),
    /// A snapshot from the cache (the newest of an org, or of any org).
    Cache(PathBuf),
}

/// A snapshot, analysed, limited to the configured scope and judged.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The snapshot (out-of-scope repositories already removed; indices match `assessment`).
    pub snapshot: Snapshot,
    /// Where it came from.
    pub origin: Origin,
    /// The configuration it was judged with.
    pub settings: Settings,
    /// Verdicts, ranking and rollout.
    pub assessment: Assessment,
}

/// Open the snapshot `select` names, with the user's configuration.
///
/// `--demo` is the embedded demo; `--snapshot PATH` that file; `--org NAME` the newest cached
/// snapshot of that org (exit 2 with a `posture sync` hint when there is none); no selector the
/// newest cached snapshot of any org (exit 2 with a hint when the cache is empty).
pub fn open(select: &Select) -> Result<Opened, ExitError> {
    let settings = crate::config::load()?;
    if let Some(kind) = select.demo {
        let snapshot = crate::demo::embedded(kind);
        return Ok(open_snapshot(snapshot, Origin::Demo(kind), settings));
    }
    if let Some(path) = &select.snapshot {
        let snapshot = crate::store::load(path)?;
        return Ok(open_snapshot(
            snapshot,
            Origin::File(path.clone()),
            settings,
        ));
    }
    let store = crate::store::Store::open()?;
    let newest = store.newest(select.org.as_deref())?;
    let Some(info) = newest else {
        return Err(no_snapshot(select.org.as_deref()));
    };
    let snapshot = crate::store::load(&info.path)?;
    Ok(open_snapshot(snapshot, Origin::Cache(info.path), settings))
}

/// The exit-2 error for an empty cache, with the command that would fill it.
fn no_snapshot(org: Option<&str>) -> ExitError {
    match org {
        Some(org) => ExitError::input(format!(
            "no cached snapshot of {org}; run `posture sync github --org {org}` \
             (or `posture sync gitlab --group {org}`), or pass --snapshot PATH"
        )),
        None => ExitError::input(
            "no cached snapshot; run `posture sync github --org ORG` (or `posture sync gitlab \
             --group GROUP`), pass --snapshot PATH, or try --demo",
        ),
    }
}

/// Prepare a loaded snapshot: analyse its pipeline files where the cached analysis is missing
/// or stale, drop repositories outside the configured scope, and judge it.
pub fn open_snapshot(mut snapshot: Snapshot, origin: Origin, settings: Settings) -> Opened {
    ensure_analysed(&mut snapshot);
    snapshot.repos.retain(|repo| settings.in_scope(repo));
    let assessment = assess(&snapshot, &settings);
    Opened {
        snapshot,
        origin,
        settings,
        assessment,
    }
}
