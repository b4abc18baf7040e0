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
    let home = screen(120, 40, &[]);
    // The child and the organisation whole, on the line under the reference.
    assert!(home.contains("│  Freya Nobody · Imaginary City Council "), "{home}");
    assert!(!home.contains("Freya Nobody · Im…"), "{home}");
    insta::assert_snapshot!("home_120x40", home);
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

/// The rows of a drawn screen, one string each (a wide character's second cell
/// left out, so a row reads as the terminal shows it).
fn rows(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>()).collect()
}

fn buffer(app: &App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| ui::render(f, app, &table, &Theme { color: false })).unwrap();
    terminal.backend().buffer().clone()
}

/// The column (cell x) at which `needle` starts on row `y`, if it is there.
fn column_of(buf: &ratatui::buffer::Buffer, y: u16, needle: &str) -> Option<u16> {
    (0..buf.area.width).find(|&x| {
        let rest: String = (x..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        rest.starts_with(needle)
    })
}

fn started(w: u16, h: u16, steps: &[Action]) -> (Fixture, App) {
    let mut fx = fixture();
    let mut app = tui::start(&mut fx.svc, w, h).unwrap();
    for a in steps {
        act(&mut app, &mut fx.svc, a.clone());
    }
    (fx, app)
}

#[test]
fn at_80x24_the_list_shows_child_and_organisation_and_the_detail_the_whole_mosaic_id() {
    let shown = screen(80, 24, &[]);
    insta::assert_snapshot!("home_80x24", shown);
    // Each request's child and organisation, on the line under its reference.
    assert!(shown.contains("│! REQ-2026-0006 Preparing      31d late │"), "{shown}");
    assert!(shown.contains("│  Freya Nobody · Imaginary City Council │"), "{shown}");
    assert!(shown.contains("Cody Sample · Imaginary City Council"), "{shown}");
    // The selected request's Mosaic ID whole (wrapped, never cut with …).
    assert!(shown.contains("DEMO-1006"), "{shown}");
    assert!(!shown.contains("Mosaic D…"), "{shown}");
    // The hint bar starts with the most useful keys and ends whole.
    let hints = shown.lines().last().unwrap().trim_matches('"').to_string();
    assert!(hints.starts_with(" ? help  Enter checklist  / filter  q quit  n new"), "{hints}");
    assert!(!hints.trim_end().ends_with(" c"), "no hint is cut short: {hints}");
}

#[test]
fn at_80x24_the_detail_pane_scrolls_to_the_end_and_the_checklist_lands_on_the_next_step() {
    let (_fx, app) = started(80, 24, &[Action::Open]);
    let shown = draw(&app, 80, 24);
    insta::assert_snapshot!("checklist_80x24", shown);
    // REQ-2026-0006 waits on step 6: the cursor is there, and so is its full state.
    assert_eq!(app.detail.as_ref().unwrap().cursor, 5);
    assert!(shown.contains("!  6. Files restored"), "{shown}");
    // The whole checklist, and under it the full state of that step and what Enter does.
    assert!(shown.contains("✗ 12. Request complete"), "{shown}");
    assert!(shown.contains("OVERDUE since 12/10/2026") && shown.contains("Enter opens the step's form"), "{shown}");
    assert!(shown.contains("J/K scroll"), "the pane says it scrolls: {shown}");
    // J scrolls down to the items and the lawful basis, which a short window leaves below.
    let (_fx, app) = started(80, 24, &vec![Action::ScrollDown; 40]);
    let shown = draw(&app, 80, 24);
    assert!(shown.contains("Strategy meeting minutes"), "{shown}");
    assert!(shown.contains("that asks)") && shown.contains("34-52 of 52"), "the end of the lawful basis: {shown}");
}

#[test]
fn at_80x24_the_last_line_of_a_letter_is_reached_by_scrolling() {
    // REQ-2026-0013, sixth in triage order; Tab to the acknowledgement, which is long.
    let mut to_letter = vec![Action::Down; 5];
    to_letter.extend([Action::Letters, Action::NextLetter]);
    let (mut fx, mut app) = started(80, 24, &to_letter);
    let text = app.letter.as_ref().unwrap().text.clone().expect("the letter");
    // The last line found only once in it (the council's name closes it and heads it too).
    let once = |l: &&str| text.lines().filter(|m| m == l).count() == 1;
    let last = text.lines().rev().find(|l| !l.trim().is_empty() && once(l)).unwrap().trim().to_string();
    let top = draw(&app, 80, 24);
    assert!(text.lines().count() > 20, "long enough to need scrolling");
    assert!(!top.contains(&last), "the end is below at first:\n{top}");
    assert!(top.contains("lines 1-"), "the frame says where it stands: {top}");
    act(&mut app, &mut fx.svc, Action::Bottom);
    let end = draw(&app, 80, 24);
    insta::assert_snapshot!("letter_end_80x24", end);
    assert!(end.contains(&last), "{end}");
}

#[test]
fn at_80x24_help_wraps_every_description_and_scrolls_to_the_last_key() {
    let (mut fx, mut app) = started(80, 24, &[Action::Help]);
    let first = draw(&app, 80, 24);
    insta::assert_snapshot!("help_80x24", first);
    assert!(first.contains("lines 1-21 of"), "{first}");
    assert!(!first.contains('…'), "nothing is cut: {first}");
    act(&mut app, &mut fx.svc, Action::PageDown);
    act(&mut app, &mut fx.svc, Action::PageDown);
    let end = draw(&app, 80, 24);
    assert!(end.contains("Retention: requests due for disposal, legal holds"), "{end}");
    assert!(end.contains("Suspend to the shell"), "the last key shows: {end}");
    assert!(!end.contains('…'), "{end}");
}

#[test]
fn at_80x24_a_refusal_in_the_status_line_shows_its_fix_whole() {
    // Enter on step 8 of REQ-2026-0006, which waits on step 7.
    let (_fx, app) = started(80, 24, &[Action::Open, Action::Down, Action::Down, Action::Open]);
    let Some(caseshare::app::Notice::Error(said)) = &app.notice else { panic!("{:?}", app.notice) };
    assert!(said.len() > 80, "long enough to wrap: {said}");
    let shown = rows(&buffer(&app, 80, 24)).join(" ");
    let squeezed = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squeezed.contains(said.as_str()), "the whole message, fix included:\n{said}\n{shown}");
}

