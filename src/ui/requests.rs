//! The home screen: the request list on the left, the selected request's header
//! and checklist on the right.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, fit, safe};
use crate::app::{App, Detail, Focus};
use crate::domain::dates::uk;
use crate::domain::{Status, StepState};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let list_width = if area.width >= 140 {
        72
    } else if area.width >= 110 {
        60
    } else {
        42
    };
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
    let mut lines = Vec::new();
    for (i, r) in app.list.rows.iter().enumerate().take(usize::from(inner.height)) {
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
        let fixed = format!("{mark} {} {:<14} {:>8} ", r.reference, short_status(r.status), target);
        let text = format!("{fixed}{}", fit(&who, width.saturating_sub(fixed.chars().count())));
        let mut style = if overdue { theme.overdue() } else { Style::default() };
        if absolute == app.list.selected {
            style = style.patch(theme.selected());
        }
        lines.push(Line::styled(fit(&text, width), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_detail(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Checklist && app.form.is_none();
    let title =
        app.detail.as_ref().map(|d| format!(" {} ", d.file.request.reference)).unwrap_or_else(|| " Request ".into());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, if focused { theme.title() } else { Style::default() }));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(d) = &app.detail else {
        frame.render_widget(Paragraph::new("Select a request."), inner);
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = header_lines(d, width, theme);
    // Short windows keep every checklist line and give up header lines instead.
    let keep = usize::from(inner.height).saturating_sub(d.lines.len() + 3).max(1);
    lines.truncate(keep);
    lines.push(Line::from(""));
    // Wide panes show each step's full state; narrow ones a short one, with the
    // full state of the step under the cursor at the foot.
    let wide = width >= 70;
    let label_width = if wide { 34 } else { width.saturating_sub(12).min(30) };
    for (i, l) in d.lines.iter().enumerate() {
        let (symbol, style) = match &l.state {
            StepState::Done { .. } => ("✓", theme.done()),
            StepState::Pending { .. } => ("·", Style::default()),
            StepState::Overdue { .. } => ("!", theme.overdue()),
            StepState::Blocked { .. } => ("✗", theme.dim()),
            StepState::Refused { .. } => ("✗", Style::default()),
            StepState::Closed { .. } | StepState::NotRequired => ("–", theme.dim()),
        };
        let label = format!("{symbol} {:>2}. {}", l.number, l.label);
        let state = if wide { safe(&l.describe()) } else { short_state(&l.state) };
        let text = format!("{:<label_width$} {}", fit(&label, label_width), state);
        let mut style = style;
        if focused && i == d.cursor {
            style = style.patch(theme.selected());
        }
        lines.push(Line::styled(fit(&text, width), style));
    }
    // A due date counted into a year the holiday list does not cover rests on the
    // rule, as `request show` says too.
    if let Some(note) = &d.due_note {
        // Wrapped, not cut: the year it names is the point.
        for part in textwrap::wrap(&format!("({note})"), width.max(1)) {
            lines.push(Line::styled(part.into_owned(), theme.dim()));
        }
    }
    lines.push(Line::from(""));
    match d.lines.get(d.cursor).filter(|_| focused) {
        Some(l) => {
            let text = format!("{}. {}: {}", l.number, l.label, safe(&l.describe()));
            lines.push(Line::styled(text, theme.key()));
            let hint = match l.state {
                StepState::Blocked { .. } | StepState::Closed { .. } | StepState::NotRequired => "Esc back to the list",
                _ => "Enter opens the step's form; Esc back to the list",
            };
            lines.push(Line::styled(hint, theme.dim()));
        }
        None => lines.push(Line::styled("Enter or Tab: work on the checklist", theme.dim())),
    }
    // Below, where the pane has room: what is in scope and what became of it, and the
    // viewings so far (the last rows are simply cut off in a short window).
    lines.extend(scope_lines(d, width, theme));
    // Only the foot (the step under the cursor, in full) is long enough to wrap.
    frame.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }), inner);
}

