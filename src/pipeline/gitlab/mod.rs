//! GitLab CI files (`.gitlab-ci.yml` and the files it includes): jobs (hidden ones too, with
//! `<<:` merges resolved), includes, runner tags, YAML features and the security facts.

use crate::pipeline::FindingKind;
mod auth;

use std::sync::LazyLock;

use regex::Regex;

use super::collect::Out;
use super::facts::SelfHostedJob;
use super::text::{cosign_keyless, is_full_sha, publish_command, runs_secret_scanner};
use super::yaml::{Doc, Node};

/// Top-level keys that are not jobs.
const RESERVED: &[&str] = &[
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "workflow",
    "default",
    "spec",
];

/// A job (or hidden job / `default:`) with its script text.
pub struct Job<'a> {
    /// Name (`.hidden` for templates, `default` for defaults).
    pub name: &'a str,
    /// Line of the job key.
    pub line: u32,
    /// The job mapping.
    pub node: Node<'a>,
    /// `before_script` + `script` + `after_script`, one command per line.
    pub script: String,
    /// Line of `script:` (or of the job).
    pub script_line: u32,
}

/// The runner tags a job runs with: its own `tags:`, else those of the templates it
/// `extends:` (nearest first, a few levels deep), with the line where they are written.
fn job_tags(job: &Job<'_>, jobs: &[Job<'_>]) -> Option<(Vec<String>, u32)> {
    let mut current = job;
    for _ in 0..8 {
        if let Some(t) = current.node.get("tags") {
            let labels: Vec<String> = t.string_list().iter().map(|s| s.to_string()).collect();
            return (!labels.is_empty()).then(|| (labels, t.line()));
        }
        let parents = current.node.get("extends").map(|e| e.string_list())?;
        // GitLab merges `extends` in order, later ones winning: look at the last one first.
        current = parents
            .iter()
            .rev()
            .find_map(|name| jobs.iter().find(|j| j.name == *name))?;
    }
    None
}

fn script_text(node: Node<'_>) -> (String, Option<u32>) {
    let mut text = String::new();
    let mut line = None;
    for key in ["before_script", "script", "after_script"] {
        if let Some(s) = node.get(key) {
            line.get_or_insert(s.line());
            let items = if s.as_str().is_some() {
                vec![s]
            } else {
                s.items()
            };
            for item in items {
                if item.tag() == Some("reference") {
                    continue;
                }
                if let Some(t) = item.as_str() {
                    text.push_str(&super::text::strip_shell_comments(t));
                    text.push('\n');
                }
            }
        }
    }
    (text, line)
}

fn jobs(root: Node<'_>) -> Vec<Job<'_>> {
    let mut out = Vec::new();
    for (name, key, node) in root.entries() {
        if !node.is_map() || (RESERVED.contains(&name) && name != "default") {
            continue;
        }
        let (script, line) = script_text(node);
        out.push(Job {
            name,
            line: key.line(),
            node,
            script,
            script_line: line.unwrap_or(key.line()),
        });
    }
    // Global before_script/after_script run in every job.
    let (global, line) = script_text(root);
    if !global.trim().is_empty() {
        out.push(Job {
            name: "(global)",
            line: line.unwrap_or(1),
            node: root,
            script: global,
            script_line: line.unwrap_or(1),
        });
    }
    out
}

fn include_kind(item: Node<'_>) -> Option<&'static str> {
    if let Some(s) = item.as_str() {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        return Some(if s.starts_with("http://") || s.starts_with("https://") {
            "remote"
        } else {
            "local"
        });
    }
    ["local", "template", "project", "remote", "component"]
        .into_iter()
        .find(|k| item.get(k).is_some())
        .or(item.get("file").map(|_| "local"))
}

fn includes(root: Node<'_>, out: &mut Out) {
    let mut kinds: Vec<String> = Vec::new();
    let mut unpinned = 0u32;
    if let Some(inc) = root.get("include") {
        let items = if inc.is_map() || inc.as_str().is_some() {
            vec![inc]
        } else {
            inc.items()
        };
        for item in items {
            let Some(kind) = include_kind(item) else {
                continue;
            };
            if !kinds.iter().any(|k| k == kind) {
                kinds.push(kind.to_string());
            }
            out.find(
                FindingKind::Includes,
                item.line(),
                format!("include: {kind}"),
            );
            if kind == "local"
                && let Some(p) = item.as_str().or_else(|| item.str_of("local"))
            {
                let p = p.trim().trim_start_matches('/').to_string();
                if !out.facts.local_callees.contains(&p) {
                    out.facts.local_callees.push(p);
                }
            }
            let scan_include = item
                .str_of("template")
                .or_else(|| item.str_of("component"))
                .is_some_and(|t| t.to_ascii_lowercase().contains("secret-detection"));
            if scan_include {
                out.facts.secret_scanner = true;
                out.find(
                    FindingKind::SecretScanner,
                    item.line(),
                    "secret detection template/component included",
                );
            }
            let pinned = match kind {
                "project" => Some(item.str_of("ref").is_some_and(|r| is_full_sha(r.trim()))),
                "component" => Some(
                    item.str_of("component")
                        .and_then(|c| c.rsplit_once('@'))
                        .is_some_and(|(_, r)| is_full_sha(r.trim())),
                ),
                _ => None,
            };
            if pinned == Some(false) {
                unpinned += 1;
                out.find(
                    FindingKind::UnpinnedIncludes,
                    item.line(),
                    format!("include: {kind} not pinned to a commit SHA"),
                );
            }
        }
    }
    out.facts.includes = Some(kinds);
    out.facts.unpinned_includes = Some(unpinned);
}

static EXTENDS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"(?m)^\s+extends:").expect("valid built-in regex")
});
static INCLUDE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r#"(?m)^include:\s*['"]?([^'"\s#]*)"#).expect("valid built-in regex")
});

