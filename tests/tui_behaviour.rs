//! TUI behaviour on a real demo database, in process: conflicting saves, stored
//! escape sequences, NO_COLOR.

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use caseshare::app::form::fields::*;
use caseshare::app::form::{DateText, FormKind, Values};
use caseshare::app::keymap;
use caseshare::app::{Action, App};
use caseshare::service::forms::ItemForm;
use caseshare::service::op::{Change, On, Op};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use caseshare::ui::{self, Theme};

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

fn render(app: &App, theme: Theme) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, app, &table, &theme)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buf: &ratatui::buffer::Buffer) -> String {
    buf.content().iter().map(|c| c.symbol()).collect()
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    caseshare::demo::build(&path, "tester", clock()).unwrap();
    (dir, path)
}

#[test]
fn a_save_that_conflicts_with_another_users_change_is_refused_and_keeps_the_form() {
    let (_dir, path) = demo();
    let mut mine = open(&path, "tester");
    let mut app = tui::start(&mut mine, 120, 40).unwrap();
    // REQ-2026-0003 (third in triage order) awaits approval; open "add item" on it.
    act(&mut app, &mut mine, Action::Down);
    act(&mut app, &mut mine, Action::Down);
    assert_eq!(app.selected_reference(), Some("REQ-2026-0003"));
    act(&mut app, &mut mine, Action::OpenForm(FormKind::AddItem));
    for c in "Health visitor notes".chars() {
        act(
            &mut app,
            &mut mine,
            Action::Input(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c))),
        );
    }

    // Meanwhile another BSA records an item on the same request.
    let mut theirs = open(&path, "demo.bsa1");
    let item = ItemForm { description: "School reports".into(), third_party: String::new() };
    theirs.apply(Op::Change(On::latest("REQ-2026-0003"), Change::AddItem(item))).unwrap();

    act(&mut app, &mut mine, Action::Save);
    let form = app.form.as_ref().expect("the form stays open");
    let error = form.error.as_deref().unwrap();
    assert!(error.contains("conflict") && error.contains("changed by demo.bsa1"), "{error}");
    let Values::AddItem(typed) = form.values() else { panic!("add-item values") };
    assert_eq!(typed.description, "Health visitor notes", "what was typed is kept");
    let shown = text(&render(&app, Theme { color: false }));
    assert!(shown.contains("changed by demo.bsa1"), "the refusal is on screen");

    // Having seen the other change, saving again records the item.
    act(&mut app, &mut mine, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let items: Vec<String> =
        mine.request("REQ-2026-0003").unwrap().items.iter().map(|i| i.description.clone()).collect();
    assert!(
        items.contains(&"School reports".to_string()) && items.contains(&"Health visitor notes".to_string()),
        "{items:?}"
    );
}

#[test]
fn escape_sequences_stored_behind_the_tools_back_are_drawn_harmlessly() {
    let (_dir, path) = demo();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE subjects SET name = 'Evil\u{1b}]0;pwned\u{7}\u{1b}[2J' WHERE mosaic_id = 'DEMO-1006'", [])
        .unwrap();
    drop(conn);
    let mut svc = open(&path, "tester");
    let app = tui::start(&mut svc, 120, 40).unwrap();
    let buf = render(&app, Theme { color: true });
    let all = text(&buf);
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "raw control characters reached the screen");
    assert!(all.contains("Evil\\u{1b}]0;pwned"), "the name is shown with its controls made visible");
}

#[test]
fn no_color_draws_without_colours_but_still_marks_overdue_requests() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let app = tui::start(&mut svc, 120, 40).unwrap();
    let plain = render(&app, Theme { color: false });
    assert!(plain.content().iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    assert!(text(&plain).contains("! REQ-2026-0006"), "overdue reads without colour");
    let coloured = render(&app, Theme { color: true });
    assert!(coloured.content().iter().any(|c| c.fg == Color::Red), "overdue is red with colour");
}

#[test]
fn export_and_a_dry_run_import_from_the_tui() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let book = dir.path().join("from-tui.xlsx");
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Export));
    act(&mut app, &mut svc, Action::NextField);
    // Replace the suggested file name.
    for _ in 0.."caseshare-export.xlsx".len() {
        act(&mut app, &mut svc, Action::Input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
    }
    for c in book.to_str().unwrap().chars() {
        act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert!(book.exists());
    let shown = text(&render(&app, Theme { color: false }));
    assert!(shown.contains("Exported 18 requests and 5 viewings"), "{shown}");

    // Importing the same workbook back, as a dry run (the default): every request is already there.
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Import));
    for c in book.to_str().unwrap().chars() {
        act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let shown = text(&render(&app, Theme { color: false }));
    assert!(shown.contains("Dry run: would import 0 requests and 0 viewings (23 already present)"), "{shown}");
}

