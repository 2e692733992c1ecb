//! Drawing: a pure function of the state. Lists build only their visible rows.

mod by_control;
mod control;
mod help;
mod overview;
mod repo;
mod repos;
mod snapshots;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::app::{App, Overlay, View};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::theme::Theme;
use super::widgets;
use crate::controls::Status;

/// Draw the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = app.theme();
    frame.render_widget(Block::default().style(theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return;
    }
    let areas = layout::areas(area);
    widgets::title::render(frame, areas.title, app);
    widgets::breadcrumbs::render(frame, areas.crumbs, app);
    match app.top() {
        View::Overview { list } => overview::render(frame, areas.body, app, list),
        View::Repos(view) => repos::render(frame, areas.body, app, view),
        View::Repo { repo, list } => repo::render(frame, areas.body, app, *repo, list),
        View::Control {
            repo,
            control,
            scroll,
        } => control::render(frame, areas.body, app, *repo, *control, *scroll),
        View::ByControl { list } => by_control::render_controls(frame, areas.body, app, list),
        View::ControlRepos {
            control,
            rows,
            list,
        } => by_control::render_repos(frame, areas.body, app, *control, rows, list),
        View::Snapshots { list } => snapshots::render(frame, areas.body, app, list),
    }
    widgets::statusbar::render(frame, areas.status, app);
    match &app.overlay {
        Some(Overlay::Help { scroll }) => help::render(frame, areas.body, app, *scroll),
        Some(Overlay::Message { title, lines }) => message(frame, areas.body, theme, title, lines),
        None => {}
    }
    if let Some(progress) = &app.sync {
        sync_overlay(frame, areas.body, app, progress);
    }
}

/// The sync in flight: phase, progress, last repository, warnings; Esc cancels.
fn sync_overlay(frame: &mut Frame, body: Rect, app: &App, p: &super::action::SyncProgress) {
    let theme = app.theme();
    let data = &app.data;
    let width = body.width.min(76);
    let inner = usize::from(width.saturating_sub(4));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", data.org), theme.accent()),
            muted(
                theme,
                format!(
                    "from {}",
                    crate::sanitize::strip_controls(&data.snapshot.api_host)
                ),
            ),
        ]),
        Line::from(format!(" {}", crate::sanitize::strip_controls(&p.phase))),
    ];
    let mut bar = vec![Span::raw(" ")];
    bar.extend(super::widgets::gauge::progress(
        theme,
        p.done,
        p.total,
        inner.saturating_sub(14),
    ));
    bar.push(Span::raw(format!(
        " {}",
        right(&format!("{}/{}", p.done, p.total), 11)
    )));
    lines.push(Line::from(bar));
    lines.push(Line::from(muted(
        theme,
        fit(
            &format!(" {}", crate::sanitize::strip_controls(&p.last)),
            inner,
        ),
    )));
    for w in p.warnings.iter().rev().take(3) {
        lines.push(Line::from(Span::styled(
            fit(&format!(" ! {}", crate::sanitize::strip_controls(w)), inner),
            theme.warning(),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(muted(
        theme,
        " esc cancels · the cached snapshot stays as it is until the sync completes",
    )));
    let rect = centered(body, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).style(theme.base()).block(
            Block::bordered()
                .title(Span::styled(" Syncing ", theme.accent()))
                .border_style(theme.accent()),
        ),
        rect,
    );
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::from(Span::styled("Terminal too small", theme.warning())),
        Line::from(format!(
            "posture needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
            area.width, area.height
        )),
        Line::from("Enlarge the window, or press q to quit."),
    ];
    let y = area.height.saturating_sub(3) / 2;
    let rect = Rect::new(
        area.x,
        area.y + y,
        area.width,
        area.height.saturating_sub(y),
    );
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn message(frame: &mut Frame, body: Rect, theme: &Theme, title: &str, lines: &[String]) {
    let mut text: Vec<Line> = lines
        .iter()
        .map(|l| Line::from(crate::sanitize::strip_controls(l).into_owned()))
        .collect();
    text.push(Line::from(""));
    text.push(Line::from(Span::styled(
        "Esc closes this message",
        theme.muted(),
    )));
    let rect = centered(body, 76, lines.len() as u16 * 2 + 4);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .style(theme.base())
            .block(
                Block::bordered()
                    .title(Span::styled(format!(" {title} "), theme.warning()))
                    .border_style(theme.warning()),
            ),
        rect,
    );
}

