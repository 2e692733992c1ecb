//! What judging produces: a verdict per control, with evidence and, for `unknown`, a reason.

use serde::{Deserialize, Serialize};

/// The four verdicts of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The evidence shows the control is met.
    Pass,
    /// The evidence shows it is not met.
    Fail,
    /// The evidence could not be read.
    Unknown,
    /// The control does not apply.
    NotApplicable,
}

impl Status {
    /// Name as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// A glyph that tells the verdict without colour: ✓ ✗ ? –.
    pub fn glyph(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Fail => "✗",
            Status::Unknown => "?",
            Status::NotApplicable => "–",
        }
    }
}

/// The five bands of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Identity, OIDC and provenance.
    Identity,
    /// Branch protection.
    Branch,
    /// Secret management.
    Secrets,
    /// Build environment isolation.
    Isolation,
    /// Policy as code.
    Policy,
}

impl Band {
    /// All bands in display order.
    pub const ALL: [Band; 5] = [
        Band::Identity,
        Band::Branch,
        Band::Secrets,
        Band::Isolation,
        Band::Policy,
    ];

    /// Name as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Identity => "identity",
            Band::Branch => "branch",
            Band::Secrets => "secrets",
            Band::Isolation => "isolation",
            Band::Policy => "policy",
        }
    }

    /// Human title.
    pub fn title(self) -> &'static str {
        match self {
            Band::Identity => "Identity & provenance",
            Band::Branch => "Branch protection",
            Band::Secrets => "Secrets",
            Band::Isolation => "Build isolation",
            Band::Policy => "Policy",
        }
    }
}

/// Severity; `Info` never fails a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

impl Severity {
    /// Name as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// A place in a repository file, for evidence that comes from a pipeline line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Full path in the repository.
    pub path: String,
    /// 1-based line.
    pub line: u32,
}

/// One control's verdict on one repository (or on the org).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The verdict.
    pub status: Status,
    /// The fields it was decided from and their source, one line.
    pub evidence: String,
    /// Why an `unknown` is unknown (`403: needs Administration:read`); `None` otherwise.
    pub reason: Option<String>,
    /// The pipeline line the evidence points at, when it does.
    pub location: Option<Location>,
}

impl Verdict {
    /// A verdict with evidence and no location.
    pub fn new(status: Status, evidence: impl Into<String>) -> Self {
        Self {
            status,
            evidence: evidence.into(),
            reason: None,
            location: None,
        }
    }

    /// `pass` with evidence.
    pub fn pass(evidence: impl Into<String>) -> Self {
        Self::new(Status::Pass, evidence)
    }

    /// `fail` with evidence.
    pub fn fail(evidence: impl Into<String>) -> Self {
        Self::new(Status::Fail, evidence)
    }

    /// `not_applicable` with evidence.
    pub fn not_applicable(evidence: impl Into<String>) -> Self {
        Self::new(Status::NotApplicable, evidence)
    }

    /// `unknown` with evidence and its reason.
    pub fn unknown(evidence: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            status: Status::Unknown,
            evidence: evidence.into(),
            reason: Some(reason.into()),
            location: None,
        }
    }

    /// Attach a file location; the evidence should name `path:line` too.
    pub fn at(mut self, path: &str, line: u32) -> Self {
        self.location = Some(Location {
            path: path.to_owned(),
            line,
        });
        self
    }
}
