//! The letters screen: the next kind of letter, copying and saving the one shown.

use super::*;
use crate::domain::LetterKind;

impl App {
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
                    self.notice = Some(Notice::Info(format!("{} copied to the clipboard (OSC 52)", kind.label())));
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
