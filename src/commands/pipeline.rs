//! `posture pipeline FILE... [--kind …] [--format text|json]`: the per-file pipeline facts.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use crate::cli::{PipelineArgs, PipelineKindArg, TextOrJson};
use crate::exit::{CmdResult, ExitError, OK};
use crate::pipeline::{Analysis, FileKind, PipelineFacts, analyse, resolve_local_callees};

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
        files.push((display(path), text));
    }
    let analyses: Vec<Analysis> = files
        .iter()
        .map(|(name, text)| analyse(name, text, kind))
        .collect();
    // Local callees resolve against the other files given on the command line.
    let resolved: Vec<Analysis> = analyses
        .iter()
        .map(|a| {
            let mut a = a.clone();
            resolve_local_callees(&mut a, |repo_path| {
                files
                    .iter()
                    .position(|(name, _)| ends_with_path(name, repo_path))
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
                .map(|((name, _), a)| to_json(name, a))
                .collect();
            serde_json::to_string_pretty(&list)
                .map_err(|e| ExitError::input(format!("cannot encode JSON: {e}")))?
        }
        TextOrJson::Text => files
            .iter()
            .zip(&resolved)
            .map(|((name, _), a)| to_text(name, a))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    println!("{out}");
    Ok(OK)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
        let v = serde_json::to_value(s)
            .map(|v| v.to_string())
            .unwrap_or_default();
        rows.push(("self-hosted jobs".into(), v.trim_matches('"').to_string()));
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
    for (k, v) in fact_lines(&a.facts) {
        let _ = writeln!(s, "  {k:<30} {v}");
    }
    if !a.findings.is_empty() {
        let _ = writeln!(s, "  findings:");
        for f in &a.findings {
            let _ = writeln!(s, "    {file}:{:<5} {:<28} {}", f.line, f.fact, f.detail);
        }
    }
    s
}
