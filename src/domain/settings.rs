//! Settings the council can change: step targets, bank holidays, the CPRU mailbox,
//! the display time zone. Stored in the database (`caseshare settings`).

use chrono_tz::Tz;

use super::dates::Holidays;

/// Target working days for the steps that have one (SPEC section 3 defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// Form returned, counted from the date the form was sent.
    pub form_returned: u32,
    /// Approval, counted from the date the form came back.
    pub approval: u32,
    /// First viewing, counted from the approval.
    pub viewing: u32,
    /// Files restored, counted from the date the restore was requested (physical files).
    pub restore: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Targets { form_returned: 10, approval: 5, viewing: 20, restore: 5 }
    }
}

/// Everything configurable that the rules depend on.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub targets: Targets,
    pub holidays: Holidays,
    /// Where CAFCASS requests go instead.
    pub cpru_mailbox: String,
    /// Zone for showing event times (stored in UTC).
    pub timezone: Tz,
    /// The council's name, for letters.
    pub council: String,
    /// Where administrators keep letter templates (a shared install sets one for all users).
    pub templates_dir: Option<String>,
    /// Where `caseshare anchor` appends the log's head (default: each user's config folder).
    pub anchor_file: Option<String>,
    /// Whether the council records a Mosaic case note for a request closed with
    /// nothing shared (refused or withdrawn): then step 10 can be recorded for one.
    pub case_note_not_shared: bool,
    /// The council's appropriate policy document (DPA 2018 Sch.1 Part 4), named in the
    /// decision record wherever a condition that needs one is relied on.
    pub policy_document: Option<String>,
    /// Years a closed request's personal data is kept, per outcome.
    pub retention: super::retention::RetentionYears,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            targets: Targets::default(),
            holidays: Holidays::default(),
            cpru_mailbox: "CPRUAdmin@lincolnshire.gov.uk".to_string(),
            timezone: chrono_tz::Europe::London,
            council: "Lincolnshire County Council".to_string(),
            templates_dir: None,
            anchor_file: None,
            case_note_not_shared: false,
            policy_document: None,
            retention: Default::default(),
        }
    }
}

/// The setting keys `caseshare settings set` accepts, with what each means.
pub const KEYS: &[(&str, &str)] = &[
    ("target.form_returned", "working days from form sent to form returned (default 10)"),
    ("target.approval", "working days from form returned to approval (default 5)"),
    ("target.viewing", "working days from approval to first viewing (default 20)"),
    ("target.restore", "working days from restore requested to files restored (default 5)"),
    ("cpru_mailbox", "where CAFCASS requests are redirected"),
    ("timezone", "zone for showing times, e.g. Europe/London"),
    ("council_name", "the council's name, used in letters"),
    ("templates_dir", "folder of letter templates for everyone (default: each user's config folder)"),
    (
        "appropriate_policy_document",
        "the council's appropriate policy document (DPA 2018 Sch.1 Part 4): its title, version and where it is published",
    ),
    (
        "casenote.not_shared",
        "yes: a refused or withdrawn request that shared nothing also gets a Mosaic case note (default no)",
    ),
    (
        "retention.shared",
        "years a request that shared anything is kept after it closed (placeholder 6: set from the council's schedule)",
    ),
    (
        "retention.not_shared",
        "years a refused or withdrawn request is kept after it closed (placeholder 2: set from the council's schedule)",
    ),
    (
        "retention.redirected",
        "years a redirected request is kept after it was redirected (placeholder 1: set from the council's schedule)",
    ),
    (
        "anchor_file",
        "file caseshare anchor appends the log's head to, outside the database's folder (default: each user's config folder)",
    ),
];
