//! The retention screen: the requests past their retention date and those under a
//! legal hold, and the forms that dispose of one, hold it or release it. The list
//! carries no personal data (reference, dates, organisation, the rule), so anyone
//! may look; the service refuses the actions to anyone but an administrator.

use super::form::fields::{DisposeFields, Fields, HoldFields, ReleaseFields};
use super::form::input::{Choice, Text};
use super::form::{Form, FormKind};
use super::forms::Lookups;
use super::*;
use crate::domain::Role;
use crate::service::retention::{DueRequest, RetentionDue};

/// What the retention screen shows.
#[derive(Debug, Clone, Default)]
pub struct RetentionState {
    /// As last loaded (`None` before the first load, or when it failed).
    pub list: Option<RetentionDue>,
    /// Over the due rows, then the held ones.
    pub selected: usize,
}

impl RetentionState {
    /// The due rows, then the held ones, in the order shown.
    pub fn rows(&self) -> impl Iterator<Item = &DueRequest> {
        self.list.iter().flat_map(|l| l.due.iter().chain(l.held.iter()))
    }

    pub fn len(&self) -> usize {
        self.list.as_ref().map_or(0, |l| l.due.len() + l.held.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&DueRequest> {
        self.rows().nth(self.selected)
    }

    /// Whether the selected row is under a hold (listed in the second section).
    pub fn selected_is_held(&self) -> bool {
        self.list.as_ref().is_some_and(|l| self.selected >= l.due.len() && self.selected < self.len())
    }
}

/// The form a retention action opens on `reference` (at `version`, for a hold or
/// release): nobody is put down as having authorised a disposal; they are picked.
pub fn form(kind: FormKind, reference: &str, version: i64, lk: &Lookups) -> Form {
    let fields = match kind {
        FormKind::Hold => Fields::Hold(HoldFields {
            reason: Text::lines("Reason", "", "required: the inquiry, litigation or subject access request"),
        }),
        FormKind::Release => Fields::Release(ReleaseFields),
        _ => {
            let authorisers = lk
                .staff
                .iter()
                .filter(|s| s.active && (s.has(Role::Admin) || s.has(Role::Manager)))
                .map(|s| (s.login.clone(), format!("{} ({})", s.name, s.login)))
                .collect();
            Fields::Dispose(DisposeFields {
                authorised_by: Choice::unset("Authorised by", authorisers),
                reason: Text::lines("Reason", "", "required: why it goes now"),
                early: Text::line("Early: reason", "", "only to dispose of it before its date"),
            })
        }
    };
    let mut form = Form::new(Some(reference.to_string()), Some(version), fields);
    if kind == FormKind::Release {
        form.question =
            Some(format!("Release the legal hold on {reference}? It can then be disposed of once due. y / n"));
    }
    form
}

/// The y/n question after a disposal's dry run: what would go, then the question.
pub fn dispose_question(reference: &str, dry_run: &str) -> String {
    format!("{dry_run}. Dispose of {reference}? Its personal details are erased for good. y / n")
}

impl App {
    /// Opens the retention screen (from the request list).
    pub(super) fn open_retention(&mut self) -> Vec<Effect> {
        self.screen = Screen::Retention;
        vec![Effect::LoadRetention]
    }

    /// Moves the cursor; the request under it is loaded for the forms (its version).
    pub(super) fn step_retention(&mut self, delta: isize) -> Vec<Effect> {
        let n = self.retention.len();
        self.retention.selected = self.retention.selected.saturating_add_signed(delta).min(n.saturating_sub(1));
        self.retention_detail()
    }

    fn retention_detail(&self) -> Vec<Effect> {
        self.retention.selected_row().map(|r| Effect::LoadDetail(r.reference.clone())).into_iter().collect()
    }

    /// Enter: to the request in the request list, as the tracker's jump does.
    pub(super) fn open_from_retention(&mut self) -> Vec<Effect> {
        let Some(row) = self.retention.selected_row() else { return vec![] };
        self.filter = row.reference.clone();
        self.view = View::AllOpen;
        self.screen = Screen::Requests;
        self.list.selected = 0;
        self.list.top = 0;
        self.focus = Focus::List;
        vec![Effect::LoadList]
    }

    /// `d`, `h` or `u` on a row: its form, built on the request as loaded. A release
    /// is checked at once (there is nothing to type), then asks y/n.
    pub(super) fn open_retention_form(&mut self, kind: FormKind) -> Vec<Effect> {
        let Some(row) = self.retention.selected_row() else { return vec![] };
        let loaded = self.detail.as_ref().filter(|d| d.file.request.reference == row.reference);
        let Some(d) = loaded else {
            self.notice = Some(Notice::Info(format!("{} is still loading: try again", row.reference)));
            return vec![];
        };
        let form = forms::for_kind(kind, &d.file, &self.lookups, &self.settings, self.today);
        let effects = if kind == FormKind::Release { vec![Effect::Check(Save::of(&form))] } else { vec![] };
        self.form = Some(form);
        effects
    }

    /// The list arrived: keep the cursor on the same request where it is still listed.
    pub(super) fn retention_loaded(&mut self, found: Result<Box<RetentionDue>, String>) -> Vec<Effect> {
        let was = self.retention.selected_row().map(|r| r.reference.clone());
        match found {
            Ok(list) => {
                self.retention.list = Some(*list);
                let same = self.retention.rows().position(|r| Some(&r.reference) == was.as_ref());
                let at = same.unwrap_or(self.retention.selected);
                self.retention.selected = at.min(self.retention.len().saturating_sub(1));
                self.retention_detail()
            }
            Err(message) => {
                self.retention = RetentionState::default();
                self.notice = Some(Notice::Error(message));
                vec![]
            }
        }
    }

    /// A checked disposal (its dry run) or release: ask y/n with what it would do.
    pub(super) fn retention_checked(&mut self, dry_run: Option<String>) {
        if let Some(form) = &mut self.form {
            if let (Some(text), Some(r)) = (dry_run, &form.reference) {
                form.question = Some(dispose_question(r, &text));
            }
            form.error = None;
            form.confirming = true;
        }
    }
}
