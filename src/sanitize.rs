//! The one sanitiser for untrusted text (platform names, descriptions, evidence, server
//! messages, Rego prints) on its way to a terminal or a document. Everything that prints
//! remote or file text calls [`strip_controls`]; Markdown and SARIF add their own escaping on
//! top (`report::markdown`, `report::sarif`). Depends on nothing.

use std::borrow::Cow;

/// Remove terminal control sequences and control characters from untrusted platform text
/// (repository names, descriptions, evidence) before it reaches a terminal or a document.
///
/// Escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, other `ESC x`), C0 and C1
/// control characters, DEL, bidirectional overrides and zero-width characters are removed;
/// tabs and line breaks become a single space so one-line fields stay on one line. Clean text
/// is borrowed, not copied.
pub fn strip_controls(input: &str) -> Cow<'_, str> {
    if !input.chars().any(is_unsafe) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS introducers take parameters like their ESC forms.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
}

/// Zero-width and invisible formatting characters, which hide text from a reader (`ci\u{200b}`
/// looks like `ci`): zero-width space/joiners, word joiner and invisible operators, BOM,
/// Mongolian vowel separator, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}' | '\u{ad}')
}

/// Bidirectional embedding, override and isolate characters ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | '^' | '_' | 'X') => skip_string(chars),
        // Two-character sequences (`ESC c`, `ESC 7`, …): the second character is dropped too.
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in `@`..=`~`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) || !(' '..='?').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/PM/APC strings end at BEL, ST (`ESC \`) or the C1 ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}
