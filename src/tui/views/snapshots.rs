//! Cached snapshots: provider, org, taken_at, repositories; Enter opens one offline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{draw_rows, fit, muted, right};
use crate::sanitize::strip_controls;
use crate::tui::app::{App, ListState};
use crate::tui::layout;

/// Draw the snapshot list.
pub fn render(frame: &mut Frame, body: Rect, app: &App, list: &ListState) {
    let theme = app.theme();
    let width = usize::from(body.width);
    let org_w = 24;
    let path_w = width.saturating_sub(org_w + 42);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(
                "   {} {} {} {} {}",
                fit("provider", 8),
                fit("org", org_w),
                fit("taken at", 20),
                right("repos", 7),
                fit("file", path_w)
            ),
            theme
                .muted()
                .add_modifier(ratatui::style::Modifier::UNDERLINED),
        ))),
        Rect::new(body.x, body.y, body.width, body.height.min(1)),
    );
    let area = layout::list_rect(app.top(), body);
    if app.snapshots.is_empty() {
        let lines = vec![
            Line::from(muted(theme, " No cached snapshots.")),
            Line::from(muted(
                theme,
                " `posture sync github --org ORG` (or `sync gitlab --group GROUP`) takes one.",
            )),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let current = app.data.source.path.as_deref();
    let end = (list.offset + usize::from(area.height)).min(app.snapshots.len());
    let rows = app.snapshots[list.offset.min(end)..end]
        .iter()
        .map(|s| {
            let mark = if Some(s.path.as_path()) == current {
                "●"
            } else {
                " "
            };
            Line::from(vec![
                Span::styled(format!(" {mark} "), theme.accent()),
                Span::raw(format!(
                    "{} {} {} {} ",
                    fit(&s.provider, 8),
                    fit(&strip_controls(&s.org), org_w),
                    fit(&s.taken_at.format("%Y-%m-%d %H:%M UTC").to_string(), 20),
                    right(&s.repos.to_string(), 7),
                )),
                muted(
                    theme,
                    fit(
                        &s.path.file_name().map_or_else(
                            || s.path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        ),
                        path_w,
                    ),
                ),
            ])
        })
        .collect();
    draw_rows(
        frame,
        area,
        theme,
        rows,
        list.selected.checked_sub(list.offset),
    );
}
