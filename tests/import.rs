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
    assert!(dry.contains("Would import from out.xlsx: 18 requests and 5 viewings"), "{dry}");
    assert_eq!(db.events(), events_before, "a dry run writes nothing");

    let out = db.ok(&["import", book.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(out.contains("Imported from out.xlsx: 18 requests and 5 viewings"), "{out}");
    db.verified();
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "import");
    assert!(log[0]["after"].as_str().unwrap().contains("\"requests\":18"));

    // Everything the spreadsheet holds comes back the same (status is derived from
    // steps the spreadsheet does not record, so it is left out, as are the
    // decision-record columns after it, which the spreadsheet never had).
    let (a, b) = (export_csv(&demo, "a"), export_csv(&db, "b"));
    let status = caseshare::interop::export::REQUEST_HEADERS.iter().position(|h| *h == "Status").unwrap();
    let strip = |rows: Vec<Vec<String>>| {
        rows.into_iter()
            .map(|mut r| {
                r.truncate(status);
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
    let again = db.ok(&["import", book.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(again.contains("0 requests and 0 viewings; already present (skipped): 18 requests, 5 viewings"), "{again}");
    assert_eq!(db.references().len(), 18);
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
    let o = db.run(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    for expected in [
        // Names the database does not know are listed once each, with their rows.
        "  organisation 'Nowhere Council': create as local_authority (requests row 3)",
        "  person 'Nobody Known': create a staff record that cannot log in, as a manager (an asset owner) (requests row 6)",
        "Rejected requests row 4: bad date in received: '31/02/2025'",
        "Rejected requests row 5: missing requester",
        "Rejected requests row 7: date of approval 05/10/2025 is before date received 06/10/2025",
    ] {
        assert!(o.stdout.contains(expected), "missing {expected:?} in\n{}", o.stdout);
    }
    assert!(o.stderr.contains("3 row(s) rejected, 2 unknown name(s), so nothing was imported"), "{o:?}");
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
    let o = db.run(&["import", dir.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        // The rule, and its words, of a viewing logged by hand (`caseshare viewing`).
        o.stdout.contains(
            "Rejected tracker row 2: refused (minimum necessary): item 1 (Core assessment) has not been approved yet; \
             get the asset owner's approval for it first"
        ),
        "{}",
        o.stdout
    );
}

#[test]
fn malformed_files_are_reported_and_never_crash() {
    let db = empty_like_demo();
    let empty = write(&db, "empty.csv", "");
    assert!(db.error(&["import", empty.to_str().unwrap(), "--commit", "--all-problems"]).contains("is empty"));

    let no_org = write(&db, "cols.csv", "Reference,Requester,Date received\nREQ-2025-0001,Ann,01/10/2025\n");
    assert!(
        db.error(&["import", no_org.to_str().unwrap(), "--commit", "--all-problems"])
            .contains("lacks the column(s) Organisation")
    );

    let huge = "x".repeat(10 * 1024 * 1024);
    let big = write(
        &db,
        "big.csv",
        &format!(
            "{HEADER}REQ-2025-0001,{huge},Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,,,\n"
        ),
    );
    let o = db.run(&["import", big.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("Rejected big row 2: requester: the cell is too long (10485760 characters)"),
        "{}",
        &o.stdout[..o.stdout.len().min(300)]
    );

    let garbage = write(&db, "fake.xlsx", "this is not a workbook");
    assert!(
        db.error(&["import", garbage.to_str().unwrap(), "--commit", "--all-problems"])
            .contains("not a readable spreadsheet")
    );

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
    let o = db.run(&["import", formula.to_str().unwrap(), "--commit", "--all-problems"]);
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
    let out = db.ok(&["import", file.to_str().unwrap(), "--map", map.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(out.contains("Imported from old.csv: 1 requests"), "{out}");
    let refs = db.references();
    assert_eq!(refs, ["REQ-2025-0001"]);
    assert_eq!(db.status(&refs[0]), "new");
    // Twice: no duplicate, recognised by its source row.
    db.ok(&["import", file.to_str().unwrap(), "--map", map.to_str().unwrap(), "--commit", "--all-problems"]);
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
    let o = db.run(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1);
    assert!(
        // The same refusal as `caseshare approve` gives for the same decision.
        o.stdout.contains(
            "refused (asset owner): Dee Imaginary is not the asset owner of Family Support; only You (demo user) ("
        ) && o.stdout.contains("may decide; ask the asset owner for the decision"),
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
    db.ok(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
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
    let again = db.ok(&["import", copy.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(again.contains("already present (skipped): 1 requests"), "{again}");
}

/// This year, so that dates received this year are never in the future.
fn year() -> i32 {
    chrono::Datelike::year(&today())
}

/// A workbook with a Requests sheet of the export's first columns and these rows.
fn workbook(path: &Path, rows: &[[&str; 8]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Requests").unwrap();
    let headers =
        ["Reference", "Requester", "Organisation", "Child", "Mosaic ID", "Service area", "Format", "Date received"];
    for (r, row) in std::iter::once(&headers).chain(rows).enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_malformed_reference_is_refused_naming_its_sheet_and_row() {
    let db = empty_like_demo();
    let y = year();
    let (good, bad) = (format!("REQ-{y}-0001"), format!("REQ-{y}-zzzz"));
    let book = db.dir().join("refs.xlsx");
    let received = ago(0);
    workbook(
        &book,
        &[
            [&good, "Ann Example", LA, "Tom Fictional", "M-1", AREA, "paper", &received],
            [&bad, "Ann Example", LA, "Tom Fictional", "M-2", AREA, "paper", &received],
            [&format!("REQ-{y}-042"), "Ann Example", LA, "Tom Fictional", "M-3", AREA, "paper", &received],
        ],
    );
    let o = db.run(&["import", book.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    for expected in [
        format!("Rejected Requests row 3: reference '{bad}' is not a request reference"),
        format!("Rejected Requests row 4: reference 'REQ-{y}-042' is not a request reference"),
    ] {
        assert!(o.stdout.contains(&expected), "missing {expected:?} in\n{}", o.stdout);
    }
    assert!(o.stdout.contains("REQ-YYYY-NNNN"), "{}", o.stdout);
    assert!(db.references().is_empty(), "nothing imported");
}

#[test]
fn the_next_reference_is_one_past_the_largest_number_not_the_largest_text() {
    let db = empty_like_demo();
    let y = year();
    let file = write(
        &db,
        "numbers.csv",
        &format!(
            "{HEADER}\
             REQ-{y}-9999,Ann Example,{LA},Tom Fictional,M-1,{AREA},paper,{d},,,\n\
             req-{y}-10000,Ann Example,{LA},Ola Fictional,M-2,{AREA},paper,{d},,,\n",
            d = ago(0)
        ),
    );
    db.ok(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(db.references().len(), 2);
    assert_eq!(db.show(&format!("REQ-{y}-10000"))["request"]["request"]["reference"], format!("REQ-{y}-10000"));
    assert_eq!(db.receive(LA, AREA, "paper", 0), format!("REQ-{y}-10001"));

    // A malformed reference already in the database (imported before references
    // were checked) is passed over, not a dead end for every later request.
    raw(&db.path)
        .execute(
            "UPDATE requests SET reference = ?1 WHERE reference = ?2",
            [format!("REQ-{y}-zzzz"), format!("REQ-{y}-9999")],
        )
        .unwrap();
    assert_eq!(db.receive(LA, AREA, "paper", 0), format!("REQ-{y}-10002"));
    // It can still be looked up as it is; text that is no reference is an input error.
    db.show(&format!("REQ-{y}-zzzz"));
    db.show(&format!("req-{y}-10002"));
    let e = db.error(&["request", "show", &format!("REQ-{y}-12")]);
    assert!(e.contains(&format!("'REQ-{y}-12' is not a request reference")), "{e}");
    let e = db.error(&["request", "show", &format!("REQ-{y}-7777")]);
    assert!(e.contains(&format!("no request REQ-{y}-7777")), "{e}");
}

#[test]
fn rows_numbered_by_the_import_never_take_a_number_the_file_gives_further_down() {
    let db = empty_like_demo();
    let y = year();
    let file = write(
        &db,
        "mixed.csv",
        &format!(
            "{HEADER}\
             ,Ann Example,{LA},Tom Fictional,M-1,{AREA},paper,{d},,,\n\
             REQ-{y}-0001,Ann Example,{LA},Ola Fictional,M-2,{AREA},paper,{d},,,\n",
            d = ago(0)
        ),
    );
    db.ok(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
    let mut refs = db.references();
    refs.sort();
    assert_eq!(refs, [format!("REQ-{y}-0001"), format!("REQ-{y}-0002")]);
    // The row without a reference got the number after the file's.
    assert_eq!(db.show(&format!("REQ-{y}-0002"))["request"]["subjects"][0]["mosaic_id"], "M-1");
}

#[test]
fn twins_received_the_same_day_from_one_council_arrive_as_two_requests() {
    let db = empty_like_demo();
    let row = format!(",Ann Example,{LA},Tom Fictional,M-1,{AREA},paper,01/10/2025,,,\n");
    let file = write(&db, "twins.csv", &format!("{HEADER}{row}{row}"));
    let out = db.ok(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(out.contains("Imported from twins.csv: 2 requests"), "{out}");
    let mut refs = db.references();
    refs.sort();
    assert_eq!(refs, ["REQ-2025-0001", "REQ-2025-0002"]);
    db.verified();

    // The same file again, or a copy of it under another name, adds nothing.
    let again = db.ok(&["import", file.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(again.contains("0 requests and 0 viewings; already present (skipped): 2 requests"), "{again}");
    let copy = write(&db, "copy-of-twins.csv", &std::fs::read_to_string(&file).unwrap());
    let again = db.ok(&["import", copy.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(again.contains("already present (skipped): 2 requests"), "{again}");
    assert_eq!(db.references().len(), 2);
}

#[test]
fn files_of_the_same_name_in_different_folders_both_import() {
    let db = empty_like_demo();
    let mut imported_from = Vec::new();
    for (folder, child, id) in [("north", "Tom Fictional", "M-1"), ("south", "Ola Imaginary", "M-2")] {
        let dir = db.dir().join(folder);
        std::fs::create_dir(&dir).unwrap();
        let book = dir.join("requests.xlsx");
        workbook(&book, &[["", "Ann Example", LA, child, id, AREA, "paper", "2025-10-01"]]);
        let out = db.ok(&["import", book.to_str().unwrap(), "--commit", "--all-problems"]);
        assert!(out.contains("Imported from requests.xlsx: 1 requests"), "{folder}: {out}");
        let r = db.references().pop().unwrap();
        imported_from.push(db.show(&r)["request"]["request"]["imported_from"].as_str().unwrap().to_string());
    }
    assert_eq!(db.references().len(), 2);
    // Where each came from names the file, sheet and row, and the file's digest.
    for at in &imported_from {
        assert!(at.starts_with("requests.xlsx:Requests:2 sha256:"), "{at}");
    }
    assert_ne!(imported_from[0], imported_from[1]);
}

/// A zip archive written by hand: (name, method, CRC-32, bytes as stored, unpacked size).
fn zip_archive(entries: &[(&str, u16, u32, Vec<u8>, u32)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, method, crc, data, size) in entries {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            for half in [20u16, 0, *method, 0, 0x21] {
                v.extend_from_slice(&half.to_le_bytes()); // version, flags, method, time, date
            }
            for word in [*crc, data.len() as u32, *size] {
                v.extend_from_slice(&word.to_le_bytes());
            }
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut central);
        central.extend_from_slice(&[0; 10]); // comment length, disk, internal and external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A deflate stream (one fixed-Huffman block) of `head`, then a space and `runs` × 258
/// more spaces (each run a 13-bit "258 bytes back 1"), then `tail`: a real stream that
/// unpacks 160 times larger than it is, written in a moment.
fn deflated_spaces(head: &[u8], runs: usize, tail: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(runs * 13 / 8 + 64);
    let (mut acc, mut n) = (0u64, 0u32);
    let mut put = |value: u64, bits: u32| {
        acc |= value << n;
        n += bits;
        while n >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            n -= 8;
        }
    };
    // Huffman codes go most significant bit first.
    let code = |c: u64, bits: u32| (c.reverse_bits() >> (64 - bits), bits);
    put(0b011, 3); // final block, fixed Huffman
    for b in head.iter().chain(b" ") {
        let (c, bits) = code(0x30 + u64::from(*b), 8); // literals 0-143
        put(c, bits);
    }
    let (length_258, _) = code(0xC5, 8); // length code 285; distance code 0 is five zero bits
    for _ in 0..runs {
        put(length_258, 13);
    }
    for b in tail {
        let (c, bits) = code(0x30 + u64::from(*b), 8);
        put(c, bits);
    }
    put(0, 7); // end of block
    put(0, 7); // pad out the last byte
    out
}

#[test]
fn a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read() {
    let db = empty_like_demo();
    let stored = |name: &'static str, text: &str| {
        let data = text.as_bytes().to_vec();
        (name, 0u16, crc32fast::hash(&data), data.clone(), data.len() as u32)
    };
    // One sheet, Requests, that unpacks to 8 MiB past the real limit.
    let (head, tail) = (b"<worksheet><sheetData>".as_slice(), b"</sheetData></worksheet>".as_slice());
    let runs = (caseshare::interop::import::MAX_UNPACKED as usize + (8 << 20)) / 258;
    let unpacked = head.len() + 1 + runs * 258 + tail.len();
    let mut crc = crc32fast::Hasher::new();
    crc.update(head);
    crc.update(b" ");
    let mut block = crc32fast::Hasher::new();
    block.update(&[b' '; 258]);
    for _ in 0..runs {
        crc.combine(&block);
    }
    crc.update(tail);
    let sheet = ("xl/worksheets/sheet1.xml", 8u16, crc.finalize(), deflated_spaces(head, runs, tail), unpacked as u32);
    let bytes = zip_archive(&[
        stored(
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        stored(
            "xl/workbook.xml",
            r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Requests" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        stored(
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        sheet,
    ]);
    assert!(bytes.len() < 4 << 20, "the workbook is small: {} bytes", bytes.len());
    // It is what it says: the sheet really unpacks to spaces.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut start = vec![0; 1 << 20];
    std::io::Read::read_exact(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut start).unwrap();
    assert!(start.starts_with(head) && start[head.len()..].iter().all(|b| *b == b' '));

    let path = db.dir().join("bomb.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let e = db.error(&["import", path.to_str().unwrap(), "--dry-run"]);
    assert!(e.starts_with("caseshare: import "), "{e}");
    assert!(e.contains("bomb.xlsx unpacks to 520.0 MiB, more than the 512.0 MiB an import reads"), "{e}");
    assert!(db.references().is_empty());
}

#[test]
fn imported_viewings_follow_the_rules_of_a_viewing_logged_by_hand_and_the_log_rebuilds_them() {
    let db = empty_like_demo();
    let dir = db.dir().join("sheets");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("requests.csv"),
        format!(
            "{HEADER}REQ-2025-0001,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,You (demo user),05/10/2025,Approved\n"
        ),
    )
    .unwrap();
    let tracker =
        "Date,Start,End,Reference,What was viewed,Viewed by,Organisation,How,Supervised by,Supervised throughout\n";
    let row = |day: &str, supervised: &str| {
        format!(
            "{day},10:00,11:00,REQ-2025-0001,1. Core assessment,Ann Example,Exampleshire County Council,\"In person, paper\",Cal Placeholder,{supervised}\n"
        )
    };
    std::fs::write(
        dir.join("tracker.csv"),
        format!("{tracker}{}{}", row("03/10/2025", "Yes"), row("10/10/2025", "No")),
    )
    .unwrap();
    let o = db.run(&["import", dir.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains(
            "Rejected tracker row 2: refused (date order): viewing date 03/10/2025 is before the approval date 05/10/2025"
        ),
        "{}",
        o.stdout
    );
    assert!(db.references().is_empty());

    // Without the early row: the viewing left alone opens an incident, and verify
    // rebuilds every row the import wrote from its log.
    std::fs::write(dir.join("tracker.csv"), format!("{tracker}{}", row("10/10/2025", "No"))).unwrap();
    let out = db.ok(&["import", dir.to_str().unwrap(), "--commit", "--all-problems"]);
    assert!(out.contains("1 requests and 1 viewings"), "{out}");
    let shown = db.ok(&["request", "show", "REQ-2025-0001"]);
    assert!(shown.contains("not supervised throughout"), "{shown}");
    let verified = db.ok(&["verify"]);
    assert!(verified.contains("every table matches the log"), "{verified}");
}

#[test]
fn an_imported_request_closed_with_an_unreferred_incident_is_rejected_with_its_row() {
    let db = empty_like_demo();
    let dir = db.dir().join("sheets");
    std::fs::create_dir(&dir).unwrap();
    let header = HEADER.trim_end().to_string() + ",Date request complete\n";
    std::fs::write(
        dir.join("requests.csv"),
        format!(
            "{header}REQ-2025-0001,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,You (demo user),05/10/2025,Approved,20/10/2025\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("tracker.csv"),
        "Date,Start,End,Reference,What was viewed,Viewed by,Organisation,How,Supervised by,Supervised throughout\n\
         10/10/2025,10:00,11:00,REQ-2025-0001,1. Core assessment,Ann Example,Exampleshire County Council,\"In person, paper\",Cal Placeholder,No\n",
    )
    .unwrap();
    let o = db.run(&["import", dir.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains(
            "Rejected requests row 2: refused (incident): the incident of 10/10/2025 (viewing not supervised throughout) is not referred to information governance, so REQ-2025-0001 cannot be completed; refer it to information governance first"
        ),
        "{}",
        o.stdout
    );
    assert!(db.references().is_empty());
}

#[test]
fn an_imported_viewing_names_a_registered_local_authority_or_its_row_is_rejected() {
    let db = empty_like_demo();
    let dir = db.dir().join("sheets");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("requests.csv"),
        format!(
            "{HEADER}REQ-2025-0001,Ann Example,Exampleshire County Council,Tom Fictional,M-1,Family Support,paper,01/10/2025,You (demo user),05/10/2025,Approved\n"
        ),
    )
    .unwrap();
    let tracker =
        "Date,Start,End,Reference,What was viewed,Viewed by,Organisation,How,Supervised by,Supervised throughout\n";
    let row = |org: &str| {
        format!(
            "10/10/2025,10:00,11:00,REQ-2025-0001,1. Core assessment,Ann Example,{org},\"In person, paper\",Cal Placeholder,Yes\n"
        )
    };
    std::fs::write(dir.join("tracker.csv"), format!("{tracker}{}{}", row("Demo Constabulary"), row("Nowhere Council")))
        .unwrap();
    let o = db.run(&["import", dir.to_str().unwrap(), "--commit", "--all-problems"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains(
            "Rejected tracker row 2: refused (route): Demo Constabulary is police, not a local authority: police requests follow"
        ),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("  organisation 'Nowhere Council': create as local_authority (tracker row 3)"),
        "{}",
        o.stdout
    );

    std::fs::write(dir.join("tracker.csv"), format!("{tracker}{}", row(""))).unwrap();
    db.ok(&["import", dir.to_str().unwrap(), "--commit", "--all-problems"]);
    let v = &db.show("REQ-2025-0001")["request"]["viewings"][0];
    assert_eq!(v["viewer_org"], "Exampleshire County Council", "a blank cell is the requesting authority");
    assert!(v["viewer_org_id"].is_i64());
    db.verified();
}
