//! The drafted case note and the letters of the selected request, wrapped to the
//! window and scrolled, to send to the terminal's clipboard (OSC 52) or save to a
//! private file; Tab moves to the next kind.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::App;
use crate::app::letter::lines;
use crate::domain::LetterKind;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(l) = &app.letter else {
        frame.render_widget(Paragraph::new("No request selected.").block(Block::default().borders(Borders::ALL)), area);
        return;
    };
    let mut tabs: Vec<Span> = LetterKind::ALL
        .iter()
        .map(|k| {
            let style = if *k == l.kind { theme.selected() } else { theme.dim() };
            Span::styled(format!(" {} ", k.label()), style)
        })
        .collect();
    // Too many to show whole: the one shown, and where it stands among them.
    if tabs.iter().map(Span::width).sum::<usize>() + 2 > usize::from(area.width) {
        let at = LetterKind::ALL.iter().position(|k| *k == l.kind).unwrap_or(0);
        tabs = vec![
            Span::styled(format!(" {} ", l.kind.label()), theme.selected()),
            Span::styled(format!(" {} of {}, Tab next ", at + 1, LetterKind::ALL.len()), theme.dim()),
        ];
    }
    let all = lines(l, area.width);
    let height = usize::from(area.height.saturating_sub(2)).max(1);
    let top = app.letter_scroll.min(all.len().saturating_sub(height));
    let end = (top + height).min(all.len());
    let place = if all.len() > height {
        format!(" · lines {}-{end} of {}, ↑/↓ PgUp/PgDn scroll", top + 1, all.len())
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(tabs))
        .title_bottom(Span::styled(format!(" {}{place} ", l.reference), theme.dim()));
    let shown: Vec<Line> = match &l.text {
        Ok(_) => all.iter().skip(top).take(height).map(|s| Line::from(s.clone())).collect(),
        Err(_) => all.iter().skip(top).take(height).map(|s| Line::styled(s.clone(), theme.error())).collect(),
    };
    frame.render_widget(Paragraph::new(shown).block(block), area);
}
