//! Issue 10, the viewing steps through the TUI, against a real service on a database
//! built with the CLI: the same refusals as `tests/cli_visit_steps.rs`, shown on screen.

mod common;

use caseshare::app::form::fields::*;
use caseshare::app::form::input::{Checks, Choice, Date, Text};
use caseshare::app::form::{Form, FormKind, Values};
use caseshare::app::{Action, App, Notice, View};
use caseshare::domain::Step;
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use common::*;

fn open(db: &Db) -> Service {
    Service::open(Store::open(&db.path, OpenMode::Existing).unwrap(), &me(), Clock::System).unwrap()
}

fn act(app: &mut App, svc: &mut Service, action: Action) {
    let effects = app.update(action);
    tui::run_effects(app, svc, effects);
}

fn type_text(app: &mut App, svc: &mut Service, text: &str) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    for c in text.chars() {
        act(app, svc, Action::Input(KeyEvent::from(KeyCode::Char(c))));
    }
}

/// The app started on `db`, with `reference` selected in the list of every open request.
fn started_on(db: &Db, reference: &str) -> (Service, App) {
    started_in(db, reference, View::AllOpen)
}

/// The app started on `db`, with `reference` selected in `view`.
fn started_in(db: &Db, reference: &str, view: View) -> (Service, App) {
    let mut svc = open(db);
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    act(&mut app, &mut svc, Action::SwitchView(view));
    act(&mut app, &mut svc, Action::StartFilter);
    type_text(&mut app, &mut svc, reference);
    act(&mut app, &mut svc, Action::EndFilter);
    assert_eq!(app.selected_reference(), Some(reference));
    (svc, app)
}

/// Moves the checklist cursor to `step` and presses Enter on it.
fn enter_on_step(app: &mut App, svc: &mut Service, step: Step) {
    act(app, svc, Action::Open);
    while app.detail.as_ref().unwrap().lines[app.detail.as_ref().unwrap().cursor].step != step {
        act(app, svc, Action::Down);
    }
    act(app, svc, Action::Open);
}

/// The viewing form with item 1 shown, supervised by SUPERVISOR, 20 days ago.
fn fill_viewing(form: &mut Form) {
    let Fields::Viewing(f) = &mut form.fields else { panic!("a viewing form") };
    f.day = Date::new("Date", &uk_ago(20), "");
    f.start = Text::line("Start", "10:00", "");
    f.end = Text::line("End", "11:30", "");
    f.viewers = Text::line("Viewer(s)", "Rita Madeup", "");
    f.supervisor =
        Choice::new("LCC supervisor", vec![(SUPERVISOR.to_string(), "Sue".into())], Some(&SUPERVISOR.into()));
    f.items = Checks::new("Items shown", vec![(1, "1.".into(), true)]);
    let yes_no = || vec![(true, "Yes".to_string()), (false, "No".to_string())];
    f.supervised = Choice::new("Supervised throughout", yes_no(), Some(&true));
    f.confirmed_by =
        Choice::new("Confirmed by", vec![(SUPERVISOR.to_string(), "Sue".into())], Some(&SUPERVISOR.into()));
    // Asked of a screen share only (a paper viewing leaves them unanswered).
    f.lcc_devices = Choice::new("Only LCC devices, logins", yes_no(), Some(&true));
    f.downloaded = Choice::new("Anything downloaded", yes_no(), Some(&false));
}

/// A request approved and booked, step 6 not done (targets long enough that nothing is overdue).
fn confirmed_without_step_6(db: &Db, format: &str) -> String {
    db.ok(&["settings", "set", "target.viewing", "60"]);
    let r = db.preparing(format);
    let (venue, room) = if format == "digital" { ("teams_room", "Teams Room") } else { ("room", "Room A") };
    db.ok(&["book", &r, "--venue", venue, "--room", room, "--day", &ago(20), "--start", "10:00", "--end", "11:30"]);
    db.ok(&["confirm", &r, "--date", &ago(30)]);
    r
}

