//! `secret_scanner`: a job scans the repository for secrets (gitleaks, TruffleHog, ggshield,
//! detect-secrets — as an action, a CLI, or the scanner repository dog-fooding itself).

use super::Workflow;
use crate::pipeline::FindingKind;
use crate::pipeline::collect::Out;
use crate::pipeline::text::runs_secret_scanner;

const SCANNER_ACTIONS: &[&str] = &[
    "gitleaks/gitleaks-action",
    "zricethezav/gitleaks-action",
    "gitleaks/gitleaks",
    "trufflesecurity/trufflehog",
    "trufflesecurity/trufflehog-actions-scan",
    "gitguardian/ggshield",
    "gitguardian/ggshield-action",
    "yelp/detect-secrets",
    "reviewdog/action-detect-secrets",
];

/// Record `secret_scanner`.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let mut found = false;
    for step in &wf.steps {
        if let Some((r, line)) = &step.uses
            && SCANNER_ACTIONS.iter().any(|a| r.is(a))
        {
            found = true;
            out.find(
                FindingKind::SecretScanner,
                *line,
                format!("secret scanner {}", r.raw.trim()),
            );
        }
        if let Some((script, line)) = &step.run
            && runs_secret_scanner(script)
        {
            found = true;
            out.find(
                FindingKind::SecretScanner,
                *line,
                "secret scanner CLI in run:",
            );
        }
    }
    out.facts.secret_scanner = found;
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{gh, gh_in};

    fn steps(s: &str) -> String {
        format!("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n{s}")
    }

    #[test]
    fn actions_cli_and_dogfood() {
        assert!(
            gh(&steps("      - uses: trufflesecurity/trufflehog@v3\n"))
                .facts
                .secret_scanner
        );
        assert!(
            gh(&steps(
                "      - uses: GitGuardian/ggshield/actions/secret@v1\n"
            ))
            .facts
            .secret_scanner
        );
        assert!(
            gh(&steps("      - run: gitleaks detect --source .\n"))
                .facts
                .secret_scanner
        );
        assert!(
            gh_in(&steps("      - uses: ./\n"), "trufflesecurity/trufflehog")
                .facts
                .secret_scanner
        );
        assert!(!gh(&steps("      - uses: ./\n")).facts.secret_scanner);
    }

    #[test]
    fn building_the_scanner_is_not_scanning() {
        let a = gh(&steps(
            "      - run: |\n          # gitleaks detect\n          go build -o /tmp/trufflehog .\n          docker build -t zricethezav/gitleaks .\n",
        ));
        assert!(!a.facts.secret_scanner);
    }
}
