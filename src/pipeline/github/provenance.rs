//! `provenance` (signed provenance/attestations for what the file publishes) and `publishes`.

use super::{Step, Workflow};
use crate::pipeline::FindingKind;
use crate::pipeline::collect::Out;
use crate::pipeline::text::{cosign_keyless, npm_publish, publish_command};
use crate::pipeline::yaml::Node;

const ATTESTING_ACTIONS: &[&str] = &[
    "actions/attest-build-provenance",
    "actions/attest",
    "actions/attest-sbom",
    "slsa-framework/slsa-github-generator",
    "sigstore/gh-action-sigstore-python",
    "astral-sh/attest-action",
];

const PUBLISHING_ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "goreleaser/goreleaser-action",
    "marvinpinto/action-automatic-releases",
    "js-devtools/npm-publish",
    "jreleaser/release-action",
    "marcoieni/release-plz-action",
    "release-plz/action",
    "katyo/publish-crates",
    "changesets/action",
];

fn grants_id_token(perms: Option<Node<'_>>) -> bool {
    perms.is_some_and(|p| {
        p.as_str().map(str::trim) == Some("write-all")
            || p.str_of("id-token").map(str::trim) == Some("write")
    })
}

fn job_id_token(wf: &Workflow<'_>, index: usize) -> bool {
    let job_perms = wf.jobs.get(index).and_then(|j| j.node.get("permissions"));
    match job_perms {
        Some(_) => grants_id_token(job_perms),
        None => grants_id_token(wf.root.get("permissions")),
    }
}

fn uses_is(step: &Step<'_>, names: &[&str]) -> bool {
    step.uses
        .as_ref()
        .is_some_and(|(r, _)| names.iter().any(|n| r.is(n)))
}

fn publish_step(step: &Step<'_>, out: &mut Out) {
    if let Some((r, line)) = &step.uses {
        let push = r.is("docker/build-push-action")
            && step
                .input("push")
                .is_some_and(|p| !p.trim().eq_ignore_ascii_case("false"));
        if push || PUBLISHING_ACTIONS.iter().any(|a| r.is(a)) {
            out.publish(*line, &format!("{} publishes", r.raw.trim()));
        }
    }
    if let Some((script, line)) = &step.run
        && let Some(cmd) = publish_command(script)
    {
        out.publish(*line, &format!("`{cmd}` publishes"));
    }
}

/// Record `provenance` and `publishes`.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let mut found = false;
    let mut keyless = Vec::new();
    for job in &wf.jobs {
        if let Some((r, line)) = &job.uses
            && r.is("slsa-framework/slsa-github-generator")
        {
            found = true;
            out.find(
                FindingKind::Provenance,
                *line,
                format!("SLSA generator {}", r.raw.trim()),
            );
        }
    }
    for step in &wf.steps {
        publish_step(step, out);
        if let Some((r, line)) = &step.uses
            && ATTESTING_ACTIONS.iter().any(|a| r.is(a))
        {
            found = true;
            out.find(
                FindingKind::Provenance,
                *line,
                format!("attestation by {}", r.raw.trim()),
            );
        }
        if let Some((script, line)) = &step.run {
            if cosign_keyless(script) {
                keyless.push(*line);
            }
            let id_token = wf.composite || job_id_token(wf, step.job);
            if npm_publish(script) && (script.contains("--provenance") || id_token) {
                found = true;
                out.find(
                    FindingKind::Provenance,
                    *line,
                    "npm publish with provenance (OIDC)",
                );
            }
        }
    }
    // Keyless signing counts for something the file publishes (not test-only signing).
    if out.facts.publishes {
        for line in keyless {
            found = true;
            out.find(FindingKind::Provenance, line, "keyless cosign signing");
        }
    }
    // goreleaser signing keylessly with cosign (configured in .goreleaser.yml).
    for (index, _) in wf.jobs.iter().enumerate() {
        let steps: Vec<&Step<'_>> = wf.job_steps(index).collect();
        let goreleaser = steps
            .iter()
            .find(|s| uses_is(s, &["goreleaser/goreleaser-action"]));
        let cosign = steps
            .iter()
            .any(|s| uses_is(s, &["sigstore/cosign-installer"]));
        if let Some(g) = goreleaser
            && cosign
            && job_id_token(wf, index)
        {
            found = true;
            out.find(
                FindingKind::Provenance,
                g.line(),
                "goreleaser with keyless cosign",
            );
        }
    }
    out.facts.provenance = Some(found);
}

#[cfg(test)]
mod tests {
    use super::super::test_util::gh;
    use crate::pipeline::FindingKind;

    fn job(steps: &str, perms: &str) -> String {
        format!("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n{perms}    steps:\n{steps}")
    }

    #[test]
    fn attest_and_slsa() {
        let a = gh(&job(
            "      - uses: actions/attest-build-provenance@v2\n",
            "",
        ));
        assert_eq!(a.facts.provenance, Some(true));
        assert_eq!(a.line_of(FindingKind::Provenance), Some(6));
        let b = gh(
            "on: push\njobs:\n  p:\n    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0\n",
        );
        assert_eq!(b.facts.provenance, Some(true));
    }

    #[test]
    fn key_based_and_commented_are_not_provenance() {
        let a = gh(&job(
            "      - run: cosign sign --key k.key img\n      # - uses: actions/attest@v1\n",
            "",
        ));
        assert_eq!(a.facts.provenance, Some(false));
        let b = gh(&job(
            "      - uses: sigstore/cosign-installer@v3\n      - run: make sign\n",
            "    permissions:\n      id-token: write\n",
        ));
        assert_eq!(b.facts.provenance, Some(false));
    }

    #[test]
    fn keyless_cosign_counts_only_with_a_publish() {
        let a = gh(&job(
            "      - run: docker push img\n      - run: cosign sign --yes img@sha256:x\n",
            "",
        ));
        assert_eq!(a.facts.provenance, Some(true));
        assert_eq!(a.line_of(FindingKind::Provenance), Some(7));
        let b = gh(&job(
            "      - run: cosign sign --yes localhost:5000/test\n",
            "",
        ));
        assert_eq!(b.facts.provenance, Some(false));
    }

    #[test]
    fn npm_with_oidc_and_publishes() {
        let a = gh(&job(
            "      - run: npx semantic-release\n",
            "    permissions:\n      id-token: write\n",
        ));
        assert_eq!(a.facts.provenance, Some(true));
        assert!(a.facts.publishes);
        let b = gh(&job(
            "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n",
            "",
        ));
        assert!(b.facts.publishes);
        assert_eq!(b.facts.provenance, Some(false));
        let c = gh(&job(
            "      - uses: docker/build-push-action@v6\n        with:\n          push: false\n",
            "",
        ));
        assert!(!c.facts.publishes);
    }
}
