//! `config.toml`: control settings, scope, retention and waivers. Parsing is pure.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use super::glob::glob_match;
use crate::model::Repo;

/// A waiver: a failing control accepted for matching repositories until a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Control id.
    pub control: String,
    /// Repository glob, e.g. `acme/legacy-*`.
    pub repo: String,
    /// Who owns the exception.
    pub owner: String,
    /// Why.
    pub reason: String,
    /// Valid through 23:59:59 UTC that day.
    #[serde(deserialize_with = "toml_date")]
    pub expires: NaiveDate,
}

/// Every setting, with the defaults of `spec/controls.md` and `spec/cli.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Approving reviews `approving-review` requires.
    pub min_approvals: u32,
    /// Maximum secret age in days for `secret-rotation`.
    pub rotation_days: u32,
    /// Release branch patterns for `release-push-restricted`.
    pub release_patterns: Vec<String>,
    /// Production environment patterns for `deploy-gate` (case-insensitive globs).
    pub production_environments: Vec<String>,
    /// More names (suffixes) that count as static cloud credentials.
    pub extra_static_key_names: Vec<String>,
    /// Runner labels that mean "ephemeral" (e.g. an ARC scale set name).
    pub ephemeral_runner_labels: Vec<String>,
    /// Repository globs left out of every view.
    pub exclude: Vec<String>,
    /// Include forks (default false).
    pub include_forks: bool,
    /// Repositories with any of these topics are left out.
    pub exclude_topics: Vec<String>,
    /// Snapshots kept per org by `snapshots --prune`.
    pub keep_snapshots: u32,
    /// Waivers (`[[waiver]]`).
    #[serde(rename = "waiver")]
    pub waivers: Vec<Waiver>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            min_approvals: 1,
            rotation_days: 90,
            release_patterns: vec!["release/*".into(), "releases/*".into(), "release-*".into()],
            production_environments: vec!["prod*".into(), "production".into()],
            extra_static_key_names: Vec::new(),
            ephemeral_runner_labels: Vec::new(),
            exclude: Vec::new(),
            include_forks: false,
            exclude_topics: Vec::new(),
            keep_snapshots: 30,
            waivers: Vec::new(),
        }
    }
}

/// A `config.toml` whose text could not be used: where (1-based line, when known) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// The file named in the message (`config.toml` unless a path was attached).
    pub file: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// One-line description.
    pub message: String,
}

impl SettingsError {
    /// Name the file in the message, e.g. the full path of the config file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = file.into();
        self
    }
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for SettingsError {}

/// 1-based line of byte offset `offset` in `text`.
fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// First line mentioning `needle` as a quoted string, for errors found after parsing.
fn line_mentioning(text: &str, needle: &str) -> Option<usize> {
    let quoted = [format!("\"{needle}\""), format!("'{needle}'")];
    text.lines()
        .position(|l| quoted.iter().any(|q| l.contains(q.as_str())))
        .map(|i| i + 1)
}

/// Collapse a multi-line message from the TOML parser into one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Settings {
    /// Parse `config.toml` text. Missing keys take their defaults; unknown keys, wrong types
    /// and invalid patterns are errors naming the line (`config.toml:7: unknown field ...`).
    pub fn from_toml(text: &str) -> Result<Settings, SettingsError> {
        let settings: Settings = toml::from_str(text).map_err(|e| SettingsError {
            file: "config.toml".to_owned(),
            line: e.span().map(|s| line_of_offset(text, s.start)),
            message: one_line(e.message()),
        })?;
        settings.validate(text)?;
        Ok(settings)
    }

    fn validate(&self, text: &str) -> Result<(), SettingsError> {
        let error = |needle: &str, message: String| SettingsError {
            file: "config.toml".to_owned(),
            line: line_mentioning(text, needle),
            message,
        };
        if self.min_approvals == 0 {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("min_approvals"))
                .map(|i| i + 1);
            return Err(SettingsError {
                file: "config.toml".to_owned(),
                line,
                message: "min_approvals must be at least 1".to_owned(),
            });
        }
        for (key, patterns) in [
            ("release_patterns", &self.release_patterns),
            ("production_environments", &self.production_environments),
            ("exclude", &self.exclude),
        ] {
            for pattern in patterns {
                if let Err(e) = globset::Glob::new(pattern) {
                    return Err(error(
                        pattern,
                        format!("{key}: invalid glob \"{pattern}\": {}", e.kind()),
                    ));
                }
            }
        }
        for waiver in &self.waivers {
            if let Err(e) = globset::Glob::new(&waiver.repo) {
                return Err(error(
                    &waiver.repo,
                    format!(
                        "waiver repo: invalid glob \"{}\": {}",
                        waiver.repo,
                        e.kind()
                    ),
                ));
            }
            if waiver.control.trim().is_empty() {
                return Err(error(
                    &waiver.control,
                    "waiver control: must name a control id".to_owned(),
                ));
            }
        }
        Ok(())
    }

    /// Whether a repository is in scope: not excluded by a glob (full or short name), not a
    /// fork unless `include_forks`, and carrying none of `exclude_topics`.
    pub fn in_scope(&self, repo: &Repo) -> bool {
        if repo.fork && !self.include_forks {
            return false;
        }
        let short = repo.short_name();
        if self
            .exclude
            .iter()
            .any(|p| glob_match(p, &repo.name) || glob_match(p, short))
        {
            return false;
        }
        !repo.topics.iter().any(|t| {
            self.exclude_topics
                .iter()
                .any(|x| x.eq_ignore_ascii_case(t))
        })
    }
}

/// `expires = 2027-03-31` (a TOML local date) or `"2027-03-31"` (a string, as serialised).
fn toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error;

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateInput {
        Toml(toml::value::Datetime),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    match DateInput::deserialize(d)? {
        DateInput::Toml(dt) => match (dt.date, dt.time) {
            (Some(date), None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .ok_or_else(|| D::Error::custom(format!("invalid date {dt}"))),
            _ => Err(D::Error::custom(format!(
                "expires must be a date like 2027-03-31, not {dt}"
            ))),
        },
        DateInput::Text(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
            D::Error::custom(format!(
                "expires must be a date like 2027-03-31, not \"{text}\""
            ))
        }),
        DateInput::Other(_) => Err(D::Error::custom("expires must be a date like 2027-03-31")),
    }
}
