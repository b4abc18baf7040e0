//! Dispatching a parsed command to the service, and mapping outcomes to exit codes.

use std::path::{Path, PathBuf};

use super::print;
use super::*;
use crate::domain::dates::parse_date;
use crate::domain::{RequestFile, Status, text};
use crate::service::admin::{RoomForm, StaffForm};
use crate::service::forms::*;
use crate::service::interop::ExportTarget;
use crate::service::lookup::{AnchorTo, VerifyCheck};
use crate::service::op::Op;
use crate::service::{Clock, Service, ServiceError};
use crate::store::lists::{ListFilter, TrackerFilter};
use crate::store::{OpenMode, Store};
use crate::{demo, identity};

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: done.
    Done = 0,
    /// 1: refused by a rule.
    Refused = 1,
    /// 2: usage or I/O error.
    Error = 2,
}

/// The default database, in the platform data directory.
pub fn default_db() -> Result<PathBuf, String> {
    data_dir().map(|d| d.join("caseshare.sqlite3"))
}

/// The demonstration database, beside the real one but never the same file.
pub fn demo_db() -> Result<PathBuf, String> {
    data_dir().map(|d| d.join("demo.sqlite3"))
}

fn data_dir() -> Result<PathBuf, String> {
    crate::dirs::user_dirs()
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| "no home directory to keep the database in: give --db PATH".to_string())
}

/// Which file this invocation uses: `--db`/`CASESHARE_DB`, else the demo or default
/// path. `caseshare demo` without `--db` builds the demo database, never the real one.
pub fn resolve_db(cli: &Cli) -> Result<PathBuf, String> {
    let demo = cli.demo || matches!(cli.command, Some(Command::Demo { .. }));
    // CASESHARE_DB names the real database, so the demo never follows it.
    match (&cli.db, demo, std::env::var_os("CASESHARE_DB").filter(|v| !v.is_empty())) {
        (Some(p), _, _) => Ok(p.clone()),
        (None, true, _) => demo_db(),
        (None, false, Some(env)) => Ok(PathBuf::from(env)),
        (None, false, None) => default_db(),
    }
}

fn fail(e: &ServiceError) -> ExitStatus {
    eprintln!("caseshare: {}", text::safe(&e.to_string(), false));
    match e {
        ServiceError::Refused(_) => ExitStatus::Refused,
        _ => ExitStatus::Error,
    }
}

/// Runs one command; prints results on stdout and one-line errors on stderr.
pub fn run(cli: Cli) -> ExitStatus {
    let path = match resolve_db(&cli) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("caseshare: {e}");
            return ExitStatus::Error;
        }
    };
    let login = match identity::current_login() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("caseshare: {e}");
            return ExitStatus::Error;
        }
    };
    let Some(command) = cli.command else {
        return match open_tui(&path, &login, cli.demo) {
            Ok(()) => ExitStatus::Done,
            Err(e) => fail(&e),
        };
    };
    match execute(command, &path, &login, cli.demo, cli.json) {
        Ok(()) => ExitStatus::Done,
        Err(e) => fail(&e),
    }
}

/// Opens the database as `login`; with `--demo`, builds the demo database first if absent.
pub fn open_service(path: &Path, login: &str, demo_mode: bool) -> Result<Service, ServiceError> {
    if demo_mode && !path.exists() {
        demo::build(path, login, Clock::System)?;
    }
    let store = Store::open(path, OpenMode::Existing)?;
    Service::open(store, login, Clock::System)
}

/// The full-screen application; `--demo` starts it on a freshly built demo database.
fn open_tui(path: &Path, login: &str, demo_mode: bool) -> Result<(), ServiceError> {
    if demo_mode && path.exists() {
        demo::remove_existing(path)?;
    }
    let svc = open_service(path, login, demo_mode)?;
    crate::tui::run(svc).map_err(|e| ServiceError::Io(format!("terminal error: {e}")))
}

