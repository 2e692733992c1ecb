//! Combining what each protection source says into one verdict with one-line evidence:
//! any source that meets a requirement passes it; else an unreadable source makes it
//! `unknown` with that source's reason; else it fails, naming what each source lacks.

use crate::model::Ruleset;

use crate::controls::Verdict;

/// What one source says about one requirement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Says {
    /// The source meets it.
    Met,
    /// The source does not.
    Missing,
    /// The source could not be read; the reason.
    Unread(String),
}

/// One source's contribution, with its one-line evidence.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) says: Says,
    pub(crate) text: String,
}

pub(crate) fn met(text: impl Into<String>) -> Part {
    Part {
        says: Says::Met,
        text: text.into(),
    }
}

pub(crate) fn missing(text: impl Into<String>) -> Part {
    Part {
        says: Says::Missing,
        text: text.into(),
    }
}

pub(crate) fn unread(text: impl Into<String>, reason: impl Into<String>) -> Part {
    Part {
        says: Says::Unread(reason.into()),
        text: text.into(),
    }
}

/// Most parts shown in one evidence line.
const MAX_PARTS: usize = 4;

/// Join evidence parts into one line, at most [`MAX_PARTS`] of them.
pub(crate) fn join<'p>(texts: impl Iterator<Item = &'p str>, notes: &[String]) -> String {
    let texts: Vec<&str> = texts.collect();
    let mut line = texts
        .iter()
        .take(MAX_PARTS)
        .copied()
        .collect::<Vec<_>>()
        .join("; ");
    if texts.len() > MAX_PARTS {
        line.push_str(&format!("; and {} more", texts.len() - MAX_PARTS));
    }
    for note in notes {
        line.push_str("; ");
        line.push_str(note);
    }
    line
}

/// Any source that meets the requirement passes; else any unreadable one makes it unknown;
/// else it fails. `notes` (evaluate-mode rulesets) are shown but never decide.
pub(crate) fn decide(parts: &[Part], notes: &[String]) -> Verdict {
    if parts.iter().any(|p| p.says == Says::Met) {
        let texts = parts
            .iter()
            .filter(|p| p.says == Says::Met)
            .map(|p| p.text.as_str());
        return Verdict::pass(join(texts, notes));
    }
    let evidence = join(parts.iter().map(|p| p.text.as_str()), notes);
    let mut reasons: Vec<&str> = Vec::new();
    for p in parts {
        if let Says::Unread(reason) = &p.says
            && !reasons.contains(&reason.as_str())
        {
            reasons.push(reason);
        }
    }
    if reasons.is_empty() {
        Verdict::fail(evidence)
    } else {
        Verdict::unknown(evidence, reasons.join("; "))
    }
}

/// Untrusted platform text made safe for one evidence line: no control characters, bounded.
pub(crate) fn clean(text: &str) -> String {
    const MAX: usize = 80;
    let mut out: String = text
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    out
}

/// A ruleset's evidence label, cleaned.
pub(crate) fn label(rs: &Ruleset) -> String {
    clean(&rs.label())
}

/// Both requirements must hold: pass when both pass, else fail when either fails, else
/// `unknown`. The evidence puts what is missing first; `notes` are appended once.
pub(crate) fn both(a: Verdict, b: Verdict, notes: &[String]) -> Verdict {
    use crate::controls::Status::{Fail, Pass};
    let (first, second) = if a.status == Pass && b.status != Pass {
        (&b, &a)
    } else {
        (&a, &b)
    };
    // Both halves often name the same sources ("branch not protected"): say each once.
    let mut segments: Vec<&str> = Vec::new();
    for segment in first
        .evidence
        .split("; ")
        .chain(second.evidence.split("; "))
    {
        if !segments.contains(&segment) {
            segments.push(segment);
        }
    }
    let mut evidence = segments.join("; ");
    for note in notes {
        evidence.push_str("; ");
        evidence.push_str(note);
    }
    match (a.status, b.status) {
        (Pass, Pass) => Verdict::pass(evidence),
        (Fail, _) | (_, Fail) => Verdict::fail(evidence),
        _ => {
            let mut reasons: Vec<&str> = Vec::new();
            for r in [&a.reason, &b.reason].into_iter().flatten() {
                for one in r.split("; ") {
                    if !reasons.contains(&one) {
                        reasons.push(one);
                    }
                }
            }
            Verdict::unknown(evidence, reasons.join("; "))
        }
    }
}