#[test]
fn step_9_of_a_paper_request_says_why_until_step_6_is_done_and_a_save_is_refused_the_same_way() {
    let db = Db::standard();
    let r = confirmed_without_step_6(&db, "paper");
    let (mut svc, mut app) = started_on(&db, &r);
    enter_on_step(&mut app, &mut svc, Step::Viewing);
    let expected = "'Viewing(s) logged' needs step 6 first: the files are not recorded as restored, and the Mosaic checks (location updated, not locked) are not recorded";
    match &app.notice {
        Some(Notice::Error(e)) => assert_eq!(e, &format!("Step 9: {expected}; record step 6 first")),
        other => panic!("expected an error notice, got {other:?}"),
    }
    assert!(app.form.is_none(), "no form opens on a blocked step");

    // A viewing form opened anyway (from its key) is refused at save, with the CLI's words.
    let before = db.events();
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    fill_viewing(app.form.as_mut().unwrap());
    act(&mut app, &mut svc, Action::Save);
    let error = app.form.as_ref().expect("kept open").error.clone().unwrap();
    assert_eq!(error, format!("refused (step order): {expected}; record step 6 first"));
    assert_eq!(db.events(), before);

    db.ok(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(33)]);
    db.ok(&["restored", &r, "--date", &ago(31)]);
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    // Changed meanwhile (by the CLI): the first save reloads the form, the second saves.
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.as_ref().unwrap().error.as_deref().unwrap().contains("refused (conflict)"));
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert_eq!(db.status(&r), "viewed");
}

#[test]
fn step_9_of_a_digital_request_waits_only_on_the_mosaic_checks() {
    let db = Db::standard();
    let r = confirmed_without_step_6(&db, "digital");
    let (mut svc, mut app) = started_on(&db, &r);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    fill_viewing(app.form.as_mut().unwrap());
    act(&mut app, &mut svc, Action::Save);
    let error = app.form.as_ref().expect("kept open").error.clone().unwrap();
    assert_eq!(
        error,
        "refused (step order): 'Viewing(s) logged' needs the Mosaic checks of step 6 (file location updated, file not locked); record step 6 first"
    );
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    // Changed meanwhile (by the CLI): the first save reloads the form, the second saves.
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.as_ref().unwrap().error.as_deref().unwrap().contains("refused (conflict)"));
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
}

fn render(app: &App) -> String {
    render_at(app, 120, 40)
}

/// The screen as text, one line per row.
fn render_at(app: &App, width: u16, height: u16) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let table = caseshare::app::keymap::bindings();
    terminal.draw(|f| caseshare::ui::render(f, app, &table, &caseshare::ui::Theme { color: false })).unwrap();
    let buf = terminal.backend().buffer().clone();
    let cells: Vec<&str> = buf.content().iter().map(|c| c.symbol()).collect();
    cells.chunks(usize::from(width)).map(|row| row.concat()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_late_restore_puts_its_request_at_the_top_of_the_list_marked_overdue_on_step_6() {
    let db = Db::standard();
    db.ok(&["settings", "set", "target.viewing", "60"]);
    let on_time = db.preparing("paper");
    let late = db.preparing("paper");
    db.ok(&["restore-requested", &on_time, "--restore-ref", "RST-1", "--date", &ago(1)]);
    db.ok(&["restore-requested", &late, "--restore-ref", "RST-2", "--date", &ago(12)]);
    let mut svc = open(&db);
    let app = tui::start(&mut svc, 120, 40).unwrap();
    let order: Vec<&str> = app.list.rows.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(order, vec![late.as_str(), on_time.as_str()]);
    assert!(render(&app).contains(&format!("! {late}")), "marked overdue");
    assert_eq!(app.selected_reference(), Some(late.as_str()));
    let detail = app.detail.as_ref().expect("the first request is shown");
    let line = detail.lines.iter().find(|l| l.step == Step::FilesAvailable).unwrap();
    assert!(line.describe().starts_with("OVERDUE since"), "{}", line.describe());
}

#[test]
fn the_checklist_of_a_refused_request_marks_step_4_refused_and_the_rest_closed_at_80_columns() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 40);
    db.form_and_scope(&r, 40);
    db.ok(&[
        "refuse",
        &r,
        "--approver",
        OWNER,
        "--reason",
        "Not necessary",
        "--date",
        &ago(14),
        "--evidence-date",
        &ago(14),
        "--evidence-ref",
        "Email from Mona Manager",
    ]);
    let (_svc, app) = started_in(&db, &r, View::Closed);
    let screen = render_at(&app, 80, 24);
    let line = |n: &str| screen.lines().find(|l| l.contains(n)).unwrap_or_else(|| panic!("{n}: {screen}")).to_string();
    assert!(line(" 4. ").contains("✗  4. Approval by asset… refused"), "{screen}");
    assert!(line(" 5. ").contains("–  5. Files restore req… closed"), "{screen}");
    assert!(!screen.contains("n/a"), "{screen}");
    // A wider pane says it in full.
    let wide = render_at(&app, 160, 40);
    assert!(wide.contains(&format!("✗  4. Approval by asset owner      refused {} by {OWNER}", uk_ago(14))), "{wide}");
    assert!(wide.contains("–  9. Viewing(s) logged            closed — refused"), "{wide}");
}

