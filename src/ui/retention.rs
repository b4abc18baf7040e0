//! The retention screen: the requests past their retention date (oldest first) and
//! those under a legal hold, each a row of columns fitted by display width; the
//! selected row's rule and hold in full, wrapped, under the lists.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Theme, display_width, fit, safe};
use crate::app::App;
use crate::domain::dates::uk;
use crate::service::retention::DueRequest;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let r = &app.retention;
    // The selected request's details get the rows their wrapped text needs (at least
    // four, at most half the screen), so a long rule or hold reason is never cut.
    let text = usize::from(area.width.saturating_sub(2)).max(1);
    // Wrapping at words can take a row more than the width alone says.
    let wrapped = |l: &String| match display_width(l).div_ceil(text) {
        0 | 1 => 1,
        n => n + 1,
    };
    let needed: usize = detail_lines(r.selected_row()).iter().map(wrapped).sum();
    let rows = (needed as u16 + 2).clamp(6, (area.height / 2).max(6));
    let [lists, detail] = Layout::vertical([Constraint::Min(3), Constraint::Length(rows)]).areas(area);
    let Some(list) = &r.list else {
        frame.render_widget(Paragraph::new("The retention list could not be read."), lists);
        return;
    };
    let title = format!(" Retention on {}: {} due, {} held ", uk(list.today), list.due.len(), list.held.len());
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(lists);
    frame.render_widget(block, lists);
    let width = usize::from(inner.width);
    let wide = width >= 110;
    // The organisation takes what the reference and the date leave; when wide, as
    // much as the longest needs (up to 30) and the rule the rest. The selected row's
    // rule is shown in full under the lists either way.
    let rest = width.saturating_sub(14 + 10 + 2);
    let widths = if wide {
        let org = list.due.iter().map(|d| display_width(&safe(&d.organisation))).max().unwrap_or(0).clamp(12, 30);
        vec![14, 10, org, rest.saturating_sub(org + 1)]
    } else {
        vec![14, 10, rest]
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    lines.push(Line::styled(format!("Due for disposal ({}), oldest first", list.due.len()), theme.title()));
    if list.due.is_empty() {
        lines.push(Line::styled("  No request is past its retention date.", theme.dim()));
    } else {
        let head = ["REFERENCE", "DUE", "ORGANISATION", "RULE"];
        lines.push(Line::styled(columns(&head[..widths.len()], &widths), theme.dim()));
        for (i, d) in list.due.iter().enumerate() {
            let cells = [d.reference.clone(), uk(d.due.due_on), safe(&d.organisation), safe(&d.rule)];
            let cells: Vec<&str> = cells.iter().take(widths.len()).map(String::as_str).collect();
            if i == r.selected {
                selected_line = lines.len();
            }
            lines.push(styled(columns(&cells, &widths), i == r.selected, theme));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!("Under a legal hold ({}), not disposed of until released", list.held.len()),
        theme.title(),
    ));
    if list.held.is_empty() {
        lines.push(Line::styled("  No request is under a hold.", theme.dim()));
    } else {
        let by_w = if wide { 20 } else { 14 };
        let held_w = [14, 10, by_w, width.saturating_sub(14 + 10 + by_w + 3)];
        lines.push(Line::styled(columns(&["REFERENCE", "SINCE", "BY", "REASON"], &held_w), theme.dim()));
        for (i, d) in list.held.iter().enumerate() {
            let at = list.due.len() + i;
            let (since, by, reason) = hold_cells(d);
            if at == r.selected {
                selected_line = lines.len();
            }
            lines.push(styled(columns(&[&d.reference, &since, &by, &reason], &held_w), at == r.selected, theme));
        }
    }
    // Keep the selected row in view.
    let rows = usize::from(inner.height);
    let scroll = selected_line.saturating_sub(rows.saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    render_detail(frame, detail, r.selected_row(), theme);
}

/// The selected request in full: its due date and rule, and any hold, wrapped.
fn render_detail(frame: &mut Frame, area: Rect, row: Option<&DueRequest>, theme: &Theme) {
    let block = Block::default().borders(Borders::ALL).title(" Selected ");
    let Some(d) = row else {
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let lines: Vec<Line> = detail_lines(Some(d))
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 2 { Line::styled(l, theme.overdue()) } else { Line::from(l) })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}

/// The selected request in words: where it is from and when due, its rule, its hold.
fn detail_lines(row: Option<&DueRequest>) -> Vec<String> {
    let Some(d) = row else { return vec![] };
    let mut lines = vec![
        format!("{} · {} · due {}", d.reference, safe(&d.organisation), uk(d.due.due_on)),
        format!("Rule: {}", safe(&d.rule)),
    ];
    if let Some(h) = &d.hold {
        lines.push(format!("Held since {} by {}: {}", uk(h.since), safe(&h.by), safe(&h.reason)));
    }
    lines
}

fn hold_cells(d: &DueRequest) -> (String, String, String) {
    match &d.hold {
        Some(h) => (uk(h.since), safe(&h.by), safe(&h.reason)),
        None => Default::default(),
    }
}

fn styled(text: String, selected: bool, theme: &Theme) -> Line<'static> {
    Line::styled(text, if selected { theme.selected() } else { Style::default() })
}

/// Cells cut and padded to their display widths, one space apart.
pub(super) fn columns(cells: &[&str], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push(' ');
        }
        let cut = fit(cell, *w);
        let pad = w.saturating_sub(display_width(&cut));
        line.push_str(&cut);
        line.push_str(&" ".repeat(pad));
    }
    line.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_fitted_by_display_width() {
        assert_eq!(fit("Exampleshire", 20), "Exampleshire");
        assert_eq!(fit("Exampleshire", 6), "Examp…");
        // Each of these takes two columns: three and the ellipsis fit in seven.
        assert_eq!(fit("日本語の町", 7), "日本語…");
        assert_eq!(display_width(&columns(&["日本", "x"], &[6, 1])), 8);
    }
}
