//! `workflow_or_job_env_secrets`, `secret_names` and `environments`.

use super::Workflow;
use crate::pipeline::FindingKind;
use crate::pipeline::collect::Out;
use crate::pipeline::text::{has_secret_ref, secret_refs};
use crate::pipeline::yaml::Node;

/// Entries of an `env:` mapping whose value references `secrets.*`.
fn secret_entries<'a>(env: Node<'a>) -> Vec<(&'a str, u32)> {
    if let Some(s) = env.as_str() {
        // `env: ${{ fromJSON(secrets.X) }}`
        return if has_secret_ref(s) {
            vec![("env", env.line())]
        } else {
            Vec::new()
        };
    }
    env.entries()
        .into_iter()
        .filter(|(_, _, v)| v.as_str().is_some_and(has_secret_ref))
        .map(|(k, key, _)| (k, key.line()))
        .collect()
}

/// Record workflow-/job-level env secrets, secret names and environments.
pub fn analyse_env(wf: &Workflow<'_>, out: &mut Out) {
    let mut found = false;
    let scopes = wf
        .root
        .get("env")
        .map(|e| (e, "workflow".to_string()))
        .into_iter()
        .chain(
            wf.jobs
                .iter()
                .filter_map(|j| j.node.get("env").map(|e| (e, format!("job {}", j.id)))),
        );
    for (env, scope) in scopes {
        for (name, line) in secret_entries(env) {
            found = true;
            out.find(
                FindingKind::WorkflowOrJobEnvSecrets,
                line,
                format!("{scope} env {name} maps a secret"),
            );
        }
    }
    out.facts.workflow_or_job_env_secrets = Some(found);
    for job in &wf.jobs {
        if let Some(e) = job.node.get("environment") {
            let name = e.as_str().or_else(|| e.str_of("name")).unwrap_or_default();
            out.environment(name);
        }
    }
    collect_secret_names(wf, out);
}

/// Record every `secrets.X` name in the file.
pub fn collect_secret_names(wf: &Workflow<'_>, out: &mut Out) {
    for (s, _) in wf.root.scalars() {
        if s.contains("ecrets") || s.contains("ECRETS") {
            for name in secret_refs(s) {
                out.secret_name(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::gh;
    use crate::pipeline::FindingKind;

    #[test]
    fn workflow_and_job_env_count_step_env_does_not() {
        let a = gh("on: push\nenv:\n  T: ${{ SECRETS.GITHUB_TOKEN }}\njobs: {}\n");
        assert_eq!(a.facts.workflow_or_job_env_secrets, Some(true));
        assert_eq!(a.line_of(FindingKind::WorkflowOrJobEnvSecrets), Some(3));
        let b = gh(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      X: ${{ secrets.X }}\n    steps: []\n",
        );
        assert_eq!(b.facts.workflow_or_job_env_secrets, Some(true));
        let c = gh(
            "on: push\nenv:\n  V: ${{ vars.V }}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    environment: prod\n    steps:\n      - run: x\n        env:\n          T: ${{ secrets.T }}\n",
        );
        assert_eq!(c.facts.workflow_or_job_env_secrets, Some(false));
        assert_eq!(c.facts.secret_names, vec!["T".to_string()]);
        assert_eq!(c.facts.environments, vec!["prod".to_string()]);
    }
}
