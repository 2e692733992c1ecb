//! What judging produces: a verdict per control, with evidence and, for `unknown`, a reason.

use std::cell::RefCell;
use std::collections::HashSet;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

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
    /// Where the band stands in [`Band::ALL`] (display order).
    pub fn position(self) -> usize {
        Band::ALL.iter().position(|b| *b == self).unwrap_or(0)
    }

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

/// Shared, immutable verdict text. Within an [`InternScope`] (one per judging thread) equal
/// texts are one allocation: at 100k repositories most evidence lines repeat ("archived
/// repository", the org API paths), and interning is what keeps the verdicts of a large org
/// in a few hundred megabytes.
pub type Text = Arc<str>;

thread_local! {
    static INTERNER: RefCell<Option<HashSet<Text>>> = const { RefCell::new(None) };
}

/// While alive, verdict texts made on this thread are interned; dropping it frees the table
/// (the texts live on in the verdicts that hold them). Not `Send`: it guards a thread-local.
pub struct InternScope {
    _this_thread: PhantomData<Rc<()>>,
}

impl InternScope {
    /// Start interning on this thread (a nested scope restarts the table).
    pub fn enter() -> Self {
        INTERNER.with(|table| *table.borrow_mut() = Some(HashSet::new()));
        Self {
            _this_thread: PhantomData,
        }
    }
}

impl Drop for InternScope {
    fn drop(&mut self) {
        INTERNER.with(|table| *table.borrow_mut() = None);
    }
}

/// `text` as a [`Text`]: the interned copy inside an [`InternScope`], a new one outside.
pub fn text(text: &str) -> Text {
    INTERNER.with(|table| match table.borrow_mut().as_mut() {
        Some(set) => match set.get(text) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared: Text = Arc::from(text);
                set.insert(Arc::clone(&shared));
                shared
            }
        },
        None => Arc::from(text),
    })
}

/// One control's verdict on one repository (or on the org). 48 bytes: a large org holds
/// tens of controls times its repositories of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The verdict.
    pub status: Status,
    /// The fields it was decided from and their source, one line.
    pub evidence: Text,
    /// Why an `unknown` is unknown (`403: needs Administration:read`); `None` otherwise.
    pub reason: Option<Text>,
    /// The pipeline line the evidence points at, when it does.
    pub location: Option<Box<Location>>,
}

impl Verdict {
    /// A verdict with evidence and no location.
    pub fn new(status: Status, evidence: impl AsRef<str>) -> Self {
        Self {
            status,
            evidence: text(evidence.as_ref()),
            reason: None,
            location: None,
        }
    }

    /// `pass` with evidence.
    pub fn pass(evidence: impl AsRef<str>) -> Self {
        Self::new(Status::Pass, evidence)
    }

    /// `fail` with evidence.
    pub fn fail(evidence: impl AsRef<str>) -> Self {
        Self::new(Status::Fail, evidence)
    }

    /// `not_applicable` with evidence.
    pub fn not_applicable(evidence: impl AsRef<str>) -> Self {
        Self::new(Status::NotApplicable, evidence)
    }

    /// `unknown` with evidence and its reason.
    pub fn unknown(evidence: impl AsRef<str>, reason: impl AsRef<str>) -> Self {
        Self {
            status: Status::Unknown,
            evidence: text(evidence.as_ref()),
            reason: Some(text(reason.as_ref())),
            location: None,
        }
    }

    /// Replace the reason (an `unknown` explained by something other than its first cause).
    pub fn with_reason(mut self, reason: impl AsRef<str>) -> Self {
        self.reason = Some(text(reason.as_ref()));
        self
    }

    /// Attach a file location; the evidence should name `path:line` too.
    pub fn at(mut self, path: &str, line: u32) -> Self {
        self.location = Some(Box::new(Location {
            path: path.to_owned(),
            line,
        }));
        self
    }
}

#[cfg(test)]
mod interning_tests {
    use std::sync::Arc;

    use super::{InternScope, Verdict};

    #[test]
    fn equal_texts_share_one_allocation_inside_a_scope_only() {
        let outside = (
            Verdict::pass("archived repository"),
            Verdict::pass("archived repository"),
        );
        assert!(!Arc::ptr_eq(&outside.0.evidence, &outside.1.evidence));
        let scope = InternScope::enter();
        let a = Verdict::pass(String::from("archived repository"));
        let b = Verdict::unknown("archived repository", "why");
        assert!(Arc::ptr_eq(&a.evidence, &b.evidence));
        drop(scope);
        // The verdicts keep their text after the table is gone.
        assert_eq!(&*a.evidence, "archived repository");
    }

    #[test]
    fn a_verdict_stays_small() {
        // 100k repositories × 26 controls of these: every byte is 2.6 MB.
        assert!(
            std::mem::size_of::<Verdict>() <= 48,
            "{}",
            std::mem::size_of::<Verdict>()
        );
    }
}
