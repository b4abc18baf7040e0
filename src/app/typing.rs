//! Typing a filter (the request list) or a search (the tracker, an event log).

use super::*;

impl App {
    pub(super) fn update_typing(&mut self, action: Action) -> Vec<Effect> {
        if self.log.typing {
            return self.update_log_search(action);
        }
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
            Action::Input(key) => typed(text, key),
            Action::ClearField => {
                let had = !text.is_empty();
                text.clear();
                had
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

/// A key typed into a search: true if it changed the text.
fn typed(text: &mut String, key: ratatui::crossterm::event::KeyEvent) -> bool {
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

impl App {
    /// Typing the search of an event log: the events already on screen are
    /// narrowed as you type (nothing is looked up again), newest first.
    fn update_log_search(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Back => {
                self.log.search.clear();
                self.log.typing = false;
            }
            Action::Open | Action::EndFilter => self.log.typing = false,
            Action::Input(key) => {
                typed(&mut self.log.search, key);
            }
            Action::ClearField => self.log.search.clear(),
            _ => {}
        }
        self.log.scroll = 0;
        vec![]
    }
}