/// Analyse a GitLab CI file into `out`.
pub fn analyse(doc: &Doc, text: &str, out: &mut Out) {
    let f = &mut out.facts;
    f.yaml_valid = Some(doc.error.is_none());
    f.uses_yaml_anchors = Some(doc.anchors_used);
    f.duplicate_merge_keys = Some(doc.duplicate_merge_keys);
    f.uses_reference_tags =
        Some(doc.reference_tags || (doc.error.is_some() && text.contains("!reference")));
    f.provenance = Some(false);
    let Some(root) = doc.root().filter(|r| r.is_map()) else {
        out.facts.includes = Some(Vec::new());
        out.facts.uses_extends = Some(false);
        return;
    };
    includes(root, out);
    if doc.error.is_some()
        && out.facts.includes.as_ref().is_some_and(|k| k.is_empty())
        && let Some(c) = INCLUDE_LINE.captures(text)
    {
        let kind = match c.get(1).map(|m| m.as_str()) {
            Some(s) if s.starts_with("http") => "remote",
            Some("") | None => "",
            Some(_) => "local",
        };
        if !kind.is_empty() {
            out.facts.includes = Some(vec![kind.to_string()]);
        }
    }
    let jobs = jobs(root);
    let mut extends = doc.error.is_some() && EXTENDS_LINE.is_match(text);
    let mut tags: Vec<String> = Vec::new();
    let mut id_tokens = false;
    let mut cloud_id_tokens = false;
    for job in &jobs {
        if let Some(e) = job.node.get("extends").filter(|_| job.name != "(global)") {
            extends = true;
            let _ = e;
        }
        if let Some(t) = job.node.get("tags").filter(|_| job.name != "(global)") {
            let labels: Vec<String> = t.string_list().iter().map(|s| s.to_string()).collect();
            for l in &labels {
                if !tags.contains(l) {
                    tags.push(l.clone());
                }
            }
            if !labels.is_empty() {
                out.find(
                    FindingKind::RunnerTags,
                    t.line(),
                    format!("job {} tags: {}", job.name, labels.join(", ")),
                );
            }
        }
        // Hidden jobs are templates and never run: only jobs that run pick a runner.
        if job.name.starts_with('.') || job.name == "(global)" || job.name == "default" {
            continue;
        }
        if let Some((labels, line)) = job_tags(job, &jobs) {
            out.facts.self_hosted.push(SelfHostedJob {
                job: job.name.to_string(),
                labels,
                maybe: true,
                egress_block: false,
                line,
            });
        }
        if let Some(t) = job.node.get("id_tokens").filter(|_| job.name != "(global)") {
            id_tokens = true;
            // Tokens for Sigstore signing are not cloud credentials.
            cloud_id_tokens |= t.entries().iter().any(|(name, _, spec)| {
                let aud = spec
                    .scalars()
                    .iter()
                    .map(|(s, _)| *s)
                    .collect::<Vec<_>>()
                    .join(" ");
                !(name.to_ascii_lowercase().contains("sigstore") || aud.contains("sigstore"))
            });
            out.find(
                FindingKind::UsesIdTokenWrite,
                t.line(),
                format!("job {} declares id_tokens", job.name),
            );
        }
        if let Some(e) = job
            .node
            .get("environment")
            .filter(|_| job.name != "(global)")
        {
            out.environment(e.as_str().or_else(|| e.str_of("name")).unwrap_or_default());
        }
        let secret_job = job.name == "secret_detection"
            || job.node.get("extends").is_some_and(|e| {
                e.string_list()
                    .iter()
                    .any(|x| x.contains("secret-analyzer") || x.contains("secret_detection"))
            });
        if secret_job || runs_secret_scanner(&job.script) {
            out.facts.secret_scanner = true;
            out.find(
                FindingKind::SecretScanner,
                job.script_line,
                format!("job {} scans for secrets", job.name),
            );
        }
        if job.node.get("release").is_some() && job.name != "(global)" {
            out.publish(job.line, &format!("job {} creates a release", job.name));
        }
        if let Some(cmd) = publish_command(&job.script) {
            out.publish(
                job.script_line,
                &format!("job {}: `{cmd}` publishes", job.name),
            );
        }
    }
    out.facts.uses_extends = Some(extends);
    out.facts.runner_tags = (!tags.is_empty()).then_some(tags);
    out.facts.uses_id_token_write = id_tokens;
    for job in &jobs {
        let slsa = job
            .node
            .get("variables")
            .and_then(|v| v.str_of("RUNNER_GENERATE_ARTIFACTS_METADATA"))
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        if (id_tokens && cosign_keyless(&job.script)) || slsa {
            out.facts.provenance = Some(true);
            out.find(
                FindingKind::Provenance,
                job.script_line,
                format!("job {} signs provenance", job.name),
            );
        }
    }
    auth::analyse(root, &jobs, cloud_id_tokens, out);
}

#[cfg(test)]
mod tests;
