//! An open form: moving between fields, typing, saving, and the y/n questions.

use super::form::{Form, Side};
use super::*;

impl App {
    pub(super) fn update_form(&mut self, action: Action) -> Vec<Effect> {
        let form = self.form.as_mut().expect("form open");
        if form.discarding {
            match action {
                Action::Yes => self.form = None,
                Action::No | Action::Back => form.discarding = false,
                _ => {}
            }
            return vec![];
        }
        if form.asking.is_some() {
            match action {
                Action::Yes => {
                    form.answer_yes();
                    form.error = None;
                    return vec![submit(form)];
                }
                Action::No | Action::Back => form.asking = None,
                _ => {}
            }
            return vec![];
        }
        if form.confirming {
            match action {
                Action::Yes => return vec![submit(form)],
                Action::No | Action::Back => form.confirming = false,
                _ => {}
            }
            return vec![];
        }
        match action {
            // Closing a form someone has typed into asks first: nothing typed is lost
            // to a stray Esc.
            Action::Back if form.is_changed() => form.discarding = true,
            Action::Back => self.form = None,
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::TakeTheirs | Action::KeepMine => {
                let side = if action == Action::TakeTheirs { Side::Theirs } else { Side::Yours };
                if form.choose(side) {
                    form.error = None;
                }
            }
            // A field you both changed needs your choice first: a save never
            // overwrites what someone else saved without it being seen.
            Action::Save if !form.unresolved().is_empty() => {
                let by = form.merge.as_ref().map(|m| m.by.clone()).unwrap_or_default();
                let refusal = crate::domain::Refusal::new(
                    crate::domain::Rule::Conflict,
                    format!("{} changed {} since you opened it, and so did you", by, form.unresolved().join(", ")),
                    "choose theirs (Ctrl-T) or yours (Ctrl-O) for each, then save",
                );
                form.error = Some(refusal.on_screen());
            }
            // Theirs chosen for everything, nothing else typed: the request is already
            // as the form says, so there is nothing to save.
            Action::Save if form.merge.is_some() && !form.is_changed() => {
                let by = form.merge.as_ref().map(|m| m.by.clone()).unwrap_or_default();
                self.form = None;
                self.notice = Some(Notice::Info(format!("Nothing to save: the request stays as {by} saved it")));
            }
            Action::Save if form.kind() == super::form::FormKind::SubjectReport => {
                return vec![super::subject::ask(form)];
            }
            Action::Save => {
                // An irreversible step is checked first, so that y/n is only asked
                // of a save the rules allow.
                if form.kind().needs_confirmation() {
                    return vec![check(form)];
                }
                return vec![submit(form)];
            }
            Action::Input(key) => form.input(key),
            Action::ClearField => form.clear_field(),
            _ => {}
        }
        vec![]
    }
}

fn check(form: &Form) -> Effect {
    Effect::Check(Save::of(form))
}

fn submit(form: &Form) -> Effect {
    Effect::Submit(Save::of(form))
}
