//! The commands that change a request (steps 2–12, corrections, direct shares,
//! withdrawal): [`change_of`] turns each into the change it asks for and what to say
//! once it is made; [`run`] carries it out through [`Service::apply`], the one entry
//! point for such changes, and prints the one-line answer.

use super::args::{basis_form, items, new_request_form, split_pipe};
use super::print::done;
use super::*;
use crate::service::forms::*;
use crate::service::op::{Change, On, Op};
use crate::service::{Service, ServiceError};

/// What to say once a change is made.
enum Answer {
    /// "REF: WHAT. Status: …".
    Done(String),
    /// The decision as recorded (approved, approved in part, refused).
    Decision,
    /// A viewing, and the incident it opened if it was not supervised throughout
    /// (or other devices or logins were used).
    Viewing,
}

/// Carries out one request-changing command (see the module docs).
pub(super) fn run(svc: &mut Service, command: Command, json: bool) -> Result<(), ServiceError> {
    if let Command::DirectShare(a) = command {
        let form = DirectShareForm {
            request: new_request_form(a.request),
            items: items(&a.items),
            basis: basis_form(a.basis),
            shared_on: a.shared_on,
            method: a.method,
            decided_by: a.decided_by,
            decided: a.decided,
            reason: a.reason,
            evidence_date: a.evidence_date,
            evidence_ref: a.evidence_ref,
        };
        let out = svc.apply(Op::DirectShare(Box::new(form)))?.created();
        return print::new_outcome(&out, json);
    }
    let (on, mut change, answer) = change_of(command);
    // Who confirmed the supervision: the acting login unless another is named.
    if let Change::Viewing(form) = &mut change
        && form.confirmed_by.is_empty()
    {
        form.confirmed_by = svc.actor().login.clone();
    }
    let f = svc.apply(Op::Change(on, change))?.file();
    match answer {
        Answer::Done(what) => done(&what, &f),
        Answer::Decision => {
            let decision = f.latest_approval().map(|d| d.decision.label()).unwrap_or_default();
            done(&format!("decision recorded ({decision})"), &f);
        }
        Answer::Viewing => {
            done("viewing logged", &f);
            let newest = f.viewings.iter().map(|v| v.id).max();
            if let Some(i) = f.open_incidents().find(|i| i.viewing_id.is_some() && i.viewing_id == newest) {
                say!(
                    "Incident {} opened: refer it to information governance (caseshare incident-referred {} {} --ig-ref REF) before the request can complete.",
                    i.id,
                    f.request.reference,
                    i.id
                );
            }
        }
    }
    Ok(())
}

