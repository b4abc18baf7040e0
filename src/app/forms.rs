//! The form each step opens, pre-filled from the request and the reference data.

use chrono::NaiveDate;

use super::form::fields::*;
use super::form::input::{Checks, Choice, Date, Text, YesNo};
use super::form::{Form, FormKind};
use crate::domain::dates::uk;
use crate::domain::*;

/// Reference data the pickers offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookups {
    pub orgs: Vec<Organisation>,
    pub areas: Vec<ServiceArea>,
    pub staff: Vec<Staff>,
    pub rooms: Vec<Room>,
    /// Organisation aliases: (organisation id, alias), by organisation and alias.
    pub aliases: Vec<(i64, String)>,
}

const DATE_HINT: &str = "DD/MM/YYYY, YYYY-MM-DD or today";

fn today_field(label: &'static str, today: NaiveDate) -> Date {
    Date::new(label, &uk(today), DATE_HINT)
}

/// Options from a coded enum, by label.
fn coded<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Vec<(T, String)> {
    all.iter().map(|v| (*v, label(*v).to_string())).collect()
}

fn staff_options(lk: &Lookups, role: Option<Role>) -> Vec<(String, String)> {
    lk.staff
        .iter()
        .filter(|s| s.active && role.is_none_or(|r| s.has(r)))
        .map(|s| (s.login.clone(), format!("{} ({})", s.name, s.login)))
        .collect()
}

/// Staff who may supervise a viewing: active, and not read-only accounts.
fn supervisors(lk: &Lookups) -> Vec<(String, String)> {
    lk.staff
        .iter()
        .filter(|s| s.active && !s.has(Role::Readonly))
        .map(|s| (s.login.clone(), format!("{} ({})", s.name, s.login)))
        .collect()
}

/// Yes and no, for a question asked with nothing chosen.
fn yes_no() -> Vec<(bool, String)> {
    vec![(true, "Yes".into()), (false, "No".into())]
}

/// The organisations a viewer may come from: the requesting authority first, then
/// every other registered local authority.
fn viewer_orgs(lk: &Lookups, requesting: &Organisation) -> Vec<(String, String)> {
    let first = (requesting.name.clone(), format!("{} (requesting)", requesting.name));
    let others = lk
        .orgs
        .iter()
        .filter(|o| o.kind == OrgKind::LocalAuthority && o.id != requesting.id && o.retired_on.is_none())
        .map(|o| (o.name.clone(), o.name.clone()));
    std::iter::once(first).chain(others).collect()
}

/// Yes / no (and more) answers that start unset: a person answers each.
fn answers(options: &[(&str, &str)]) -> Vec<(String, String)> {
    options.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect()
}

