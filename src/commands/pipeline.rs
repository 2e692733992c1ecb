//! `posture pipeline FILE... [--kind …] [--format text|json]`: the per-file pipeline facts.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use crate::cli::{PipelineArgs, PipelineKindArg, TextOrJson};
use crate::exit::{CmdResult, ExitError, OK};
use crate::pipeline::{
    Analysis, FileKind, PipelineFacts, SelfHosted, analyse_in_repo, resolve_local_callees,
};

/// Run `posture pipeline`.
pub fn run(args: &PipelineArgs) -> CmdResult {
    let kind = args.kind.map(|k| match k {
        PipelineKindArg::GithubActions => FileKind::GithubActions,
        PipelineKindArg::GitlabCi => FileKind::GitlabCi,
    });
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ExitError::input(format!("cannot read {}: {e}", path.display())))?;
        files.push((display(path), text, repo_context(path)));
    }
    // Inside a git checkout, the repository (`owner/name` of `origin`) and the path in it make
    // `uses: ./` and the repository's own actions resolvable.
    let analyses: Vec<Analysis> = files
        .iter()
        .map(|(name, text, ctx)| {
            let path = ctx.relative.as_deref().unwrap_or(name);
            analyse_in_repo(path, text, kind, ctx.repo.as_deref())
        })
        .collect();
    // Local callees resolve against the other files given on the command line.
    let resolved: Vec<Analysis> = analyses
        .iter()
        .map(|a| {
            let mut a = a.clone();
            resolve_local_callees(&mut a, |repo_path| {
                files
                    .iter()
                    .position(|(name, _, ctx)| match &ctx.relative {
                        Some(rel) => rel == repo_path,
                        None => ends_with_path(name, repo_path),
                    })
                    .map(|i| &analyses[i])
            });
            a
        })
        .collect();
    let out = match args.format {
        TextOrJson::Json => {
            let list: Vec<Value> = files
                .iter()
                .zip(&resolved)
                .map(|((name, _, _), a)| to_json(name, a))
                .collect();
            serde_json::to_string_pretty(&list)
                .map_err(|e| ExitError::input(format!("cannot encode JSON: {e}")))?
        }
        TextOrJson::Text => files
            .iter()
            .zip(&resolved)
            .map(|((name, _, _), a)| to_text(name, a))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    println!("{out}");
    Ok(OK)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Where a file sits: its repository (`owner/name`) and its path inside the checkout.
#[derive(Default)]
struct RepoContext {
    repo: Option<String>,
    relative: Option<String>,
}

/// Walk up from `path` to the checkout root (a `.git` entry) and read `origin`'s URL.
fn repo_context(path: &Path) -> RepoContext {
    let Ok(abs) = std::fs::canonicalize(path) else {
        return RepoContext::default();
    };
    let mut dir = abs.parent();
    while let Some(d) = dir {
        let git = d.join(".git");
        if git.exists() {
            let relative = abs
                .strip_prefix(d)
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"));
            let config = std::fs::read_to_string(git.join("config")).unwrap_or_default();
            return RepoContext {
                repo: origin_repo(&config),
                relative,
            };
        }
        dir = d.parent();
    }
    RepoContext::default()
}

/// `owner/name` from the `origin` remote URL of a git config (https or ssh form).
fn origin_repo(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_origin = t == "[remote \"origin\"]";
            continue;
        }
        if in_origin && let Some(url) = t.strip_prefix("url").map(|r| r.trim_start()) {
            let url = url.strip_prefix('=')?.trim().trim_end_matches('/');
            let url = url.strip_suffix(".git").unwrap_or(url);
            let tail = url.rsplit_once(':').map(|(_, t)| t).unwrap_or(url);
            let mut parts = tail.rsplit('/');
            let name = parts.next()?;
            let owner = parts.next()?;
            if owner.is_empty() || name.is_empty() {
                return None;
            }
            return Some(format!("{owner}/{name}"));
        }
    }
    None
}

fn ends_with_path(name: &str, repo_path: &str) -> bool {
    name == repo_path || name.ends_with(&format!("/{repo_path}"))
}

