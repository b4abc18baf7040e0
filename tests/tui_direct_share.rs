//! A direct share's decision from the TUI: the same asset-owner rules, and the same
//! refusals, as the command line.

use chrono::{TimeZone, Utc};

use caseshare::app::form::{DateText, FormKind, Values};
use caseshare::app::{Action, App, Effect, Save};
use caseshare::domain::{Art6Basis, Art9Gateway, ConsentNotObtained, Sch1Condition, StatutoryPower};
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

/// The direct-share form as it opens, filled in as a BSA would, decided by `who`.
fn filled(app: &mut App, svc: &mut Service, who: Option<&str>, evidence: bool) -> Values {
    let effects = app.update(Action::OpenForm(FormKind::DirectShare));
    tui::run_effects(app, svc, effects);
    let Values::DirectShare(mut v) = app.form.as_ref().expect("form open").values() else { panic!("direct share") };
    assert_eq!(v.decided_by, None, "nobody is put down as having decided");
    let s = |s: &str| s.to_string();
    v.request.organisation = Some(s("Imaginary City Council"));
    v.request.requester_name = s("Ada Newform");
    v.request.subject_name = s("Zed Justmade");
    v.request.subject_mosaic = s("DEMO-4243");
    v.request.purpose = s("Family moved; the last assessment is asked for");
    v.request.service_area = Some(s("Family Support"));
    v.items = s("Last child and family assessment");
    v.method = s("Secure email");
    // A whole lawful basis and decision record, as the CLI tests' BASIS.
    let b = &mut v.basis;
    b.art6 = Some(Art6Basis::PublicTask);
    b.art9 = Some(Art9Gateway::SubstantialPublicInterest);
    b.sch1 = Some(Sch1Condition::P2Safeguarding);
    b.consent_not_obtained = Some(ConsentNotObtained::WouldPrejudice);
    b.criminal = Some(s("no"));
    b.power = Some(StatutoryPower::S27);
    b.necessity = s("The new authority cannot assess the risk without it");
    b.consent_sought = Some(s("no"));
    b.consent_note = s("Asking the family would put the child at risk");
    b.dsa = Some(s("no"));
    b.security = s("Sent by secure email to a named social worker");
    b.retention = s("Kept on the child's record there under its retention schedule");
    v.reason = s("The new authority holds the case and needs the assessment");
    v.decided_by = who.map(s);
    if evidence {
        v.evidence_date = DateText(s("today"));
        v.evidence_ref = s("Email from the asset owner");
    }
    Values::DirectShare(v)
}

fn save(app: &mut App, svc: &mut Service, values: Values) -> Option<String> {
    let submit = Effect::Submit(Save { reference: None, version: None, values, confirmed: vec![] });
    tui::run_effects(app, svc, vec![submit]);
    app.form.as_ref().and_then(|f| f.error.clone())
}

#[test]
fn a_direct_share_from_the_tui_is_refused_unless_the_asset_owner_decided_it_and_then_recorded() {
    let (_dir, path) = demo();
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "demo.bsa1", clock()).unwrap();
    let mut app = tui::start(&mut svc, 120, 40).unwrap();

    let values = filled(&mut app, &mut svc, Some("demo.manager"), true);
    let e = save(&mut app, &mut svc, values).expect("refused");
    assert!(e.starts_with("refused (asset owner): "), "{e}");
    assert!(e.contains("is not the asset owner of Family Support"), "{e}");

    app.form = None;
    let values = filled(&mut app, &mut svc, Some("tester"), false);
    let e = save(&mut app, &mut svc, values).expect("refused");
    assert!(e.contains("recording a decision on behalf of") && e.contains("needs evidence"), "{e}");
    assert!(!e.contains("--evidence"), "the TUI leaves out the command-line hint: {e}");

    app.form = None;
    let values = filled(&mut app, &mut svc, Some("tester"), true);
    assert_eq!(save(&mut app, &mut svc, values), None);
    assert!(app.form.is_none(), "saved and closed");
    let r = app.selected_reference().expect("the new share is selected").to_string();
    let file = svc.request(&r).unwrap();
    let decision = &file.approvals[0];
    assert_eq!(decision.approver.login, "tester");
    assert_eq!(decision.recorded_by.login, "demo.bsa1");
    assert_eq!(decision.reason, "The new authority holds the case and needs the assessment");
}

#[test]
fn the_asset_owner_cannot_record_and_decide_the_same_direct_share() {
    let (_dir, path) = demo();
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock()).unwrap();
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let values = filled(&mut app, &mut svc, Some("tester"), false);
    let e = save(&mut app, &mut svc, values).expect("refused");
    assert!(e.starts_with("refused (separation of duties): "), "{e}");
    assert!(e.contains("recorded this request and cannot also approve it"), "{e}");
}

