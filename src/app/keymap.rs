//! Keybindings as data. The help overlay and the hint bar are generated from this
//! table, so they can never disagree with the keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::form::FormKind;
use crate::app::{Action, App, Focus, Screen, View};

/// Which set of keys applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The request list.
    List,
    /// The checklist of the selected request.
    Checklist,
    /// Typing a filter (list or tracker).
    Typing,
    Tracker,
    Log,
    Letter,
    Report,
    /// The subject report on screen.
    Subject,
    /// A form is open.
    Form,
    /// A form after a conflicting save, with fields to choose theirs or yours on.
    Conflict,
    /// A form waits for y/n.
    Confirm,
    Help,
    /// The retention screen: due for disposal, under a legal hold.
    Retention,
    /// The administration screen.
    Admin,
}

/// The mode the app is in.
pub fn mode_of(app: &App) -> Mode {
    if app.help { Mode::Help } else { base_mode(app) }
}

/// The mode under the help overlay.
pub fn base_mode(app: &App) -> Mode {
    if let Some(f) = &app.form {
        return if f.confirming || f.discarding || f.asking.is_some() {
            Mode::Confirm
        } else if f.merge.is_some() {
            Mode::Conflict
        } else {
            Mode::Form
        };
    }
    if app.filtering || app.tracker.typing || app.log.typing {
        return Mode::Typing;
    }
    match (app.screen, app.focus) {
        (Screen::Requests, Focus::List) => Mode::List,
        (Screen::Requests, Focus::Checklist) => Mode::Checklist,
        (Screen::Tracker, _) => Mode::Tracker,
        (Screen::Log, _) => Mode::Log,
        (Screen::Letter, _) => Mode::Letter,
        (Screen::Report, _) => Mode::Report,
        (Screen::Subject, _) => Mode::Subject,
        (Screen::Retention, _) => Mode::Retention,
        (Screen::Admin, _) => Mode::Admin,
    }
}

/// One binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub modes: &'static [Mode],
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// Short label for the hint bar ("" keeps it out of the bar).
    pub hint: &'static str,
    /// What it does, for the help overlay.
    pub help: &'static str,
    /// Its place in the hint bar: lower comes first, and a narrow window drops the
    /// highest first (see [`hints`]).
    pub rank: u8,
}

impl Binding {
    /// The same binding with its place in the hint bar (0 first; 5 unless set).
    pub fn rank(mut self, rank: u8) -> Binding {
        self.rank = rank;
        self
    }
}

/// The hint bar's place of a binding that does not say (see [`Binding::rank`]).
const RANK: u8 = 5;

const REQ: &[Mode] = &[Mode::List, Mode::Checklist];
/// An open form, with or without conflicts to choose on.
const FORM: &[Mode] = &[Mode::Form, Mode::Conflict];
const NAV: &[Mode] = &[Mode::List, Mode::Checklist, Mode::Tracker, Mode::Log, Mode::Letter, Mode::Subject];
/// Every mode but help: where Ctrl-C and Ctrl-Z work.
const ALL: &[Mode] = &[
    Mode::List,
    Mode::Checklist,
    Mode::Typing,
    Mode::Tracker,
    Mode::Log,
    Mode::Letter,
    Mode::Report,
    Mode::Subject,
    Mode::Form,
    Mode::Conflict,
    Mode::Confirm,
    Mode::Retention,
];
const SCREENS: &[Mode] =
    &[Mode::List, Mode::Checklist, Mode::Tracker, Mode::Log, Mode::Letter, Mode::Report, Mode::Subject];

fn b(modes: &'static [Mode], code: KeyCode, action: Action, hint: &'static str, help: &'static str) -> Binding {
    Binding { modes, code, mods: KeyModifiers::NONE, action, hint, help, rank: RANK }
}

fn ctrl(modes: &'static [Mode], c: char, action: Action, hint: &'static str, help: &'static str) -> Binding {
    Binding { modes, code: KeyCode::Char(c), mods: KeyModifiers::CONTROL, action, hint, help, rank: RANK }
}

