//! The catalog of one assessment: the definitions of the controls judged, in the registry's
//! order (built-in controls from [`super::registry`], then Rego policy controls). Verdict rows
//! are aligned with it; look a control up by its [`ControlId`].

use serde::Serialize;

use super::control::{ControlId, Definition};
use super::registry::{ORG_CONTROLS, REPO_CONTROLS};
use super::{Band, Severity};

/// Whether a control judges a repository or the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Judged per repository.
    Repo,
    /// Judged once, on the org node.
    Org,
}

/// One control's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlDef {
    /// Stable kebab-case id (`policy/<package>` for Rego policies).
    pub id: ControlId,
    /// Band.
    pub band: Band,
    /// Severity.
    pub severity: Severity,
    /// Repo or org.
    pub scope: Scope,
    /// One-line title.
    pub title: String,
    /// Why it matters.
    pub rationale: String,
    /// What a fix would do.
    pub fix: String,
}

impl ControlDef {
    /// The owned definition of a built-in control.
    pub fn of(def: &Definition, scope: Scope) -> Self {
        Self {
            id: def.control_id(),
            band: def.band,
            severity: def.severity,
            scope,
            title: def.title.to_owned(),
            rationale: def.rationale.to_owned(),
            fix: def.fix.to_owned(),
        }
    }
}

/// The ordered list of controls: built-in ones first, then Rego policy controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalog {
    /// Repository controls, in catalog order (verdict vectors are aligned with this).
    pub repo: Vec<ControlDef>,
    /// Org controls, in catalog order.
    pub org: Vec<ControlDef>,
}

impl Catalog {
    /// The built-in catalog of `spec/controls.md`: the registry's controls.
    pub fn builtin() -> Self {
        Self {
            repo: REPO_CONTROLS
                .iter()
                .map(|c| ControlDef::of(&c.def, Scope::Repo))
                .collect(),
            org: ORG_CONTROLS
                .iter()
                .map(|c| ControlDef::of(&c.def, Scope::Org))
                .collect(),
        }
    }

    /// Where a repository control's verdict is in each verdict row.
    pub fn repo_index(&self, id: &str) -> Option<usize> {
        self.repo.iter().position(|c| *c.id == *id)
    }

    /// Where an org control's verdict is in the org verdicts.
    pub fn org_index(&self, id: &str) -> Option<usize> {
        self.org.iter().position(|c| *c.id == *id)
    }
}
