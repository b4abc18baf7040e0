//! Typing a filter (the request list) or a search (the tracker).

use super::*;

impl App {
    pub(super) fn update_typing(&mut self, action: Action) -> Vec<Effect> {
        let tracker = self.tracker.typing;
        let text = if tracker { &mut self.tracker.search } else { &mut self.filter };
        // Whether what is shown is settled is the service's to decide: the app says
        // only how the typing went (Enter, Esc, another key).
        let changed = match action {
            Action::Back => {
                text.clear();
                self.filtering = false;
                self.tracker.typing = false;
                // Results shown while typing were seen: Esc settles them first.
                let mut effects = vec![Effect::SettleLookups(Settled::Esc)];
                if tracker {
                    self.tracker.selected = 0;
                    effects.push(Effect::LoadTracker(Settle::Now(Settled::Esc)));
                } else {
                    self.list.selected = 0;
                    self.list.top = 0;
                    effects.push(Effect::LoadList);
                }
                return effects;
            }
            Action::Open | Action::EndFilter => {
                self.filtering = false;
                self.tracker.typing = false;
                // The rows shown are the kept search's: settling records it.
                return vec![Effect::SettleLookups(Settled::Enter)];
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
            vec![Effect::LoadTracker(Settle::Typing)]
        } else {
            self.list.selected = 0;
            self.list.top = 0;
            vec![Effect::LoadList]
        }
    }
}
