//! Saving a form: its typed values become the service's form, and the same service
//! operation the CLI uses does the checking and the writing.
//!
//! The service's forms carry what a person typed as text, so that both faces get the
//! same parse refusal; [`AsText`] is the one place a typed choice, flag or tick list
//! becomes that text. Each form's values are taken apart field by field, so a field
//! left out here does not compile.

use crate::app::form::DateText;
use crate::app::form::fields::*;
use crate::domain::rules::{self, CONFIRM_BASIS};
use crate::domain::{
    Art6Basis, Art9Gateway, Channel, ConsentNotObtained, ControllerRelationship, Format, Guidance, InputError, OrgKind,
    RequestFile, Sch1Condition, StatutoryPower, Venue, ViewingMethod,
};
use crate::service::forms::*;
use crate::service::op::{Change, On, Op};
use crate::service::{Service, ServiceError};

/// What a TUI field holds, as the text the service's forms (and the CLI's flags) carry.
pub(super) trait AsText {
    fn as_text(&self) -> String;
}

impl AsText for String {
    fn as_text(&self) -> String {
        self.clone()
    }
}

impl AsText for DateText {
    fn as_text(&self) -> String {
        self.0.clone()
    }
}

/// `yes` / `no`, as `--consent-sought yes` reads.
impl AsText for bool {
    fn as_text(&self) -> String {
        if *self { "yes" } else { "no" }.to_string()
    }
}

/// Item numbers as `1,3` (empty for none), as `--approve 1,3` reads.
impl AsText for Vec<i64> {
    fn as_text(&self) -> String {
        self.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
}

/// Nothing chosen (an empty list to choose from) is empty text: the service says
/// the field is required.
impl<T: AsText> AsText for Option<T> {
    fn as_text(&self) -> String {
        self.as_ref().map(T::as_text).unwrap_or_default()
    }
}

macro_rules! coded_as_text {
    ($($t:ty),*) => {$(
        impl AsText for $t {
            fn as_text(&self) -> String {
                self.as_code().to_string()
            }
        }
    )*};
}
coded_as_text!(
    Art6Basis,
    Art9Gateway,
    Sch1Condition,
    ConsentNotObtained,
    ControllerRelationship,
    StatutoryPower,
    Channel,
    Format,
    Venue,
    ViewingMethod,
    OrgKind
);

/// Guidance codes as `wt2023,ico_dsc`, as repeated `--guidance` reads.
impl AsText for Vec<Guidance> {
    fn as_text(&self) -> String {
        self.iter().map(|g| g.as_code()).collect::<Vec<_>>().join(",")
    }
}

pub(super) fn t(v: &impl AsText) -> String {
    v.as_text()
}

/// A choice of an item or incident by number; with nothing to choose, refused as
/// the service refuses an empty required field.
fn chosen(field: &str, v: Option<i64>) -> Result<i64, InputError> {
    v.ok_or_else(|| InputError::new(field, "is required"))
}

/// The basis form; `confirm` is the yes to the questions the basis raised.
fn basis(v: &BasisValues, confirm: bool) -> BasisForm {
    let BasisValues {
        art6,
        art9,
        sch1,
        consent_not_obtained,
        criminal,
        power,
        power_detail,
        guidance,
        guidance_other,
        notes,
        necessity,
        consent_sought,
        consent_note,
        dsa,
        dsa_note,
        security,
        retention,
        controller,
        dpia,
        dpia_outcome,
    } = v;
    BasisForm {
        art6: t(art6),
        art9: t(art9),
        sch1: t(sch1),
        consent_not_obtained: t(consent_not_obtained),
        criminal: t(criminal),
        power: t(power),
        power_detail: t(power_detail),
        guidance: t(guidance),
        guidance_other: t(guidance_other),
        notes: t(notes),
        necessity: t(necessity),
        consent_sought: t(consent_sought),
        consent_note: t(consent_note),
        dsa_exists: t(dsa),
        dsa_note: t(dsa_note),
        security: t(security),
        retention: t(retention),
        controller: t(controller),
        dpia_considered: t(dpia),
        dpia_outcome: t(dpia_outcome),
        confirm_basis: confirm,
    }
}

fn request(v: &RequestValues, format: String) -> NewRequestForm {
    let RequestValues {
        received,
        channel,
        organisation,
        requester_name,
        requester_role,
        requester_email,
        requester_phone,
        subject_name,
        subject_mosaic,
        subject_dob,
        more_subjects,
        purpose,
        service_area,
    } = v;
    let first = SubjectForm { name: t(subject_name), dob: t(subject_dob), mosaic_id: t(subject_mosaic) };
    // Other children, one per line: name | Mosaic ID | date of birth.
    let more = more_subjects.lines().filter(|l| !l.trim().is_empty()).map(|l| {
        let mut p = l.split('|').map(str::trim);
        SubjectForm {
            name: p.next().unwrap_or_default().to_string(),
            mosaic_id: p.next().unwrap_or_default().to_string(),
            dob: p.next().unwrap_or_default().to_string(),
        }
    });
    NewRequestForm {
        received: t(received),
        channel: t(channel),
        organisation: t(organisation),
        requester_name: t(requester_name),
        requester_role: t(requester_role),
        requester_email: t(requester_email),
        requester_phone: t(requester_phone),
        subjects: std::iter::once(first).chain(more).collect(),
        purpose: t(purpose),
        service_area: t(service_area),
        format,
        owner: String::new(),
    }
}

/// Items one per line, `description | agency` for another agency's material.
fn items(text: &str) -> Vec<ItemForm> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(2, '|');
            ItemForm {
                description: parts.next().unwrap_or_default().trim().to_string(),
                third_party: parts.next().unwrap_or_default().trim().to_string(),
            }
        })
        .collect()
}

