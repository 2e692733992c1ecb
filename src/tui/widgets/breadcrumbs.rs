//! Breadcrumbs: where the navigation stack is, k9s style, and where the snapshot came from.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::tui::app::{App, ControlRef, View};

fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The crumb of one view.
pub fn crumb(app: &App, view: &View) -> String {
    let data = &app.data;
    let catalog = &data.assessment.catalog;
    match view {
        View::Overview { .. } => data.org.clone(),
        View::Repos(r) => match &r.subset {
            Some(subset) => format!("{} ({})", title(data.unit()), subset.label),
            None => title(data.unit()),
        },
        View::Repo { repo, .. } => data.names.get(*repo).cloned().unwrap_or_default(),
        View::Control { control, .. } => match control {
            ControlRef::Repo(c) => catalog.repo.get(*c).map(|d| d.id.to_string()),
            ControlRef::Org(c) => catalog.org.get(*c).map(|d| d.id.to_string()),
        }
        .unwrap_or_default(),
        View::ByControl { .. } => "By control".to_owned(),
        View::ControlRepos { control, .. } => catalog
            .repo
            .get(*control)
            .map(|d| format!("failing {}", d.id))
            .unwrap_or_default(),
        View::Snapshots { .. } => "Snapshots".to_owned(),
    }
}

/// The columns (start, end exclusive) of each crumb, relative to the bar's left edge.
pub fn ranges(app: &App) -> Vec<(u16, u16)> {
    let mut x = 1u16;
    let mut out = Vec::with_capacity(app.stack.len());
    for (i, view) in app.stack.iter().enumerate() {
        if i > 0 {
            x = x.saturating_add(3);
        }
        let width = u16::try_from(crumb(app, view).width()).unwrap_or(u16::MAX);
        out.push((x, x.saturating_add(width)));
        x = x.saturating_add(width);
    }
    out
}

/// The stack depth whose crumb is at column `x`, if any.
pub fn crumb_at(app: &App, x: u16) -> Option<usize> {
    ranges(app).iter().position(|&(a, b)| x >= a && x < b)
}

/// Draw the breadcrumbs (left) and the snapshot's source (right).
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let mut spans = vec![Span::raw(" ")];
    let last = app.stack.len() - 1;
    for (i, view) in app.stack.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.muted()));
        }
        let style = if i == last {
            theme.accent()
        } else {
            theme.base()
        };
        spans.push(Span::styled(crumb(app, view), style));
    }
    let source = &app.data.source;
    let source_style = if source.demo {
        theme.warning()
    } else {
        theme.muted()
    };
    let right = Line::from(vec![
        Span::styled(
            crate::sanitize::strip_controls(&source.label).into_owned(),
            source_style,
        ),
        Span::raw(" "),
    ]);
    // Crumbs first; the source label is drawn only where it does not cover them.
    let used = Line::from(spans.clone()).width() as u16 + 2;
    let right_width = right.width() as u16;
    if used + right_width <= area.width {
        frame.render_widget(Paragraph::new(right).alignment(Alignment::Right), area);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
