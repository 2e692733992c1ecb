//! `unpinned_third_party_actions`: `uses:` occurrences (steps and reusable-workflow calls)
//! of third-party actions not pinned to a full commit SHA.

use crate::pipeline::FindingKind;
use std::sync::LazyLock;

use regex::Regex;

use super::{ActionRef, Workflow};
use crate::pipeline::collect::Out;
use crate::pipeline::text::is_full_sha;

/// Is this reference third-party and not pinned? First-party: local paths, `actions/*`,
/// `github/*` and the repository itself. `docker://` counts unless pinned by digest.
pub fn is_unpinned_third_party(r: &ActionRef<'_>, repo: Option<&str>) -> bool {
    if r.local {
        return false;
    }
    if r.docker {
        return !r.raw.contains("@sha256:");
    }
    let owner = r.repo.split('/').next().unwrap_or_default();
    if owner == "actions" || owner == "github" {
        return false;
    }
    if repo.is_some_and(|own| own.eq_ignore_ascii_case(&r.repo)) {
        return false;
    }
    !is_full_sha(r.git_ref)
}

/// Count over the parsed workflow.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let mut count = 0u32;
    let refs = wf
        .jobs
        .iter()
        .filter_map(|j| j.uses.as_ref())
        .chain(wf.steps.iter().filter_map(|s| s.uses.as_ref()));
    let mut found = Vec::new();
    for (r, line) in refs {
        if is_unpinned_third_party(r, wf.repo) {
            count += 1;
            found.push((
                *line,
                format!("{} is not pinned to a commit SHA", r.raw.trim()),
            ));
        }
    }
    for (line, detail) in found {
        out.find(FindingKind::UnpinnedThirdPartyActions, line, detail);
    }
    out.facts.unpinned_third_party_actions = Some(count);
}

static USES_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r#"^\s*(?:-\s+)?uses:\s*['"]?([^'"\s#]+)"#).expect("valid built-in regex")
});

/// Tolerant reading for files that do not parse: count `uses:` lines (comments ignored).
pub fn line_scan(text: &str, repo: Option<&str>, out: &mut Out) {
    let mut count = 0u32;
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = USES_LINE.captures(line)
            && let Some(m) = c.get(1)
        {
            let r = ActionRef::parse(m.as_str(), repo);
            if is_unpinned_third_party(&r, repo) {
                count += 1;
                let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                out.find(
                    FindingKind::UnpinnedThirdPartyActions,
                    line_no,
                    format!("{} is not pinned to a commit SHA", m.as_str()),
                );
            }
        }
    }
    out.facts.unpinned_third_party_actions = Some(count);
    // Whatever the partial tree missed after the error: id-token and top-level permissions.
    for (i, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or_default();
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if code.trim_start().starts_with("id-token:")
            && code.trim_end().ends_with("write")
            && !out.facts.uses_id_token_write
        {
            out.facts.uses_id_token_write = true;
            out.find(
                FindingKind::UsesIdTokenWrite,
                line_no,
                "id-token: write (line scan)",
            );
        }
        if code.starts_with("permissions:") && out.facts.top_level_permissions == Some(false) {
            out.facts.top_level_permissions = Some(true);
            out.find(
                FindingKind::TopLevelPermissions,
                line_no,
                "top-level permissions: (line scan)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{gh, gh_in};
    use crate::pipeline::FindingKind;

    const SHA: &str = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab";

    #[test]
    fn counts_occurrences_of_third_party_tags() {
        let y = format!(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions-rs/toolchain@v1\n      - uses: actions-rs/toolchain@v1\n      - uses: foo/bar@{SHA} # master\n      # - uses: evil/x@v1\n      - uses: ./local\n      - uses: docker://alpine:3\n      - uses: docker://alpine@sha256:abc\n  b:\n    uses: org/wf/.github/workflows/x.yml@v1\n"
        );
        let a = gh(&y);
        assert_eq!(a.facts.unpinned_third_party_actions, Some(4));
        assert_eq!(a.line_of(FindingKind::UnpinnedThirdPartyActions), Some(7));
    }

    #[test]
    fn own_repository_is_not_third_party() {
        let y = "on: push\njobs:\n  a:\n    uses: Slsa/Gen/.github/workflows/b.yml@main\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: azure/login@v1\n";
        assert_eq!(
            gh_in(y, "slsa/gen").facts.unpinned_third_party_actions,
            Some(1)
        );
        assert_eq!(
            gh_in(y, "Azure/login").facts.unpinned_third_party_actions,
            Some(1)
        );
        assert_eq!(gh(y).facts.unpinned_third_party_actions, Some(2));
    }

    #[test]
    fn unparseable_file_falls_back_to_lines() {
        let y = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: foo/bar@v1\n      - run: \"unterminated\n      - uses: foo/baz@v1\npermissions:\n  id-token: write\n";
        let a = gh(y);
        assert!(
            a.error.as_deref().is_some_and(|e| e.starts_with("7:")),
            "{:?}",
            a.error
        );
        assert_eq!(a.facts.unpinned_third_party_actions, Some(2));
        assert!(a.facts.uses_id_token_write);
        assert_eq!(a.facts.top_level_permissions, Some(true));
    }
}
