//! The drafted case note and the letters of the selected request, to copy (OSC 52)
//! or save; Tab moves to the next kind.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Theme, safe};
use crate::app::App;
use crate::domain::LetterKind;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(l) = &app.letter else {
        frame.render_widget(Paragraph::new("No request selected.").block(Block::default().borders(Borders::ALL)), area);
        return;
    };
    let tabs: Vec<Span> = LetterKind::ALL
        .iter()
        .map(|k| {
            let style = if *k == l.kind { theme.selected() } else { theme.dim() };
            Span::styled(format!(" {} ", k.label()), style)
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(tabs))
        .title_bottom(Span::styled(format!(" {} — Tab next, y copy, s save ", l.reference), theme.dim()));
    let lines: Vec<Line> = match &l.text {
        Ok(text) => text.lines().map(|line| Line::from(safe(line))).collect(),
        Err(why) => vec![Line::styled(format!("Not available yet: {}", safe(why)), theme.error())],
    };
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
