//! The intents (`Action`) that `update` takes and the work (`Effect`) it gives the loop.

use ratatui::crossterm::event::KeyEvent;

use super::View;
use super::form::{Form, FormKind};
use crate::domain::LetterKind;

/// Every intent the keymap (or the loop) can produce.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The loop saved a form: the message to show.
    Saved(String),
    /// The loop was refused: the one-line reason.
    Refused(String),
    /// The checked save would succeed: ask y/n.
    Checked,
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
    /// Load the tracker rows for the current search (a kept search is recorded as a
    /// who-viewed lookup).
    LoadTracker,
    /// Reload the tracker after someone else's change: the same rows, never recorded
    /// (nobody looked anything up), the selection kept on its request.
    RefreshTracker,
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
    /// Record a kept search of the request list (it can find a child's file).
    RecordSearch(String),
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Write text to a file.
    WriteFile { name: String, text: String },
}

/// What a form's save hands to the service: which step, on which request as it was
/// seen (its version), with what was typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Save {
    pub kind: FormKind,
    pub reference: Option<String>,
    pub version: Option<i64>,
    pub values: Vec<(&'static str, String)>,
}

impl Save {
    pub(super) fn of(form: &Form) -> Save {
        Save {
            kind: form.kind,
            reference: form.reference.clone(),
            version: form.version,
            values: form.values().into_iter().collect(),
        }
    }
}