/// The change a command asks for, on which request, and what to say after.
fn change_of(command: Command) -> (On, Change, Answer) {
    let on = |reference: String, version: Version| On { reference, version: version.if_version };
    let said = |what: &str| Answer::Done(what.to_string());
    match command {
        Command::Basis { reference, basis, version } => {
            (on(reference, version), Change::AmendBasis(Box::new(basis_form(basis))), said("lawful basis recorded"))
        }
        Command::Correct {
            reference,
            requester,
            requester_role,
            requester_email,
            requester_phone,
            purpose,
            version,
        } => {
            let form =
                CorrectionForm { requester_name: requester, requester_role, requester_email, requester_phone, purpose };
            (on(reference, version), Change::Correct(form), said("details corrected"))
        }
        Command::FormSent { reference, date, version } => {
            (on(reference, version), Change::FormSent { date: date.date }, said("request form sent"))
        }
        Command::Scope(a) => {
            let form = ScopeForm {
                returned: a.returned,
                items: items(&a.items),
                purpose: a.purpose,
                basis: basis_form(a.basis),
            };
            (on(a.reference, a.version), Change::Scope(Box::new(form)), said("form returned, scope captured"))
        }
        Command::AddItem { reference, description, agency, version } => (
            on(reference, version),
            Change::AddItem(ItemForm { description, third_party: agency }),
            said("item added; it needs a fresh approval before it can be shown"),
        ),
        Command::ItemConsent { reference, item, consent_ref, date, version } => (
            on(reference, version),
            Change::ItemConsent { item, date: date.date, consent_ref },
            Answer::Done(format!("agency consent for item {item} recorded")),
        ),
        Command::Approve(a) => {
            let form = ApprovalForm {
                approver: a.approver,
                decided: a.date.date,
                evidence_date: a.evidence_date,
                evidence_ref: a.evidence_ref,
                reason: a.reason,
                approve: a.items,
                decline_reasons: a.decline_reasons,
            };
            (on(a.reference, a.version), Change::Decide(form), Answer::Decision)
        }
        Command::Refuse(a) => {
            let form = ApprovalForm {
                approver: a.approver,
                decided: a.date.date,
                evidence_date: a.evidence_date,
                evidence_ref: a.evidence_ref,
                reason: a.reason,
                approve: String::new(),
                decline_reasons: a.decline_reasons,
            };
            (on(a.reference, a.version), Change::Decide(form), said("refusal recorded"))
        }
        Command::RestoreRequested { reference, restore_ref, date, version } => (
            on(reference, version),
            Change::RestoreRequested { date: date.date, restore_ref },
            said("files restore requested"),
        ),
        Command::Restored { reference, date, version } => {
            (on(reference, version), Change::Restored { date: date.date }, said("files restored"))
        }
        Command::MosaicChecks { reference, location_updated, not_locked, date, version } => (
            on(reference, version),
            Change::MosaicChecks { date: date.date, location_updated, not_locked },
            said("Mosaic checks recorded"),
        ),
        Command::Book(a) => {
            let form = BookingForm {
                venue: a.venue,
                room: a.room,
                day: a.day,
                start: a.start,
                end: a.end,
                teams_reason: a.reason,
            };
            (on(a.reference, a.version), Change::Book(form), said("venue booked"))
        }
        Command::Confirm { reference, date, version } => {
            (on(reference, version), Change::Confirm { date: date.date }, said("date and venue confirmed"))
        }
        Command::Viewing(a) => {
            let pipes = |v: &[String]| -> Vec<CopyForm> {
                v.iter()
                    .map(|c| {
                        let p = split_pipe(c);
                        CopyForm {
                            item: p.first().cloned().unwrap_or_default(),
                            reason: p.get(1).cloned().unwrap_or_default(),
                        }
                    })
                    .collect()
            };
            let form = ViewingForm {
                day: a.date,
                start: a.start,
                end: a.end,
                viewers: a.viewers,
                viewer_org: a.viewer_org,
                supervisor: a.supervisor,
                method: a.method,
                items: a.items,
                notes: a.notes,
                copies: pipes(&a.copies),
                supervised: if a.not_supervised { "no".into() } else { a.supervised },
                confirmed_by: a.confirmed_by,
                lcc_devices: a.lcc_devices,
                downloads: pipes(&a.downloads),
                no_downloads: a.no_downloads,
                what_happened: a.what_happened,
                confirm_duplicate: a.confirm_duplicate,
            };
            (on(a.reference, a.version), Change::Viewing(form), Answer::Viewing)
        }
        Command::IncidentReferred { reference, incident, ig_ref, date, version } => (
            on(reference, version),
            Change::IncidentReferred { incident, date: date.date, ig_ref },
            Answer::Done(format!("incident {incident} referred to information governance")),
        ),
        Command::CaseNoteRecorded { reference, mosaic_ref, date, version } => (
            on(reference, version),
            Change::CaseNoteRecorded { date: date.date, mosaic_ref },
            said("case note recorded"),
        ),
        Command::FilesReturned { reference, secured_at, date, version } => {
            (on(reference, version), Change::FilesReturned { date: date.date, secured_at }, said("files returned"))
        }
        Command::Complete { reference, date, version } => {
            (on(reference, version), Change::Complete { date: date.date }, said("request complete"))
        }
        Command::Withdraw { reference, reason, date, version } => {
            (on(reference, version), Change::Withdraw { date: date.date, reason }, said("request withdrawn"))
        }
        Command::Hold { reference, reason, version } => (
            on(reference, version),
            Change::Hold { reason },
            said("legal hold recorded: it will not be disposed of until released"),
        ),
        Command::Release { reference, version } => {
            (on(reference, version), Change::Release, said("legal hold released"))
        }
        _ => unreachable!("dispatch sends only the commands that change a request"),
    }
}