#[test]
fn an_approval_refused_for_a_conflict_shows_the_new_item_unticked_before_a_second_save() {
    let (_dir, path) = demo();
    let mut mine = open(&path, "tester");
    let mut app = tui::start(&mut mine, 120, 40).unwrap();
    act(&mut app, &mut mine, Action::Down);
    act(&mut app, &mut mine, Action::Down);
    assert_eq!(app.selected_reference(), Some("REQ-2026-0003"));
    act(&mut app, &mut mine, Action::OpenForm(FormKind::Approve));
    let approval = |form: &caseshare::app::form::Form| match form.values() {
        Values::Approve(v) => v,
        other => panic!("approval values, not {other:?}"),
    };
    assert_eq!(approval(app.form.as_ref().unwrap()).items, vec![1, 2, 3]);
    for _ in 0..3 {
        act(&mut app, &mut mine, Action::NextField);
    }
    for c in "Necessary for the assessment".chars() {
        act(
            &mut app,
            &mut mine,
            Action::Input(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c))),
        );
    }

    let mut theirs = open(&path, "demo.bsa1");
    let item = ItemForm { description: "Core group minutes".into(), third_party: String::new() };
    theirs.apply(Op::Change(On::latest("REQ-2026-0003"), Change::AddItem(item))).unwrap();

    act(&mut app, &mut mine, Action::Save);
    let form = app.form.as_ref().expect("kept open");
    assert!(form.error.as_deref().unwrap().contains("check it, then save again"), "{:?}", form.error);
    let Fields::Approve(fields) = &form.fields else { panic!("approval fields") };
    let labels: Vec<(&str, bool)> = fields.items.options().collect();
    assert_eq!(labels.last().unwrap(), &("4. Core group minutes", false), "{labels:?}");
    assert_eq!(approval(form).items, vec![1, 2, 3], "the ticks made before are kept");
    assert_eq!(approval(form).reason, "Necessary for the assessment", "what was typed is kept");
    let shown = text(&render(&app, Theme { color: false }));
    assert!(shown.contains("[ ] 4. Core group minutes"), "the new item is on screen");
}

#[test]
fn a_request_just_recorded_is_selected_and_shown() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let before = app.selected_reference().map(str::to_string);
    let s = |s: &str| s.to_string();
    let values = Values::NewRequest(NewRequestValues {
        request: RequestValues {
            received: DateText(s("today")),
            channel: Some(caseshare::domain::Channel::Email),
            organisation: Some(s("Imaginary City Council")),
            requester_name: s("Ada Newform"),
            requester_role: s("Social worker"),
            requester_email: s("ada@example.invalid"),
            requester_phone: String::new(),
            subject_name: s("Zed Justmade"),
            subject_mosaic: s("DEMO-4242"),
            subject_dob: DateText::default(),
            more_subjects: String::new(),
            purpose: s("Care proceedings"),
            service_area: Some(s("Family Support")),
        },
        format: Some(caseshare::domain::Format::Paper),
    });
    let submit = caseshare::app::Effect::Submit(caseshare::app::Save {
        reference: None,
        version: None,
        values,
        confirmed: vec![],
    });
    tui::run_effects(&mut app, &mut svc, vec![submit]);
    let made = svc.list(&tui::list_filter(&app)).unwrap().into_iter().find(|r| r.subjects == "Zed Justmade").unwrap();
    assert_ne!(before.as_deref(), Some(made.reference.as_str()));
    assert_eq!(app.selected_reference(), Some(made.reference.as_str()), "the new request is selected");
    assert_eq!(app.detail.as_ref().map(|d| d.file.request.reference.as_str()), Some(made.reference.as_str()));
    assert!(text(&render(&app, Theme { color: false })).contains("Zed Justmade"));
}

fn event_count(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
}

fn type_text(app: &mut App, svc: &mut Service, text: &str) {
    for c in text.chars() {
        act(
            app,
            svc,
            Action::Input(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c))),
        );
    }
}

