//! The title bar: provider, org, snapshot time; badges `offline`, `read-only`, stale warning.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, stale_days};

/// Draw the title bar.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let data = &app.data;
    let left = Line::from(vec![
        Span::styled(
            " posture ",
            theme.header().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "│ {} · {} │ {} ",
                data.snapshot.provider.as_str(),
                data.org,
                data.snapshot.taken_at.format("%Y-%m-%d %H:%M UTC")
            ),
            theme.header(),
        ),
    ]);
    let state = if app.sync.is_some() {
        "[syncing…]"
    } else {
        "[offline]"
    };
    let mut badges = vec![Span::styled(state, theme.header())];
    if app.read_only {
        badges.push(Span::styled(" [read-only]", theme.header()));
    }
    if let Some(days) = stale_days(data, app.now) {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            format!(" STALE: {days} days old "),
            theme
                .warning()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ));
    }
    badges.push(Span::styled(" ", theme.header()));
    frame.render_widget(Paragraph::new(left).style(theme.header()), area);
    frame.render_widget(
        Paragraph::new(Line::from(badges)).alignment(Alignment::Right),
        area,
    );
}
