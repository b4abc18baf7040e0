//! The intents (`Action`) that `update` takes and the work (`Effect`) it gives the loop.
//!
//! An action comes from a key (through the keymap) or from the loop: every effect the
//! loop runs through the service comes back as an action (`ListLoaded`, `Saved`,
//! `Refused`, …), so the state changes only in `update`.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::form::{Form, FormKind, Values};
use super::forms::Lookups;
use super::{LetterView, View};
use crate::domain::report::Report;
use crate::domain::{Confirm, LetterKind, RequestFile, Settings};
pub use crate::service::lookup::{Settle, Settled};
use crate::service::retention::RetentionDue;
use crate::store::events::Event;
use crate::store::lists::{RequestSummary, ShareRow, TrackerRow};
use crate::store::verify::VerifyReport;

/// Every intent the keymap (or the loop) can produce.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the application (home screen only).
    Quit,
    /// Move the selection up one.
    Up,
    /// Move the selection down one.
    Down,
    /// Move a page up.
    PageUp,
    /// Move a page down.
    PageDown,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Open what is selected (a request's checklist, a step's form, a tracker row's request).
    Open,
    /// Back out of anything: close a form, clear a filter, return home.
    Back,
    /// Ctrl-C: as `Back` in a form, a filter or a screen (a form with typing in it
    /// asks first); on the request list, quit.
    Interrupt,
    /// Ctrl-Z: suspend to the shell. The loop does it (the terminal is its to give
    /// back and take again); `update` leaves the state as it is.
    Suspend,
    /// Clear the focused text field, or the filter being typed.
    ClearField,
    /// Scroll the request's details down a line (the pane beside the list).
    ScrollDown,
    /// Scroll the request's details up a line.
    ScrollUp,
    /// Next field (forms) or switch between list and checklist.
    NextField,
    /// Previous field.
    PrevField,
    /// Switch the request list to a view.
    SwitchView(View),
    /// Start typing a filter.
    StartFilter,
    /// Keep the filter and stop typing.
    EndFilter,
    /// Show or hide the help overlay.
    Help,
    /// The tracker of viewings.
    Tracker,
    /// The selected request's event log.
    RequestLog,
    /// The whole database's event log, with verify status.
    WholeLog,
    /// Letters for the selected request, starting with the drafted case note.
    Letters,
    /// The next kind of letter.
    NextLetter,
    /// The service report (last twelve months).
    Report,
    /// Open the new-request form.
    NewRequest,
    /// Open the direct-share form.
    DirectShare,
    /// Open a form about the selected request (refuse, withdraw, add item…).
    OpenForm(FormKind),
    /// Save the open form.
    Save,
    /// After a conflicting save: put what the other person saved in this field.
    TakeTheirs,
    /// After a conflicting save: keep what you typed in this field.
    KeepMine,
    /// Answer yes to a confirmation.
    Yes,
    /// Answer no to a confirmation.
    No,
    /// Copy the case note to the clipboard (OSC 52).
    Copy,
    /// Save the case note to a file.
    Export,
    /// A key for the focused text field or filter.
    Input(KeyEvent),
    /// The terminal has this many columns and rows.
    Resize(u16, u16),
    /// The form was saved: the message for the status line, and the request it made
    /// (a new request or direct share), to select next.
    Saved { message: String, made: Option<String> },
    /// The form's save (or its check) was refused: the one-line reason, shown under
    /// the form with everything typed kept.
    Refused(String),
    /// Refused, but the person may overrule it by answering the question yes (the
    /// same save goes again with the question's field confirmed).
    Ask { message: String, confirm: Confirm },
    /// The save was refused because the request changed since the form was opened:
    /// the reason, and the request as it now is, to rebuild the form from (what was
    /// typed is kept; options new since then start unticked).
    Stale { message: String, now: Box<RequestFile> },
    /// The checked save would succeed: ask y/n.
    Checked,
    /// The list window `[top, top + rows.len())` of `total` (or why it could not be read).
    ListLoaded(Result<ListPage, String>),
    /// One request, whole (or why it could not be read).
    DetailLoaded(Result<Box<RequestFile>, String>),
    /// Where a request stands in the current view (`None`: the view does not list it).
    Positioned { reference: String, at: Option<usize> },
    /// The tracker's lines; `follow` keeps the selection on the same request (a reload
    /// after someone else's change) rather than on the same row.
    TrackerLoaded { found: Result<TrackerPage, String>, follow: bool },
    /// A request's log (`reference`), or the whole log with its verify status.
    LogLoaded { reference: Option<String>, found: Result<Box<LogPage>, String> },
    /// A letter or the case note, or why it cannot be written yet.
    LetterLoaded(LetterView),
    /// The service report.
    ReportLoaded(Result<Box<Report>, String>),
    /// The subject report's lines (or the refusal, shown under its form).
    SubjectLoaded(Result<Vec<String>, String>),
    /// A letter was written to this file (or why not).
    Written(Result<String, String>),
    /// Someone else changed the database, or the day turned: the date, settings and
    /// pickers as they now are (`lookups` is `None` if they could not be read).
    Reloaded { today: NaiveDate, settings: Box<Settings>, lookups: Option<Box<Lookups>> },
    /// Work the loop did failed: the one-line reason for the status line.
    Failed(String),
    /// The retention screen: requests past their date, and those under a hold.
    Retention,
    /// The retention list (or why it could not be read).
    RetentionLoaded(Result<Box<RetentionDue>, String>),
    /// The administration screen.
    Admin,
    /// Its staff, areas, organisations, rooms, settings and holidays (or why not).
    AdminLoaded(Result<Box<super::admin::AdminPage>, String>),
    /// A disposal's dry run would succeed: what would go, in the command line's
    /// words, for the y/n question.
    DisposalChecked(String),
}

