//! Migrating a council's own workbook, laid out as councils keep theirs: a
//! "Requests" tab with free-text organisation names, the format as written, no
//! references, old rows without Mosaic IDs, approval dates without a decision; a
//! "Tracker" tab with no reference and no supervisor. Dry run, proposals, commit,
//! verify, and a second import that adds nothing.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Last year, so every date in the workbook is in the past.
fn y() -> u16 {
    chrono::Datelike::year(&today()) as u16 - 1
}

/// A cell: a real date (day, month), a date typed as text, text, or empty (`T("")`).
enum C<'a> {
    D(u8, u8),
    TextDate(u8, u8),
    T(&'a str),
}

fn sheet(book: &mut Workbook, name: &str, headers: &[&str], rows: &[Vec<C>]) {
    let ws = book.add_worksheet();
    ws.set_name(name).unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                C::D(d, m) => {
                    let dt = ExcelDateTime::from_ymd(y(), *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                C::TextDate(d, m) => {
                    ws.write_string(r, c, format!("{d:02}/{m:02}/{}", y())).unwrap();
                }
                C::T("") => {}
                C::T(t) => {
                    ws.write_string(r, c, *t).unwrap();
                }
            }
        }
    }
}

/// The council's workbook, as fictional as its names.
fn council_workbook(dir: &Path) -> PathBuf {
    use C::*;
    let mut book = Workbook::new();
    let req = |la,
               worker,
               child,
               mosaic,
               team,
               format,
               received,
               sent: Option<(u8, u8)>,
               back: Option<(u8, u8)>,
               by,
               on: Option<(u8, u8)>| {
        let d = |x: Option<(u8, u8)>| x.map(|(d, m)| D(d, m)).unwrap_or(T(""));
        vec![T(la), T(worker), T(child), T(mosaic), T(team), T(format), received, d(sent), d(back), T(by), d(on)]
    };
    sheet(
        &mut book,
        "Requests",
        &[
            "LA",
            "Worker",
            "Child",
            "Mosaic",
            "Team",
            "Paper/Digital",
            "Date in",
            "Form sent",
            "Form back",
            "Approved by",
            "Approved",
        ],
        &[
            // Row 2 and row 5: the same child, the same council, the same days.
            req(
                "Exampleshire CC",
                "Ann Example",
                "Pip Testcase",
                "M-100",
                "Family Support",
                "Paper & digital",
                D(3, 2),
                Some((4, 2)),
                Some((10, 2)),
                "Dee Imaginary",
                Some((12, 2)),
            ),
            // An old row: no Mosaic ID, received first of all.
            req(
                "Exampleshire County Council",
                "Ann Example",
                "Ola Imaginary",
                "",
                "Family Support",
                "paper",
                D(1, 2),
                Some((2, 2)),
                Some((3, 2)),
                "Dee Imaginary",
                Some((5, 2)),
            ),
            // An organisation, a service area and an approver nobody registered.
            req(
                "Newtown Borough Council",
                "Sam Notreal",
                "Tom Fictional",
                "M-300",
                "Early Help",
                "Digital only",
                D(10, 3),
                Some((11, 3)),
                Some((14, 3)),
                "Val Pretend",
                Some((20, 3)),
            ),
            req(
                "Exampleshire CC",
                "Ann Example",
                "Pip Testcase",
                "M-100",
                "Family Support",
                "Paper",
                D(3, 2),
                Some((4, 2)),
                Some((10, 2)),
                "Dee Imaginary",
                Some((12, 2)),
            ),
            // Approved by the person running the import (history).
            req(
                "exampleshire cc",
                "Jo Example",
                "Kit Madeup",
                "M-500",
                "Children in Care",
                "Paper",
                D(1, 3),
                Some((2, 3)),
                Some((3, 3)),
                "Robin Runner",
                Some((5, 3)),
            ),
            // Not approved yet; the date received typed as text.
            req(
                "Exampleshire CC",
                "Ann Example",
                "Lee Notreal",
                "",
                "Family Support",
                "paper",
                TextDate(1, 4),
                None,
                None,
                "",
                None,
            ),
        ],
    );
    let view = |day: (u8, u8), child, what, viewer, la, how| {
        vec![D(day.0, day.1), T("10:00"), T("11:00"), T(child), T(what), T(viewer), T(la), T(how)]
    };
    sheet(
        &mut book,
        "Tracker",
        &["Date", "Start", "End", "Child", "Viewed", "Viewer", "LA", "How"],
        &[
            view(
                (20, 2),
                "Ola Imaginary",
                "Core assessment; Chronology",
                "Ann Example",
                "Exampleshire CC",
                "In person",
            ),
            view((25, 3), "Tom Fictional", "Chronology", "Sam Notreal", "Newtown Borough Council", "Teams"),
            // Two requests for Pip were approved the same day: which one? Not guessed.
            view((20, 2), "Pip Testcase", "Core assessment", "Ann Example", "Exampleshire CC", "In person, paper"),
            // No request for this child at all.
            view((15, 1), "Zed Nobody", "Chronology", "Ann Example", "Exampleshire CC", "In person"),
            view(
                (10, 3),
                "Kit Madeup",
                "Core assessment",
                "Jo Example",
                "Exampleshire County Council",
                "in person - paper",
            ),
        ],
    );
    let path = dir.join("council.xlsx");
    book.save(&path).unwrap();
    path
}

