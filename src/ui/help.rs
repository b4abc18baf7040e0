//! The help overlay: every key of the screen underneath, from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, centred};
use crate::app::App;
use crate::tui::keymap::{self, Binding};

pub fn render(frame: &mut Frame, area: Rect, app: &App, table: &[Binding], theme: &Theme) {
    let keys = keymap::help(table, keymap::base_mode(app));
    let h = (keys.len() as u16 + 4).min(area.height);
    let rect = centred(area, 76, h);
    frame.render_widget(Clear, rect);
    let mut lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| Line::from(vec![Span::styled(format!("{k:>22}  "), theme.key()), Span::raw(*what)]))
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled("Esc, ? or q closes this help", theme.dim()));
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Keys on this screen ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