/// The lawful basis and decision record: nothing chosen for the person, except what
/// the request already records.
fn basis_fields(file: Option<&RequestFile>) -> BasisFields {
    let b = file.map(|f| f.request.basis.clone()).unwrap_or_default();
    let d = file.map(|f| f.request.details.clone()).unwrap_or_default();
    let yes_no = |v: Option<bool>| v.map(|v| if v { "yes" } else { "no" }.to_string());
    let criminal_options = std::iter::once(("no".to_string(), "Not involved".to_string()))
        .chain(Sch1Condition::ALL.iter().map(|c| (c.as_code().to_string(), format!("Involved: {}", c.label()))))
        .collect();
    let criminal_now = match (b.criminal, b.criminal_condition) {
        (Some(false), _) => Some("no".to_string()),
        (Some(true), Some(c)) => Some(c.as_code().to_string()),
        _ => None,
    };
    BasisFields {
        art6: Choice::unset_unless("Art. 6 basis", coded(Art6Basis::ALL, Art6Basis::label), b.art6.as_ref()),
        art9: Choice::unset_unless("Art. 9(2) gateway", coded(Art9Gateway::ALL, Art9Gateway::label), b.art9.as_ref()),
        sch1: Choice::unset_unless("Sch.1 condition", coded(Sch1Condition::ALL, Sch1Condition::label), b.sch1.as_ref()),
        consent_not_obtained: Choice::unset_unless(
            "Para 18: why no consent",
            coded(ConsentNotObtained::ALL, ConsentNotObtained::label),
            b.consent_not_obtained.as_ref(),
        ),
        criminal: Choice::unset_unless("Criminal offence data", criminal_options, criminal_now.as_ref()),
        power: Choice::unset_unless(
            "Statutory power",
            coded(StatutoryPower::ALL, StatutoryPower::label),
            b.power.as_ref(),
        ),
        power_detail: Text::line(
            "Power detail",
            &b.power_detail,
            "court order: court, date, ref; other: the Act; s.111: the function",
        ),
        guidance: Checks::new(
            "Guidance relied on",
            Guidance::ALL.iter().map(|g| (*g, g.label().to_string(), b.guidance.contains(g))).collect(),
        ),
        guidance_other: Text::line("Other guidance", &b.guidance_other, "optional"),
        notes: Text::line("Basis notes", &b.notes, "optional"),
        necessity: Text::lines("Why necessary", &d.necessity, "why sharing is necessary, or 'n/a: reason'"),
        consent_sought: Choice::unset_unless(
            "Consent sought",
            answers(&[("yes", "Yes"), ("no", "No")]),
            yes_no(d.consent_sought).as_ref(),
        ),
        consent_note: Text::line("If not, why not", &d.consent_note, "e.g. the child would be at risk"),
        dsa: Choice::unset_unless(
            "Sharing agreement",
            answers(&[("yes", "Yes"), ("no", "No"), ("n/a", "Not applicable")]),
            d.agreement
                .map(|a| if a == AgreementAnswer::NotApplicable { "n/a".to_string() } else { a.as_code().to_string() })
                .as_ref(),
        ),
        dsa_note: Text::line("Agreement ref / reason", &d.agreement_note, "its reference; or why not applicable"),
        security: Text::line("Security", &d.security, "how it is kept secure, or 'n/a: reason'"),
        retention: Text::line("Retention", &d.retention, "how long the recipient keeps it, or 'n/a: reason'"),
        controller: Choice::unset_unless(
            "Controllers",
            coded(ControllerRelationship::ALL, ControllerRelationship::label),
            d.controller.as_ref(),
        ),
        dpia: Choice::unset_unless(
            "DPIA considered",
            answers(&[("yes", "Yes"), ("no", "No")]),
            yes_no(d.dpia_considered).as_ref(),
        ),
        dpia_outcome: Text::line("DPIA outcome", &d.dpia_outcome, "required if one was considered"),
    }
}

fn request_fields(lk: &Lookups, today: NaiveDate) -> RequestFields {
    // Local authorities first: they are the process's requesters; the rest are redirected.
    // Retired ones are kept for the requests that name them, offered for no new one.
    let mut sorted: Vec<&Organisation> = lk.orgs.iter().filter(|o| o.retired_on.is_none()).collect();
    sorted.sort_by_key(|o| (o.kind != OrgKind::LocalAuthority, o.name.to_lowercase()));
    let orgs = sorted.iter().map(|o| (o.name.clone(), format!("{} ({})", o.name, o.kind.label()))).collect();
    let areas = lk.areas.iter().filter(|a| a.retired_on.is_none()).map(|a| (a.name.clone(), a.name.clone())).collect();
    RequestFields {
        received: today_field("Date received", today),
        channel: Choice::new("Channel", coded(Channel::ALL, Channel::label), Some(&Channel::Email)),
        organisation: Choice::unset("Organisation", orgs),
        requester_name: Text::line("Requester name", "", "required"),
        requester_role: Text::line("Requester role", "", ""),
        requester_email: Text::line("Requester email", "", ""),
        requester_phone: Text::line("Requester phone", "", ""),
        subject_name: Text::line("Child's name", "", "required"),
        subject_mosaic: Text::line("Mosaic ID", "", "required"),
        subject_dob: Date::new("Date of birth", "", "optional"),
        more_subjects: Text::lines("Other children", "", "one per line: name | Mosaic ID | date of birth"),
        purpose: Text::lines("Purpose", "", "why they ask"),
        service_area: Choice::unset("Service area", areas),
    }
}

