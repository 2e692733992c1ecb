//! What every judge needs besides the repository: the snapshot, settings, and
//! pre-compiled patterns (built once per assessment, not per repository).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::config::Settings;
use crate::model::{FileRef, Repo, Snapshot};
use crate::pipeline::Analysis;

/// Shared inputs of the judges for one assessment.
pub struct Context<'a> {
    /// The snapshot judged.
    pub snapshot: &'a Snapshot,
    /// Control settings.
    pub settings: &'a Settings,
    /// `settings.release_patterns`, compiled.
    pub release_patterns: GlobSet,
    /// `settings.production_environments`, compiled case-insensitively.
    pub production_environments: GlobSet,
}

/// Compile globs; an invalid pattern is skipped (config validation reports it earlier).
pub fn compile_globs(patterns: &[String], case_insensitive: bool) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = GlobBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .literal_separator(false)
            .build()
        {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

impl<'a> Context<'a> {
    /// Build the context once per assessment.
    pub fn new(snapshot: &'a Snapshot, settings: &'a Settings) -> Self {
        Self {
            snapshot,
            settings,
            release_patterns: compile_globs(&settings.release_patterns, false),
            production_environments: compile_globs(&settings.production_environments, true),
        }
    }

    /// The analysed pipeline files of a repository: each file reference with its analysis
    /// (`None` when the file is missing from the snapshot or was not analysed).
    pub fn pipelines<'r>(&'r self, repo: &'r Repo) -> Vec<(&'r FileRef, Option<&'r Analysis>)> {
        match repo.pipelines.known() {
            Some(files) => files.iter().map(|f| (f, self.analysis(&f.hash))).collect(),
            None => Vec::new(),
        }
    }

    /// The cached analysis of a stored file.
    pub fn analysis(&self, hash: &str) -> Option<&'a Analysis> {
        self.snapshot
            .files
            .get(hash)
            .and_then(|f| f.analysis.as_ref())
            .map(|c| &c.analysis)
    }
}