/// The whole table, in the order help lists it.
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let mut v = vec![
        b(SCREENS, Char('?'), Action::Help, "help", "Show every key").rank(0),
        b(&[Mode::Form, Mode::Conflict, Mode::Typing, Mode::Confirm], F(1), Action::Help, "", "Show every key"),
        b(&[Mode::List], Char('q'), Action::Quit, "quit", "Quit").rank(2),
        b(
            &[Mode::Tracker, Mode::Log, Mode::Letter, Mode::Report, Mode::Subject],
            Char('q'),
            Action::Back,
            "",
            "Back to the request list",
        ),
        b(NAV, Up, Action::Up, "", "Move up"),
        b(NAV, Char('k'), Action::Up, "", "Move up"),
        b(NAV, Down, Action::Down, "", "Move down"),
        b(NAV, Char('j'), Action::Down, "", "Move down"),
        b(NAV, PageUp, Action::PageUp, "", "Page up"),
        b(NAV, PageDown, Action::PageDown, "", "Page down"),
        b(NAV, Home, Action::Top, "", "First row"),
        b(NAV, Char('g'), Action::Top, "", "First row"),
        b(NAV, End, Action::Bottom, "", "Last row"),
        b(NAV, Char('G'), Action::Bottom, "", "Last row"),
        b(
            &[Mode::List],
            Enter,
            Action::Open,
            "checklist",
            "Go to the selected request's checklist, at the next step to do",
        )
        .rank(1),
        b(&[Mode::Checklist], Enter, Action::Open, "open step", "Open the form of the step under the cursor").rank(1),
        b(&[Mode::Tracker], Enter, Action::Open, "go to request", "Go to the request of the selected viewing").rank(1),
        b(REQ, Char('J'), Action::ScrollDown, "", "Scroll the request's details down"),
        b(REQ, Char('K'), Action::ScrollUp, "", "Scroll the request's details up"),
        b(REQ, Tab, Action::NextField, "", "Switch between list and checklist"),
        b(SCREENS, Esc, Action::Back, "back", "Back: clear the filter, leave the checklist or screen").rank(4),
        b(&[Mode::List, Mode::Tracker, Mode::Log], Char('/'), Action::StartFilter, "filter", "Filter as you type")
            .rank(1),
        b(REQ, Char('n'), Action::NewRequest, "new", "Record a new request (step 1)").rank(2),
        b(REQ, Char('D'), Action::DirectShare, "", "Record a direct share (copy sent, no viewing)"),
        b(REQ, Char('r'), Action::OpenForm(FormKind::Refuse), "", "Record a refusal by the asset owner"),
        b(REQ, Char('w'), Action::OpenForm(FormKind::Withdraw), "", "Withdraw the request"),
        b(REQ, Char('i'), Action::OpenForm(FormKind::AddItem), "", "Add an item (needs a fresh approval)"),
        b(REQ, Char('e'), Action::OpenForm(FormKind::Correct), "", "Correct the requester's details or purpose"),
        b(REQ, Char('b'), Action::OpenForm(FormKind::Basis), "", "Change the lawful basis (before the decision)"),
        b(
            REQ,
            Char('a'),
            Action::OpenForm(FormKind::ItemConsent),
            "",
            "Record an agency's consent to show its material",
        ),
        b(
            REQ,
            Char('x'),
            Action::OpenForm(FormKind::IncidentReferred),
            "",
            "Refer an incident to information governance",
        ),
        b(REQ, Char('t'), Action::Tracker, "tracker", "Tracker: who viewed what").rank(3),
        b(REQ, Char('l'), Action::RequestLog, "log", "The selected request's event log, newest first").rank(4),
        b(REQ, Char('L'), Action::WholeLog, "", "The whole event log, newest first, with verify"),
        b(REQ, Char('R'), Action::Report, "", "Report: how the service is doing (last twelve months)"),
        b(
            REQ,
            Char('S'),
            Action::OpenForm(FormKind::SubjectReport),
            "",
            "Subject report: everything about one child (admin or ig; recorded)",
        ),
        b(REQ, Char('I'), Action::OpenForm(FormKind::Import), "", "Import the spreadsheet (dry run first)"),
        b(REQ, Char('E'), Action::OpenForm(FormKind::Export), "", "Export requests and the tracker (.xlsx or .csv)"),
        b(REQ, Char('c'), Action::Letters, "case note", "The drafted case note and the letters").rank(3),
        b(
            &[Mode::Letter],
            Tab,
            Action::NextLetter,
            "next letter",
            "Next letter: acknowledgement, refusal, confirmation",
        )
        .rank(1),
        b(
            &[Mode::Letter],
            Char('y'),
            Action::Copy,
            "clipboard",
            "Send to the terminal's clipboard (OSC 52; some terminals, PuTTY among them, ignore it)",
        )
        .rank(2),
        b(
            &[Mode::Letter],
            Char('s'),
            Action::Export,
            "save to file",
            "Save to a private file (0600) in caseshare's data folder; the status line says where",
        )
        .rank(1),
        b(FORM, Tab, Action::NextField, "next field", "Next field").rank(1),
        b(FORM, BackTab, Action::PrevField, "", "Previous field"),
        ctrl(FORM, 's', Action::Save, "save", "Save the form").rank(0),
        b(FORM, F(2), Action::Save, "", "Save the form"),
        ctrl(
            &[Mode::Conflict],
            't',
            Action::TakeTheirs,
            "theirs",
            "After a conflicting save: put what the other person saved in this field",
        ),
        ctrl(
            &[Mode::Conflict],
            'o',
            Action::KeepMine,
            "yours",
            "After a conflicting save: keep what you typed in this field",
        ),
        b(FORM, Esc, Action::Back, "cancel", "Close the form without saving (asks first if anything was typed)")
            .rank(1),
        ctrl(
            &[Mode::Form, Mode::Conflict, Mode::Typing],
            'u',
            Action::ClearField,
            "",
            "Clear the field (or the filter)",
        ),
        b(&[Mode::Typing], Enter, Action::EndFilter, "keep", "Keep the filter"),
        b(&[Mode::Typing], Esc, Action::Back, "clear", "Clear the filter"),
        b(&[Mode::Confirm], Char('y'), Action::Yes, "yes", "Yes (save, or close without saving)").rank(0),
        b(&[Mode::Confirm], Char('n'), Action::No, "no", "No, back to the form").rank(0),
        b(&[Mode::Confirm], Esc, Action::No, "", "No, back to the form"),
        b(&[Mode::Help], Esc, Action::Back, "close", "Close help").rank(0),
        b(&[Mode::Help], Char('?'), Action::Help, "", "Close help"),
        b(&[Mode::Help], Char('q'), Action::Back, "", "Close help"),
        b(&[Mode::Help], Up, Action::Up, "scroll", "Scroll up"),
        b(&[Mode::Help], Down, Action::Down, "scroll", "Scroll down"),
        b(&[Mode::Help], PageUp, Action::PageUp, "", "Page up"),
        b(&[Mode::Help], PageDown, Action::PageDown, "", "Page down"),
    ];
    v.extend(retention_bindings());
    v.extend(admin_bindings());
    for (i, view) in View::ALL.iter().enumerate() {
        let digit = char::from(b'1' + i as u8);
        v.push(Binding {
            modes: REQ,
            code: Char(digit),
            mods: KeyModifiers::NONE,
            action: Action::SwitchView(*view),
            hint: "views",
            help: view.label(),
            rank: 3,
        });
    }
    v.extend(everywhere());
    v
}

