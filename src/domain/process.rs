//! The step model: which steps a request's path and format need, and which are
//! recorded. Below both the rules (which ask whether a step may be taken) and the
//! checklist (which shows them), so neither depends on the other for it.

use super::request::*;
use super::types::*;

/// The steps this request's path and format need, in order.
pub fn required_steps(file: &RequestFile) -> Vec<Step> {
    Step::ALL.iter().copied().filter(|s| is_required(file, *s)).collect()
}

/// Whether `step` is part of this request's path.
pub fn is_required(file: &RequestFile, step: Step) -> bool {
    let r = &file.request;
    match r.kind {
        RequestKind::Redirect => step == Step::Received,
        RequestKind::DirectShare => {
            matches!(step, Step::Received | Step::Scope | Step::DirectShare | Step::CaseNote | Step::Complete)
        }
        RequestKind::Viewing => {
            let paper = r.format.is_some_and(Format::has_paper);
            match step {
                Step::DirectShare => false,
                Step::RestoreRequested | Step::FilesReturned => paper,
                _ => true,
            }
        }
    }
}

/// Whether `step` is recorded.
pub fn is_done(file: &RequestFile, step: Step) -> bool {
    let r = &file.request;
    match step {
        Step::Received => true,
        Step::FormSent => r.form_sent_on.is_some(),
        Step::Scope => r.form_returned_on.is_some() || (r.kind == RequestKind::DirectShare && !file.items.is_empty()),
        Step::Approval => !file.approvals.is_empty() && file.pending_items().next().is_none(),
        Step::RestoreRequested => r.restore_requested_on.is_some(),
        Step::FilesAvailable => {
            r.mosaic_checked_on.is_some() && (!r.format.is_some_and(Format::has_paper) || r.restored_on.is_some())
        }
        Step::VenueBooked => !file.bookings.is_empty(),
        Step::Confirmed => r.confirmed_on.is_some(),
        Step::Viewing => !file.viewings.is_empty(),
        Step::DirectShare => r.shared_on.is_some(),
        Step::CaseNote => r.case_note.is_some(),
        Step::FilesReturned => r.files_returned_on.is_some(),
        Step::Complete => r.completed_on.is_some(),
    }
}
