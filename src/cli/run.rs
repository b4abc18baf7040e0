//! Dispatching a parsed command to the service, and mapping outcomes to exit codes.

use std::path::Path;

use super::locate::{Located, resolve_db};
use super::print;
use super::*;
use super::{admin, interop, lookups, record, requests};
use crate::domain::text;
use crate::service::admin::StaffForm;
use crate::service::{Clock, Service, ServiceError, SiteSettings};
use crate::store::lists::ListFilter;
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

fn fail(e: &ServiceError) -> ExitStatus {
    eprintln!("caseshare: {}", text::safe(&e.to_string(), false));
    match e {
        ServiceError::Refused(_) => ExitStatus::Refused,
        _ => ExitStatus::Error,
    }
}

/// Runs one command; prints results on stdout and one-line errors on stderr.
pub fn run(cli: Cli) -> ExitStatus {
    crate::progress::set_quiet(cli.quiet);
    // Generated from the grammar alone: no database, no login.
    match &cli.command {
        Some(Command::Completions { shell }) => return completions(*shell),
        Some(Command::Man) => return man_page(),
        _ => {}
    }
    let located = match resolve_db(&cli) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("caseshare: {}", text::safe(&e, false));
            return ExitStatus::Error;
        }
    };
    // Said before anything else (and before the full-screen application takes the
    // terminal): which file was looked for, what named it, what to do.
    let creates = cli.demo || matches!(cli.command, Some(Command::Init { .. } | Command::Demo { .. }));
    if !creates && let Some(message) = located.missing() {
        eprintln!("caseshare: {}", text::safe(&message, false));
        return ExitStatus::Error;
    }
    let site = site_settings(&located);
    let path = located.path;
    let login = match identity::current_login() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("caseshare: {e}");
            return ExitStatus::Error;
        }
    };
    let Some(command) = cli.command else {
        return match open_tui(&path, &login, cli.demo, &site) {
            Ok(()) => ExitStatus::Done,
            Err(e) => fail(&e),
        };
    };
    match execute(command, &path, &login, cli.demo, cli.json, &site) {
        Ok(()) => ExitStatus::Done,
        Err(e) => fail(&e),
    }
}

/// `caseshare completions SHELL`: the shell's completion script on stdout.
fn completions(shell: clap_complete::Shell) -> ExitStatus {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "caseshare", &mut out);
    write_out(format_args!("{}", String::from_utf8_lossy(&out)));
    ExitStatus::Done
}

/// `caseshare man`: the manual page, as roff, on stdout.
fn man_page() -> ExitStatus {
    use clap::CommandFactory;
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut out) {
        eprintln!("caseshare: could not write the manual page: {e}");
        return ExitStatus::Error;
    }
    write_out(format_args!("{}", String::from_utf8_lossy(&out)));
    ExitStatus::Done
}

/// What the configuration file sets for the database in use (nothing when it
/// describes another database, or for the demonstration, which reads none).
fn site_settings(located: &Located) -> SiteSettings {
    located.site().map_or_else(SiteSettings::default, |c| SiteSettings {
        file: c.describe(),
        council_name: c.council_name.clone(),
        anchor_file: c.anchor_file.clone(),
    })
}

/// Opens the database as `login`; with `--demo`, builds the demo database first if
/// absent. `site`: what the configuration file sets for it.
pub fn open_service(path: &Path, login: &str, demo_mode: bool, site: &SiteSettings) -> Result<Service, ServiceError> {
    if demo_mode && !path.exists() {
        demo::build(path, login, Clock::System)?;
    }
    let store = Store::open(path, OpenMode::Existing)?;
    let mut svc = Service::open(store, login, Clock::System)?;
    svc.use_site(site.clone());
    Ok(svc)
}

