//! What a control is: a typed id, its definition, and its judge, declared together as one
//! `const` next to the judge function. The registry ([`super::registry`]) lists them; nothing
//! else knows their order.
//!
//! Because a [`RepoControl`] / [`OrgControl`] cannot be built without its [`Definition`], a
//! control without a definition (or a definition without a judge) does not compile.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use super::judge::RepoView;
use super::{Band, Context, Severity, Verdict};

/// The stable id of a control (`branch-protected`, `policy/<package>`). Built-in ids are
/// borrowed from the binary; policy ids are owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ControlId(Cow<'static, str>);

impl ControlId {
    /// The id of a built-in control.
    pub const fn builtin(id: &'static str) -> Self {
        Self(Cow::Borrowed(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for ControlId {
    fn from(id: String) -> Self {
        Self(Cow::Owned(id))
    }
}

impl From<&ControlId> for String {
    fn from(id: &ControlId) -> String {
        id.0.to_string()
    }
}

impl std::ops::Deref for ControlId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for ControlId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for ControlId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Honours width and alignment (`{:<28}`), as `str` does: the text report aligns ids in columns.
impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl PartialEq<str> for ControlId {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for ControlId {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl Serialize for ControlId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// What every control declares about itself (`spec/controls.md`).
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Band.
    pub band: Band,
    /// Severity.
    pub severity: Severity,
    /// One-line title.
    pub title: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// What a fix would do: the remediation guide shown today. The fixes issue adds an
    /// optional planner next to this field on [`RepoControl`] / [`OrgControl`].
    pub fix: &'static str,
}

impl Definition {
    /// The typed id.
    pub const fn control_id(&self) -> ControlId {
        ControlId::builtin(self.id)
    }
}

/// A repository control: its definition and its judge, which sees one repository through
/// the facts gathered once for it ([`RepoView`]).
#[derive(Clone, Copy)]
pub struct RepoControl {
    /// What the control is.
    pub def: Definition,
    /// Decide one repository. Archived repositories never reach it (`not_applicable`).
    pub(crate) judge: fn(&RepoView<'_>) -> Verdict,
}

/// An org control: its definition and its judge, which sees the org facts.
#[derive(Clone, Copy)]
pub struct OrgControl {
    /// What the control is.
    pub def: Definition,
    /// Decide the org.
    pub(crate) judge: fn(&Context<'_>) -> Verdict,
}

impl fmt::Debug for RepoControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RepoControl")
            .field("def", &self.def)
            .finish()
    }
}

impl fmt::Debug for OrgControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgControl")
            .field("def", &self.def)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::ControlId;

    #[test]
    fn an_id_pads_like_a_str_so_report_columns_stay_aligned() {
        let id = ControlId::from("org-oidc-subject".to_owned());
        assert_eq!(format!("[{id:<20}]"), "[org-oidc-subject    ]");
        assert_eq!(format!("[{id:>18}]"), "[  org-oidc-subject]");
        assert_eq!(format!("{id}"), "org-oidc-subject");
    }
}
