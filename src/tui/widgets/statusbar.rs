//! The status bar: the filter being typed, work in progress, or the keys of this view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::tui::app::{App, View};
use crate::tui::keymap::Command;

/// Key hints for the topmost view, generated from the keymap, each with a priority
/// (the lowest go first when the bar is too narrow).
fn hints(app: &App) -> Vec<(String, &'static str, u8)> {
    let key = |cmd: Command| {
        app.keymap
            .keys(cmd)
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| "?".to_owned())
    };
    let mut out = Vec::new();
    let mv = format!("{}/{}", key(Command::Down), key(Command::Up));
    match app.top() {
        View::Control { .. } => out.push((mv, "scroll", 1)),
        View::Repos(_) => {
            out.push((mv, "move", 1));
            out.push((key(Command::Drill), "open", 8));
            out.push((key(Command::Filter), "filter", 7));
            out.push((key(Command::Sort), "sort", 5));
            out.push((key(Command::BandFilter), "band", 4));
            out.push((key(Command::VerdictFilter), "verdict", 4));
        }
        _ => {
            out.push((mv, "move", 1));
            out.push((key(Command::Drill), "open", 8));
            out.push((key(Command::Filter), "filter", 7));
        }
    }
    if app.stack.len() > 1 {
        out.push((key(Command::Back), "back", 6));
    }
    out.push((key(Command::Help), "help", 9));
    out.push((key(Command::Quit), "quit", 9));
    out
}

/// Draw the status bar.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    if let Some(path) = &app.loading {
        let text = match app.loading_progress {
            Some((done, total)) => format!(
                " opening {} … re-analysing pipeline files {done}/{total}",
                path.display()
            ),
            None => format!(" opening {} …", path.display()),
        };
        let line = Line::from(Span::styled(text, theme.warning()));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let Some(notice) = &app.notice {
        let line = Line::from(Span::styled(format!(" {notice}"), theme.accent()));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let View::Repos(r) = app.top()
        && (r.editing || !r.query.is_empty())
    {
        let mut spans = vec![
            Span::styled(" /", theme.accent()),
            Span::styled(
                crate::sanitize::strip_controls(&r.query).into_owned(),
                theme.base(),
            ),
        ];
        if r.editing {
            spans.push(Span::styled("▏", theme.accent()));
            spans.push(Span::styled("  enter keep · esc clear", theme.muted()));
        } else {
            spans.push(Span::styled("  esc clears the filter", theme.muted()));
        }
        if r.pending.is_some() {
            spans.push(Span::styled("  filtering…", theme.warning()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let mut hints = hints(app);
    let width = |h: &[(String, &str, u8)]| {
        h.iter()
            .map(|(k, w, _)| k.width() + w.width() + 4)
            .sum::<usize>()
    };
    // Drop the least useful hints until the rest fit (help and quit always stay).
    while width(&hints) > usize::from(area.width) && hints.len() > 2 {
        let lowest = hints
            .iter()
            .enumerate()
            .min_by_key(|(i, h)| (h.2, *i))
            .map_or(0, |(i, _)| i);
        hints.remove(lowest);
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (key, what, _)) in hints.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.muted()));
        }
        spans.push(Span::styled(key, theme.accent()));
        spans.push(Span::styled(format!(" {what}"), theme.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