/// The full-screen application; `--demo` starts it on a freshly built demo database.
fn open_tui(path: &Path, login: &str, demo_mode: bool, site: &SiteSettings) -> Result<(), ServiceError> {
    if demo_mode && path.exists() {
        demo::remove_existing(path)?;
    }
    let svc = open_service(path, login, demo_mode, site)?;
    crate::tui::run(svc).map_err(|e| ServiceError::Io(format!("terminal error: {e}")))
}

fn execute(
    command: Command,
    path: &Path,
    login: &str,
    demo_mode: bool,
    json: bool,
    site: &SiteSettings,
) -> Result<(), ServiceError> {
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
            let progress = crate::progress::Progress::new(0, "building the demonstration database");
            demo::build_with_progress(path, login, Clock::System, requests, &progress)?;
            progress.finish();
            let svc = open_service(path, login, false, site)?;
            let n = svc.count(&ListFilter::default())?;
            say!("Demo database with {n} fictional requests at {}", path.display());
            // `--demo` opens the demo database in the data directory; one built
            // elsewhere is opened by naming it.
            if super::locate::demo_db().is_ok_and(|d| d == path) {
                say!("Try: caseshare --demo request list");
            } else {
                say!("Try: caseshare --db {} request list", shell_word(&path.display().to_string()));
            }
            Ok(())
        }
        // Checking a backup must not change it.
        cmd @ Command::Verify { .. } if !demo_mode => {
            let mut svc = Service::open(Store::open(path, OpenMode::Inspect)?, login, Clock::System)?;
            svc.use_site(site.clone());
            dispatch(&mut svc, cmd, json)
        }
        other => {
            let mut svc = open_service(path, login, demo_mode, site)?;
            dispatch(&mut svc, other, json)
        }
    }
}

fn dispatch(svc: &mut Service, command: Command, json: bool) -> Result<(), ServiceError> {
    match command {
        Command::Init { .. } | Command::Demo { .. } | Command::Completions { .. } | Command::Man => {
            unreachable!("handled before opening")
        }
        Command::Staff(c) => admin::staff(svc, c, json),
        Command::Area(c) => admin::area(svc, c, json),
        Command::Org(c) => admin::org(svc, c, json),
        Command::Room(c) => admin::room(svc, c, json),
        Command::Settings(c) => admin::settings(svc, c, json),
        Command::Holiday(c) => admin::holiday(svc, c, json),
        Command::Request(c) => requests::request(svc, c, json),
        c @ (Command::DirectShare(_)
        | Command::Correct { .. }
        | Command::Basis { .. }
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
        | Command::Withdraw { .. }
        | Command::Hold { .. }
        | Command::Release { .. }) => super::steps::run(svc, c, json),
        Command::Retention(c) => super::retention::due(svc, c, json),
        Command::Dispose { references, authorised_by, reason, early, dry_run } => {
            let form = crate::service::retention::DisposeForm { references, authorised_by, reason, early };
            super::retention::dispose(svc, form, dry_run, json)
        }
        Command::CaseNote { reference } => requests::case_note(svc, reference, json),
        Command::Letter { reference, kind, out, templates } => {
            requests::letter(svc, reference, kind, out, templates, json)
        }
        Command::WhoViewed(a) => lookups::who_viewed(svc, a, json),
        Command::SubjectReport(a) => lookups::subject_report(svc, a, json),
        Command::Log { reference, limit } => print::log(&svc.log(reference.as_deref(), limit)?, svc.settings(), json),
        Command::Report { from, to } => lookups::report(svc, from, to, json),
        Command::Export(a) => interop::export(svc, a, json),
        Command::Import(a) => interop::import(svc, a, json),
        Command::Backup { file } => interop::backup(svc, file, json),
        Command::Anchor { file, syslog } => record::anchor(svc, file, syslog, json),
        Command::Verify { anchors, since_last_anchor, chain_only } => {
            record::verify(svc, anchors, since_last_anchor, chain_only, json)
        }
    }
}

/// `s` as one word for a POSIX shell: as it is when it holds nothing the shell
/// would read otherwise, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
