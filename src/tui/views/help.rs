//! Help: every key, generated from the keymap so it can never drift from it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{centered, fit, muted};
use crate::tui::app::App;

/// Draw the help overlay.
pub fn render(frame: &mut Frame, body: Rect, app: &App, scroll: u16) {
    let theme = app.theme();
    let help = app.keymap.help();
    let key_w = help
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(8)
        .min(28);
    let mut lines: Vec<Line> = help
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {} ", fit(&keys, key_w)), theme.accent()),
                Span::raw(what),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(muted(
        theme,
        " mouse: wheel scrolls · click selects, again opens · click a crumb: back",
    )));
    lines.push(Line::from(muted(
        theme,
        " while filtering: type to narrow · enter keeps · esc clears",
    )));
    lines.push(Line::from(muted(
        theme,
        " keys can be changed in keymap.toml",
    )));
    let widest = lines.iter().map(Line::width).max().unwrap_or(40);
    let width = (widest.max(key_w + 48) + 3) as u16;
    let rect = centered(body, width, lines.len() as u16 + 2);
    let more = lines.len() as u16 + 2 > rect.height;
    let bottom = if more {
        " j/k scroll · esc closes "
    } else {
        " esc closes "
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.base())
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .title(Span::styled(" Keys ", theme.accent()))
                    .title_bottom(Span::styled(bottom, theme.muted()))
                    .border_style(theme.accent()),
            ),
        rect,
    );
}
