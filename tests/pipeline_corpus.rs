//! Agreement of the pipeline analyser with the hand labels of the public corpus
//! (`../shared/corpus/pipelines/labels.json`), measured as `spec/cli.md` says: per fact, over
//! the files whose label has that fact; lists compared as sets; `cloud_auth*` as sets of
//! {provider, method}; facts a label omits are not scored.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use posture::pipeline::{
    Analysis, FindingKind, analyse_in_repo, candidate_paths, resolve_local_callees,
};
use serde_json::Value;

mod support;

use support::prerequisite;

/// Minimum agreement per fact.
const THRESHOLD: f64 = 95.0;

/// The agreement reached so far, per fact: `(fact, files scored, files agreed)`. A run that
/// scores fewer files or agrees on fewer fails, so a regression cannot hide under the 95%
/// threshold; raise a row when the analyser improves.
/// Locked on 2026-12-02 from the first run over the 51 labelled files. The two
/// `cloud_auth_via_include` files include `common.yml` from another project that is not in
/// the corpus, so 0/2 there is undecidable, not a disagreement.
const LOCKED_AGREEMENT: &[(&str, u32, u32)] = &[
    ("(kind)", 51, 51),
    ("cloud_auth", 50, 50),
    ("cloud_auth_via_include", 2, 0),
    ("cloud_auth_via_local_callee", 2, 2),
    ("duplicate_merge_keys", 1, 1),
    ("egress_audit_only", 40, 40),
    ("egress_block", 40, 40),
    ("egress_block_all_jobs", 40, 40),
    ("includes", 10, 10),
    ("is_reusable_workflow", 4, 4),
    ("provenance", 51, 51),
    ("provenance_via_local_callee", 1, 1),
    ("runner_tags", 2, 2),
    ("secret_scanner", 51, 51),
    ("secret_scanner_via_local_callee", 1, 1),
    ("self_hosted_jobs", 40, 40),
    ("static_key_secret_names", 51, 51),
    ("top_level_permissions", 40, 40),
    ("unpinned_third_party_actions", 41, 41),
    ("uses_extends", 10, 10),
    ("uses_id_token_write", 50, 50),
    ("uses_reference_tags", 3, 3),
    ("uses_yaml_anchors", 10, 10),
    ("workflow_or_job_env_secrets", 40, 40),
    ("yaml_valid", 10, 10),
];

fn normalise(fact: &str, v: &Value) -> Value {
    match v {
        Value::Array(items) if fact.starts_with("cloud_auth") => {
            let set: BTreeSet<String> = items
                .iter()
                .map(|i| {
                    format!(
                        "{}/{}",
                        i["provider"].as_str().unwrap_or("?"),
                        i["method"].as_str().unwrap_or("?")
                    )
                })
                .collect();
            Value::from(set.into_iter().collect::<Vec<_>>())
        }
        Value::Array(items) => {
            let set: BTreeSet<String> = items.iter().map(|i| i.to_string()).collect();
            Value::from(set.into_iter().collect::<Vec<_>>())
        }
        other => other.clone(),
    }
}

