//! The service report: received and completed per month as a table with a bar
//! beside each number (so no two values ever touch, at any width), and the figures
//! beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, fit, safe};
use crate::app::App;
use crate::domain::dates::uk;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(r) = &app.report else {
        frame.render_widget(
            Paragraph::new("Working out the report…").block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    // At 80 columns the two panels share the width; wider, the figures keep 46.
    let facts_width = if area.width >= 100 { 46 } else { area.width / 2 };
    let [chart, facts] = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Min(30), Constraint::Length(facts_width)])
        .areas(area);
    frame.render_widget(months_table(r, chart.width.saturating_sub(2), theme), chart);

    let width = usize::from(facts.width.saturating_sub(2));
    let days = |v: Option<f64>| v.map(|d| format!("{d:.1} working days")).unwrap_or_else(|| "none yet".into());
    let mut lines = vec![
        Line::from(format!("Received      {} (+{} redirected)", r.received, r.redirected)),
        Line::from(format!("Completed     {}", r.completed)),
        Line::from(format!("To decision   {}", days(r.median_days_to_decision))),
        Line::from(format!("To viewing    {}", days(r.median_days_to_viewing))),
        Line::styled(
            format!("Overdue now   {}", r.overdue_now),
            if r.overdue_now > 0 { theme.overdue() } else { Style::default() },
        ),
        Line::styled(
            format!("Incidents     {} ({} not referred)", r.incidents, r.incidents_unreferred),
            if r.incidents_unreferred > 0 { theme.overdue() } else { Style::default() },
        ),
        Line::from(""),
        Line::styled("By organisation", theme.title()),
    ];
    for (org, n) in &r.by_organisation {
        lines.push(Line::from(fit(&format!("{n:>4}  {}", safe(org)), width)));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(format!("Refusals ({})", r.refusals.len()), theme.title()));
    for x in &r.refusals {
        lines.push(Line::from(fit(&format!("{} {}", x.reference, safe(&x.reason)), width)));
    }
    let block = Block::default().borders(Borders::ALL).title(" Figures (median = middle value) ");
    frame.render_widget(Paragraph::new(lines).block(block), facts);
}

/// One line a month: `Nov 2025  25–30    3 ███      1 █` — the month, the days
/// counted when the period covers only part of it, then each number right-aligned in
/// its own column followed by its bar, scaled to the largest month.
fn months_table<'a>(r: &crate::domain::report::Report, width: u16, theme: &Theme) -> Paragraph<'a> {
    let received = if theme.color { Style::default().fg(Color::Cyan) } else { Style::default() };
    let completed = if theme.color { Style::default().fg(Color::Green) } else { Style::default() };
    let digits = r.per_month.iter().map(|m| m.received.max(m.completed)).max().unwrap_or(0).max(1);
    let num = digits.to_string().len().max(3);
    // "Mmm YYYY" (8), a space, the days (5), then two columns of a number, a space
    // and a bar, each column followed by a space.
    let fixed = 8 + 1 + 5 + 2 * (1 + num + 1);
    let bar_room = usize::from(width).saturating_sub(fixed) / 2;
    let bar = |n: u32| {
        let cells = (n as usize * bar_room).div_ceil(digits as usize).min(bar_room);
        format!("{:<bar_room$}", "█".repeat(cells))
    };
    let mut lines = vec![Line::styled(
        format!("{:<8} {:<5} {:>num$} {:<bar_room$} {:>num$}", "Month", "Days", "Rec", "", "Done"),
        theme.title(),
    )];
    for m in &r.per_month {
        lines.push(Line::from(vec![
            Span::raw(format!("{:<8} {:<5} ", m.label(), m.days())),
            Span::raw(format!("{:>num$} ", m.received)),
            Span::styled(bar(m.received), received),
            Span::raw(format!(" {:>num$} ", m.completed)),
            Span::styled(bar(m.completed), completed),
        ]));
    }
    let period = format!("{} to {}", uk(r.from), uk(r.to));
    let title = if width >= 70 {
        format!(" Received (Rec) and completed (Done) by month, {period} ")
    } else {
        format!(" By month, {period} ")
    };
    Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title))
}
