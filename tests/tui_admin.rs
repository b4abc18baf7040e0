//! The administration screen on the fictional demo data: its tabs at 80×24, a
//! rename, a refused rename that keeps what was typed, a retirement asked y/n and
//! then missing from the new-request form, and a BSA refused at the first key.

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use caseshare::app::admin::AdminTab;
use caseshare::app::form::{FormKind, Values};
use caseshare::app::{Action, App, Screen, keymap};
use caseshare::service::lookup::VerifyCheck;
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use caseshare::ui::{self, Theme};

fn demo(login: &str) -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build(&path, "tester", clock).unwrap();
    let store = Store::open(&path, OpenMode::Existing).unwrap();
    (dir, Service::open(store, login, clock).unwrap())
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

fn type_text(app: &mut App, svc: &mut Service, text: &str) {
    for c in text.chars() {
        act(app, svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
}

/// Clears the focused one-line field.
fn clear(app: &mut App, svc: &mut Service) {
    for _ in 0..60 {
        act(app, svc, Action::Input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
    }
}

/// The administration screen on the Organisations tab, on the row named `name`.
fn on_org(app: &mut App, svc: &mut Service, name: &str) {
    act(app, svc, Action::Admin);
    assert_eq!(app.screen, Screen::Admin);
    act(app, svc, Action::NextField);
    act(app, svc, Action::NextField);
    assert_eq!(app.admin.tab, AdminTab::Orgs);
    let at = app.admin_rows().iter().position(|r| r.key == name).unwrap_or_else(|| panic!("no {name}"));
    for _ in 0..at {
        act(app, svc, Action::Down);
    }
}

fn verified(svc: &Service) {
    let report = svc.verify(&VerifyCheck { rebuild: true, ..Default::default() }).unwrap();
    assert!(report.ok(), "{:?}", report.differences);
}

#[test]
fn the_organisations_tab_at_80x24_shows_every_organisation_its_kind_and_the_keys() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    act(&mut app, &mut svc, Action::Admin);
    act(&mut app, &mut svc, Action::NextField);
    act(&mut app, &mut svc, Action::NextField);
    let shown = draw(&app, 80, 24);
    for tab in AdminTab::ALL {
        assert!(shown.contains(tab.label()), "tab {} missing:\n{shown}", tab.label());
    }
    for org in ["Exampleshire County Council", "Fictional Borough Council", "CAFCASS (demo)", "Demo Constabulary"] {
        assert!(shown.contains(org), "{org} missing:\n{shown}");
    }
    assert!(shown.contains("Local authority") && shown.contains("Police"), "{shown}");
    for hint in ["a add", "e rename", "x retire", "u reinstate", "Esc back"] {
        assert!(shown.contains(hint), "hint {hint} missing:\n{shown}");
    }
    insta::assert_snapshot!("admin_orgs_80x24", shown);
}

#[test]
fn every_tab_fits_80x24_and_120x40_with_its_selected_row_in_full() {
    let (_dir, mut svc) = demo("tester");
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = tui::start(&mut svc, w, h).unwrap();
        act(&mut app, &mut svc, Action::Admin);
        for tab in AdminTab::ALL {
            assert_eq!(app.admin.tab, tab);
            let shown = draw(&app, w, h);
            let first = app.admin_rows().into_iter().next().expect("every demo tab has rows");
            assert!(shown.contains(&first.cells[0]), "{tab:?} at {w}x{h}:\n{shown}");
            assert!(shown.contains(" Selected "), "{shown}");
            act(&mut app, &mut svc, Action::NextField);
        }
        assert_eq!(app.admin.tab, AdminTab::Staff, "Tab goes round");
    }
}

#[test]
fn an_organisation_renamed_on_screen_is_renamed_everywhere_and_verify_passes() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Fictional Borough Council");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::AdminRename));
    assert_eq!(app.form.as_ref().map(|f| f.kind()), Some(FormKind::AdminRename));
    clear(&mut app, &mut svc);
    type_text(&mut app, &mut svc, "Fictional Borough Council (unitary)");
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert!(
        app.admin_rows().iter().any(|r| r.key == "Fictional Borough Council (unitary)"),
        "the screen shows the new name"
    );
    assert!(svc.organisations().unwrap().iter().any(|o| o.name == "Fictional Borough Council (unitary)"));
    assert!(app.lookups.orgs.iter().all(|o| o.name != "Fictional Borough Council"), "the pickers have it too");
    verified(&svc);
}

