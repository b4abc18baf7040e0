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
mod print;
mod record;
mod requests;
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

pub use run::{ExitStatus, run};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Records and checks other local authorities' requests to view children's social care files.
#[derive(Debug, Parser)]
#[command(name = "caseshare", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Database file (default: $CASESHARE_DB, else the platform data directory).
    /// With --demo and no --db, the demo database: never the real one.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Use the demonstration database (fictional data), building it if absent.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Print JSON instead of text (read commands).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Optimistic concurrency: refuse the change if the request moved on since `N`.
#[derive(Debug, Args, Clone, Copy)]
pub struct Version {
    /// Only save if the request is still at this version (see `request show`).
    #[arg(long = "if-version", value_name = "N")]
    pub if_version: Option<i64>,
}

/// A date option defaulting to today.
#[derive(Debug, Args, Clone)]
pub struct DateArg {
    /// DD/MM/YYYY, YYYY-MM-DD or today (default today).
    #[arg(long, default_value = "")]
    pub date: String,
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
    /// Who viewed a child's file, or what an organisation or viewer saw (recorded).
    WhoViewed(WhoViewedArgs),
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
    /// Import today's spreadsheet (.xlsx, .csv, or a directory of requests.csv and
    /// tracker.csv): every row checked, all or nothing. Try --dry-run first.
    Import {
        file: PathBuf,
        /// The requests sheet's name, if not "Requests".
        #[arg(long)]
        sheet: Option<String>,
        /// A TOML file mapping other column names (see docs/cli.md).
        #[arg(long = "map", value_name = "MAPPING.toml")]
        map: Option<PathBuf>,
        /// Check every row and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Copy the database to a new file (safe while others use it), mode 0600, and check the copy.
    Backup {
        /// The new file (must not exist).
        file: PathBuf,
    },
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
        /// Comma list of bsa, manager, admin, readonly.
        #[arg(long)]
        roles: String,
    },
    List,
    /// Replace a login's roles.
    SetRoles {
        login: String,
        roles: String,
    },
    Deactivate {
        login: String,
    },
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
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    Add {
        name: String,
        /// local_authority, cafcass, police, health, solicitor, individual, other.
        #[arg(long)]
        kind: String,
    },
    List,
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
}

#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    List,
    Set { key: String, value: String },
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

/// Step 1 fields.
#[derive(Debug, Args, Clone)]
pub struct NewRequestArgs {
    /// Date received (default today).
    #[arg(long, default_value = "")]
    pub received: String,
    /// email, phone, letter, form, in_person.
    #[arg(long, default_value = "email")]
    pub channel: String,
    /// Requesting organisation (as registered with `org add`).
    #[arg(long)]
    pub org: String,
    /// Requester's name.
    #[arg(long, default_value = "")]
    pub requester: String,
    #[arg(long = "requester-role", default_value = "")]
    pub requester_role: String,
    #[arg(long = "requester-email", default_value = "")]
    pub requester_email: String,
    #[arg(long = "requester-phone", default_value = "")]
    pub requester_phone: String,
    /// "NAME|MOSAIC ID|DATE OF BIRTH" (date optional); repeat for each subject.
    #[arg(long = "subject")]
    pub subjects: Vec<String>,
    #[arg(long, default_value = "")]
    pub purpose: String,
    /// Service area whose records are asked for.
    #[arg(long, default_value = "")]
    pub area: String,
    /// paper, digital or both.
    #[arg(long, default_value = "")]
    pub format: String,
    /// Owning BSA's login (default you).
    #[arg(long, default_value = "")]
    pub owner: String,
}