#[test]
fn names_in_wide_scripts_and_emoji_keep_the_tracker_columns_in_line() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (_fx, mut app) = started(w, h, &[Action::Tracker]);
        let template = app.tracker.rows[0].clone();
        app.tracker.shares.clear();
        app.tracker.rows = ["Pip Testcase", "测试 Testcase", "Emoji 🙂 Testcase"]
            .iter()
            .zip(["Ada Viewer", "测试 Viewer", "🙂 Viewer"])
            .map(|(child, viewer)| caseshare::store::lists::TrackerRow {
                subjects: child.to_string(),
                viewers: viewer.to_string(),
                viewer_org: "Exampleshire County Council".into(),
                ..template.clone()
            })
            .collect();
        let buf = buffer(&app, w, h);
        let at: Vec<(u16, Option<u16>, Option<u16>)> = (0..h)
            .filter(|&y| rows(&buf)[usize::from(y)].contains(&template.reference))
            .map(|y| (y, column_of(&buf, y, "Exampl"), column_of(&buf, y, &template.supervisor[..3])))
            .collect();
        assert_eq!(at.len(), 3, "{}", rows(&buf).join("\n"));
        assert!(at.iter().all(|(_, org, sup)| org.is_some() && sup.is_some()), "{at:?}");
        assert!(
            at.iter().all(|(_, org, sup)| (*org, *sup) == (at[0].1, at[0].2)),
            "{w}×{h}: {at:?}\n{}",
            rows(&buf).join("\n")
        );
    }
}