/// A window of the request list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub top: usize,
    pub rows: Vec<RequestSummary>,
    pub total: usize,
}

/// The tracker's lines: viewings, then copies shared directly.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackerPage {
    pub rows: Vec<TrackerRow>,
    pub shares: Vec<ShareRow>,
}

/// Events of a log, and (for the whole log) what verify found.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPage {
    pub events: Vec<Event>,
    pub verify: Option<VerifyReport>,
}

/// Work for the loop to do through the service.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Reload the list window (and the selected request).
    LoadList,
    /// Move the selection to where the selected request now stands (after a change).
    FollowSelection,
    /// Move the selection to this request, if the view lists it (a request just made).
    Select(String),
    /// Load one request whole.
    LoadDetail(String),
    /// Load the tracker rows for the current search, saying whether the query is
    /// settled: the service records a settled lookup of who viewed what.
    LoadTracker(Settle),
    /// Reload the tracker after someone else's change: the same rows, never recorded
    /// again (nobody looked anything up), the selection kept on its request.
    RefreshTracker,
    /// The query on screen (tracker search or list search) is settled this way: the
    /// service records it if it was still being typed.
    SettleLookups(Settled),
    /// Load a request's log (or the whole log with verify).
    LoadLog(Option<String>),
    /// Render a letter (or the case note) for a request.
    LoadLetter(String, LetterKind),
    /// Save a form.
    Submit(Save),
    /// Try a form's save without keeping it (every rule checked, nothing written),
    /// before asking y/n for an irreversible step.
    Check(Save),
    /// Compute the service report.
    LoadReport,
    /// Make the subject report for one child (recorded by the service).
    LoadSubject(crate::domain::subject::SubjectQuery),
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Write text to a file.
    WriteFile { name: String, text: String },
    /// Load the retention list.
    LoadRetention,
    /// Load what the administration screen shows.
    LoadAdmin,
}

/// What a form's save hands to the service: on which request as it was seen (its
/// version), with what was typed, chosen and ticked (its kind says which step).
#[derive(Debug, Clone, PartialEq)]
pub struct Save {
    pub reference: Option<String>,
    pub version: Option<i64>,
    pub values: Values,
    /// The questions the person answered yes to (see `domain::Confirm`), by field.
    pub confirmed: Vec<&'static str>,
}

impl Save {
    pub(super) fn of(form: &Form) -> Save {
        Save {
            reference: form.reference.clone(),
            version: form.version,
            values: form.values(),
            confirmed: form.confirmed(),
        }
    }

    /// Which operation it saves through.
    pub fn kind(&self) -> FormKind {
        self.values.kind()
    }
}