/// The items asked for (with each one's decision and any consent still needed) and
/// the viewings recorded.
fn scope_lines(d: &Detail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let f = &d.file;
    let mut v = Vec::new();
    if !f.items.is_empty() {
        v.push(Line::from(""));
        v.push(Line::styled("Items in scope", theme.dim()));
        for i in &f.items {
            let state = match i.approved {
                // Approved, but another agency's material is not shown until it agrees.
                Some(true) if i.needs_consent() => {
                    format!("approved; needs {}'s consent", safe(i.third_party.as_deref().unwrap_or("the agency")))
                }
                Some(true) => "approved".to_string(),
                Some(false) => "not approved".to_string(),
                None if i.needs_consent() => {
                    format!("needs {}'s consent", safe(i.third_party.as_deref().unwrap_or("the agency")))
                }
                None => "awaiting approval".to_string(),
            };
            let text = format!("{:>3}. {}  — {state}", i.number, safe(&i.description));
            let style = if i.approved == Some(true) { theme.done() } else { Style::default() };
            v.push(Line::styled(fit(&text, width), style));
        }
    }
    if let Some(last) = f.viewings.iter().max_by_key(|x| (x.day, x.start)) {
        let text = format!(
            "Viewings: {} — last {} by {} ({}), supervised by {}",
            f.viewings.len(),
            last.day.format("%d/%m/%Y"),
            safe(&last.viewers),
            safe(&last.viewer_org),
            safe(&last.supervisor.name)
        );
        v.push(Line::from(""));
        v.push(Line::raw(fit(&text, width)));
    }
    v
}

fn short_state(state: &StepState) -> String {
    match state {
        StepState::Done { on: Some(d), .. } => d.format("%d/%m/%Y").to_string(),
        StepState::Done { .. } => "done".into(),
        StepState::Pending { due: Some(d) } => format!("due {}", d.format("%d/%m/%Y")),
        StepState::Pending { .. } => String::new(),
        StepState::Overdue { .. } => "OVERDUE".into(),
        StepState::Blocked { .. } => "blocked".into(),
        StepState::Refused { .. } => "refused".into(),
        StepState::Closed { .. } => "closed".into(),
        StepState::NotRequired => "n/a".into(),
    }
}

fn header_lines(d: &Detail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let r = &d.file.request;
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<13}"), theme.dim()),
            Span::raw(fit(&value, width.saturating_sub(13))),
        ])
    };
    let mut v = vec![Line::from(vec![
        Span::styled(r.reference.clone(), theme.title()),
        Span::raw(format!("  {}  ({}, v{})", r.status.label(), r.kind.label(), r.version)),
    ])];
    v.push(row("Organisation", format!("{} ({})", safe(&r.organisation.name), r.organisation.kind.label())));
    if let Some(route) = &r.redirect_route {
        v.push(row("Redirected", safe(route)));
    }
    if !r.requester.name.is_empty() {
        let role = if r.requester.role.is_empty() { String::new() } else { format!(", {}", safe(&r.requester.role)) };
        v.push(row("Requester", format!("{}{role}", safe(&r.requester.name))));
    }
    for s in &d.file.subjects {
        let dob = s.dob.map(|x| format!(", born {}", uk(x))).unwrap_or_default();
        v.push(row("Subject", format!("{} (Mosaic {}{dob})", safe(&s.name), safe(&s.mosaic_id))));
    }
    if let Some(a) = &r.service_area {
        v.push(row("Service area", format!("{} — owner {}", safe(&a.name), safe(&a.asset_owner.name))));
    }
    let format = r.format.map(|f| f.label()).unwrap_or("-");
    v.push(row("BSA / format", format!("{} / {format}", safe(&r.owner.login))));
    if r.basis.is_complete() {
        v.push(row("Lawful basis", safe(&r.basis.summary())));
    }
    v
}