/// A blank new-request or direct-share form.
pub fn new_request(kind: FormKind, lk: &Lookups, today: NaiveDate) -> Form {
    let request = request_fields(lk, today);
    let fields = if kind == FormKind::DirectShare {
        Fields::DirectShare(DirectShareFields {
            request,
            items: Text::lines("What was shared", "", "one item per line"),
            basis: basis_fields(None),
            shared_on: today_field("Date shared", today),
            method: Text::line("How shared", "", "e.g. secure email"),
            // Nobody is put down as having decided: the asset owner is picked.
            decided_by: Choice::unset("Decided by", staff_options(lk, Some(Role::Manager))),
            decided: Date::new("Decision date", "", "default the date shared"),
            reason: Text::lines("Reason to share", "", "the asset owner's reason"),
            evidence_date: Date::new("Email date", "", "if recording on the owner's behalf"),
            evidence_ref: Text::line("Email ref", "", "if recording on the owner's behalf"),
        })
    } else {
        Fields::NewRequest(NewRequestFields {
            request,
            format: Choice::new("Format", coded(Format::ALL, Format::label), Some(&Format::Paper)),
        })
    };
    Form::new(None, None, fields)
}

/// The import and export forms (not about one request).
pub fn transfer(kind: FormKind) -> Form {
    let fields = match kind {
        FormKind::Import => Fields::Import(ImportFields {
            file: Text::line("File", "", ".xlsx, .csv, or a folder with requests.csv and tracker.csv"),
            mapping: Text::line("Mapping file", "", "optional: a TOML file for another layout"),
            dry_run: YesNo::new("Dry run (check only)", true),
        }),
        _ => Fields::Export(ExportFields {
            format: Choice::new(
                "Format",
                vec![
                    (ExportFormat::Xlsx, "Workbook (.xlsx)".into()),
                    (ExportFormat::Csv, "CSV files in a folder".into()),
                ],
                Some(&ExportFormat::Xlsx),
            ),
            path: Text::line("File or folder", "caseshare-export.xlsx", "written with mode 0600"),
            with_log: YesNo::new("Include the event log", false),
            audit: YesNo::new("Add the decision record (admin or ig)", false),
        }),
    };
    Form::new(None, None, fields)
}

/// The subject report's question: a Mosaic ID or a name, and the text.
pub fn subject_report() -> Form {
    let fields = Fields::SubjectReport(SubjectReportFields {
        by: Choice::new(
            "Find by",
            vec![(SubjectBy::MosaicId, "Mosaic ID".into()), (SubjectBy::Name, "Name".into())],
            Some(&SubjectBy::MosaicId),
        ),
        text: Text::line("Mosaic ID or name", "", "a Mosaic ID (any case) or the child's full name"),
    });
    Form::new(None, None, fields)
}

/// The form a checklist step opens, if the step has one.
pub fn for_step(step: Step, file: &RequestFile, lk: &Lookups, settings: &Settings, today: NaiveDate) -> Option<Form> {
    let kind = match step {
        Step::FormSent => FormKind::FormSent,
        Step::Scope if file.request.kind == RequestKind::Viewing => FormKind::Scope,
        Step::Approval => FormKind::Approve,
        Step::RestoreRequested => FormKind::RestoreRequested,
        Step::FilesAvailable => {
            let paper = file.request.format.is_some_and(Format::has_paper);
            if paper && file.request.restored_on.is_none() { FormKind::Restored } else { FormKind::MosaicChecks }
        }
        Step::VenueBooked => FormKind::Book,
        Step::Confirmed => FormKind::Confirm,
        Step::Viewing => FormKind::Viewing,
        Step::CaseNote => FormKind::CaseNoteRecorded,
        Step::FilesReturned => FormKind::FilesReturned,
        Step::Complete => FormKind::Complete,
        _ => return None,
    };
    Some(for_kind(kind, file, lk, settings, today))
}

