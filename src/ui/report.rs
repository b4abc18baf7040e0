//! The service report: received and completed per month as a bar chart, and the
//! figures beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

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
    let [chart, facts] = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Min(40), Constraint::Length(46)])
        .areas(area);
    let received = if theme.color { Style::default().fg(Color::Cyan) } else { Style::default() };
    let completed = if theme.color { Style::default().fg(Color::Green) } else { Style::default() };
    // Fit every month: each group is two bars and a gap.
    let months = r.per_month.len().max(1) as u16;
    let inner_width = chart.width.saturating_sub(2);
    let bar_width = ((inner_width / months).saturating_sub(1) / 2).clamp(1, 5);
    let label_width = usize::from(bar_width * 2);
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let groups: Vec<BarGroup> = r
        .per_month
        .iter()
        .map(|m| {
            let n: usize = m.month[5..].parse().unwrap_or(1);
            let label = if label_width >= 3 { NAMES[(n - 1) % 12].to_string() } else { format!("{n:02}") };
            BarGroup::default().label(Line::from(label)).bars(&[
                Bar::default().value(u64::from(m.received)).style(received),
                Bar::default().value(u64::from(m.completed)).style(completed),
            ])
        })
        .collect();
    let mut bars = BarChart::default()
        .block(Block::default().borders(Borders::ALL).title(format!(
            " Received (left) and completed (right), {} to {} ",
            uk(r.from),
            uk(r.to)
        )))
        .bar_width(bar_width)
        .bar_gap(0)
        .group_gap(1);
    for g in groups {
        bars = bars.data(g);
    }
    frame.render_widget(bars, chart);

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
