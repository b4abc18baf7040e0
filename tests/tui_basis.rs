//! The lawful basis through the TUI, in process against a real service (as
//! `tui_behaviour.rs` drives it): the scope form chooses nothing for the person,
//! a missing choice and a misfit are refused with the CLI's words (without its
//! hint), a questioned basis is asked as y/n and kept with its question on yes.

use chrono::{TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use caseshare::app::form::fields::*;
use caseshare::app::form::{FormKind, Values};
use caseshare::app::{Action, App};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;

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

fn keys(app: &mut App, svc: &mut Service, codes: &[KeyCode]) {
    for c in codes {
        act(app, svc, Action::Input(KeyEvent::from(*c)));
    }
}

fn type_text(app: &mut App, svc: &mut Service, text: &str) {
    for c in text.chars() {
        act(app, svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
}

fn next(app: &mut App, svc: &mut Service, n: usize) {
    for _ in 0..n {
        act(app, svc, Action::NextField);
    }
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    caseshare::demo::build(&path, "tester", clock()).unwrap();
    (dir, path)
}

fn basis_values(app: &App) -> BasisValues {
    let Values::Scope(v) = app.form.as_ref().expect("the scope form is open").values() else { panic!("scope") };
    v.basis
}

const AWAITING_FORM: &str = "REQ-2026-0002";

fn scope_form(app: &mut App, svc: &mut Service) {
    act(app, svc, Action::Down);
    assert_eq!(app.selected_reference(), Some(AWAITING_FORM));
    act(app, svc, Action::OpenForm(FormKind::Scope));
}

#[test]
fn the_scope_form_chooses_nothing_and_an_untouched_save_lists_what_is_missing() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    scope_form(&mut app, &mut svc);
    let b = basis_values(&app);
    assert_eq!((b.art6, b.art9, b.sch1, b.consent_not_obtained, b.power), (None, None, None, None, None));
    assert_eq!((b.criminal, b.consent_sought, b.dsa, b.controller, b.dpia), (None, None, None, None, None));
    assert!(b.guidance.is_empty());

    next(&mut app, &mut svc, 1);
    type_text(&mut app, &mut svc, "Assessment");
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().expect("the form stays open");
    assert_eq!(
        form.error.as_deref(),
        Some(
            "refused (lawful basis): the Art. 6 basis, the Art. 9(2) gateway (or none), whether criminal offence data is involved, the statutory power are not recorded; choose each: nothing is filled in for you"
        )
    );
    assert_eq!(svc.request(AWAITING_FORM).unwrap().request.form_returned_on, None, "nothing written");
}

#[test]
fn a_misfit_is_refused_and_a_questioned_basis_is_asked_then_kept_with_its_question() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    scope_form(&mut app, &mut svc);
    next(&mut app, &mut svc, 1);
    type_text(&mut app, &mut svc, "Assessment");
    next(&mut app, &mut svc, 2);
    keys(&mut app, &mut svc, &[KeyCode::Right]); // Art. 6(1)(c)
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Left]); // Art. 9(2)(h)
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Right; 5]); // Part 2 para 18
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Left]); // would prejudice
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Right]); // criminal: not involved
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Right]); // CA 1989 s.17
    next(&mut app, &mut svc, 5);
    type_text(&mut app, &mut svc, "To assess risk");
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Left]); // consent sought: no
    next(&mut app, &mut svc, 1);
    type_text(&mut app, &mut svc, "It would put the child at risk");
    next(&mut app, &mut svc, 1);
    keys(&mut app, &mut svc, &[KeyCode::Right, KeyCode::Right]); // agreement: no
    next(&mut app, &mut svc, 2);
    type_text(&mut app, &mut svc, "Supervised room");
    next(&mut app, &mut svc, 1);
    type_text(&mut app, &mut svc, "n/a: nothing is copied");
    let b = basis_values(&app);
    assert_eq!(b.art9.map(|g| g.as_code()), Some("9_2_h"));
    assert_eq!(b.sch1.map(|c| c.as_code()), Some("p2_18"));

    act(&mut app, &mut svc, Action::Save);
    assert_eq!(
        app.form.as_ref().unwrap().error.as_deref(),
        Some(
            "refused (lawful basis): Sch.1 Part 2 para 18 goes with Art. 9(2)(g), not Art. 9(2)(h) health or social care; Art. 9(2)(h) uses Part 1 para 2"
        )
    );

    // Back to the gateway: 9(2)(g) fits para 18. The basis is now questioned.
    for _ in 0..15 {
        act(&mut app, &mut svc, Action::PrevField);
    }
    keys(&mut app, &mut svc, &[KeyCode::Left]);
    assert_eq!(basis_values(&app).art9.map(|g| g.as_code()), Some("9_2_g"));
    act(&mut app, &mut svc, Action::Save);
    let question = "Art. 6(1)(c) legal obligation needs a duty on the council to share, and Children Act 1989 s.17 (children in need) places none on it";
    let form = app.form.as_ref().unwrap();
    assert_eq!(
        form.error.as_deref(),
        Some(format!("refused (lawful basis): the lawful basis is questioned: {question}; check it fits: confirm to keep it, or change it").as_str())
    );
    assert_eq!(
        form.asking.as_ref().map(|a| a.question.clone()),
        Some(format!("Keep this lawful basis? {question} (y/n)"))
    );

    // n: nothing written, the form kept.
    act(&mut app, &mut svc, Action::No);
    assert!(app.form.as_ref().unwrap().asking.is_none());
    assert_eq!(svc.request(AWAITING_FORM).unwrap().request.form_returned_on, None);

    // Asked again, y saves it, with the question kept beside the basis.
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.as_ref().unwrap().asking.is_some());
    act(&mut app, &mut svc, Action::Yes);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let f = svc.request(AWAITING_FORM).unwrap();
    assert_eq!(f.request.basis.confirmed, vec![question.to_string()]);
    assert_eq!(f.request.basis.art9.map(|g| g.as_code()), Some("9_2_g"));
    assert_eq!(f.request.details.retention, "n/a: nothing is copied");
}

