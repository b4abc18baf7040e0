//! The tracker: every viewing across requests, newest first, searchable.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, fit, safe};
use crate::app::App;
use crate::domain::dates::uk;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let [search, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
    let t = &app.tracker;
    let cursor = if t.typing { "▏" } else { "" };
    let line = Line::from(vec![
        Span::styled("Search: ", theme.key()),
        Span::raw(format!("{}{cursor}", safe(&t.search))),
        Span::styled(
            "   child, Mosaic ID, organisation, viewer, reference; dates as 01/11/2026..30/11/2026",
            theme.dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(line).block(Block::default().borders(Borders::ALL)), search);
    let block = Block::default().borders(Borders::ALL).title(format!(" Viewings ({}) ", t.rows.len()));
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let width = usize::from(inner.width);
    if t.rows.is_empty() {
        frame.render_widget(Paragraph::new("No viewings match."), inner);
        return;
    }
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "{:<17} {:<14} {:<18} {:<18} {:<22} {}",
                "WHEN", "REQUEST", "CHILD", "VIEWER", "ORGANISATION", "SUPERVISED BY / ITEMS"
            ),
            width,
        ),
        theme.dim(),
    )];
    let rows = usize::from(inner.height).saturating_sub(1);
    let start = t.selected.saturating_sub(rows.saturating_sub(1));
    for (i, r) in t.rows.iter().enumerate().skip(start).take(rows) {
        let sup = if r.supervised { safe(&r.supervisor) } else { format!("{} (NOT throughout)", safe(&r.supervisor)) };
        let text = format!(
            "{:<17} {:<14} {:<18} {:<18} {:<22} {} · {} · {}",
            format!("{} {}", uk(r.day), r.start.format("%H:%M")),
            r.reference,
            fit(&safe(&r.subjects), 18),
            fit(&safe(&r.viewers), 18),
            fit(&safe(&r.viewer_org), 22),
            sup,
            r.method.label(),
            safe(&r.items)
        );
        let mut style = if r.supervised { Style::default() } else { theme.overdue() };
        if i == t.selected {
            style = style.patch(theme.selected());
        }
        lines.push(Line::styled(fit(&text, width), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
