//! A form: typed fields (text via tui-textarea, dates as typed, pickers, yes/no,
//! checklists of scope items), which field has focus, and the refusal shown under
//! it. What a person typed is kept until they save or cancel.
//!
//! `input` has the inputs and their value types, `fields` which inputs each kind of
//! form has; the form shell here moves between them and asks before losing typing.

pub mod fields;
pub mod input;

use ratatui::crossterm::event::KeyEvent;

use crate::domain::Confirm;

pub use fields::{Fields, Values};
pub use input::{DateText, Input, View, shown};

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
    /// Change the lawful basis and decision record after step 3.
    Basis,
    /// Import the spreadsheet (a dry run unless changed).
    Import,
    /// Export requests and the tracker.
    Export,
    /// Ask for the subject report of one child (a lookup, not a save).
    SubjectReport,
    /// Dispose of a request past its retention date (dry run, then y/n).
    Dispose,
    /// Put a legal hold on a request.
    Hold,
    /// Release a legal hold (y/n).
    Release,
    /// Administration (`app::admin`): register a login.
    StaffAdd,
    /// Add a service area with its asset owner.
    AreaAdd,
    /// Add an organisation.
    OrgAdd,
    /// Add a room.
    RoomAdd,
    /// Add (or rename) a bank holiday.
    HolidayAdd,
    /// Rename a login's name, a service area, an organisation or a room.
    AdminRename,
    /// Replace a login's roles.
    AdminRoles,
    /// Set a setting.
    AdminSetting,
    /// Retire a row (y/n).
    AdminRetire,
    /// Put a retired row back in use (y/n).
    AdminReinstate,
    /// Take a bank holiday away (y/n).
    HolidayRemove,
    /// A service area's asset owner.
    AreaOwner,
    /// An organisation's kind.
    OrgKindSet,
    /// Another name an organisation is known by.
    OrgAlias,
    /// Take an alias away from an organisation.
    OrgUnalias,
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
            FormKind::Basis => "Lawful basis and decision record",
            FormKind::Import => "Import the spreadsheet (.xlsx or .csv)",
            FormKind::Export => "Export requests and the tracker",
            FormKind::SubjectReport => "Subject report: everything about one child",
            FormKind::Dispose => "Dispose of a request past its retention date",
            FormKind::Hold => "Legal hold",
            FormKind::Release => "Release the legal hold",
            FormKind::StaffAdd => "Register a login",
            FormKind::AreaAdd => "Add a service area",
            FormKind::OrgAdd => "Add an organisation",
            FormKind::RoomAdd => "Add a room",
            FormKind::HolidayAdd => "Add a bank holiday (or rename one)",
            FormKind::AdminRename => "Rename",
            FormKind::AdminRoles => "Roles",
            FormKind::AdminSetting => "Setting",
            FormKind::AdminRetire => "Retire",
            FormKind::AdminReinstate => "Reinstate",
            FormKind::HolidayRemove => "Remove a bank holiday",
            FormKind::AreaOwner => "Asset owner",
            FormKind::OrgKindSet => "Organisation kind",
            FormKind::OrgAlias => "Add an alias",
            FormKind::OrgUnalias => "Remove an alias",
        }
    }

    /// Irreversible: ask y/n before saving.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            FormKind::Refuse
                | FormKind::Withdraw
                | FormKind::Complete
                | FormKind::Dispose
                | FormKind::Release
                | FormKind::AdminRetire
                | FormKind::AdminReinstate
                | FormKind::HolidayRemove
        )
    }
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    /// The request it changes (none for a new request, a direct share, import, export).
    pub reference: Option<String>,
    /// The request's version when the form was opened (optimistic concurrency).
    pub version: Option<i64>,
    pub fields: Fields,
    pub focus: usize,
    /// The last refusal or input error, shown under the form.
    pub error: Option<String>,
    /// Waiting for y/n before an irreversible save.
    pub confirming: bool,
    /// Waiting for y/n before closing a form with typing in it.
    pub discarding: bool,
    /// A refusal the person may overrule: its question is asked as y/n.
    pub asking: Option<Confirm>,
    /// The questions answered yes, and the values they were answered for: changing
    /// anything afterwards withdraws them, so a yes is never carried over to a
    /// different save.
    confirmed: Option<(Vec<&'static str>, Values)>,
    /// The values when the form was opened, to tell whether anything was typed.
    pristine: Values,
    /// The fields as the form was opened (the request as it was then): what a
    /// conflicting save compares yours and theirs with.
    base: Box<Fields>,
    /// After a save refused because someone else changed the request meanwhile: the
    /// fields you both changed, differently, each needing a choice.
    pub merge: Option<Merge>,
    /// Read-only text shown above the fields (e.g. the case note draft).
    pub preface: Option<String>,
    /// What the checked save would do and the y/n question, asked in place of the
    /// general one (a disposal's dry run; a release).
    pub question: Option<String>,
}

