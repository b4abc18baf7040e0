//! The help overlay: every key of the screen underneath, from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, centred, fit};
use crate::app::App;
use crate::app::keymap::{self, Binding};

pub fn render(frame: &mut Frame, area: Rect, app: &App, table: &[Binding], theme: &Theme) {
    let keys = keymap::help(table, keymap::base_mode(app));
    // One column when it fits, otherwise two.
    let fits = keys.len() as u16 + 4 <= area.height;
    let (columns, key_width) = if fits { (1, 22) } else { (2, 12) };
    let rows = keys.len().div_ceil(columns);
    let width = if fits { 76 } else { area.width };
    let rect = centred(area, width, rows as u16 + 4);
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Keys on this screen ", theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let col_width = inner.width / columns as u16;
    for (c, chunk) in keys.chunks(rows.max(1)).enumerate() {
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(k, what)| {
                let w = usize::from(col_width).saturating_sub(key_width + 3);
                Line::from(vec![Span::styled(format!("{k:>key_width$}  "), theme.key()), Span::raw(fit(what, w))])
            })
            .collect();
        let col = Rect {
            x: inner.x + c as u16 * col_width,
            width: col_width,
            height: inner.height.saturating_sub(1),
            ..inner
        };
        frame.render_widget(Paragraph::new(lines), col);
    }
    let foot = Rect { y: inner.y + inner.height.saturating_sub(1), height: 1, ..inner };
    frame.render_widget(Paragraph::new(Line::styled("Esc, ? or q closes this help", theme.dim())), foot);
}
