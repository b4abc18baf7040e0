//! `update`: one action in, the state changed, the effects for the loop out.

use super::*;
use crate::app::form::FormKind;
use crate::domain::LetterKind;

/// What the status line says while verify reads the whole log.
pub const VERIFYING: &str = "Verifying the log: walking the chain and comparing the tables…";

impl App {
    pub(super) fn move_list(&mut self, to: usize) -> Vec<Effect> {
        if self.list.total == 0 {
            return vec![];
        }
        let to = to.min(self.list.total - 1);
        self.list.selected = to;
        let page = self.page();
        let mut effects = Vec::new();
        if to < self.list.top || to >= self.list.top + page {
            let top = if to < self.list.top { to } else { to + 1 - page };
            self.list.top = top;
            effects.push(Effect::LoadList);
        } else if let Some(r) = self.selected_reference() {
            effects.push(Effect::LoadDetail(r.to_string()));
        }
        effects
    }

    pub(super) fn step(&mut self, delta: isize) -> Vec<Effect> {
        match (self.screen, self.focus) {
            (Screen::Requests, Focus::List) => {
                let to = self.list.selected.saturating_add_signed(delta);
                self.move_list(to)
            }
            (Screen::Requests, Focus::Checklist) => {
                if let Some(d) = &mut self.detail {
                    d.cursor = d.cursor.saturating_add_signed(delta).min(d.lines.len().saturating_sub(1));
                }
                vec![]
            }
            (Screen::Tracker, _) => {
                let n = self.tracker.len();
                self.tracker.selected = self.tracker.selected.saturating_add_signed(delta).min(n.saturating_sub(1));
                vec![]
            }
            (Screen::Log, _) => {
                let n = self.log.shown().len();
                self.log.scroll = self.log.scroll.saturating_add_signed(delta).min(n.saturating_sub(1));
                vec![]
            }
            (Screen::Letter, _) => {
                self.scroll_letter(delta);
                vec![]
            }
            (Screen::Subject, _) => {
                self.subject.scroll_by(delta, self.width, self.height);
                vec![]
            }
            (Screen::Report, _) => vec![],
            (Screen::Retention, _) => self.step_retention(delta),
            (Screen::Admin, _) => self.step_admin(delta),
        }
    }

    /// Applies an action; returns the effects for the loop to run.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if let Action::Resize(w, h) = action {
            let reload = h != self.height;
            self.width = w;
            self.height = h;
            return if reload { vec![Effect::LoadList] } else { vec![] };
        }
        let action = match self.result(action) {
            Ok(effects) => return effects,
            Err(action) => action,
        };
        if action == Action::Suspend {
            // The loop suspends; the state stays as it is.
            return vec![];
        }
        if self.help {
            let page = self.height.saturating_sub(4) as isize;
            match action {
                Action::Help | Action::Back | Action::Quit | Action::Interrupt => self.help = false,
                Action::Up => self.scroll_help(-1),
                Action::Down => self.scroll_help(1),
                Action::PageUp => self.scroll_help(-page),
                Action::PageDown => self.scroll_help(page),
                _ => {}
            }
            return vec![];
        }
        // Ctrl-C: what Esc does wherever Esc cancels; on the request list, quit.
        let action = match action {
            Action::Interrupt
                if self.form.is_none()
                    && !self.filtering
                    && !self.tracker.typing
                    && !self.log.typing
                    && self.screen == Screen::Requests
                    && self.focus == Focus::List =>
            {
                Action::Quit
            }
            Action::Interrupt => Action::Back,
            other => other,
        };
        if self.form.is_some() {
            return self.update_form(action);
        }
        if self.filtering || self.tracker.typing || self.log.typing {
            return self.update_typing(action);
        }
        self.notice = None;
        let page = self.page() as isize;
        match action {
            Action::Quit if self.screen == Screen::Requests => {
                self.quit = true;
                vec![Effect::SettleLookups(Settled::Quit)]
            }
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-page),
            Action::PageDown => self.step(page),
            Action::Top => self.step(isize::MIN / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
                vec![]
            }
            Action::ScrollDown => {
                self.scroll_detail(1);
                vec![]
            }
            Action::ScrollUp => {
                self.scroll_detail(-1);
                vec![]
            }
            Action::Back => self.back(),
            Action::NextField | Action::PrevField if self.screen == Screen::Requests => {
                if self.focus == Focus::List {
                    return self.open();
                }
                self.focus = Focus::List;
                vec![]
            }
            Action::NextField | Action::PrevField if self.screen == Screen::Admin => {
                self.switch_admin_tab(if action == Action::NextField { 1 } else { -1 })
            }
            Action::Open if self.screen == Screen::Admin => self.open_admin_form(FormKind::AdminRename),
            Action::Open => self.open(),
            Action::SwitchView(v) if self.screen == Screen::Requests => {
                self.view = v;
                self.focus = Focus::List;
                self.list.selected = 0;
                self.list.top = 0;
                vec![Effect::LoadList]
            }
            Action::StartFilter => {
                match self.screen {
                    Screen::Requests => {
                        self.filtering = true;
                        self.focus = Focus::List;
                    }
                    Screen::Tracker => self.tracker.typing = true,
                    Screen::Log => self.log.typing = true,
                    _ => {}
                }
                vec![]
            }
            Action::Tracker => {
                // Every child's viewings (or the search kept from before) on screen:
                // opening the tracker is a lookup.
                self.screen = Screen::Tracker;
                vec![Effect::LoadTracker(Settle::Now(Settled::Opened))]
            }
            Action::RequestLog => match self.selected_reference().map(str::to_string) {
                Some(r) => {
                    self.screen = Screen::Log;
                    (self.log.scroll, self.log.search) = (0, String::new());
                    vec![Effect::LoadLog(Some(r))]
                }
                None => vec![],
            },
            Action::Report => {
                self.screen = Screen::Report;
                vec![Effect::LoadReport]
            }
            Action::WholeLog => {
                self.screen = Screen::Log;
                (self.log.scroll, self.log.search) = (0, String::new());
                // Verify reads the whole log: said on screen before it starts.
                self.busy = Some(VERIFYING.into());
                vec![Effect::LoadLog(None)]
            }
            Action::Letters => match self.selected_reference().map(str::to_string) {
                Some(r) => {
                    self.screen = Screen::Letter;
                    self.letter_scroll = 0;
                    vec![Effect::LoadLetter(r, LetterKind::CaseNote)]
                }
                None => vec![],
            },
            Action::NextLetter | Action::Copy | Action::Export if self.screen == Screen::Letter => {
                self.update_letter(action)
            }
            Action::Retention if self.screen == Screen::Requests => self.open_retention(),
            Action::Admin if self.screen == Screen::Requests => self.open_admin(),
            Action::OpenForm(kind) if self.screen == Screen::Admin => self.open_admin_form(kind),
            Action::OpenForm(kind) if self.screen == Screen::Retention => self.open_retention_form(kind),
            Action::NewRequest | Action::DirectShare | Action::OpenForm(_) if self.screen == Screen::Requests => {
                self.open_form(action)
            }
            _ => vec![],
        }
    }
}
