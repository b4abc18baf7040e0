//! Bad input exits 2 with one clear line and writes nothing; stale saves are refused;
//! stored text never reaches the terminal raw.

mod common;

use common::*;

/// `request new` with one field replaced.
fn new_request(field: &str, value: &str) -> Vec<String> {
    let mut fields = vec![
        ("--received", ago(3)),
        ("--org", LA.to_string()),
        ("--requester", "Rita Madeup".to_string()),
        ("--subject", "Alfie Testcase|M1001|01/05/2016".to_string()),
        ("--purpose", "Assessing risk".to_string()),
        ("--area", AREA.to_string()),
        ("--format", "paper".to_string()),
    ];
    for f in fields.iter_mut() {
        if f.0 == field {
            f.1 = value.to_string();
        }
    }
    let mut out = vec!["request".to_string(), "new".to_string()];
    for (k, v) in fields {
        out.push(k.to_string());
        out.push(v);
    }
    out
}

#[test]
fn bad_input_is_refused_with_exit_2_and_nothing_is_written() {
    let db = Db::standard();
    let events = db.events();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "--received",
            "31/02/2026".into(),
            "date received '31/02/2026' is not a date: use DD/MM/YYYY, YYYY-MM-DD or today",
        ),
        ("--received", "yesterday-ish".into(), "date received 'yesterday-ish' is not a date"),
        (
            "--requester",
            "Rita\u{1b}[2J\u{1b}[31mRed".into(),
            "requester name contains a terminal escape sequence: remove it and try again",
        ),
        ("--requester", "Rita\u{7}Bell".into(), "requester name contains a control character (U+0007)"),
        ("--requester", "Rita\u{202e}ecnatsni".into(), "requester name contains a control character (U+202E)"),
        ("--requester", "R".repeat(201), "requester name is too long (201 characters; at most 200)"),
        ("--purpose", "P".repeat(4001), "purpose is too long (4001 characters; at most 4000)"),
        ("--requester", "   ".into(), "requester name is required"),
        ("--subject", "Alfie|".into(), "subject 1 Mosaic ID is required"),
        ("--subject", "Alfie|M1|1/13/2016".into(), "subject 1 date of birth '1/13/2016' is not a date"),
        ("--format", "fax".into(), "format (paper, digital or both) 'fax' is not one of: paper, digital, both"),
    ];
    for (field, value, message) in cases {
        let e = db.error(&strs(&new_request(field, &value)));
        assert!(e.starts_with(&format!("caseshare: {message}")), "{field}={value:?}: {e}");
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "the refusal echoes no control characters: {e:?}");
    }
    assert_eq!(db.events(), events, "nothing was written");
    assert!(db.references().is_empty(), "no request was recorded");

    // Multi-line fields keep their newlines; the UK date format is accepted.
    let mut ok = new_request("--received", &uk_ago(3));
    let purpose = ok.iter().position(|a| a == "--purpose").unwrap() + 1;
    ok[purpose] = "Line one\nLine two".into();
    db.ok(&strs(&ok));
    let r = db.references().remove(0);
    assert_eq!(db.show(&r)["request"]["request"]["purpose"], "Line one\nLine two");
    assert_eq!(db.show(&r)["request"]["request"]["received_on"], ago(3));
}

#[test]
fn bad_step_input_is_refused_with_exit_2_and_the_request_is_unchanged() {
    let db = Db::standard();
    let r = db.preparing("paper");
    let version = db.version(&r);
    let events = db.events();
    for (args, message) in [
        (
            vec!["restore-requested", &r, "--restore-ref", "RST\u{1b}]0;owned\u{7}"],
            "restore reference contains a terminal escape sequence",
        ),
        (vec!["restored", &r, "--date", "2026-13-01"], "restored date '2026-13-01' is not a date"),
        (
            vec![
                "book",
                &r,
                "--venue",
                "room",
                "--room",
                "Room A",
                "--day",
                "tomorrowish",
                "--start",
                "10:00",
                "--end",
                "11:00",
            ],
            "booking date",
        ),
        (
            vec![
                "book",
                &r,
                "--venue",
                "room",
                "--room",
                "Room A",
                "--day",
                "01/01/2026",
                "--start",
                "25:00",
                "--end",
                "11:00",
            ],
            "start time",
        ),
        (
            vec![
                "book",
                &r,
                "--venue",
                "boat",
                "--room",
                "Room A",
                "--day",
                "01/01/2026",
                "--start",
                "10:00",
                "--end",
                "11:00",
            ],
            "venue 'boat' is not one of",
        ),
        (
            vec![
                "viewing",
                "--supervised",
                "yes",
                &r,
                "--start",
                "10:00",
                "--end",
                "11:00",
                "--viewers",
                "V",
                "--method",
                "in_person_paper",
                "--items",
                "one",
            ],
            "items shown 'one' is not an item number",
        ),
        (
            vec!["withdraw", &r, "--reason", "because\u{8}\u{8}\u{8}"],
            "reason for withdrawal contains a control character (U+0008)",
        ),
    ] {
        let e = db.error(&args);
        assert!(e.contains(message), "{args:?}: {e}");
    }
    assert_eq!(db.version(&r), version);
    assert_eq!(db.events(), events);
    assert_eq!(db.status(&r), "preparing");
}

