//! An open form: moving between fields, typing, saving, and the y/n questions.

use super::form::Form;
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
                    return vec![Effect::Submit(Save::of(form))];
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
            Action::Save => {
                // An irreversible step is checked first, so that y/n is only asked
                // of a save the rules allow.
                if form.kind().needs_confirmation() {
                    return vec![check(form)];
                }
                return vec![submit(form)];
            }
            Action::Input(key) => form.input(key),
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