/// Saves a form; returns the message for the status line, and the reference of a
/// request it made.
pub fn submit(
    svc: &mut Service,
    reference: Option<&str>,
    version: Option<i64>,
    values: &Values,
    confirmed: &[&'static str],
) -> Result<(String, Option<String>), ServiceError> {
    // Whether the person answered yes to the question a refusal asked
    // (`domain::Confirm`) for this field; the CLI's flag says the same.
    let yes = |field: &str| confirmed.contains(&field);
    let on = On { reference: reference.unwrap_or_default().to_string(), version };
    let change = |svc: &mut Service, change: Change| -> Result<RequestFile, ServiceError> {
        Ok(svc.apply(Op::Change(on.clone(), change))?.file())
    };
    let done =
        |what: &str, f: &RequestFile| format!("{}: {what}. Status: {}", f.request.reference, f.request.status.label());
    let date_only = |v: &DateValues| t(&v.date);
    let msg = match values {
        Values::NewRequest(NewRequestValues { request: r, format }) => {
            return Ok(recorded(svc.apply(Op::NewRequest(request(r, t(format))))?.created()));
        }
        Values::DirectShare(DirectShareValues {
            request: r,
            items: shared,
            basis: b,
            shared_on,
            method,
            decided_by,
            decided,
            reason,
            evidence_date,
            evidence_ref,
        }) => {
            let form = DirectShareForm {
                request: request(r, String::new()),
                items: items(shared),
                basis: basis(b, yes(CONFIRM_BASIS)),
                shared_on: t(shared_on),
                method: t(method),
                decided_by: t(decided_by),
                decided: t(decided),
                reason: t(reason),
                evidence_date: t(evidence_date),
                evidence_ref: t(evidence_ref),
            };
            return Ok(recorded(svc.apply(Op::DirectShare(Box::new(form)))?.created()));
        }
        Values::Dispose(_) | Values::Hold(_) | Values::Release(_) => super::retention::submit(svc, on.clone(), values)?,
        Values::StaffAdd(_)
        | Values::AreaAdd(_)
        | Values::OrgAdd(_)
        | Values::RoomAdd(_)
        | Values::HolidayAdd(_)
        | Values::AdminRename(_)
        | Values::AdminRoles(_)
        | Values::AdminSetting(_)
        | Values::AdminRetire(_)
        | Values::AdminReinstate(_)
        | Values::HolidayRemove(_)
        | Values::AreaOwner(_)
        | Values::OrgKindSet(_)
        | Values::OrgAlias(_)
        | Values::OrgUnalias(_) => super::admin::submit(svc, values)?,
        Values::FormSent(v) => done("form sent", &change(svc, Change::FormSent { date: date_only(v) })?),
        Values::Correct(CorrectValues {
            requester_name,
            requester_role,
            requester_email,
            requester_phone,
            purpose,
        }) => {
            let form = CorrectionForm {
                requester_name: Some(t(requester_name)),
                requester_role: Some(t(requester_role)),
                requester_email: Some(t(requester_email)),
                requester_phone: Some(t(requester_phone)),
                purpose: Some(t(purpose)),
            };
            done("details corrected", &change(svc, Change::Correct(form))?)
        }
        Values::Scope(ScopeValues { returned, items: asked, purpose, basis: b }) => {
            let form = ScopeForm {
                returned: t(returned),
                items: items(asked),
                purpose: t(purpose),
                basis: basis(b, yes(CONFIRM_BASIS)),
            };
            done("scope captured", &change(svc, Change::Scope(Box::new(form)))?)
        }
        Values::Basis(b) => {
            let form = basis(b, yes(CONFIRM_BASIS));
            done("lawful basis recorded", &change(svc, Change::AmendBasis(Box::new(form)))?)
        }
        Values::AddItem(AddItemValues { description, agency }) => done(
            "item added; it needs a fresh approval",
            &change(svc, Change::AddItem(ItemForm { description: t(description), third_party: t(agency) }))?,
        ),
        Values::ItemConsent(ItemConsentValues { item, date, consent_ref }) => {
            let c = Change::ItemConsent { item: chosen("item", *item)?, date: t(date), consent_ref: t(consent_ref) };
            done("agency consent recorded", &change(svc, c)?)
        }
        Values::Approve(ApproveValues {
            approver,
            date,
            items: approve,
            reason,
            decline_reasons,
            evidence_date,
            evidence_ref,
        }) => {
            let form = ApprovalForm {
                approver: t(approver),
                decided: t(date),
                evidence_date: t(evidence_date),
                evidence_ref: t(evidence_ref),
                reason: t(reason),
                approve: t(approve),
                decline_reasons: vec![t(decline_reasons)],
            };
            decided(&change(svc, Change::Decide(form))?)
        }
        Values::Refuse(RefuseValues { approver, date, reason, evidence_date, evidence_ref }) => {
            let form = ApprovalForm {
                approver: t(approver),
                decided: t(date),
                evidence_date: t(evidence_date),
                evidence_ref: t(evidence_ref),
                reason: t(reason),
                // A refusal approves no items.
                approve: String::new(),
                decline_reasons: vec![],
            };
            decided(&change(svc, Change::Decide(form))?)
        }
        Values::RestoreRequested(RestoreRequestedValues { date, restore_ref }) => done(
            "restore requested",
            &change(svc, Change::RestoreRequested { date: t(date), restore_ref: t(restore_ref) })?,
        ),
        Values::Restored(v) => done("files restored", &change(svc, Change::Restored { date: date_only(v) })?),
        Values::MosaicChecks(MosaicChecksValues { date, location_updated, not_locked }) => {
            let c =
                Change::MosaicChecks { date: t(date), location_updated: *location_updated, not_locked: *not_locked };
            done("Mosaic checks recorded", &change(svc, c)?)
        }
        Values::Book(BookValues { venue, room, day, start, end, teams_reason }) => {
            let form = BookingForm {
                venue: t(venue),
                room: t(room),
                day: t(day),
                start: t(start),
                end: t(end),
                teams_reason: t(teams_reason),
            };
            done("venue booked", &change(svc, Change::Book(form))?)
        }
        Values::Confirm(v) => done("date and venue confirmed", &change(svc, Change::Confirm { date: date_only(v) })?),
        Values::Viewing(ViewingValues {
            day,
            start,
            end,
            viewers,
            viewer_org,
            supervisor,
            method,
            items: shown,
            notes,
            supervised,
            confirmed_by,
            lcc_devices,
            what_happened,
            copy_item,
            copy_reason,
            downloaded,
            download_item,
            download_reason,
        }) => {
            let copies = if copy_item.trim().is_empty() {
                vec![]
            } else {
                vec![CopyForm { item: t(copy_item), reason: t(copy_reason) }]
            };
            let form = ViewingForm {
                day: t(day),
                start: t(start),
                end: t(end),
                viewers: t(viewers),
                viewer_org: t(viewer_org),
                supervisor: t(supervisor),
                method: t(method),
                items: t(shown),
                notes: t(notes),
                copies,
                supervised: t(supervised),
                confirmed_by: t(confirmed_by),
                lcc_devices: t(lcc_devices),
                downloads: if *downloaded == Some(true) && !download_item.trim().is_empty() {
                    vec![CopyForm { item: t(download_item), reason: t(download_reason) }]
                } else {
                    vec![]
                },
                no_downloads: *downloaded == Some(false),
                what_happened: t(what_happened),
                confirm_duplicate: yes(rules::CONFIRM_DUPLICATE),
            };
            let f = change(svc, Change::Viewing(form))?;
            let newest = f.viewings.iter().map(|v| v.id).max();
            if f.open_incidents().any(|i| i.viewing_id.is_some() && i.viewing_id == newest) {
                done("viewing logged; an incident is open until referred to information governance (key x)", &f)
            } else {
                done("viewing logged", &f)
            }
        }
        Values::IncidentReferred(IncidentReferredValues { incident, date, ig_ref }) => {
            let c =
                Change::IncidentReferred { incident: chosen("incident", *incident)?, date: t(date), ig_ref: t(ig_ref) };
            done("incident referred", &change(svc, c)?)
        }
        Values::CaseNoteRecorded(CaseNoteRecordedValues { date, mosaic_ref }) => done(
            "case note recorded",
            &change(svc, Change::CaseNoteRecorded { date: t(date), mosaic_ref: t(mosaic_ref) })?,
        ),
        Values::FilesReturned(FilesReturnedValues { date, secured_at }) => {
            done("files returned", &change(svc, Change::FilesReturned { date: t(date), secured_at: t(secured_at) })?)
        }
        Values::Complete(v) => done("request complete", &change(svc, Change::Complete { date: date_only(v) })?),
        Values::Withdraw(WithdrawValues { date, reason }) => {
            done("request withdrawn", &change(svc, Change::Withdraw { date: t(date), reason: t(reason) })?)
        }
        Values::Import(ImportValues { file, mapping, dry_run }) => {
            let mapping = match mapping.trim() {
                "" => crate::interop::import::Mapping::default(),
                m => {
                    let text = std::fs::read_to_string(m).map_err(|e| ServiceError::Io(format!("{m}: {e}")))?;
                    crate::interop::import::Mapping::from_toml(&text).map_err(ServiceError::Io)?
                }
            };
            let path = file;
            if path.trim().is_empty() {
                return Err(crate::domain::InputError::new("file", "is required").into());
            }
            let dry_run = *dry_run;
            let options = crate::service::import::ImportOptions { commit: !dry_run, ..Default::default() };
            let report = svc.import(std::path::Path::new(path.trim()), &mapping, &options)?;
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
                            format!(" (and {more} more: caseshare import FILE lists them)")
                        } else {
                            String::new()
                        }
                    ),
                    "correct the rows and try again",
                )
                .into());
            }
            let unknown = report.unresolved().count();
            if unknown > 0 || !report.unmatched.is_empty() {
                return Err(crate::domain::Refusal::new(
                    crate::domain::Rule::Reference,
                    format!(
                        "{unknown} name(s) the database does not know and {} tracker row(s) matching no one request, so nothing is imported",
                        report.unmatched.len()
                    ),
                    "review them on the command line: caseshare import FILE lists them (docs/migration.md)",
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
        Values::SubjectReport(_) => {
            // Its form's save asks for the report (app/subject.rs) and never comes here.
            return Err(crate::domain::InputError::new("subject report", "is made from its own form, not saved").into());
        }
        Values::Export(ExportValues { format, path, with_log, audit }) => {
            let path = std::path::PathBuf::from(path.trim());
            if path.as_os_str().is_empty() {
                return Err(crate::domain::InputError::new("file or folder", "is required").into());
            }
            let target = if *format == Some(ExportFormat::Csv) {
                crate::service::interop::ExportTarget::CsvDir(path)
            } else {
                crate::service::interop::ExportTarget::Xlsx(path)
            };
            let filter = crate::store::lists::ListFilter::default();
            let out = svc.export(&filter, *with_log, *audit, &target)?;
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

/// A request just recorded: the message, and the request to select.
fn recorded(out: crate::service::steps::NewOutcome) -> (String, Option<String>) {
    let mut msg = match &out.redirect {
        Some(route) => format!("{}: redirected — {route}", out.reference),
        None => format!("{}: recorded. Status: {}", out.reference, out.status.label()),
    };
    for n in &out.notices {
        msg.push_str(&format!(". Note: {n}"));
    }
    (msg, Some(out.reference))
}

fn decided(f: &RequestFile) -> String {
    let decision = f.latest_approval().map(|a| a.decision.label()).unwrap_or_default();
    format!("{}: decision recorded ({decision}). Status: {}", f.request.reference, f.request.status.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_become_the_text_the_command_line_would_pass() {
        assert_eq!(t(&true), "yes");
        assert_eq!(t(&false), "no");
        assert_eq!(t(&vec![1_i64, 3]), "1,3");
        assert_eq!(t(&Vec::<i64>::new()), "", "no ticks approve nothing");
        assert_eq!(t(&Some(Venue::TeamsRoom)), "teams_room");
        assert_eq!(t(&Some(Art6Basis::PublicTask)), "6_1_e");
        assert_eq!(t(&None::<String>), "", "nothing to choose from: the service says it is required");
        assert_eq!(t(&DateText("31/02/2026".into())), "31/02/2026", "dates go as typed, for the service to refuse");
        assert!(chosen("item", None).unwrap_err().to_string().contains("item"));
    }
}
