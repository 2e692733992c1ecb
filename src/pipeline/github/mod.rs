//! GitHub Actions workflows and composite actions: a small model over the YAML tree (jobs,
//! steps, action references) and the per-fact rules in the submodules.

mod actions;
mod auth;
mod egress;
mod env;
mod permissions;
mod provenance;
mod runners;
mod scanners;
mod usage;

use super::collect::Out;
use super::yaml::{Doc, Node};

/// A parsed `uses:` reference.
#[derive(Debug, Clone)]
pub struct ActionRef<'a> {
    /// The text as written.
    pub raw: &'a str,
    /// Lowercased `owner/repo` (the current repository for `./` paths when known).
    pub repo: String,
    /// The ref after `@` (empty for local paths).
    pub git_ref: &'a str,
    /// A `./` local path.
    pub local: bool,
    /// A `docker://` reference.
    pub docker: bool,
}

impl<'a> ActionRef<'a> {
    /// Parse `uses`, resolving `./` paths against `repo` (`owner/name`) when given.
    pub fn parse(raw: &'a str, repo: Option<&str>) -> ActionRef<'a> {
        let raw_t = raw.trim();
        if let Some(image) = raw_t.strip_prefix("docker://") {
            return ActionRef {
                raw,
                repo: image.to_ascii_lowercase(),
                git_ref: "",
                local: false,
                docker: true,
            };
        }
        if let Some(local) = raw_t.strip_prefix("./") {
            // `./` and `./sub/dir` are actions of the current repository.
            let _ = local;
            return ActionRef {
                raw,
                repo: repo.map(str::to_ascii_lowercase).unwrap_or_default(),
                git_ref: "",
                local: true,
                docker: false,
            };
        }
        let (name, git_ref) = raw_t.split_once('@').unwrap_or((raw_t, ""));
        let lower = name.to_ascii_lowercase();
        let mut parts = lower.splitn(3, '/');
        let owner = parts.next().unwrap_or_default();
        let repo_name = parts.next().unwrap_or_default();
        ActionRef {
            raw,
            repo: format!("{owner}/{repo_name}"),
            git_ref,
            local: false,
            docker: false,
        }
    }

    /// The action is `owner/repo` (any sub-path), compared case-insensitively.
    pub fn is(&self, owner_repo: &str) -> bool {
        !self.docker && self.repo == owner_repo
    }

    /// A local reusable workflow or action path (`./…`) other than the repository root.
    pub fn local_path(&self) -> Option<&str> {
        self.local.then(|| self.raw.trim().trim_start_matches("./"))
    }
}

/// One step.
pub struct Step<'a> {
    /// The step node.
    pub node: Node<'a>,
    /// `uses:` reference and its line.
    pub uses: Option<(ActionRef<'a>, u32)>,
    /// `run:` script (comments stripped) and its line.
    pub run: Option<(String, u32)>,
    /// `with:` mapping.
    pub with: Option<Node<'a>>,
    /// Index of the job in [`Workflow::jobs`] (composite actions: 0).
    pub job: usize,
}

impl<'a> Step<'a> {
    /// `with.<key>` as a string (keys compared case-insensitively).
    pub fn input(&self, key: &str) -> Option<&'a str> {
        self.with
            .and_then(|w| w.get_ci(key))
            .and_then(|n| n.as_str())
            .filter(|s| !s.trim().is_empty())
    }

    /// Line of `with.<key>`, else of the step.
    pub fn input_line(&self, key: &str) -> u32 {
        self.with
            .and_then(|w| w.get_ci(key))
            .map(|n| n.line())
            .unwrap_or_else(|| self.line())
    }

    /// Line of `uses:`/`run:`, else of the step.
    pub fn line(&self) -> u32 {
        self.uses
            .as_ref()
            .map(|(_, l)| *l)
            .or(self.run.as_ref().map(|(_, l)| *l))
            .unwrap_or_else(|| self.node.line())
    }
}

/// One job.
pub struct Job<'a> {
    /// Job id.
    pub id: &'a str,
    /// Job node.
    pub node: Node<'a>,
    /// Job-level `uses:` (reusable workflow call).
    pub uses: Option<(ActionRef<'a>, u32)>,
    /// Its steps: a range of [`Workflow::steps`].
    pub steps: std::ops::Range<usize>,
}

/// A workflow (or composite action) ready for the fact rules.
pub struct Workflow<'a> {
    /// Root mapping.
    pub root: Node<'a>,
    /// Jobs in order (empty for a composite action).
    pub jobs: Vec<Job<'a>>,
    /// All steps of all jobs (or of the composite action).
    pub steps: Vec<Step<'a>>,
    /// A composite (or other `runs:`) action definition.
    pub composite: bool,
    /// The repository (`owner/name`) when known.
    pub repo: Option<&'a str>,
}

