//! The event log of one request, or of the whole database with `verify` at the top.

use chrono::DateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, fit, safe};
use crate::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::default().borders(Borders::ALL).title(format!(" {} events ", app.log.events.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if let Some(v) = &app.log.verify {
        let line = if v.ok() {
            Line::styled(
                format!("verify: OK — {} events, hash chain intact, append-only triggers present", v.events),
                theme.done(),
            )
        } else {
            let why = match (&v.first_broken, v.mismatched.first()) {
                (Some(b), _) => format!("event {} is the first broken link: {}", b.id, b.why),
                (None, Some(m)) => format!("events are missing from the log: {m}"),
                (None, None) => format!("append-only triggers missing: {}", v.missing_triggers.join(", ")),
            };
            Line::styled(format!("verify: FAILED — {why}"), theme.error())
        };
        lines.push(line);
        lines.push(Line::from(""));
    }
    let tz = app.settings.timezone;
    for e in app.log.events.iter().skip(app.log.scroll) {
        let when = DateTime::parse_from_rfc3339(&e.at)
            .map(|t| t.with_timezone(&tz).format("%d/%m/%Y %H:%M:%S").to_string())
            .unwrap_or_else(|_| safe(&e.at));
        lines.push(Line::from(vec![
            Span::styled(format!("#{:<6} {when} ", e.id), theme.dim()),
            Span::styled(format!("{:<14} ", safe(&e.login)), theme.key()),
            Span::raw(format!("{} {}", safe(&e.op), e.reference.as_deref().map(safe).unwrap_or_default())),
        ]));
        if e.before != "null" && e.before != "{}" {
            lines.push(Line::styled(fit(&format!("   before {}", safe(&e.before)), width), theme.dim()));
        }
        lines.push(Line::from(fit(&format!("   after  {}", safe(&e.after)), width)));
        if lines.len() > usize::from(inner.height) {
            break;
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