/// Lawful basis and decision-record fields. Nothing has a default: each is chosen.
#[derive(Debug, Args, Clone)]
pub struct BasisArgs {
    /// UK GDPR Art. 6 basis: 6_1_c, 6_1_d, 6_1_e.
    #[arg(long, default_value = "")]
    pub art6: String,
    /// Art. 9(2) gateway: none, 9_2_a, 9_2_b, 9_2_c, 9_2_f, 9_2_g, 9_2_h.
    #[arg(long, default_value = "")]
    pub art9: String,
    /// DPA 2018 Sch.1 condition the gateway needs: p1_1 (9_2_b), p1_2 (9_2_h), p2_6, p2_10, p2_18 (9_2_g).
    #[arg(long, default_value = "")]
    pub sch1: String,
    /// With Sch.1 para 18: cannot_be_given, cannot_reasonably, would_prejudice.
    #[arg(long = "consent-not-obtained", default_value = "")]
    pub consent_not_obtained: String,
    /// Criminal offence data: no, or its Sch.1 condition (p1_2, p2_6, p2_10, p2_18, p3_29, p3_30, p3_33).
    #[arg(long, default_value = "")]
    pub criminal: String,
    /// Statutory power: ca1989_s17, ca1989_s27, ca1989_s47, ca1989_s47_9, ca2004_s10, court_order, lga1972_s111, other.
    #[arg(long, default_value = "")]
    pub power: String,
    /// Court, date and reference of an order; the enactment for other; the function for s.111.
    #[arg(long = "power-detail", default_value = "")]
    pub power_detail: String,
    /// Guidance relied on (repeat): wt2023, dfe_is2024, ico_dsc, ico_10step.
    #[arg(long)]
    pub guidance: Vec<String>,
    /// Other guidance relied on, named.
    #[arg(long = "guidance-other", default_value = "")]
    pub guidance_other: String,
    #[arg(long = "basis-notes", default_value = "")]
    pub basis_notes: String,
    /// Keep a lawful basis that is questioned (the question is recorded with it).
    #[arg(long = "confirm-basis")]
    pub confirm_basis: bool,
    /// Why sharing is necessary (or "n/a: reason").
    #[arg(long, default_value = "")]
    pub necessity: String,
    /// yes / no.
    #[arg(long = "consent-sought", default_value = "")]
    pub consent_sought: String,
    /// If consent was not sought, why not.
    #[arg(long = "consent-note", default_value = "")]
    pub consent_note: String,
    /// Is there a data sharing agreement? yes / no / n/a.
    #[arg(long = "dsa", default_value = "")]
    pub dsa: String,
    /// The agreement's reference, or why one is not applicable.
    #[arg(long = "dsa-note", default_value = "")]
    pub dsa_note: String,
    /// Security arrangements (or "n/a: reason").
    #[arg(long, default_value = "")]
    pub security: String,
    /// How long the recipient keeps what they learn (or "n/a: reason").
    #[arg(long, default_value = "")]
    pub retention: String,
    /// The recipient is a separate or joint controller.
    #[arg(long, default_value = "")]
    pub controller: String,
    /// Was a DPIA considered? yes / no.
    #[arg(long, default_value = "")]
    pub dpia: String,
    /// The DPIA's outcome (needed when one was considered).
    #[arg(long = "dpia-outcome", default_value = "")]
    pub dpia_outcome: String,
}

#[derive(Debug, Args)]
pub struct ScopeArgs {
    pub reference: String,
    /// Date the form came back (default today).
    #[arg(long, default_value = "")]
    pub returned: String,
    /// "DESCRIPTION" or "DESCRIPTION|AGENCY" for another agency's material; repeat.
    #[arg(long = "item")]
    pub items: Vec<String>,
    /// Replaces the purpose given at receipt.
    #[arg(long, default_value = "")]
    pub purpose: String,
    #[command(flatten)]
    pub basis: BasisArgs,
    #[command(flatten)]
    pub version: Version,
}

#[derive(Debug, Args)]
pub struct DirectShareArgs {
    #[command(flatten)]
    pub request: NewRequestArgs,
    /// What was shared: "DESCRIPTION" (repeat).
    #[arg(long = "item")]
    pub items: Vec<String>,
    #[command(flatten)]
    pub basis: BasisArgs,
    /// Date shared (default today).
    #[arg(long = "shared-on", default_value = "")]
    pub shared_on: String,
    /// How it was shared (e.g. secure email).
    #[arg(long, default_value = "")]
    pub method: String,
    /// Who decided to share it: the service area's asset owner (login).
    #[arg(long = "decided-by", default_value = "")]
    pub decided_by: String,
    /// Date of the decision (default the date shared).
    #[arg(long = "decision-date", default_value = "")]
    pub decided: String,
    /// Why sharing it is right: the asset owner's reason.
    #[arg(long, default_value = "")]
    pub reason: String,
    /// When recording on the asset owner's behalf: date of their email.
    #[arg(long = "evidence-date", default_value = "")]
    pub evidence_date: String,
    /// When recording on the asset owner's behalf: reference of their email.
    #[arg(long = "evidence-ref", default_value = "")]
    pub evidence_ref: String,
}

#[derive(Debug, Args)]
pub struct ApprovalArgs {
    pub reference: String,
    /// The asset owner's login.
    #[arg(long)]
    pub approver: String,
    /// Items approved: 1,3 or all; the rest are declined.
    #[arg(long)]
    pub items: String,
    #[arg(long)]
    pub reason: String,
    /// When recording on the asset owner's behalf: date of their email.
    #[arg(long = "evidence-date", default_value = "")]
    pub evidence_date: String,
    /// When recording on the asset owner's behalf: reference of their email.
    #[arg(long = "evidence-ref", default_value = "")]
    pub evidence_ref: String,
    /// A reason for a declined item: "N|reason" (repeat).
    #[arg(long = "decline-reason")]
    pub decline_reasons: Vec<String>,
    #[command(flatten)]
    pub date: DateArg,
    #[command(flatten)]
    pub version: Version,
}

