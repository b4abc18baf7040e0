//! The tracker: every viewing across requests, newest first, then the copies shared
//! directly without a viewing; searchable.

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
    let title = if t.shares.is_empty() {
        format!(" Viewings ({}) ", t.rows.len())
    } else {
        format!(" Viewings ({}) and copies shared directly ({}) ", t.rows.len(), t.shares.len())
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let width = usize::from(inner.width);
    if t.is_empty() {
        frame.render_widget(Paragraph::new("No viewings or direct shares match."), inner);
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
    let viewings = t.rows.iter().map(|r| {
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
        (text, if r.supervised { Style::default() } else { theme.overdue() })
    });
    // A copy sent without a viewing: no supervisor to name, so it says what was sent and how.
    let shares = t.shares.iter().map(|r| {
        let text = format!(
            "{:<17} {:<14} {:<18} {:<18} {:<22} copy sent ({}) · {}",
            uk(r.day),
            r.reference,
            fit(&safe(&r.subjects), 18),
            fit(&safe(&r.shared_with), 18),
            fit(&safe(&r.organisation), 22),
            safe(&r.method),
            safe(&r.items)
        );
        (text, Style::default())
    });
    for (i, (text, style)) in viewings.chain(shares).enumerate().skip(start).take(rows) {
        let style = if i == t.selected { style.patch(theme.selected()) } else { style };
        lines.push(Line::styled(fit(&text, width), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