/// What the open viewing form's organisation field holds.
fn viewer_org(app: &App) -> Option<String> {
    match app.form.as_ref().unwrap().values() {
        caseshare::app::form::Values::Viewing(v) => v.viewer_org,
        other => panic!("viewing values, not {other:?}"),
    }
}

#[test]
fn the_viewing_form_offers_only_local_authorities_the_requesting_one_first() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let (mut svc, mut app) = started_on(&db, &r);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    fill_viewing(app.form.as_mut().unwrap());
    for _ in 0..4 {
        act(&mut app, &mut svc, Action::NextField);
    }
    let mut offered = vec![viewer_org(&app).unwrap()];
    loop {
        act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Right)));
        let now = viewer_org(&app).unwrap();
        if now == offered[0] {
            break;
        }
        offered.push(now);
    }
    assert_eq!(offered, vec![LA.to_string(), LA2.to_string()], "no police, no CAFCASS");
    act(&mut app, &mut svc, Action::Input(KeyEvent::from(KeyCode::Right)));
    assert_eq!(viewer_org(&app).as_deref(), Some(LA2));
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert_eq!(db.show(&r)["request"]["viewings"][0]["viewer_org"], LA2);
}

#[test]
fn a_viewer_organisation_that_is_not_a_local_authority_is_refused_through_the_tui_too() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let (mut svc, mut app) = started_on(&db, &r);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    let form = app.form.as_mut().unwrap();
    fill_viewing(form);
    // The form never offers one; a list gone stale (the organisation re-registered) could.
    let Fields::Viewing(f) = &mut form.fields else { unreachable!() };
    let police = "Demo Constabulary".to_string();
    f.viewer_org = Choice::new("Organisation", vec![(police.clone(), police.clone())], Some(&police));
    let before = db.events();
    act(&mut app, &mut svc, Action::Save);
    let error = app.form.as_ref().expect("kept open").error.clone().unwrap();
    assert!(
        error
            .starts_with("refused (route): Demo Constabulary is police, not a local authority: police requests follow")
            && error.ends_with("; only the requesting authority or another local authority views under this process"),
        "{error}"
    );
    assert_eq!(db.events(), before);
}

#[test]
fn a_second_identical_viewing_is_asked_y_n_and_only_y_saves_it() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    db.view(&r, "in_person_paper");
    let (mut svc, mut app) = started_on(&db, &r);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    fill_viewing(app.form.as_mut().unwrap());
    let before = db.events();
    act(&mut app, &mut svc, Action::Save);
    let form = app.form.as_ref().expect("kept open");
    assert_eq!(
        form.error.as_deref().unwrap(),
        format!(
            "refused (possible duplicate): a viewing by Rita Madeup on {} 10:00–11:30 is already logged (viewing 1); if this was a second, separate viewing, confirm it",
            uk_ago(20)
        )
    );
    assert_eq!(
        form.asking.as_ref().map(|c| c.question.as_str()),
        Some("Log a second viewing with the same viewers and times?")
    );
    let screen = render(&app);
    assert!(screen.contains("Log a second viewing with the same") && screen.contains("y / n"), "asked: {screen}");
    // n: nothing written, the form kept as typed.
    act(&mut app, &mut svc, Action::No);
    assert!(app.form.as_ref().is_some_and(|f| f.asking.is_none()));
    assert_eq!(db.events(), before);
    // Saved again and answered y: the second viewing is logged.
    act(&mut app, &mut svc, Action::Save);
    act(&mut app, &mut svc, Action::Yes);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert_eq!(db.show(&r)["request"]["viewings"].as_array().unwrap().len(), 2);
}

/// The viewing form as it opens, with only the times, viewers, supervisor and items filled.
fn opened_untouched(db: &Db, format: &str) -> (Service, App, String) {
    let r = db.scheduled(format, if format == "digital" { "Teams Room" } else { "Room A" }, 20);
    let (mut svc, mut app) = started_on(db, &r);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    let form = app.form.as_mut().unwrap();
    let Values::Viewing(v) = form.values() else { unreachable!() };
    assert_eq!(
        (v.supervised, v.confirmed_by.clone(), v.lcc_devices, v.downloaded),
        (None, None, None, None),
        "nothing answered"
    );
    let Fields::Viewing(f) = &mut form.fields else { unreachable!() };
    f.day = Date::new("Date", &uk_ago(20), "");
    f.viewers = Text::line("Viewer(s)", "Rita Madeup", "");
    f.supervisor =
        Choice::new("LCC supervisor", vec![(SUPERVISOR.to_string(), "Sue".into())], Some(&SUPERVISOR.into()));
    f.items = Checks::new("Items shown", vec![(1, "1.".into(), true)]);
    (svc, app, r)
}

