//! Typing a filter (the request list) or a search (the tracker).

use super::*;

impl App {
    pub(super) fn update_typing(&mut self, action: Action) -> Vec<Effect> {
        let tracker = self.tracker.typing;
        let text = if tracker { &mut self.tracker.search } else { &mut self.filter };
        let changed = match action {
            Action::Back => {
                text.clear();
                self.filtering = false;
                self.tracker.typing = false;
                true
            }
            Action::Open | Action::EndFilter => {
                self.filtering = false;
                self.tracker.typing = false;
                // Keeping a search records it: a tracker search as a who-viewed lookup,
                // a list search as a lookup of requests.
                if !tracker && !text.trim().is_empty() {
                    return vec![Effect::RecordSearch(text.clone())];
                }
                tracker && !text.trim().is_empty()
            }
            Action::Input(key) => {
                use ratatui::crossterm::event::KeyCode;
                match key.code {
                    KeyCode::Char(c) if !c.is_control() => {
                        if text.chars().count() < 60 {
                            text.push(c);
                        }
                        true
                    }
                    KeyCode::Backspace => text.pop().is_some(),
                    _ => false,
                }
            }
            _ => false,
        };
        if !changed {
            return vec![];
        }
        if tracker {
            self.tracker.selected = 0;
            vec![Effect::LoadTracker]
        } else {
            self.list.selected = 0;
            self.list.top = 0;
            vec![Effect::LoadList]
        }
    }
}