#[test]
fn a_refused_rename_keeps_what_was_typed_under_the_reason() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Fictional Borough Council");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::AdminRename));
    clear(&mut app, &mut svc);
    type_text(&mut app, &mut svc, "Demo Constabulary");
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().expect("the form stays open");
    let error = form.error.clone().unwrap_or_default();
    assert_eq!(
        error,
        "refused (already recorded): organisation 'Demo Constabulary' already exists; choose another name, or retire one of the two"
    );
    let Values::AdminRename(v) = form.values() else { panic!("a rename form") };
    assert_eq!(v.text, "Demo Constabulary", "what was typed survives the refusal");
    assert!(draw(&app, 80, 24).contains("refused (already recorded)"));
}

#[test]
fn a_retirement_is_asked_y_n_then_the_organisation_is_offered_for_no_new_request_until_reinstated() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Imaginary City Council");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::AdminRetire));
    let form = app.form.as_ref().expect("asked first");
    assert!(form.confirming, "checked, then y/n");
    assert!(form.question.as_deref().unwrap_or_default().starts_with("Retire organisation 'Imaginary City Council'?"));
    act(&mut app, &mut svc, Action::No);
    act(&mut app, &mut svc, Action::Back);
    assert!(app.form.is_none());
    assert!(svc.organisations().unwrap().iter().all(|o| o.retired_on.is_none()), "n changes nothing");

    act(&mut app, &mut svc, Action::OpenForm(FormKind::AdminRetire));
    act(&mut app, &mut svc, Action::Yes);
    assert!(app.form.is_none());
    let row = app.admin_rows().into_iter().find(|r| r.key == "Imaginary City Council").unwrap();
    assert!(row.retired && row.cells[2].starts_with("retired "), "{row:?}");
    assert!(!offered(&mut app, &mut svc).contains("Imaginary City Council"), "retired: not offered");
    verified(&svc);

    act(&mut app, &mut svc, Action::OpenForm(FormKind::AdminReinstate));
    act(&mut app, &mut svc, Action::Yes);
    assert!(offered(&mut app, &mut svc).contains("Imaginary City Council"), "reinstated: offered again");
    verified(&svc);
}

/// Every option the new-request form's pickers offer, as text (opened from the
/// request list and closed again, back on the administration screen's tab).
fn offered(app: &mut App, svc: &mut Service) -> String {
    let tab = app.admin.tab;
    act(app, svc, Action::Back);
    act(app, svc, Action::NewRequest);
    let form = app.form.as_ref().expect("the new-request form");
    let options = form.fields.inputs().iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join("\n");
    act(app, svc, Action::Back);
    assert!(app.form.is_none());
    act(app, svc, Action::Admin);
    while app.admin.tab != tab {
        act(app, svc, Action::NextField);
    }
    options
}

#[test]
fn a_bsa_may_look_but_every_key_that_changes_something_is_refused_at_once() {
    let (_dir, mut svc) = demo(caseshare::demo::BSA1);
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Demo Constabulary");
    for kind in [FormKind::StaffAdd, FormKind::AdminRename, FormKind::AdminRetire, FormKind::AdminReinstate] {
        act(&mut app, &mut svc, Action::OpenForm(kind));
        assert!(app.form.is_none(), "{kind:?} opened a form");
        let shown = draw(&app, 80, 24);
        assert!(shown.contains("refused (permission): demo.bsa1 is not an administrator"), "{kind:?}:\n{shown}");
    }
}

#[test]
fn a_key_that_does_not_apply_to_the_tab_says_where_it_does() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    act(&mut app, &mut svc, Action::Admin);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::AreaOwner));
    assert!(app.form.is_none());
    assert!(draw(&app, 80, 24).contains("o sets the asset owner on the Service areas tab"));
    act(&mut app, &mut svc, Action::NextField);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::AreaOwner));
    assert_eq!(app.form.as_ref().map(|f| f.kind()), Some(FormKind::AreaOwner));
}