fn execute(command: Command, path: &Path, login: &str, demo_mode: bool, json: bool) -> Result<(), ServiceError> {
    match command {
        Command::Init { name, position, shared } => {
            let form = StaffForm {
                login: login.to_string(),
                name: name.unwrap_or_else(|| login.to_string()),
                position,
                email: String::new(),
                roles: "admin".into(),
            };
            Service::init(path, shared, &form, Clock::System)?;
            say!(
                "Created {} ({}); {login} is its first administrator.",
                path.display(),
                if shared { "mode 0660, shared" } else { "mode 0600" }
            );
            say!(
                "Next: add staff (caseshare staff add), service areas with their asset owners (caseshare area add), organisations and rooms."
            );
            Ok(())
        }
        Command::Demo { requests } => {
            if path.exists() {
                demo::remove_existing(path)?;
            }
            demo::build_with(path, login, Clock::System, requests)?;
            let svc = open_service(path, login, false)?;
            let n = svc.count(&ListFilter::default())?;
            say!("Demo database with {n} fictional requests at {}", path.display());
            say!("Try: caseshare --demo request list");
            Ok(())
        }
        // Checking a backup must not change it.
        cmd @ Command::Verify { .. } if !demo_mode => {
            let mut svc = Service::open(Store::open(path, OpenMode::Inspect)?, login, Clock::System)?;
            dispatch(&mut svc, cmd, json)
        }
        other => {
            let mut svc = open_service(path, login, demo_mode)?;
            dispatch(&mut svc, other, json)
        }
    }
}

pub(super) fn split_pipe(s: &str) -> Vec<String> {
    s.split('|').map(|p| p.trim().to_string()).collect()
}