/// A verdict's glyph, styled.
pub(super) fn glyph(theme: &Theme, status: Status) -> Span<'static> {
    Span::styled(status.glyph(), theme.status(status))
}

/// A verdict's glyph and name, e.g. `✗ fail`, padded to 9 columns.
pub(super) fn verdict(theme: &Theme, status: Status) -> Span<'static> {
    let name = match status {
        Status::NotApplicable => "n/a",
        other => other.as_str(),
    };
    Span::styled(
        format!("{} {:<7}", status.glyph(), name),
        theme.status(status),
    )
}

/// Truncate to `width` terminal columns (with `…`) and pad to exactly `width` columns.
/// Columns, not characters: a CJK character takes two, a combining mark none.
pub(super) fn fit(text: &str, width: usize) -> String {
    let used = text.width();
    if used <= width {
        let mut out = text.to_owned();
        out.extend(std::iter::repeat_n(' ', width - used));
        return out;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut cols = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if cols + w > width - 1 {
            break;
        }
        out.push(c);
        cols += w;
    }
    out.push('…');
    // A wide character that did not fit before `…` leaves one column to pad.
    out.extend(std::iter::repeat_n(' ', width - 1 - cols));
    out
}

/// Right-align to `width` columns.
pub(super) fn right(text: &str, width: usize) -> String {
    let used = text.width();
    if used >= width {
        fit(text, width)
    } else {
        format!("{}{text}", " ".repeat(width - used))
    }
}

/// Draw `rows` (already only the visible ones) with the selected one highlighted and padded.
pub(super) fn draw_rows(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    rows: Vec<Line<'static>>,
    selected: Option<usize>,
) {
    let lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            if Some(i) == selected {
                let used = line.width();
                // One uniform style on the selected row: readable in every theme.
                let mut line = line.style(theme.selection());
                for span in &mut line.spans {
                    span.style = span.style.patch(theme.selection());
                }
                if used < usize::from(area.width) {
                    line.push_span(Span::raw(" ".repeat(usize::from(area.width) - used)));
                }
                line
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A heading line in the accent style.
pub(super) fn heading(theme: &Theme, text: impl Into<String>) -> Line<'static> {
    Line::from(Span::styled(text.into(), theme.accent()))
}

/// Muted text span.
pub(super) fn muted(theme: &Theme, text: impl Into<String>) -> Span<'static> {
    Span::styled(text.into(), theme.muted())
}

/// Word-wrap `text` to `width` columns (long words are cut), each line prefixed by `indent`.
pub(super) fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let width = width.saturating_sub(indent.width()).max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: &str = word;
        loop {
            let need = if len == 0 {
                word.width()
            } else {
                len + 1 + word.width()
            };
            if need <= width {
                if len > 0 {
                    line.push(' ');
                }
                line.push_str(word);
                len = need;
                break;
            }
            if len > 0 {
                lines.push(format!("{indent}{line}"));
                line.clear();
                len = 0;
                continue;
            }
            // A word longer than the line: cut it at the last character that fits (at least
            // one, so a character wider than the line cannot loop forever).
            let (head, rest) = split_at_width(word, width);
            lines.push(format!("{indent}{head}"));
            word = rest;
        }
    }
    if len > 0 || lines.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

/// Split `text` after the longest prefix of at most `width` columns (at least one character).
fn split_at_width(text: &str, width: usize) -> (&str, &str) {
    let mut cols = 0;
    for (i, c) in text.char_indices() {
        cols += c.width().unwrap_or(0);
        if cols > width && i > 0 {
            return text.split_at(i);
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_words_and_indents() {
        let lines = wrap("alpha beta gamma delta", 16, "  ");
        assert_eq!(lines, ["  alpha beta", "  gamma delta"]);
        let long = wrap("abcdefghijklmnopqrstuvwxyz", 12, "");
        assert_eq!(long, ["abcdefghijkl", "mnopqrstuvwx", "yz"]);
    }

    #[test]
    fn fit_truncates_with_an_ellipsis_and_pads() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(right("7", 3), "  7");
    }

    #[test]
    fn widths_are_terminal_columns() {
        // Regression (issue 11, defect 15): CJK names were cut by characters, overflowing.
        assert_eq!(fit("支付服务网关", 7), "支付服…");
        assert_eq!(fit("支付服务网关", 6), "支付… ");
        assert_eq!(fit("支付", 6), "支付  ");
        assert_eq!(right("支付", 6), "  支付");
        assert_eq!(
            wrap("支付服务网关支付服务网关", 10, ""),
            ["支付服务网", "关支付服务", "网关"]
        );
    }
}