#[test]
fn a_setting_edited_and_a_holiday_added_then_removed_on_screen_are_kept_and_verify_passes() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    act(&mut app, &mut svc, Action::Admin);
    while app.admin.tab != AdminTab::Settings {
        act(&mut app, &mut svc, Action::NextField);
    }
    assert_eq!(app.admin_rows()[0].key, "target.form_returned");
    act(&mut app, &mut svc, Action::Open);
    assert_eq!(app.form.as_ref().map(|f| f.kind()), Some(FormKind::AdminSetting));
    clear(&mut app, &mut svc);
    type_text(&mut app, &mut svc, "0");
    act(&mut app, &mut svc, Action::Save);
    let error = app.form.as_ref().and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(error.contains("is not a number of working days (1 to 365)"), "{error}");
    clear(&mut app, &mut svc);
    type_text(&mut app, &mut svc, "12");
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none());
    assert_eq!(svc.settings().targets.form_returned, 12);
    assert_eq!(app.admin_rows()[0].cells[1], "12", "the tab shows the new value");

    act(&mut app, &mut svc, Action::NextField);
    assert_eq!(app.admin.tab, AdminTab::Holidays);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::StaffAdd));
    assert_eq!(app.form.as_ref().map(|f| f.kind()), Some(FormKind::HolidayAdd), "a on Holidays adds a holiday");
    type_text(&mut app, &mut svc, "15/06/2026");
    act(&mut app, &mut svc, Action::NextField);
    type_text(&mut app, &mut svc, "Council foundation day");
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let at = app.admin_rows().iter().position(|r| r.key == "2026-06-15").expect("listed");
    assert_eq!(app.admin_rows()[at].cells[1], "Council foundation day");
    app.admin.selected = 0;
    for _ in 0..at {
        act(&mut app, &mut svc, Action::Down);
    }
    act(&mut app, &mut svc, Action::OpenForm(FormKind::AdminRetire));
    assert_eq!(app.form.as_ref().map(|f| (f.kind(), f.confirming)), Some((FormKind::HolidayRemove, true)));
    act(&mut app, &mut svc, Action::Yes);
    assert!(app.admin_rows().iter().all(|r| r.key != "2026-06-15"), "removed");
    verified(&svc);
}

#[test]
fn an_alias_is_added_and_removed_on_the_organisations_tab_and_a_clash_is_refused_keeping_the_text() {
    let (_dir, mut svc) = demo("tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Exampleshire County Council");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::OrgAlias));
    assert_eq!(app.form.as_ref().map(|f| f.kind()), Some(FormKind::OrgAlias));
    type_text(&mut app, &mut svc, "Exampleshire CC");
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let row = app.admin_rows().into_iter().find(|r| r.key == "Exampleshire County Council").unwrap();
    assert_eq!(row.cells.last().map(String::as_str), Some("Exampleshire CC"), "{row:?}");
    assert!(draw(&app, 120, 40).contains("Exampleshire CC"));
    let stored = svc.organisations_with_aliases().unwrap();
    let (_, aliases) = stored.iter().find(|(o, _)| o.name == "Exampleshire County Council").unwrap();
    assert_eq!(aliases, &["Exampleshire CC".to_string()]);

    // The same alias for another organisation is refused, and what was typed stays.
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Fictional Borough Council");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::OrgAlias));
    type_text(&mut app, &mut svc, "EXAMPLESHIRE cc");
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().expect("the form stays open");
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("already an alias of Exampleshire County Council"), "{error}");
    let Values::OrgAlias(v) = form.values() else { panic!("an alias form") };
    assert_eq!(v.text, "EXAMPLESHIRE cc");

    // Removed by choosing it.
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    on_org(&mut app, &mut svc, "Exampleshire County Council");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::OrgUnalias));
    act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Right)));
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let row = app.admin_rows().into_iter().find(|r| r.key == "Exampleshire County Council").unwrap();
    assert_eq!(row.cells.last().map(String::as_str), Some(""), "{row:?}");
    verified(&svc);
}