/// A form about an existing request.
pub fn for_kind(kind: FormKind, file: &RequestFile, lk: &Lookups, settings: &Settings, today: NaiveDate) -> Form {
    let r = &file.request;
    let date = |label: &'static str| DateFields { date: today_field(label, today) };
    let approver = r.service_area.as_ref().map(|a| a.asset_owner.login.clone());
    let approver = || Choice::new("Decided by", staff_options(lk, Some(Role::Manager)), approver.as_ref());
    let evidence_date = || Date::new("Email date", "", "if recording on the owner's behalf");
    let evidence_ref = || Text::line("Email ref", "", "if recording on the owner's behalf");
    let mut preface = None;
    let fields = match kind {
        FormKind::NewRequest | FormKind::DirectShare => return new_request(kind, lk, today),
        FormKind::Import | FormKind::Export => return transfer(kind),
        FormKind::SubjectReport => return subject_report(),
        FormKind::Dispose | FormKind::Hold | FormKind::Release => {
            return super::retention::form(kind, &r.reference, r.version, lk);
        }
        // Administration forms are about no request (and never rebuilt from one).
        FormKind::StaffAdd
        | FormKind::AreaAdd
        | FormKind::OrgAdd
        | FormKind::RoomAdd
        | FormKind::HolidayAdd
        | FormKind::AdminRename
        | FormKind::AdminRoles
        | FormKind::AdminSetting
        | FormKind::AdminRetire
        | FormKind::AdminReinstate
        | FormKind::HolidayRemove
        | FormKind::AreaOwner
        | FormKind::OrgKindSet
        | FormKind::OrgAlias
        | FormKind::OrgUnalias => {
            return super::admin::form(kind, AdminTarget::default(), lk, settings);
        }
        FormKind::FormSent => Fields::FormSent(date("Date sent")),
        FormKind::Correct => Fields::Correct(CorrectFields {
            requester_name: Text::line("Requester name", &r.requester.name, "required"),
            requester_role: Text::line("Requester role", &r.requester.role, ""),
            requester_email: Text::line("Requester email", &r.requester.email, ""),
            requester_phone: Text::line("Requester phone", &r.requester.phone, ""),
            purpose: Text::lines("Purpose", &r.purpose, "why they ask"),
        }),
        FormKind::Scope => {
            // Shown above the fields, so it is in view beside the agreement question.
            preface = r.isa_prompt.as_ref().map(|p| format!("Information sharing agreement: {p}"));
            Fields::Scope(ScopeFields {
                returned: today_field("Date returned", today),
                items: Text::lines("Items asked for", "", "one per line; 'description | agency' for another agency's"),
                purpose: Text::lines("Purpose", &r.purpose, ""),
                basis: basis_fields(Some(file)),
            })
        }
        FormKind::Basis => {
            preface = r.isa_prompt.as_ref().map(|p| format!("Information sharing agreement: {p}"));
            Fields::Basis(basis_fields(Some(file)))
        }
        FormKind::AddItem => Fields::AddItem(AddItemFields {
            description: Text::line("Item", "", "what is asked for"),
            agency: Text::line("Agency", "", "if it is another agency's material"),
        }),
        FormKind::ItemConsent => {
            let items = file
                .items
                .iter()
                .filter(|i| i.needs_consent())
                .map(|i| (i.number, format!("{}. {}", i.number, i.description)))
                .collect();
            Fields::ItemConsent(ItemConsentFields {
                item: Choice::new("Item", items, None),
                date: today_field("Consent date", today),
                consent_ref: Text::line("Consent ref", "", "email or letter"),
            })
        }
        FormKind::Approve => {
            let items = file
                .pending_items()
                .map(|i| {
                    let agency = i.third_party.as_ref().map(|a| format!(" [{a}]")).unwrap_or_default();
                    (i.number, format!("{}. {}{agency}", i.number, i.description), true)
                })
                .collect();
            Fields::Approve(ApproveFields {
                approver: approver(),
                date: today_field("Decision date", today),
                items: Checks::new("Approve items", items),
                reason: Text::lines("Reason", "", "required, whatever the decision"),
                decline_reasons: Text::lines("Declined: reasons", "", "optional, one per line: N | reason"),
                evidence_date: evidence_date(),
                evidence_ref: evidence_ref(),
            })
        }
        FormKind::Refuse => Fields::Refuse(RefuseFields {
            approver: approver(),
            date: today_field("Decision date", today),
            reason: Text::lines("Reason", "", "required, whatever the decision"),
            evidence_date: evidence_date(),
            evidence_ref: evidence_ref(),
        }),
        FormKind::RestoreRequested => Fields::RestoreRequested(RestoreRequestedFields {
            date: today_field("Date requested", today),
            restore_ref: Text::line("Restore ref", "", "required"),
        }),
        FormKind::Restored => Fields::Restored(date("Date restored")),
        FormKind::MosaicChecks => Fields::MosaicChecks(MosaicChecksFields {
            date: today_field("Date checked", today),
            location_updated: YesNo::new("Location updated", false),
            not_locked: YesNo::new("File not locked", false),
        }),
        FormKind::Book => {
            let venue = if r.format == Some(Format::Digital) { Venue::TeamsRoom } else { Venue::Room };
            let rooms = lk.rooms.iter().filter(|r| r.active).map(|r| (r.name.clone(), r.name.clone())).collect();
            Fields::Book(BookFields {
                venue: Choice::new("Venue", coded(Venue::ALL, Venue::label), Some(&venue)),
                room: Choice::new("Room", rooms, None),
                day: Date::new("Day", "", "DD/MM/YYYY"),
                start: Text::line("Start", "10:00", "HH:MM"),
                end: Text::line("End", "12:00", "HH:MM"),
                teams_reason: Text::line("Teams reason", "", "only for a Teams meeting"),
            })
        }
        FormKind::Confirm => Fields::Confirm(date("Date confirmed")),
        FormKind::Viewing => {
            let method = match r.format {
                Some(Format::Digital) => ViewingMethod::TeamsScreenShare,
                _ => ViewingMethod::InPersonPaper,
            };
            let items = file
                .approved_items()
                .map(|i| {
                    let agency = match (&i.third_party, i.needs_consent()) {
                        (Some(a), true) => format!(" [{a}: consent not recorded]"),
                        (Some(a), false) => format!(" [{a}]"),
                        _ => String::new(),
                    };
                    (i.number, format!("{}. {}{agency}", i.number, i.description), false)
                })
                .collect();
            let booking = file.bookings.last();
            let time = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
            Fields::Viewing(ViewingFields {
                day: Date::new("Date", &booking.map(|b| uk(b.day)).unwrap_or_else(|| uk(today)), DATE_HINT),
                start: Text::line("Start", &booking.map(|b| time(b.start)).unwrap_or_default(), "HH:MM"),
                end: Text::line("End", &booking.map(|b| time(b.end)).unwrap_or_default(), "HH:MM"),
                viewers: Text::line("Viewer(s)", &r.requester.name, "names"),
                viewer_org: Choice::new("Organisation", viewer_orgs(lk, &r.organisation), Some(&r.organisation.name)),
                supervisor: Choice::unset("LCC supervisor", supervisors(lk)),
                method: Choice::new("Method", coded(ViewingMethod::ALL, ViewingMethod::label), Some(&method)),
                items: Checks::new("Items shown", items),
                notes: Text::lines("Notes", "", ""),
                supervised: Choice::unset("Supervised throughout", yes_no()),
                confirmed_by: Choice::unset("Confirmed by", supervisors(lk)),
                lcc_devices: Choice::unset("Only LCC devices, logins", yes_no()),
                what_happened: Text::line("If not, what happened", "", "opens an incident"),
                copy_item: Text::line("Copy given (item)", "", "item number, if any"),
                copy_reason: Text::line("Copy reason", "", ""),
                downloaded: Choice::unset("Anything downloaded", yes_no()),
                download_item: Text::line("Downloaded (item)", "", "item number, if any"),
                download_reason: Text::line("Download reason", "", ""),
            })
        }
        FormKind::IncidentReferred => {
            let open = file.open_incidents().map(|i| (i.id, format!("{} {}", i.id, i.description))).collect();
            Fields::IncidentReferred(IncidentReferredFields {
                incident: Choice::new("Incident", open, None),
                date: today_field("Date referred", today),
                ig_ref: Text::line("IG reference", "", "required"),
            })
        }
        FormKind::CaseNoteRecorded => {
            preface = Some(casenote::draft(file, settings.policy_document.as_deref()));
            Fields::CaseNoteRecorded(CaseNoteRecordedFields {
                date: today_field("Date recorded", today),
                mosaic_ref: Text::line("Mosaic ref", "", "case note reference"),
            })
        }
        FormKind::FilesReturned => Fields::FilesReturned(FilesReturnedFields {
            date: today_field("Date returned", today),
            secured_at: Text::line("Secured where", "", "e.g. the locked cabinet in the records room"),
        }),
        FormKind::Complete => Fields::Complete(date("Date complete")),
        FormKind::Withdraw => Fields::Withdraw(WithdrawFields {
            date: today_field("Date withdrawn", today),
            reason: Text::lines("Reason", "", "required"),
        }),
    };
    let mut form = Form::new(Some(r.reference.clone()), Some(r.version), fields);
    form.preface = preface;
    form
}