/// A field you and someone else both changed, differently, while the form was open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Its position among the form's inputs.
    pub index: usize,
    pub label: &'static str,
    /// What they saved, and what you typed, as shown.
    pub theirs: String,
    pub yours: String,
    /// Which the field now holds, once chosen.
    pub chosen: Option<Side>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Theirs,
    Yours,
}

/// A form merged after a conflicting save: both versions of every field, to put
/// either back, and the conflicts.
#[derive(Debug, Clone)]
pub struct Merge {
    theirs: Fields,
    mine: Fields,
    pub conflicts: Vec<Conflict>,
    /// Who changed the request, and when (`mmoore at 24/11/2026 10:05`).
    pub by: String,
}

impl Form {
    /// A form as it is shown to the user: what is in it now counts as untouched.
    pub fn new(reference: Option<String>, version: Option<i64>, fields: Fields) -> Form {
        Form {
            reference,
            version,
            pristine: fields.values(),
            base: Box::new(fields.clone()),
            merge: None,
            fields,
            focus: 0,
            error: None,
            confirming: false,
            discarding: false,
            asking: None,
            confirmed: None,
            preface: None,
            question: None,
        }
    }

    /// Says yes to the question being asked, for the values as they are now.
    pub fn answer_yes(&mut self) {
        let Some(ask) = self.asking.take() else { return };
        let values = self.values();
        let mut fields = match self.confirmed.take() {
            Some((fields, v)) if v == values => fields,
            _ => vec![],
        };
        if !fields.contains(&ask.field) {
            fields.push(ask.field);
        }
        self.confirmed = Some((fields, values));
    }

