//! What the explorer shows, computed once per opened snapshot: the snapshot, its assessment,
//! and per-repository summaries (sanitised names, band glyphs, failing counts) so drawing a
//! row never re-derives anything.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::assess::Assessment;
use crate::controls::{Status, Verdict};
use crate::model::{Provider, Snapshot};
use crate::rank::RankSource;
use crate::sanitize::strip_controls;

/// Where the snapshot being explored came from (shown in the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// One line, e.g. `embedded demo — no cached snapshot` or a file path.
    pub label: String,
    /// The embedded demo rather than a real org.
    pub demo: bool,
    /// The snapshot file, when there is one.
    pub path: Option<PathBuf>,
}

/// A cached snapshot, as the Snapshots view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotEntry {
    /// The file.
    pub path: PathBuf,
    /// `github` or `gitlab`.
    pub provider: String,
    /// Org or group.
    pub org: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Number of repositories.
    pub repos: usize,
}

/// Verdict counts: pass, fail, unknown, not applicable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// `pass`.
    pub pass: usize,
    /// `fail`.
    pub fail: usize,
    /// `unknown`.
    pub unknown: usize,
    /// `not_applicable`.
    pub not_applicable: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Unknown => self.unknown += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
    }

    /// Verdicts that apply (everything but `not_applicable`).
    pub fn applicable(&self) -> usize {
        self.pass + self.fail + self.unknown
    }
}

/// The explorer's data for one snapshot.
#[derive(Debug)]
pub struct ExplorerData {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// Its assessment (verdicts aligned with `assessment.catalog`).
    pub assessment: Assessment,
    /// Where it came from.
    pub source: Source,
    /// Sanitised org name.
    pub org: String,
    /// Sanitised repository names without the `org/` prefix, by repository index.
    pub names: Arc<Vec<String>>,
    /// Worst verdict per band (in `Band::ALL` order), by repository index.
    pub band_status: Vec<[Status; 5]>,
    /// Failing controls, by repository index.
    pub failing: Vec<u32>,
    /// Repository indices in rank order (archived last).
    pub rank_order: Arc<Vec<u32>>,
    /// Verdict counts per band over every repository (`Band::ALL` order).
    pub band_counts: [Counts; 5],
    /// Failing repositories per repository control (aligned with `catalog.repo`).
    pub control_fails: Vec<usize>,
    /// The configuration the snapshot was judged with (waivers).
    pub settings: crate::config::Settings,
}

/// The worse of two band summaries: fail, then unknown, then pass, then not applicable.
fn worse(a: Status, b: Status) -> Status {
    fn weight(s: Status) -> u8 {
        match s {
            Status::Fail => 3,
            Status::Unknown => 2,
            Status::Pass => 1,
            Status::NotApplicable => 0,
        }
    }
    if weight(b) > weight(a) { b } else { a }
}

impl ExplorerData {
    /// Summarise an opened snapshot, labelling where it came from; `fallback_demo` says the
    /// demo was opened because nothing is cached (the header says so).
    pub fn from_opened(opened: crate::open::Opened, fallback_demo: bool) -> Self {
        use crate::open::Origin;
        let source = match &opened.origin {
            Origin::Demo(_) => Source {
                label: if fallback_demo {
                    "embedded demo: no cached snapshot yet".to_owned()
                } else {
                    "embedded demo".to_owned()
                },
                demo: true,
                path: None,
            },
            Origin::File(path) => Source {
                label: format!("file {}", path.display()),
                demo: false,
                path: Some(path.clone()),
            },
            Origin::Cache(path) => Source {
                label: "cached snapshot".to_owned(),
                demo: false,
                path: Some(path.clone()),
            },
        };
        let mut data = Self::new(opened.snapshot, opened.assessment, source);
        data.settings = opened.settings;
        data
    }

