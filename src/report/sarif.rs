//! SARIF 2.1.0 (`report --format sarif`, `check --format sarif`): one rule per control, one
//! result per failing verdict, for code-scanning uploads and SARIF viewers.
//!
//! * Rules: `id`, `name` (PascalCase id), `shortDescription` = title, `fullDescription` =
//!   rationale, `help` = what a fix does, `defaultConfiguration.level` from the severity
//!   (high → `error`, medium → `warning`, low/info → `note`) and `properties.security-severity`.
//! * Results: located at the pipeline file and line when the evidence is a pipeline line
//!   (repository-relative path when the run covers one repository, the file's web URL
//!   otherwise), else at the repository (its web URL), always with the repository as a
//!   logical location. A waived failure carries an accepted external suppression; an expired
//!   waiver is a plain result again.
//! * Over GitHub's per-run limit ([`MAX_RESULTS`]) results are kept by severity, then rank,
//!   and `run.properties` says how many were dropped.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::{VerdictWithWaiver, judged, org_verdict, rank_of, strip_controls};
use crate::controls::{ControlDef, Severity, Status};
use crate::model::{Provider, Snapshot};
use crate::open::Opened;

/// GitHub code scanning's limit of results per run.
pub const MAX_RESULTS: usize = 25_000;

/// The SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";

/// The schema URI written in `$schema`.
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What goes into a SARIF log.
#[derive(Debug, Clone, Copy)]
pub struct SarifOptions {
    /// Include failing org controls (off for a one-repository upload).
    pub include_org: bool,
    /// Most results kept (GitHub: [`MAX_RESULTS`]).
    pub max_results: usize,
    /// The day waivers are checked against.
    pub today: NaiveDate,
}

/// SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score of a severity (7.0–8.9 high, 4.0–6.9 medium,
/// 0.1–3.9 low; info is 0.0, shown as none).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// `branch-protected` → `BranchProtected`, `policy/deploy.slsa` → `PolicyDeploySlsa`.
pub fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The web base of the platform a snapshot came from: `https://api.github.com` →
/// `https://github.com`, `https://HOST/api/v3` → `https://HOST`, `.../api/v4` (GitLab) → base.
pub fn web_base(snapshot: &Snapshot) -> String {
    let host = snapshot.api_host.trim_end_matches('/');
    if let Some(rest) = host.strip_prefix("https://api.") {
        return format!("https://{rest}");
    }
    for suffix in ["/api/v3", "/api/v4", "/api/graphql", "/api"] {
        if let Some(base) = host.strip_suffix(suffix) {
            return base.to_owned();
        }
    }
    if host.is_empty() {
        match snapshot.provider {
            Provider::Github => "https://github.com".to_owned(),
            Provider::Gitlab => "https://gitlab.com".to_owned(),
        }
    } else {
        host.to_owned()
    }
}

/// A URI built from platform text, safe for `artifactLocation.uri`: control, bidi and
/// zero-width characters removed, then every byte outside RFC 3986 unreserved characters,
/// sub-delimiters, `:`, `@` and `/` percent-encoded (`%` included, `a b#c` → `a%20b%23c`).
pub fn encode_uri(text: &str) -> String {
    let clean = strip_controls(text);
    let mut out = String::with_capacity(clean.len());
    for b in clean.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule(def: &ControlDef) -> Value {
    json!({
        "id": def.id,
        "name": rule_name(&def.id),
        "shortDescription": {"text": def.title},
        "fullDescription": {"text": def.rationale},
        "help": {"text": def.fix},
        "defaultConfiguration": {"level": level(def.severity)},
        "properties": {
            "security-severity": security_severity(def.severity),
            "tags": ["security", "ci-cd", def.band.as_str()],
            "precision": "high",
            "problem.severity": match def.severity {
                Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "recommendation",
            },
        },
    })
}

/// One failing verdict waiting to become a result.
struct Candidate<'a> {
    severity: Severity,
    rank: Option<u32>,
    order: usize,
    rule_index: usize,
    repo: Option<usize>,
    judged: VerdictWithWaiver<'a>,
}

/// Build the SARIF log of the failing verdicts of repositories `rows` (snapshot indices, in
/// rank order).
pub fn build(opened: &Opened, rows: &[usize], options: &SarifOptions) -> Value {
    let catalog = &opened.assessment.catalog;
    let mut rules: Vec<Value> = catalog.repo.iter().map(rule).collect();
    rules.extend(catalog.org.iter().map(rule));
    let mut candidates = Vec::new();
    if options.include_org {
        for (c, def) in catalog.org.iter().enumerate() {
            let verdict = org_verdict(opened, c);
            if verdict.status == Status::Fail {
                candidates.push(Candidate {
                    severity: def.severity,
                    rank: Some(0),
                    order: 0,
                    rule_index: catalog.repo.len() + c,
                    repo: None,
                    judged: VerdictWithWaiver {
                        verdict,
                        waiver: None,
                    },
                });
            }
        }
    }
    for (order, &r) in rows.iter().enumerate() {
        for (c, def) in catalog.repo.iter().enumerate() {
            let judged = judged(opened, r, c, options.today);
            if judged.verdict.status == Status::Fail {
                candidates.push(Candidate {
                    severity: def.severity,
                    rank: rank_of(opened, r),
                    order: order + 1,
                    rule_index: c,
                    repo: Some(r),
                    judged,
                });
            }
        }
    }
    // Keep by severity (high first), then rank (unranked last), then report order.
    candidates.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then_with(|| a.order.cmp(&b.order))
            .then_with(|| a.rule_index.cmp(&b.rule_index))
    });
    let total = candidates.len();
    candidates.truncate(options.max_results);
    let single_repo = rows.len() == 1;
    let results: Vec<Value> = candidates
        .iter()
        .map(|c| result(opened, c, &rules, single_repo))
        .collect();
    let snapshot = &opened.snapshot;
    let mut properties = Map::new();
    properties.insert("provider".into(), json!(snapshot.provider.as_str()));
    properties.insert("org".into(), json!(strip_controls(&snapshot.org)));
    properties.insert(
        "takenAt".into(),
        json!(
            snapshot
                .taken_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    );
    properties.insert("repositories".into(), json!(rows.len()));
    properties.insert("failingVerdicts".into(), json!(total));
    properties.insert("droppedResults".into(), json!(total - results.len()));
    if total > results.len() {
        properties.insert(
            "droppedReason".into(),
            json!(format!(
                "{} of {total} failing verdicts dropped: over the limit of {} results per run; \
                 kept by severity, then rank",
                total - results.len(),
                options.max_results
            )),
        );
    }
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "posture",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": {"id": format!("posture/{}/", strip_controls(&snapshot.org))},
            "results": results,
            "properties": properties,
        }],
    })
}

