//! The one way posture writes a file (snapshots, their sidecars, the ETag cache, the host
//! record): a temp file with a random name created exclusively in the target's directory
//! (`O_EXCL`, and `O_NOFOLLOW` on unix, so a planted symlink is never followed), mode 0600,
//! fsync, rename over the target, fsync the directory. Directories are created 0700. The
//! previous file at the target stays intact until the rename, so a crash at any point leaves either the old file or the new one.

use std::collections::hash_map::RandomState;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Prefix of temp files; listing ignores names starting with `.`.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Create `dir` (and every missing parent) private (0700) on unix. Directories that already
/// exist are left as they are (the user may have chosen a shared one on purpose).
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

/// A temp-file name nobody can predict: process id, a counter and a per-call random value.
fn temp_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(n);
    hasher.write_u32(std::process::id());
    format!(
        "{TEMP_PREFIX}{}-{n}-{:016x}",
        std::process::id(),
        hasher.finish()
    )
}

/// Write `target` (a file name inside `dir`, which is created private if missing) atomically
/// with `fill`; mode 0600 on unix. Returns the target's path.
pub fn write_atomic(
    dir: &Path,
    target: &str,
    fill: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> io::Result<PathBuf> {
    ensure_dir(dir)?;
    let temp = dir.join(temp_name());
    let result = write_then_rename(&temp, &dir.join(target), fill);
    if result.is_err() {
        // Best effort: a leftover temp file is harmless (ignored by listing) but untidy.
        let _ = std::fs::remove_file(&temp);
    }
    result?;
    sync_dir(dir);
    Ok(dir.join(target))
}

/// [`write_atomic`] of a byte string.
pub fn write_bytes(dir: &Path, target: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    write_atomic(dir, target, |w| w.write_all(bytes))
}

fn open_exclusive(temp: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    // `create_new` is O_CREAT|O_EXCL: an existing name, symlink included, is an error.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(temp)
}

fn write_then_rename(
    temp: &Path,
    target: &Path,
    fill: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> io::Result<()> {
    let file = open_exclusive(temp)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn dirs_are_private_files_0600_and_a_planted_symlink_is_replaced_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let victim = root.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        let dir = root.path().join("cache/etags");
        ensure_dir(&dir).unwrap();
        // The target itself is a symlink to another file: the rename replaces the link.
        std::os::unix::fs::symlink(&victim, dir.join("github-acme.json")).unwrap();
        write_bytes(&dir, "github-acme.json", b"{}").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        let written = std::fs::symlink_metadata(dir.join("github-acme.json")).unwrap();
        assert!(written.is_file());
        assert_eq!(written.permissions().mode() & 0o777, 0o600);
        for d in [root.path().join("cache"), dir.clone()] {
            let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", d.display());
        }
        // A planted temp name is never opened through.
        std::os::unix::fs::symlink(&victim, dir.join(".planted")).unwrap();
        assert!(open_exclusive(&dir.join(".planted")).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }
}
