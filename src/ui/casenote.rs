//! The drafted Mosaic case note, to copy (OSC 52) or save.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Theme, safe};
use crate::app::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (title, text) = match &app.case_note {
        Some((r, t)) => (format!(" Case note for {r} — y copy, s save "), t.as_str()),
        None => (" Case note ".to_string(), ""),
    };
    let block = Block::default().borders(Borders::ALL).title(ratatui::text::Span::styled(title, theme.title()));
    let lines: Vec<Line> = text.lines().map(|l| Line::from(safe(l))).collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
