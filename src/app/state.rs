//! What the screen shows: the app's state, read by `ui` and changed only by `update`.

use chrono::NaiveDate;

use super::form::Form;
use super::forms::Lookups;
use crate::domain::{LetterKind, RequestFile, Settings, Staff, StepLine, checklist};
use crate::store::events::Event;
use crate::store::lists::{RequestSummary, ShareRow, TrackerRow};
use crate::store::verify::VerifyReport;

/// The request-list views, one key each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    MyOpen,
    Overdue,
    AwaitingApproval,
    ScheduledThisWeek,
    AllOpen,
    Closed,
}

impl View {
    pub const ALL: [View; 6] =
        [View::MyOpen, View::Overdue, View::AwaitingApproval, View::ScheduledThisWeek, View::AllOpen, View::Closed];
    pub fn label(self) -> &'static str {
        match self {
            View::MyOpen => "My open",
            View::Overdue => "Overdue",
            View::AwaitingApproval => "Awaiting approval",
            View::ScheduledThisWeek => "Scheduled this week",
            View::AllOpen => "All open",
            View::Closed => "Closed",
        }
    }
}

/// The main screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Requests,
    Tracker,
    Log,
    /// Letters and the case note for the selected request.
    Letter,
    /// How the service is doing.
    Report,
    /// The subject report of one child.
    Subject,
    /// The requests past their retention date, and those under a legal hold.
    Retention,
    /// Staff, service areas, organisations, rooms, settings and holidays.
    Admin,
}

/// Where keys go on the requests screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Checklist,
}

/// The list window: rows `[top, top + rows.len())` of `total`.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub rows: Vec<RequestSummary>,
    pub top: usize,
    pub total: usize,
    pub selected: usize,
    /// The request the selection lands on when the next page arrives (after the
    /// selection was moved to where that request now stands).
    pub follow: Option<String>,
}

/// The selected request, whole, with its checklist.
#[derive(Debug, Clone)]
pub struct Detail {
    pub file: RequestFile,
    pub lines: Vec<StepLine>,
    pub cursor: usize,
    /// Whether its due date rests on the bank-holiday rule alone (`domain::due_note`).
    pub due_note: Option<String>,
    /// The first line of the pane shown (see `App::detail_top`).
    pub scroll: usize,
}

#[derive(Debug, Clone, Default)]
pub struct TrackerState {
    pub search: String,
    pub typing: bool,
    pub rows: Vec<TrackerRow>,
    /// Copies shared directly (no viewing), listed after the viewings.
    pub shares: Vec<ShareRow>,
    /// Over the viewings, then the shares.
    pub selected: usize,
}