impl<'a> Workflow<'a> {
    fn build(root: Node<'a>, repo: Option<&'a str>) -> Workflow<'a> {
        let composite = root.get("runs").is_some() && root.get("jobs").is_none();
        let mut jobs = Vec::new();
        let mut steps = Vec::new();
        if composite {
            if let Some(list) = root.get("runs").and_then(|r| r.get("steps")) {
                for s in list.items() {
                    steps.push(make_step(s, 0, repo));
                }
            }
        } else if let Some(jobs_node) = root.get("jobs") {
            for (id, key, node) in jobs_node.entries() {
                let index = jobs.len();
                let first = steps.len();
                let uses = node
                    .get("uses")
                    .and_then(|u| u.as_str().map(|s| (ActionRef::parse(s, repo), u.line())));
                if let Some(list) = node.get("steps") {
                    for s in list.items() {
                        steps.push(make_step(s, index, repo));
                    }
                }
                let _ = key;
                jobs.push(Job {
                    id,
                    node,
                    uses,
                    steps: first..steps.len(),
                });
            }
        }
        Workflow {
            root,
            jobs,
            steps,
            composite,
            repo,
        }
    }

    /// Steps of job `index`.
    pub fn job_steps(&self, index: usize) -> impl Iterator<Item = &Step<'a>> {
        let range = match self.jobs.get(index) {
            Some(job) => job.steps.clone(),
            None if self.composite => 0..self.steps.len(),
            None => 0..0,
        };
        self.steps[range].iter()
    }
}

fn make_step<'a>(node: Node<'a>, job: usize, repo: Option<&'a str>) -> Step<'a> {
    let uses = node
        .get("uses")
        .and_then(|u| u.as_str().map(|s| (ActionRef::parse(s, repo), u.line())));
    let run = node.get("run").and_then(|r| {
        r.as_str()
            .map(|s| (super::text::strip_shell_comments(s), r.line()))
    });
    Step {
        node,
        uses,
        run,
        with: node.get("with"),
        job,
    }
}

/// Analyse a GitHub Actions file into `out`. `doc` may be partial (parse error).
pub fn analyse(doc: &Doc, text: &str, repo: Option<&str>, out: &mut Out) {
    let Some(root) = doc.root() else {
        actions::line_scan(text, repo, out);
        out.facts.provenance = Some(false);
        return;
    };
    let wf = Workflow::build(root, repo);
    if !wf.composite {
        permissions::analyse(&wf, out);
        runners::analyse(&wf, out);
        egress::analyse(&wf, out);
        env::analyse_env(&wf, out);
        out.facts.is_reusable_workflow = Some(is_reusable(root));
    } else {
        env::collect_secret_names(&wf, out);
    }
    if doc.error.is_some() {
        actions::line_scan(text, repo, out);
    } else {
        actions::analyse(&wf, out);
    }
    auth::analyse(&wf, out);
    scanners::analyse(&wf, out);
    provenance::analyse(&wf, out);
}

fn is_reusable(root: Node<'_>) -> bool {
    let Some(on) = root.get("on").or_else(|| root.get("true")) else {
        return false;
    };
    if on.is_map() {
        return on.get("workflow_call").is_some();
    }
    on.string_list().contains(&"workflow_call")
}

/// Local reusable workflows / actions this file calls (paths without `./`).
pub fn local_callees(doc: &Doc) -> Vec<String> {
    let Some(root) = doc.root() else {
        return Vec::new();
    };
    let wf = Workflow::build(root, None);
    let mut out: Vec<String> = Vec::new();
    let refs = wf
        .jobs
        .iter()
        .filter_map(|j| j.uses.as_ref())
        .chain(wf.steps.iter().filter_map(|s| s.uses.as_ref()));
    for (r, _) in refs {
        if let Some(p) = r.local_path()
            && !p.is_empty()
            && !out.iter().any(|x| x == p)
        {
            out.push(p.to_string());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::pipeline::facts::{Analysis, FileKind};

    /// Analyse inline workflow YAML.
    pub fn gh(yaml: &str) -> Analysis {
        crate::pipeline::analyse_in_repo("w.yml", yaml, Some(FileKind::GithubActions), None)
    }

    /// Analyse inline workflow YAML as part of `repo`.
    pub fn gh_in(yaml: &str, repo: &str) -> Analysis {
        crate::pipeline::analyse_in_repo("w.yml", yaml, Some(FileKind::GithubActions), Some(repo))
    }
}
