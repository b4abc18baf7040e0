//! A save refused because someone else changed the request meanwhile (through
//! App::update + run_effects on a real demo database, two services): the form shows,
//! per field you both changed, theirs beside yours; a field only they changed takes
//! theirs, only you yours; the next save needs a choice per conflicting field.

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use caseshare::app::form::{FormKind, Side, Values};
use caseshare::app::keymap::{self, Mode};
use caseshare::app::{Action, App};
use caseshare::service::forms::CorrectionForm;
use caseshare::service::op::{Change, On, Op};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use caseshare::ui::{self, Theme};

const REQ: &str = "REQ-2026-0003";

fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap())
}

fn open(path: &std::path::Path, login: &str) -> Service {
    Service::open(Store::open(path, OpenMode::Existing).unwrap(), login, clock()).unwrap()
}

fn act(app: &mut App, svc: &mut Service, action: Action) {
    let effects = app.update(action);
    tui::run_effects(app, svc, effects);
}

fn type_text(app: &mut App, svc: &mut Service, text: &str) {
    for c in text.chars() {
        act(app, svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, app, &table, &Theme { color: false })).unwrap();
    let buf = terminal.backend().buffer().clone();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>() + "\n").collect()
}

/// Opens "correct" on REQ as tester, types a phone extension (only mine) and adds to
/// the purpose (both), while demo.bsa1 saves a new email (only theirs) and another
/// purpose; then saves, which is refused as stale and merges.
fn conflicting_save() -> (tempfile::TempDir, std::path::PathBuf, App, Service, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    caseshare::demo::build(&path, "tester", clock()).unwrap();
    let mut mine = open(&path, "tester");
    let mut app = tui::start(&mut mine, 120, 40).unwrap();
    act(&mut app, &mut mine, Action::Down);
    act(&mut app, &mut mine, Action::Down);
    assert_eq!(app.selected_reference(), Some(REQ));
    let before = mine.request(REQ).unwrap().request;
    act(&mut app, &mut mine, Action::OpenForm(FormKind::Correct));
    for _ in 0..3 {
        act(&mut app, &mut mine, Action::NextField);
    }
    type_text(&mut app, &mut mine, "01632 960000");
    act(&mut app, &mut mine, Action::NextField);
    type_text(&mut app, &mut mine, " Mine too.");
    let my_purpose = format!("{} Mine too.", before.purpose);
    assert!(before.requester.phone.is_empty(), "the demo request has no phone");
    let my_phone = "01632 960000".to_string();

    let mut theirs = open(&path, "demo.bsa1");
    let correction = CorrectionForm {
        requester_email: Some("new.address@example.invalid".into()),
        purpose: Some("Their purpose, saved first (fictional)".into()),
        ..CorrectionForm::default()
    };
    theirs.apply(Op::Change(On::latest(REQ), Change::Correct(correction))).unwrap();

    act(&mut app, &mut mine, Action::Save);
    (dir, path, app, mine, my_purpose, my_phone)
}

fn correct_values(app: &App) -> caseshare::app::form::fields::CorrectValues {
    let Values::Correct(v) = app.form.as_ref().expect("the form stays open").values() else { panic!("correct") };
    v
}

#[test]
fn a_stale_save_shows_theirs_beside_yours_and_takes_each_sides_own_changes() {
    let (_dir, _path, app, mine, my_purpose, my_phone) = conflicting_save();
    let form = app.form.as_ref().unwrap();
    let error = form.error.as_deref().unwrap();
    assert!(error.contains("changed by demo.bsa1") && error.contains("You both changed Purpose"), "{error}");
    let merge = form.merge.as_ref().expect("a conflict to choose on");
    assert_eq!(merge.conflicts.len(), 1, "{:?}", merge.conflicts);
    assert_eq!(merge.conflicts[0].label, "Purpose");
    assert_eq!(merge.conflicts[0].theirs, "Their purpose, saved first (fictional)");
    let v = correct_values(&app);
    assert_eq!(v.requester_email, "new.address@example.invalid", "only they changed it: theirs");
    assert_eq!(v.requester_phone, my_phone, "only I changed it: mine");
    assert_eq!(v.purpose, my_purpose, "both: mine stays in the field until I choose");
    assert_eq!(keymap::mode_of(&app), Mode::Conflict);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("theirs: Their purpose, saved first (fictional)"), "{shown}");
    assert!(shown.contains("[choose: Ctrl-T theirs · Ctrl-O yours]"), "{shown}");
    let at80 = screen(&app, 80, 24);
    assert!(at80.contains("theirs: Their purpose, saved first (fictional)"), "{at80}");
    assert!(shown.contains("Ctrl-T theirs") && shown.contains("Ctrl-O yours"), "the hint bar: {shown}");
    // Nothing of theirs was overwritten.
    assert_eq!(mine.request(REQ).unwrap().request.purpose, "Their purpose, saved first (fictional)");
}