/// The mapping of the council's headers (as docs/migration.md shows it).
const MAPPING: &str = r#"
[requests]
sheet = "Requests"
[requests.columns]
organisation = "LA"
requester = "Worker"
child = "Child"
mosaic_id = "Mosaic"
service_area = "Team"
format = "Paper/Digital"
received = "Date in"
form_sent = "Form sent"
form_returned = "Form back"
approver = "Approved by"
approved_on = "Approved"

[tracker]
sheet = "Tracker"
[tracker.columns]
date = "Date"
start = "Start"
end = "End"
child = "Child"
items = "Viewed"
viewers = "Viewer"
organisation = "LA"
method = "How"

[defaults]
# The council's practice: every viewing was supervised throughout.
supervised = true
"#;

/// The council's own reference data: the test login (Robin Runner) is an
/// administrator and the asset owner of Children in Care.
fn council_db() -> Db {
    let db = Db::init();
    db.ok(&["staff", "set-roles", &me(), "admin,bsa,manager"]);
    db.ok(&["staff", "add", "dee", "--name", "Dee Imaginary", "--roles", "manager"]);
    db.ok(&["area", "add", "Family Support", "--owner", "dee"]);
    db.ok(&["area", "add", "Children in Care", "--owner", &me()]);
    db.ok(&["org", "add", "Exampleshire County Council", "--kind", "local_authority"]);
    db
}

fn setup() -> (Db, String, String) {
    let db = council_db();
    let book = council_workbook(db.dir());
    let map = db.dir().join("council-map.toml");
    std::fs::write(&map, MAPPING).unwrap();
    (db, book.to_str().unwrap().to_string(), map.to_str().unwrap().to_string())
}

