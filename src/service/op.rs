//! Every change to a request as a value: the command line turns its arguments into
//! an [`Op`], each TUI form builds one, the demo builder makes them, and
//! [`Service::apply`] is the one entry point that carries them out (check the acting
//! login, load, refuse a stale version, ask `domain` whether the step is allowed,
//! write the rows, derive the status, append one event, commit).
//!
//! What a person typed stays text inside the forms, so that both faces refuse the
//! same input with the same message when `apply` parses it.

use super::Result;
use super::Service;
use super::forms::*;
use super::steps::NewOutcome;
pub use super::steps::record::Recorded;
use crate::domain::RequestFile;

/// Which request a change is for, and the version the person was looking at
/// (`None` from the command line: the latest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct On {
    pub reference: String,
    pub version: Option<i64>,
}

impl On {
    pub fn latest(reference: impl Into<String>) -> On {
        On { reference: reference.into(), version: None }
    }
}

/// One change to the record of requests.
#[derive(Debug, Clone)]
pub enum Op {
    /// Step 1: a request received (or redirected if it is not for this process).
    NewRequest(NewRequestForm),
    /// A copy shared directly: the short path.
    DirectShare(Box<DirectShareForm>),
    /// A step or correction on an existing request.
    Change(On, Change),
    /// A request whose history happened elsewhere (an imported row, a generated
    /// demonstration request), recorded whole; many go through
    /// [`Service::record_all`] or a [`super::steps::record::Batch`].
    Record(Box<Recorded>),
    /// Closed requests past their retention date disposed of, all in one
    /// transaction; with `dry_run`, checked and counted and nothing kept.
    Dispose { form: super::retention::DisposeForm, dry_run: bool },
}

/// What can be done to an existing request.
#[derive(Debug, Clone)]
pub enum Change {
    /// The requester's details or the stated purpose, corrected.
    Correct(CorrectionForm),
    /// Step 2: the form was sent.
    FormSent { date: String },
    /// Step 3: the form came back with the scope and lawful basis.
    Scope(Box<ScopeForm>),
    /// The lawful basis and decision record changed after step 3.
    AmendBasis(Box<BasisForm>),
    /// An item added after the form (needs a fresh approval).
    AddItem(ItemForm),
    /// The originating agency consented to showing its material.
    ItemConsent { item: i64, date: String, consent_ref: String },
    /// Step 4: the asset owner's decision (approve all, some, or refuse).
    Decide(ApprovalForm),
    /// Step 5: restore of the physical files requested.
    RestoreRequested { date: String, restore_ref: String },
    /// Step 6: the physical files are restored.
    Restored { date: String },
    /// Step 6: Mosaic checks (location updated, file not locked).
    MosaicChecks { date: String, location_updated: bool, not_locked: bool },
    /// Step 7: a venue booked.
    Book(BookingForm),
    /// Step 8: date and venue confirmed with the requester.
    Confirm { date: String },
    /// Step 9: a viewing.
    Viewing(ViewingForm),
    /// An incident referred to information governance.
    IncidentReferred { incident: i64, date: String, ig_ref: String },
    /// Step 10: the case note is recorded in Mosaic.
    CaseNoteRecorded { date: String, mosaic_ref: String },
    /// Step 11: the physical files returned.
    FilesReturned { date: String, secured_at: String },
    /// Step 12: complete.
    Complete { date: String },
    /// The request withdrawn.
    Withdraw { date: String, reason: String },
    /// A legal hold: the request is not disposed of until it is released.
    Hold { reason: String },
    /// The legal hold released.
    Release,
}

/// What an [`Op`] led to.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A new request (or a redirect).
    Created(NewOutcome),
    /// The request as it stands after the change.
    Changed(Box<RequestFile>),
    /// Requests disposed of (or, in a dry run, that would be).
    Disposed(super::retention::DisposeOutcome),
}

impl Outcome {
    /// The changed request; panics on a creation (callers know which they asked for).
    pub fn file(self) -> RequestFile {
        match self {
            Outcome::Changed(f) => *f,
            Outcome::Created(c) => panic!("{} was created, not changed", c.reference),
            Outcome::Disposed(_) => panic!("a disposal changes no file"),
        }
    }

    /// The new request's outcome; panics on a change.
    pub fn created(self) -> NewOutcome {
        match self {
            Outcome::Created(c) => c,
            Outcome::Changed(f) => panic!("{} was changed, not created", f.request.reference),
            Outcome::Disposed(_) => panic!("a disposal creates nothing"),
        }
    }
}

impl Service {
    /// Carries out one change: the only way the command line, the TUI and the demo
    /// builder write a request (see the module docs).
    pub fn apply(&mut self, op: Op) -> Result<Outcome> {
        let (on, change) = match op {
            Op::NewRequest(form) => return Ok(Outcome::Created(self.new_request(&form)?)),
            Op::DirectShare(form) => return Ok(Outcome::Created(self.direct_share(&form)?)),
            Op::Change(on, change) => (on, change),
            Op::Dispose { form, dry_run: false } => return Ok(Outcome::Disposed(self.dispose(&form)?)),
            Op::Dispose { form, dry_run: true } => {
                return Ok(Outcome::Disposed(self.rehearse(|s| s.dispose(&form))?));
            }
            Op::Record(recorded) => {
                let mut batch = self.batch()?;
                let file = batch.record(*recorded)?;
                batch.commit()?;
                let next_step = crate::domain::checklist::next_step(&file);
                let r = file.request;
                return Ok(Outcome::Created(NewOutcome {
                    reference: r.reference,
                    status: r.status,
                    redirect: r.redirect_route,
                    notices: vec![],
                    next_step,
                }));
            }
        };
        let (r, v) = (on.reference.as_str(), on.version);
        let file = match change {
            Change::Correct(form) => self.correct(r, v, &form)?,
            Change::FormSent { date } => self.form_sent(r, v, &date)?,
            Change::Scope(form) => self.scope(r, v, &form)?,
            Change::AmendBasis(form) => self.amend_basis(r, v, &form)?,
            Change::AddItem(item) => self.add_item(r, v, &item)?,
            Change::ItemConsent { item, date, consent_ref } => self.item_consent(r, v, item, &date, &consent_ref)?,
            Change::Decide(form) => self.approve(r, v, &form)?,
            Change::RestoreRequested { date, restore_ref } => self.restore_requested(r, v, &date, &restore_ref)?,
            Change::Restored { date } => self.restored(r, v, &date)?,
            Change::MosaicChecks { date, location_updated, not_locked } => {
                self.mosaic_checks(r, v, &date, location_updated, not_locked)?
            }
            Change::Book(form) => self.book(r, v, &form)?,
            Change::Confirm { date } => self.confirm(r, v, &date)?,
            Change::Viewing(form) => self.viewing(r, v, &form)?,
            Change::IncidentReferred { incident, date, ig_ref } => {
                self.incident_referred(r, v, incident, &date, &ig_ref)?
            }
            Change::CaseNoteRecorded { date, mosaic_ref } => self.case_note_recorded(r, v, &date, &mosaic_ref)?,
            Change::FilesReturned { date, secured_at } => self.files_returned(r, v, &date, &secured_at)?,
            Change::Complete { date } => self.complete(r, v, &date)?,
            Change::Withdraw { date, reason } => self.withdraw(r, v, &date, &reason)?,
            Change::Hold { reason } => self.hold(r, v, &reason)?,
            Change::Release => self.release(r, v)?,
        };
        Ok(Outcome::Changed(Box::new(file)))
    }
}