    /// The questions answered yes that still hold (nothing changed since).
    pub fn confirmed(&self) -> Vec<&'static str> {
        match &self.confirmed {
            Some((fields, v)) if *v == self.values() => fields.clone(),
            _ => vec![],
        }
    }

    /// Which operation it saves through.
    pub fn kind(&self) -> FormKind {
        self.fields.kind()
    }

    /// Whether anything was typed, ticked or chosen since the form was opened.
    pub fn is_changed(&self) -> bool {
        self.values() != self.pristine
    }

    /// Takes over what was typed into `old` (a form for the same step, built again
    /// from the request as it now is): text is kept, choices and ticks are kept where
    /// the option still exists, and options new since then start unticked.
    pub fn refill_from(&mut self, old: &Form) {
        self.fields.refill_from(&old.fields);
        self.focus = old.focus.min(self.len().saturating_sub(1));
        self.error = old.error.clone();
        self.pristine = old.pristine.clone();
    }

    /// Rebuilt from the request as it now is (`self`, theirs), after `old`'s save was
    /// refused because `by` changed the request since `old` opened: a field only you
    /// changed takes yours, one only they changed keeps theirs (ticks over the items
    /// are always yours, items new since unticked), and one you both
    /// changed differently keeps yours in the field and is listed as a conflict with
    /// theirs beside it, for a choice before the next save. Returns the conflicts'
    /// labels.
    pub fn merge_from(&mut self, old: &Form, by: String) -> Vec<&'static str> {
        let theirs = self.fields.clone();
        let (base, mine) = (old.base.inputs(), old.fields.inputs());
        if base.len() != self.len() || mine.len() != self.len() {
            self.refill_from(old);
            return vec![];
        }
        let mut conflicts = Vec::new();
        {
            let mut now = self.fields.inputs_mut();
            for (i, field) in now.iter_mut().enumerate() {
                // Ticks choose among the request's items for this save, never a value
                // someone saved: yours are kept, and items new since start unticked.
                if matches!(field.view(), View::Checks { .. }) {
                    field.take(mine[i]);
                    continue;
                }
                let (b, m, t) = (shown(base[i]), shown(mine[i]), shown(&**field));
                if m == b || m == t {
                    continue;
                }
                field.take(mine[i]);
                if t != b {
                    conflicts.push(Conflict { index: i, label: field.label(), theirs: t, yours: m, chosen: None });
                }
            }
        }
        self.focus = conflicts.first().map_or(old.focus.min(self.len().saturating_sub(1)), |c| c.index);
        let labels = conflicts.iter().map(|c| c.label).collect();
        self.merge = (!conflicts.is_empty()).then(|| Merge { theirs, mine: old.fields.clone(), conflicts, by });
        labels
    }

    /// The conflict on the field at `index`, if there is one.
    pub fn conflict_at(&self, index: usize) -> Option<&Conflict> {
        self.merge.as_ref().and_then(|m| m.conflicts.iter().find(|c| c.index == index))
    }

    /// The fields still waiting for a choice between theirs and yours.
    pub fn unresolved(&self) -> Vec<&'static str> {
        self.merge.iter().flat_map(|m| &m.conflicts).filter(|c| c.chosen.is_none()).map(|c| c.label).collect()
    }

    /// Puts theirs or yours in the focused conflicting field (or, focus elsewhere,
    /// the first still to choose, which gets the focus). False when there is none.
    pub fn choose(&mut self, side: Side) -> bool {
        let Some(m) = &mut self.merge else { return false };
        let at = m
            .conflicts
            .iter()
            .position(|c| c.index == self.focus)
            .or_else(|| m.conflicts.iter().position(|c| c.chosen.is_none()));
        let Some(k) = at else { return false };
        let index = m.conflicts[k].index;
        let from = match side {
            Side::Theirs => m.theirs.inputs()[index],
            Side::Yours => m.mine.inputs()[index],
        };
        if let Some(field) = self.fields.inputs_mut().into_iter().nth(index) {
            field.take(from);
        }
        m.conflicts[k].chosen = Some(side);
        self.focus = index;
        true
    }

    /// What the form holds, typed.
    pub fn values(&self) -> Values {
        self.fields.values()
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields.inputs().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn next_field(&mut self) {
        if !self.is_empty() {
            self.focus = (self.focus + 1) % self.len();
        }
    }

    pub fn prev_field(&mut self) {
        if !self.is_empty() {
            self.focus = (self.focus + self.len() - 1) % self.len();
        }
    }

    /// Ctrl-U: empties the focused field if it is text.
    pub fn clear_field(&mut self) {
        let focus = self.focus;
        if let Some(i) = self.fields.inputs_mut().into_iter().nth(focus) {
            i.clear();
        }
    }

    /// A key not bound by the keymap, given to the focused field.
    pub fn input(&mut self, key: KeyEvent) {
        let focus = self.focus;
        let moves_on = self.fields.inputs_mut().into_iter().nth(focus).is_some_and(|i| i.key(key));
        if moves_on {
            self.next_field();
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::fields::*;
    use super::input::{Checks, Text};
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_goes_to_the_focused_field_and_enter_moves_on() {
        let mut f = Form::new(
            None,
            None,
            Fields::MosaicChecks(MosaicChecksFields {
                date: input::Date::new("Date", "", ""),
                location_updated: input::YesNo::new("Location", false),
                not_locked: input::YesNo::new("Unlocked", false),
            }),
        );
        for c in "q/?j".chars() {
            f.input(key(KeyCode::Char(c)));
        }
        let Values::MosaicChecks(v) = f.values() else { panic!() };
        assert_eq!(v.date, DateText("q/?j".into()));
        assert!(!v.location_updated);
        f.input(key(KeyCode::Enter));
        assert_eq!(f.focus, 1);
        f.input(key(KeyCode::Right));
        let Values::MosaicChecks(v) = f.values() else { panic!() };
        assert!(v.location_updated && !v.not_locked);
        assert!(f.is_changed());
    }

    #[test]
    fn checklists_tick_with_space() {
        let mut f = Form::new(
            None,
            None,
            Fields::Approve(ApproveFields {
                approver: input::Choice::new("Decided by", vec![], None),
                date: input::Date::new("Date", "", ""),
                items: Checks::new("Items", vec![(1, "one".into(), false), (2, "two".into(), false)]),
                reason: Text::lines("Reason", "", ""),
                decline_reasons: Text::lines("Declined: reasons", "", ""),
                evidence_date: input::Date::new("Email date", "", ""),
                evidence_ref: Text::line("Email ref", "", ""),
            }),
        );
        f.focus = 2;
        f.input(key(KeyCode::Down));
        f.input(key(KeyCode::Char(' ')));
        let Values::Approve(v) = f.values() else { panic!() };
        assert_eq!(v.items, vec![2]);
        assert_eq!(v.approver, None, "nobody to choose");
    }

    fn correct(name: &str, role: &str, email: &str) -> Form {
        Form::new(
            Some("REQ-2026-0001".into()),
            Some(1),
            Fields::Correct(CorrectFields {
                requester_name: Text::line("Name", name, ""),
                requester_role: Text::line("Role", role, ""),
                requester_email: Text::line("Email", email, ""),
                requester_phone: Text::line("Phone", "", ""),
                purpose: Text::lines("Purpose", "", ""),
            }),
        )
    }

    fn typed(f: &mut Form, field: usize, text: &str) {
        f.focus = field;
        for c in text.chars() {
            f.input(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn a_stale_form_merges_three_ways_and_lists_only_fields_both_changed() {
        let mut mine = correct("Ann", "SW", "a@x");
        typed(&mut mine, 0, "e"); // Anne: both change the name, differently
        typed(&mut mine, 1, "!"); // only mine
        typed(&mut mine, 2, "y"); // both, the same way
        let mut theirs = correct("Anna", "SW", "a@xy"); // and only theirs: nothing else
        let conflicts = theirs.merge_from(&mine, "demo.bsa1 at 24/11/2026 10:00".into());
        assert_eq!(conflicts, vec!["Name"]);
        let Values::Correct(v) = theirs.values() else { panic!() };
        assert_eq!((v.requester_name.as_str(), v.requester_role.as_str()), ("Anne", "SW!"));
        assert_eq!(v.requester_email, "a@xy");
        assert_eq!(theirs.unresolved(), vec!["Name"]);
        assert_eq!(theirs.focus, 0, "the focus goes to the first conflict");
        assert!(theirs.choose(Side::Theirs));
        let Values::Correct(v) = theirs.values() else { panic!() };
        assert_eq!(v.requester_name, "Anna");
        assert!(theirs.unresolved().is_empty());
        // Nothing both changed: nothing to choose.
        let mut plain = correct("Anna", "SW", "a@xy");
        assert!(plain.merge_from(&correct("Anna", "SW", "a@xy"), String::new()).is_empty());
        assert!(plain.merge.is_none() && !plain.choose(Side::Yours));
    }
}
