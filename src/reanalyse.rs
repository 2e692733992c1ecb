//! Re-analysis of stored pipeline files on all cores. A snapshot stores each file once by
//! content hash with the analyser version that produced its facts; after an upgrade every
//! stale file is analysed again on load. The files are independent, so they are split across
//! `std::thread::available_parallelism()` scoped threads; `progress` hears `(done, total)`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::{CachedAnalysis, StoredFile};
use crate::pipeline::{ANALYSER_VERSION, analyse};

/// Files per progress report.
const REPORT_EVERY: usize = 256;

/// Analyse again every file whose facts are missing or from another analyser version; the
/// number analysed. `progress(done, total)` is called from worker threads as work completes
/// (and once at the end); it must be cheap.
pub fn reanalyse_stale(
    files: &mut BTreeMap<String, StoredFile>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> usize {
    let mut stale: Vec<&mut StoredFile> = files
        .values_mut()
        .filter(|f| {
            f.analysis
                .as_ref()
                .is_none_or(|a| a.analyser_version != ANALYSER_VERSION)
        })
        .collect();
    let total = stale.len();
    if total == 0 {
        return 0;
    }
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(total);
    let done = AtomicUsize::new(0);
    let chunk = total.div_ceil(threads);
    std::thread::scope(|scope| {
        for part in stale.chunks_mut(chunk) {
            let done = &done;
            scope.spawn(move || {
                for file in part.iter_mut() {
                    let analysis = analyse("", &file.text, Some(file.kind));
                    file.analysis = Some(CachedAnalysis {
                        analyser_version: ANALYSER_VERSION,
                        analysis,
                    });
                    let now = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if now.is_multiple_of(REPORT_EVERY) {
                        progress(now, total);
                    }
                }
            });
        }
    });
    progress(total, total);
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::FileKind;

    fn file(text: &str, version: Option<u32>) -> StoredFile {
        StoredFile {
            kind: FileKind::GithubActions,
            text: text.to_owned(),
            analysis: version.map(|v| CachedAnalysis {
                analyser_version: v,
                analysis: analyse("", text, Some(FileKind::GithubActions)),
            }),
        }
    }

    #[test]
    fn only_stale_files_are_analysed_and_results_match_a_serial_run() {
        let mut files = BTreeMap::new();
        for i in 0..1000 {
            let text = format!(
                "on: push\njobs:\n  j{i}:\n    runs-on: {}\n    steps:\n      - uses: actions/checkout@v{}\n",
                if i % 3 == 0 {
                    "self-hosted"
                } else {
                    "ubuntu-latest"
                },
                i % 5
            );
            let version = match i % 4 {
                0 => Some(ANALYSER_VERSION),
                1 => Some(ANALYSER_VERSION.wrapping_sub(1)),
                _ => None,
            };
            files.insert(format!("h{i:04}"), file(&text, version));
        }
        let reports = std::sync::Mutex::new(Vec::new());
        let count = reanalyse_stale(&mut files, &|done, total| {
            reports.lock().unwrap().push((done, total));
        });
        assert_eq!(count, 750);
        assert_eq!(reports.lock().unwrap().last(), Some(&(750, 750)));
        for f in files.values() {
            let cached = f.analysis.as_ref().unwrap();
            assert_eq!(cached.analyser_version, ANALYSER_VERSION);
            let serial = analyse("", &f.text, Some(f.kind));
            assert_eq!(cached.analysis, serial);
        }
        assert_eq!(reanalyse_stale(&mut files, &|_, _| {}), 0);
    }
}
