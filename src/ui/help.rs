//! The help overlay: every key of the screen underneath, from the keymap table, each
//! description wrapped in full; it scrolls when the keys do not all fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, centred, pad_left};
use crate::app::App;
use crate::app::keymap::{self, Binding, HELP_KEYS};

pub fn render(frame: &mut Frame, area: Rect, app: &App, table: &[Binding], theme: &Theme) {
    let width = keymap::help_width(area.width);
    let keys = keymap::help_lines(table, keymap::base_mode(app), usize::from(width.saturating_sub(2)));
    let rect = centred(area, width, keys.len() as u16 + 3);
    frame.render_widget(Clear, rect);
    let rows = usize::from(rect.height.saturating_sub(3)).max(1);
    let top = app.help_scroll.min(keys.len().saturating_sub(rows));
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Keys on this screen ", theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines: Vec<Line> = keys
        .iter()
        .skip(top)
        .take(rows)
        .map(|(k, what)| {
            Line::from(vec![Span::styled(pad_left(k, HELP_KEYS) + "  ", theme.key()), Span::raw(what.clone())])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), Rect { height: inner.height.saturating_sub(1), ..inner });
    let foot = Rect { y: inner.y + inner.height.saturating_sub(1), height: 1, ..inner };
    let text = if keys.len() > rows {
        let end = (top + rows).min(keys.len());
        format!("Esc, ? or q closes this help · ↑/↓ PgUp/PgDn scroll · lines {}-{end} of {}", top + 1, keys.len())
    } else {
        "Esc, ? or q closes this help".to_string()
    };
    frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), foot);
}
