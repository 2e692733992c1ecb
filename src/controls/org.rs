//! Org-level controls: `org-secret-scanning-default`, `org-token-read-default`,
//! `org-runner-groups-scoped`, `org-oidc-subject`. GitLab: judged on the top-level group's
//! facts where the API exposes them, else `unknown`.

use crate::model::{Reach, TokenPermission};

use super::control::{Definition, OrgControl};
use super::judge::org_api;
use super::{Band, Severity};
use super::{Context, Verdict};

/// `org-secret-scanning-default`.
pub(crate) const ORG_SECRET_SCANNING_DEFAULT: OrgControl = OrgControl {
    def: Definition {
        id: "org-secret-scanning-default",
        band: Band::Secrets,
        severity: Severity::High,
        title: "New repositories get secret scanning and push protection",
        rationale: "Defaults protect the repositories nobody remembers to configure.",
        fix: "Enable secret scanning and push protection for new repositories.",
    },
    judge: secret_scanning_default,
};

/// `org-token-read-default`.
pub(crate) const ORG_TOKEN_READ_DEFAULT: OrgControl = OrgControl {
    def: Definition {
        id: "org-token-read-default",
        band: Band::Isolation,
        severity: Severity::High,
        title: "Org default workflow token is read-only",
        rationale: "The org default applies to every repository that does not override it.",
        fix: "Set the org's default workflow permissions to read.",
    },
    judge: token_read_default,
};

/// `org-runner-groups-scoped`.
pub(crate) const ORG_RUNNER_GROUPS_SCOPED: OrgControl = OrgControl {
    def: Definition {
        id: "org-runner-groups-scoped",
        band: Band::Isolation,
        severity: Severity::High,
        title: "Runner groups are scoped",
        rationale: "A runner group open to all or public repositories lets any of them run code on it.",
        fix: "Limit runner groups to selected repositories and disallow public repositories.",
    },
    judge: runner_groups_scoped,
};

/// `org-oidc-subject`.
pub(crate) const ORG_OIDC_SUBJECT: OrgControl = OrgControl {
    def: Definition {
        id: "org-oidc-subject",
        band: Band::Identity,
        severity: Severity::Info,
        title: "OIDC subject claim template customised",
        rationale: "A customised subject (e.g. including the environment) lets cloud roles trust less.",
        fix: "Customise the OIDC subject claim template to include repository and environment.",
    },
    judge: oidc_subject,
};

fn on(flag: bool) -> &'static str {
    if flag { "enabled" } else { "disabled" }
}

fn secret_scanning_default(ctx: &Context<'_>) -> Verdict {
    let source = org_api(
        ctx,
        "/code-security/configurations/defaults",
        "/security_settings",
    );
    match ctx.snapshot.org_facts.security_defaults.as_result() {
        Ok(d) => {
            let evidence = format!(
                "{source}: new repositories: secret_scanning {}, push_protection {}",
                on(d.secret_scanning),
                on(d.push_protection)
            );
            if d.secret_scanning && d.push_protection {
                Verdict::pass(evidence)
            } else {
                Verdict::fail(evidence)
            }
        }
        Err(why) => Verdict::unknown(source, why.explain()),
    }
}

fn token_read_default(ctx: &Context<'_>) -> Verdict {
    let source = org_api(ctx, "/actions/permissions/workflow", "");
    match ctx.snapshot.org_facts.workflow_token.as_result() {
        Ok(Some(TokenPermission::Read)) => {
            Verdict::pass(format!("{source}: default_workflow_permissions: read"))
        }
        Ok(Some(TokenPermission::Write)) => {
            Verdict::fail(format!("{source}: default_workflow_permissions: write"))
        }
        Ok(None) => Verdict::unknown(
            format!("{source}: no default workflow token permission"),
            "the API does not expose this setting",
        ),
        Err(why) => Verdict::unknown(source, why.explain()),
    }
}

fn runner_groups_scoped(ctx: &Context<'_>) -> Verdict {
    let source = org_api(ctx, "/actions/runner-groups", "/runners");
    let groups = match ctx.snapshot.org_facts.runner_groups.as_result() {
        Ok(groups) => groups,
        Err(why) => return Verdict::unknown(source, why.explain()),
    };
    for group in groups {
        let open = match (group.visibility, group.allows_public_repositories) {
            (Reach::All, _) => Some("visibility: all"),
            (_, true) => Some("allows_public_repositories: true"),
            _ => None,
        };
        if let Some(open) = open {
            return Verdict::fail(format!(
                "{source}: runner group {} \"{}\": {open}",
                group.id, group.name
            ));
        }
    }
    Verdict::pass(format!(
        "{source}: {} runner groups, none open to all or to public repositories",
        groups.len()
    ))
}

fn oidc_subject(ctx: &Context<'_>) -> Verdict {
    let source = org_api(ctx, "/actions/oidc/customization/sub", "");
    match ctx.snapshot.org_facts.oidc_subject.as_result() {
        Ok(s) if s.use_default => Verdict::fail(format!("{source}: use_default: true")),
        Ok(s) => Verdict::pass(format!(
            "{source}: include_claim_keys: [{}]",
            s.include_claim_keys.join(", ")
        )),
        Err(why) => Verdict::unknown(source, why.explain()),
    }
}
