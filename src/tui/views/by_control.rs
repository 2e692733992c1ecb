//! By control: choose a control, then see every repository failing it, in rank order.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{draw_rows, fit, muted, right};
use crate::controls::Status;
use crate::sanitize::strip_controls;
use crate::tui::app::{App, ListState};
use crate::tui::layout;

/// The list of repository controls with how many repositories fail each.
pub fn render_controls(frame: &mut Frame, body: Rect, app: &App, list: &ListState) {
    let theme = app.theme();
    let data = &app.data;
    let width = usize::from(body.width);
    let id_w = 24;
    let band_w = 10;
    let sev_w = 7;
    let title_w = width.saturating_sub(id_w + band_w + sev_w + 13);
    let head = format!(
        " {} {} {} {} {}",
        fit("control", id_w),
        fit("band", band_w),
        fit("sev", sev_w),
        right("failing", 8),
        fit("title", title_w)
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            head,
            theme
                .muted()
                .add_modifier(ratatui::style::Modifier::UNDERLINED),
        ))),
        Rect::new(body.x, body.y, body.width, body.height.min(1)),
    );
    let area = layout::list_rect(app.top(), body);
    let catalog = &data.assessment.catalog.repo;
    let end = (list.offset + usize::from(area.height)).min(catalog.len());
    let rows = (list.offset.min(end)..end)
        .map(|c| {
            let def = &catalog[c];
            let fails = data.control_fails.get(c).copied().unwrap_or(0);
            let count = right(&fails.to_string(), 8);
            Line::from(vec![
                Span::raw(format!(
                    " {} {} {} ",
                    fit(&def.id, id_w),
                    fit(def.band.as_str(), band_w),
                    fit(def.severity.as_str(), sev_w)
                )),
                if fails > 0 {
                    Span::styled(count, theme.status(Status::Fail))
                } else {
                    muted(theme, count)
                },
                Span::raw(" "),
                muted(theme, fit(&def.title, title_w)),
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

/// Every repository failing `control`, in rank order, with its evidence.
pub fn render_repos(
    frame: &mut Frame,
    body: Rect,
    app: &App,
    control: usize,
    rows: &[u32],
    list: &ListState,
) {
    let theme = app.theme();
    let data = &app.data;
    let width = usize::from(body.width);
    let Some(def) = data.assessment.catalog.repo.get(control) else {
        return;
    };
    let name_w = 28.min(width / 3);
    let evidence_w = width.saturating_sub(name_w + 9);
    let header = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", def.id), theme.accent()),
            muted(
                theme,
                format!("— {} · {} failing, in rank order", def.title, rows.len()),
            ),
        ]),
        Line::from(Span::styled(
            format!(
                " {} {} {}",
                right("rank", 5),
                fit("name", name_w),
                fit("evidence", evidence_w)
            ),
            theme
                .muted()
                .add_modifier(ratatui::style::Modifier::UNDERLINED),
        )),
    ];
    frame.render_widget(
        Paragraph::new(header),
        Rect::new(body.x, body.y, body.width, body.height.min(2)),
    );
    let area = layout::list_rect(app.top(), body);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(muted(
                theme,
                " no repository fails this control",
            ))),
            area,
        );
        return;
    }
    let end = (list.offset + usize::from(area.height)).min(rows.len());
    let lines = rows[list.offset.min(end)..end]
        .iter()
        .map(|&idx| {
            let idx = idx as usize;
            let rank = data.rank(idx).map_or("–".to_owned(), |r| r.to_string());
            let evidence = data
                .verdict(idx, control)
                .map(|v| strip_controls(&v.evidence).into_owned())
                .unwrap_or_default();
            Line::from(vec![
                Span::raw(format!(
                    " {} {} ",
                    right(&rank, 5),
                    fit(data.names.get(idx).map_or("", String::as_str), name_w)
                )),
                muted(theme, fit(&evidence, evidence_w)),
            ])
        })
        .collect();
    draw_rows(
        frame,
        area,
        theme,
        lines,
        list.selected.checked_sub(list.offset),
    );
}
