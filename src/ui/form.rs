//! A form over the body: labelled fields, the focused one highlighted, and the
//! refusal (or y/n question) under them. What was typed stays on screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Theme, centred, fit, safe};
use crate::app::form::{Form, Input, Side, View};

const LABEL: u16 = 24;

pub fn render(frame: &mut Frame, body: Rect, form: &Form, theme: &Theme) {
    let area = centred(body, body.width.saturating_sub(4).min(110), body.height);
    frame.render_widget(Clear, area);
    let title = match &form.reference {
        Some(r) => format!(" {} — {r} ", form.kind().title()),
        None => format!(" {} ", form.kind().title()),
    };
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    let fields = form.fields.inputs();
    if let Some(p) = &form.preface {
        // The preface gets whatever the fields leave, up to its wrapped length.
        let fields: u16 = fields.iter().map(|f| f.height()).sum::<u16>() + 3;
        let w = usize::from(inner.width.max(1));
        let wrapped: usize = p.lines().map(|l| l.chars().count().div_ceil(w).max(1)).sum();
        let h = (wrapped as u16).min(inner.height.saturating_sub(fields)).max(1);
        let text: Vec<Line> = p.lines().map(|l| Line::styled(safe(l), theme.dim())).collect();
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), Rect { height: h, ..inner });
        y += h + 1;
    }
    // The message under the fields: a question, the last refusal, or the keys.
    let (msg, style) = if form.discarding {
        ("Close this form and lose what you typed? y / n".to_string(), theme.key())
    } else if let Some(ask) = &form.asking {
        let why = form.error.as_deref().map(|e| format!("✗ {}  ", safe(e))).unwrap_or_default();
        (format!("{why}{} y / n", safe(&ask.question)), theme.key())
    } else if let Some(q) = form.question.as_ref().filter(|_| form.confirming) {
        (safe(q), theme.key())
    } else if form.confirming {
        ("This cannot be undone. Save it? y / n".to_string(), theme.key())
    } else if let Some(e) = &form.error {
        (format!("✗ {}", safe(e)), theme.error())
    } else {
        let field = fields.get(form.focus);
        match field.and_then(|f| f.note()) {
            // What the last letter typed into a choice did, so it never changes unseen.
            Some(note) => (format!("{}   Ctrl-S save · Tab next · Esc cancel", safe(&note)), theme.key()),
            None => {
                let hint = field.map(|f| f.hint()).unwrap_or("");
                (format!("{hint}   Ctrl-S save · Tab next · Esc cancel"), theme.dim())
            }
        }
    };
    let msg = Line::styled(msg, style);
    // Room kept for the message under the fields: all of a refusal (its fix is what
    // the person needs), up to half the form.
    let rows = msg.width().div_ceil(usize::from(inner.width.max(1)));
    // Wrapping at words takes a row more than the width alone says, at most.
    let rows = if rows > 1 { rows + 1 } else { rows } as u16;
    let message_rows = rows.clamp(2, (inner.height / 2).max(2));
    let available = bottom.saturating_sub(y + message_rows);
    // A field in conflict after a refused save takes two lines more: the other
    // version, and what is chosen.
    let height = |i: usize| fields[i].height() + 2 * u16::from(form.conflict_at(i).is_some());
    // Scroll so the focused field is visible.
    let mut first = 0;
    while first < form.focus {
        let used: u16 = (first..=form.focus).map(height).sum();
        if used <= available {
            break;
        }
        first += 1;
    }
    for (i, field) in fields.iter().enumerate().skip(first) {
        let h = field.height();
        if y + height(i) > bottom.saturating_sub(message_rows) {
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { theme.key() } else { Style::default() };
        let label = Rect { x: inner.x, y, width: LABEL.min(inner.width), height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled(fit(field.label(), usize::from(LABEL) - 1), label_style)),
            label,
        );
        let value = Rect { x: inner.x + LABEL, y, width: inner.width.saturating_sub(LABEL), height: h };
        render_input(frame, value, *field, focused, theme);
        y += h;
        if let Some(c) = form.conflict_at(i) {
            // The field shows one version; these lines, the other and what is chosen.
            let (other, text) = match c.chosen {
                Some(Side::Theirs) => ("yours", &c.yours),
                _ => ("theirs", &c.theirs),
            };
            let (state, style) = match c.chosen {
                None => ("choose: Ctrl-T theirs · Ctrl-O yours", theme.error()),
                Some(Side::Theirs) => ("theirs chosen (Ctrl-O for yours)", theme.dim()),
                Some(Side::Yours) => ("yours chosen (Ctrl-T for theirs)", theme.dim()),
            };
            let width = usize::from(inner.width.saturating_sub(LABEL));
            let one_line = safe(text).replace('\n', " ⏎ ");
            let lines = vec![
                Line::from(vec![
                    Span::styled(format!("{other}: "), theme.key()),
                    Span::raw(fit(&one_line, width.saturating_sub(other.len() + 2).max(1))),
                ]),
                Line::styled(fit(&format!("[{state}]"), width), style),
            ];
            let area = Rect { x: inner.x + LABEL, y, width: inner.width.saturating_sub(LABEL), height: 2 };
            frame.render_widget(Paragraph::new(lines), area);
            y += 2;
        }
    }
    let msg_area =
        Rect { x: inner.x, y: bottom.saturating_sub(message_rows), width: inner.width, height: message_rows };
    frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), msg_area);
}

fn render_input(frame: &mut Frame, area: Rect, field: &dyn Input, focused: bool, theme: &Theme) {
    let width = usize::from(area.width);
    match field.view() {
        View::Text(t) => {
            let mut t = t.clone();
            let base =
                if focused { Style::default().add_modifier(ratatui::style::Modifier::UNDERLINED) } else { theme.dim() };
            t.set_style(base);
            t.set_cursor_line_style(Style::default());
            t.set_cursor_style(if focused { theme.selected() } else { base });
            frame.render_widget(&t, area);
        }
        View::Choice(label) => {
            let text = format!("‹ {} ›", safe(label.unwrap_or("(none available)")));
            let style = if focused { theme.selected() } else { Style::default() };
            frame.render_widget(Paragraph::new(Span::styled(fit(&text, width), style)), area);
        }
        View::Checks { options, cursor } => {
            if options.is_empty() {
                frame.render_widget(Paragraph::new("(nothing to choose)"), area);
                return;
            }
            let rows = usize::from(area.height);
            let start = cursor.saturating_sub(rows.saturating_sub(1));
            let lines: Vec<Line> = options
                .iter()
                .enumerate()
                .skip(start)
                .take(rows)
                .map(|(i, (label, on))| {
                    let text = format!("[{}] {}", if *on { "x" } else { " " }, safe(label));
                    let style = if focused && i == cursor { theme.selected() } else { Style::default() };
                    Line::styled(fit(&text, width), style)
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), area);
        }
    }
}
