//! Repositories ranked by traffic. Only the visible rows are built, so 100k rows draw like 100.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{draw_rows, fit, glyph, muted, right};
use crate::controls::Band;
use crate::tui::app::{App, ReposView};
use crate::tui::filter::verdict_label;
use crate::tui::layout;
use crate::tui::theme::Theme;

const RANK_W: usize = 6;
const TRAFFIC_W: usize = 10;
const VIS_W: usize = 10;
const BANDS_W: usize = 10;
const FAIL_W: usize = 5;

/// Width left for the name column.
fn name_width(total: usize) -> usize {
    total.saturating_sub(RANK_W + TRAFFIC_W + VIS_W + BANDS_W + FAIL_W + 5)
}

/// Draw the list.
pub fn render(frame: &mut Frame, body: Rect, app: &App, view: &ReposView) {
    let theme = app.theme();
    let data = &app.data;
    let width = usize::from(body.width);
    let name_w = name_width(width);

    let band = view.band.map_or("all", Band::as_str);
    let mut info = vec![
        muted(theme, " sort: "),
        Span::styled(view.sort.as_str(), theme.accent()),
        muted(theme, " · band: "),
        Span::styled(band, theme.accent()),
        muted(theme, " · verdict: "),
        Span::styled(verdict_label(view.verdict), theme.accent()),
        muted(
            theme,
            format!(" · {} of {} {}", view.rows.len(), data.len(), data.unit()),
        ),
    ];
    if view.pending.is_some() {
        info.push(Span::styled("  filtering…", theme.warning()));
    }
    let legend = "   bands: I identity · B branch · S secrets · X isolation · P policy";
    let used: usize = info.iter().map(|s| s.content.width()).sum();
    if used + legend.width() <= width {
        info.push(muted(theme, legend));
    }
    let head = Line::from(vec![Span::styled(
        format!(
            "{} {} {} {} {} {}",
            right("rank", RANK_W),
            fit("name", name_w),
            right(data.traffic_title(), TRAFFIC_W),
            fit("visibility", VIS_W),
            fit("I B S X P", BANDS_W),
            right("fail", FAIL_W - 1),
        ),
        theme
            .muted()
            .add_modifier(ratatui::style::Modifier::UNDERLINED),
    )]);
    let header_area = Rect::new(body.x, body.y, body.width, body.height.min(2));
    frame.render_widget(Paragraph::new(vec![Line::from(info), head]), header_area);

    let area = layout::list_rect(app.top(), body);
    let height = usize::from(area.height);
    if view.rows.is_empty() {
        let msg = if view.base.is_empty() && view.subset.is_some() {
            " no repository blocks this step"
        } else if view.query.is_empty() {
            " no repository matches these filters (esc clears them)"
        } else {
            " no repository name matches the filter (esc clears it)"
        };
        frame.render_widget(Paragraph::new(Line::from(muted(theme, msg))), area);
        return;
    }
    let end = (view.list.offset + height).min(view.rows.len());
    let visible = &view.rows[view.list.offset.min(end)..end];
    let query = view.rows_query.as_str();
    let rows = visible
        .iter()
        .map(|&idx| row(app, theme, idx as usize, name_w, query))
        .collect();
    let selected = view.list.selected.checked_sub(view.list.offset);
    draw_rows(frame, area, theme, rows, selected);
}

fn row(app: &App, theme: &Theme, idx: usize, name_w: usize, query: &str) -> Line<'static> {
    let data = &app.data;
    let rank = data.rank(idx).map_or("–".to_owned(), |r| r.to_string());
    let name = data.names.get(idx).map(String::as_str).unwrap_or("");
    let mut spans = vec![Span::raw(format!("{} ", right(&rank, RANK_W)))];
    spans.extend(highlight(app, theme, name, name_w, query));
    let vis = data
        .snapshot
        .repos
        .get(idx)
        .map_or("", |r| r.visibility.as_str());
    spans.push(Span::raw(format!(
        " {} {} ",
        right(&data.traffic_label(idx), TRAFFIC_W),
        fit(vis, VIS_W)
    )));
    if let Some(summary) = data.band_status.get(idx) {
        for status in summary {
            spans.push(glyph(theme, *status));
            spans.push(Span::raw(" "));
        }
    }
    let fails = data.failing.get(idx).copied().unwrap_or(0);
    let fail_text = right(&fails.to_string(), FAIL_W - 1);
    spans.push(if fails > 0 {
        Span::styled(fail_text, theme.status(crate::controls::Status::Fail))
    } else {
        muted(theme, fail_text)
    });
    Line::from(spans)
}

/// The name fitted to `width`, with the characters the query matched highlighted.
fn highlight(
    app: &App,
    theme: &Theme,
    name: &str,
    width: usize,
    query: &str,
) -> Vec<Span<'static>> {
    let text = fit(name, width);
    if query.is_empty() {
        return vec![Span::raw(text)];
    }
    let matched = app.matcher.indices(name, query).unwrap_or_default();
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    // `fit` cut the name: its `…` is the last character before any padding.
    let ellipsis_at = (name.width() > width)
        .then(|| text.trim_end_matches(' ').chars().count().saturating_sub(1));
    for (i, c) in text.chars().enumerate() {
        let ellipsis = ellipsis_at == Some(i);
        let is_match = !ellipsis && matched.binary_search(&i).is_ok();
        if is_match != run_matched && !run.is_empty() {
            spans.push(styled(theme, std::mem::take(&mut run), run_matched));
        }
        run_matched = is_match;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(styled(theme, run, run_matched));
    }
    spans
}

fn styled(theme: &Theme, text: String, matched: bool) -> Span<'static> {
    if matched {
        Span::styled(text, theme.matched())
    } else {
        Span::raw(text)
    }
}
