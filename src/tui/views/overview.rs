//! Org overview: verdicts per band, the rollout steps with their progress and blockers, and
//! the org-level controls. Rollout steps and org controls are selectable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{draw_rows, fit, glyph, heading, muted, right};
use crate::controls::{Band, Status};
use crate::tui::app::{App, ListState};
use crate::tui::keymap::Command;
use crate::tui::layout;
use crate::tui::widgets::gauge;

/// Draw the overview.
pub fn render(frame: &mut Frame, body: Rect, app: &App, list: &ListState) {
    let theme = app.theme();
    let data = &app.data;
    let steps = &data.assessment.rollout;
    let org_defs = &data.assessment.catalog.org;
    let l = layout::overview(body, steps.len(), org_defs.len());
    let width = usize::from(body.width);

    // Bands.
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(" Verdicts by band · {} {}", data.len(), data.unit()),
            theme.accent(),
        ),
        muted(theme, "   ✓ pass  ✗ fail  ? unknown"),
    ])];
    let label_w = 23;
    let counts_w = 28;
    let bar_w = width.saturating_sub(label_w + counts_w + 2).clamp(6, 60);
    for (i, band) in Band::ALL.iter().enumerate() {
        let c = &data.band_counts[i];
        let mut spans = vec![Span::raw(format!(" {}", fit(band.title(), label_w - 1)))];
        spans.extend(gauge::verdicts(theme, c, bar_w));
        spans.push(Span::raw("  "));
        for (status, n) in [
            (Status::Pass, c.pass),
            (Status::Fail, c.fail),
            (Status::Unknown, c.unknown),
        ] {
            spans.push(glyph(theme, status));
            spans.push(Span::raw(format!("{} ", right(&n.to_string(), 6))));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), l.bands);

    // Rollout.
    let done_steps = steps.iter().filter(|s| s.complete).count();
    let mut rows = vec![Line::from(vec![
        Span::styled(" Rollout", theme.accent()),
        muted(
            theme,
            format!("   {done_steps} of {} steps complete", steps.len()),
        ),
    ])];
    let gauge_w = width.saturating_sub(68).clamp(12, 40);
    let title_w = width.saturating_sub(gauge_w + 18);
    for step in steps {
        let mark = if step.complete {
            Status::Pass
        } else {
            Status::Fail
        };
        let mut spans = vec![
            Span::raw(" "),
            glyph(theme, mark),
            Span::raw(format!(" {}. {} ", step.step, fit(step.title, title_w))),
        ];
        spans.extend(gauge::progress(theme, step.done, step.total, gauge_w));
        spans.push(Span::raw(right(
            &format!("{}/{}", step.done, step.total),
            9,
        )));
        rows.push(Line::from(spans));
        let blockers = if step.blocking.is_empty() {
            "nothing blocks it".to_owned()
        } else {
            let names: Vec<&str> = step
                .blocking
                .iter()
                .take(8)
                .filter_map(|&i| data.names.get(i).map(String::as_str))
                .collect();
            let more = step.blocking.len().saturating_sub(names.len());
            let mut text = format!("blocked by {}: {}", step.blocking.len(), names.join(", "));
            if more > 0 {
                text.push_str(&format!(" +{more}"));
            }
            text
        };
        rows.push(Line::from(vec![
            Span::raw("      "),
            Span::styled(format!("{} · ", step.effort), theme.base()),
            muted(
                theme,
                fit(&blockers, width.saturating_sub(9 + step.effort.width())),
            ),
        ]));
    }
    // Selection covers both rows of a step: highlight its first row.
    let selected = (list.selected < steps.len()).then_some(1 + 2 * list.selected);
    draw_rows(frame, l.rollout, theme, rows, selected);

    // Org controls.
    let mut rows = vec![heading(theme, " Org controls")];
    let id_w = 30;
    for (i, def) in org_defs.iter().enumerate() {
        let (status, evidence) = match data.assessment.org.get(i) {
            Some(v) => (
                v.status,
                crate::sanitize::strip_controls(&v.evidence).into_owned(),
            ),
            None => (Status::Unknown, "not judged".to_owned()),
        };
        rows.push(Line::from(vec![
            Span::raw(" "),
            glyph(theme, status),
            Span::raw(format!(" {} ", fit(&def.id, id_w))),
            muted(theme, fit(&evidence, width.saturating_sub(id_w + 5))),
        ]));
    }
    let selected = list.selected.checked_sub(steps.len()).map(|j| j + 1);
    draw_rows(frame, l.org, theme, rows, selected);
    most_failed(frame, body, l.org, app);
}

/// On tall screens, the controls failing on most repositories fill the space below.
fn most_failed(frame: &mut Frame, body: Rect, above: Rect, app: &App) {
    let top = above.y + above.height + 1;
    let bottom = body.y + body.height;
    if bottom < top + 4 {
        return;
    }
    let theme = app.theme();
    let data = &app.data;
    let catalog = &data.assessment.catalog.repo;
    let mut order: Vec<usize> = (0..catalog.len())
        .filter(|&c| data.control_fails.get(c).is_some_and(|&n| n > 0))
        .collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(data.control_fails[c]), c));
    let width = usize::from(body.width);
    let key = app
        .keymap
        .keys(Command::ByControl)
        .first()
        .map_or_else(String::new, ToString::to_string);
    let mut lines = vec![Line::from(vec![
        Span::styled(" Most failed controls", theme.accent()),
        muted(
            theme,
            format!("   {key}: every control and its failing {}", data.unit()),
        ),
    ])];
    for c in order.into_iter().take(usize::from(bottom - top - 1)) {
        let def = &catalog[c];
        lines.push(Line::from(vec![
            Span::raw(format!(
                " {} ",
                right(&data.control_fails[c].to_string(), 5)
            )),
            glyph(theme, Status::Fail),
            Span::raw(format!(" {} ", fit(&def.id, 24))),
            muted(theme, fit(&def.title, width.saturating_sub(34))),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(body.x, top, body.width, bottom - top),
    );
}