#[test]
fn nobody_and_nothing_is_put_down_for_the_user_on_a_new_request_or_a_viewing() {
    let (_dir, path) = demo();
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "demo.bsa1", clock()).unwrap();
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let effects = app.update(Action::OpenForm(FormKind::NewRequest));
    tui::run_effects(&mut app, &mut svc, effects);
    let Values::NewRequest(v) = app.form.as_ref().unwrap().values() else { panic!("new request") };
    assert_eq!((v.request.organisation, v.request.service_area), (None, None));
    // Saved as it opens: refused, naming what to choose, nothing written.
    let before = svc.list(&tui::list_filter(&app)).unwrap().len();
    let effects = app.update(Action::Save);
    tui::run_effects(&mut app, &mut svc, effects);
    let e = app.form.as_ref().and_then(|f| f.error.clone()).expect("refused");
    assert!(e.contains("organisation"), "{e}");
    assert_eq!(svc.list(&tui::list_filter(&app)).unwrap().len(), before);
    app.form = None;

    // REQ-2026-0007 is scheduled: its viewing form names no supervisor.
    tui::run_effects(&mut app, &mut svc, vec![Effect::Select("REQ-2026-0007".into())]);
    assert_eq!(app.selected_reference(), Some("REQ-2026-0007"));
    let effects = app.update(Action::OpenForm(FormKind::Viewing));
    tui::run_effects(&mut app, &mut svc, effects);
    let Values::Viewing(v) = app.form.as_ref().expect("viewing form").values() else { panic!("viewing") };
    assert_eq!(v.supervisor, None, "the LCC supervisor is picked, never assumed");
}

#[test]
fn returning_files_from_the_tui_needs_where_they_were_secured_as_the_cli_does() {
    let (_dir, path) = demo();
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "demo.bsa1", clock()).unwrap();
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    // REQ-2026-0013: paper, viewed, files still out.
    let r = "REQ-2026-0013";
    tui::run_effects(&mut app, &mut svc, vec![Effect::Select(r.into())]);
    let save = |app: &mut App, svc: &mut Service, secured: &str| {
        let effects = app.update(Action::OpenForm(FormKind::FilesReturned));
        tui::run_effects(app, svc, effects);
        let Values::FilesReturned(mut v) = app.form.as_ref().expect("form").values() else { panic!("files returned") };
        assert_eq!(v.secured_at, "", "nothing is said for the user");
        v.secured_at = secured.to_string();
        let version = svc.request(r).unwrap().request.version;
        let submit = Effect::Submit(Save {
            reference: Some(r.into()),
            version: Some(version),
            values: Values::FilesReturned(v),
            confirmed: vec![],
        });
        tui::run_effects(app, svc, vec![submit]);
        app.form.as_ref().and_then(|f| f.error.clone())
    };
    let e = save(&mut app, &mut svc, "").expect("refused");
    assert_eq!(
        e,
        "refused (security): where the files were secured when returned is not recorded; say where they were put (for example the locked cabinet in the records room)"
    );
    app.form = None;
    assert_eq!(save(&mut app, &mut svc, "Locked cabinet, records room"), None);
    assert_eq!(svc.request(r).unwrap().request.files_secured_at.as_deref(), Some("Locked cabinet, records room"));
}

#[test]
fn a_due_date_past_the_listed_bank_holidays_says_so_in_the_detail_pane_as_request_show_does() {
    let (_dir, path) = demo();
    {
        let mut admin = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock()).unwrap();
        admin.setting_set("target.viewing", "365").unwrap();
    }
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "demo.bsa1", clock()).unwrap();
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    // REQ-2026-0007 waits for its viewing: 365 working days from approval runs into 2028.
    tui::run_effects(&mut app, &mut svc, vec![Effect::LoadDetail("REQ-2026-0007".into())]);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let table = caseshare::app::keymap::bindings();
    terminal.draw(|f| caseshare::ui::render(f, &app, &table, &caseshare::ui::Theme { color: false })).unwrap();
    let screen: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    // Read row by row: the note may wrap inside the pane.
    let rows: Vec<String> = screen.chars().collect::<Vec<_>>().chunks(120).map(|r| r.iter().collect()).collect();
    let pane: String = rows.iter().map(|r| r.chars().skip(60).collect::<String>().replace('│', " ")).collect();
    let words = pane.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("bank holidays after 2027 computed by rule"), "{words}");
}
