//! A form: labelled fields (single-line and multi-line text via tui-textarea,
//! pickers, checklists of scope items), which field has focus, and the refusal
//! shown under it. What a person typed is kept until they save or cancel.

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::TextArea;

/// Which operation a form saves through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    NewRequest,
    DirectShare,
    FormSent,
    Scope,
    AddItem,
    ItemConsent,
    Approve,
    Refuse,
    RestoreRequested,
    Restored,
    MosaicChecks,
    Book,
    Confirm,
    Viewing,
    IncidentReferred,
    CaseNoteRecorded,
    FilesReturned,
    Complete,
    Withdraw,
    /// Correct the requester's details or the purpose.
    Correct,
    /// Import the spreadsheet (a dry run unless changed).
    Import,
    /// Export requests and the tracker.
    Export,
}

impl FormKind {
    /// The title of the form.
    pub fn title(self) -> &'static str {
        match self {
            FormKind::NewRequest => "New request (step 1)",
            FormKind::DirectShare => "Direct share (copy shared without a viewing)",
            FormKind::FormSent => "Request form sent (step 2)",
            FormKind::Scope => "Form returned: scope and lawful basis (step 3)",
            FormKind::AddItem => "Add an item (needs a fresh approval)",
            FormKind::ItemConsent => "Agency consent for third-party material",
            FormKind::Approve => "Approval by the asset owner (step 4)",
            FormKind::Refuse => "Refusal by the asset owner (step 4)",
            FormKind::RestoreRequested => "Files restore requested (step 5)",
            FormKind::Restored => "Files restored (step 6)",
            FormKind::MosaicChecks => "Mosaic checks (step 6)",
            FormKind::Book => "Venue booked (step 7)",
            FormKind::Confirm => "Date and venue confirmed (step 8)",
            FormKind::Viewing => "Viewing (step 9)",
            FormKind::IncidentReferred => "Incident referred to information governance",
            FormKind::CaseNoteRecorded => "Case note recorded in Mosaic (step 10)",
            FormKind::FilesReturned => "Files returned / secured (step 11)",
            FormKind::Complete => "Request complete (step 12)",
            FormKind::Withdraw => "Withdraw the request",
            FormKind::Correct => "Correct the requester's details or purpose",
            FormKind::Import => "Import the spreadsheet (.xlsx or .csv)",
            FormKind::Export => "Export requests and the tracker",
        }
    }

    /// Irreversible: ask y/n before saving.
    pub fn needs_confirmation(self) -> bool {
        matches!(self, FormKind::Refuse | FormKind::Withdraw | FormKind::Complete)
    }
}

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Input {
    /// One line of text.
    Line(TextArea<'static>),
    /// Several lines of text.
    Text(TextArea<'static>),
    /// One of a fixed list: (code, label).
    Choice { options: Vec<(String, String)>, selected: usize },
    /// Any of a list: (code, label, checked).
    Checks { options: Vec<(String, String, bool)>, cursor: usize },
}

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key the service mapping reads.
    pub key: &'static str,
    pub label: &'static str,
    pub input: Input,
    /// A short hint shown beside the field.
    pub hint: &'static str,
}

fn area(initial: &str) -> TextArea<'static> {
    let lines: Vec<String> =
        if initial.is_empty() { vec![String::new()] } else { initial.lines().map(String::from).collect() };
    let mut t = TextArea::new(lines);
    t.move_cursor(tui_textarea::CursorMove::Bottom);
    t.move_cursor(tui_textarea::CursorMove::End);
    t
}

impl Field {
    pub fn line(key: &'static str, label: &'static str, initial: &str, hint: &'static str) -> Field {
        Field { key, label, input: Input::Line(area(initial)), hint }
    }
    pub fn text(key: &'static str, label: &'static str, initial: &str, hint: &'static str) -> Field {
        // Several lines: long ones wrap at words rather than scroll out of sight.
        let mut text = area(initial);
        text.set_wrap_mode(tui_textarea::WrapMode::WordOrGlyph);
        Field { key, label, input: Input::Text(text), hint }
    }
    pub fn choice(key: &'static str, label: &'static str, options: Vec<(String, String)>, initial: &str) -> Field {
        let selected = options.iter().position(|(c, _)| c == initial).unwrap_or(0);
        Field { key, label, input: Input::Choice { options, selected }, hint: "←/→ choose" }
    }
    pub fn checks(key: &'static str, label: &'static str, options: Vec<(String, String, bool)>) -> Field {
        Field { key, label, input: Input::Checks { options, cursor: 0 }, hint: "↑/↓ move, space ticks" }
    }

    /// The value as the service reads it: text, the chosen code, or ticked codes joined by commas.
    pub fn value(&self) -> String {
        match &self.input {
            Input::Line(t) | Input::Text(t) => t.lines().join("\n"),
            Input::Choice { options, selected } => options.get(*selected).map(|(c, _)| c.clone()).unwrap_or_default(),
            Input::Checks { options, .. } => {
                options.iter().filter(|(_, _, on)| *on).map(|(c, _, _)| c.as_str()).collect::<Vec<_>>().join(",")
            }
        }
    }

    /// Rows the field needs on screen.
    pub fn height(&self) -> u16 {
        match &self.input {
            Input::Line(_) | Input::Choice { .. } => 1,
            Input::Text(_) => 3,
            Input::Checks { options, .. } => options.len().clamp(1, 6) as u16,
        }
    }
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    /// The request it changes (none for a new request or direct share).
    pub reference: Option<String>,
    /// The request's version when the form was opened (optimistic concurrency).
    pub version: Option<i64>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The last refusal or input error, shown under the form.
    pub error: Option<String>,
    /// Waiting for y/n before an irreversible save.
    pub confirming: bool,
    /// Waiting for y/n before closing a form with typing in it.
    pub discarding: bool,
    /// The values when the form was opened, to tell whether anything was typed.
    pristine: BTreeMap<&'static str, String>,
    /// Read-only text shown above the fields (e.g. the case note draft).
    pub preface: Option<String>,
}

