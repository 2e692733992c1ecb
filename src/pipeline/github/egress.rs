//! `egress_block`, `egress_block_all_jobs`, `egress_audit_only`: step-security/harden-runner
//! and its `egress-policy` (an `allowed-endpoints` list in audit mode is not enforcement).

use super::{Step, Workflow};
use crate::pipeline::FindingKind;
use crate::pipeline::collect::Out;

fn is_harden_runner(step: &Step<'_>) -> bool {
    step.uses
        .as_ref()
        .is_some_and(|(r, _)| r.is("step-security/harden-runner"))
}

fn blocks(step: &Step<'_>) -> bool {
    is_harden_runner(step)
        && step
            .input("egress-policy")
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("block"))
}

/// Job `index` runs harden-runner with `egress-policy: block`.
pub fn job_blocks(wf: &Workflow<'_>, index: usize) -> bool {
    wf.job_steps(index).any(blocks)
}

/// Record the egress facts.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let mut any_hr = false;
    let mut any_block = false;
    let mut all_block = true;
    let mut jobs_with_steps = 0;
    for (index, job) in wf.jobs.iter().enumerate() {
        if job.uses.is_some() {
            continue;
        }
        jobs_with_steps += 1;
        let mut job_block = false;
        for step in wf.job_steps(index) {
            if is_harden_runner(step) {
                any_hr = true;
                if blocks(step) {
                    job_block = true;
                    out.find(
                        FindingKind::EgressBlock,
                        step.input_line("egress-policy"),
                        format!("job {}: harden-runner egress-policy: block", job.id),
                    );
                } else {
                    out.find(
                        FindingKind::EgressAuditOnly,
                        step.line(),
                        format!("job {}: harden-runner without egress-policy: block", job.id),
                    );
                }
            }
        }
        any_block |= job_block;
        all_block &= job_block;
    }
    out.facts.egress_block = Some(any_block);
    out.facts.egress_block_all_jobs = Some(any_block && all_block && jobs_with_steps > 0);
    out.facts.egress_audit_only = Some(any_hr && !any_block);
}

#[cfg(test)]
mod tests {
    use super::super::test_util::gh;
    use crate::pipeline::FindingKind;

    const HR: &str = "step-security/harden-runner@v2";

    #[test]
    fn block_in_every_job() {
        let y = format!(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: {HR}\n        with:\n          egress-policy: block\n"
        );
        let a = gh(&y);
        assert_eq!(a.facts.egress_block, Some(true));
        assert_eq!(a.facts.egress_block_all_jobs, Some(true));
        assert_eq!(a.facts.egress_audit_only, Some(false));
        assert_eq!(a.line_of(FindingKind::EgressBlock), Some(8));
    }

    #[test]
    fn audit_with_allowlist_and_commented_block() {
        let y = format!(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: {HR}\n        with:\n          egress-policy: audit # TODO: change to 'egress-policy: block'\n          allowed-endpoints: >\n            github.com:443\n"
        );
        let a = gh(&y);
        assert_eq!(a.facts.egress_block, Some(false));
        assert_eq!(a.facts.egress_audit_only, Some(true));
    }

    #[test]
    fn one_job_without() {
        let y = format!(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: {HR}\n        with:\n          egress-policy: block\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
        );
        let a = gh(&y);
        assert_eq!(a.facts.egress_block, Some(true));
        assert_eq!(a.facts.egress_block_all_jobs, Some(false));
    }
}
