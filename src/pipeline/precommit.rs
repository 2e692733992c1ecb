//! `.pre-commit-config.yaml`: `precommit_secret_hook` (gitleaks, TruffleHog, detect-secrets,
//! ggshield hooks).

use super::collect::Out;
use super::yaml::Doc;
use crate::pipeline::FindingKind;

const SCANNERS: &[&str] = &["gitleaks", "trufflehog", "detect-secrets", "ggshield"];

/// Analyse a pre-commit config into `out`.
pub fn analyse(doc: &Doc, text: &str, out: &mut Out) {
    let mut found = false;
    if let Some(repos) = doc.root().and_then(|r| r.get("repos")) {
        for repo in repos.items() {
            let url = repo.str_of("repo").unwrap_or_default().to_ascii_lowercase();
            for hook in repo.get("hooks").map(|h| h.items()).unwrap_or_default() {
                let id = hook.str_of("id").unwrap_or_default().to_ascii_lowercase();
                let entry = hook
                    .str_of("entry")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if SCANNERS.iter().any(|s| {
                    id.contains(s) || entry.contains(s) || (url.contains(s) && id.is_empty())
                }) {
                    found = true;
                    out.find(
                        FindingKind::PrecommitSecretHook,
                        hook.line(),
                        format!("pre-commit hook {id}"),
                    );
                }
            }
        }
    } else if doc.error.is_some() {
        // Tolerant reading: a hook id line naming a scanner.
        for (i, line) in text.lines().enumerate() {
            let l = line.trim().to_ascii_lowercase();
            if l.trim_start_matches("- ").starts_with("id:")
                && SCANNERS.iter().any(|s| l.contains(s))
            {
                found = true;
                let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
                out.find(FindingKind::PrecommitSecretHook, n, line.trim().to_string());
            }
        }
    }
    out.facts.precommit_secret_hook = Some(found);
}

#[cfg(test)]
mod tests {
    use crate::pipeline::FindingKind;
    use crate::pipeline::analyse;
    use crate::pipeline::facts::FileKind;

    #[test]
    fn secret_hooks() {
        let y = "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.18.0\n    hooks:\n      - id: gitleaks\n";
        let a = analyse(".pre-commit-config.yaml", y, None);
        assert_eq!(a.kind, FileKind::PreCommit);
        assert_eq!(a.facts.precommit_secret_hook, Some(true));
        assert_eq!(a.line_of(FindingKind::PrecommitSecretHook), Some(5));
        let b = analyse(
            ".pre-commit-config.yaml",
            "repos:\n  - repo: https://github.com/psf/black\n    hooks:\n      - id: black\n",
            None,
        );
        assert_eq!(b.facts.precommit_secret_hook, Some(false));
        assert_eq!(b.facts.top_level_permissions, None);
    }
}