#[test]
fn usage_errors_and_unknown_references_exit_2() {
    let db = Db::standard();
    let o = db.run(&["form-sent"]);
    assert_eq!(o.code, 2, "{o:?}");
    let o = db.run(&["request", "show", "REQ-2026-0001", "--no-such-flag"]);
    assert_eq!(o.code, 2, "{o:?}");
    let e = db.error(&["request", "show", "REQ-1999-0042"]);
    assert_eq!(e, "caseshare: no request REQ-1999-0042: check the reference (caseshare request list --all)");
    let missing = Db::empty();
    let e = missing.error(&["request", "list"]);
    assert!(e.contains("no database at") && e.contains("run `caseshare init`"), "{e}");
    assert!(!missing.path.exists(), "reading does not create a database");
}

#[test]
fn a_save_based_on_a_stale_version_is_refused() {
    let db = Db::standard();
    let me = me();
    let r = db.receive(LA, AREA, "paper", 20);
    let opened = db.version(&r);
    db.ok(&["form-sent", &r, "--date", &ago(19), "--if-version", &opened.to_string()]);
    let now = db.version(&r);
    assert_eq!(now, opened + 1);

    // Someone who opened the request before that save tries to save a change.
    let e = db.refused(
        &["withdraw", &r, "--reason", "No longer needed", "--date", &ago(18), "--if-version", &opened.to_string()],
        "conflict",
    );
    let today_uk = today().format("%d/%m/%Y").to_string();
    assert!(e.starts_with(&format!("caseshare: refused (conflict): {r} was changed by {me} at {today_uk} ")), "{e}");
    assert!(e.ends_with("since you opened it; reload it and make your change again"), "{e}");
    assert_eq!(db.status(&r), "awaiting_form", "nothing was overwritten");
    assert_eq!(db.version(&r), now);

    db.ok(&["withdraw", &r, "--reason", "No longer needed", "--date", &ago(18), "--if-version", &now.to_string()]);
    assert_eq!(db.status(&r), "withdrawn");
}

#[test]
fn stored_control_characters_are_printed_visibly_never_raw() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    // An edit behind the application's back (or an old import) plants escape sequences.
    let conn = raw(&db.path);
    conn.execute("UPDATE requests SET purpose = ?1", ["Clear\u{1b}[2J\u{1b}]0;pwned\u{7}screen"]).unwrap();
    conn.execute("UPDATE subjects SET name = ?1", ["Alfie\u{1b}[31mRed"]).unwrap();
    conn.execute("UPDATE organisations SET name = ?1 WHERE name = ?2", ["Evil\u{1b}[5mCouncil", LA]).unwrap();
    drop(conn);
    for args in [
        vec!["request", "show", &r],
        vec!["request", "list"],
        vec!["case-note", &r],
        vec!["log", &r],
        vec!["--json", "request", "show", &r],
    ] {
        let out = db.ok(&args);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{args:?} printed a raw control character: {out:?}");
    }
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains("Purpose       Clear\\u{1b}[2J\\u{1b}]0;pwned\\u{7}screen"), "{show}");
    assert!(show.contains("Alfie\\u{1b}[31mRed"), "{show}");
}

#[test]
fn the_requesters_details_and_purpose_can_be_corrected_and_the_log_keeps_what_they_were() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 3);
    let version = db.show(&r)["version"].as_i64().unwrap();
    let events = db.events();

    // Bad input and a stale version change nothing.
    db.error(&["correct", &r, "--requester", "  "]);
    db.refused(&["correct", &r, "--requester-email", "x@example.invalid", "--if-version", "999"], "conflict");
    let e = db.refused(&["correct", &r, "--requester-email", "rita@example.invalid"], "already recorded");
    assert!(e.contains("details are already as given"), "{e}");
    assert_eq!(db.events(), events, "nothing written by a refused correction");

    let out = db.ok(&[
        "correct",
        &r,
        "--requester-email",
        "rita.madeup@example.invalid",
        "--purpose",
        "Family moved into our area; section 47 enquiry",
        "--if-version",
        &version.to_string(),
    ]);
    assert!(out.starts_with(&format!("{r}: details corrected.")), "{out}");
    let shown = db.show(&r);
    let now = &shown["request"]["request"];
    assert_eq!(now["requester"]["email"], "rita.madeup@example.invalid");
    assert_eq!(now["requester"]["name"], "Rita Madeup", "fields not given are kept");
    assert_eq!(now["purpose"], "Family moved into our area; section 47 enquiry");
    let log = db.json(&["log", &r, "--limit", "1"]);
    assert_eq!(log[0]["op"], "correct");
    assert!(log[0]["before"].as_str().unwrap().contains("rita@example.invalid"), "{log}");
    assert!(log[0]["after"].as_str().unwrap().contains("rita.madeup@example.invalid"), "{log}");

    // A corrected name is found under its new spelling.
    db.ok(&["correct", &r, "--requester", "Rita Madeup-Smythe"]);
    let found = db.json(&["request", "list", "--text", "madeup-smythe"]);
    assert_eq!(found[0]["reference"], r.as_str());
}

#[test]
fn a_redirected_request_has_no_requester_details_to_correct() {
    let db = Db::empty();
    db.ok(&["demo"]);
    let e = db.refused(&["correct", "REQ-2026-0014", "--requester", "Someone Fictional"], "route");
    assert!(e.contains("was redirected and keeps no requester details"), "{e}");
    // Even with a blank name (the application's form sends every field), the reason
    // given is the redirect, not the blank.
    let e = db.refused(&["correct", "REQ-2026-0014", "--requester", ""], "route");
    assert!(e.contains("was redirected"), "{e}");
}