#[test]
fn a_council_workbook_migrates_in_one_reviewed_pass() {
    let (db, book, map) = setup();
    let events = db.events();

    // 1. The dry run: every unknown name once, with the rows that need it.
    let o = db.run(&["import", &book, "--map", &map]);
    assert_eq!(o.code, 1, "{o:?}");
    let out = &o.stdout;
    for (line, rows) in [
        ("organisation 'Exampleshire CC'", "Requests rows 2, 5–7; Tracker rows 2, 4–5"),
        ("organisation 'Newtown Borough Council'", "Requests row 4; Tracker row 3"),
        ("service area 'Early Help'", "Requests row 4"),
        ("person 'Val Pretend'", "Requests row 4"),
    ] {
        assert_eq!(out.matches(line).count(), 1, "{line} once in\n{out}");
        let l = out.lines().find(|l| l.contains(line)).unwrap();
        assert!(l.ends_with(&format!("({rows})")), "{l}");
    }
    assert!(out.contains("looks like Exampleshire County Council"), "{out}");
    assert!(out.contains("Dry run: nothing was written. Import with --commit"), "{out}");
    assert!(o.stderr.contains("4 unknown name(s)"), "{}", o.stderr);
    assert_eq!(db.events(), events, "a dry run writes nothing");

    // 2. The proposals, written for review.
    let proposals = db.dir().join("proposals.toml");
    let p = proposals.to_str().unwrap();
    db.run(&["import", &book, "--map", &map, "--write-proposals", p]);
    let text = std::fs::read_to_string(&proposals).unwrap();
    assert!(text.contains("[organisations.\"Exampleshire CC\"]\n# Requests rows 2, 5–7; Tracker rows 2, 4–5\nalias-of = \"Exampleshire County Council\""), "{text}");
    assert!(
        text.contains(
            "[organisations.\"Newtown Borough Council\"]\n# Requests row 4; Tracker row 3\ncreate = \"local_authority\""
        ),
        "{text}"
    );
    assert!(text.contains("[service-areas.\"Early Help\"]") && text.contains("[people.\"Val Pretend\"]"), "{text}");
    assert_eq!(db.events(), events, "writing proposals writes nothing to the database");

    // 3. With the reviewed proposals: the names resolve; two tracker rows are
    // reported, not guessed, so nothing is imported yet.
    let o = db.run(&["import", &book, "--map", &map, "--proposals", p, "--commit"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("Tracker row 4: matches 2 requests equally (Requests rows 2, 5)"), "{}", o.stdout);
    assert!(
        o.stdout.contains("Tracker row 5: matches no request: none for Zed Nobody from Exampleshire County Council"),
        "{}",
        o.stdout
    );
    assert!(o.stderr.contains("2 tracker row(s) matched to no one request, so nothing was imported"), "{}", o.stderr);
    assert_eq!(db.events(), events, "nothing half-imported");

    // 4. Leaving those two out (they are listed), everything else comes in.
    let out = db.ok(&["import", &book, "--map", &map, "--proposals", p, "--commit", "--leave-unmatched"]);
    assert!(out.contains("Imported from council.xlsx: 6 requests and 3 viewings"), "{out}");
    assert!(out.contains("alias 'Exampleshire CC' of Exampleshire County Council"), "{out}");
    assert!(out.contains("staff record 'not recorded (imported)'"), "{out}");
    db.verified();

    // References in the order received; nothing invented.
    let year = y();
    let refs = db.references();
    assert_eq!(refs.len(), 6, "{refs:?}");
    let child = |r: &str| db.show(r)["request"]["subjects"][0].clone();
    assert_eq!(child(&format!("REQ-{year}-0001"))["name"], "Ola Imaginary");
    assert_eq!(child(&format!("REQ-{year}-0001"))["mosaic_id"], "", "no Mosaic ID is recorded as none");
    assert_eq!(child(&format!("REQ-{year}-0004"))["name"], "Kit Madeup");
    assert_eq!(child(&format!("REQ-{year}-0005"))["name"], "Tom Fictional");
    let ola = db.show(&format!("REQ-{year}-0001"));
    assert_eq!(ola["request"]["request"]["organisation"]["name"], "Exampleshire County Council");
    assert_eq!(ola["request"]["request"]["format"], "paper");
    let v = &ola["request"]["viewings"][0];
    assert_eq!(v["supervisor"]["name"], "not recorded (imported)", "{v}");
    assert_eq!(ola["request"]["approvals"][0]["decision"], "approved");
    let tom = db.show(&format!("REQ-{year}-0005"));
    assert_eq!(tom["request"]["request"]["format"], "digital");
    assert_eq!(tom["request"]["viewings"][0]["method"], "teams_screen_share");
    assert_eq!(tom["request"]["approvals"][0]["approver"]["name"], "Val Pretend");
    assert_eq!(db.show(&format!("REQ-{year}-0002"))["request"]["request"]["format"], "both");
    // The decision the importer took, recorded as imported by them from its row.
    let kit = db.show(&format!("REQ-{year}-0004"));
    let a = &kit["request"]["approvals"][0];
    assert_eq!(a["approver"]["login"], me());
    let evidence = a["evidence_ref"].as_str().unwrap();
    assert!(evidence.starts_with(&format!("imported by {} from council.xlsx:Requests:6 sha256:", me())), "{evidence}");
    assert_eq!(kit["request"]["viewings"].as_array().unwrap().len(), 1);

    // The alias works everywhere an organisation is typed.
    let orgs = db.json(&["org", "list"]);
    let ex = orgs.as_array().unwrap().iter().find(|o| o["name"] == "Exampleshire County Council").unwrap();
    assert_eq!(ex["aliases"], serde_json::json!(["Exampleshire CC"]));

    // 5. The same file again: nothing twice.
    let events = db.events();
    let again = db.ok(&["import", &book, "--map", &map, "--commit", "--leave-unmatched"]);
    assert!(again.contains("0 requests and 0 viewings; already present (skipped): 6 requests, 3 viewings"), "{again}");
    assert_eq!(db.references().len(), 6);
    assert_eq!(db.events(), events + 1, "only the import event itself");
    db.verified();
}

#[test]
fn create_missing_creates_what_the_names_tell_and_people_who_cannot_log_in() {
    let (db, book, map) = setup();
    let out = db.ok(&["import", &book, "--map", &map, "--create-missing", "--commit", "--leave-unmatched"]);
    for created in [
        "organisation 'Exampleshire CC' (local_authority)",
        "organisation 'Newtown Borough Council' (local_authority)",
        "staff record 'Val Pretend' (imported:val.pretend, manager)",
        "service area 'Early Help' (asset owner imported:val.pretend)",
    ] {
        assert!(out.contains(created), "{created} in\n{out}");
    }
    db.verified();
    // The people created cannot log in: no account name holds a colon.
    let staff = db.json(&["staff", "list"]);
    let val = staff.as_array().unwrap().iter().find(|s| s["name"] == "Val Pretend").unwrap();
    assert_eq!(val["login"], "imported:val.pretend");
    let nobody = staff.as_array().unwrap().iter().find(|s| s["login"] == "imported:not-recorded").unwrap();
    assert_eq!(nobody["active"], false);
}

#[test]
fn an_unknown_format_is_refused_with_the_formats_allowed_and_every_problem_of_a_row_is_listed() {
    let db = council_db();
    let file = db.dir().join("requests.csv");
    std::fs::write(
        &file,
        "Organisation,Requester,Child,Service area,Format,Date received,Approver,Date of approval\n\
         Exampleshire County Council,,Pip Testcase,Family Support,carrier pigeon,31/02/2025,,01/03/2025\n",
    )
    .unwrap();
    let o = db.run(&["import", file.to_str().unwrap(), "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    for problem in [
        "Rejected requests row 2: unknown format 'carrier pigeon': write paper, digital or both",
        "Rejected requests row 2: bad date in received: '31/02/2025'",
        "Rejected requests row 2: a decision (or a date of approval) needs its approver",
    ] {
        assert!(o.stdout.contains(problem), "{problem} in\n{}", o.stdout);
    }
    assert!(o.stderr.contains("1 row(s) rejected"), "{}", o.stderr);
}

#[test]
fn many_rows_with_the_same_problem_print_a_handful_of_lines() {
    let db = council_db();
    let mut text = String::from("Organisation,Requester,Child,Service area,Format,Date received\n");
    for _ in 0..300 {
        text.push_str("Exampleshire County Council,Ann Example,Pip Testcase,Family Support,paper,31/02/2025\n");
    }
    let file = db.dir().join("requests.csv");
    std::fs::write(&file, text).unwrap();
    let o = db.run(&["import", file.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.lines().count() < 10, "{}", o.stdout);
    assert!(
        o.stdout.contains("  300 × requests rows 2–301 (e.g. requests row 2: bad date in received: '31/02/2025')"),
        "{}",
        o.stdout
    );
    let all = db.run(&["import", file.to_str().unwrap(), "--all-problems"]);
    assert_eq!(all.stdout.matches("Rejected requests row").count(), 300);
}

#[test]
fn dry_run_is_the_default_and_the_old_flag_is_still_accepted() {
    let db = council_db();
    let file = db.dir().join("requests.csv");
    std::fs::write(
        &file,
        "Organisation,Requester,Child,Service area,Format,Date received\n\
         Exampleshire County Council,Ann Example,Pip Testcase,Family Support,Paper,01/03/2025\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    for args in [vec!["import", f], vec!["import", f, "--dry-run"]] {
        let out = db.ok(&args);
        assert!(out.contains("Would import from requests.csv: 1 requests"), "{out}");
        assert!(db.references().is_empty());
    }
    assert!(db.run(&["import", f, "--dry-run", "--commit"]).stderr.contains("cannot be used with"));
    db.ok(&["import", f, "--commit"]);
    assert_eq!(db.references().len(), 1);
}

/// Gives the test login `roles` through a second administrator (an administrator
/// cannot demote themself).
fn set_my_roles(db: &Db, roles: &str) {
    db.ok(&["staff", "add", "second", "--name", "Second Admin", "--roles", "admin"]);
    let store = caseshare::store::Store::open(&db.path, caseshare::store::OpenMode::Existing).unwrap();
    let mut svc = caseshare::service::Service::open(store, "second", caseshare::service::Clock::System).unwrap();
    svc.staff_update(&me(), Some(roles), None).unwrap();
}

#[test]
fn creating_missing_names_needs_an_administrator_and_a_dry_run_needs_none() {
    let (db, book, map) = setup();
    set_my_roles(&db, "bsa,manager");
    let e = db.refused(&["import", &book, "--map", &map, "--create-missing"], "permission");
    assert!(e.contains("creating organisations, service areas and staff records needs an administrator"), "{e}");
    let o = db.run(&["import", &book, "--map", &map]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("organisation 'Exampleshire CC'"), "{o:?}");
}

/// A folder of two CSV files laid out as the council's tabs (mapping: `CSV_MAP`).
fn csv_workbook(db: &Db, name: &str, requests: &[&str], tracker: &[&str]) -> (String, String) {
    let dir = db.dir().join(name);
    std::fs::create_dir(&dir).unwrap();
    let mut r =
        String::from("LA,Worker,Child,Mosaic,Team,Paper/Digital,Date in,Form sent,Form back,Approved by,Approved\n");
    for row in requests {
        r.push_str(row);
        r.push('\n');
    }
    let mut t = String::from("Date,Start,End,Child,Viewed,Viewer,LA,How\n");
    for row in tracker {
        t.push_str(row);
        t.push('\n');
    }
    std::fs::write(dir.join("requests.csv"), r).unwrap();
    std::fs::write(dir.join("tracker.csv"), t).unwrap();
    let map = db.dir().join(format!("{name}-map.toml"));
    let mapping = MAPPING
        .replace("sheet = \"Requests\"", "sheet = \"requests\"")
        .replace("sheet = \"Tracker\"", "sheet = \"tracker\"");
    std::fs::write(&map, mapping).unwrap();
    (dir.to_str().unwrap().to_string(), map.to_str().unwrap().to_string())
}

/// A paper request for Ola Imaginary received on 1 March last year, approved by Dee
/// Imaginary on the 5th: a requests row for `csv_workbook`.
fn ola_approved() -> String {
    let d = |day: u8| format!("{day:02}/03/{}", y());
    format!(
        "Exampleshire County Council,Ann Example,Ola Imaginary,M-200,Family Support,paper,{},{},{},Dee Imaginary,{}",
        d(1),
        d(2),
        d(3),
        d(5)
    )
}

fn uk(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[test]
fn a_retired_organisation_or_area_keeps_its_history_but_takes_no_row_received_from_its_retirement_on() {
    let db = council_db();
    db.ok(&["org", "add", "Oldtown Council", "--kind", "local_authority"]);
    db.ok(&["area", "add", "Old Team", "--owner", "dee"]);
    db.ok(&["org", "retire", "Oldtown Council"]);
    db.ok(&["area", "retire", "Old Team"]);
    let last_year = format!("01/03/{}", y());
    let now = uk(today());
    // Before the retirement: history, imported as it was.
    let (dir, map) = csv_workbook(
        &db,
        "before",
        &[
            &format!("Oldtown Council,Ann Example,Pip Testcase,M-100,Family Support,paper,{last_year},,,,"),
            &format!("Exampleshire County Council,Ann Example,Ola Imaginary,M-200,Old Team,paper,{last_year},,,,"),
        ],
        &[],
    );
    let out = db.ok(&["import", &dir, "--map", &map]);
    assert!(out.contains("Would import from before: 2 requests"), "{out}");
    // From the day it was retired: new use, refused as any new request is.
    let (dir, map) = csv_workbook(
        &db,
        "after",
        &[
            &format!("Oldtown Council,Ann Example,Pip Testcase,M-100,Family Support,paper,{now},,,,"),
            &format!("Exampleshire County Council,Ann Example,Ola Imaginary,M-200,Old Team,paper,{now},,,,"),
        ],
        &[],
    );
    let o = db.run(&["import", &dir, "--map", &map, "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("organisation 'Oldtown Council' is retired"), "{o:?}");
    assert!(o.stdout.contains("service area 'Old Team' is retired"), "{o:?}");
    assert!(o.stdout.contains("caseshare org reinstate \"Oldtown Council\""), "{o:?}");
    assert!(db.references().is_empty());
}

#[test]
fn a_decision_the_importer_took_since_the_database_began_keeps_separation_of_duties() {
    let db = council_db();
    let now = uk(today());
    // Received, sent, returned and approved today by the person importing it.
    let (dir, map) = csv_workbook(
        &db,
        "live",
        &[&format!(
            "Exampleshire County Council,Ann Example,Kit Madeup,M-500,Children in Care,paper,{now},{now},{now},Robin Runner,{now}"
        )],
        &[],
    );
    let o = db.run(&["import", &dir, "--map", &map, "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("recorded this request and cannot also approve it"), "{o:?}");
    assert!(db.references().is_empty(), "nothing half-imported");
    // Approved by the asset owner who is not importing it: imported.
    let (dir, map) = csv_workbook(
        &db,
        "other",
        &[&format!(
            "Exampleshire County Council,Ann Example,Kit Madeup,M-500,Family Support,paper,{now},{now},{now},Dee Imaginary,{now}"
        )],
        &[],
    );
    db.ok(&["import", &dir, "--map", &map, "--commit"]);
    assert_eq!(db.references().len(), 1);
    db.verified();
}

#[test]
fn a_viewing_whose_method_does_not_fit_the_format_is_rejected_with_the_rule() {
    let db = council_db();
    let d = |day: u8| format!("{day:02}/03/{}", y());
    let (dir, map) = csv_workbook(
        &db,
        "method",
        &[&ola_approved()],
        &[
            &format!("{},10:00,11:00,Ola Imaginary,Chronology,Ann Example,,Teams", d(10)),
            &format!("{},10:00,11:00,Ola Imaginary,Chronology,Ann Example,,In person", d(11)),
        ],
    );
    let o = db.run(&["import", &dir, "--map", &map, "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("does not fit a physical (paper) request"), "{o:?}");
    assert!(o.stdout.contains("tracker row 2") || o.stdout.contains("row 2"), "{o:?}");
}

#[test]
fn only_an_administrator_registers_the_not_recorded_supervisor() {
    let db = council_db();
    set_my_roles(&db, "bsa,manager");
    let d = |day: u8| format!("{day:02}/03/{}", y());
    let (dir, map) = csv_workbook(
        &db,
        "nosup",
        &[&ola_approved()],
        &[&format!("{},10:00,11:00,Ola Imaginary,Chronology,Ann Example,,In person", d(10))],
    );
    let e = db.refused(&["import", &dir, "--map", &map, "--commit"], "permission");
    assert!(e.contains("an administrator runs the first import"), "{e}");
    assert!(db.references().is_empty());
    assert!(!db.ok(&["staff", "list"]).contains("imported:not-recorded"));
}

#[test]
fn a_viewing_added_to_the_tracker_since_an_import_is_reported_never_counted_as_present() {
    let db = council_db();
    let d = |day: u8| format!("{day:02}/03/{}", y());
    let request = ola_approved();
    let first = format!("{},10:00,11:00,Ola Imaginary,Chronology,Ann Example,,In person", d(10));
    let (dir, map) = csv_workbook(&db, "first", &[&request], &[&first]);
    db.ok(&["import", &dir, "--map", &map, "--commit"]);
    // The same requests tab; the tracker has gained a row.
    let later = format!("{},14:00,15:00,Ola Imaginary,Chronology,Ann Example,,In person", d(20));
    let (dir, map) = csv_workbook(&db, "second", &[&request], &[&first, &later]);
    let o = db.run(&["import", &dir, "--map", &map, "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("already present (skipped): 1 requests, 1 viewings"), "{o:?}");
    let r = db.references().pop().unwrap();
    assert!(
        o.stdout.contains(&format!("{r} came in with an earlier import and has no viewing on {} at 14:00", d(20))),
        "{o:?}"
    );
    assert!(o.stdout.contains(&format!("caseshare viewing {r}")), "{o:?}");
}

#[test]
fn a_reference_that_names_another_request_is_a_clash_not_already_present() {
    let db = council_db();
    let d = |day: u8| format!("{day:02}/03/{}", y());
    let dir = db.dir().join("refs");
    std::fs::create_dir(&dir).unwrap();
    let row = |r: &str, child: &str, day: u8| {
        format!(
            "{r},Exampleshire County Council,Ann Example,{child},M-200,Family Support,paper,{},{},{},Dee Imaginary,{}\n",
            d(day),
            d(day + 1),
            d(day + 2),
            d(day + 4)
        )
    };
    let head = "Ref,LA,Worker,Child,Mosaic,Team,Paper/Digital,Date in,Form sent,Form back,Approved by,Approved\n";
    let year = y();
    std::fs::write(dir.join("requests.csv"), format!("{head}{}", row(&format!("REQ-{year}-0001"), "Ola Imaginary", 1)))
        .unwrap();
    std::fs::write(dir.join("tracker.csv"), "Date,Start,End,Child,Viewed,Viewer,LA,How\n").unwrap();
    let mapping = MAPPING
        .replace("sheet = \"Requests\"", "sheet = \"requests\"")
        .replace("sheet = \"Tracker\"", "sheet = \"tracker\"")
        .replace("[requests.columns]\n", "[requests.columns]\nreference = \"Ref\"\n");
    let map = db.dir().join("refs-map.toml");
    std::fs::write(&map, mapping).unwrap();
    let (dir_s, map_s) = (dir.to_str().unwrap(), map.to_str().unwrap());
    db.ok(&["import", dir_s, "--map", map_s, "--commit"]);
    // The same reference, another child received on another day.
    std::fs::write(dir.join("requests.csv"), format!("{head}{}", row(&format!("REQ-{year}-0001"), "Kit Madeup", 9)))
        .unwrap();
    let o = db.run(&["import", dir_s, "--map", map_s, "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains(&format!(
            "REQ-{year}-0001 is already recorded, as a request from Exampleshire County Council received on {}",
            d(1)
        )),
        "{o:?}"
    );
    assert!(!o.stdout.contains("already present (skipped): 1 requests"), "{o:?}");
}

#[test]
fn an_edited_copy_of_the_workbook_does_not_import_its_old_rows_twice() {
    let db = council_db();
    let d = |day: u8| format!("{day:02}/03/{}", y());
    let old = ola_approved();
    let (dir, map) = csv_workbook(&db, "monday", &[&old], &[]);
    db.ok(&["import", &dir, "--map", &map, "--commit"]);
    let first = db.references().pop().unwrap();
    // The council kept using its spreadsheet: a row was added since.
    let new = format!(
        "Exampleshire County Council,Ann Example,Kit Madeup,M-500,Family Support,paper,{},{},{},Dee Imaginary,{}",
        d(8),
        d(9),
        d(10),
        d(12)
    );
    let (dir, map) = csv_workbook(&db, "friday", &[&old, &new], &[]);
    let o = db.run(&["import", &dir, "--map", &map, "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains(&format!("looks like {first}, imported from another copy of the workbook")), "{o:?}");
    // Without the old row, the new one comes in.
    let (dir, map) = csv_workbook(&db, "friday-new", &[&new], &[]);
    db.ok(&["import", &dir, "--map", &map, "--commit"]);
    assert_eq!(db.references().len(), 2);
    db.verified();
}

#[test]
fn supervision_a_tracker_does_not_record_is_never_assumed_only_stated_in_the_mapping() {
    let db = council_db();
    let d = |day: u8| format!("{day:02}/03/{}", y());
    let request = ola_approved();
    let viewing = format!("{},10:00,11:00,Ola Imaginary,Chronology,Ann Example,,In person", d(10));
    let (dir, map) = csv_workbook(&db, "nosay", &[&request], &[&viewing]);
    // The mapping without [defaults] supervised: a problem of the row, not a guess.
    let text = std::fs::read_to_string(&map).unwrap();
    let (without, _) = text.split_once("[defaults]").unwrap();
    std::fs::write(&map, without).unwrap();
    let o = db.run(&["import", &dir, "--map", &map, "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("whether it was supervised throughout is not recorded"), "{o:?}");
    assert!(o.stdout.contains("[defaults] supervised = true or false"), "{o:?}");
    // Stated: imported, and the viewing says where its supervision came from.
    std::fs::write(&map, text).unwrap();
    db.ok(&["import", &dir, "--map", &map, "--commit"]);
    let r = db.references().pop().unwrap();
    let shown = db.show(&r);
    let v = &shown["request"]["viewings"][0];
    assert_eq!(v["supervised"], true, "{v}");
    assert!(v["notes"].as_str().unwrap().contains("the tracker does not record supervision"), "{v}");
    // The placeholder supervisor never becomes anyone's record.
    let e = db.refused(&["staff", "activate", "imported:not-recorded"], "not applicable");
    assert!(e.contains("stands for a supervisor an imported spreadsheet did not name"), "{e}");
    db.refused(&["staff", "set-roles", "imported:not-recorded", "bsa,manager"], "not applicable");
}

#[test]
fn a_name_two_staff_share_asks_for_the_login_and_creates_no_one() {
    let db = council_db();
    db.ok(&["staff", "add", "dee2", "--name", "Dee Imaginary", "--roles", "manager"]);
    let request = ola_approved();
    let (dir, map) = csv_workbook(&db, "twins", &[&request], &[]);
    let o = db.run(&["import", &dir, "--map", &map, "--create-missing", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains("approver 'Dee Imaginary' is the name of 2 staff (dee, dee2): give the login instead"),
        "{o:?}"
    );
    assert!(!o.stdout.contains("Would create staff record"), "{o:?}");
    // By login, it is one person.
    let (dir, map) = csv_workbook(&db, "login", &[&request.replace("Dee Imaginary", "dee")], &[]);
    db.ok(&["import", &dir, "--map", &map, "--commit"]);
    db.verified();
}