fn result(opened: &Opened, c: &Candidate<'_>, rules: &[Value], single_repo: bool) -> Value {
    let snapshot = &opened.snapshot;
    let rule = &rules[c.rule_index];
    let rule_id = rule["id"].as_str().unwrap_or("");
    let title = rule["shortDescription"]["text"].as_str().unwrap_or("");
    let verdict = &c.judged.verdict;
    let web = web_base(snapshot);
    let (subject, logical, artifact_uri) = match c.repo.and_then(|r| snapshot.repos.get(r)) {
        Some(repo) => {
            let name = strip_controls(&repo.name).into_owned();
            let logical = json!({"name": strip_controls(repo.short_name()), "fullyQualifiedName": name, "kind": "module"});
            (name.clone(), logical, format!("{web}/{name}"))
        }
        None => {
            let org = strip_controls(&snapshot.org).into_owned();
            let logical = json!({"name": org, "fullyQualifiedName": org, "kind": "namespace"});
            (org.clone(), logical, format!("{web}/{org}"))
        }
    };
    let physical = match (
        &verdict.location,
        c.repo.and_then(|r| snapshot.repos.get(r)),
    ) {
        (Some(loc), Some(repo)) => {
            let path = strip_controls(loc.path.trim_start_matches('/')).into_owned();
            let uri = if single_repo {
                path
            } else {
                let blob = match snapshot.provider {
                    Provider::Github => "blob",
                    Provider::Gitlab => "-/blob",
                };
                format!(
                    "{artifact_uri}/{blob}/{}/{path}",
                    strip_controls(&repo.default_branch)
                )
            };
            json!({"artifactLocation": {"uri": encode_uri(&uri)}, "region": {"startLine": loc.line.max(1)}})
        }
        _ => json!({"artifactLocation": {"uri": encode_uri(&artifact_uri)}}),
    };
    let mut message = format!("{subject}: {title}: {}", strip_controls(&verdict.evidence));
    if let Some(reason) = &verdict.reason {
        message.push_str(&format!(" ({})", strip_controls(reason)));
    }
    let mut properties = Map::new();
    properties.insert("repository".into(), json!(subject));
    properties.insert("rank".into(), json!(c.repo.and(c.rank)));
    properties.insert("severity".into(), json!(c.severity.as_str()));
    let mut out = json!({
        "ruleId": rule_id,
        "ruleIndex": c.rule_index,
        "level": level(c.severity),
        "message": {"text": message},
        "locations": [{"physicalLocation": physical, "logicalLocations": [logical]}],
        "partialFingerprints": {"postureControlRepository/v1": format!("{rule_id}:{subject}")},
    });
    if let Some(w) = &c.judged.waiver {
        properties.insert(
            "waiver".into(),
            json!({"owner": strip_controls(&w.owner), "expires": w.expires.to_string(), "expired": w.expired}),
        );
        if !w.expired {
            out["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!(
                    "waived by {} until {}: {}",
                    strip_controls(&w.owner),
                    w.expires,
                    strip_controls(&w.reason)
                ),
            }]);
        }
    }
    out["properties"] = Value::Object(properties);
    out
}

/// The SARIF log as pretty JSON text with a trailing newline.
pub fn render(opened: &Opened, rows: &[usize], options: &SarifOptions) -> String {
    let value = build(opened, rows, options);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_sanitised_and_percent_encoded() {
        // Regression (issue 11, defect 11): ESC and U+202E reached `artifactLocation.uri`.
        assert_eq!(
            super::encode_uri("https://h/acme/a b/blob/main/x\u{1b}[2J\u{202e}#é%.yml"),
            "https://h/acme/a%20b/blob/main/x%23%C3%A9%25.yml"
        );
        assert_eq!(
            super::encode_uri("https://github.com/acme/api/blob/main/.github/workflows/ci.yml"),
            "https://github.com/acme/api/blob/main/.github/workflows/ci.yml"
        );
    }

    #[test]
    fn names_levels_and_web_bases() {
        assert_eq!(rule_name("branch-protected"), "BranchProtected");
        assert_eq!(rule_name("policy/deploy.slsa-l3"), "PolicyDeploySlsaL3");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
        let mut s = Snapshot::new(
            Provider::Github,
            "acme",
            "https://api.github.com",
            chrono::Utc::now(),
        );
        assert_eq!(web_base(&s), "https://github.com");
        s.api_host = "https://ghe.example.com/api/v3".into();
        assert_eq!(web_base(&s), "https://ghe.example.com");
        s.api_host = "https://gitlab.example.com/api/v4/".into();
        assert_eq!(web_base(&s), "https://gitlab.example.com");
    }
}
