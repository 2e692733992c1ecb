//! Facts that need the files a pipeline calls: local reusable workflows / composite actions
//! (GitHub, `*_via_local_callee`) and local includes (GitLab, `cloud_auth_via_include`).
//! Pure: the caller looks the files up (a sync has the repository tree, the CLI the other
//! files given on its command line).

use super::facts::{Analysis, CloudAuth, FileKind};

/// Candidate repository paths for a callee reference (`dir` → `dir/action.yml|yaml`).
pub fn candidate_paths(callee: &str) -> Vec<String> {
    let c = callee
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    let c = c.split('@').next().unwrap_or(c).trim_end_matches('/');
    if c.ends_with(".yml") || c.ends_with(".yaml") {
        vec![c.to_string()]
    } else {
        vec![format!("{c}/action.yml"), format!("{c}/action.yaml")]
    }
}

/// Fill the `*_via_*` facts of `analysis` from its callees. `lookup` receives a repository
/// path (see [`candidate_paths`]) and returns the callee's analysis when available. A fact is
/// set when some resolved callee is positive, or when every callee was resolved; otherwise it
/// stays `None` (cannot be decided).
pub fn resolve_local_callees<'a>(
    analysis: &mut Analysis,
    lookup: impl Fn(&str) -> Option<&'a Analysis>,
) {
    let callees = analysis.facts.local_callees.clone();
    if callees.is_empty() {
        return;
    }
    let mut auth: Vec<CloudAuth> = Vec::new();
    let (mut scanner, mut provenance, mut all_resolved) = (false, false, true);
    for callee in &callees {
        let found = candidate_paths(callee).iter().find_map(|p| lookup(p));
        let Some(a) = found else {
            all_resolved = false;
            continue;
        };
        let f = &a.facts;
        let nested = f
            .cloud_auth_via_local_callee
            .iter()
            .chain(f.cloud_auth_via_include.iter())
            .flatten();
        for entry in f.cloud_auth.iter().chain(nested) {
            if !auth.contains(entry) {
                auth.push(*entry);
            }
        }
        scanner |= f.secret_scanner || f.secret_scanner_via_local_callee == Some(true);
        provenance |= f.provenance == Some(true) || f.provenance_via_local_callee == Some(true);
    }
    auth.sort();
    let decide = |positive: bool| (positive || all_resolved).then_some(positive);
    let auth = (!auth.is_empty() || all_resolved).then_some(auth);
    let f = &mut analysis.facts;
    match analysis.kind {
        FileKind::GitlabCi => f.cloud_auth_via_include = auth,
        _ => {
            f.cloud_auth_via_local_callee = auth;
            f.secret_scanner_via_local_callee = decide(scanner);
            f.provenance_via_local_callee = decide(provenance);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyse;

    #[test]
    fn resolves_reusable_workflow_and_composite_action() {
        let mut caller = analyse(
            ".github/workflows/main.yml",
            "on: push\njobs:\n  a:\n    uses: ./.github/workflows/scan.yml\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/deploy\n",
            None,
        );
        assert_eq!(
            caller.facts.local_callees,
            vec![".github/workflows/scan.yml", ".github/actions/deploy"]
        );
        let scan = analyse(
            ".github/workflows/scan.yml",
            "on: workflow_call\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: gitleaks/gitleaks-action@v2\n",
            None,
        );
        let deploy = analyse(
            ".github/actions/deploy/action.yml",
            "runs:\n  using: composite\n  steps:\n    - uses: aws-actions/configure-aws-credentials@v4\n      with:\n        role-to-assume: arn:x\n",
            None,
        );
        resolve_local_callees(&mut caller, |p| match p {
            ".github/workflows/scan.yml" => Some(&scan),
            ".github/actions/deploy/action.yml" => Some(&deploy),
            _ => None,
        });
        assert_eq!(caller.facts.secret_scanner_via_local_callee, Some(true));
        assert_eq!(caller.facts.provenance_via_local_callee, Some(false));
        assert_eq!(
            caller.facts.cloud_auth_via_local_callee.map(|v| v.len()),
            Some(1)
        );
    }

    #[test]
    fn unresolved_callee_leaves_negative_facts_undecided() {
        let mut caller = analyse(
            ".gitlab-ci.yml",
            "include: common.yml\njob:\n  extends: .x\n",
            None,
        );
        resolve_local_callees(&mut caller, |_| None);
        assert_eq!(caller.facts.cloud_auth_via_include, None);
    }
}
