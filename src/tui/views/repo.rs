//! One repository: its controls grouped by band — verdict, severity, one-line evidence.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{draw_rows, fit, heading, muted, verdict};
use crate::controls::Status;
use crate::sanitize::strip_controls;
use crate::tui::app::{App, ListState};
use crate::tui::layout::{self, RepoRow};

/// Draw the repository view.
pub fn render(frame: &mut Frame, body: Rect, app: &App, repo: usize, list: &ListState) {
    let theme = app.theme();
    let data = &app.data;
    let width = usize::from(body.width);
    let Some(r) = data.snapshot.repos.get(repo) else {
        return;
    };
    let rank = match data.rank(repo) {
        Some(n) => format!("rank {n}"),
        None => "unranked".to_owned(),
    };
    let fails = data.failing.get(repo).copied().unwrap_or(0);
    let mut summary = vec![
        Span::styled(format!(" {}", strip_controls(&r.name)), theme.accent()),
        Span::raw(" · "),
        Span::styled(
            format!("{fails} failing"),
            if fails > 0 {
                theme.status(Status::Fail)
            } else {
                theme.status(Status::Pass)
            },
        ),
    ];
    if r.archived {
        summary.push(Span::styled(" · archived", theme.warning()));
    }
    summary.push(muted(
        theme,
        format!(
            " · {} · {rank} · {} {}",
            r.visibility.as_str(),
            data.traffic_label(repo),
            data.traffic_title(),
        ),
    ));
    let description = r
        .description
        .as_deref()
        .map(|d| strip_controls(d).into_owned())
        .unwrap_or_default();
    let header = vec![
        Line::from(summary),
        Line::from(muted(
            theme,
            fit(
                &format!(
                    " default branch {} · {description}",
                    strip_controls(&r.default_branch)
                ),
                width,
            ),
        )),
    ];
    frame.render_widget(
        Paragraph::new(header),
        Rect::new(body.x, body.y, body.width, body.height.min(2)),
    );

    let area = layout::list_rect(app.top(), body);
    let rows = layout::repo_rows(data);
    let end = (list.offset + usize::from(area.height)).min(rows.len());
    let catalog = &data.assessment.catalog.repo;
    let id_w = 24;
    // Narrow screens keep the evidence readable: the glyph alone tells the verdict.
    let narrow = width < 100;
    let sev_w = if narrow { 5 } else { 7 };
    let verdict_w = if narrow { 2 } else { 9 };
    // "   " + verdict (9) + " " + id + " " + severity + evidence.
    let evidence_w = width.saturating_sub(3 + verdict_w + 1 + id_w + 1 + sev_w);
    let lines = rows[list.offset.min(end)..end]
        .iter()
        .map(|row| match row {
            RepoRow::Heading(band) => heading(theme, format!(" {}", band.title())),
            RepoRow::Control(c) => {
                let def = &catalog[*c];
                let (status, mut evidence) = match data.verdict(repo, *c) {
                    Some(v) => {
                        let mut text = strip_controls(&v.evidence).into_owned();
                        if let Some(reason) = &v.reason {
                            text = format!("{} — {text}", strip_controls(reason));
                        }
                        (v.status, text)
                    }
                    None => (Status::Unknown, "not judged".to_owned()),
                };
                let waiver = data.waiver(repo, *c, app.now);
                let mark = match waiver {
                    Some(w) if w.is_active() => {
                        let w = w.waiver();
                        evidence = format!(
                            "waived by {} until {} · {evidence}",
                            strip_controls(&w.owner),
                            w.expires
                        );
                        let text = if narrow {
                            format!("{} ", Status::Fail.glyph())
                        } else {
                            format!("{} {:<7}", Status::Fail.glyph(), "waived")
                        };
                        Span::styled(text, theme.muted())
                    }
                    Some(w) => {
                        evidence = format!("waiver expired {} · {evidence}", w.waiver().expires);
                        verdict(theme, status)
                    }
                    None => verdict(theme, status),
                };
                let mark = if narrow && waiver.is_none_or(|w| !w.is_active()) {
                    Span::styled(format!("{} ", status.glyph()), theme.status(status))
                } else {
                    mark
                };
                let severity = match (narrow, def.severity.as_str()) {
                    (true, "medium") => "med",
                    (_, other) => other,
                };
                Line::from(vec![
                    Span::raw("   "),
                    mark,
                    Span::raw(format!(" {} ", fit(&def.id, id_w))),
                    muted(theme, fit(severity, sev_w)),
                    Span::raw(fit(&evidence, evidence_w)),
                ])
            }
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
