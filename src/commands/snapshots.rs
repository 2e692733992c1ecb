//! `posture snapshots [--format text|json] [--prune --keep N]`: list (or prune) the cache.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::cli::{SnapshotsArgs, TextOrJson};
use crate::exit::{CmdResult, ExitError, OK};
use crate::store::{SnapshotInfo, Store};

/// Run `posture snapshots`.
pub fn run(args: &SnapshotsArgs) -> CmdResult {
    let store = Store::open()?;
    let pruned = if args.prune {
        let keep = match args.keep {
            Some(keep) => keep,
            None => crate::config::load()?.keep_snapshots,
        };
        if keep == 0 {
            return Err(ExitError::input(format!(
                "--keep must be at least 1 (to drop every snapshot, delete {})",
                store.dir().display()
            )));
        }
        Some((keep, store.prune(keep)?))
    } else {
        None
    };
    let list = store.list()?;
    let out = match args.format {
        TextOrJson::Json => json(store.dir(), &list, pruned.as_ref())?,
        TextOrJson::Text => text(store.dir(), &list, pruned.as_ref()),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(OK),
        // `posture snapshots | head` is fine.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(OK),
        Err(err) => Err(ExitError::input(format!("cannot write output: {err}"))),
    }
}

#[derive(Serialize)]
struct JsonOut<'a> {
    dir: &'a Path,
    snapshots: &'a [SnapshotInfo],
    #[serde(skip_serializing_if = "Option::is_none")]
    prune: Option<JsonPrune<'a>>,
}

#[derive(Serialize)]
struct JsonPrune<'a> {
    keep_per_org: u32,
    removed: &'a [std::path::PathBuf],
}

fn json(
    dir: &Path,
    list: &[SnapshotInfo],
    pruned: Option<&(u32, Vec<std::path::PathBuf>)>,
) -> Result<String, ExitError> {
    let out = JsonOut {
        dir,
        snapshots: list,
        prune: pruned.map(|(keep, removed)| JsonPrune {
            keep_per_org: *keep,
            removed,
        }),
    };
    let mut text = serde_json::to_string_pretty(&out)
        .map_err(|e| ExitError::input(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

fn text(
    dir: &Path,
    list: &[SnapshotInfo],
    pruned: Option<&(u32, Vec<std::path::PathBuf>)>,
) -> String {
    let mut out = String::new();
    if let Some((keep, removed)) = pruned {
        for path in removed {
            out.push_str(&format!(
                "removed {}\n",
                strip_controls(&path.display().to_string())
            ));
        }
        out.push_str(&format!(
            "pruned {} snapshot{}, kept the newest {keep} per org\n\n",
            removed.len(),
            if removed.len() == 1 { "" } else { "s" },
        ));
    }
    let dir_shown = strip_controls(&dir.display().to_string()).into_owned();
    if list.is_empty() {
        out.push_str(&format!(
            "no cached snapshots in {dir_shown}\n\
             run `posture sync github --org ORG` (or `posture sync gitlab --group GROUP`), \
             or try `posture --demo`\n"
        ));
        return out;
    }
    out.push_str(&format!(
        "{} cached snapshot{} in {dir_shown}, newest first\n",
        list.len(),
        if list.len() == 1 { "" } else { "s" }
    ));
    let rows: Vec<[String; 5]> = list
        .iter()
        .map(|info| {
            [
                info.provider.as_str().to_owned(),
                strip_controls(&info.org).into_owned(),
                info.taken_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                info.repos.to_string(),
                info.path
                    .file_name()
                    .map(|n| strip_controls(&n.to_string_lossy()).into_owned())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["PROVIDER", "ORG", "TAKEN AT (UTC)", "REPOS", "FILE"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        )
    };
    out.push_str(&line(header));
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    out
}

/// Names from the platform or the file system, made safe to print (no control characters).
fn strip_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}
