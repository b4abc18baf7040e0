//! The command-line face: clap definitions here, dispatch in `run`, printing in
//! `print`. Every operation goes through `service`; refusals print one line on
//! stderr and exit 1; usage and I/O errors exit 2.

/// `println!` that ends the process quietly when the reader has gone
/// (`caseshare log | head`) instead of panicking on a broken pipe.
macro_rules! say {
    () => { $crate::cli::write_out(format_args!("\n")) };
    ($($t:tt)*) => { $crate::cli::write_out(format_args!("{}\n", format_args!($($t)*))) };
}

mod admin;
mod args;
mod interop;
mod locate;
mod lookups;
mod options;
mod print;
mod record;
mod requests;
mod retention;
mod run;
mod steps;

/// Writes to stdout; a closed pipe ends the process with success, as `head` expects.
pub(crate) fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(args)
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

pub use options::*;
pub use run::{ExitStatus, run};

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Records and checks other local authorities' requests to view children's social care files.
#[derive(Debug, Parser)]
#[command(name = "caseshare", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Database file (default: $CASESHARE_DB, else `database` in the configuration
    /// file — $CASESHARE_CONFIG, ~/.config/caseshare/config.toml or
    /// /etc/caseshare/config.toml — else the platform data directory).
    /// With --demo and no --db, the demo database: never the real one.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Use the demonstration database (fictional data), building it if absent.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Print JSON instead of text (read commands).
    #[arg(long, global = true)]
    pub json: bool,
    /// No progress bars on the terminal (they are never drawn when standard error is not a terminal).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// One parsed command per process: variant size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database and make you its first administrator.
    Init {
        /// Your full name.
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "")]
        position: String,
        /// Shared install: database readable and writable by its group (0660).
        #[arg(long)]
        shared: bool,
    },
    /// Build the demonstration database of invented requests (never touches the real one).
    Demo {
        /// Number of extra generated requests (beyond the hand-made examples).
        #[arg(long, default_value_t = 0)]
        requests: u32,
    },
    /// Staff and their roles.
    #[command(subcommand)]
    Staff(StaffCmd),
    /// Service areas and their asset owners.
    #[command(subcommand)]
    Area(AreaCmd),
    /// Requesting organisations and their kind.
    #[command(subcommand)]
    Org(OrgCmd),
    /// Rooms for viewings.
    #[command(subcommand)]
    Room(RoomCmd),
    /// Step targets, CPRU mailbox, time zone.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Bank holidays (skipped when counting working days).
    #[command(subcommand)]
    Holiday(HolidayCmd),
    /// Record, list and show requests.
    #[command(subcommand)]
    Request(RequestCmd),
    /// Record a copy shared directly (last assessment, chronology, letter): the short path.
    DirectShare(DirectShareArgs),
    /// Change the lawful basis and decision record given at step 3: before the
    /// decision, or to complete a record left for review by an upgrade. Give every
    /// answer again (the basis flags of `scope`).
    Basis {
        reference: String,
        #[command(flatten)]
        basis: BasisArgs,
        #[command(flatten)]
        version: Version,
    },
    /// Correct the requester's details or the stated purpose (recorded with what they were).
    Correct {
        reference: String,
        #[arg(long)]
        requester: Option<String>,
        #[arg(long)]
        requester_role: Option<String>,
        #[arg(long)]
        requester_email: Option<String>,
        #[arg(long)]
        requester_phone: Option<String>,
        #[arg(long)]
        purpose: Option<String>,
        #[command(flatten)]
        version: Version,
    },
    /// Step 2: the "Request to view Children's Service Records" form was sent.
    FormSent {
        reference: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 3: the form came back: items asked for, purpose, lawful basis.
    Scope(ScopeArgs),
    /// Add an item after the form (widens the scope: needs a fresh approval).
    AddItem {
        reference: String,
        description: String,
        /// The agency whose material it is (police, health, court).
        #[arg(long, default_value = "")]
        agency: String,
        #[command(flatten)]
        version: Version,
    },
    /// Record the originating agency's consent to show its material.
    ItemConsent {
        reference: String,
        item: i64,
        /// Reference of the agency's consent (email, letter).
        #[arg(long = "ref")]
        consent_ref: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 4: the asset owner approves (all or some items).
    Approve(ApprovalArgs),
    /// Step 4: the asset owner refuses; the request closes as refused.
    Refuse(RefuseArgs),
    /// Step 5: restore of the physical files requested.
    RestoreRequested {
        reference: String,
        #[arg(long = "restore-ref")]
        restore_ref: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 6: physical files restored / available.
    Restored {
        reference: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 6: Mosaic file location updated and file not locked.
    MosaicChecks {
        reference: String,
        #[arg(long)]
        location_updated: bool,
        #[arg(long)]
        not_locked: bool,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 7: venue booked.
    Book(BookArgs),
    /// Step 8: date and venue confirmed with the requester.
    Confirm {
        reference: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 9: log a viewing.
    Viewing(ViewingArgs),
    /// Record that an incident was referred to information governance.
    IncidentReferred {
        reference: String,
        incident: i64,
        #[arg(long = "ig-ref")]
        ig_ref: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Print the drafted Mosaic case note text.
    CaseNote { reference: String },
    /// Step 10: the case note is recorded in Mosaic.
    CaseNoteRecorded {
        reference: String,
        #[arg(long = "mosaic-ref")]
        mosaic_ref: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 11: physical files returned / secured.
    FilesReturned {
        reference: String,
        /// Where the files were secured (e.g. the locked cabinet in the records room).
        #[arg(long = "secured-at", default_value = "")]
        secured_at: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Step 12: request complete.
    Complete {
        reference: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Withdraw a request (reason required).
    Withdraw {
        reference: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        date: DateArg,
        #[command(flatten)]
        version: Version,
    },
    /// Put a legal hold on a request (inquiry, litigation, an open subject access request): it is not disposed of until released (admin).
    Hold {
        reference: String,
        /// Why, and under what authority (e.g. "SAR received 01/12/2026, IG ref SAR-0001").
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        version: Version,
    },
    /// Release a legal hold (admin).
    Release {
        reference: String,
        #[command(flatten)]
        version: Version,
    },
    /// The retention schedule: requests past their date for disposal, and those under a hold.
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// Dispose of closed requests past their retention date: every name, date of birth, Mosaic ID, contact detail and
    /// free text erased from the tables, the search index and the event log, a residue kept for the reports (admin).
    Dispose {
        /// The requests (REQ-YYYY-NNNN …), all disposed of in one transaction or none.
        #[arg(required = true, num_args = 1..)]
        references: Vec<String>,
        /// Who authorised it: another administrator, or the service area's asset owner.
        #[arg(long, value_name = "LOGIN")]
        authorised_by: String,
        /// Why (e.g. "retention schedule, disposal run December 2026").
        #[arg(long)]
        reason: String,
        /// Dispose of it before its retention date: why (recorded).
        #[arg(long, value_name = "REASON")]
        early: Option<String>,
        /// Check and count everything, keep nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Who viewed a child's file, or what an organisation or viewer saw (recorded).
    WhoViewed(WhoViewedArgs),
    /// For one child: every request naming them, each decision, what was shown or
    /// sent, incidents, and every lookup of them (admin or ig; recorded).
    SubjectReport(SubjectReportArgs),
    /// The event log of a request, or the latest events of the whole database.
    Log {
        reference: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Check the event log: append-only triggers, the hash chain, every table rebuilt from the log and compared, and anchors
    Verify {
        /// Also check the log still extends every head recorded in this anchor file.
        #[arg(long, value_name = "FILE")]
        anchors: Option<PathBuf>,
        /// Walk only the events after the last anchor (in --anchors FILE, or the anchor file), and rebuild only the requests they touch.
        #[arg(long)]
        since_last_anchor: bool,
        /// Only the triggers and the hash chain: skip rebuilding the tables.
        #[arg(long)]
        chain_only: bool,
    },
    /// Record the event log's head (count, last hash, time) outside the database, for verify --anchors
    Anchor {
        /// Append to this file instead of the anchor file (setting anchor_file; never in the database's folder).
        #[arg(long, value_name = "FILE", conflicts_with = "syslog")]
        file: Option<PathBuf>,
        /// Send the anchor to syslog (/dev/log) instead of a file.
        #[arg(long)]
        syslog: bool,
    },
    /// Write a letter for a request: acknowledgement, refusal, confirmation or case_note.
    Letter {
        /// The request (not needed with --templates).
        #[arg(required_unless_present = "templates")]
        reference: Option<String>,
        /// acknowledgement, refusal, confirmation, case_note.
        #[arg(required_unless_present = "templates")]
        kind: Option<String>,
        /// Write to this file (0600) instead of the screen.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Say where each template comes from (built in, or the administrator's file).
        #[arg(long)]
        templates: bool,
    },
    /// How the service is doing: received and completed per month, by organisation,
    /// working days to decision and viewing, refusals, overdue, incidents.
    Report {
        /// From (default: the first of the month eleven months before --to).
        #[arg(long)]
        from: Option<String>,
        /// To (default today).
        #[arg(long)]
        to: Option<String>,
    },
    /// Export requests and the tracker of viewings to .xlsx or .csv, laid out like the spreadsheet (recorded).
    Export(ExportArgs),
    /// Import a spreadsheet (.xlsx, .csv, or a directory of requests.csv and
    /// tracker.csv): every row checked, all or nothing. A dry run unless --commit.
    Import(ImportArgs),
    /// Copy the database to a new file (safe while others use it), mode 0600, and check the copy.
    Backup {
        /// The new file (must not exist).
        file: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell); needs no database.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, for `man -l -` or a man directory); needs no database.
    Man,
}

#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Register a login.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        position: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Comma list of bsa, manager, admin, readonly, ig.
        #[arg(long)]
        roles: String,
    },
    List,
    /// Replace a login's roles.
    SetRoles {
        login: String,
        roles: String,
    },
    /// Change the name shown for a login (the login itself never changes: register a new one instead).
    Rename {
        login: String,
        name: String,
    },
    /// Retire a login: it can no longer sign in or be chosen; what it recorded keeps its name.
    #[command(visible_alias = "retire")]
    Deactivate {
        login: String,
    },
    /// Put a deactivated login back in use.
    #[command(visible_alias = "reinstate")]
    Activate {
        login: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AreaCmd {
    Add {
        name: String,
        /// Login of the service manager who owns the area's records.
        #[arg(long)]
        owner: String,
    },
    List,
    SetOwner {
        name: String,
        owner: String,
    },
    /// Rename a service area; its requests show the new name.
    Rename {
        name: String,
        new_name: String,
    },
    /// Offer it for no new request; its requests and asset owner stay.
    Retire {
        name: String,
    },
    /// Put a retired service area back in use.
    Reinstate {
        name: String,
    },
}

/// `caseshare import`'s arguments (see docs/cli.md and docs/migration.md).
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// The requests sheet's name, if not "Requests".
    #[arg(long)]
    pub sheet: Option<String>,
    /// A TOML file mapping the workbook's column names (see docs/migration.md).
    #[arg(long = "map", value_name = "MAPPING.toml")]
    pub map: Option<PathBuf>,
    /// Write the import (without it, every row is checked and nothing is written).
    #[arg(long)]
    pub commit: bool,
    /// The default, accepted for scripts: check and report, writing nothing.
    #[arg(long, conflicts_with = "commit")]
    pub dry_run: bool,
    /// Create the organisations, service areas and people the workbook names that
    /// are not registered (administrators only).
    #[arg(long)]
    pub create_missing: bool,
    /// Write what the import would create (or alias) to FILE, for review.
    #[arg(long, value_name = "FILE")]
    pub write_proposals: Option<PathBuf>,
    /// Read a reviewed proposals file: each name created, or an alias of a registered organisation.
    #[arg(long, value_name = "FILE")]
    pub proposals: Option<PathBuf>,
    /// Import even though some tracker rows match no request (or several); they are listed, left out.
    #[arg(long)]
    pub leave_unmatched: bool,
    /// List every problem of every row, not the grouped summary.
    #[arg(long)]
    pub all_problems: bool,
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    Add {
        name: String,
        /// local_authority, cafcass, police, health, solicitor, individual, other.
        #[arg(long)]
        kind: String,
    },
    /// With aliases.
    List,
    /// Another name the organisation is known by ("Exampleshire CC"): found
    /// wherever an organisation is typed, and by import.
    Alias {
        /// The organisation (its name or an alias).
        org: String,
        alias: String,
    },
    /// Remove an alias.
    Unalias { alias: String },
    /// Rename an organisation (and change its kind with --kind); its requests show the new name.
    Rename {
        name: String,
        new_name: String,
        /// local_authority, cafcass, police, health, solicitor, individual, other.
        #[arg(long)]
        kind: Option<String>,
    },
    /// Change an organisation's kind (which decides the route of its new requests).
    SetKind { name: String, kind: String },
    /// Offer it for no new request; its requests keep it.
    Retire { name: String },
    /// Put a retired organisation back in use.
    Reinstate { name: String },
}

#[derive(Debug, Subcommand)]
pub enum RoomCmd {
    Add {
        name: String,
        #[arg(long, default_value = "")]
        location: String,
        /// Space for the LCC observer.
        #[arg(long)]
        observer_space: bool,
        /// Records can be locked away.
        #[arg(long)]
        secure_storage: bool,
        /// Has Teams equipment.
        #[arg(long)]
        teams: bool,
    },
    List,
    /// Rename a room; its bookings show the new name.
    Rename {
        name: String,
        new_name: String,
    },
    /// Book it no more; its bookings stay.
    Retire {
        name: String,
    },
    /// Put a retired room back in use.
    Reinstate {
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    List,
    Set { key: String, value: String },
}

#[derive(Debug, Subcommand)]
pub enum RetentionCmd {
    /// The closed requests past their retention date, oldest first, with the rule that made each due; held requests apart.
    /// For the team's cron: exits 0 and prints nothing with --quiet-if-none when nothing is due.
    Due {
        /// Print nothing when nothing is due or held (for a nightly cron line that mails only when there is work).
        #[arg(long)]
        quiet_if_none: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum HolidayCmd {
    /// The council's listed days; with --year, that year's holidays as working days count them
    List {
        /// Every bank holiday of this year: by rule, listed, or removed.
        #[arg(long)]
        year: Option<i32>,
    },
    Add {
        date: String,
        name: String,
    },
    /// Take a listed day off the list, or mark a day the rule gives as a working day
    Remove {
        date: String,
    },
    /// List the England and Wales days of the government's bank-holidays.json
    Import {
        file: std::path::PathBuf,
    },
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum RequestCmd {
    /// Step 1: record a request received.
    New(NewRequestArgs),
    /// Requests, overdue first then oldest (open ones unless --all).
    List {
        /// Only this status (repeatable): new, awaiting_form, awaiting_approval, preparing, scheduled, viewed, complete, refused, withdrawn, redirected.
        #[arg(long)]
        status: Vec<String>,
        #[arg(long)]
        overdue: bool,
        /// Only requests you own.
        #[arg(long)]
        mine: bool,
        #[arg(long)]
        org: Option<String>,
        /// Subject name (contains) or whole Mosaic ID (any letter case).
        #[arg(long)]
        subject: Option<String>,
        /// Anything: reference, organisation, requester, child or Mosaic ID contains
        /// this (3 or more characters; as the TUI's filter).
        #[arg(long)]
        text: Option<String>,
        /// Include closed requests.
        #[arg(long)]
        all: bool,
        /// At most this many, triage order (0 lists every one). Default: 500, or
        /// every one with --json (a script never gets a silently shortened list).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One request: header, checklist, items, decisions, bookings, viewings, incidents.
    Show { reference: String },
}