/// Keys that work on every screen and in every form, listed last in help.
fn everywhere() -> Vec<Binding> {
    vec![
        ctrl(
            ALL,
            'c',
            Action::Interrupt,
            "",
            "Cancel (as Esc: a form asks before losing what you typed); on the request list, quit",
        ),
        ctrl(ALL, 'z', Action::Suspend, "", "Suspend to the shell (fg brings caseshare back)"),
    ]
}

/// The retention screen's keys, and the key that opens it.
fn retention_bindings() -> Vec<Binding> {
    use KeyCode::*;
    const RET: &[Mode] = &[Mode::Retention];
    vec![
        b(REQ, Char('H'), Action::Retention, "", "Retention: requests due for disposal, legal holds"),
        b(RET, Char('?'), Action::Help, "help", "Show every key"),
        b(RET, Up, Action::Up, "", "Move up"),
        b(RET, Char('k'), Action::Up, "", "Move up"),
        b(RET, Down, Action::Down, "", "Move down"),
        b(RET, Char('j'), Action::Down, "", "Move down"),
        b(RET, PageUp, Action::PageUp, "", "Page up"),
        b(RET, PageDown, Action::PageDown, "", "Page down"),
        b(RET, Home, Action::Top, "", "First row"),
        b(RET, Char('g'), Action::Top, "", "First row"),
        b(RET, End, Action::Bottom, "", "Last row"),
        b(RET, Char('G'), Action::Bottom, "", "Last row"),
        b(RET, Enter, Action::Open, "go to request", "Go to the selected request in the request list"),
        b(RET, Char('d'), Action::OpenForm(FormKind::Dispose), "dispose", "Dispose of it (admin; dry run, then y/n)"),
        b(RET, Char('h'), Action::OpenForm(FormKind::Hold), "hold", "Put a legal hold on it (admin)"),
        b(RET, Char('u'), Action::OpenForm(FormKind::Release), "release", "Release its legal hold (admin; y/n)"),
        b(RET, Esc, Action::Back, "back", "Back to the request list"),
        b(RET, Char('q'), Action::Back, "", "Back to the request list"),
    ]
}

