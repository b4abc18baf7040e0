//! The administration screen: a line of tabs, the tab's rows in columns fitted to
//! the width (a retired row dimmed), and the selected row in full, wrapped, under
//! them, so that nothing is lost to a narrow terminal.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use textwrap::core::display_width;

use super::retention::columns;
use super::{Theme, safe};
use crate::app::App;
use crate::app::admin::{AdminTab, headings};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let [tabs, table, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(4)]).areas(area);
    let mut spans = Vec::new();
    for tab in AdminTab::ALL {
        let style = if tab == app.admin.tab { theme.selected() } else { theme.dim() };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" {} ", tab.label()), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);

    let rows = app.admin_rows();
    let title = match app.admin.tab {
        AdminTab::Holidays => format!(" Bank holidays {} ", app.today.format("%Y")),
        tab => format!(" {} ({}) ", tab.label(), rows.len()),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let head = headings(app.admin.tab);
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.iter().map(|c| safe(c)).collect()).collect();
    let widths = fitted(head, &cells, usize::from(inner.width));
    let mut lines = vec![Line::styled(columns(head, &widths), theme.dim())];
    for (i, (row, shown)) in rows.iter().zip(&cells).enumerate() {
        let text: Vec<&str> = shown.iter().map(String::as_str).collect();
        let style = if i == app.admin.selected {
            theme.selected()
        } else if row.retired {
            theme.dim()
        } else {
            Style::default()
        };
        lines.push(Line::styled(columns(&text, &widths), style));
    }
    if rows.is_empty() {
        lines.push(Line::styled("  None yet: a adds one.", theme.dim()));
    }
    // Keep the selected row in view under the headings.
    let visible = usize::from(inner.height).saturating_sub(1).max(1);
    let scroll = (app.admin.selected + 1).saturating_sub(visible);
    let body: Vec<Line> = std::iter::once(lines[0].clone()).chain(lines.into_iter().skip(1 + scroll)).collect();
    frame.render_widget(Paragraph::new(body), inner);

    let block = Block::default().borders(Borders::ALL).title(" Selected ");
    let full = rows
        .get(app.admin.selected)
        .map(|r| head.iter().zip(&r.cells).map(|(h, c)| format!("{h}: {}", safe(c))).collect::<Vec<_>>().join(" · "))
        .unwrap_or_default();
    frame.render_widget(Paragraph::new(full).block(block).wrap(Wrap { trim: true }), detail);
}

/// Each column as wide as its widest cell; when they do not all fit, the widest
/// columns give way first (each cut shows an ellipsis; the row is whole below).
fn fitted(head: &[&str], rows: &[Vec<String>], width: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = head
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter().filter_map(|r| r.get(i)).map(|c| display_width(c)).chain([display_width(h)]).max().unwrap_or(0)
        })
        .collect();
    let gaps = widths.len().saturating_sub(1);
    while widths.iter().sum::<usize>() + gaps > width {
        let Some((at, w)) = widths.iter().copied().enumerate().max_by_key(|(_, w)| *w) else { break };
        if w <= 6 {
            break;
        }
        widths[at] = w - 1;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_column_gives_way_first() {
        let rows = vec![vec!["a".repeat(40), "b".repeat(10)]];
        assert_eq!(fitted(&["A", "B"], &rows, 80), vec![40, 10]);
        assert_eq!(fitted(&["A", "B"], &rows, 31), vec![20, 10]);
    }
}
