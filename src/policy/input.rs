//! The input document Rego policies see: one per repository, the same document
//! `posture report --format opa-input` writes, so a policy can be run through OPA or
//! Conftest unchanged.
//!
//! Shape (`schema` = [`INPUT_SCHEMA`]):
//!
//! ```text
//! {
//!   "schema": "posture.opa-input/v1",
//!   "snapshot": {"provider": "github", "org": "acme", "api_host": "...", "taken_at": "2026-11-25T10:00:00Z"},
//!   "org": {
//!     "facts": {...},          // OrgFacts: rulesets, security_defaults, workflow_token, runner_groups, secrets, oidc_subject
//!     "controls": {"org-token-read-default": {"status": "pass", "severity": "high", "evidence": "...", "reason": null}}
//!   },
//!   "repository": {...},       // the repository's facts (name, visibility, archived, traffic, classic_protection,
//!                              // rulesets, secret_scanning, secrets (names), environments, latest_release, runners, ...)
//!   "rank": {"position": 3, "source": "traffic", "ranked": 40},   // position null for archived repositories
//!   "pipelines": [{"path": ".github/workflows/deploy.yml", "kind": "github-actions", "error": null,
//!                  "facts": {...}, "findings": [{"fact": "cloud_auth", "line": 31, "detail": "..."}],
//!                  "uses": [{"ref": "actions/checkout@v4", "line": 12}]}],
//!   "branch_protection": {"required_approvals": 2, "pull_request_required": true,
//!                         "sources": ["ruleset 7 \"baseline\" (org)"], "unreadable": []},
//!   "controls": {"branch-protected": {"status": "pass", "band": "branch", "severity": "high",
//!                "evidence": "...", "reason": null, "location": null}}
//! }
//! ```
//!
//! Every fact is its plain value when the platform answered, or
//! `{"unreadable": {"status": 403, "reason": "...", "needs": "Administration:read"}}` when it
//! did not. `branch_protection` is derived: the default branch's effective protection (classic
//! protection merged with every active repo or org ruleset that targets it; GitLab: approval
//! rules), with `required_approvals` the strongest readable requirement and `unreadable` the
//! sources that could not be read (a policy should answer `unknown` rather than `deny` when
//! they might change its answer). `controls` holds the built-in controls only (never other policies' verdicts).
//! Pipeline facts are those of `posture pipeline --format json`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::assess::Assessment;
use crate::controls::effective::Effective;
use crate::controls::{ControlDef, Verdict};
use crate::model::{Fact, Repo, Rule, Snapshot, StoredFile};
use crate::pipeline::FileKind;

/// The `schema` field of every input document.
pub const INPUT_SCHEMA: &str = "posture.opa-input/v1";

/// Prefix of the ids of controls that come from Rego policies.
pub const POLICY_PREFIX: &str = "policy/";

/// The parts of the input that are the same for every repository, built once per assessment.
#[derive(Debug, Clone)]
pub struct Shared {
    /// `snapshot`: provider, org, api_host, taken_at.
    pub snapshot: Value,
    /// `org`: facts and org control verdicts.
    pub org: Value,
    /// How many repositories are ranked (`rank.ranked`).
    pub ranked: usize,
    /// Each stored pipeline file's entry of `pipelines` (without `path`), by content hash:
    /// a file shared by many repositories is described once.
    pub files: HashMap<String, Value>,
}

