//! What a token sees of a repository by its role there (admin, maintain, write, triage,
//! read), as github.com answers it. The world stores each repository as its admin would see
//! it; these views cut it down when it is served, so changing a role changes every answer.
//!
//! Sources (see also `notes/i14-measure.md` of the branch that added this):
//! * `permissions` in repository JSON: `admin`, `maintain`, `push`, `triage`, `pull`
//!   (REST "Get a repository" response schema; `octokit-get-repository.json` recording).
//! * `security_and_analysis` is only returned to admins (REST "Get a repository": "you must
//!   have admin permissions for the repository or be an owner or security manager").
//! * GraphQL branch protection needs admin: non-admins get `branchProtectionRule: null` and
//!   an empty `branchProtectionRules` (prodigyeducation/branch-cleaner#27, github.com
//!   community discussion 24582 for the REST twin, which answers 404).
//! * `traffic/*` needs push access (403 "Must have push access to repository"); Actions
//!   secrets, workflow permissions, runners and branch protection need admin (403 "Must have
//!   admin rights to Repository.", branch protection 404).

use serde_json::{Value, json};

use super::world::Reply;

/// A token's role on one repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Full access (the default world: existing tests assume it).
    #[default]
    Admin,
    /// Maintain: manages the repository without admin settings.
    Maintain,
    /// Write (push).
    Write,
    /// Triage.
    Triage,
    /// Read (pull) only.
    Read,
}

impl Role {
    /// The repository JSON's `permissions` object for this role.
    pub fn permissions(self) -> Value {
        let rank = self.rank();
        json!({
            "admin": rank >= 4, "maintain": rank >= 3, "push": rank >= 2,
            "triage": rank >= 1, "pull": true
        })
    }

    fn rank(self) -> u8 {
        match self {
            Role::Admin => 4,
            Role::Maintain => 3,
            Role::Write => 2,
            Role::Triage => 1,
            Role::Read => 0,
        }
    }

    /// Whether this role may push (write and above).
    pub fn can_push(self) -> bool {
        self.rank() >= 2
    }

    /// Whether this role administers the repository.
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

/// The repository JSON (listing or `GET /repos/{o}/{r}`) as `role` sees it.
pub fn listing_view(listing: &Value, role: Role) -> Value {
    let mut v = listing.clone();
    v["permissions"] = role.permissions();
    if !role.is_admin()
        && let Some(map) = v.as_object_mut()
    {
        map.remove("security_and_analysis");
    }
    v
}

/// The GraphQL `Repository` node as `role` sees it: protection rules only for admins.
pub fn node_view(node: &Value, role: Role) -> Value {
    let mut v = node.clone();
    if !role.is_admin() {
        if v.get("defaultBranchRef").is_some_and(Value::is_object) {
            v["defaultBranchRef"]["branchProtectionRule"] = Value::Null;
        }
        v["branchProtectionRules"] = json!([]);
    }
    v
}

/// The answer `role` gets instead of the stored one for REST route `sub` (below
/// `/repos/{o}/{r}/`), or `None` when the role may read it.
pub fn gate(sub: &str, role: Role) -> Option<Reply> {
    let path = sub.split('?').next().unwrap_or(sub);
    if path.starts_with("traffic/") && !role.can_push() {
        return Some(Reply::Error(
            403,
            "Must have push access to repository".into(),
            Some("administration=read".into()),
        ));
    }
    if role.is_admin() {
        return None;
    }
    if path.starts_with("branches/") && path.contains("/protection") {
        return Some(Reply::Error(404, "Not Found".into(), None));
    }
    let admin_only = [
        ("actions/secrets", "secrets=read"),
        ("actions/permissions", "administration=read"),
        ("actions/runners", "administration=read"),
        ("hooks", "repository_hooks=read"),
    ];
    admin_only
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, permission)| {
            Reply::Error(
                403,
                "Must have admin rights to Repository.".into(),
                Some((*permission).to_owned()),
            )
        })
}
