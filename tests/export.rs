//! `caseshare export`: the spreadsheet's tabs, with real dates, frozen and filtered
//! headers, private files, and every export recorded.

mod common;

use std::os::unix::fs::PermissionsExt;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

fn demo() -> Db {
    let db = Db::empty();
    db.ok(&["demo"]);
    db
}

#[test]
fn the_workbook_has_the_requests_and_tracker_tabs_with_real_dates() {
    let db = demo();
    let file = db.dir().join("out.xlsx");
    let out = db.ok(&["export", "--xlsx", file.to_str().unwrap(), "--with-log"]);
    assert!(out.contains("Exported 18 requests, 5 viewings"), "{out}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["Requests", "Tracker", "Events"]);
    let requests = book.worksheet_range("Requests").unwrap();
    let header: Vec<String> = requests.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..4], ["Reference", "Requester", "Requester role", "Organisation"]);
    assert_eq!(requests.height(), 19, "header and 18 requests");
    let received = header.iter().position(|h| h == "Date received").unwrap();
    for row in requests.rows().skip(1) {
        assert!(matches!(row[received], Data::DateTime(_)), "a real date, not text: {:?}", row[received]);
    }
    let tracker = book.worksheet_range("Tracker").unwrap();
    assert_eq!(tracker.height(), 6, "header and 5 viewings");
    assert!(matches!(tracker.rows().nth(1).unwrap()[0], Data::DateTime(_)));
    let events = book.worksheet_range("Events").unwrap();
    assert!(events.height() > 90);

    // The export itself is in the log.
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "export");
    assert!(log[0]["after"].as_str().unwrap().contains("\"requests\":18"));
}

#[test]
fn csv_files_follow_the_list_filters_and_defuse_formulas() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 10);
    db.receive(LA2, AREA, "paper", 9);
    // A requester name that a spreadsheet would run as a formula.
    db.ok(&[
        "request",
        "new",
        "--received",
        &ago(3),
        "--org",
        LA,
        "--requester",
        "=HYPERLINK(\"x\")",
        "--subject",
        "Pat Fictional|M-77",
        "--purpose",
        "Assessment",
        "--area",
        AREA,
        "--format",
        "digital",
    ]);
    let dir = db.dir().join("csv");
    db.ok(&["export", "--csv", dir.to_str().unwrap(), "--org", LA]);
    let requests = std::fs::read_to_string(dir.join("requests.csv")).unwrap();
    // A UTF-8 byte order mark first, so Excel reads the names in any script rightly.
    assert!(requests.starts_with("\u{feff}Reference,"), "{requests}");
    assert!(std::fs::read_to_string(dir.join("tracker.csv")).unwrap().starts_with("\u{feff}Date,Start,End,"));
    let lines: Vec<&str> = requests.lines().collect();
    assert_eq!(lines.len(), 3, "header and the two {LA} requests: {requests}");
    assert!(lines[1].starts_with(&r));
    assert!(requests.contains("'=HYPERLINK"), "{requests}");
    assert!(dir.join("tracker.csv").exists());
    assert_eq!(std::fs::metadata(dir.join("requests.csv")).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn read_only_logins_cannot_export() {
    let db = Db::standard();
    db.ok(&["staff", "set-roles", &me(), "admin"]);
    db.ok(&["staff", "add", "second", "--name", "Second Admin", "--roles", "admin"]);
    let file = db.dir().join("x.xlsx");
    // Make the test login read-only through the library (an admin cannot demote themself).
    let store = caseshare::store::Store::open(&db.path, caseshare::store::OpenMode::Existing).unwrap();
    let mut svc = caseshare::service::Service::open(store, "second", caseshare::service::Clock::System).unwrap();
    svc.staff_update(&me(), Some("readonly"), None).unwrap();
    drop(svc);
    db.refused(&["export", "--xlsx", file.to_str().unwrap()], "permission");
    assert!(!file.exists());
}

/// The text of a workbook part (the sheet XML rust_xlsxwriter wrote).
fn part(file: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

#[test]
fn times_are_real_times_and_columns_are_as_wide_as_what_they_hold() {
    let db = demo();
    let file = db.dir().join("out.xlsx");
    db.ok(&["export", "--xlsx", file.to_str().unwrap()]);
    let csv = db.dir().join("csv");
    db.ok(&["export", "--csv", csv.to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let tracker = book.worksheet_range("Tracker").unwrap();
    let text = std::fs::read_to_string(csv.join("tracker.csv")).unwrap();
    let mut csv_rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for (row, text_row) in tracker.rows().skip(1).zip(csv_rows.records()) {
        let text_row = text_row.unwrap();
        for col in [1, 2] {
            // A number (a fraction of a day) with a time format, not the text "10:00".
            let Data::DateTime(t) = &row[col] else { panic!("a real time, not {:?}", row[col]) };
            let minutes = (t.as_f64() * 24.0 * 60.0).round() as u32;
            assert!(t.as_f64() > 0.0 && t.as_f64() < 1.0, "{t:?}");
            assert_eq!(format!("{:02}:{:02}", minutes / 60, minutes % 60), &text_row[col], "the same time as the CSV");
        }
    }
    assert!(tracker.height() > 1);

    // Widths from the data: the Organisation column fits "Exampleshire County Council"
    // (27 characters), wider than its heading; every column has a width.
    let sheet = part(&file, "xl/worksheets/sheet1.xml");
    let cols = &sheet[sheet.find("<cols>").expect("column widths set")..sheet.find("</cols>").unwrap()];
    let attr = |c: &str, name: &str| -> f64 {
        c.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    };
    let each: Vec<(f64, f64, f64)> =
        cols.split("<col ").skip(1).map(|c| (attr(c, "min"), attr(c, "max"), attr(c, "width"))).collect();
    assert_eq!(each.iter().map(|(min, max, _)| max - min + 1.0).sum::<f64>(), 31.0, "{cols}");
    let (_, _, organisation) = each.iter().find(|(min, max, _)| (*min..=*max).contains(&4.0)).unwrap();
    assert!((28.0..30.0).contains(organisation), "{cols}");
    assert!(sheet.contains("<autoFilter ref=\"A1:AE19\""), "the filter covers every row");
}
