//! The status bar: the filter being typed, work in progress, or the keys of this view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, View};
use crate::tui::keymap::Command;

/// Key hints for the topmost view, generated from the keymap.
fn hints(app: &App) -> Vec<(String, &'static str)> {
    let key = |cmd: Command| {
        app.keymap
            .keys(cmd)
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| "?".to_owned())
    };
    let mut out = vec![(
        format!("{}/{}", key(Command::Down), key(Command::Up)),
        "move",
    )];
    match app.top() {
        View::Control { .. } => out[0].1 = "scroll",
        View::Repos(_) => {
            out.push((key(Command::Drill), "open"));
            out.push((key(Command::Filter), "filter"));
            out.push((key(Command::Sort), "sort"));
            out.push((key(Command::BandFilter), "band"));
            out.push((key(Command::VerdictFilter), "verdict"));
        }
        _ => {
            out.push((key(Command::Drill), "open"));
            out.push((key(Command::Filter), "filter"));
        }
    }
    if app.stack.len() > 1 {
        out.push((key(Command::Back), "back"));
    }
    out.push((key(Command::Help), "help"));
    out.push((key(Command::Quit), "quit"));
    out
}

/// Draw the status bar.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    if let Some(path) = &app.loading {
        let line = Line::from(Span::styled(
            format!(" opening {} …", path.display()),
            theme.warning(),
        ));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let View::Repos(r) = app.top()
        && (r.editing || !r.query.is_empty())
    {
        let mut spans = vec![
            Span::styled(" /", theme.accent()),
            Span::styled(crate::tui::data::clean(&r.query).into_owned(), theme.base()),
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
    let width = |h: &[(String, &str)]| {
        h.iter()
            .map(|(k, w)| k.chars().count() + w.chars().count() + 4)
            .sum::<usize>()
    };
    // Drop the least useful hints until the rest fit (help and quit always stay).
    while width(&hints) > usize::from(area.width) && hints.len() > 2 {
        hints.remove(0);
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (key, what)) in hints.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.muted()));
        }
        spans.push(Span::styled(key, theme.accent()));
        spans.push(Span::styled(format!(" {what}"), theme.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