#[derive(Debug, Args)]
pub struct RefuseArgs {
    pub reference: String,
    #[arg(long)]
    pub approver: String,
    #[arg(long)]
    pub reason: String,
    #[arg(long = "evidence-date", default_value = "")]
    pub evidence_date: String,
    #[arg(long = "evidence-ref", default_value = "")]
    pub evidence_ref: String,
    /// A reason for a declined item: "N|reason" (repeat).
    #[arg(long = "decline-reason")]
    pub decline_reasons: Vec<String>,
    #[command(flatten)]
    pub date: DateArg,
    #[command(flatten)]
    pub version: Version,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    pub reference: String,
    /// room, teams_room or teams_meeting.
    #[arg(long)]
    pub venue: String,
    #[arg(long, default_value = "")]
    pub room: String,
    /// Day of the viewing.
    #[arg(long)]
    pub day: String,
    #[arg(long)]
    pub start: String,
    #[arg(long)]
    pub end: String,
    /// Why a Teams meeting (the last resort).
    #[arg(long, default_value = "")]
    pub reason: String,
    #[command(flatten)]
    pub version: Version,
}

#[derive(Debug, Args)]
pub struct ViewingArgs {
    pub reference: String,
    /// Day of the viewing (default today).
    #[arg(long, default_value = "")]
    pub date: String,
    #[arg(long)]
    pub start: String,
    #[arg(long)]
    pub end: String,
    /// Viewer name(s).
    #[arg(long)]
    pub viewers: String,
    /// Viewers' organisation, as registered with `org add`: the requesting authority
    /// (the default) or another local authority.
    #[arg(long = "viewer-org", default_value = "")]
    pub viewer_org: String,
    /// Login of the LCC staff member present.
    #[arg(long, default_value = "")]
    pub supervisor: String,
    /// in_person_paper, in_person_screen, teams_screen_share.
    #[arg(long)]
    pub method: String,
    /// Items shown: 1,2.
    #[arg(long)]
    pub items: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// "ITEM|REASON" for each copy given; repeat.
    #[arg(long = "copy")]
    pub copies: Vec<String>,
    /// Was the visitor supervised throughout: yes or no (no default; no opens an incident).
    #[arg(long, default_value = "")]
    pub supervised: String,
    /// The same as --supervised no (kept for older scripts).
    #[arg(long, hide = true, conflicts_with = "supervised")]
    pub not_supervised: bool,
    /// Login of the LCC staff member who confirms the answer (default: you).
    #[arg(long = "confirmed-by", default_value = "")]
    pub confirmed_by: String,
    /// Screen or Teams viewings: were only LCC devices and LCC logins used, yes or no
    /// (no opens an incident).
    #[arg(long = "lcc-devices", default_value = "")]
    pub lcc_devices: String,
    /// Screen or Teams viewings: "ITEM|REASON" for each item downloaded; repeat.
    #[arg(long = "download")]
    pub downloads: Vec<String>,
    /// Screen or Teams viewings: nothing was downloaded.
    #[arg(long = "no-downloads", conflicts_with = "downloads")]
    pub no_downloads: bool,
    /// What happened, when not supervised throughout or other devices were used.
    #[arg(long = "what-happened", default_value = "")]
    pub what_happened: String,
    /// Log it although a viewing with the same viewers and times is already logged.
    #[arg(long = "confirm-duplicate")]
    pub confirm_duplicate: bool,
    #[command(flatten)]
    pub version: Version,
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

#[derive(Debug, Args)]
pub struct WhoViewedArgs {
    /// A child's whole Mosaic ID, in any letter case.
    #[arg(long = "mosaic-id")]
    pub mosaic_id: Option<String>,
    /// Child's name (contains).
    #[arg(long)]
    pub subject: Option<String>,
    /// Viewer's or requesting organisation (contains).
    #[arg(long)]
    pub org: Option<String>,
    /// Viewer's name (contains).
    #[arg(long)]
    pub viewer: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write one workbook (Requests, Tracker and with --with-log Events sheets).
    #[arg(long, value_name = "FILE", required_unless_present = "csv")]
    pub xlsx: Option<PathBuf>,
    /// Write requests.csv, tracker.csv (and events.csv) into this directory.
    #[arg(long, value_name = "DIR", conflicts_with = "xlsx")]
    pub csv: Option<PathBuf>,
    /// Add the event log as a third sheet / file.
    #[arg(long)]
    pub with_log: bool,
    /// Only this status (repeatable).
    #[arg(long)]
    pub status: Vec<String>,
    #[arg(long)]
    pub overdue: bool,
    #[arg(long)]
    pub mine: bool,
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub subject: Option<String>,
    /// Received on or after.
    #[arg(long)]
    pub from: Option<String>,
    /// Received on or before.
    #[arg(long)]
    pub to: Option<String>,
}
