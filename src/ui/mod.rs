//! Drawing: `render(frame, &app)` reads the state and draws it; it never changes
//! anything and never touches the database. One file per screen or overlay.
//! Stored text is drawn through `text::safe`, so it cannot carry escape sequences.

mod admin;
mod form;
mod help;
mod letter;
mod log;
mod report;
mod requests;
mod retention;
mod subject;
mod tracker;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::app::keymap::{self, Binding};
use crate::app::{App, Notice, Screen};
use crate::domain::text;

/// The smallest window everything fits in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Styles, with or without colour (`NO_COLOR`).
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }
    fn fg(self, c: Color) -> Style {
        if self.color { Style::default().fg(c) } else { Style::default() }
    }
    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn overdue(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn done(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn dim(self) -> Style {
        if self.color { Style::default().fg(Color::DarkGray) } else { Style::default().add_modifier(Modifier::DIM) }
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}

/// Stored text, safe for the terminal, on one line.
pub(crate) fn safe(s: &str) -> String {
    text::safe(s, false).into_owned()
}

pub(crate) use crate::app::width::{display_width, fit, pad, pad_left};

/// A rectangle of `w`×`h` centred in `area` (clamped to it).
pub(crate) fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App, table: &[Binding], theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "caseshare needs a window of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}. Make the window larger.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    // A long message (a redirect route, a refusal and its fix) is wrapped whole, up
    // to five lines.
    let status_rows = match status_text(app) {
        Some(m) => textwrap::wrap(&m, usize::from(area.width).max(1)).len().clamp(1, 5) as u16,
        None => 1,
    };
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let screen = match app.screen {
        Screen::Requests if app.filter.trim().chars().count() < crate::app::MIN_SEARCH => {
            format!("Requests: {}", app.view.label())
        }
        // A search in All open looks through closed requests too: say so up here.
        Screen::Requests if app.view == crate::app::View::AllOpen => "Requests: search, open and closed".into(),
        Screen::Requests => format!("Requests: {}, search", app.view.label()),
        Screen::Tracker => "Tracker: who viewed what".into(),
        Screen::Log => match &app.log.reference {
            Some(r) => format!("Event log: {r}"),
            None => "Event log: whole database".into(),
        },
        Screen::Letter => "Case note and letters".into(),
        Screen::Report => "Report".into(),
        Screen::Subject => "Subject report".into(),
        Screen::Retention => "Retention".into(),
        Screen::Admin => "Administration".into(),
    };
    let who = format!("{} ({})  {}", safe(&app.me.login), app.me.roles_code(), crate::domain::dates::uk(app.today));
    // The screen's name gives way (cut with …) so that who and the date always show,
    // with at least one space between.
    let width = usize::from(header.width);
    let fixed = " caseshare ".len() + 2; // and a space before the screen, one after who
    let screen = fit(&screen, width.saturating_sub(fixed + who.chars().count() + 1));
    let gap = width.saturating_sub(fixed + screen.chars().count() + who.chars().count()).max(1);
    let head = Line::from(vec![
        Span::styled(" caseshare ", theme.title()),
        Span::raw(format!(" {screen}")),
        Span::raw(" ".repeat(gap)),
        Span::styled(who, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(head), header);
    match app.screen {
        Screen::Requests => requests::render(frame, body, app, theme),
        Screen::Tracker => tracker::render(frame, body, app, theme),
        Screen::Log => log::render(frame, body, app, theme),
        Screen::Letter => letter::render(frame, body, app, theme),
        Screen::Report => report::render(frame, body, app, theme),
        Screen::Subject => subject::render(frame, body, app, theme),
        Screen::Retention => retention::render(frame, body, app, theme),
        Screen::Admin => admin::render(frame, body, app, theme),
    }
    render_status(frame, status, app, theme);
    let mode = keymap::mode_of(app);
    let mut spans = Vec::new();
    // The most useful keys first, as many as fit; help (?) lists the rest.
    for (key, hint) in keymap::fitted_hints(table, mode, usize::from(hints.width)) {
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::raw(format!(" {hint} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), hints);
    if let Some(f) = &app.form {
        form::render(frame, body, f, theme);
    }
    if app.help {
        help::render(frame, area, app, table, theme);
    }
}

/// The status line's message: slow work under way, else the last notice.
fn status_text(app: &App) -> Option<String> {
    match (&app.busy, &app.notice) {
        (Some(b), _) => Some(b.clone()),
        (None, Some(Notice::Info(m) | Notice::Error(m))) => Some(safe(m)),
        (None, None) => None,
    }
}

fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    frame.render_widget(Clear, area);
    let filter_shown = app.screen == Screen::Requests && !app.filter.is_empty();
    if app.filtering || (filter_shown && app.notice.is_none()) {
        let cursor = if app.filtering { "▏" } else { "" };
        let line = Line::from(vec![
            Span::styled(" Filter: ", theme.key()),
            Span::raw(format!("{}{cursor}", safe(&app.filter))),
            Span::styled(
                if app.filter.trim().chars().count() < crate::app::MIN_SEARCH {
                    "  (type 3 or more characters: reference, organisation, child, Mosaic ID, requester)"
                } else {
                    "  (reference, organisation, child, Mosaic ID, requester)"
                },
                theme.dim(),
            ),
        ]);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
        return;
    }
    let style = match (&app.busy, &app.notice) {
        (Some(_), _) => theme.key(),
        (None, Some(Notice::Error(_))) => theme.error(),
        _ => Style::default(),
    };
    // Wrapped here, as the rows were counted, so the end of a message (a refusal's
    // fix, a file's path) is never the part cut off.
    let Some(text) = status_text(app) else { return };
    let lines: Vec<Line> = textwrap::wrap(&text, usize::from(area.width).max(1))
        .into_iter()
        .map(|l| Line::styled(l.into_owned(), style))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