#[test]
fn an_irreversible_step_is_checked_before_the_y_n_question_and_only_y_saves_it() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let reference = app.selected_reference().unwrap().to_string();
    let events = event_count(&path);

    // A withdrawal without its reason is refused at once: no question asked.
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Withdraw));
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().unwrap();
    assert!(!form.confirming, "a save the rules refuse asks nothing");
    assert!(form.error.as_deref().unwrap().contains("reason"), "{:?}", form.error);

    // With a reason, the rules allow it: now the question, and still nothing written.
    act(&mut app, &mut svc, Action::NextField);
    type_text(&mut app, &mut svc, "Requester no longer needs to view (fictional)");
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().unwrap();
    assert!(form.confirming, "{:?}", form.error);
    assert!(text(&render(&app, Theme { color: false })).contains("This cannot be undone. Save it? y / n"));
    assert_eq!(event_count(&path), events, "checking wrote nothing");
    assert_ne!(svc.request(&reference).unwrap().request.status, caseshare::domain::Status::Withdrawn);

    // n goes back; y saves.
    act(&mut app, &mut svc, Action::No);
    act(&mut app, &mut svc, Action::Save);
    act(&mut app, &mut svc, Action::Yes);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert_eq!(svc.request(&reference).unwrap().request.status, caseshare::domain::Status::Withdrawn);
    assert_eq!(event_count(&path), events + 1);
}

#[test]
fn the_correction_form_opens_with_the_details_as_they_are_and_saves_only_the_change() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let reference = app.selected_reference().unwrap().to_string();
    let before = svc.request(&reference).unwrap().request;
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Correct));
    let form = app.form.as_ref().unwrap();
    let Values::Correct(shown) = form.values() else { panic!("correction values") };
    assert_eq!(shown.requester_name, before.requester.name);
    assert_eq!(shown.purpose, before.purpose);
    // The email, corrected at its end.
    act(&mut app, &mut svc, Action::NextField);
    act(&mut app, &mut svc, Action::NextField);
    act(
        &mut app,
        &mut svc,
        Action::Input(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::End)),
    );
    type_text(&mut app, &mut svc, ".uk");
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let after = svc.request(&reference).unwrap().request;
    assert_eq!(after.requester.email, format!("{}.uk", before.requester.email));
    assert_eq!(after.requester.name, before.requester.name);
    assert_eq!(svc.log(Some(&reference), 1).unwrap()[0].op, "correct");
}

#[test]
fn a_long_line_in_a_several_line_field_wraps_inside_the_form() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Withdraw));
    act(&mut app, &mut svc, Action::NextField);
    let words = "The requesting authority closed its enquiry and no longer needs to view the files at all";
    type_text(&mut app, &mut svc, words);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, &app, &table, &Theme { color: false })).unwrap();
    let screen = text(terminal.backend().buffer());
    // Every word is on screen: the start of the line did not scroll out of sight.
    for w in ["requesting", "enquiry", "needs", "files", "all"] {
        assert!(screen.contains(w), "{w} not shown:\n{screen}");
    }
}

#[test]
fn at_80_columns_a_long_screen_name_gives_way_to_who_and_the_date() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 80, 24).unwrap();
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "exampleshire");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, &app, &table, &Theme { color: false })).unwrap();
    let first: String = (0..80).map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_string()).collect();
    assert!(first.contains(" Requests: search, open and … tester"), "{first:?}");
    assert!(first.trim_end().ends_with("tester (admin,bsa,manager)  24/11/2026"), "{first:?}");
}

#[test]
fn another_users_change_reloads_a_kept_tracker_search_without_recording_a_lookup() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    act(&mut app, &mut svc, Action::Tracker);
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, "Fictional");
    act(&mut app, &mut svc, Action::EndFilter);
    let lookups = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM events WHERE op = 'who_viewed'", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(lookups(&path), 2, "opening the tracker is one lookup, keeping the search another");
    act(&mut app, &mut svc, Action::Down);
    let selected = app.tracker.selected_reference().map(str::to_string);
    // Others save things; each time the screen reloads, and no lookup is recorded.
    for n in 0..3 {
        let mut other = open(&path, "tester");
        other.holiday_add(&format!("2027-03-0{}", n + 1), "Fictional day off").unwrap();
        tui::refresh(&mut app, &mut svc);
    }
    assert_eq!(lookups(&path), 2, "a reload is not somebody looking something up");
    assert_eq!(app.tracker.selected_reference().map(str::to_string), selected, "the selection stays on its request");
}

/// Shows `view` filtered by `text` and returns the reference selected.
fn select(app: &mut App, svc: &mut Service, view: caseshare::app::View, text: &str) -> String {
    act(app, svc, Action::SwitchView(view));
    act(app, svc, Action::StartFilter);
    type_text(app, svc, text);
    act(app, svc, Action::EndFilter);
    app.selected_reference().expect("a request matches").to_string()
}

/// Saves the open form, answering y if it asks; the form must close.
fn save_form(app: &mut App, svc: &mut Service) {
    act(app, svc, Action::Save);
    if app.form.as_ref().is_some_and(|f| f.confirming) {
        act(app, svc, Action::Yes);
    }
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
}