/// The administration screen's keys, and the key that opens it. Each form key is
/// one kind; `app::admin` turns it into the tab's (`a` on Rooms adds a room).
fn admin_bindings() -> Vec<Binding> {
    use KeyCode::*;
    const ADM: &[Mode] = &[Mode::Admin];
    vec![
        b(REQ, Char('A'), Action::Admin, "", "Administration: staff, areas, organisations, rooms, settings, holidays"),
        b(ADM, Char('?'), Action::Help, "help", "Show every key"),
        b(ADM, Tab, Action::NextField, "tab", "Next tab"),
        b(ADM, BackTab, Action::PrevField, "", "Previous tab"),
        b(ADM, Up, Action::Up, "", "Move up"),
        b(ADM, Char('k'), Action::Up, "", "Move up"),
        b(ADM, Down, Action::Down, "", "Move down"),
        b(ADM, Char('j'), Action::Down, "", "Move down"),
        b(ADM, PageUp, Action::PageUp, "", "Page up"),
        b(ADM, PageDown, Action::PageDown, "", "Page down"),
        b(ADM, Home, Action::Top, "", "First row"),
        b(ADM, End, Action::Bottom, "", "Last row"),
        b(
            ADM,
            Char('a'),
            Action::OpenForm(FormKind::StaffAdd),
            "add",
            "Add a login, area, organisation, room or holiday",
        ),
        b(ADM, Char('e'), Action::OpenForm(FormKind::AdminRename), "rename", "Rename the row (edit a setting)"),
        b(ADM, Enter, Action::Open, "", "Rename the row (edit a setting)"),
        b(ADM, Char('x'), Action::OpenForm(FormKind::AdminRetire), "retire", "Retire the row (remove a holiday; y/n)"),
        b(
            ADM,
            Char('u'),
            Action::OpenForm(FormKind::AdminReinstate),
            "reinstate",
            "Put a retired row back in use (y/n)",
        ),
        b(ADM, Char('o'), Action::OpenForm(FormKind::AreaOwner), "", "Service areas: set the asset owner"),
        b(ADM, Char('K'), Action::OpenForm(FormKind::OrgKindSet), "", "Organisations: set the kind"),
        b(ADM, Char('r'), Action::OpenForm(FormKind::AdminRoles), "", "Staff: set the roles"),
        b(
            ADM,
            Char('l'),
            Action::OpenForm(FormKind::OrgAlias),
            "",
            "Organisations: add an alias (another name it is known by)",
        ),
        b(ADM, Char('L'), Action::OpenForm(FormKind::OrgUnalias), "", "Organisations: remove an alias"),
        b(ADM, Esc, Action::Back, "back", "Back to the request list"),
        b(ADM, Char('q'), Action::Back, "", "Back to the request list"),
    ]
}

/// The action for a key in a mode; unbound keys in text modes become input.
pub fn resolve(table: &[Binding], mode: Mode, key: KeyEvent) -> Option<Action> {
    // Two Escapes in quick succession (a hurried user, a slow SSH link) arrive as
    // Alt+Esc: treat them as Esc.
    let mods = if key.code == KeyCode::Esc { KeyModifiers::NONE } else { key.modifiers - KeyModifiers::SHIFT };
    let found = table.iter().find(|bd| bd.modes.contains(&mode) && bd.code == key.code && bd.mods == mods);
    match found {
        Some(bd) => Some(bd.action.clone()),
        None if matches!(mode, Mode::Typing | Mode::Form | Mode::Conflict) => Some(Action::Input(key)),
        None => None,
    }
}

/// How a key is written in help and hints.
pub fn key_label(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", base.to_uppercase()) } else { base }
}

