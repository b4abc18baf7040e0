//! `caseshare import`: today's spreadsheet in, every row checked, all or nothing,
//! never twice; malformed files reported, never half-imported.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A database with the demo's reference data but no requests.
fn empty_like_demo() -> Db {
    let db = Db::init();
    db.ok(&["staff", "set-roles", &me(), "admin,bsa,manager"]);
    db.ok(&["staff", "add", "demo.manager", "--name", "Dee Imaginary", "--roles", "manager"]);
    db.ok(&["staff", "add", "demo.bsa2", "--name", "Cal Placeholder", "--roles", "bsa"]);
    db.ok(&["staff", "add", "owner.fs", "--name", "You (demo user)", "--roles", "manager"]);
    for (org, kind) in caseshare::demo::ORGANISATIONS {
        db.ok(&["org", "add", org, "--kind", kind]);
    }
    db.ok(&["area", "add", "Family Support", "--owner", "owner.fs"]);
    db.ok(&["area", "add", "Children in Care", "--owner", "demo.manager"]);
    db
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path).unwrap().records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
}

fn export_csv(db: &Db, name: &str) -> PathBuf {
    let dir = db.dir().join(name);
    db.ok(&["export", "--csv", dir.to_str().unwrap()]);
    dir
}

#[test]
fn an_exported_workbook_imports_into_an_empty_database_and_matches() {
    let demo = Db::empty();
    demo.ok(&["demo"]);
    let book = demo.dir().join("out.xlsx");
    demo.ok(&["export", "--xlsx", book.to_str().unwrap()]);

    let db = empty_like_demo();
    let events_before = db.events();
    let dry = db.ok(&["import", book.to_str().unwrap(), "--dry-run"]);
    assert!(dry.contains("Would import from out.xlsx: 16 requests and 4 viewings"), "{dry}");
    assert_eq!(db.events(), events_before, "a dry run writes nothing");

    let out = db.ok(&["import", book.to_str().unwrap()]);
    assert!(out.contains("Imported from out.xlsx: 16 requests and 4 viewings"), "{out}");
    db.verified();
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "import");
    assert!(log[0]["after"].as_str().unwrap().contains("\"requests\":16"));

    // Everything the spreadsheet holds comes back the same (status is derived from
    // steps the spreadsheet does not record, so it is left out).
    let (a, b) = (export_csv(&demo, "a"), export_csv(&db, "b"));
    let strip = |rows: Vec<Vec<String>>| {
        rows.into_iter()
            .map(|mut r| {
                r.pop();
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(csv_rows(&a.join("requests.csv"))), strip(csv_rows(&b.join("requests.csv"))));
    assert_eq!(csv_rows(&a.join("tracker.csv")), csv_rows(&b.join("tracker.csv")));

    // Imported records say where they came from, and the import is in the log.
    let show = db.show("REQ-2026-0013");
    assert!(show["request"]["request"]["imported_from"].as_str().unwrap().starts_with("out.xlsx:Requests:"));

    // The same file again adds nothing.
    let again = db.ok(&["import", book.to_str().unwrap()]);
    assert!(again.contains("0 requests and 0 viewings; already present (skipped): 16 requests, 4 viewings"), "{again}");
    assert_eq!(db.references().len(), 16);
}

fn write(db: &Db, name: &str, text: &str) -> PathBuf {
    let p = db.dir().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const HEADER: &str = "Reference,Requester,Organisation,Child,Mosaic ID,Service area,Format,Date received,Approver,Date of approval,Decision\n";

#[test]
fn every_bad_row_is_reported_with_its_number_and_nothing_is_imported() {
    let db = empty_like_demo();
    let file = write(
        &db,
        "requests.csv",
        &format!(
            "{HEADER}\
             REQ-2025-0001,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,,,\n\
             REQ-2025-0002,Ann Example,Nowhere Council,Tom Fictional,M-2,Family Support,paper,02/10/2025,,,\n\
             REQ-2025-0003,Ann Example,Exampleshire County Council,Tom Fictional,M-3,Family Support,paper,31/02/2025,,,\n\
             REQ-2025-0004,,Exampleshire County Council,Tom Fictional,M-4,Family Support,paper,03/10/2025,,,\n\
             REQ-2025-0005,Ann Example,Exampleshire County Council,Tom Fictional,M-5,Family Support,paper,04/10/2025,Nobody Known,05/10/2025,Approved\n\
             REQ-2025-0006,Ann Example,Exampleshire County Council,Tom Fictional,M-6,Family Support,paper,06/10/2025,Dee Imaginary,05/10/2025,Approved\n"
        ),
    );
    let o = db.run(&["import", file.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{o:?}");
    for expected in [
        "Rejected requests row 3: unknown organisation 'Nowhere Council'",
        "Rejected requests row 4: bad date in received: '31/02/2025'",
        "Rejected requests row 5: missing requester",
        "Rejected requests row 6: unknown approver 'Nobody Known'",
        "Rejected requests row 7: date of approval 05/10/2025 is before date received 06/10/2025",
    ] {
        assert!(o.stdout.contains(expected), "missing {expected:?} in\n{}", o.stdout);
    }
    assert!(o.stderr.contains("5 row(s) rejected, so nothing was imported"), "{o:?}");
    assert!(db.references().is_empty(), "all or nothing: the good row was not imported either");
}

#[test]
fn a_viewing_of_an_unapproved_request_is_rejected() {
    let db = empty_like_demo();
    let dir = db.dir().join("sheets");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("requests.csv"),
        format!("{HEADER}REQ-2025-0001,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,,,\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("tracker.csv"),
        "Date,Start,End,Reference,What was viewed,Viewed by,Organisation,How,Supervised by,Supervised throughout\n\
         10/10/2025,10:00,11:00,REQ-2025-0001,1. Core assessment,Ann Example,Exampleshire County Council,\"In person, paper\",Cal Placeholder,Yes\n",
    )
    .unwrap();
    let o = db.run(&["import", dir.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains("Rejected tracker row 2: a viewing of an unapproved item: REQ-2025-0001 has no approval"),
        "{}",
        o.stdout
    );
}

#[test]
fn malformed_files_are_reported_and_never_crash() {
    let db = empty_like_demo();
    let empty = write(&db, "empty.csv", "");
    assert!(db.error(&["import", empty.to_str().unwrap()]).contains("is empty"));

    let no_org = write(&db, "cols.csv", "Reference,Requester,Date received\nREQ-2025-0001,Ann,01/10/2025\n");
    assert!(db.error(&["import", no_org.to_str().unwrap()]).contains("lacks the column(s) Organisation"));

    let huge = "x".repeat(10 * 1024 * 1024);
    let big = write(
        &db,
        "big.csv",
        &format!(
            "{HEADER}REQ-2025-0001,{huge},Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,,,\n"
        ),
    );
    let o = db.run(&["import", big.to_str().unwrap()]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("Rejected big row 2: requester: the cell is too long (10485760 characters)"),
        "{}",
        &o.stdout[..o.stdout.len().min(300)]
    );

    let garbage = write(&db, "fake.xlsx", "this is not a workbook");
    assert!(db.error(&["import", garbage.to_str().unwrap()]).contains("not a readable spreadsheet"));

    // A workbook with a formula where a value belongs.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Requests").unwrap();
    for (c, h) in
        ["Reference", "Requester", "Organisation", "Child", "Mosaic ID", "Service area", "Format", "Date received"]
            .iter()
            .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in [
        "REQ-2025-0001",
        "Ann Example",
        "Exampleshire County Council",
        "Tom Fictional",
        "M-1",
        "Family Support",
        "paper",
        "2025-10-01",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_formula(1, 1, "=CONCATENATE(\"A\",\"nn\")").unwrap();
    let formula = db.dir().join("formula.xlsx");
    book.save(&formula).unwrap();
    let o = db.run(&["import", formula.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains("Rejected Requests row 2: column Requester holds a formula: paste values instead"),
        "{}",
        o.stdout
    );
    assert!(db.references().is_empty());
}

#[test]
fn a_mapping_file_imports_another_layout() {
    let db = empty_like_demo();
    let file = write(
        &db,
        "old.csv",
        "LA,Date in,Worker,Child,Mosaic,Team,Paper/Digital\n\
         Fictional Borough Council,2025-09-01,Sam Notreal,Ola Imaginary,M-900,Children in Care,digital\n",
    );
    let map = write(
        &db,
        "map.toml",
        "[requests]\nsheet = \"old\"\n[requests.columns]\norganisation = \"LA\"\nreceived = \"Date in\"\nrequester = \"Worker\"\n\
         child = \"Child\"\nmosaic_id = \"Mosaic\"\nservice_area = \"Team\"\nformat = \"Paper/Digital\"\n",
    );
    let out = db.ok(&["import", file.to_str().unwrap(), "--map", map.to_str().unwrap()]);
    assert!(out.contains("Imported from old.csv: 1 requests"), "{out}");
    let refs = db.references();
    assert_eq!(refs, ["REQ-2025-0001"]);
    assert_eq!(db.status(&refs[0]), "new");
    // Twice: no duplicate, recognised by its source row.
    db.ok(&["import", file.to_str().unwrap(), "--map", map.to_str().unwrap()]);
    assert_eq!(db.references().len(), 1);
}

#[test]
fn imported_decisions_follow_the_asset_owner_rule_and_imported_requests_can_carry_on() {
    let db = empty_like_demo();
    let file = write(
        &db,
        "decided.csv",
        &format!(
            "{HEADER}\
             ,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,Dee Imaginary,05/10/2025,Approved\n"
        ),
    );
    let o = db.run(&["import", file.to_str().unwrap()]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("approver 'Dee Imaginary' is not the asset owner of Family Support (You (demo user) is)"),
        "{}",
        o.stdout
    );

    let file = write(
        &db,
        "ok.csv",
        &format!(
            "{HEADER}\
             ,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,You (demo user),05/10/2025,Approved\n"
        ),
    );
    db.ok(&["import", file.to_str().unwrap()]);
    let r = db.references().pop().unwrap();
    assert_eq!(db.status(&r), "preparing");
    // The unitemised scope stands as one approved item, so the visit can be arranged.
    db.ok(&["room", "add", "Room Z", "--observer-space", "--secure-storage"]);
    db.ok(&[
        "book",
        &r,
        "--venue",
        "room",
        "--room",
        "Room Z",
        "--day",
        &ago(-3),
        "--start",
        "10:00",
        "--end",
        "11:00",
    ]);
    // The same rows from a file of another name are recognised, not duplicated.
    let copy = write(&db, "copy-of-ok.csv", &std::fs::read_to_string(&file).unwrap());
    let again = db.ok(&["import", copy.to_str().unwrap()]);
    assert!(again.contains("already present (skipped): 1 requests"), "{again}");
}
