//! The retention screen on the demo at 80×24, driven key by key through the keymap
//! and drawn into a `TestBackend`: the requests past their date on screen, one
//! disposed of through the form and y, a refused disposal keeping the form, and a
//! BSA who may look but whose hold is refused.

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use caseshare::app::{App, keymap};
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

fn open(path: &std::path::Path, login: &str) -> Service {
    Service::open(Store::open(path, OpenMode::Existing).unwrap(), login, clock()).unwrap()
}

/// A key pressed: through the keymap, as the event loop does.
fn press(app: &mut App, svc: &mut Service, code: KeyCode, mods: KeyModifiers) {
    let table = keymap::bindings();
    let Some(action) = keymap::resolve(&table, keymap::mode_of(app), KeyEvent::new(code, mods)) else {
        panic!("{code:?} is not bound in {:?}", keymap::mode_of(app))
    };
    let effects = app.update(action);
    tui::run_effects(app, svc, effects);
}

fn key(app: &mut App, svc: &mut Service, code: KeyCode) {
    press(app, svc, code, KeyModifiers::NONE);
}

fn typed(app: &mut App, svc: &mut Service, text: &str) {
    for c in text.chars() {
        key(app, svc, KeyCode::Char(c));
    }
}

/// The screen as drawn at 80×24, one line of text per row.
fn screen(app: &App) -> String {
    drawn(app, 80, 24)
}

fn drawn(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, app, &table, &Theme { color: false })).unwrap();
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn events(path: &std::path::Path, op: &str) -> i64 {
    let db = rusqlite::Connection::open(path).unwrap();
    db.query_row("SELECT count(*) FROM events WHERE op = ?1", [op], |r| r.get(0)).unwrap()
}

