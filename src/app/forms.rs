//! Which fields each form has, pre-filled from the request and the reference data.

use chrono::NaiveDate;

use super::form::{Field, Form, FormKind, coded, yes_no};
use crate::domain::dates::uk;
use crate::domain::*;

/// Reference data the pickers offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookups {
    pub orgs: Vec<Organisation>,
    pub areas: Vec<ServiceArea>,
    pub staff: Vec<Staff>,
    pub rooms: Vec<Room>,
}

fn today_field(key: &'static str, label: &'static str, today: NaiveDate) -> Field {
    Field::line(key, label, &uk(today), "DD/MM/YYYY, YYYY-MM-DD or today")
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

fn basis_fields(fields: &mut Vec<Field>, file: Option<&RequestFile>) {
    let b = file.map(|f| f.request.basis.clone()).unwrap_or_default();
    let code6 = b.art6.map(Art6Basis::as_code).unwrap_or("6_1_e");
    let code9 = b.art9.map(Art9Condition::as_code).unwrap_or("safeguarding");
    let power = b.power.map(StatutoryPower::as_code).unwrap_or("ca1989_s47");
    fields.push(Field::choice(
        "art6",
        "Art. 6 basis",
        coded(Art6Basis::ALL, Art6Basis::as_code, Art6Basis::label),
        code6,
    ));
    fields.push(Field::choice(
        "art9",
        "Art. 9 / Sch.1",
        coded(Art9Condition::ALL, Art9Condition::as_code, Art9Condition::label),
        code9,
    ));
    fields.push(Field::choice(
        "power",
        "Statutory power",
        coded(StatutoryPower::ALL, StatutoryPower::as_code, StatutoryPower::label),
        power,
    ));
    fields.push(Field::line("basis_notes", "Basis notes", &b.notes, "optional"));
    fields.push(Field::text("necessity", "Why necessary", "", "why sharing is necessary"));
    fields.push(Field::choice("consent_sought", "Consent sought", yes_no(), "no"));
    fields.push(Field::line("consent_note", "If not, why not", "", "e.g. the child would be at risk"));
    fields.push(Field::choice("dsa", "Sharing agreement", yes_no(), "no"));
    fields.push(Field::line("security", "Security", "", "how it is kept secure"));
    fields.push(Field::line("retention", "Retention", "", "how long the recipient keeps it"));
}

fn request_fields(lk: &Lookups, today: NaiveDate) -> Vec<Field> {
    // Local authorities first: they are the process's requesters; the rest are redirected.
    let mut sorted: Vec<&Organisation> = lk.orgs.iter().collect();
    sorted.sort_by_key(|o| (o.kind != OrgKind::LocalAuthority, o.name.to_lowercase()));
    let orgs: Vec<(String, String)> =
        sorted.iter().map(|o| (o.name.clone(), format!("{} ({})", o.name, o.kind.label()))).collect();
    let areas: Vec<(String, String)> = lk.areas.iter().map(|a| (a.name.clone(), a.name.clone())).collect();
    vec![
        today_field("received", "Date received", today),
        Field::choice("channel", "Channel", coded(Channel::ALL, Channel::as_code, Channel::label), "email"),
        Field::choice("organisation", "Organisation", orgs, ""),
        Field::line("requester_name", "Requester name", "", "required"),
        Field::line("requester_role", "Requester role", "", ""),
        Field::line("requester_email", "Requester email", "", ""),
        Field::line("requester_phone", "Requester phone", "", ""),
        Field::line("subject_name", "Child's name", "", "required"),
        Field::line("subject_mosaic", "Mosaic ID", "", "required"),
        Field::line("subject_dob", "Date of birth", "", "optional"),
        Field::text("more_subjects", "Other children", "", "one per line: name | Mosaic ID | date of birth"),
        Field::text("purpose", "Purpose", "", "why they ask"),
        Field::choice("service_area", "Service area", areas, ""),
    ]
}

/// A blank new-request or direct-share form.
pub fn new_request(kind: FormKind, lk: &Lookups, today: NaiveDate) -> Form {
    let mut fields = request_fields(lk, today);
    if kind == FormKind::DirectShare {
        fields.push(Field::text("items", "What was shared", "", "one item per line"));
        basis_fields(&mut fields, None);
        fields.push(today_field("shared_on", "Date shared", today));
        fields.push(Field::line("method", "How shared", "", "e.g. secure email"));
    } else {
        fields.push(Field::choice("format", "Format", coded(Format::ALL, Format::as_code, Format::label), "paper"));
    }
    Form::new(kind, None, None, fields)
}

/// The import and export forms (not about one request).
pub fn transfer(kind: FormKind) -> Form {
    let fields = match kind {
        FormKind::Import => vec![
            Field::line("file", "File", "", ".xlsx, .csv, or a folder with requests.csv and tracker.csv"),
            Field::line("map", "Mapping file", "", "optional: a TOML file for another layout"),
            Field::choice("dry_run", "Dry run (check only)", yes_no(), "yes"),
        ],
        _ => vec![
            Field::choice(
                "format",
                "Format",
                vec![("xlsx".into(), "Workbook (.xlsx)".into()), ("csv".into(), "CSV files in a folder".into())],
                "xlsx",
            ),
            Field::line("path", "File or folder", "caseshare-export.xlsx", "written with mode 0600"),
            Field::choice("with_log", "Include the event log", yes_no(), "no"),
        ],
    };
    Form::new(kind, None, None, fields)
}

/// The form a checklist step opens, if the step has one.
pub fn for_step(step: Step, file: &RequestFile, lk: &Lookups, today: NaiveDate) -> Option<Form> {
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
    Some(for_kind(kind, file, lk, today))
}

/// A form about an existing request.
pub fn for_kind(kind: FormKind, file: &RequestFile, lk: &Lookups, today: NaiveDate) -> Form {
    let r = &file.request;
    let date = |label: &'static str| today_field("date", label, today);
    let approver = r.service_area.as_ref().map(|a| a.asset_owner.login.clone()).unwrap_or_default();
    let mut preface = None;
    let fields = match kind {
        FormKind::NewRequest | FormKind::DirectShare => return new_request(kind, lk, today),
        FormKind::Import | FormKind::Export => return transfer(kind),
        FormKind::FormSent => vec![date("Date sent")],
        FormKind::Correct => vec![
            Field::line("requester_name", "Requester name", &r.requester.name, "required"),
            Field::line("requester_role", "Requester role", &r.requester.role, ""),
            Field::line("requester_email", "Requester email", &r.requester.email, ""),
            Field::line("requester_phone", "Requester phone", &r.requester.phone, ""),
            Field::text("purpose", "Purpose", &r.purpose, "why they ask"),
        ],
        FormKind::Scope => {
            let mut f = vec![
                today_field("returned", "Date returned", today),
                Field::text(
                    "items",
                    "Items asked for",
                    "",
                    "one per line; 'description | agency' for another agency's",
                ),
                Field::text("purpose", "Purpose", &r.purpose, ""),
            ];
            basis_fields(&mut f, Some(file));
            f
        }
        FormKind::AddItem => vec![
            Field::line("description", "Item", "", "what is asked for"),
            Field::line("agency", "Agency", "", "if it is another agency's material"),
        ],
        FormKind::ItemConsent => {
            let items = file
                .items
                .iter()
                .filter(|i| i.needs_consent())
                .map(|i| (i.number.to_string(), format!("{}. {}", i.number, i.description)))
                .collect();
            vec![
                Field::choice("item", "Item", items, ""),
                date("Consent date"),
                Field::line("ref", "Consent ref", "", "email or letter"),
            ]
        }
        FormKind::Approve | FormKind::Refuse => {
            let mut f =
                vec![Field::choice("approver", "Decided by", staff_options(lk, Some(Role::Manager)), &approver)];
            f.push(date("Decision date"));
            if kind == FormKind::Approve {
                let items = file
                    .pending_items()
                    .map(|i| {
                        let agency = i.third_party.as_ref().map(|a| format!(" [{a}]")).unwrap_or_default();
                        (i.number.to_string(), format!("{}. {}{agency}", i.number, i.description), true)
                    })
                    .collect();
                f.push(Field::checks("items", "Approve items", items));
            }
            f.push(Field::text("reason", "Reason", "", "required, whatever the decision"));
            f.push(Field::line("evidence_date", "Email date", "", "if recording on the owner's behalf"));
            f.push(Field::line("evidence_ref", "Email ref", "", "if recording on the owner's behalf"));
            f
        }
        FormKind::RestoreRequested => {
            vec![date("Date requested"), Field::line("restore_ref", "Restore ref", "", "required")]
        }
        FormKind::Restored => vec![date("Date restored")],
        FormKind::MosaicChecks => vec![
            date("Date checked"),
            Field::choice("location", "Location updated", yes_no(), "no"),
            Field::choice("unlocked", "File not locked", yes_no(), "no"),
        ],
        FormKind::Book => {
            let venue = if r.format == Some(Format::Digital) { "teams_room" } else { "room" };
            let rooms = lk.rooms.iter().filter(|r| r.active).map(|r| (r.name.clone(), r.name.clone())).collect();
            vec![
                Field::choice("venue", "Venue", coded(Venue::ALL, Venue::as_code, Venue::label), venue),
                Field::choice("room", "Room", rooms, ""),
                Field::line("day", "Day", "", "DD/MM/YYYY"),
                Field::line("start", "Start", "10:00", "HH:MM"),
                Field::line("end", "End", "12:00", "HH:MM"),
                Field::line("reason", "Teams reason", "", "only for a Teams meeting"),
            ]
        }
        FormKind::Confirm => vec![date("Date confirmed")],
        FormKind::Viewing => {
            let method = match r.format {
                Some(Format::Digital) => "teams_screen_share",
                _ => "in_person_paper",
            };
            let items = file
                .approved_items()
                .map(|i| {
                    let agency = match (&i.third_party, i.needs_consent()) {
                        (Some(a), true) => format!(" [{a}: consent not recorded]"),
                        (Some(a), false) => format!(" [{a}]"),
                        _ => String::new(),
                    };
                    (i.number.to_string(), format!("{}. {}{agency}", i.number, i.description), false)
                })
                .collect();
            let booking = file.bookings.last();
            vec![
                Field::line(
                    "day",
                    "Date",
                    &booking.map(|b| uk(b.day)).unwrap_or_else(|| uk(today)),
                    "DD/MM/YYYY, YYYY-MM-DD or today",
                ),
                Field::line(
                    "start",
                    "Start",
                    &booking.map(|b| b.start.format("%H:%M").to_string()).unwrap_or_default(),
                    "HH:MM",
                ),
                Field::line(
                    "end",
                    "End",
                    &booking.map(|b| b.end.format("%H:%M").to_string()).unwrap_or_default(),
                    "HH:MM",
                ),
                Field::line("viewers", "Viewer(s)", &r.requester.name, "names"),
                Field::line("viewer_org", "Organisation", &r.organisation.name, ""),
                Field::choice("supervisor", "LCC supervisor", supervisors(lk), ""),
                Field::choice(
                    "method",
                    "Method",
                    coded(ViewingMethod::ALL, ViewingMethod::as_code, ViewingMethod::label),
                    method,
                ),
                Field::checks("items", "Items shown", items),
                Field::text("notes", "Notes", "", ""),
                Field::choice("supervised", "Supervised throughout", yes_no(), "yes"),
                Field::line("what_happened", "If not, what happened", "", "opens an incident"),
                Field::line("copy_item", "Copy given (item)", "", "item number, if any"),
                Field::line("copy_reason", "Copy reason", "", ""),
            ]
        }
        FormKind::IncidentReferred => {
            let open =
                file.open_incidents().map(|i| (i.id.to_string(), format!("{} {}", i.id, i.description))).collect();
            vec![
                Field::choice("incident", "Incident", open, ""),
                date("Date referred"),
                Field::line("ig_ref", "IG reference", "", "required"),
            ]
        }
        FormKind::CaseNoteRecorded => {
            preface = Some(casenote::draft(file));
            vec![date("Date recorded"), Field::line("mosaic_ref", "Mosaic ref", "", "case note reference")]
        }
        FormKind::FilesReturned => vec![date("Date returned")],
        FormKind::Complete => vec![date("Date complete")],
        FormKind::Withdraw => vec![date("Date withdrawn"), Field::text("reason", "Reason", "", "required")],
    };
    let mut form = Form::new(kind, Some(r.reference.clone()), Some(r.version), fields);
    form.preface = preface;
    form
}
