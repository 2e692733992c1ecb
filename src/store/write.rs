//! Atomic file writes: a temp file in the same directory, fsync, rename over the target,
//! fsync the directory. The previous file at the target stays intact until the rename.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Prefix of temp files; listing ignores names starting with `.`.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Create `dir` (and parents) if missing; new directories are private (0700) on unix.
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Write `target` (a file name inside `dir`) atomically with `fill`; mode 0600 on unix.
pub fn write_atomic(
    dir: &Path,
    target: &str,
    fill: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> io::Result<PathBuf> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!("{TEMP_PREFIX}{}-{n}-{target}", std::process::id()));
    let result = write_then_rename(&temp, &dir.join(target), fill);
    if result.is_err() {
        // Best effort: a leftover temp file is harmless (ignored by listing) but untidy.
        let _ = std::fs::remove_file(&temp);
    }
    result?;
    sync_dir(dir);
    Ok(dir.join(target))
}

fn write_then_rename(
    temp: &Path,
    target: &Path,
    fill: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(temp)?;
    {
        let mut writer = BufWriter::with_capacity(1 << 20, &file);
        fill(&mut writer)?;
        writer.flush()?;
    }
    file.sync_all()?;
    drop(file);
    std::fs::rename(temp, target)
}

/// Make the rename durable. Some filesystems refuse to fsync a directory; the rename has
/// already happened then, so the error is not worth failing the save for.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
