//! Bank holidays by rule for any year, the council's list beside it (days added and
//! days removed), the government's bank-holidays.json imported, and the note when a
//! due date rests on the rule alone.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::*;

use caseshare::domain::dates::{Holidays, england_and_wales};
use caseshare::service::admin::DEFAULT_HOLIDAYS;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The line of `out` for `day` (DD/MM/YYYY), its words single-spaced.
fn line(out: &str, day: &str) -> String {
    let l = out.lines().find(|l| l.starts_with(day)).unwrap_or_else(|| panic!("{day} not in:\n{out}"));
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_rule_gives_exactly_the_built_in_list_for_2025_to_2027() {
    let seeded: Vec<(String, String)> = DEFAULT_HOLIDAYS.iter().map(|(d, n)| (d.to_string(), n.to_string())).collect();
    let by_rule: Vec<(String, String)> = (2025..=2027)
        .flat_map(england_and_wales)
        .map(|(d, n)| (d.format("%Y-%m-%d").to_string(), n.to_string()))
        .collect();
    assert_eq!(by_rule, seeded);
}

#[test]
fn the_working_day_after_friday_31_december_2027_is_tuesday_4_january_2028() {
    // No 2028 day listed anywhere: the rule alone moves New Year's Day to Monday.
    let rule = Holidays::england_and_wales(DEFAULT_HOLIDAYS.iter().map(|(x, _)| d(x)).collect(), BTreeSet::new());
    assert_eq!(rule.add_working_days(d("2027-12-31"), 1), d("2028-01-04"));
    assert_eq!(rule.add_working_days(d("2027-12-31"), 2), d("2028-01-05"));
    assert_eq!(rule.rule_only_note(d("2028-01-04")).as_deref(), Some("bank holidays after 2027 computed by rule"));

    // The same through the database: a fresh one lists nothing for 2028.
    let db = Db::init();
    let year = db.ok(&["holiday", "list", "--year", "2028"]);
    assert_eq!(line(&year, "03/01/2028"), "03/01/2028 New Year's Day (substitute day) by rule");
    assert!(year.contains("No day of 2028 is listed"), "{year}");
    let listed = db.ok(&["holiday", "list"]);
    assert_eq!(line(&listed, "28/12/2027"), "28/12/2027 Boxing Day (substitute day)");
    assert!(listed.contains("every day after 2027"), "{listed}");
    let json = db.json(&["holiday", "list", "--year", "2027"]);
    assert_eq!(json.as_array().unwrap().len(), 8);
    assert_eq!(json[0]["source"], "listed_and_rule");
}

#[test]
fn the_council_removes_a_rule_day_and_adds_a_one_off_both_recorded() {
    let db = Db::init();
    // A day moved by proclamation: the rule's day is removed, the new one added.
    db.ok(&["holiday", "remove", "2028-05-01"]);
    db.ok(&["holiday", "add", "2028-05-08", "Early May bank holiday (moved, fictional)"]);
    let year = db.ok(&["holiday", "list", "--year", "2028"]);
    assert_eq!(line(&year, "01/05/2028"), "01/05/2028 Early May bank holiday removed: a working day");
    assert_eq!(line(&year, "08/05/2028"), "08/05/2028 Early May bank holiday (moved, fictional) listed");
    let log = db.json(&["log", "--limit", "2"]);
    let ops: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["op"].as_str().unwrap()).collect();
    assert!(ops.contains(&"holiday.remove") && ops.contains(&"holiday.add"), "{ops:?}");
    // Removed once, it is not a holiday any more: removing again is refused.
    let e = db.refused(&["holiday", "remove", "2028-05-01"], "unknown record");
    assert!(e.contains("01/05/2028 is not a bank holiday, listed or by rule"), "{e}");
    // Added back by name: a holiday again.
    db.ok(&["holiday", "add", "2028-05-01", "Early May bank holiday"]);
    let year = db.ok(&["holiday", "list", "--year", "2028"]);
    assert_eq!(line(&year, "01/05/2028"), "01/05/2028 Early May bank holiday listed (and by rule)");
    // A listed day that no rule gives comes off the list.
    db.ok(&["holiday", "remove", "2028-05-08"]);
    assert!(!db.ok(&["holiday", "list", "--year", "2028"]).contains("08/05/2028"));
    let e = db.refused(&["holiday", "remove", "2028-05-09"], "unknown record");
    assert!(e.contains("09/05/2028 is not a bank holiday"), "{e}");
    let e = db.error(&["holiday", "list", "--year", "20280"]);
    assert!(e.contains("is not a year"), "{e}");
}

