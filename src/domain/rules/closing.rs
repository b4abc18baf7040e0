//! Steps 10 to 12 and withdrawal: case note, files returned, completion.

use chrono::NaiveDate;

use super::{Ctx, no, open, past_and_after, prerequisite};
use crate::domain::request::*;
use crate::domain::types::*;
use crate::domain::{Refusal, Rule, Settings};

use crate::domain::process::{is_done, required_steps};

/// The day a request closed having shared nothing (refused, or withdrawn before
/// anything was shown or sent), if it did.
pub fn closed_unshared_on(file: &RequestFile) -> Option<NaiveDate> {
    if file.shared_anything() {
        return None;
    }
    match file.request.status {
        Status::Refused => file.latest_approval().map(|a| a.decided_on),
        Status::Withdrawn => file.request.withdrawn_on,
        _ => None,
    }
}

/// Step 10. A request closed with nothing shared takes one only where the council
/// records those too (setting `casenote.not_shared`).
pub fn check_case_note(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    if let Some(closed) = closed_unshared_on(file)
        && ctx.settings.case_note_not_shared
    {
        if file.request.case_note.is_some() {
            return Err(no(
                Rule::AlreadyDone,
                format!("'{}' is already recorded for {}", Step::CaseNote.label(), file.request.reference),
                "nothing to do",
            ));
        }
        return past_and_after("case note date", on, "the day it closed", closed, ctx.today);
    }
    prerequisite(file, Step::CaseNote)?;
    let last = file.last_viewing_on().or(file.request.shared_on).expect("shared");
    past_and_after("case note date", on, "the last sharing", last, ctx.today)
}

/// Step 11 (physical files only).
pub fn check_files_returned(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::FilesReturned)?;
    let last = file.last_viewing_on().expect("viewed");
    past_and_after("files returned date", on, "the last viewing", last, ctx.today)
}

/// Step 11 says where the physical files were put away (SPEC §2: security).
pub fn secured_somewhere(secured_at: &str) -> Result<(), Refusal> {
    if secured_at.trim().is_empty() {
        return Err(no(
            Rule::Security,
            "where the files were secured when returned is not recorded",
            "say where they were put (for example the locked cabinet in the records room)",
        )
        .hint("--secured-at"));
    }
    Ok(())
}

/// Whether step 12 can be recorded at all, whatever its date: no incident waiting
/// to be referred, the case note recorded if anything was shared, and every other
/// step done. The checklist shows the same answer before anyone tries.
pub fn ready_to_complete(file: &RequestFile) -> Result<(), Refusal> {
    // The principles first (they name what matters), then the remaining steps.
    open(file)?;
    no_unreferred_incident(file, "completed")?;
    let case_note_needed = required_steps(file).contains(&Step::CaseNote) && !is_done(file, Step::CaseNote);
    if case_note_needed && file.shared_anything() {
        return Err(no(
            Rule::CaseNote,
            "information was shared but no Mosaic case note is recorded",
            "record the case note",
        )
        .hint(format!("caseshare case-note {} shows the text", file.request.reference)));
    }
    prerequisite(file, Step::Complete)
}

/// Step 12: every required step done, no incident left unreferred.
pub fn check_complete(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    ready_to_complete(file)?;
    let latest = [
        Some(file.request.received_on),
        file.request.case_note.as_ref().map(|c| c.on),
        file.request.files_returned_on,
        file.last_viewing_on(),
        file.request.shared_on,
    ]
    .into_iter()
    .flatten()
    .max()
    .expect("received date");
    past_and_after("completion date", on, "the last recorded step", latest, ctx.today)
}

/// Closing a request in any way (`closed`: "completed", "withdrawn") waits for every
/// incident to be referred to information governance: once closed, nobody would be
/// asked to refer it. Referral itself is open on a closed request too.
pub fn no_unreferred_incident(file: &RequestFile, closed: &str) -> Result<(), Refusal> {
    let Some(inc) = file.open_incidents().next() else { return Ok(()) };
    let r = &file.request.reference;
    Err(no(
        Rule::Incident,
        format!(
            "incident {} (viewing not supervised throughout) is not referred to information governance, so {r} cannot be {closed}",
            inc.id
        ),
        "refer it to information governance first",
    )
    .hint(format!("caseshare incident-referred {r} {} --ig-ref REF", inc.id)))
}

/// Withdrawal at any point, except while an incident is unreferred; a request that
/// shared something keeps its case note.
pub fn check_withdraw(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    open(file)?;
    no_unreferred_incident(file, "withdrawn")?;
    if file.shared_anything() && file.request.case_note.is_none() {
        return Err(no(
            Rule::CaseNote,
            "information was already shared, so the Mosaic case note must be recorded even if the request is withdrawn",
            "record the case note first",
        ));
    }
    past_and_after("withdrawal date", on, "the date received", file.request.received_on, ctx.today)
}

/// A letter needs the step it reports on: a refusal needs declined items, a
/// confirmation a booking of approved items.
pub fn check_letter(file: &RequestFile, kind: LetterKind, settings: &Settings) -> Result<(), Refusal> {
    let r = &file.request.reference;
    match kind {
        LetterKind::Refusal if !file.items.iter().any(|i| i.approved == Some(false)) => Err(no(
            Rule::StepOrder,
            format!("{r} has no decision not to share anything"),
            "record the asset owner's decision (approve with fewer items, or refuse) first",
        )),
        LetterKind::Confirmation if file.bookings.is_empty() || file.approved_items().next().is_none() => {
            Err(no(Rule::StepOrder, format!("{r} has no approved viewing booked"), "book the venue (step 7) first"))
        }
        LetterKind::CaseNote if settings.case_note_not_shared && closed_unshared_on(file).is_some() => Ok(()),
        LetterKind::CaseNote if !file.shared_anything() => Err(no(
            Rule::StepOrder,
            "the case note records what was shared, and nothing has been shared yet",
            "log a viewing (step 9) first",
        )),
        _ => Ok(()),
    }
}