impl Form {
    pub fn new(kind: FormKind, reference: Option<String>, version: Option<i64>, fields: Vec<Field>) -> Form {
        Form {
            kind,
            reference,
            version,
            fields,
            focus: 0,
            error: None,
            confirming: false,
            discarding: false,
            pristine: BTreeMap::new(),
            preface: None,
        }
    }

    /// The form as it is shown to the user: what is in it now counts as untouched.
    pub fn opened(mut self) -> Form {
        self.pristine = self.values();
        self
    }

    /// Whether anything was typed, ticked or chosen since the form was opened.
    pub fn is_changed(&self) -> bool {
        self.values() != self.pristine
    }

    /// Takes over what was typed into `old` (a form for the same step, built again
    /// from the request as it now is): text is kept, choices and ticks are kept where
    /// the option still exists, and options new since then start unticked.
    pub fn refill_from(&mut self, old: &Form) {
        for field in &mut self.fields {
            let Some(before) = old.fields.iter().find(|f| f.key == field.key) else { continue };
            match (&mut field.input, &before.input) {
                (Input::Line(t), Input::Line(b)) | (Input::Text(t), Input::Text(b)) => *t = b.clone(),
                (Input::Choice { options, selected }, Input::Choice { options: bo, selected: bs }) => {
                    if let Some(code) = bo.get(*bs).map(|(c, _)| c)
                        && let Some(i) = options.iter().position(|(c, _)| c == code)
                    {
                        *selected = i;
                    }
                }
                (Input::Checks { options, .. }, Input::Checks { options: bo, .. }) => {
                    for o in options.iter_mut() {
                        o.2 = bo.iter().find(|(c, _, _)| *c == o.0).is_some_and(|(_, _, on)| *on);
                    }
                }
                _ => {}
            }
        }
        self.focus = old.focus.min(self.fields.len().saturating_sub(1));
        self.error = old.error.clone();
        self.pristine = old.pristine.clone();
    }

    /// Every field's value by key.
    pub fn values(&self) -> BTreeMap<&'static str, String> {
        self.fields.iter().map(|f| (f.key, f.value())).collect()
    }

    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// A key not bound by the keymap, given to the focused field.
    pub fn input(&mut self, key: KeyEvent) {
        let Some(field) = self.fields.get_mut(self.focus) else { return };
        match &mut field.input {
            Input::Line(t) => {
                if key.code == KeyCode::Enter {
                    self.next_field();
                } else if !(key.code == KeyCode::Char('m') && key.modifiers.contains(KeyModifiers::CONTROL)) {
                    t.input(key);
                }
            }
            Input::Text(t) => {
                t.input(key);
            }
            Input::Choice { options, selected } => match key.code {
                KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => {
                    *selected = (*selected + 1) % options.len().max(1)
                }
                KeyCode::Left | KeyCode::Char('h') => {
                    *selected = (*selected + options.len().max(1) - 1) % options.len().max(1)
                }
                KeyCode::Enter => self.next_field(),
                KeyCode::Char(c) => {
                    // Jump to the next option starting with the letter typed.
                    let c = c.to_ascii_lowercase();
                    let n = options.len();
                    if let Some(i) =
                        (1..=n).map(|k| (*selected + k) % n).find(|i| options[*i].1.to_ascii_lowercase().starts_with(c))
                    {
                        *selected = i;
                    }
                }
                _ => {}
            },
            Input::Checks { options, cursor } => match key.code {
                KeyCode::Down | KeyCode::Char('j') if *cursor + 1 < options.len() => *cursor += 1,
                KeyCode::Up | KeyCode::Char('k') if *cursor > 0 => *cursor -= 1,
                KeyCode::Char(' ') | KeyCode::Char('x') => {
                    if let Some(o) = options.get_mut(*cursor) {
                        o.2 = !o.2;
                    }
                }
                KeyCode::Enter => self.next_field(),
                _ => {}
            },
        }
    }
}

/// Yes/no choices, in that order.
pub fn yes_no() -> Vec<(String, String)> {
    vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
}

/// Options from a coded enum: (code, label).
pub fn coded<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_string(), label(*v).to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_goes_to_the_focused_field_and_enter_moves_on() {
        let mut f = Form::new(
            FormKind::FormSent,
            None,
            None,
            vec![Field::line("a", "A", "", ""), Field::choice("b", "B", yes_no(), "no")],
        );
        for c in "q/?j".chars() {
            f.input(key(KeyCode::Char(c)));
        }
        assert_eq!(f.values()["a"], "q/?j");
        f.input(key(KeyCode::Enter));
        assert_eq!(f.focus, 1);
        assert_eq!(f.values()["b"], "no");
        f.input(key(KeyCode::Right));
        assert_eq!(f.values()["b"], "yes");
    }

    #[test]
    fn checklists_tick_with_space() {
        let mut f = Form::new(
            FormKind::Approve,
            None,
            None,
            vec![Field::checks(
                "items",
                "Items",
                vec![("1".into(), "one".into(), false), ("2".into(), "two".into(), false)],
            )],
        );
        f.input(key(KeyCode::Down));
        f.input(key(KeyCode::Char(' ')));
        assert_eq!(f.values()["items"], "2");
    }
}