/// The hint bar of a mode, most useful first (by [`Binding::rank`], then the table's
/// order); neighbouring keys with one hint show together (`1-6`, `↑/↓`).
pub fn hints(table: &[Binding], mode: Mode) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, String, &'static str, u8)> = Vec::new();
    for bd in table.iter().filter(|bd| bd.modes.contains(&mode) && !bd.hint.is_empty()) {
        let label = key_label(bd.code, bd.mods);
        match out.last_mut() {
            Some((_, last, hint, rank)) if *hint == bd.hint => {
                *last = label;
                *rank = (*rank).min(bd.rank);
            }
            _ => out.push((label.clone(), label, bd.hint, bd.rank)),
        }
    }
    out.sort_by_key(|(_, _, _, rank)| *rank);
    out.into_iter()
        .map(|(first, last, hint, _)| {
            let keys = match (first == last, first.len() == 1 && last.len() == 1) {
                (true, _) => first,
                (false, true) => format!("{first}-{last}"),
                (false, false) => format!("{first}/{last}"),
            };
            (keys, hint)
        })
        .collect()
}

/// The hints that fit in `width` columns, each drawn as ` KEY HINT ` (see
/// [`hint_width`]): taken most useful first, a hint too long for what is left
/// skipped for a shorter one after it, so the most useful keys are never the ones
/// cut.
pub fn fitted_hints(table: &[Binding], mode: Mode, width: usize) -> Vec<(String, &'static str)> {
    let mut left = width;
    let mut out = Vec::new();
    for (key, hint) in hints(table, mode) {
        let w = hint_width(&key, hint);
        if w <= left {
            left -= w;
            out.push((key, hint));
        }
    }
    out
}

/// Columns one hint takes in the bar: ` KEY HINT `.
pub fn hint_width(key: &str, hint: &str) -> usize {
    textwrap::core::display_width(key) + textwrap::core::display_width(hint) + 3
}

/// Every key of a mode, for the help overlay, with keys doing the same thing merged.
pub fn help(table: &[Binding], mode: Mode) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for bd in table.iter().filter(|bd| bd.modes.contains(&mode)) {
        let label = key_label(bd.code, bd.mods);
        match out.iter_mut().find(|(_, h)| *h == bd.help) {
            Some((keys, _)) => {
                keys.push_str(" / ");
                keys.push_str(&label);
            }
            None => out.push((label, bd.help)),
        }
    }
    if matches!(mode, Mode::Form | Mode::Conflict) {
        out.push(("←/→, Space".into(), "Choose in a picker; typing the start of an option jumps to it, and says so"));
        out.push(("↑/↓, Space".into(), "Move and tick in a checklist of items"));
        out.push(("Enter".into(), "Next field (new line in a multi-line field)"));
    }
    out
}

/// Columns the help overlay takes in a window `width` columns wide.
pub fn help_width(width: u16) -> u16 {
    width.min(100)
}

/// Rows of keys the help overlay shows at once on a terminal `height` rows high
/// (its frame and its foot take three).
pub fn help_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(3)).max(1)
}

/// Columns of the keys in the help overlay.
pub const HELP_KEYS: usize = 14;

/// The help overlay's lines for a mode, `columns` wide: each key right-aligned in
/// [`HELP_KEYS`] columns, what it does wrapped beside it (nothing cut off); a
/// continuation has no key.
pub fn help_lines(table: &[Binding], mode: Mode, columns: usize) -> Vec<(String, String)> {
    let room = columns.saturating_sub(HELP_KEYS + 2).max(10);
    let mut out = Vec::new();
    for (keys, what) in help(table, mode) {
        for (i, part) in textwrap::wrap(what, room).into_iter().enumerate() {
            let key = if i == 0 { keys.clone() } else { String::new() };
            out.push((key, part.into_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_a_filter_are_text_not_commands() {
        let t = bindings();
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(resolve(&t, Mode::List, q), Some(Action::Quit));
        assert_eq!(resolve(&t, Mode::Typing, q), Some(Action::Input(q)));
        assert_eq!(resolve(&t, Mode::Form, q), Some(Action::Input(q)));
    }

    #[test]
    fn every_mode_has_a_way_back_and_help_lists_what_the_hint_bar_shows() {
        let t = bindings();
        for mode in [
            Mode::List,
            Mode::Checklist,
            Mode::Tracker,
            Mode::Log,
            Mode::Letter,
            Mode::Form,
            Mode::Conflict,
            Mode::Typing,
            Mode::Subject,
            Mode::Retention,
            Mode::Admin,
        ] {
            let help = help(&t, mode);
            for (key, hint) in hints(&t, mode) {
                let first = key.split('-').next().unwrap_or(&key).to_string();
                let first = if key.starts_with("Ctrl-") { key.clone() } else { first };
                assert!(help.iter().any(|(k, _)| k.contains(&first)), "{mode:?}: hint {key} {hint} missing from help");
            }
        }
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&t, Mode::Form, ctrl_s), Some(Action::Save));
    }
}