fn save_refused(app: &mut App, svc: &mut Service) -> String {
    act(app, svc, Action::Save);
    app.form.as_ref().expect("kept open").error.clone().unwrap()
}

#[test]
fn supervision_is_asked_with_nothing_chosen_and_who_confirmed_it_is_picked() {
    let db = Db::standard();
    let (mut svc, mut app, r) = opened_untouched(&db, "paper");
    let before = db.events();
    assert_eq!(
        save_refused(&mut app, &mut svc),
        "refused (supervision): whether the visitor was supervised throughout is not answered; answer yes or no: it has no default"
    );
    let yes_no = || vec![(true, "Yes".to_string()), (false, "No".to_string())];
    let Fields::Viewing(f) = &mut app.form.as_mut().unwrap().fields else { unreachable!() };
    f.supervised = Choice::new("Supervised throughout", yes_no(), Some(&true));
    assert_eq!(
        save_refused(&mut app, &mut svc),
        "refused (supervision): who confirmed whether the visitor was supervised throughout is not named; name the LCC staff member who confirms it"
    );
    assert_eq!(db.events(), before);
    let Fields::Viewing(f) = &mut app.form.as_mut().unwrap().fields else { unreachable!() };
    f.confirmed_by = Choice::new("Confirmed by", vec![(OWNER.to_string(), "Mona".into())], Some(&OWNER.into()));
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    assert_eq!(db.show(&r)["request"]["viewings"][0]["supervision_confirmed_by"]["login"], OWNER);
}

#[test]
fn a_screen_viewing_in_the_tui_asks_about_lcc_devices_and_downloads() {
    let db = Db::standard();
    let (mut svc, mut app, r) = opened_untouched(&db, "digital");
    let yes_no = || vec![(true, "Yes".to_string()), (false, "No".to_string())];
    let Fields::Viewing(f) = &mut app.form.as_mut().unwrap().fields else { unreachable!() };
    f.supervised = Choice::new("Supervised throughout", yes_no(), Some(&true));
    f.confirmed_by =
        Choice::new("Confirmed by", vec![(SUPERVISOR.to_string(), "Sue".into())], Some(&SUPERVISOR.into()));
    assert_eq!(
        save_refused(&mut app, &mut svc),
        "refused (security): for a screen or Teams viewing, whether only LCC devices and LCC logins were used is not confirmed; confirm it, or say no and describe what happened"
    );
    let Fields::Viewing(f) = &mut app.form.as_mut().unwrap().fields else { unreachable!() };
    f.lcc_devices = Choice::new("Only LCC devices, logins", yes_no(), Some(&true));
    assert_eq!(
        save_refused(&mut app, &mut svc),
        "refused (minimum necessary): what was downloaded is not recorded; list each item downloaded with its reason, or say none was"
    );
    let Fields::Viewing(f) = &mut app.form.as_mut().unwrap().fields else { unreachable!() };
    f.downloaded = Choice::new("Anything downloaded", yes_no(), Some(&true));
    f.download_item = Text::line("Downloaded (item)", "1", "");
    f.download_reason = Text::line("Download reason", "For the core group", "");
    act(&mut app, &mut svc, Action::Save);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.error.clone()));
    let v = &db.show(&r)["request"]["viewings"][0];
    assert_eq!(
        (v["lcc_devices_only"].clone(), v["downloads"][0]["reason"].clone()),
        (true.into(), "For the core group".into())
    );
}

#[test]
fn the_viewing_form_fits_80_by_24_and_its_last_question_can_be_reached() {
    let db = Db::standard();
    let r = db.scheduled("digital", "Teams Room", 20);
    let (mut svc, mut app) = started_on(&db, &r);
    act(&mut app, &mut svc, Action::OpenForm(FormKind::Viewing));
    let first = render_at(&app, 80, 24);
    assert!(first.contains("Supervised throughout") || first.contains("Viewer(s)"), "{first}");
    // Eighteen fields: the last is the download's reason.
    for _ in 0..17 {
        act(&mut app, &mut svc, Action::NextField);
    }
    let last = render_at(&app, 80, 24);
    assert!(last.contains("Download reason") && last.contains("Anything downloaded"), "{last}");
    assert!(last.contains("— choose —"), "unanswered questions show nothing chosen: {last}");
}
