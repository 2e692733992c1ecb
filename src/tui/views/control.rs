//! One control: title, rationale, the full evidence with its source, and what a fix would do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{heading, muted, verdict, wrap};
use crate::controls::Status;
use crate::sanitize::strip_controls;
use crate::tui::app::{App, ControlRef};

const INDENT: &str = "   ";

fn block(lines: &mut Vec<Line<'static>>, text: &str, width: usize, style: Style) {
    for line in wrap(text, width, INDENT) {
        lines.push(Line::from(Span::styled(line, style)));
    }
}

/// Draw the control view.
pub fn render(
    frame: &mut Frame,
    body: Rect,
    app: &App,
    repo: Option<usize>,
    control: ControlRef,
    scroll: u16,
) {
    let theme = app.theme();
    let data = &app.data;
    let catalog = &data.assessment.catalog;
    let width = usize::from(body.width).saturating_sub(1);
    let (def, v) = match control {
        ControlRef::Repo(c) => (catalog.repo.get(c), repo.and_then(|r| data.verdict(r, c))),
        ControlRef::Org(c) => (catalog.org.get(c), data.assessment.org.get(c)),
    };
    let Some(def) = def else {
        return;
    };
    let status = v.map_or(Status::Unknown, |v| v.status);
    let subject = match repo.and_then(|r| data.snapshot.repos.get(r)) {
        Some(r) => format!("repository {}", strip_controls(&r.name)),
        None => format!("organisation {}", data.org),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw(" "),
            verdict(theme, status),
            Span::styled(def.title.clone(), theme.accent()),
        ]),
        Line::from(muted(
            theme,
            format!(
                " {} · band {} · severity {}",
                def.id,
                def.band.as_str(),
                def.severity.as_str()
            ),
        )),
        Line::from(muted(theme, format!(" {subject}"))),
        Line::from(""),
        heading(theme, " Evidence"),
    ];
    match v {
        Some(v) => {
            block(
                &mut lines,
                &strip_controls(&v.evidence),
                width,
                theme.base(),
            );
            if let Some(loc) = &v.location {
                lines.push(Line::from(vec![
                    muted(theme, format!("{INDENT}source: ")),
                    Span::raw(format!("{}:{}", strip_controls(&loc.path), loc.line)),
                ]));
            }
            if let Some(reason) = &v.reason {
                lines.push(Line::from(muted(
                    theme,
                    format!("{INDENT}unknown because:"),
                )));
                block(
                    &mut lines,
                    &strip_controls(reason),
                    width,
                    theme.status(Status::Unknown),
                );
            }
        }
        None => lines.push(Line::from(muted(theme, format!("{INDENT}not judged")))),
    }
    let waiver = match (control, repo) {
        (ControlRef::Repo(c), Some(r)) => data.waiver(r, c, app.now),
        _ => None,
    };
    if let Some(state) = waiver {
        let w = state.waiver();
        lines.push(Line::from(""));
        lines.push(heading(theme, " Waiver"));
        let text = if state.is_active() {
            format!(
                "waived by {} until {} (through 23:59:59 UTC): {}",
                strip_controls(&w.owner),
                w.expires,
                strip_controls(&w.reason)
            )
        } else {
            format!(
                "the waiver by {} expired on {}: the failure counts again ({})",
                strip_controls(&w.owner),
                w.expires,
                strip_controls(&w.reason)
            )
        };
        block(&mut lines, &text, width, theme.warning());
    }
    lines.push(Line::from(""));
    lines.push(heading(theme, " Why it matters"));
    block(&mut lines, &def.rationale, width, theme.base());
    lines.push(Line::from(""));
    lines.push(heading(theme, " What a fix would do"));
    block(&mut lines, &def.fix, width, theme.base());
    if status == Status::Pass || status == Status::NotApplicable {
        lines.push(Line::from(muted(
            theme,
            format!("{INDENT}(nothing to fix here)"),
        )));
    } else if app.read_only {
        lines.push(Line::from(muted(
            theme,
            format!("{INDENT}read-only: fixes are not offered"),
        )));
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
}
