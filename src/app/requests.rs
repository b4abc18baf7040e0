//! The requests screen: moving through the list, opening a request's checklist and its steps' forms.

use super::form::FormKind;
use super::*;

impl App {
    pub(super) fn back(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Requests if self.focus == Focus::Checklist => {
                self.focus = Focus::List;
                vec![]
            }
            Screen::Requests if !self.filter.is_empty() => {
                self.filter.clear();
                self.list.selected = 0;
                self.list.top = 0;
                vec![Effect::LoadList]
            }
            Screen::Requests => vec![],
            Screen::Tracker if !self.tracker.search.is_empty() => {
                self.tracker.search.clear();
                vec![Effect::LoadTracker(Settle::Now(Settled::Esc))]
            }
            Screen::Tracker => {
                self.screen = Screen::Requests;
                vec![Effect::SettleLookups(Settled::Left), Effect::LoadList]
            }
            Screen::Log if !self.log.search.is_empty() => {
                self.log.search.clear();
                self.log.scroll = 0;
                vec![]
            }
            _ => {
                self.screen = Screen::Requests;
                vec![Effect::LoadList]
            }
        }
    }

    pub(super) fn open(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Requests => match self.focus {
                Focus::List => {
                    // Land on the next step to do, not the first row.
                    if let Some(d) = &mut self.detail {
                        d.cursor = super::detail::next_to_do(d);
                        self.focus = Focus::Checklist;
                    }
                    vec![]
                }
                Focus::Checklist => {
                    let Some(d) = &self.detail else { return vec![] };
                    let Some(line) = d.lines.get(d.cursor) else { return vec![] };
                    // Step 1 is done on arrival: Enter on it corrects who asked and why.
                    if line.step == crate::domain::Step::Received {
                        self.form = Some(forms::for_kind(
                            FormKind::Correct,
                            &d.file,
                            &self.lookups,
                            &self.settings,
                            self.today,
                        ));
                        return vec![];
                    }
                    // Say why now, rather than after the form is filled in: the same
                    // check the save makes first (a step can be overdue and still
                    // wait on an earlier one).
                    let ready = if line.step == crate::domain::Step::Complete {
                        crate::domain::rules::ready_to_complete(&d.file)
                    } else {
                        crate::domain::rules::prerequisite(&d.file, line.step)
                    };
                    if let Err(r) = ready {
                        let why = format!("{}; {}", r.message, r.fix);
                        self.notice = Some(Notice::Error(format!("Step {}: {why}", line.number)));
                        return vec![];
                    }
                    match forms::for_step(line.step, &d.file, &self.lookups, &self.settings, self.today) {
                        Some(f) => self.form = Some(f),
                        None => self.notice = Some(Notice::Info(format!("'{}' has no form", line.label))),
                    }
                    vec![]
                }
            },
            Screen::Tracker => {
                let Some(reference) = self.tracker.selected_reference() else { return vec![] };
                // Jump to the request: filter the full list to its reference.
                self.filter = reference.to_string();
                self.view = View::AllOpen;
                self.screen = Screen::Requests;
                self.list.selected = 0;
                self.list.top = 0;
                self.focus = Focus::List;
                vec![Effect::LoadList]
            }
            Screen::Retention => self.open_from_retention(),
            _ => vec![],
        }
    }

    /// Opens a form from the requests screen: a new request, a direct share, import or
    /// export, or a form about the selected request.
    pub(super) fn open_form(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::NewRequest | Action::DirectShare => {
                let kind = if action == Action::NewRequest { FormKind::NewRequest } else { FormKind::DirectShare };
                self.form = Some(forms::new_request(kind, &self.lookups, self.today));
                vec![]
            }
            Action::OpenForm(kind @ (FormKind::Import | FormKind::Export)) => {
                self.form = Some(forms::transfer(kind));
                vec![]
            }
            Action::OpenForm(FormKind::SubjectReport) => {
                self.form = Some(forms::subject_report());
                vec![]
            }
            Action::OpenForm(kind) => {
                if let Some(d) = &self.detail {
                    self.form = Some(forms::for_kind(kind, &d.file, &self.lookups, &self.settings, self.today));
                }
                vec![]
            }
            _ => vec![],
        }
    }
}
