//! The TUI's state and its update logic, with no terminal and no database:
//! `update(action)` changes the state and returns the [`Effect`]s for the loop
//! (in `tui/`) to run through the service. Everything here is testable by feeding
//! actions and reading the state.

pub mod form;
pub mod forms;
pub mod keymap;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use crate::domain::{LetterKind, RequestFile, Settings, Staff, StepLine, checklist};
use crate::store::events::Event;
use crate::store::lists::{RequestSummary, ShareRow, TrackerRow};
use crate::store::verify::VerifyReport;
use form::{Form, FormKind};
use forms::Lookups;

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
}

/// Where keys go on the requests screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Checklist,
}

/// Characters a search needs before it filters.
pub const MIN_SEARCH: usize = 3;

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
    fn of(form: &Form) -> Save {
        Save {
            kind: form.kind,
            reference: form.reference.clone(),
            version: form.version,
            values: form.values().into_iter().collect(),
        }
    }
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
#[derive(Debug, Clone)]
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
    pub scroll: usize,
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
        }
    }

    /// Rows of the request list visible at the current size.
    pub fn page(&self) -> usize {
        usize::from(self.height.saturating_sub(5)).max(1)
    }

    /// The reference of the selected request, if any.
    pub fn selected_reference(&self) -> Option<&str> {
        let i = self.list.selected.checked_sub(self.list.top)?;
        self.list.rows.get(i).map(|r| r.reference.as_str())
    }

    /// Replaces the list window; keeps the selection on the same reference if it is still there.
    pub fn set_list(&mut self, top: usize, rows: Vec<RequestSummary>, total: usize) {
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
    pub fn set_detail(&mut self, file: Option<RequestFile>) {
        let same = |d: &Detail| file.as_ref().is_some_and(|f| f.request.reference == d.file.request.reference);
        let cursor = self.detail.as_ref().filter(|d| same(d)).map(|d| d.cursor).unwrap_or(0);
        if self.detail.as_ref().is_some_and(|d| !same(d)) && self.focus == Focus::Checklist {
            self.focus = Focus::List;
        }
        self.detail = file.map(|file| {
            let lines = checklist(&file, &self.settings, self.today);
            let cursor = cursor.min(lines.len().saturating_sub(1));
            Detail { file, lines, cursor }
        });
    }

    fn move_list(&mut self, to: usize) -> Vec<Effect> {
        if self.list.total == 0 {
            return vec![];
        }
        let to = to.min(self.list.total - 1);
        self.list.selected = to;
        let page = self.page();
        let mut effects = Vec::new();
        if to < self.list.top || to >= self.list.top + page {
            let top = if to < self.list.top { to } else { to + 1 - page };
            self.list.top = top;
            effects.push(Effect::LoadList);
        } else if let Some(r) = self.selected_reference() {
            effects.push(Effect::LoadDetail(r.to_string()));
        }
        effects
    }

    fn step(&mut self, delta: isize) -> Vec<Effect> {
        match (self.screen, self.focus) {
            (Screen::Requests, Focus::List) => {
                let to = self.list.selected.saturating_add_signed(delta);
                self.move_list(to)
            }
            (Screen::Requests, Focus::Checklist) => {
                if let Some(d) = &mut self.detail {
                    d.cursor = d.cursor.saturating_add_signed(delta).min(d.lines.len().saturating_sub(1));
                }
                vec![]
            }
            (Screen::Tracker, _) => {
                let n = self.tracker.len();
                self.tracker.selected = self.tracker.selected.saturating_add_signed(delta).min(n.saturating_sub(1));
                vec![]
            }
            (Screen::Log, _) => {
                self.log.scroll =
                    self.log.scroll.saturating_add_signed(delta).min(self.log.events.len().saturating_sub(1));
                vec![]
            }
            (Screen::Letter | Screen::Report, _) => vec![],
        }
    }

    /// Applies an action; returns the effects for the loop to run.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if let Action::Resize(w, h) = action {
            let reload = h != self.height;
            self.width = w;
            self.height = h;
            return if reload { vec![Effect::LoadList] } else { vec![] };
        }
        if let Action::Saved(msg) = &action {
            self.form = None;
            self.notice = Some(Notice::Info(msg.clone()));
            return vec![Effect::FollowSelection, Effect::LoadList];
        }
        if let Action::Refused(msg) = &action {
            match &mut self.form {
                Some(f) => {
                    f.error = Some(msg.clone());
                    f.confirming = false;
                }
                None => self.notice = Some(Notice::Error(msg.clone())),
            }
            return vec![];
        }
        if self.help {
            if matches!(action, Action::Help | Action::Back | Action::Quit) {
                self.help = false;
            }
            return vec![];
        }
        if self.form.is_some() {
            return self.update_form(action);
        }
        if self.filtering || self.tracker.typing {
            return self.update_typing(action);
        }
        self.notice = None;
        let page = self.page() as isize;
        match action {
            Action::Quit if self.screen == Screen::Requests => {
                self.quit = true;
                vec![]
            }
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-page),
            Action::PageDown => self.step(page),
            Action::Top => self.step(isize::MIN / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::Help => {
                self.help = true;
                vec![]
            }
            Action::Back => self.back(),
            Action::NextField | Action::PrevField if self.screen == Screen::Requests => {
                self.focus =
                    if self.focus == Focus::List && self.detail.is_some() { Focus::Checklist } else { Focus::List };
                vec![]
            }
            Action::Open => self.open(),
            Action::SwitchView(v) if self.screen == Screen::Requests => {
                self.view = v;
                self.focus = Focus::List;
                self.list.selected = 0;
                self.list.top = 0;
                vec![Effect::LoadList]
            }
            Action::StartFilter => {
                match self.screen {
                    Screen::Requests => {
                        self.filtering = true;
                        self.focus = Focus::List;
                    }
                    Screen::Tracker => self.tracker.typing = true,
                    _ => {}
                }
                vec![]
            }
            Action::Tracker => {
                self.screen = Screen::Tracker;
                vec![Effect::LoadTracker]
            }
            Action::RequestLog => match self.selected_reference().map(str::to_string) {
                Some(r) => {
                    self.screen = Screen::Log;
                    self.log.scroll = 0;
                    vec![Effect::LoadLog(Some(r))]
                }
                None => vec![],
            },
            Action::Report => {
                self.screen = Screen::Report;
                vec![Effect::LoadReport]
            }
            Action::WholeLog => {
                self.screen = Screen::Log;
                self.log.scroll = 0;
                vec![Effect::LoadLog(None)]
            }
            Action::Letters => match self.selected_reference().map(str::to_string) {
                Some(r) => {
                    self.screen = Screen::Letter;
                    vec![Effect::LoadLetter(r, LetterKind::CaseNote)]
                }
                None => vec![],
            },
            Action::NextLetter if self.screen == Screen::Letter => match &self.letter {
                Some(l) => {
                    let all = LetterKind::ALL;
                    let next = all[(all.iter().position(|k| *k == l.kind).unwrap_or(0) + 1) % all.len()];
                    vec![Effect::LoadLetter(l.reference.clone(), next)]
                }
                None => vec![],
            },
            Action::Copy if self.screen == Screen::Letter => match self.letter.as_ref().map(|l| (l.kind, &l.text)) {
                Some((kind, Ok(text))) => {
                    self.notice = Some(Notice::Info(format!("{} copied to the clipboard (OSC 52)", kind.label())));
                    vec![Effect::Clipboard(text.clone())]
                }
                _ => vec![],
            },
            Action::Export if self.screen == Screen::Letter => match &self.letter {
                Some(LetterView { reference, kind, text: Ok(text) }) => {
                    vec![Effect::WriteFile { name: format!("{reference}-{}.txt", kind.as_code()), text: text.clone() }]
                }
                _ => vec![],
            },
            Action::NewRequest | Action::DirectShare if self.screen == Screen::Requests => {
                let kind = if action == Action::NewRequest { FormKind::NewRequest } else { FormKind::DirectShare };
                self.form = Some(forms::new_request(kind, &self.lookups, self.today).opened());
                vec![]
            }
            Action::OpenForm(kind @ (FormKind::Import | FormKind::Export)) if self.screen == Screen::Requests => {
                self.form = Some(forms::transfer(kind).opened());
                vec![]
            }
            Action::OpenForm(kind) if self.screen == Screen::Requests => {
                if let Some(d) = &self.detail {
                    self.form = Some(forms::for_kind(kind, &d.file, &self.lookups, self.today).opened());
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn back(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Requests if self.focus == Focus::Checklist => {
                self.focus = Focus::List;
                vec![]
            }
            Screen::Requests if !self.filter.is_empty() => {
                self.filter.clear();
                self.list.selected = 0;
                self.list.top = 0;
                vec![Effect::LoadList]
            }
            Screen::Requests => vec![],
            Screen::Tracker if !self.tracker.search.is_empty() => {
                self.tracker.search.clear();
                vec![Effect::LoadTracker]
            }
            _ => {
                self.screen = Screen::Requests;
                vec![Effect::LoadList]
            }
        }
    }

    fn open(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Requests => match self.focus {
                Focus::List => {
                    if self.detail.is_some() {
                        self.focus = Focus::Checklist;
                    }
                    vec![]
                }
                Focus::Checklist => {
                    let Some(d) = &self.detail else { return vec![] };
                    let Some(line) = d.lines.get(d.cursor) else { return vec![] };
                    // Step 1 is done on arrival: Enter on it corrects who asked and why.
                    if line.step == crate::domain::Step::Received {
                        self.form =
                            Some(forms::for_kind(FormKind::Correct, &d.file, &self.lookups, self.today).opened());
                        return vec![];
                    }
                    // Say why now, rather than after the form is filled in: the same
                    // check the save makes first (a step can be overdue and still
                    // wait on an earlier one).
                    let ready = if line.step == crate::domain::Step::Complete {
                        crate::domain::rules::ready_to_complete(&d.file)
                    } else {
                        crate::domain::rules::prerequisite(&d.file, line.step)
                    };
                    if let Err(r) = ready {
                        let why = format!("{}; {}", r.message, r.fix);
                        self.notice = Some(Notice::Error(format!("Step {}: {why}", line.number)));
                        return vec![];
                    }
                    match forms::for_step(line.step, &d.file, &self.lookups, self.today) {
                        Some(f) => self.form = Some(f.opened()),
                        None => self.notice = Some(Notice::Info(format!("'{}' has no form", line.label))),
                    }
                    vec![]
                }
            },
            Screen::Tracker => {
                let Some(reference) = self.tracker.selected_reference() else { return vec![] };
                // Jump to the request: filter the full list to its reference.
                self.filter = reference.to_string();
                self.view = View::AllOpen;
                self.screen = Screen::Requests;
                self.list.selected = 0;
                self.list.top = 0;
                self.focus = Focus::List;
                vec![Effect::LoadList]
            }
            _ => vec![],
        }
    }

    fn update_typing(&mut self, action: Action) -> Vec<Effect> {
        let tracker = self.tracker.typing;
        let text = if tracker { &mut self.tracker.search } else { &mut self.filter };
        let changed = match action {
            Action::Back => {
                text.clear();
                self.filtering = false;
                self.tracker.typing = false;
                true
            }
            Action::Open | Action::EndFilter => {
                self.filtering = false;
                self.tracker.typing = false;
                // Keeping a search records it: a tracker search as a who-viewed lookup,
                // a list search as a lookup of requests.
                if !tracker && !text.trim().is_empty() {
                    return vec![Effect::RecordSearch(text.clone())];
                }
                tracker && !text.trim().is_empty()
            }
            Action::Input(key) => {
                use ratatui::crossterm::event::KeyCode;
                match key.code {
                    KeyCode::Char(c) if !c.is_control() => {
                        if text.chars().count() < 60 {
                            text.push(c);
                        }
                        true
                    }
                    KeyCode::Backspace => text.pop().is_some(),
                    _ => false,
                }
            }
            _ => false,
        };
        if !changed {
            return vec![];
        }
        if tracker {
            self.tracker.selected = 0;
            vec![Effect::LoadTracker]
        } else {
            self.list.selected = 0;
            self.list.top = 0;
            vec![Effect::LoadList]
        }
    }

    fn update_form(&mut self, action: Action) -> Vec<Effect> {
        let form = self.form.as_mut().expect("form open");
        if form.discarding {
            match action {
                Action::Yes => self.form = None,
                Action::No | Action::Back => form.discarding = false,
                _ => {}
            }
            return vec![];
        }
        if form.confirming {
            match action {
                Action::Yes => return vec![submit(form)],
                Action::No | Action::Back => form.confirming = false,
                _ => {}
            }
            return vec![];
        }
        match action {
            // Closing a form someone has typed into asks first: nothing typed is lost
            // to a stray Esc.
            Action::Back if form.is_changed() => form.discarding = true,
            Action::Back => self.form = None,
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::Save => {
                // An irreversible step is checked first, so that y/n is only asked
                // of a save the rules allow.
                if form.kind.needs_confirmation() {
                    return vec![check(form)];
                }
                return vec![submit(form)];
            }
            Action::Checked => {
                form.error = None;
                form.confirming = true;
            }
            Action::Input(key) => form.input(key),
            _ => {}
        }
        vec![]
    }
}

fn check(form: &Form) -> Effect {
    Effect::Check(Save::of(form))
}

fn submit(form: &Form) -> Effect {
    Effect::Submit(Save::of(form))
}

#[cfg(test)]
mod tests;