#[test]
fn the_agreement_prompt_is_shown_above_the_scope_form() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    // Mark the request awaiting its form as a third request in twelve months.
    let prompt = "this is request 3 from Fictional Borough Council in twelve months: consider an information sharing agreement (systematic sharing)";
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE requests SET isa_prompt = ?1 WHERE reference = ?2", [prompt, AWAITING_FORM]).unwrap();
    drop(conn);
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    scope_form(&mut app, &mut svc);
    assert_eq!(
        app.form.as_ref().unwrap().preface.as_deref(),
        Some(format!("Information sharing agreement: {prompt}").as_str())
    );
}

#[test]
fn the_basis_form_shows_what_is_recorded_and_is_refused_after_the_decision() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    // REQ-2026-0003 awaits approval: its basis as recorded is chosen in the form.
    act(&mut app, &mut svc, Action::Down);
    act(&mut app, &mut svc, Action::Down);
    assert_eq!(app.selected_reference(), Some("REQ-2026-0003"));
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Basis));
    let Values::Basis(b) = app.form.as_ref().unwrap().values() else { panic!("basis form") };
    assert_eq!(b.art9.map(|g| g.as_code()), Some("9_2_g"));
    assert_eq!(b.power.map(|p| p.as_code()), Some("ca1989_s27"));
    // Saved as it is: recorded again.
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));

    // REQ-2026-0006 was decided on: the form is refused with the CLI's words.
    let decided = "REQ-2026-0006";
    for _ in 0..2 {
        act(&mut app, &mut svc, Action::Up);
    }
    assert_eq!(app.selected_reference(), Some(decided), "first in triage: overdue");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Basis));
    act(&mut app, &mut svc, Action::Save);
    assert_eq!(
        app.form.as_ref().unwrap().error.as_deref(),
        Some(
            "refused (lawful basis): the asset owner decided on the basis as recorded; changing it needs a fresh decision; it stands as decided"
        )
    );
}
