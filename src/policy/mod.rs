//! Rego policies (`--policy DIR`, and `policies/` in the config dir): each package with a
//! `deny` (or `violation`) set becomes a repository control `policy/<package>` of band
//! `policy`, judged over the input document of [`input`] — the document
//! `posture report --format opa-input` writes.
//!
//! Policies are compiled once ([`PolicySet`]) and registered into the controls judged
//! (`crate::assess::Registry`); [`apply`], called by `crate::assess::assess` only, evaluates
//! them per repository and appends their controls and verdicts to the [`Assessment`], aligned
//! like the built-in ones.

mod engine;
mod error;
pub mod input;
mod limits;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use engine::{Policy, PolicySet, rego_files};
pub use error::PolicyError;

use crate::assess::Assessment;
use crate::controls::Verdict;
use crate::model::Snapshot;

/// The policy directory inside the config dir.
pub const CONFIG_POLICY_DIR: &str = "policies";

/// Which policy directory applies: `--policy DIR` when given, else `policies/` in the config
/// dir when it exists, else none.
pub fn policy_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    let dir = crate::config::config_dir()?.join(CONFIG_POLICY_DIR);
    dir.is_dir().then_some(dir)
}

/// Load the policies that apply (see [`policy_dir`]); `None` when there are none. A config-dir
/// `policies/` without `.rego` files is no policies; an explicit empty `--policy DIR` is an error.
pub fn load(explicit: Option<&Path>) -> Result<Option<PolicySet>, PolicyError> {
    let Some(dir) = policy_dir(explicit) else {
        return Ok(None);
    };
    if explicit.is_none() && rego_files(&dir)?.is_empty() {
        return Ok(None);
    }
    let set = PolicySet::load_dir(&dir)?;
    Ok((!set.is_empty()).then_some(set))
}

/// Evaluate `set` on every repository of `snapshot` and append the policy controls to
/// `assessment.catalog.repo` and their verdicts to every `assessment.repos[i]`, aligned.
/// A control already in the catalog (policies applied twice) has its verdicts replaced.
/// Archived repositories are `not_applicable`, like for every built-in control.
pub fn apply(
    set: &mut PolicySet,
    snapshot: &Snapshot,
    assessment: &mut Assessment,
) -> Result<(), PolicyError> {
    if set.is_empty() {
        return Ok(());
    }
    let shared = input::shared(snapshot, assessment);
    let org = regorus::Value::from(shared.org.clone());
    let header = regorus::Value::from(shared.snapshot.clone());
    // Each stored file converted once; repositories share them (cheap reference clones).
    let files: HashMap<&str, regorus::Value> = shared
        .files
        .iter()
        .map(|(hash, doc)| (hash.as_str(), regorus::Value::from(doc.clone())))
        .collect();
    let missing = regorus::Value::from(input::missing_file());
    let key = |k: &str| regorus::Value::from(k);
    let mut results: Vec<Vec<Verdict>> = Vec::with_capacity(snapshot.repos.len());
    for (index, repo) in snapshot.repos.iter().enumerate() {
        if repo.archived {
            results.push(
                set.policies()
                    .iter()
                    .map(|_| Verdict::not_applicable("archived repository"))
                    .collect(),
            );
            continue;
        }
        let part = input::repo_part(snapshot, assessment, &shared, index, false);
        let pipelines: Vec<regorus::Value> = repo
            .pipelines
            .known()
            .map(|refs| {
                refs.iter()
                    .map(|f| {
                        let mut doc = files.get(f.hash.as_str()).unwrap_or(&missing).clone();
                        if let Ok(obj) = doc.as_object_mut() {
                            obj.insert(key("path"), regorus::Value::from(f.path.as_str()));
                        }
                        doc
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut doc = regorus::Value::from(serde_json::Value::Object(part));
        let Ok(obj) = doc.as_object_mut() else {
            // Never judge a document that could not be built: that would pass by silence.
            results.push(
                set.policies()
                    .iter()
                    .map(|_| {
                        Verdict::unknown(
                            "policy input not built",
                            "the repository's facts could not be converted for Rego",
                        )
                    })
                    .collect(),
            );
            continue;
        };
        obj.insert(key("snapshot"), header.clone());
        obj.insert(key("org"), org.clone());
        obj.insert(key("pipelines"), regorus::Value::from(pipelines));
        results.push(set.evaluate(doc)?);
    }
    // Align: the catalog index of each policy control, appending new ones.
    let mut slots = Vec::with_capacity(set.policies().len());
    for policy in set.policies() {
        let slot = match assessment.catalog.repo_index(&policy.control.id) {
            Some(i) => {
                assessment.catalog.repo[i] = policy.control.clone();
                i
            }
            None => {
                assessment.catalog.repo.push(policy.control.clone());
                assessment.catalog.repo.len() - 1
            }
        };
        slots.push(slot);
    }
    let width = assessment.catalog.repo.len();
    assessment.repos.resize_with(snapshot.repos.len(), Vec::new);
    for (verdicts, new) in assessment.repos.iter_mut().zip(results) {
        if verdicts.len() < width {
            verdicts.resize_with(width, || {
                Verdict::unknown("not judged", "control added after judging")
            });
        }
        for (slot, verdict) in slots.iter().zip(new) {
            verdicts[*slot] = verdict;
        }
    }
    Ok(())
}