fn subjects(raw: &[String]) -> Vec<SubjectForm> {
    raw.iter()
        .map(|s| {
            let p = split_pipe(s);
            SubjectForm {
                name: p.first().cloned().unwrap_or_default(),
                mosaic_id: p.get(1).cloned().unwrap_or_default(),
                dob: p.get(2).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

pub(super) fn items(raw: &[String]) -> Vec<ItemForm> {
    raw.iter()
        .map(|s| {
            let p = split_pipe(s);
            ItemForm {
                description: p.first().cloned().unwrap_or_default(),
                third_party: p.get(1).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

pub(super) fn new_request_form(a: NewRequestArgs) -> NewRequestForm {
    NewRequestForm {
        received: a.received,
        channel: a.channel,
        organisation: a.org,
        requester_name: a.requester,
        requester_role: a.requester_role,
        requester_email: a.requester_email,
        requester_phone: a.requester_phone,
        subjects: subjects(&a.subjects),
        purpose: a.purpose,
        service_area: a.area,
        format: a.format,
        owner: a.owner,
    }
}

pub(super) fn basis_form(b: BasisArgs) -> BasisForm {
    BasisForm {
        art6: b.art6,
        art9: b.art9,
        power: b.power,
        notes: b.basis_notes,
        necessity: b.necessity,
        consent_sought: b.consent_sought,
        consent_note: b.consent_note,
        dsa_exists: b.dsa,
        security: b.security,
        retention: b.retention,
    }
}

pub(super) fn done(what: &str, f: &RequestFile) {
    let next = crate::domain::checklist::next_step(f)
        .map(|s| format!("; next: step {} {}", s.number(), crate::domain::checklist::step_label(f, s)))
        .unwrap_or_default();
    say!("{}: {what}. Status: {}{next}", f.request.reference, f.request.status.label());
}

fn dispatch(svc: &mut Service, command: Command, json: bool) -> Result<(), ServiceError> {
    let today = svc.today();
    match command {
        Command::Init { .. } | Command::Demo { .. } => unreachable!("handled before opening"),
        Command::Staff(c) => admin_staff(svc, c, json),
        Command::Area(c) => match c {
            AreaCmd::Add { name, owner } => {
                svc.area_add(&name, &owner)?;
                say!("Service area {} added; asset owner {}.", text::safe(&name, false), text::safe(&owner, false));
                Ok(())
            }
            AreaCmd::SetOwner { name, owner } => {
                svc.area_set_owner(&name, &owner)?;
                say!("Asset owner of {} is now {}.", text::safe(&name, false), text::safe(&owner, false));
                Ok(())
            }
            AreaCmd::List => print::areas(&svc.areas()?, json),
        },
        Command::Org(c) => match c {
            OrgCmd::Add { name, kind } => {
                let o = svc.org_add(&name, &kind)?;
                say!("Organisation {} ({}) added.", text::safe(&o.name, false), o.kind.label());
                Ok(())
            }
            OrgCmd::List => print::orgs(&svc.organisations()?, json),
        },
        Command::Room(c) => match c {
            RoomCmd::Add { name, location, observer_space, secure_storage, teams } => {
                let r = svc.room_add(&RoomForm { name, location, observer_space, secure_storage, teams })?;
                say!("Room {} added.", text::safe(&r.name, false));
                Ok(())
            }
            RoomCmd::List => print::rooms(&svc.rooms()?, json),
        },
        Command::Settings(c) => match c {
            SettingsCmd::Set { key, value } => {
                svc.setting_set(&key, &value)?;
                if value.trim().is_empty() {
                    say!("{} cleared: back to its default.", text::safe(&key, false));
                } else {
                    say!("{} set to {}.", text::safe(&key, false), text::safe(&value, false));
                }
                Ok(())
            }
            SettingsCmd::List => print::settings(svc.settings(), json),
        },
        Command::Holiday(c) => match c {
            HolidayCmd::Add { date, name } => {
                match svc.holiday_add(&date, &name)? {
                    Some(old) => say!("Bank holiday renamed (it was '{}').", text::safe(&old, false)),
                    None => say!("Bank holiday added."),
                }
                Ok(())
            }
            HolidayCmd::Remove { date } => {
                svc.holiday_remove(&date)?;
                say!("Bank holiday removed.");
                Ok(())
            }
            HolidayCmd::List => print::holidays(&svc.holidays()?, json),
        },
        Command::Request(c) => match c {
            RequestCmd::New(a) => {
                let out = svc.apply(Op::NewRequest(new_request_form(a)))?.created();
                print::new_outcome(&out, json)
            }
            RequestCmd::List { status, overdue, mine, org, subject, text: search, all, limit } => {
                if let Some(t) = &search
                    && t.trim().chars().count() < crate::app::MIN_SEARCH
                {
                    return Err(crate::domain::InputError::new(
                        "text",
                        format!("'{}' is too short to search for: give 3 or more characters", text::safe(t, false)),
                    )
                    .into());
                }
                // A search that can find a child's file is a lookup: recorded.
                for s in [&subject, &org, &search].into_iter().flatten() {
                    svc.record_search(s)?;
                }
                let statuses = status.iter().map(|s| code::<Status>("status", s)).collect::<Result<Vec<_>, _>>()?;
                let limit = limit.unwrap_or(if json { 0 } else { 500 });
                let filter = ListFilter {
                    open_only: !all && statuses.is_empty(),
                    statuses,
                    overdue,
                    owner_id: mine.then(|| svc.actor().id),
                    organisation: org,
                    subject,
                    text: search,
                    limit: (limit > 0).then_some(limit),
                    ..ListFilter::default()
                };
                let rows = svc.list(&filter)?;
                print::request_list(&rows, today, json)?;
                if !json && limit > 0 && rows.len() == limit as usize {
                    let total = svc.count(&filter)?;
                    if total > i64::from(limit) {
                        say!("Showing the first {limit} of {total} in triage order; --limit 0 lists every one.");
                    }
                }
                Ok(())
            }
            RequestCmd::Show { reference } => {
                let f = svc.request(&reference)?;
                print::request_show(&f, svc.settings(), today, json)
            }
        },
        c @ (Command::DirectShare(_)
        | Command::Correct { .. }
        | Command::FormSent { .. }
        | Command::Scope(_)
        | Command::AddItem { .. }
        | Command::ItemConsent { .. }
        | Command::Approve(_)
        | Command::Refuse(_)
        | Command::RestoreRequested { .. }
        | Command::Restored { .. }
        | Command::MosaicChecks { .. }
        | Command::Book(_)
        | Command::Confirm { .. }
        | Command::Viewing(_)
        | Command::IncidentReferred { .. }
        | Command::CaseNoteRecorded { .. }
        | Command::FilesReturned { .. }
        | Command::Complete { .. }
        | Command::Withdraw { .. }) => super::steps::run(svc, c, json),
        Command::CaseNote { reference } => {
            let t = svc.case_note_text(&reference)?;
            if json {
                print::json(&serde_json::json!({ "reference": reference, "text": t }))
            } else {
                crate::cli::write_out(format_args!("{}", text::safe(&t, true)));
                Ok(())
            }
        }
        Command::WhoViewed(a) => {
            let opt = |field: &str, v: &Option<String>| v.as_deref().map(|s| parse_date(field, s, today)).transpose();
            let filter = TrackerFilter {
                mosaic_id: a.mosaic_id,
                subject: a.subject,
                organisation: a.org,
                viewer: a.viewer,
                from: opt("from", &a.from)?,
                to: opt("to", &a.to)?,
                text: None,
                limit: None,
            };
            print::who_viewed(&svc.who_viewed(&filter)?, json)
        }
        Command::Log { reference, limit } => print::log(&svc.log(reference.as_deref(), limit)?, svc.settings(), json),
        Command::Letter { reference, kind, out, templates } => {
            if templates {
                let dir = crate::interop::letters::template_dir(svc.settings());
                for k in crate::domain::LetterKind::ALL {
                    let (_, origin) = crate::interop::letters::source(*k, dir.as_deref()).map_err(ServiceError::Io)?;
                    say!("{:<16} {origin}", k.as_code());
                }
                if let Some(d) = dir {
                    say!("Put a file named KIND.txt in {} to replace a built-in template.", d.display());
                }
                return Ok(());
            }
            let (Some(reference), Some(kind)) = (reference, kind) else { unreachable!("clap requires both") };
            let kind: crate::domain::LetterKind = code("letter", &kind)?;
            let text = svc.letter(&reference, kind)?;
            match out {
                Some(path) => {
                    crate::interop::write_private(&path, text.as_bytes()).map_err(ServiceError::Io)?;
                    if json {
                        print::json(&serde_json::json!({ "reference": reference, "kind": kind, "file": path }))?;
                    } else {
                        say!("{reference}: {} written to {} (mode 0600).", kind.as_code(), path.display());
                    }
                }
                None if json => {
                    print::json(&serde_json::json!({ "reference": reference, "kind": kind, "text": text }))?
                }
                None => crate::cli::write_out(format_args!("{}", text::safe(&text, true))),
            }
            Ok(())
        }
        Command::Report { from, to } => {
            let opt = |field: &str, v: &Option<String>| v.as_deref().map(|s| parse_date(field, s, today)).transpose();
            let report = svc.report(opt("from", &from)?, opt("to", &to)?)?;
            print::report(&report, json)
        }
        Command::Export(a) => {
            let statuses = a.status.iter().map(|s| code::<Status>("status", s)).collect::<Result<Vec<_>, _>>()?;
            let opt = |field: &str, v: &Option<String>| v.as_deref().map(|s| parse_date(field, s, today)).transpose();
            let filter = ListFilter {
                statuses,
                overdue: a.overdue,
                owner_id: a.mine.then(|| svc.actor().id),
                organisation: a.org,
                subject: a.subject,
                received_from: opt("from", &a.from)?,
                received_to: opt("to", &a.to)?,
                ..ListFilter::default()
            };
            let target = match (a.xlsx, a.csv) {
                (Some(f), _) => ExportTarget::Xlsx(f),
                (None, Some(d)) => ExportTarget::CsvDir(d),
                (None, None) => unreachable!("clap requires one"),
            };
            let out = svc.export(&filter, a.with_log, &target)?;
            if json {
                return print::json(&out);
            }
            let files: Vec<String> = out.files.iter().map(|f| f.display().to_string()).collect();
            say!(
                "Exported {} requests, {} viewings{} to {} (mode 0600). The export is recorded in the event log.",
                out.requests,
                out.viewings,
                if a.with_log { format!(", {} events", out.events) } else { String::new() },
                files.join(", ")
            );
            Ok(())
        }
        Command::Import { file, sheet, map, dry_run } => {
            let mut mapping = match map {
                Some(m) => {
                    let text =
                        std::fs::read_to_string(&m).map_err(|e| ServiceError::Io(format!("{}: {e}", m.display())))?;
                    crate::interop::import::Mapping::from_toml(&text).map_err(ServiceError::Io)?
                }
                None => crate::interop::import::Mapping::default(),
            };
            if let Some(s) = sheet {
                mapping.requests.sheet = s;
            }
            let report = svc.import(&file, &mapping, dry_run)?;
            if json {
                print::json(&report)?;
            } else {
                print::import(&report);
            }
            if report.rejected.is_empty() {
                Ok(())
            } else {
                Err(crate::domain::Refusal::new(
                    crate::domain::Rule::Reference,
                    format!("{} row(s) rejected, so nothing was imported", report.rejected.len()),
                    "correct or remove those rows (listed above) and import again",
                )
                .into())
            }
        }
        Command::Backup { file } => {
            let r = svc.backup(&file)?;
            if json {
                print::json(&r)
            } else {
                say!(
                    "Backed up to {} (mode 0600): {} requests, {} events; integrity check and event chain OK.",
                    file.display(),
                    r.requests,
                    r.events
                );
                Ok(())
            }
        }
        Command::Anchor { file, syslog } => {
            let to = if syslog { AnchorTo::Syslog } else { AnchorTo::File(file) };
            let anchor = svc.anchor(to.clone())?;
            if json {
                return print::json(&anchor);
            }
            let whereto = match to {
                AnchorTo::Syslog => "syslog".to_string(),
                AnchorTo::File(f) => f.map_or_else(
                    || svc.anchor_file().map(|p| p.display().to_string()),
                    |f| Ok(f.display().to_string()),
                )?,
            };
            say!("Anchored {} events (last hash {}) at {} in {whereto}.", anchor.events, anchor.hash, anchor.at);
            Ok(())
        }
        Command::Verify { anchors, since_last_anchor, chain_only } => {
            let report = svc.verify(&VerifyCheck { rebuild: !chain_only, anchors, since_last_anchor })?;
            print::verify(&report, json)?;
            if report.ok() {
                Ok(())
            } else {
                Err(crate::domain::Refusal::new(
                    crate::domain::Rule::EventLog,
                    "the event log failed verification",
                    "restore from a verified backup and tell information governance",
                )
                .into())
            }
        }
    }
}

fn admin_staff(svc: &mut Service, c: StaffCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        StaffCmd::Add { login, name, position, email, roles } => {
            let s = svc.staff_add(&StaffForm { login, name, position, email, roles })?;
            say!("{} ({}) registered as {}.", text::safe(&s.login, false), text::safe(&s.name, false), s.roles_code());
        }
        StaffCmd::SetRoles { login, roles } => {
            let s = svc.staff_update(&login, Some(&roles), None)?;
            say!("{} now has roles {}.", text::safe(&s.login, false), s.roles_code());
        }
        StaffCmd::Deactivate { login } => {
            svc.staff_update(&login, None, Some(false))?;
            say!("{} deactivated.", text::safe(&login, false));
        }
        StaffCmd::Activate { login } => {
            svc.staff_update(&login, None, Some(true))?;
            say!("{} activated.", text::safe(&login, false));
        }
        StaffCmd::List => print::staff(&svc.staff()?, json)?,
    }
    Ok(())
}