impl TrackerState {
    /// Lines in the tracker: viewings and direct shares.
    pub fn len(&self) -> usize {
        self.rows.len() + self.shares.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The request of the selected line.
    pub fn selected_reference(&self) -> Option<&str> {
        match self.rows.get(self.selected) {
            Some(v) => Some(&v.reference),
            None => self.shares.get(self.selected - self.rows.len()).map(|s| s.reference.as_str()),
        }
    }
}

/// A letter on screen: its text, or why it cannot be written yet.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterView {
    pub reference: String,
    pub kind: LetterKind,
    pub text: Result<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct LogState {
    pub reference: Option<String>,
    pub events: Vec<Event>,
    pub verify: Option<VerifyReport>,
    /// Events from the newest: the first one shown.
    pub scroll: usize,
    /// Words an event must hold to be shown (`/`), and whether it is being typed.
    pub search: String,
    pub typing: bool,
}

impl LogState {
    /// The events shown, newest first: those holding every word of the search.
    pub fn shown(&self) -> Vec<&Event> {
        let words: Vec<String> = self.search.split_whitespace().map(str::to_lowercase).collect();
        self.events.iter().rev().filter(|e| words.iter().all(|w| holds(e, w))).collect()
    }
}

/// Whether an event's login, operation, reference, time or what changed holds `word`
/// (lower case).
fn holds(e: &Event, word: &str) -> bool {
    [e.login.as_str(), &e.op, e.reference.as_deref().unwrap_or(""), &e.at, &e.before, &e.after]
        .iter()
        .any(|f| f.to_lowercase().contains(word))
}

/// A status-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// Everything the screen shows.
#[derive(Debug, Clone)]
pub struct App {
    pub screen: Screen,
    pub view: View,
    pub focus: Focus,
    pub filter: String,
    pub filtering: bool,
    pub list: ListState,
    pub detail: Option<Detail>,
    pub tracker: TrackerState,
    pub log: LogState,
    pub letter: Option<LetterView>,
    pub report: Option<crate::domain::report::Report>,
    pub subject: super::subject::SubjectState,
    pub form: Option<Form>,
    pub help: bool,
    pub notice: Option<Notice>,
    pub me: Staff,
    pub today: NaiveDate,
    pub settings: Settings,
    pub lookups: Lookups,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
    pub retention: super::RetentionState,
    pub admin: super::admin::AdminState,
    /// The first line of the help overlay shown.
    pub help_scroll: usize,
    /// The first line of the letter or case note shown.
    pub letter_scroll: usize,
    /// Slow work under way (verify), said in the status line: the loop draws it
    /// before it starts the work, so the screen never looks frozen.
    pub busy: Option<String>,
}

impl App {
    pub fn new(me: Staff, today: NaiveDate, settings: Settings, lookups: Lookups) -> App {
        App {
            screen: Screen::Requests,
            view: View::AllOpen,
            focus: Focus::List,
            filter: String::new(),
            filtering: false,
            list: ListState::default(),
            detail: None,
            tracker: TrackerState::default(),
            log: LogState::default(),
            letter: None,
            report: None,
            subject: Default::default(),
            form: None,
            help: false,
            notice: None,
            me,
            today,
            settings,
            lookups,
            width: 120,
            height: 40,
            quit: false,
            retention: super::RetentionState::default(),
            admin: super::admin::AdminState::default(),
            help_scroll: 0,
            letter_scroll: 0,
            busy: None,
        }
    }

    /// Rows of the request list visible at the current size.
    pub fn page(&self) -> usize {
        let rows = usize::from(self.height.saturating_sub(5)).max(1);
        if super::detail::two_line_rows(self.width) { (rows / 2).max(1) } else { rows }
    }

    /// The reference of the selected request, if any.
    pub fn selected_reference(&self) -> Option<&str> {
        let i = self.list.selected.checked_sub(self.list.top)?;
        self.list.rows.get(i).map(|r| r.reference.as_str())
    }

    /// Replaces the list window; keeps the selection on the same reference if it is still there.
    pub(super) fn set_list(&mut self, top: usize, rows: Vec<RequestSummary>, total: usize) {
        let before = self.list.follow.take().or_else(|| self.selected_reference().map(str::to_string));
        self.list.top = top;
        self.list.rows = rows;
        self.list.total = total;
        if let Some(i) = before.and_then(|r| self.list.rows.iter().position(|row| row.reference == r)) {
            // Another user's change moved rows about: stay on the same request.
            self.list.selected = top + i;
        } else if self.list.selected >= total {
            self.list.selected = total.saturating_sub(1);
        }
    }

    /// Replaces the detail pane; keeps the checklist cursor on the same request only.
    pub(super) fn set_detail(&mut self, file: Option<RequestFile>) {
        let same = |d: &Detail| file.as_ref().is_some_and(|f| f.request.reference == d.file.request.reference);
        let (cursor, scroll) = self.detail.as_ref().filter(|d| same(d)).map(|d| (d.cursor, d.scroll)).unwrap_or((0, 0));
        if self.detail.as_ref().is_some_and(|d| !same(d)) && self.focus == Focus::Checklist {
            self.focus = Focus::List;
        }
        self.detail = file.map(|file| {
            let lines = checklist(&file, &self.settings, self.today);
            let cursor = cursor.min(lines.len().saturating_sub(1));
            let due_note = crate::domain::due_note(&file, &self.settings);
            Detail { file, lines, cursor, due_note, scroll }
        });
    }
}