/// Build the shared parts of the input documents.
pub fn shared(snapshot: &Snapshot, assessment: &Assessment) -> Shared {
    let header = json!({
        "provider": snapshot.provider.as_str(),
        "org": snapshot.org,
        "api_host": snapshot.api_host,
        "taken_at": snapshot.taken_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    let mut controls = Map::new();
    for (def, verdict) in assessment.catalog.org.iter().zip(&assessment.org) {
        controls.insert(def.id.to_string(), verdict_doc(def, verdict));
    }
    let facts = serde_json::to_value(&snapshot.org_facts)
        .map(unwrap_facts)
        .unwrap_or(Value::Null);
    Shared {
        snapshot: header,
        org: json!({"facts": facts, "controls": controls}),
        ranked: assessment.ranking.rank.iter().flatten().count(),
        files: snapshot
            .files
            .iter()
            .map(|(hash, stored)| (hash.clone(), file_doc(stored)))
            .collect(),
    }
}

/// The repository-specific part of repository `index`'s input document (everything except
/// `snapshot` and `org`, which come from [`Shared`]; `pipelines` only when `with_pipelines`,
/// see [`pipelines`]).
pub fn repo_part(
    snapshot: &Snapshot,
    assessment: &Assessment,
    shared: &Shared,
    index: usize,
    with_pipelines: bool,
) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("schema".into(), Value::from(INPUT_SCHEMA));
    let Some(repo) = snapshot.repos.get(index) else {
        return doc;
    };
    let repository = serde_json::to_value(repo)
        .map(unwrap_facts)
        .unwrap_or(Value::Null);
    doc.insert("repository".into(), repository);
    let position = assessment.ranking.rank.get(index).copied().flatten();
    let source = assessment
        .ranking
        .source
        .get(index)
        .copied()
        .flatten()
        .and_then(|s| serde_json::to_value(s).ok());
    doc.insert(
        "rank".into(),
        json!({"position": position, "source": source, "ranked": shared.ranked}),
    );
    if with_pipelines {
        doc.insert("pipelines".into(), Value::Array(pipelines(shared, repo)));
    }
    doc.insert(
        "branch_protection".into(),
        branch_protection(snapshot, repo),
    );
    let mut controls = Map::new();
    if let Some(verdicts) = assessment.repos.get(index) {
        for (def, verdict) in assessment.catalog.repo.iter().zip(verdicts) {
            if !def.id.starts_with(POLICY_PREFIX) {
                controls.insert(def.id.to_string(), verdict_doc(def, verdict));
            }
        }
    }
    doc.insert("controls".into(), Value::Object(controls));
    doc
}

/// The complete input document of repository `index`.
pub fn document(
    snapshot: &Snapshot,
    assessment: &Assessment,
    shared: &Shared,
    index: usize,
) -> Value {
    let mut doc = repo_part(snapshot, assessment, shared, index, true);
    doc.insert("snapshot".into(), shared.snapshot.clone());
    doc.insert("org".into(), shared.org.clone());
    Value::Object(doc)
}

/// One document per repository, for the repositories at `indices` (in that order).
pub fn documents(snapshot: &Snapshot, assessment: &Assessment, indices: &[usize]) -> Vec<Value> {
    let shared = shared(snapshot, assessment);
    indices
        .iter()
        .map(|&i| document(snapshot, assessment, &shared, i))
        .collect()
}

/// The derived `branch_protection` section (see the module docs).
pub fn branch_protection(snapshot: &Snapshot, repo: &Repo) -> Value {
    let mut approvals: u32 = 0;
    let mut pr_required = false;
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    if let Some(project) = &repo.gitlab {
        match &project.approval_rules {
            Fact::Known(rules) => {
                for rule in rules {
                    approvals = approvals.max(rule.approvals_required);
                    sources.push(format!("approval rule {:?}", rule.name));
                }
            }
            Fact::Unreadable(why) => unreadable.push(format!("approval rules: {}", why.explain())),
        }
        match &project.default_branch_protection {
            Fact::Known(Some(pb)) => pr_required = pb.push_access_levels.iter().all(|l| *l == 0),
            Fact::Known(None) => {}
            Fact::Unreadable(why) => {
                unreadable.push(format!("protected branch: {}", why.explain()))
            }
        }
    } else {
        let eff = Effective::of(&snapshot.org_facts.rulesets, repo);
        match eff.classic {
            Fact::Known(Some(cp)) => {
                if let Some(reviews) = &cp.pull_request_reviews {
                    pr_required = true;
                    approvals = approvals.max(reviews.required_approving_review_count);
                }
                sources.push("classic protection".to_owned());
            }
            Fact::Known(None) => {}
            Fact::Unreadable(why) => {
                unreadable.push(format!("classic protection: {}", why.explain()))
            }
        }
        for rs in &eff.active {
            for rule in &rs.rules {
                if let Rule::PullRequest { parameters } = rule {
                    pr_required = true;
                    approvals = approvals.max(parameters.required_approving_review_count);
                }
            }
            sources.push(rs.label());
        }
        for (what, why) in &eff.unreadable_rulesets {
            unreadable.push(format!("{what}: {}", why.explain()));
        }
    }
    json!({
        "required_approvals": approvals,
        "pull_request_required": pr_required,
        "sources": sources,
        "unreadable": unreadable,
    })
}

/// The documents of the repositories at `indices` as JSON Lines: one compact document per
/// line (`report --format opa-input`; pipe one line to `opa eval -I`).
pub fn json_lines(snapshot: &Snapshot, assessment: &Assessment, indices: &[usize]) -> String {
    let mut out = String::new();
    for doc in documents(snapshot, assessment, indices) {
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    out
}

fn verdict_doc(def: &ControlDef, verdict: &Verdict) -> Value {
    json!({
        "status": verdict.status.as_str(),
        "band": def.band.as_str(),
        "severity": def.severity.as_str(),
        "evidence": verdict.evidence,
        "reason": verdict.reason,
        "location": verdict.location.as_ref().map(|l| json!({"path": l.path, "line": l.line})),
    })
}

/// The `pipelines` entries of a repository: each file's cached description with its `path`.
/// Empty when the pipeline list could not be read (`repository.pipelines` says why).
pub fn pipelines(shared: &Shared, repo: &Repo) -> Vec<Value> {
    let Some(files) = repo.pipelines.known() else {
        return Vec::new();
    };
    files
        .iter()
        .map(|file| {
            let mut doc = shared
                .files
                .get(&file.hash)
                .cloned()
                .unwrap_or_else(missing_file);
            if let Value::Object(map) = &mut doc {
                map.insert("path".into(), Value::from(file.path.as_str()));
            }
            doc
        })
        .collect()
}

/// The entry of a file the snapshot references but does not hold.
pub fn missing_file() -> Value {
    json!({
        "kind": null, "error": "file missing from the snapshot",
        "facts": null, "findings": [], "uses": [],
    })
}

fn file_doc(stored: &StoredFile) -> Value {
    let analysis = stored.analysis.as_ref().map(|c| &c.analysis);
    let uses = if stored.kind == FileKind::GithubActions {
        uses_refs(&stored.text)
    } else {
        Vec::new()
    };
    json!({
        "kind": stored.kind.as_str(),
        "error": analysis.and_then(|a| a.error.clone()),
        "facts": analysis.map(|a| serde_json::to_value(&a.facts).unwrap_or(Value::Null)),
        "findings": analysis
            .map(|a| serde_json::to_value(&a.findings).unwrap_or(Value::Null))
            .unwrap_or_else(|| json!([])),
        "uses": uses,
    })
}

/// Every `uses:` reference of a GitHub Actions file, with its 1-based line: a plain line scan
/// (the value after `uses:`, quotes and trailing comment removed), tolerant of broken YAML.
pub fn uses_refs(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line.trim_start();
        if let Some(after_dash) = rest.strip_prefix("- ") {
            rest = after_dash.trim_start();
        }
        let Some(value) = rest.strip_prefix("uses:") else {
            continue;
        };
        let value = match value.find(" #") {
            Some(at) => &value[..at],
            None => value,
        };
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if !value.is_empty() {
            out.push(json!({"ref": value, "line": i + 1}));
        }
    }
    out
}

/// Replace every serialised `Fact::Known(v)` (`{"known": v}`) by `v`; unreadable facts stay
/// `{"unreadable": {...}}`.
pub fn unwrap_facts(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1 && map.contains_key("known") {
                let inner = map
                    .into_iter()
                    .next()
                    .map(|(_, v)| v)
                    .unwrap_or(Value::Null);
                return unwrap_facts(inner);
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, unwrap_facts(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(unwrap_facts).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_known_facts_and_keeps_unreadable_ones() {
        let v = json!({"a": {"known": {"b": {"known": 3}}}, "c": {"unreadable": {"reason": "x"}}});
        assert_eq!(
            unwrap_facts(v),
            json!({"a": {"b": 3}, "c": {"unreadable": {"reason": "x"}}})
        );
    }

    #[test]
    fn scans_uses_lines_with_quotes_and_comments() {
        let text = "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4 # v4\n      - name: x\n        uses: \"slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0\"\n";
        let refs = uses_refs(text);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0], json!({"ref": "actions/checkout@v4", "line": 4}));
        assert_eq!(refs[1]["line"], 6);
        assert!(
            refs[1]["ref"]
                .as_str()
                .is_some_and(|r| r.starts_with("slsa-framework/"))
        );
    }
}
