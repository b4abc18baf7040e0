//! The letters screen: the next kind of letter, scrolling, sending the one shown to
//! the terminal's clipboard and saving it to a private file.

use super::*;
use crate::domain::LetterKind;

/// Rows of the letter on a terminal `height` rows high (header, frame, status, hints).
pub fn rows(height: u16) -> usize {
    usize::from(height.saturating_sub(5)).max(1)
}

/// The letter's lines wrapped to the frame of a terminal `width` columns wide (or the
/// reason it is not available yet), nothing cut off.
pub fn lines(letter: &LetterView, width: u16) -> Vec<String> {
    let columns = usize::from(width.saturating_sub(2)).max(10);
    let text = match &letter.text {
        Ok(text) => text.clone(),
        Err(why) => format!("Not available yet: {why}"),
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let line = crate::domain::text::safe(line, false);
        if line.is_empty() {
            out.push(String::new());
        } else {
            out.extend(textwrap::wrap(&line, columns).into_iter().map(|l| l.into_owned()));
        }
    }
    out
}

impl App {
    /// Scrolls the letter by `delta` lines, no further than its last screenful.
    pub(super) fn scroll_letter(&mut self, delta: isize) {
        let Some(l) = &self.letter else { return };
        let last = lines(l, self.width).len().saturating_sub(rows(self.height));
        self.letter_scroll = self.letter_scroll.saturating_add_signed(delta).min(last);
    }

    /// Scrolls the help overlay by `delta` lines, no further than its last screenful.
    pub(super) fn scroll_help(&mut self, delta: isize) {
        let table = keymap::bindings();
        let columns = usize::from(keymap::help_width(self.width).saturating_sub(2));
        let n = keymap::help_lines(&table, keymap::base_mode(self), columns).len();
        let last = n.saturating_sub(keymap::help_rows(self.height));
        self.help_scroll = self.help_scroll.saturating_add_signed(delta).min(last);
    }

    pub(super) fn update_letter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::NextLetter => match &self.letter {
                Some(l) => {
                    let all = LetterKind::ALL;
                    let next = all[(all.iter().position(|k| *k == l.kind).unwrap_or(0) + 1) % all.len()];
                    vec![Effect::LoadLetter(l.reference.clone(), next)]
                }
                None => vec![],
            },
            Action::Copy => match self.letter.as_ref().map(|l| (l.kind, &l.text)) {
                Some((kind, Ok(text))) => {
                    // Sent, not copied: a terminal that ignores OSC 52 (PuTTY) says nothing.
                    self.notice = Some(Notice::Info(format!(
                        "{} sent to the terminal's clipboard (OSC 52). If it does not paste, your terminal \
                         ignores OSC 52 (PuTTY does): press s to save it to a file instead.",
                        kind.label()
                    )));
                    vec![Effect::Clipboard(text.clone())]
                }
                _ => vec![],
            },
            Action::Export => match &self.letter {
                Some(LetterView { reference, kind, text: Ok(text) }) => {
                    vec![Effect::WriteFile { name: format!("{reference}-{}.txt", kind.as_code()), text: text.clone() }]
                }
                _ => vec![],
            },
            _ => vec![],
        }
    }
}
