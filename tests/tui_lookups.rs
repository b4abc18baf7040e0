//! Lookups through the TUI face (App::update + run_effects on a real demo database):
//! every lookup that showed someone's viewings is recorded by the service once its
//! query is settled, and once a session.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use caseshare::app::{Action, App, Screen};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;

fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap())
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    caseshare::demo::build(&path, "tester", clock()).unwrap();
    (dir, path)
}

fn start(path: &std::path::Path) -> (App, Service) {
    let mut svc = Service::open(Store::open(path, OpenMode::Existing).unwrap(), "tester", clock()).unwrap();
    let app = tui::start(&mut svc, 120, 40).unwrap();
    (app, svc)
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

/// The `after` of every event with this op, oldest first.
fn recorded(path: &std::path::Path, op: &str) -> Vec<serde_json::Value> {
    let reader = Service::open(Store::open(path, OpenMode::Existing).unwrap(), "tester", clock()).unwrap();
    let mut log = reader.log(None, 100_000).unwrap();
    log.sort_by_key(|e| e.id);
    log.into_iter().filter(|e| e.op == op).map(|e| serde_json::from_str(&e.after).unwrap()).collect()
}

fn who_viewed(path: &std::path::Path) -> Vec<serde_json::Value> {
    recorded(path, "who_viewed")
}

#[test]
fn opening_the_tracker_records_every_childs_viewings_once_a_session() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    assert!(who_viewed(&path).is_empty(), "the list alone is no lookup of viewings");
    act(&mut app, &mut svc, Action::Tracker);
    let log = who_viewed(&path);
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["settled"], "opened");
    assert_eq!(log[0]["rows"], app.tracker.rows.len());
    assert!(app.tracker.rows.len() > 1, "every child's viewings are shown");
    // Leaving and coming back shows the same query: not recorded again.
    act(&mut app, &mut svc, Action::Back);
    assert_eq!(app.screen, Screen::Requests);
    act(&mut app, &mut svc, Action::Tracker);
    assert_eq!(who_viewed(&path).len(), 1);
}

#[test]
fn a_search_seen_while_typing_and_left_with_esc_is_recorded() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    act(&mut app, &mut svc, Action::Tracker);
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "demo-1008");
    assert!(!app.tracker.rows.is_empty(), "the results are on screen");
    assert_eq!(who_viewed(&path).len(), 1, "still typing: not settled");
    act(&mut app, &mut svc, Action::Back);
    let log = who_viewed(&path);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1]["query"]["text"], "demo-1008");
    assert_eq!(log[1]["settled"], "esc");
    assert!(log[1]["rows"].as_u64().unwrap() >= 1);
    // The steps of the typing ("d", "de", …) were never settled.
    assert!(log.iter().all(|e| e["query"]["text"] != "demo-100"), "{log:?}");
}

#[test]
fn typing_then_enter_records_once_and_a_refresh_of_it_does_not_record_again() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    act(&mut app, &mut svc, Action::Tracker);
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "Fictional");
    act(&mut app, &mut svc, Action::EndFilter);
    let log = who_viewed(&path);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!((log[1]["query"]["text"].as_str(), log[1]["settled"].as_str()), (Some("Fictional"), Some("enter")));
    // Another user's change reloads the same query.
    let mut other = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock()).unwrap();
    other.holiday_add("2027-03-01", "Fictional day off").unwrap();
    tui::refresh(&mut app, &mut svc);
    assert_eq!(who_viewed(&path).len(), 2, "a refresh is nobody looking anything up");
    // Esc clears the kept search back to every child's viewings, recorded already.
    act(&mut app, &mut svc, Action::Back);
    assert_eq!(who_viewed(&path).len(), 2);
}

#[test]
fn a_search_that_stands_a_second_with_no_key_is_settled() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    act(&mut app, &mut svc, Action::Tracker);
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "demo-1008");
    // The loop's idle tick, a moment after the last key: not yet.
    svc.settle_idle(Instant::now()).unwrap();
    assert_eq!(who_viewed(&path).len(), 1);
    // Two seconds later: settled, without Enter.
    svc.settle_idle(Instant::now() + Duration::from_secs(2)).unwrap();
    let log = who_viewed(&path);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1]["settled"], "idle");
    // Enter afterwards keeps what was already recorded: once.
    act(&mut app, &mut svc, Action::EndFilter);
    assert_eq!(who_viewed(&path).len(), 2);
}

#[test]
fn a_list_search_left_with_esc_is_recorded_by_the_service_once() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "exampleshire");
    assert!(recorded(&path, "lookup").is_empty(), "still typing");
    act(&mut app, &mut svc, Action::Back);
    let log = recorded(&path, "lookup");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0]["search"].as_str(), log[0]["settled"].as_str()), (Some("exampleshire"), Some("esc")));
    // The same search again, kept with Enter: this session recorded it already.
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "exampleshire");
    act(&mut app, &mut svc, Action::EndFilter);
    assert_eq!(recorded(&path, "lookup").len(), 1);
}

#[test]
fn a_list_search_typed_back_below_three_letters_before_it_settled_is_not_recorded() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "exa");
    for _ in 0..2 {
        act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Backspace)));
    }
    svc.settle_idle(Instant::now() + Duration::from_secs(2)).unwrap();
    act(&mut app, &mut svc, Action::EndFilter);
    assert!(recorded(&path, "lookup").is_empty(), "{:?}", recorded(&path, "lookup"));
}

#[test]
fn jumping_from_the_tracker_to_a_request_is_not_a_search_for_a_person() {
    let (_dir, path) = demo();
    let (mut app, mut svc) = start(&path);
    act(&mut app, &mut svc, Action::Tracker);
    act(&mut app, &mut svc, Action::Open);
    assert_eq!(app.screen, Screen::Requests);
    assert!(app.filter.starts_with("REQ-"), "{}", app.filter);
    assert!(recorded(&path, "lookup").is_empty());
    assert_eq!(who_viewed(&path).len(), 1);
}