/// The JSON object of one file (`spec/cli.md`).
pub fn to_json(file: &str, a: &Analysis) -> Value {
    let mut obj = json!({
        "file": file,
        "kind": a.kind.as_str(),
        "facts": a.facts,
        "findings": a.findings,
    });
    if let (Some(err), Some(map)) = (&a.error, obj.as_object_mut()) {
        map.insert("error".to_string(), Value::from(err.clone()));
    }
    obj
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn fact_lines(f: &PipelineFacts) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let auth: Vec<String> = f
        .cloud_auth
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .map(|v| {
            format!(
                "{}/{}",
                v["provider"].as_str().unwrap_or("?"),
                v["method"].as_str().unwrap_or("?")
            )
        })
        .collect();
    rows.push((
        "cloud auth".into(),
        if auth.is_empty() {
            "none".into()
        } else {
            auth.join(", ")
        },
    ));
    if !f.static_key_secret_names.is_empty() {
        rows.push((
            "static cloud keys".into(),
            f.static_key_secret_names.join(", "),
        ));
    }
    rows.push((
        "id-token / id_tokens".into(),
        yes_no(f.uses_id_token_write).into(),
    ));
    if let Some(s) = f.self_hosted_jobs {
        let v = match s {
            SelfHosted::Yes => "yes",
            SelfHosted::No => "no",
            SelfHosted::Maybe => "maybe (a runner is not resolvable from the file)",
        };
        rows.push(("self-hosted jobs".into(), v.into()));
    }
    if let (Some(b), Some(all), Some(audit)) =
        (f.egress_block, f.egress_block_all_jobs, f.egress_audit_only)
    {
        let v = if all {
            "block in every job"
        } else if b {
            "block in some jobs"
        } else if audit {
            "audit only"
        } else {
            "none"
        };
        rows.push(("egress policy".into(), v.into()));
    }
    rows.push(("secret scanner".into(), yes_no(f.secret_scanner).into()));
    if let Some(v) = f.workflow_or_job_env_secrets {
        rows.push(("secrets in workflow/job env".into(), yes_no(v).into()));
    }
    if let Some(v) = f.top_level_permissions {
        let extra = if f.write_all_permissions {
            " (write-all)"
        } else {
            ""
        };
        rows.push((
            "top-level permissions".into(),
            format!("{}{extra}", yes_no(v)),
        ));
    }
    if let Some(n) = f.unpinned_third_party_actions {
        rows.push(("unpinned third-party actions".into(), n.to_string()));
    }
    if let Some(p) = f.provenance {
        rows.push(("signed provenance".into(), yes_no(p).into()));
    }
    rows.push(("publishes".into(), yes_no(f.publishes).into()));
    if let Some(inc) = &f.includes {
        rows.push((
            "includes".into(),
            if inc.is_empty() {
                "none".into()
            } else {
                inc.join(", ")
            },
        ));
    }
    if let Some(n) = f.unpinned_includes.filter(|n| *n > 0) {
        rows.push(("unpinned includes".into(), n.to_string()));
    }
    if let Some(tags) = &f.runner_tags {
        rows.push(("runner tags".into(), tags.join(", ")));
    }
    let features: Vec<&str> = [
        (f.uses_yaml_anchors, "anchors"),
        (f.uses_extends, "extends"),
        (f.uses_reference_tags, "!reference"),
        (f.duplicate_merge_keys, "duplicate <<: keys"),
    ]
    .into_iter()
    .filter(|(v, _)| *v == Some(true))
    .map(|(_, n)| n)
    .collect();
    if !features.is_empty() {
        rows.push(("YAML features".into(), features.join(", ")));
    }
    if let Some(v) = f.precommit_secret_hook {
        rows.push(("pre-commit secret hook".into(), yes_no(v).into()));
    }
    rows
}

/// The text summary of one file.
pub fn to_text(file: &str, a: &Analysis) -> String {
    let mut s = format!("{file} ({})\n", a.kind.as_str());
    if let Some(err) = &a.error {
        let _ = writeln!(s, "  error: {err} (facts below are a tolerant reading)");
    }
    let rows = if a.kind == FileKind::PreCommit {
        let hook = a.facts.precommit_secret_hook.unwrap_or(false);
        vec![(
            "pre-commit secret hook".to_string(),
            yes_no(hook).to_string(),
        )]
    } else {
        fact_lines(&a.facts)
    };
    for (k, v) in rows {
        let _ = writeln!(s, "  {k:<30} {v}");
    }
    if !a.findings.is_empty() {
        let _ = writeln!(s, "  findings:");
        for f in &a.findings {
            let _ = writeln!(
                s,
                "    line {:<5} {:<28} {}",
                f.line,
                f.fact,
                f.full_detail()
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::origin_repo;

    #[test]
    fn origin_url_forms() {
        let https = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/Azure/login.git\n";
        assert_eq!(origin_repo(https).as_deref(), Some("Azure/login"));
        let ssh = "[remote \"origin\"]\n  url = git@github.com:o/r\n";
        assert_eq!(origin_repo(ssh).as_deref(), Some("o/r"));
        assert_eq!(
            origin_repo("[remote \"upstream\"]\n url = https://x/a/b\n"),
            None
        );
    }
}
