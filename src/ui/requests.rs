//! The home screen: the request list on the left, the selected request's header
//! and checklist on the right. In a narrow window each request takes two lines, the
//! child and the organisation under the reference; the details wrap and scroll.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, fit, pad, pad_left, safe};
use crate::app::detail::{self, LABEL, Tone};
use crate::app::{App, Focus};
use crate::domain::Status;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let list_width = detail::list_width(area.width);
    let [left, right] = Layout::horizontal([Constraint::Length(list_width), Constraint::Min(20)]).areas(area);
    render_list(frame, left, app, theme);
    render_detail(frame, right, app, theme);
}

fn short_status(s: Status) -> &'static str {
    match s {
        Status::AwaitingForm => "Awaiting form",
        Status::AwaitingApproval => "Awaiting appr.",
        other => other.label(),
    }
}

fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::List && app.form.is_none();
    let title = if app.filter.trim().chars().count() < crate::app::MIN_SEARCH {
        format!(" {} ({}) ", app.view.label(), app.list.total)
    } else if app.view == crate::app::View::AllOpen {
        format!(" Search, open and closed ({}) ", app.list.total)
    } else {
        format!(" {}, search ({}) ", app.view.label(), app.list.total)
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, if focused { theme.title() } else { Style::default() }));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    if app.list.rows.is_empty() {
        let msg = if app.filter.is_empty() { "No requests in this view." } else { "No requests match the filter." };
        frame.render_widget(Paragraph::new(msg), inner);
        return;
    }
    let two = detail::two_line_rows(app.width.max(area.width));
    let mut lines = Vec::new();
    for (i, r) in app.list.rows.iter().enumerate() {
        let absolute = app.list.top + i;
        let overdue = r.is_overdue(app.today);
        let target = match r.due_on {
            Some(d) if overdue => format!("{}d late", app.settings.holidays.working_days_between(d, app.today)),
            Some(d) => format!("{}d left", app.settings.holidays.working_days_between(app.today, d)),
            None => String::new(),
        };
        let mark = if overdue { "!" } else { " " };
        let who = if r.subjects.is_empty() {
            safe(&r.organisation)
        } else {
            format!("{} · {}", safe(&r.subjects), safe(&r.organisation))
        };
        let fixed = format!("{mark} {} {} {} ", r.reference, pad(short_status(r.status), 14), pad_left(&target, 8));
        let mut style = if overdue { theme.overdue() } else { Style::default() };
        if absolute == app.list.selected {
            style = style.patch(theme.selected());
        }
        if two {
            lines.push(Line::styled(pad(&fit(fixed.trim_end(), width), width), style));
            lines.push(Line::styled(pad(&fit(&format!("  {who}"), width), width), style));
        } else {
            let text = format!("{fixed}{}", fit(&who, width.saturating_sub(super::display_width(&fixed))));
            lines.push(Line::styled(fit(&text, width), style));
        }
    }
    lines.truncate(usize::from(inner.height));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_detail(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Checklist && app.form.is_none();
    let Some(d) = &app.detail else {
        let block = Block::default().borders(Borders::ALL).title(" Request ");
        frame.render_widget(Paragraph::new("Select a request.").block(block), area);
        return;
    };
    let title = format!(" {} ", d.file.request.reference);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, if focused { theme.title() } else { Style::default() }));
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    let rows = usize::from(inner.height);
    let all = app.detail_lines(width);
    let top = app.detail_top(&all, rows);
    // Say where the pane stands when it does not show everything, and how to scroll.
    if all.len() > rows {
        let end = (top + rows).min(all.len());
        block =
            block.title_bottom(Span::styled(format!(" {}-{end} of {}, J/K scroll ", top + 1, all.len()), theme.dim()));
    }
    frame.render_widget(block, area);
    let lines: Vec<Line> = all.iter().skip(top).take(rows).map(|(tone, text)| styled(*tone, text, theme)).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn style_of(tone: Tone, theme: &Theme) -> Style {
    match tone {
        Tone::Plain | Tone::Field => Style::default(),
        Tone::Title => theme.title(),
        Tone::Dim | Tone::Foot => theme.dim(),
        Tone::Done => theme.done(),
        Tone::Overdue => theme.overdue(),
        Tone::Key => theme.key(),
        Tone::Selected(t) => style_of(*t, theme).patch(theme.selected()),
    }
}

fn styled(tone: Tone, text: &str, theme: &Theme) -> Line<'static> {
    if tone == Tone::Field {
        // The label's columns dim, the value plain (continuations start with spaces).
        let split = text.char_indices().nth(LABEL).map_or(text.len(), |(i, _)| i);
        return Line::from(vec![
            Span::styled(text[..split].to_string(), theme.dim()),
            Span::raw(text[split..].to_string()),
        ]);
    }
    Line::styled(text.to_string(), style_of(tone, theme))
}
