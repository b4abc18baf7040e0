//! The commands that change a request (steps 2–12, corrections, direct shares,
//! withdrawal): each becomes an [`Op`] for [`Service::apply`], the one entry point for
//! such changes, and prints its one-line answer.

use super::run::{basis_form, change, done, items, new_request_form, split_pipe};
use super::*;
use crate::service::forms::*;
use crate::service::op::{Change, Op};
use crate::service::{Service, ServiceError};

/// Carries out one request-changing command (see the module docs).
pub(super) fn run(svc: &mut Service, command: Command, json: bool) -> Result<(), ServiceError> {
    match command {
        Command::DirectShare(a) => {
            let form = DirectShareForm {
                request: new_request_form(a.request),
                items: items(&a.items),
                basis: basis_form(a.basis),
                shared_on: a.shared_on,
                method: a.method,
            };
            let out = svc.apply(Op::DirectShare(Box::new(form)))?.created();
            print::new_outcome(&out, json)
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
            done("details corrected", &change(svc, &reference, version.if_version, Change::Correct(form))?);
            Ok(())
        }
        Command::FormSent { reference, date, version } => {
            done(
                "request form sent",
                &change(svc, &reference, version.if_version, Change::FormSent { date: date.date })?,
            );
            Ok(())
        }
        Command::Scope(a) => {
            let form = ScopeForm {
                returned: a.returned,
                items: items(&a.items),
                purpose: a.purpose,
                basis: basis_form(a.basis),
            };
            done(
                "form returned, scope captured",
                &change(svc, &a.reference, a.version.if_version, Change::Scope(form))?,
            );
            Ok(())
        }
        Command::AddItem { reference, description, agency, version } => {
            let f = change(
                svc,
                &reference,
                version.if_version,
                Change::AddItem(ItemForm { description, third_party: agency }),
            )?;
            done("item added; it needs a fresh approval before it can be shown", &f);
            Ok(())
        }
        Command::ItemConsent { reference, item, consent_ref, date, version } => {
            done(
                &format!("agency consent for item {item} recorded"),
                &change(
                    svc,
                    &reference,
                    version.if_version,
                    Change::ItemConsent { item, date: date.date, consent_ref },
                )?,
            );
            Ok(())
        }
        Command::Approve(a) => {
            let form = ApprovalForm {
                approver: a.approver,
                decided: a.date.date,
                evidence_date: a.evidence_date,
                evidence_ref: a.evidence_ref,
                reason: a.reason,
                approve: a.items,
            };
            let f = change(svc, &a.reference, a.version.if_version, Change::Decide(form))?;
            let decision = f.latest_approval().map(|d| d.decision.label()).unwrap_or_default();
            done(&format!("decision recorded ({decision})"), &f);
            Ok(())
        }
        Command::Refuse(a) => {
            let form = ApprovalForm {
                approver: a.approver,
                decided: a.date.date,
                evidence_date: a.evidence_date,
                evidence_ref: a.evidence_ref,
                reason: a.reason,
                approve: String::new(),
            };
            done("refusal recorded", &change(svc, &a.reference, a.version.if_version, Change::Decide(form))?);
            Ok(())
        }
        Command::RestoreRequested { reference, restore_ref, date, version } => {
            done(
                "files restore requested",
                &change(
                    svc,
                    &reference,
                    version.if_version,
                    Change::RestoreRequested { date: date.date, restore_ref },
                )?,
            );
            Ok(())
        }
        Command::Restored { reference, date, version } => {
            done("files restored", &change(svc, &reference, version.if_version, Change::Restored { date: date.date })?);
            Ok(())
        }
        Command::MosaicChecks { reference, location_updated, not_locked, date, version } => {
            done(
                "Mosaic checks recorded",
                &change(
                    svc,
                    &reference,
                    version.if_version,
                    Change::MosaicChecks { date: date.date, location_updated, not_locked },
                )?,
            );
            Ok(())
        }
        Command::Book(a) => {
            let form = BookingForm {
                venue: a.venue,
                room: a.room,
                day: a.day,
                start: a.start,
                end: a.end,
                teams_reason: a.reason,
            };
            done("venue booked", &change(svc, &a.reference, a.version.if_version, Change::Book(form))?);
            Ok(())
        }
        Command::Confirm { reference, date, version } => {
            done(
                "date and venue confirmed",
                &change(svc, &reference, version.if_version, Change::Confirm { date: date.date })?,
            );
            Ok(())
        }
        Command::Viewing(a) => {
            let copies = a
                .copies
                .iter()
                .map(|c| {
                    let p = split_pipe(c);
                    CopyForm {
                        item: p.first().cloned().unwrap_or_default(),
                        reason: p.get(1).cloned().unwrap_or_default(),
                    }
                })
                .collect();
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
                copies,
                supervised: if a.not_supervised { "no".into() } else { "yes".into() },
                what_happened: a.what_happened,
            };
            let f = change(svc, &a.reference, a.version.if_version, Change::Viewing(form))?;
            done("viewing logged", &f);
            if let Some(i) = f.open_incidents().last().filter(|_| a.not_supervised) {
                say!(
                    "Incident {} opened: refer it to information governance (caseshare incident-referred {} {} --ig-ref REF) before the request can complete.",
                    i.id,
                    f.request.reference,
                    i.id
                );
            }
            Ok(())
        }
        Command::IncidentReferred { reference, incident, ig_ref, date, version } => {
            done(
                &format!("incident {incident} referred to information governance"),
                &change(
                    svc,
                    &reference,
                    version.if_version,
                    Change::IncidentReferred { incident, date: date.date, ig_ref },
                )?,
            );
            Ok(())
        }
        Command::CaseNoteRecorded { reference, mosaic_ref, date, version } => {
            done(
                "case note recorded",
                &change(svc, &reference, version.if_version, Change::CaseNoteRecorded { date: date.date, mosaic_ref })?,
            );
            Ok(())
        }
        Command::FilesReturned { reference, date, version } => {
            done(
                "files returned",
                &change(svc, &reference, version.if_version, Change::FilesReturned { date: date.date })?,
            );
            Ok(())
        }
        Command::Complete { reference, date, version } => {
            done(
                "request complete",
                &change(svc, &reference, version.if_version, Change::Complete { date: date.date })?,
            );
            Ok(())
        }
        Command::Withdraw { reference, reason, date, version } => {
            done(
                "request withdrawn",
                &change(svc, &reference, version.if_version, Change::Withdraw { date: date.date, reason })?,
            );
            Ok(())
        }
        _ => unreachable!("dispatch sends only the commands that change a request"),
    }
}