/// The shape of the government's file, with fictional extra days.
fn gov_file(dir: &std::path::Path, events: &[(&str, &str)]) -> std::path::PathBuf {
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|(date, title)| serde_json::json!({"title": title, "date": date, "notes": "", "bunting": true}))
        .collect();
    let body = serde_json::json!({
        "england-and-wales": {"division": "england-and-wales", "events": events},
        "scotland": {"division": "scotland", "events": [{"title": "2nd January", "date": "2028-01-04", "notes": "", "bunting": true}]},
    });
    let path = dir.join("bank-holidays.json");
    std::fs::write(&path, body.to_string()).unwrap();
    path
}

#[test]
fn importing_the_governments_file_lists_its_days_and_the_due_date_note_goes() {
    let db = Db::standard();
    let reference = db.receive(LA, AREA, "paper", 0);
    db.ok(&["form-sent", &reference]);
    // A database whose list was emptied: every due date rests on the rule.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute("DELETE FROM bank_holidays", []).unwrap();
    drop(conn);
    let show = db.ok(&["request", "show", &reference]);
    assert!(show.contains(": bank holidays computed by rule)"), "{show}");

    let mut days: Vec<(&str, &str)> = DEFAULT_HOLIDAYS.to_vec();
    days.push(("2028-01-03", "New Year's Day (substitute day)"));
    days.push(("2028-06-05", "Fictional one-off bank holiday"));
    let file = gov_file(db.dir(), &days);
    let file = file.to_str().unwrap();
    let before = db.events();
    let out = db.ok(&["holiday", "import", file]);
    assert!(
        out.contains("26 England and Wales bank holidays in")
            && out.contains("(01/01/2025 to 05/06/2028): 26 added or renamed, 0 already listed."),
        "{out}"
    );
    assert_eq!(db.events(), before + 1, "one holiday.import event");
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "holiday.import");
    assert!(log[0]["after"].as_str().unwrap().contains("Fictional one-off bank holiday"), "{log}");
    let year = db.ok(&["holiday", "list", "--year", "2028"]);
    assert_eq!(line(&year, "05/06/2028"), "05/06/2028 Fictional one-off bank holiday listed");
    assert!(!year.contains("2nd January"), "other divisions are left out: {year}");
    let show = db.ok(&["request", "show", &reference]);
    assert!(!show.contains("computed by rule"), "known to 2028 now: {show}");

    // The same file again changes nothing and records nothing.
    let out = db.ok(&["holiday", "import", file]);
    assert!(out.contains("0 added or renamed, 26 already listed."), "{out}");
    assert_eq!(db.events(), before + 1);

    // Not the government's file: one line, nothing listed.
    let other = db.dir().join("other.json");
    std::fs::write(&other, r#"{"scotland": {"events": []}}"#).unwrap();
    let e = db.error(&["holiday", "import", other.to_str().unwrap()]);
    assert!(e.contains("has no england-and-wales events: give the government's bank-holidays.json"), "{e}");
    std::fs::write(&other, r#"{"england-and-wales": {"events": [{"title": "X", "date": "2028-02-30"}]}}"#).unwrap();
    let e = db.error(&["holiday", "import", other.to_str().unwrap()]);
    assert!(e.contains("event 1: '2028-02-30' is not a date (YYYY-MM-DD)"), "{e}");
    let e = db.error(&["holiday", "import", db.dir().join("missing.json").to_str().unwrap()]);
    assert!(e.contains("cannot be read"), "{e}");
    assert_eq!(db.events(), before + 1, "a refused import records nothing");
}

#[test]
fn a_databases_working_days_use_the_rule_past_its_list_and_its_overrides() {
    use caseshare::service::{Clock, Service};
    use caseshare::store::{OpenMode, Store};
    use chrono::{TimeZone, Utc};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build(&path, "tester", clock).unwrap();
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock).unwrap();
    assert!(svc.holidays().unwrap().iter().all(|(d, _)| chrono::Datelike::year(d) <= 2027));
    let next = |svc: &Service| svc.settings().holidays.add_working_days(d("2027-12-31"), 1);
    assert_eq!(next(&svc), d("2028-01-04"), "Monday 03/01/2028 is the substitute New Year's Day");
    svc.holiday_remove("2028-01-03").unwrap();
    assert_eq!(next(&svc), d("2028-01-03"), "removed by the council: a working day");
    svc.holiday_add("2028-01-03", "New Year's Day (substitute day)").unwrap();
    assert_eq!(next(&svc), d("2028-01-04"));
}
