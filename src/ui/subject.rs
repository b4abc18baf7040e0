//! The subject report: the lines `caseshare subject-report` prints (already made safe
//! for a terminal by the domain's rendering), wrapped to the width and scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::App;
use crate::app::subject::{columns, wrapped};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lines = wrapped(&app.subject.lines, columns(area.width));
    let height = usize::from(area.height.saturating_sub(2));
    let shown: Vec<Line> = lines
        .iter()
        .skip(app.subject.scroll)
        .take(height)
        .map(|l| if l.starts_with("== ") { Line::styled(l.clone(), theme.title()) } else { Line::from(l.clone()) })
        .collect();
    let end = (app.subject.scroll + height).min(lines.len());
    let title = format!(" lines {}-{end} of {} ", (app.subject.scroll + 1).min(end), lines.len());
    frame.render_widget(Paragraph::new(shown).block(Block::default().borders(Borders::ALL).title(title)), area);
}
