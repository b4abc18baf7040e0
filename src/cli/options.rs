//! The option groups of the grammar in `cli/mod.rs`: the flags a step or a lookup
//! takes, as clap parses them (shared by several commands through `flatten`).

use std::path::PathBuf;

use clap::Args;

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
    /// Add the "Decision record" sheet (requests-decision-record.csv): every request's
    /// lawful basis, decision record and decisions, for an audit (admin or ig).
    #[arg(long)]
    pub audit: bool,
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

/// `subject-report`: exactly one of --mosaic-id and --name.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("child").required(true).args(["mosaic_id", "name"])))]
pub struct SubjectReportArgs {
    /// The child's Mosaic person ID (matched trimmed, in any case).
    #[arg(long, value_name = "ID")]
    pub mosaic_id: Option<String>,
    /// The child's full name (matched in any case, spaces collapsed).
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Write the text report to this file (mode 0600) instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
