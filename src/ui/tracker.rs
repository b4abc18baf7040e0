//! The tracker: every viewing across requests, newest first, then the copies shared
//! directly without a viewing; searchable.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, fit, pad, safe};
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
    // Wide windows show the time and fuller names; at 80 columns the columns narrow so
    // that the organisation and the supervisor still show.
    let wide = width >= 110;
    let w = if wide { [17, 14, 18, 18, 22] } else { [10, 13, 14, 13, 14] };
    let mut lines = vec![Line::styled(
        row(["WHEN", "REQUEST", "CHILD", "VIEWER", "ORGANISATION"], "SUPERVISED BY / ITEMS", w, width),
        theme.dim(),
    )];
    let rows = usize::from(inner.height).saturating_sub(1);
    let start = t.selected.saturating_sub(rows.saturating_sub(1));
    let viewings = t.rows.iter().map(|r| {
        let sup = if r.supervised { safe(&r.supervisor) } else { format!("{} (NOT throughout)", safe(&r.supervisor)) };
        let when = if wide { format!("{} {}", uk(r.day), r.start.format("%H:%M")) } else { uk(r.day) };
        let (child, viewers, org) = (safe(&r.subjects), safe(&r.viewers), safe(&r.viewer_org));
        let rest = format!("{sup} · {} · {}", r.method.label(), safe(&r.items));
        let text = row([&when, &r.reference, &child, &viewers, &org], &rest, w, width);
        (text, if r.supervised { Style::default() } else { theme.overdue() })
    });
    // A copy sent without a viewing: no supervisor to name, so it says what was sent and how.
    let shares = t.shares.iter().map(|r| {
        let (child, to, org) = (safe(&r.subjects), safe(&r.shared_with), safe(&r.organisation));
        let rest = format!("copy sent ({}) · {}", safe(&r.method), safe(&r.items));
        (row([&uk(r.day), &r.reference, &child, &to, &org], &rest, w, width), Style::default())
    });
    for (i, (text, style)) in viewings.chain(shares).enumerate().skip(start).take(rows) {
        let style = if i == t.selected { style.patch(theme.selected()) } else { style };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One line: five columns cut to their widths, then the rest, cut to the window.
fn row(cells: [&str; 5], rest: &str, w: [usize; 5], width: usize) -> String {
    let mut line = String::new();
    for (cell, n) in cells.iter().zip(w) {
        // Padded by display width, so a name in a wide script keeps the columns after it in line.
        line.push_str(&pad(&fit(cell, n), n));
        line.push(' ');
    }
    line.push_str(rest);
    fit(&line, width)
}