#[test]
fn corpus_agreement() {
    let dir = prerequisite::shared_path("corpus/pipelines");
    let Some(labels_text) = prerequisite::read_shared("corpus/pipelines/labels.json") else {
        return;
    };
    let labels: Vec<Value> = serde_json::from_str(&labels_text).expect("labels.json parses");
    assert!(!labels.is_empty(), "labels.json has records");

    // Analyse every labelled file as part of its repository, at its repository path.
    let mut analyses: Vec<Analysis> = Vec::new();
    let mut by_location: HashMap<(String, String), usize> = HashMap::new();
    for (i, label) in labels.iter().enumerate() {
        let file = label["file"].as_str().expect("file");
        let repo = label["source"].as_str().expect("source");
        let path = label["path"].as_str().expect("path");
        let text = std::fs::read_to_string(dir.join(file)).expect("corpus file readable");
        analyses.push(analyse_in_repo(path, &text, None, Some(repo)));
        by_location.insert((repo.to_ascii_lowercase(), path.to_string()), i);
    }
    // Resolve local callees among the files of the same repository.
    let resolved: Vec<Analysis> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let repo = label["source"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let mut a = analyses[i].clone();
            resolve_local_callees(&mut a, |p| {
                by_location
                    .get(&(repo.clone(), p.to_string()))
                    .map(|j| &analyses[*j])
            });
            a
        })
        .collect();

    let mut table: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    // `*_via_*` facts whose callee is not in the public corpus cannot be computed here.
    let mut undecidable: BTreeMap<String, u32> = BTreeMap::new();
    for (label, analysis) in labels.iter().zip(&resolved) {
        let file = label["file"].as_str().unwrap_or_default();
        let repo = label["source"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // A callee is absent when none of its candidate paths is a corpus file of this repo.
        let absent_callees: Vec<&String> = analysis
            .facts
            .local_callees
            .iter()
            .filter(|callee| {
                candidate_paths(callee)
                    .iter()
                    .all(|p| !by_location.contains_key(&(repo.clone(), p.clone())))
            })
            .collect();
        assert_findings_cite_positive_facts(file, analysis);
        let kind_ok = analysis.kind.as_str() == label["kind"].as_str().unwrap_or_default();
        let row = table.entry("(kind)".to_string()).or_default();
        row.0 += 1;
        row.1 += u32::from(kind_ok);
        if !kind_ok {
            disagreements.push(format!(
                "{file}  (kind)  expected {}  got {}",
                label["kind"],
                analysis.kind.as_str()
            ));
        }
        let got = serde_json::to_value(&analysis.facts).expect("facts serialise");
        let Some(facts) = label["facts"].as_object() else {
            continue;
        };
        for (fact, expected) in facts {
            let expected = normalise(fact, expected);
            let actual = normalise(fact, got.get(fact).unwrap_or(&Value::Null));
            let row = table.entry(fact.clone()).or_default();
            row.0 += 1;
            if expected == actual {
                row.1 += 1;
            } else {
                // Undecidable only when the analyser declined (null) *and* a callee really is
                // missing from the corpus; a null with every callee present is a resolver bug.
                let missing_callee =
                    fact.contains("_via_") && actual.is_null() && !absent_callees.is_empty();
                if missing_callee {
                    *undecidable.entry(fact.clone()).or_default() += 1;
                }
                let why = if missing_callee {
                    format!("  (callee {absent_callees:?} not in the corpus: undecidable)")
                } else {
                    String::new()
                };
                disagreements.push(format!(
                    "{file}  {fact}  expected {expected}  got {actual}{why}"
                ));
            }
        }
    }

    println!(
        "\n{:<36} {:>6} {:>7} {:>7}",
        "fact", "scored", "agreed", "%"
    );
    let mut below = Vec::new();
    let mut dropped = Vec::new();
    for (fact, (scored, agreed)) in &table {
        match LOCKED_AGREEMENT.iter().find(|(name, _, _)| name == fact) {
            Some((_, locked_scored, locked_agreed)) => {
                if scored < locked_scored || agreed < locked_agreed {
                    dropped.push(format!(
                        "{fact}: {agreed}/{scored} agreed, locked at {locked_agreed}/{locked_scored}"
                    ));
                }
            }
            None => dropped.push(format!(
                "{fact}: not in LOCKED_AGREEMENT ({agreed}/{scored})"
            )),
        }
        let pct = 100.0 * f64::from(*agreed) / f64::from(*scored);
        println!("{fact:<36} {scored:>6} {agreed:>7} {pct:>6.1}%");
        // A fact is held to the threshold over the files where it can be computed at all.
        let decidable = scored - undecidable.get(fact).copied().unwrap_or(0);
        let decidable_pct = if decidable == 0 {
            100.0
        } else {
            100.0 * f64::from(*agreed) / f64::from(decidable)
        };
        if decidable_pct < THRESHOLD {
            below.push(format!("{fact} {pct:.1}%"));
        }
    }
    println!("\n{} disagreement(s):", disagreements.len());
    for d in &disagreements {
        println!("  {d}");
    }
    for (fact, _, _) in LOCKED_AGREEMENT {
        if !table.contains_key(*fact) {
            dropped.push(format!("{fact}: locked but no longer scored"));
        }
    }
    assert!(below.is_empty(), "facts below {THRESHOLD}%: {below:?}");
    assert!(
        dropped.is_empty(),
        "agreement dropped below what was reached (raise LOCKED_AGREEMENT when it improves): {dropped:#?}"
    );
}

