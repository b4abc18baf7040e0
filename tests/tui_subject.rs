//! The subject report through the TUI face (the key from the keymap, the form, the
//! screen at 80×24, Esc back), on a real demo database: the same lines the command
//! line prints, recorded by the service, refused for a login that is not admin or ig.

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use caseshare::app::keymap::{self, Mode};
use caseshare::app::{Action, App, Screen};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use caseshare::ui::{self, Theme};

fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap())
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    caseshare::demo::build(&path, "tester", clock()).unwrap();
    (dir, path)
}

fn start(path: &std::path::Path, login: &str) -> (App, Service) {
    let mut svc = Service::open(Store::open(path, OpenMode::Existing).unwrap(), login, clock()).unwrap();
    let app = tui::start(&mut svc, 80, 24).unwrap();
    (app, svc)
}

fn act(app: &mut App, svc: &mut Service, action: Action) {
    let effects = app.update(action);
    tui::run_effects(app, svc, effects);
}

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, app, &table, &Theme { color: false })).unwrap();
    terminal.backend().to_string()
}

/// Presses `S` on the list (through the keymap), picks the text field, types, saves.
fn ask(app: &mut App, svc: &mut Service, text: &str) {
    let table = keymap::bindings();
    let s = keymap::resolve(&table, Mode::List, KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT));
    act(app, svc, s.expect("S is bound on the request list"));
    assert!(app.form.is_some(), "S opens the subject report's form");
    act(app, svc, Action::NextField);
    for c in text.chars() {
        act(app, svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
    act(app, svc, Action::Save);
}

#[test]
fn the_subject_screen_shows_the_report_at_80x24_and_scrolls() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path, "tester");
    ask(&mut app, &mut svc, "demo-1008");
    assert_eq!(app.screen, Screen::Subject);
    assert!(app.form.is_none());
    let shown = draw(&app);
    assert!(shown.contains("DEMO-1008"), "{shown}");
    assert!(shown.contains("REQ-2026-0008"), "{shown}");
    assert!(shown.contains("Hana Specimen"), "{shown}");

    // The same lines the command line prints; every one on screen within 80 columns.
    let wrapped = caseshare::app::subject::wrapped(&app.subject.lines, 78);
    assert!(wrapped.iter().all(|l| l.chars().count() <= 78));
    assert!(app.subject.lines.iter().any(|l| l.starts_with("Viewing ")), "{:?}", app.subject.lines);
    act(&mut app, &mut svc, Action::Bottom);
    assert!(app.subject.scroll > 0, "a report longer than the screen scrolls");
    let end = draw(&app);
    assert!(end.contains("== Lookups naming this child =="), "{end}");
    act(&mut app, &mut svc, Action::Top);
    assert_eq!(app.subject.scroll, 0);

    act(&mut app, &mut svc, Action::Back);
    assert_eq!(app.screen, Screen::Requests);

    // Recorded by the service, as from the command line.
    let log = svc.log(None, 5).unwrap();
    let last = log.iter().max_by_key(|e| e.id).unwrap();
    assert_eq!(last.op, "subject_report");
    assert!(last.after.contains("\"mosaic_id\":\"demo-1008\""), "{}", last.after);
}

#[test]
fn a_login_that_is_not_admin_or_ig_is_refused_with_the_command_lines_words() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path, "demo.bsa1");
    ask(&mut app, &mut svc, "DEMO-1008");
    assert_eq!(app.screen, Screen::Requests);
    let form = app.form.as_ref().expect("the form stays open with what was typed");
    let error = form.error.clone().unwrap_or_default();
    assert_eq!(
        error,
        "refused (permission): demo.bsa1 (bsa) may not run subject reports or audit exports; ask an administrator or the information governance team to run it, or an administrator to give this login the ig role"
    );
    assert!(draw(&app).contains("may not run subject"), "{}", draw(&app));
}

#[test]
fn the_export_forms_decision_record_is_refused_for_a_bsa_as_on_the_command_line() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path, "demo.bsa1");
    act(&mut app, &mut svc, Action::OpenForm(caseshare::app::form::FormKind::Export));
    for _ in 0..3 {
        act(&mut app, &mut svc, Action::NextField);
    }
    act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Char('y'))));
    let before = svc.log(None, 1).unwrap()[0].id;
    act(&mut app, &mut svc, Action::Save);
    let error = app.form.as_ref().and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(
        error.starts_with("refused (permission): demo.bsa1 (bsa) may not run subject reports or audit exports"),
        "{error}"
    );
    assert!(!std::path::Path::new("caseshare-export.xlsx").exists());
    assert_eq!(svc.log(None, 1).unwrap()[0].id, before, "nothing recorded");
}
