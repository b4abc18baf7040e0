//! The council's setting for a Mosaic case note on a request closed with nothing
//! shared (refused, withdrawn): off, step 10 is refused as for any closed request;
//! on, it is recorded, with the refusal's own text. Both faces.

mod common;

use chrono::{TimeZone, Utc};

use caseshare::app::form::{DateText, FormKind, Values};
use caseshare::app::{Action, Effect, Save};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use common::*;

/// REQ-2026-0011 in the demo: refused by the asset owner, nothing shared.
const REFUSED: &str = "REQ-2026-0011";

#[test]
fn a_refused_request_takes_a_case_note_only_where_the_council_records_them() {
    let db = Db::empty();
    db.ok(&["demo"]);
    assert_eq!(db.status(REFUSED), "refused");
    let e = db.refused(&["case-note-recorded", REFUSED, "--mosaic-ref", "CN-R-1"], "request closed");
    assert!(e.contains(REFUSED), "{e}");
    let e = db.refused(&["letter", REFUSED, "case_note"], "step order");
    assert!(e.contains("nothing has been shared"), "{e}");

    let e = db.error(&["settings", "set", "casenote.not_shared", "maybe"]);
    assert!(e.contains("'maybe' is not yes or no"), "{e}");
    db.ok(&["settings", "set", "casenote.not_shared", "yes"]);
    let note = db.ok(&["letter", REFUSED, "case_note"]);
    assert!(note.starts_with(&format!("Request refused (nothing shared) — {REFUSED}")), "{note}");
    db.ok(&["case-note-recorded", REFUSED, "--mosaic-ref", "CN-R-1"]);
    let shown = db.show(REFUSED);
    assert_eq!(shown["request"]["request"]["case_note"]["mosaic_ref"], "CN-R-1");
    assert!(
        shown["request"]["request"]["case_note"]["text"].as_str().unwrap().contains("Nothing was shared."),
        "the note kept is the refusal's: {shown}"
    );
    assert_eq!(db.status(REFUSED), "refused", "still refused");
    db.refused(&["case-note-recorded", REFUSED, "--mosaic-ref", "CN-R-2"], "already recorded");
    db.verified();
}

#[test]
fn the_tui_records_a_refused_requests_case_note_with_the_same_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build(&path, "tester", clock).unwrap();
    let save = |setting: bool| -> Option<String> {
        if setting {
            let mut admin = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock).unwrap();
            admin.setting_set("casenote.not_shared", "yes").unwrap();
        }
        let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "demo.bsa1", clock).unwrap();
        let mut app = tui::start(&mut svc, 120, 40).unwrap();
        let version = svc.request(REFUSED).unwrap().request.version;
        let values = Values::CaseNoteRecorded(caseshare::app::form::fields::CaseNoteRecordedValues {
            date: DateText("today".into()),
            mosaic_ref: "CN-R-9".into(),
        });
        let effects = app.update(Action::OpenForm(FormKind::CaseNoteRecorded));
        tui::run_effects(&mut app, &mut svc, effects);
        let submit =
            Effect::Submit(Save { reference: Some(REFUSED.into()), version: Some(version), values, confirmed: vec![] });
        tui::run_effects(&mut app, &mut svc, vec![submit]);
        match &app.form {
            Some(f) => f.error.clone(),
            None => app.notice.as_ref().map(|n| format!("{n:?}")).filter(|n| n.contains("refused")),
        }
    };
    let e = save(false).expect("refused while the council does not record them");
    assert!(e.contains("refused (request closed)"), "{e}");
    assert_eq!(save(true), None, "recorded once the council does");
}

#[test]
fn the_case_note_names_the_councils_appropriate_policy_document_where_a_part_2_condition_is_relied_on() {
    let db = Db::empty();
    db.ok(&["demo"]);
    // REQ-2026-0008: viewed, under Art. 9(2)(g) with Sch.1 Part 2 para 18.
    let note = db.ok(&["case-note", "REQ-2026-0008"]);
    assert!(
        note.contains("Appropriate policy document: not set (an administrator sets appropriate_policy_document)."),
        "{note}"
    );
    db.ok(&["settings", "set", "appropriate_policy_document", "APD for special category data, v2, on the intranet"]);
    let note = db.ok(&["case-note", "REQ-2026-0008"]);
    assert!(
        note.contains("Appropriate policy document: APD for special category data, v2, on the intranet."),
        "{note}"
    );
    assert!(db.ok(&["settings", "list"]).contains("appropriate_policy_document"));
}
