//! Opening a snapshot for a command: the selection rules of `spec/cli.md` (`--demo`,
//! `--snapshot PATH`, `--org NAME`, or the newest cached snapshot), then analysis, scope and
//! assessment. Never falls back to the demo silently.

use std::path::PathBuf;

use crate::assess::{Assessment, Registry, assess, ensure_analysed};
use crate::cli::{DemoKind, Select};
use crate::config::{ConfigError, Settings};
use crate::model::Snapshot;
use crate::policy::PolicyError;
use crate::store::{LoadError, StoreError};

/// A snapshot could not be opened. `Display` is the one line the user sees.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// `--org NAME`: the cache has no snapshot of that org.
    #[error(
        "no cached snapshot of {org}; run `posture sync github --org {org}` \
         (or `posture sync gitlab --group {org}`), or pass --snapshot PATH"
    )]
    NoSnapshotOf {
        /// The org (or group) asked for.
        org: String,
    },
    /// No selector and an empty cache.
    #[error(
        "no cached snapshot; run `posture sync github --org ORG` (or `posture sync gitlab \
         --group GROUP`), pass --snapshot PATH, or try --demo"
    )]
    NoSnapshot,
    /// The configuration could not be loaded.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The snapshot cache could not be used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The snapshot file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A Rego policy failed while judging.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

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

/// Open the snapshot `select` names, with the user's configuration, and judge it with the
/// controls of `registry`.
///
/// `--demo` is the embedded demo; `--snapshot PATH` that file; `--org NAME` the newest cached
/// snapshot of that org (an error with a `posture sync` hint when there is none); no selector
/// the newest cached snapshot of any org (an error with a hint when the cache is empty).
pub fn open(select: &Select, registry: &Registry) -> Result<Opened, OpenError> {
    let settings = crate::config::load()?;
    if let Some(kind) = select.demo {
        let snapshot = crate::demo::embedded(kind);
        return Ok(open_snapshot(
            snapshot,
            Origin::Demo(kind),
            settings,
            registry,
        )?);
    }
    if let Some(path) = &select.snapshot {
        let mut snapshot = crate::store::load(path)?;
        reanalyse_showing_progress(&mut snapshot);
        return Ok(open_snapshot(
            snapshot,
            Origin::File(path.clone()),
            settings,
            registry,
        )?);
    }
    let store = crate::store::Store::open()?;
    let newest = store.newest(select.org.as_deref())?;
    let Some(info) = newest else {
        return Err(no_snapshot(select.org.as_deref()));
    };
    let mut snapshot = crate::store::load(&info.path)?;
    reanalyse_showing_progress(&mut snapshot);
    Ok(open_snapshot(
        snapshot,
        Origin::Cache(info.path),
        settings,
        registry,
    )?)
}

/// Re-analyse the stale pipeline files of a snapshot written by an older analyser (after an
/// upgrade, every file of a large org: seconds to tens of seconds), counting on stderr when a
/// person is watching it. Elsewhere [`open_snapshot`] does the same silently.
fn reanalyse_showing_progress(snapshot: &mut Snapshot) {
    use std::io::{IsTerminal, Write};
    if !std::io::stderr().is_terminal() {
        return;
    }
    let report = |done: usize, total: usize| {
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\rposture: re-analysing pipeline files after an upgrade: {done}/{total}"
        );
        if done == total {
            let _ = writeln!(err);
        }
    };
    crate::reanalyse::reanalyse_stale(&mut snapshot.files, &report);
}

/// The error for an empty cache, with the command that would fill it.
fn no_snapshot(org: Option<&str>) -> OpenError {
    match org {
        Some(org) => OpenError::NoSnapshotOf {
            org: org.to_owned(),
        },
        None => OpenError::NoSnapshot,
    }
}

/// Prepare a loaded snapshot: analyse its pipeline files where the cached analysis is missing
/// or stale, drop repositories outside the configured scope, and judge it with `registry`'s
/// controls ([`assess`]). Fails only when a Rego policy fails at run time.
pub fn open_snapshot(
    mut snapshot: Snapshot,
    origin: Origin,
    settings: Settings,
    registry: &Registry,
) -> Result<Opened, PolicyError> {
    ensure_analysed(&mut snapshot);
    snapshot.repos.retain(|repo| settings.in_scope(repo));
    let assessment = assess(&snapshot, &settings, registry)?;
    Ok(Opened {
        snapshot,
        origin,
        settings,
        assessment,
    })
}
