//! Saving a form: its values become the service's form, and the same service
//! operation the CLI uses does the checking and the writing.

use std::collections::BTreeMap;

use crate::app::form::FormKind;
use crate::service::forms::*;
use crate::service::op::{Change, On, Op};
use crate::service::{Service, ServiceError};

/// Saves a form; returns the message for the status line, and the reference of a
/// request it made.
pub fn submit(
    svc: &mut Service,
    kind: FormKind,
    reference: Option<&str>,
    version: Option<i64>,
    values: &[(&'static str, String)],
) -> Result<(String, Option<String>), ServiceError> {
    let v: BTreeMap<&str, String> = values.iter().map(|(k, s)| (*k, s.clone())).collect();
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let r = reference.unwrap_or_default();
    let basis = || BasisForm {
        art6: get("art6"),
        art9: get("art9"),
        power: get("power"),
        notes: get("basis_notes"),
        necessity: get("necessity"),
        consent_sought: get("consent_sought"),
        consent_note: get("consent_note"),
        dsa_exists: get("dsa"),
        security: get("security"),
        retention: get("retention"),
    };
    let request = || NewRequestForm {
        received: get("received"),
        channel: get("channel"),
        organisation: get("organisation"),
        requester_name: get("requester_name"),
        requester_role: get("requester_role"),
        requester_email: get("requester_email"),
        requester_phone: get("requester_phone"),
        subjects: std::iter::once(SubjectForm {
            name: get("subject_name"),
            dob: get("subject_dob"),
            mosaic_id: get("subject_mosaic"),
        })
        .chain(get("more_subjects").lines().filter(|l| !l.trim().is_empty()).map(|l| {
            let mut p = l.split('|').map(str::trim);
            SubjectForm {
                name: p.next().unwrap_or_default().to_string(),
                mosaic_id: p.next().unwrap_or_default().to_string(),
                dob: p.next().unwrap_or_default().to_string(),
            }
        }))
        .collect(),
        purpose: get("purpose"),
        service_area: get("service_area"),
        format: get("format"),
        owner: String::new(),
    };
    let lines = |k: &str| -> Vec<ItemForm> {
        get(k)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut parts = l.splitn(2, '|');
                ItemForm {
                    description: parts.next().unwrap_or_default().trim().to_string(),
                    third_party: parts.next().unwrap_or_default().trim().to_string(),
                }
            })
            .collect()
    };
    let date = get("date");
    let on = On { reference: r.to_string(), version };
    let change = |svc: &mut Service, change: Change| -> Result<crate::domain::RequestFile, ServiceError> {
        Ok(svc.apply(Op::Change(on.clone(), change))?.file())
    };
    let done = |what: &str, f: &crate::domain::RequestFile| {
        format!("{}: {what}. Status: {}", f.request.reference, f.request.status.label())
    };
    let msg = match kind {
        FormKind::NewRequest | FormKind::DirectShare => {
            let out = if kind == FormKind::NewRequest {
                svc.apply(Op::NewRequest(request()))?.created()
            } else {
                svc.apply(Op::DirectShare(Box::new(DirectShareForm {
                    request: request(),
                    items: lines("items"),
                    basis: basis(),
                    shared_on: get("shared_on"),
                    method: get("method"),
                })))?
                .created()
            };
            let mut msg = match &out.redirect {
                Some(route) => format!("{}: redirected — {route}", out.reference),
                None => format!("{}: recorded. Status: {}", out.reference, out.status.label()),
            };
            for n in &out.notices {
                msg.push_str(&format!(". Note: {n}"));
            }
            return Ok((msg, Some(out.reference)));
        }
        FormKind::FormSent => done("form sent", &change(svc, Change::FormSent { date })?),
        FormKind::Correct => {
            let form = CorrectionForm {
                requester_name: Some(get("requester_name")),
                requester_role: Some(get("requester_role")),
                requester_email: Some(get("requester_email")),
                requester_phone: Some(get("requester_phone")),
                purpose: Some(get("purpose")),
            };
            done("details corrected", &change(svc, Change::Correct(form))?)
        }
        FormKind::Scope => {
            let form =
                ScopeForm { returned: get("returned"), items: lines("items"), purpose: get("purpose"), basis: basis() };
            done("scope captured", &change(svc, Change::Scope(form))?)
        }
        FormKind::AddItem => done(
            "item added; it needs a fresh approval",
            &change(svc, Change::AddItem(ItemForm { description: get("description"), third_party: get("agency") }))?,
        ),
        FormKind::ItemConsent => {
            let item = get("item").parse().unwrap_or(0);
            done("agency consent recorded", &change(svc, Change::ItemConsent { item, date, consent_ref: get("ref") })?)
        }
        FormKind::Approve | FormKind::Refuse => {
            let form = ApprovalForm {
                approver: get("approver"),
                decided: date,
                evidence_date: get("evidence_date"),
                evidence_ref: get("evidence_ref"),
                reason: get("reason"),
                approve: if kind == FormKind::Refuse { String::new() } else { get("items") },
            };
            let f = change(svc, Change::Decide(form))?;
            let decision = f.latest_approval().map(|a| a.decision.label()).unwrap_or_default();
            done(&format!("decision recorded ({decision})"), &f)
        }
        FormKind::RestoreRequested => {
            done("restore requested", &change(svc, Change::RestoreRequested { date, restore_ref: get("restore_ref") })?)
        }
        FormKind::Restored => done("files restored", &change(svc, Change::Restored { date })?),
        FormKind::MosaicChecks => {
            let (location_updated, not_locked) = (get("location") == "yes", get("unlocked") == "yes");
            let f = change(svc, Change::MosaicChecks { date, location_updated, not_locked })?;
            done("Mosaic checks recorded", &f)
        }
        FormKind::Book => {
            let form = BookingForm {
                venue: get("venue"),
                room: get("room"),
                day: get("day"),
                start: get("start"),
                end: get("end"),
                teams_reason: get("reason"),
            };
            done("venue booked", &change(svc, Change::Book(form))?)
        }
        FormKind::Confirm => done("date and venue confirmed", &change(svc, Change::Confirm { date })?),
        FormKind::Viewing => {
            let copies = if get("copy_item").trim().is_empty() {
                vec![]
            } else {
                vec![CopyForm { item: get("copy_item"), reason: get("copy_reason") }]
            };
            let form = ViewingForm {
                day: get("day"),
                start: get("start"),
                end: get("end"),
                viewers: get("viewers"),
                viewer_org: get("viewer_org"),
                supervisor: get("supervisor"),
                method: get("method"),
                items: get("items"),
                notes: get("notes"),
                copies,
                supervised: get("supervised"),
                what_happened: get("what_happened"),
            };
            let f = change(svc, Change::Viewing(form))?;
            if get("supervised") == "no" {
                done("viewing logged; an incident is open until referred to information governance (key x)", &f)
            } else {
                done("viewing logged", &f)
            }
        }
        FormKind::IncidentReferred => {
            let id = get("incident").parse().unwrap_or(0);
            done(
                "incident referred",
                &change(svc, Change::IncidentReferred { incident: id, date, ig_ref: get("ig_ref") })?,
            )
        }
        FormKind::CaseNoteRecorded => {
            done("case note recorded", &change(svc, Change::CaseNoteRecorded { date, mosaic_ref: get("mosaic_ref") })?)
        }
        FormKind::FilesReturned => done("files returned", &change(svc, Change::FilesReturned { date })?),
        FormKind::Complete => done("request complete", &change(svc, Change::Complete { date })?),
        FormKind::Withdraw => {
            done("request withdrawn", &change(svc, Change::Withdraw { date, reason: get("reason") })?)
        }
        FormKind::Import => {
            let mapping = match get("map").trim() {
                "" => crate::interop::import::Mapping::default(),
                m => {
                    let text = std::fs::read_to_string(m).map_err(|e| ServiceError::Io(format!("{m}: {e}")))?;
                    crate::interop::import::Mapping::from_toml(&text).map_err(ServiceError::Io)?
                }
            };
            let path = get("file");
            if path.trim().is_empty() {
                return Err(crate::domain::InputError::new("file", "is required").into());
            }
            let dry_run = get("dry_run") != "no";
            let report = svc.import(std::path::Path::new(path.trim()), &mapping, dry_run)?;
            if let Some(first) = report.rejected.first() {
                let more = report.rejected.len() - 1;
                return Err(crate::domain::Refusal::new(
                    crate::domain::Rule::Reference,
                    format!(
                        "{} row(s) rejected, nothing imported; first: {} row {}: {}{}",
                        report.rejected.len(),
                        first.sheet,
                        first.row,
                        first.reason,
                        if more > 0 {
                            format!(" (and {more} more: caseshare import --dry-run lists them)")
                        } else {
                            String::new()
                        }
                    ),
                    "correct the rows and try again",
                )
                .into());
            }
            let verb = if report.imported { "Imported" } else { "Dry run: would import" };
            let mut msg = format!(
                "{verb} {} requests and {} viewings ({} already present)",
                report.requests,
                report.viewings,
                report.requests_already_present + report.viewings_already_present
            );
            if dry_run {
                msg.push_str("; press I again and set Dry run to No to import");
            }
            msg
        }
        FormKind::Export => {
            let path = std::path::PathBuf::from(get("path").trim());
            if path.as_os_str().is_empty() {
                return Err(crate::domain::InputError::new("file or folder", "is required").into());
            }
            let target = if get("format") == "csv" {
                crate::service::interop::ExportTarget::CsvDir(path)
            } else {
                crate::service::interop::ExportTarget::Xlsx(path)
            };
            let filter = crate::store::lists::ListFilter::default();
            let out = svc.export(&filter, get("with_log") == "yes", &target)?;
            let files: Vec<String> = out.files.iter().map(|f| f.display().to_string()).collect();
            format!(
                "Exported {} requests and {} viewings to {} (recorded)",
                out.requests,
                out.viewings,
                files.join(", ")
            )
        }
    };
    Ok((msg, None))
}
