//! Text gauges that stay legible without colour: filled cells differ by glyph, not only hue.

use ratatui::text::Span;

use crate::controls::Status;
use crate::tui::data::Counts;
use crate::tui::theme::Theme;

/// A progress gauge `█████░░░░░` of `width` cells for `done` out of `total`.
pub fn progress(theme: &Theme, done: usize, total: usize, width: usize) -> Vec<Span<'static>> {
    let filled = (done.min(total) * width + total / 2)
        .checked_div(total)
        .unwrap_or(width);
    vec![
        Span::styled("█".repeat(filled), theme.status(Status::Pass)),
        Span::styled("░".repeat(width - filled), theme.muted()),
    ]
}

/// A stacked bar of pass (`█`), fail (`▓`), unknown (`▒`) over the applicable verdicts.
pub fn verdicts(theme: &Theme, counts: &Counts, width: usize) -> Vec<Span<'static>> {
    let total = counts.applicable();
    if total == 0 {
        return vec![Span::styled("·".repeat(width), theme.muted())];
    }
    let cells = |n: usize| (n * width + total / 2) / total;
    let pass = cells(counts.pass);
    let fail = cells(counts.fail).min(width - pass);
    // Never hide a failure or an unknown entirely behind rounding.
    let fail = if counts.fail > 0 && fail == 0 && pass > 0 {
        1
    } else {
        fail
    };
    let pass = if counts.unknown == 0 {
        width - fail
    } else {
        pass.min(width - fail)
    };
    let unknown = width - pass - fail;
    vec![
        Span::styled("█".repeat(pass), theme.status(Status::Pass)),
        Span::styled("▓".repeat(fail), theme.status(Status::Fail)),
        Span::styled("▒".repeat(unknown), theme.status(Status::Unknown)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn progress_fills_in_proportion() {
        let theme = Theme::monochrome("m");
        assert_eq!(text(&progress(&theme, 1, 4, 8)), "██░░░░░░");
        assert_eq!(text(&progress(&theme, 4, 4, 4)), "████");
        assert_eq!(text(&progress(&theme, 0, 0, 3)), "███");
    }

    #[test]
    fn one_failure_among_many_passes_still_shows() {
        let theme = Theme::monochrome("m");
        let counts = Counts {
            pass: 999,
            fail: 1,
            unknown: 0,
            not_applicable: 5,
        };
        let bar = text(&verdicts(&theme, &counts, 10));
        assert_eq!(bar.chars().count(), 10);
        assert!(bar.contains('▓'), "{bar}");
    }
}
