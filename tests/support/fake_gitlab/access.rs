//! Tiers and roles as gitlab.com applies them. A tier belongs to the top-level group (on
//! gitlab.com the subscription is bought for the top-level namespace and covers every
//! subgroup and project below it); a role (Developer 30, Maintainer 40, Owner 50) is the
//! token user's membership of a project or group, inherited downwards.
//!
//! A world without a tier for a top-level group keeps the per-project flags of `Project`
//! (`push_rule: Free`, `approval_rules: None`, `spp: None`) as they are — the legacy `acme`
//! fixture. With a tier, the tier decides (sources, GitLab REST docs, each page's "Tier:"):
//! * push rules (`/projects/:id/push_rule`): Premium, Ultimate;
//! * protected environments (`/projects/:id/protected_environments`): Premium, Ultimate;
//! * merge request approval rules (`/projects/:id/approval_rules`): Premium, Ultimate;
//! * secret push protection (`secret_push_protection_enabled`, `PUT …/security_settings`):
//!   Ultimate.
//!   Below the tier the route answers `404 Not Found` as on a namespace without the
//!   feature (the existing Free push-rule answer).
//!
//! Roles (GitLab "Roles and permissions" table and each API page's prerequisites): CI/CD
//! variables, project runners, job token scope, push rules, protected environments and every
//! write need Maintainer; a Developer gets `403 Forbidden`.

use std::collections::BTreeMap;

/// A gitlab.com subscription tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Free.
    Free,
    /// Premium.
    Premium,
    /// Ultimate.
    Ultimate,
}

/// The token user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Role {
    /// Developer (30).
    Developer,
    /// Maintainer (40).
    Maintainer,
    /// Owner (50): the default world.
    #[default]
    Owner,
}

/// Tiers by top-level group and roles by group or project path.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Tier of each top-level group (`acme-gl`); absent: the per-project flags decide.
    pub tiers: BTreeMap<String, Tier>,
    /// Role on a group or project path, inherited by everything below it; absent: Owner.
    pub roles: BTreeMap<String, Role>,
}

impl Access {
    /// The tier of the top-level group above `path`, if one is set.
    pub fn tier_of(&self, path: &str) -> Option<Tier> {
        let top = path.split('/').next().unwrap_or(path);
        self.tiers.get(top).copied()
    }

    /// The role on `path`: the nearest group or project above (or at) it that has one.
    pub fn role_of(&self, path: &str) -> Role {
        let mut best: Option<(usize, Role)> = None;
        for (prefix, role) in &self.roles {
            let covers = path == prefix || path.starts_with(&format!("{prefix}/"));
            if covers && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), *role));
            }
        }
        best.map_or(Role::Owner, |(_, role)| role)
    }

    /// Whether a project route (below `/projects/:id/`) is beyond the tier of `path`.
    pub fn tier_refuses(&self, path: &str, route: &str) -> bool {
        let Some(tier) = self.tier_of(path) else {
            return false;
        };
        let needed = match route {
            "push_rule" | "protected_environments" | "approval_rules" => Tier::Premium,
            "security_settings" => Tier::Ultimate,
            _ => return false,
        };
        tier < needed
    }

    /// Whether a read of a project route needs more than the role on `path`.
    pub fn role_refuses(&self, path: &str, route: &str) -> bool {
        let maintainer_only = [
            "variables",
            "runners",
            "job_token_scope",
            "push_rule",
            "protected_environments",
            "security_settings",
        ];
        maintainer_only.contains(&route) && self.role_of(path) < Role::Maintainer
    }
}