#[test]
fn the_demo_requests_past_their_date_are_listed_and_one_is_disposed_of_with_the_form_and_y() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    key(&mut app, &mut svc, KeyCode::Char('H'));
    let shown = screen(&app);
    for want in [
        "REQ-2024-0001  09/03/2026 Exampleshire County Council",
        "REQ-2020-0001  24/08/2026 Imaginary City Council",
        "Under a legal hold (0)",
        // The selected row's rule in full, under the lists.
        "Rule: not shared: 2 years after it closed on 09/03/2024 (retention.not_shared)",
        "d dispose",
    ] {
        assert!(shown.contains(want), "{want:?} not on screen:\n{shown}");
    }

    // REQ-2020-0001, authorised by the acting login itself: refused, the form kept.
    key(&mut app, &mut svc, KeyCode::Down);
    key(&mut app, &mut svc, KeyCode::Char('d'));
    // The authorisers are offered by name, nobody chosen: demo.manager, then tester.
    key(&mut app, &mut svc, KeyCode::Right);
    key(&mut app, &mut svc, KeyCode::Right);
    key(&mut app, &mut svc, KeyCode::Tab);
    typed(&mut app, &mut svc, "Retention schedule reached");
    press(&mut app, &mut svc, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let shown = screen(&app);
    assert!(shown.contains("refused (separation of duties): tester cannot authorise a disposal"), "{shown}");
    assert!(shown.contains("Retention schedule reached"), "the typing is kept:\n{shown}");
    assert!(app.form.is_some());
    assert_eq!(events(&path, "dispose"), 0);

    // The asset owner authorises it: the dry run's counts and the question, then y.
    key(&mut app, &mut svc, KeyCode::BackTab);
    key(&mut app, &mut svc, KeyCode::Left);
    press(&mut app, &mut svc, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let asked = app.form.as_ref().and_then(|f| f.question.clone()).unwrap_or_default();
    assert!(
        asked.starts_with("REQ-2020-0001: would be disposed of, due 24/08/2026; erased: the details of 1 child,"),
        "{asked}"
    );
    assert!(asked.ends_with("Dispose of REQ-2020-0001? Its personal details are erased for good. y / n"), "{asked}");
    let shown = screen(&app);
    assert!(shown.contains("would be disposed of") && shown.contains("y yes"), "{shown}");
    assert_eq!(events(&path, "dispose"), 0, "the dry run writes nothing");

    // n cancels with nothing written; a second save and y disposes of it.
    key(&mut app, &mut svc, KeyCode::Char('n'));
    assert!(app.form.as_ref().is_some_and(|f| !f.confirming));
    assert_eq!(events(&path, "dispose"), 0);
    press(&mut app, &mut svc, KeyCode::Char('s'), KeyModifiers::CONTROL);
    key(&mut app, &mut svc, KeyCode::Char('y'));
    let shown = screen(&app);
    assert_eq!(events(&path, "dispose"), 1);
    assert!(app.form.is_none());
    let status = shown.lines().nth(22).unwrap_or_default();
    assert!(
        status.starts_with("REQ-2020-0001 disposed of: ") && status.contains("event payloads and 0 lookups erased"),
        "{shown}"
    );
    assert!(!shown.contains("24/08/2026"), "the row left the list:\n{shown}");
    assert!(shown.contains("REQ-2024-0001  09/03/2026") && shown.contains("1 due, 0 held"), "{shown}");
    let due = svc.retention_due().unwrap();
    assert_eq!(due.due.iter().map(|d| d.reference.as_str()).collect::<Vec<_>>(), ["REQ-2024-0001"]);
}

#[test]
fn a_hold_from_the_screen_moves_the_row_to_the_held_list_and_release_asks_first() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    key(&mut app, &mut svc, KeyCode::Char('H'));
    key(&mut app, &mut svc, KeyCode::Char('h'));
    typed(&mut app, &mut svc, "Inquiry: litigation hold");
    press(&mut app, &mut svc, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let shown = screen(&app);
    assert!(shown.contains("REQ-2024-0001: legal hold recorded"), "{shown}");
    assert!(shown.contains("REQ-2024-0001  24/11/2026 tester         Inquiry: litigation hold"), "{shown}");
    assert!(shown.contains("1 due, 1 held"), "{shown}");
    // The cursor stays on the request, now in the held list: release it.
    key(&mut app, &mut svc, KeyCode::Char('u'));
    assert!(screen(&app).contains("Release the legal hold on REQ-2024-0001?"));
    assert_eq!(events(&path, "release"), 0);
    key(&mut app, &mut svc, KeyCode::Char('y'));
    assert!(screen(&app).contains("2 due, 0 held"));
    assert_eq!(events(&path, "release"), 1);
}

#[test]
fn a_bsa_sees_the_list_but_a_hold_is_refused_in_the_services_words() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "demo.bsa1");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    key(&mut app, &mut svc, KeyCode::Char('H'));
    assert!(screen(&app).contains("REQ-2024-0001  09/03/2026"));
    key(&mut app, &mut svc, KeyCode::Char('h'));
    typed(&mut app, &mut svc, "Inquiry");
    press(&mut app, &mut svc, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let error = app.form.as_ref().and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(error.starts_with("refused (permission):"), "{error}");
    assert!(screen(&app).contains("✗ refused (permission):"));
    assert_eq!(events(&path, "hold"), 0);
}

#[test]
fn the_retention_screen_as_drawn_at_80x24_and_120x40_with_a_hold() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    key(&mut app, &mut svc, KeyCode::Char('H'));
    key(&mut app, &mut svc, KeyCode::Char('h'));
    typed(&mut app, &mut svc, "Subject access request SAR-0042 received; keep until it is answered and closed");
    press(&mut app, &mut svc, KeyCode::Char('s'), KeyModifiers::CONTROL);
    insta::assert_snapshot!("retention_80x24", screen(&app));
    let effects = app.update(caseshare::app::Action::Resize(120, 40));
    tui::run_effects(&mut app, &mut svc, effects);
    insta::assert_snapshot!("retention_120x40", drawn(&app, 120, 40));
    key(&mut app, &mut svc, KeyCode::Char('?'));
    insta::assert_snapshot!("retention_help_120x40", drawn(&app, 120, 40));
    // A window too small says so rather than drawing a broken screen.
    assert!(drawn(&app, 20, 5).contains("caseshare needs"));
}