/// Refers the first open incident of the selected request from its form.
fn refer_from_the_form(app: &mut App, svc: &mut Service, ig_ref: &str) {
    act(app, svc, Action::OpenForm(FormKind::IncidentReferred));
    act(app, svc, Action::NextField);
    act(app, svc, Action::NextField);
    type_text(app, svc, ig_ref);
    save_form(app, svc);
}

#[test]
fn withdrawing_with_an_unreferred_incident_is_refused_at_the_check_until_it_is_referred() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let reference = select(&mut app, &mut svc, caseshare::app::View::AllOpen, "DEMO-1013");
    let incident = svc.request(&reference).unwrap().open_incidents().next().expect("the demo's open incident").id;
    let events = event_count(&path);

    act(&mut app, &mut svc, Action::OpenForm(FormKind::Withdraw));
    act(&mut app, &mut svc, Action::NextField);
    type_text(&mut app, &mut svc, "Requester no longer needs to view (fictional)");
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().unwrap();
    assert!(!form.confirming, "a withdrawal the rules refuse asks nothing");
    assert_eq!(
        form.error.as_deref(),
        Some(
            format!(
                "refused (incident): incident {incident} (viewing not supervised throughout) is not referred to information governance, so {reference} cannot be withdrawn; refer it to information governance first"
            )
            .as_str()
        )
    );
    assert_eq!(event_count(&path), events, "checking wrote nothing");
    act(&mut app, &mut svc, Action::Back);
    if app.form.is_some() {
        act(&mut app, &mut svc, Action::Yes);
    }
    assert!(app.form.is_none());

    refer_from_the_form(&mut app, &mut svc, "IG-2026-40");
    let file = svc.request(&reference).unwrap();
    assert_eq!(file.incidents[0].ig_ref.as_deref(), Some("IG-2026-40"));
    // Something was shared, so its case note comes before the withdrawal.
    act(&mut app, &mut svc, Action::OpenForm(FormKind::CaseNoteRecorded));
    act(&mut app, &mut svc, Action::NextField);
    type_text(&mut app, &mut svc, "CN-40");
    save_form(&mut app, &mut svc);

    act(&mut app, &mut svc, Action::OpenForm(FormKind::Withdraw));
    act(&mut app, &mut svc, Action::NextField);
    type_text(&mut app, &mut svc, "Requester no longer needs to view (fictional)");
    save_form(&mut app, &mut svc);
    assert_eq!(svc.request(&reference).unwrap().request.status, caseshare::domain::Status::Withdrawn);
}

#[test]
fn an_incident_on_a_request_closed_before_the_rule_is_referred_from_the_tui() {
    let (_dir, path) = demo();
    // Closed behind the tool's back, as a request withdrawn before the rule was.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE requests SET withdrawn_on = '2026-11-20', withdraw_reason = 'Withdrawn before the rule (fictional)',
                status = 'withdrawn'
          WHERE id = (SELECT request_id FROM subjects WHERE mosaic_id = 'DEMO-1013')",
        [],
    )
    .unwrap();
    drop(conn);
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let reference = select(&mut app, &mut svc, caseshare::app::View::Closed, "DEMO-1013");
    assert_eq!(svc.request(&reference).unwrap().request.status, caseshare::domain::Status::Withdrawn);

    refer_from_the_form(&mut app, &mut svc, "IG-2026-41");
    let file = svc.request(&reference).unwrap();
    assert!(file.open_incidents().next().is_none(), "the incident is referred");
    assert_eq!(file.incidents[0].ig_ref.as_deref(), Some("IG-2026-41"));
    assert_eq!(file.request.status, caseshare::domain::Status::Withdrawn, "referring does not reopen it");
}

#[test]
fn the_tracker_finds_a_mosaic_id_typed_in_lower_case() {
    let (_dir, path) = demo();
    let mut svc = open(&path, "tester");
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let mut found = |typed: &str| -> Vec<i64> {
        act(&mut app, &mut svc, Action::Tracker);
        act(&mut app, &mut svc, Action::StartFilter);
        type_text(&mut app, &mut svc, typed);
        act(&mut app, &mut svc, Action::EndFilter);
        assert!(app.tracker.rows.iter().all(|r| r.mosaic_ids.contains("DEMO-1008")), "{:?}", app.tracker.rows);
        let ids = app.tracker.rows.iter().map(|r| r.viewing_id).collect();
        act(&mut app, &mut svc, Action::Back);
        act(&mut app, &mut svc, Action::Back);
        ids
    };
    let exact = found("DEMO-1008");
    assert!(!exact.is_empty(), "the demo's DEMO-1008 was viewed");
    assert_eq!(found("demo-1008"), exact);
}
