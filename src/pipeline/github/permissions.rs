//! `top_level_permissions`, `write_all_permissions` and `uses_id_token_write`.

use super::Workflow;
use crate::pipeline::FindingKind;
use crate::pipeline::collect::Out;
use crate::pipeline::yaml::Node;

/// Does this `permissions:` value grant `id-token: write`?
fn grants_id_token(perms: Node<'_>) -> bool {
    if let Some(s) = perms.as_str() {
        return s.trim() == "write-all";
    }
    perms
        .get("id-token")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.trim() == "write")
}

/// Record the permission facts.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let top = wf.root.get("permissions");
    out.facts.top_level_permissions = Some(top.is_some());
    if let Some(p) = top {
        out.find(
            FindingKind::TopLevelPermissions,
            p.line(),
            "top-level permissions: block",
        );
        if p.as_str().map(str::trim) == Some("write-all") {
            out.facts.write_all_permissions = true;
            out.find(
                FindingKind::WriteAllPermissions,
                p.line(),
                "permissions: write-all",
            );
        }
    }
    let mut id_token = false;
    let blocks =
        top.into_iter()
            .map(|p| (p, "workflow".to_string()))
            .chain(wf.jobs.iter().filter_map(|j| {
                j.node
                    .get("permissions")
                    .map(|p| (p, format!("job {}", j.id)))
            }));
    for (perms, scope) in blocks {
        if grants_id_token(perms) {
            id_token = true;
            let line = perms
                .get("id-token")
                .map(|n| n.line())
                .unwrap_or(perms.line());
            out.find(
                FindingKind::UsesIdTokenWrite,
                line,
                format!("id-token: write ({scope})"),
            );
        }
    }
    out.facts.uses_id_token_write = id_token;
}

#[cfg(test)]
mod tests {
    use super::super::test_util::gh;
    use crate::pipeline::FindingKind;

    #[test]
    fn top_level_and_job_level() {
        let a = gh(
            "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps: []\n",
        );
        assert_eq!(a.facts.top_level_permissions, Some(true));
        assert!(a.facts.uses_id_token_write);
        assert_eq!(a.line_of(FindingKind::UsesIdTokenWrite), Some(7));
        assert!(!a.facts.write_all_permissions);
    }

    #[test]
    fn job_only_and_write_all() {
        let a = gh(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps: []\n",
        );
        assert_eq!(a.facts.top_level_permissions, Some(false));
        assert!(!a.facts.uses_id_token_write);
        let b = gh("on: push\npermissions: write-all\njobs: {}\n");
        assert!(b.facts.write_all_permissions);
        assert!(b.facts.uses_id_token_write);
    }
}
