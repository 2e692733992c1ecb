//! A repository's pipeline files with their analyses, gathered once per repository, and the
//! helpers that turn pipeline facts into cited evidence (`path:line`).

use crate::model::{FileRef, Repo, Unreadable};
use crate::pipeline::{Analysis, FileKind, FindingKind, SelfHosted, SelfHostedJob};

use super::{Context, Verdict};

/// One pipeline file: its full path in the repository and its analysis, if any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PipelineFile<'a> {
    /// Full path, e.g. `.github/workflows/deploy.yml`.
    pub path: &'a str,
    /// The cached analysis; `None` when the file is missing from the snapshot or unanalysed.
    pub analysis: Option<&'a Analysis>,
}

impl PipelineFile<'_> {
    /// True for a workflow (not a composite action's `action.yml`).
    pub fn is_workflow(&self) -> bool {
        let name = self.path.rsplit('/').next().unwrap_or(self.path);
        !(name == "action.yml" || name == "action.yaml")
    }
}

/// The pipeline files of one repository.
pub(crate) struct Pipelines<'a> {
    /// Why the file list could not be read, when it could not.
    pub unreadable: Option<&'a Unreadable>,
    /// The files (pre-commit configs excluded).
    pub files: Vec<PipelineFile<'a>>,
}

impl<'a> Pipelines<'a> {
    /// Gather the pipeline files of `repo` with their analyses.
    pub fn new(ctx: &Context<'a>, repo: &'a Repo) -> Self {
        match repo.pipelines.as_result() {
            Ok(files) => Self {
                unreadable: None,
                files: files
                    .iter()
                    .map(|f: &'a FileRef| PipelineFile {
                        path: &f.path,
                        analysis: ctx.analysis(&f.hash),
                    })
                    .filter(|f| f.analysis.is_none_or(|a| a.kind != FileKind::PreCommit))
                    .collect(),
            },
            Err(why) => Self {
                unreadable: Some(why),
                files: Vec::new(),
            },
        }
    }

    /// The files analysed without error, with their analyses.
    pub fn ok(&self) -> impl Iterator<Item = (&'a str, &'a Analysis)> + '_ {
        self.files.iter().filter_map(|f| match f.analysis {
            Some(a) if a.error.is_none() => Some((f.path, a)),
            _ => None,
        })
    }

    /// `1 pipeline file` / `3 pipeline files`, for evidence.
    pub fn count(&self) -> String {
        match self.files.len() {
            1 => "1 pipeline file".to_owned(),
            n => format!("{n} pipeline files"),
        }
    }

    /// True when the file list was read and is empty.
    pub fn known_empty(&self) -> bool {
        self.unreadable.is_none() && self.files.is_empty()
    }

    /// The first reason pipeline facts are incomplete, as an `unknown` verdict: the file list
    /// is unreadable, a file was not analysed, or a file's YAML could not be parsed.
    pub fn blocker(&self, list_source: impl std::fmt::Display) -> Option<Verdict> {
        if let Some(why) = self.unreadable {
            return Some(Verdict::unknown(list_source.to_string(), why.explain()));
        }
        for file in &self.files {
            match file.analysis {
                None => {
                    return Some(Verdict::unknown(
                        format!("{}: not analysed", file.path),
                        format!("{}: the file's content is not in the snapshot", file.path),
                    ));
                }
                Some(a) => {
                    if let Some(error) = &a.error {
                        return Some(yaml_error(file.path, error));
                    }
                }
            }
        }
        None
    }
}

/// `unknown` for a file whose YAML could not be parsed; `error` is `line:col: message`.
pub(crate) fn yaml_error(path: &str, error: &str) -> Verdict {
    let mut parts = error.splitn(3, ':');
    let line = parts.next().and_then(|l| l.trim().parse::<u32>().ok());
    let col = parts.next().and_then(|c| c.trim().parse::<u32>().ok());
    match (line, col) {
        (Some(line), Some(col)) => Verdict::unknown(
            format!("{path}: YAML error at {line}:{col}"),
            format!("{path}: {error}"),
        )
        .at(path, line),
        _ => Verdict::unknown(format!("{path}: YAML error"), format!("{path}: {error}")),
    }
}

/// A verdict citing `path` and the first line the analysis found `fact` on.
pub(crate) fn cite(
    status: super::Status,
    path: &str,
    analysis: &Analysis,
    fact: FindingKind,
    what: &str,
) -> Verdict {
    cite_line(status, path, analysis.line_of(fact), what)
}

/// A verdict citing `path:line` (or just `path` when the line is unknown).
pub(crate) fn cite_line(
    status: super::Status,
    path: &str,
    line: Option<u32>,
    what: &str,
) -> Verdict {
    match line {
        Some(line) => Verdict::new(status, format!("{path}:{line}: {what}")).at(path, line),
        None => Verdict::new(status, format!("{path}: {what}")),
    }
}

/// An `unknown` citing `path:line`, with the same text as reason.
pub(crate) fn cite_unknown(path: &str, line: Option<u32>, what: &str) -> Verdict {
    let mut verdict = cite_line(super::Status::Unknown, path, line, what);
    verdict.reason = Some(verdict.evidence.clone());
    verdict
}

/// A job on a self-hosted runner (or maybe one), from the per-job list or, when the analyser
/// gave only the file-level fact, a stand-in for the whole file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HostedJob<'a> {
    /// Job id, `None` for the file-level stand-in.
    pub job: Option<&'a str>,
    /// Literal runner labels.
    pub labels: &'a [String],
    /// The runner cannot be resolved from the file.
    pub maybe: bool,
    /// The job (or, for the stand-in, every job) blocks egress.
    pub egress_block: bool,
    /// Line of `runs-on` / `tags`, when known.
    pub line: Option<u32>,
}

impl HostedJob<'_> {
    /// `job build` or `a job` for the stand-in.
    pub fn name(&self) -> String {
        match self.job {
            Some(job) => format!("job {job}"),
            None => "a job".to_owned(),
        }
    }
}

/// The self-hosted (and maybe self-hosted) jobs of one analysed file.
pub(crate) fn hosted_jobs(analysis: &Analysis) -> Vec<HostedJob<'_>> {
    let facts = &analysis.facts;
    if !facts.self_hosted.is_empty() {
        let gitlab = analysis.kind == FileKind::GitlabCi;
        return facts
            .self_hosted
            .iter()
            // A GitLab hidden job (`.name`) is a template: it never runs by itself.
            .filter(|j| !(gitlab && j.job.starts_with('.')))
            .map(|j: &SelfHostedJob| HostedJob {
                job: Some(&j.job),
                labels: &j.labels,
                maybe: j.maybe,
                egress_block: j.egress_block,
                line: (j.line > 0).then_some(j.line),
            })
            .collect();
    }
    let maybe = match facts.self_hosted_jobs {
        Some(SelfHosted::Yes) => false,
        Some(SelfHosted::Maybe) => true,
        _ => return Vec::new(),
    };
    vec![HostedJob {
        job: None,
        labels: &[],
        maybe,
        egress_block: facts.egress_block_all_jobs == Some(true),
        line: analysis.line_of(FindingKind::SelfHostedJobs),
    }]
}