    /// Summarise a snapshot and its assessment.
    pub fn new(snapshot: Snapshot, assessment: Assessment, source: Source) -> Self {
        let prefix = format!("{}/", snapshot.org);
        let names: Vec<String> = snapshot
            .repos
            .iter()
            .map(|r| strip_controls(r.name.strip_prefix(&prefix).unwrap_or(&r.name)).into_owned())
            .collect();
        let bands: Vec<usize> = assessment
            .catalog
            .repo
            .iter()
            .map(|c| c.band.position())
            .collect();
        let mut band_status = Vec::with_capacity(names.len());
        let mut failing = Vec::with_capacity(names.len());
        let mut band_counts = [Counts::default(); 5];
        let mut control_fails = vec![0; assessment.catalog.repo.len()];
        for idx in 0..names.len() {
            let mut summary = [Status::NotApplicable; 5];
            let mut fails = 0;
            let verdicts = assessment.repos.get(idx).map(Vec::as_slice).unwrap_or(&[]);
            for (c, verdict) in verdicts.iter().enumerate() {
                let band = bands.get(c).copied().unwrap_or(0);
                summary[band] = worse(summary[band], verdict.status);
                band_counts[band].add(verdict.status);
                if verdict.status == Status::Fail {
                    fails += 1;
                    if let Some(n) = control_fails.get_mut(c) {
                        *n += 1;
                    }
                }
            }
            band_status.push(summary);
            failing.push(fails);
        }
        let order = &assessment.ranking.order;
        let rank_order: Vec<u32> = if order.len() == names.len() {
            order.iter().map(|&i| i as u32).collect()
        } else {
            (0..names.len() as u32).collect()
        };
        Self {
            org: strip_controls(&snapshot.org).into_owned(),
            snapshot,
            assessment,
            source,
            names: Arc::new(names),
            band_status,
            failing,
            rank_order: Arc::new(rank_order),
            band_counts,
            control_fails,
            settings: crate::config::Settings::default(),
        }
    }

    /// The waiver covering a failing verdict of repository control `control` on `repo`, as
    /// of `now` (active or expired); `None` for anything but a failure.
    pub fn waiver(
        &self,
        repo: usize,
        control: usize,
        now: DateTime<Utc>,
    ) -> Option<crate::controls::waivers::WaiverState<'_>> {
        if self.verdict(repo, control)?.status != Status::Fail {
            return None;
        }
        let id = &self.assessment.catalog.repo.get(control)?.id;
        let name = &self.snapshot.repos.get(repo)?.name;
        crate::controls::waivers::waiver_at(&self.settings, id, name, now)
    }

    /// Number of repositories.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the snapshot has no repositories.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The verdict of repository control `control` on repository `repo`.
    pub fn verdict(&self, repo: usize, control: usize) -> Option<&Verdict> {
        self.assessment.repos.get(repo)?.get(control)
    }

    /// The rank of a repository (`None` when archived or unranked).
    pub fn rank(&self, repo: usize) -> Option<u32> {
        self.assessment.ranking.rank.get(repo).copied().flatten()
    }

    /// The traffic figure shown in lists: views (GitHub) or fetches (GitLab), or `fallback`.
    pub fn traffic_label(&self, repo: usize) -> String {
        let source = self.assessment.ranking.source.get(repo).copied().flatten();
        if source == Some(RankSource::Fallback) {
            return "fallback".to_owned();
        }
        let Some(r) = self.snapshot.repos.get(repo) else {
            return String::new();
        };
        let figure = r
            .traffic
            .known()
            .and_then(|t| match self.snapshot.provider {
                Provider::Github => t.views_14d,
                Provider::Gitlab => t.fetches_30d,
            });
        match figure {
            Some(n) => n.to_string(),
            None if r.archived => "archived".to_owned(),
            None => "–".to_owned(),
        }
    }

    /// What the platform calls a repository, plural and lower case: `repositories` on
    /// GitHub, `projects` on GitLab.
    pub fn unit(&self) -> &'static str {
        match self.snapshot.provider {
            Provider::Github => "repositories",
            Provider::Gitlab => "projects",
        }
    }

    /// Column title of the traffic figure.
    pub fn traffic_title(&self) -> &'static str {
        match self.snapshot.provider {
            Provider::Github => "views 14d",
            Provider::Gitlab => "fetch 30d",
        }
    }

    /// Repository controls (indices into `catalog.repo`) grouped by band, in band order.
    pub fn controls_by_band(&self) -> Vec<usize> {
        let catalog = &self.assessment.catalog.repo;
        let mut out: Vec<usize> = (0..catalog.len()).collect();
        out.sort_by_key(|&i| (catalog[i].band.position(), i));
        out
    }

    /// Repositories failing a control, in rank order.
    pub fn failing_repos(&self, control: usize) -> Vec<u32> {
        self.rank_order
            .iter()
            .copied()
            .filter(|&r| {
                self.verdict(r as usize, control)
                    .is_some_and(|v| v.status == Status::Fail)
            })
            .collect()
    }
}