/// Every positive fact must carry a finding with a line (the controls cite `path:line`).
fn assert_findings_cite_positive_facts(file: &str, a: &Analysis) {
    let f = &a.facts;
    let positive = [
        (FindingKind::CloudAuth, !f.cloud_auth.is_empty()),
        (
            FindingKind::StaticKeySecretNames,
            !f.static_key_secret_names.is_empty(),
        ),
        (FindingKind::UsesIdTokenWrite, f.uses_id_token_write),
        (FindingKind::SecretScanner, f.secret_scanner),
        (
            FindingKind::WorkflowOrJobEnvSecrets,
            f.workflow_or_job_env_secrets == Some(true),
        ),
        (
            FindingKind::UnpinnedThirdPartyActions,
            f.unpinned_third_party_actions.unwrap_or(0) > 0,
        ),
        (FindingKind::Provenance, f.provenance == Some(true)),
        (FindingKind::EgressBlock, f.egress_block == Some(true)),
        (
            FindingKind::SelfHostedJobs,
            !f.self_hosted.is_empty() && f.self_hosted_jobs.is_some(),
        ),
        (FindingKind::Publishes, f.publishes),
    ];
    // Each cloud login the facts list is cited by a typed finding of that provider and method.
    for auth in &f.cloud_auth {
        assert!(
            a.findings
                .iter()
                .any(|x| x.fact == FindingKind::CloudAuth && x.auth == Some(*auth)),
            "{file}: {auth:?} has no typed cloud_auth finding"
        );
    }
    for (fact, is_positive) in positive {
        if is_positive {
            let line = a.line_of(fact);
            assert!(
                line.is_some_and(|l| l > 0),
                "{file}: {fact} is positive but has no finding"
            );
        }
    }
}

/// Truncated or corrupted real files never panic, and parse errors carry `line:col: message`.
#[test]
fn corrupted_corpus_files_never_panic() {
    let dir = prerequisite::shared_path("corpus/pipelines");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        prerequisite::missing(&dir.display().to_string());
        return;
    };
    let mut errors = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.to_string_lossy().to_string();
        if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let cuts = [text.len() / 3, text.len() / 2, text.len() * 4 / 5];
        for cut in cuts {
            let cut = (0..=cut)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            let variants = [
                text[..cut].to_string(),
                format!("{}\"\n{}", &text[..cut], &text[cut..]),
                text[..cut].replace("  ", "\t"),
            ];
            for v in variants {
                let a = posture::pipeline::analyse(&name, &v, None);
                if let Some(err) = &a.error {
                    errors += 1;
                    let mut parts = err.splitn(3, ':');
                    let line = parts.next().and_then(|l| l.parse::<u32>().ok());
                    let col = parts.next().and_then(|c| c.trim().parse::<u32>().ok());
                    assert!(
                        line.is_some_and(|l| l >= 1) && col.is_some_and(|c| c >= 1),
                        "{name}: {err}"
                    );
                }
            }
        }
    }
    assert!(errors > 0, "corruption produced parse errors");
}
