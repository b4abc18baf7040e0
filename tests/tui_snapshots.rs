//! The screens drawn on the fictional demo data with a fixed clock, at 80×24 and
//! 120×40, compared with reviewed snapshots; plus tiny windows that must not panic.

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use caseshare::app::form::FormKind;
use caseshare::app::keymap;
use caseshare::app::{Action, App, View};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use caseshare::ui::{self, Theme};

struct Fixture {
    _dir: tempfile::TempDir,
    svc: Service,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build(&path, "tester", clock).unwrap();
    let store = Store::open(&path, OpenMode::Existing).unwrap();
    Fixture { svc: Service::open(store, "tester", clock).unwrap(), _dir: dir }
}

fn act(app: &mut App, svc: &mut Service, action: Action) {
    let effects = app.update(action);
    tui::run_effects(app, svc, effects);
}

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, app, &table, &Theme { color: false })).unwrap();
    terminal.backend().to_string()
}

fn screen(w: u16, h: u16, steps: &[Action]) -> String {
    let mut fx = fixture();
    let mut app = tui::start(&mut fx.svc, w, h).unwrap();
    for a in steps {
        act(&mut app, &mut fx.svc, a.clone());
    }
    draw(&app, w, h)
}

#[test]
fn home_screen_lists_overdue_first_with_the_checklist() {
    insta::assert_snapshot!("home_120x40", screen(120, 40, &[]));
    insta::assert_snapshot!("home_80x24", screen(80, 24, &[]));
}

#[test]
fn views_show_their_requests() {
    insta::assert_snapshot!("overdue_120x40", screen(120, 40, &[Action::SwitchView(View::Overdue)]));
    insta::assert_snapshot!("closed_80x24", screen(80, 24, &[Action::SwitchView(View::Closed)]));
}

#[test]
fn approval_form_offers_the_asset_owner_and_the_items() {
    // REQ-2026-0003 awaits approval (third in triage order).
    let open = [Action::Down, Action::Down, Action::OpenForm(FormKind::Approve)];
    insta::assert_snapshot!("approval_form_120x40", screen(120, 40, &open));
    insta::assert_snapshot!("approval_form_80x24", screen(80, 24, &open));
}

#[test]
fn tracker_log_case_note_and_help() {
    insta::assert_snapshot!("tracker_120x40", screen(120, 40, &[Action::Tracker]));
    insta::assert_snapshot!("tracker_80x24", screen(80, 24, &[Action::Tracker]));
    insta::assert_snapshot!("whole_log_120x40", screen(120, 40, &[Action::WholeLog]));
    insta::assert_snapshot!(
        "case_note_120x40",
        // REQ-2026-0013, sixth in triage order (after the overdue requests).
        screen(120, 40, &[Action::Down, Action::Down, Action::Down, Action::Down, Action::Down, Action::Letters])
    );
    insta::assert_snapshot!("help_80x24", screen(80, 24, &[Action::Help]));
    insta::assert_snapshot!("report_120x40", screen(120, 40, &[Action::Report]));
    insta::assert_snapshot!("report_80x24", screen(80, 24, &[Action::Report]));
}

#[test]
fn small_windows_ask_to_be_larger_and_never_panic() {
    let small = screen(20, 5, &[]);
    assert!(small.contains("larger"), "{small}");
    for (w, h) in [(1, 1), (79, 24), (80, 23), (20, 5)] {
        screen(w, h, &[Action::Help, Action::Back, Action::Tracker]);
    }
}