#[test]
fn the_next_save_needs_a_choice_and_saves_theirs_when_chosen() {
    let (_dir, _path, mut app, mut mine, my_purpose, my_phone) = conflicting_save();
    let version = mine.request(REQ).unwrap().request.version;
    act(&mut app, &mut mine, Action::Save);
    let error = app.form.as_ref().expect("still open").error.clone().unwrap();
    assert_eq!(
        error,
        "refused (conflict): demo.bsa1 at 24/11/2026 10:00 changed Purpose since you opened it, and so did you; \
         choose theirs (Ctrl-T) or yours (Ctrl-O) for each, then save"
    );
    assert_eq!(mine.request(REQ).unwrap().request.version, version, "nothing saved");

    // Ctrl-T (the keymap's, so help and hints say the same) puts theirs in the field.
    let table = keymap::bindings();
    let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
    let take = keymap::resolve(&table, keymap::mode_of(&app), ctrl_t).unwrap();
    assert_eq!(take, Action::TakeTheirs);
    act(&mut app, &mut mine, take);
    assert_eq!(correct_values(&app).purpose, "Their purpose, saved first (fictional)");
    let shown = screen(&app, 120, 40);
    let start: String = my_purpose.chars().take(40).collect();
    assert!(
        shown.contains(&format!("yours: {start}")) && shown.contains("[theirs chosen (Ctrl-O for yours)]"),
        "{shown}"
    );
    // Changing one's mind brings yours back, and theirs again.
    act(&mut app, &mut mine, Action::KeepMine);
    assert_eq!(correct_values(&app).purpose, my_purpose);
    act(&mut app, &mut mine, Action::TakeTheirs);
    assert_eq!(app.form.as_ref().unwrap().merge.as_ref().unwrap().conflicts[0].chosen, Some(Side::Theirs));

    act(&mut app, &mut mine, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let now = mine.request(REQ).unwrap().request;
    assert_eq!(now.purpose, "Their purpose, saved first (fictional)");
    assert_eq!(now.requester.email, "new.address@example.invalid");
    assert_eq!(now.requester.phone, my_phone);
}

#[test]
fn choosing_theirs_for_everything_leaves_nothing_to_save() {
    let (_dir, _path, mut app, mut mine, _, _) = conflicting_save();
    // Undo the phone number typed (the only change of mine besides the purpose).
    act(&mut app, &mut mine, Action::PrevField);
    for _ in 0.."01632 960000".len() {
        act(&mut app, &mut mine, Action::Input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
    }
    act(&mut app, &mut mine, Action::TakeTheirs);
    let version = mine.request(REQ).unwrap().request.version;
    act(&mut app, &mut mine, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Nothing to save: the request stays as demo.bsa1 at 24/11/2026 10:00 saved it"), "{shown}");
    assert_eq!(mine.request(REQ).unwrap().request.version, version);
}

#[test]
fn keeping_yours_saves_yours_over_theirs_having_seen_it() {
    let (_dir, _path, mut app, mut mine, my_purpose, _) = conflicting_save();
    act(&mut app, &mut mine, Action::KeepMine);
    act(&mut app, &mut mine, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let now = mine.request(REQ).unwrap().request;
    assert_eq!(now.purpose, my_purpose);
    assert_eq!(now.requester.email, "new.address@example.invalid", "their other change stands");
}

#[test]
fn the_conflict_keys_are_in_help_and_only_bound_after_a_conflict() {
    let table = keymap::bindings();
    let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
    assert_eq!(keymap::resolve(&table, Mode::Form, ctrl_t), Some(Action::Input(ctrl_t)));
    let help = keymap::help(&table, Mode::Conflict);
    assert!(help.iter().any(|(k, h)| k == "Ctrl-T" && h.contains("what the other person saved")), "{help:?}");
    assert!(help.iter().any(|(k, h)| k == "Ctrl-O" && h.contains("keep what you typed")), "{help:?}");
    assert!(help.iter().any(|(k, _)| k.contains("Ctrl-S")), "saving is still there: {help:?}");
}
