//! Retention, holds and disposal through the command line, on the demo database:
//! a request past its date is listed, held, released and disposed of; afterwards no
//! byte of the database names the child, `verify` passes, the report's figures are
//! unchanged, and a payload deleted without a disposal is named as tampering.

mod common;

use common::*;
use serde_json::Value;

const CHILD: &str = "Olive Oldfile";
const MOSAIC: &str = "DEMO-1015";
const DOB: &str = "2009-11-23";

fn demo() -> Db {
    let db = Db::empty();
    db.ok(&["demo"]);
    db
}

fn reference_of(db: &Db, mosaic: &str) -> String {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row(
        "SELECT r.reference FROM requests r JOIN subjects s ON s.request_id = r.id WHERE s.mosaic_id = ?1",
        [mosaic],
        |r| r.get(0),
    )
    .unwrap()
}

fn due_refs(v: &Value, list: &str) -> Vec<String> {
    v[list].as_array().unwrap().iter().map(|d| d["reference"].as_str().unwrap().to_string()).collect()
}

/// Every byte of the database and its write-ahead log, after a checkpoint.
fn file_bytes(db: &Db) -> Vec<u8> {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db.path).unwrap();
    let wal = db.path.with_extension("db-wal");
    if wal.exists() {
        bytes.extend(std::fs::read(wal).unwrap());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let lower = haystack.to_ascii_lowercase();
    let n = needle.to_ascii_lowercase();
    lower.windows(n.len()).any(|w| w == n.as_bytes())
}

#[test]
fn a_request_past_its_date_is_listed_held_released_and_disposed_of_leaving_no_trace_of_the_child() {
    let db = demo();
    let r = reference_of(&db, MOSAIC);
    // Lookups of the child, from the command line.
    db.ok(&["who-viewed", "--mosaic-id", MOSAIC]);
    db.ok(&["request", "list", "--subject", "Oldfile"]);
    // A search by child and organisation at once names the child too.
    db.ok(&["request", "list", "--subject", "Oldfile", "--org", "Imaginary City Council"]);

    let due = db.json(&["retention", "due"]);
    assert!(due_refs(&due, "due").contains(&r), "{due}");
    let entry = due["due"].as_array().unwrap().iter().find(|d| d["reference"] == r.as_str()).unwrap();
    assert_eq!(entry["outcome"], "shared");
    assert!(entry["rule"].as_str().unwrap().starts_with("shared: 6 years after it closed on "), "{entry}");
    let text = db.ok(&["retention", "due"]);
    assert!(text.contains(&r) && text.contains("retention.shared"), "{text}");

    // Held: listed apart, and disposal refused until released.
    db.ok(&["hold", &r, "--reason", "Subject access request received (demo)"]);
    let due = db.json(&["retention", "due"]);
    assert!(!due_refs(&due, "due").contains(&r) && due_refs(&due, "held").contains(&r), "{due}");
    let refusal = db.refused(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "schedule"], "retention");
    assert!(refusal.contains("under a legal hold") && refusal.contains(&format!("caseshare release {r}")), "{refusal}");
    db.refused(&["hold", &r, "--reason", "again"], "already recorded");
    db.ok(&["release", &r]);
    db.refused(&["release", &r], "already recorded");

    // The authoriser is someone else, and an administrator or the area's asset owner.
    let me = me();
    let refusal = db.refused(&["dispose", &r, "--authorised-by", &me, "--reason", "schedule"], "separation of duties");
    assert!(refusal.contains("--authorised-by LOGIN"), "{refusal}");
    let refusal = db.refused(&["dispose", &r, "--authorised-by", "demo.bsa1", "--reason", "schedule"], "permission");
    assert!(refusal.contains("asset owner"), "{refusal}");
    db.error(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "  "]);

    // A dry run says what would go and keeps everything.
    let events_before = db.events();
    let dry = db.ok(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "schedule", "--dry-run"]);
    assert!(dry.contains("would be disposed of") && dry.contains("nothing was changed"), "{dry}");
    assert_eq!(db.events(), events_before);
    assert!(contains(&file_bytes(&db), CHILD), "the dry run erased the child");

    let report_before = db.json(&["report"]);
    let out = db.json(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "Retention schedule (demo)"]);
    assert_eq!(out["disposed"][0]["reference"], r.as_str(), "{out}");
    assert!(out["disposed"][0]["events_erased"].as_u64().unwrap() > 10, "{out}");
    // The who-viewed and the two list searches above named the child.
    assert_eq!(out["disposed"][0]["lookups_erased"], 3, "{out}");

    let bytes = file_bytes(&db);
    for needle in [CHILD, "Oldfile", MOSAIC, DOB] {
        assert!(!contains(&bytes, needle), "{needle} is still in the database's bytes");
    }
    assert!(db.verified().contains("every table matches the log"));
    assert_eq!(db.json(&["report"]), report_before, "the report's figures changed");

    let shown = db.show(&r);
    let disposal = &shown["request"]["request"]["disposal"];
    assert_eq!(disposal["authorised_by"]["login"], "demo.manager");
    assert_eq!(shown["request"]["viewings"].as_array().unwrap().len(), 1, "the residue keeps its viewing");
    assert_eq!(shown["request"]["request"]["status"], "complete");
    let due = db.json(&["retention", "due"]);
    assert!(!due_refs(&due, "due").contains(&r), "a disposed request is not due again");
    // The subject report finds nothing about the child, and says a request was disposed of.
    let report = db.json(&["subject-report", "--mosaic-id", MOSAIC]);
    assert_eq!(report["requests"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["disposed"]["requests"], 1, "{report}");
    let text = db.ok(&["subject-report", "--mosaic-id", MOSAIC]);
    assert!(text.contains("1 request(s) were disposed of under the retention schedule"), "{text}");
    // Nothing more is recorded on it.
    let refusal = db.refused(&["hold", &r, "--reason", "late"], "retention");
    assert!(refusal.contains("was disposed of on"), "{refusal}");
    db.refused(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "again"], "already recorded");
}

#[test]
fn open_and_not_yet_due_requests_are_refused_and_early_disposal_is_recorded() {
    let db = demo();
    db.ok(&["staff", "add", "ig.lead", "--name", "Ivy Governance", "--roles", "admin"]);
    let open = reference_of(&db, "DEMO-1001");
    let refusal = db.refused(&["dispose", &open, "--authorised-by", "ig.lead", "--reason", "x"], "retention");
    assert!(refusal.contains("is still open"), "{refusal}");
    // Withdrawn a month ago: due in two years.
    let recent = reference_of(&db, "DEMO-1012");
    let refusal = db.refused(&["dispose", &recent, "--authorised-by", "ig.lead", "--reason", "x"], "retention");
    assert!(refusal.contains("not due for disposal until") && refusal.contains("--early REASON"), "{refusal}");
    // Several at once: all or nothing.
    let old = reference_of(&db, "DEMO-1016");
    let events = db.events();
    db.refused(&["dispose", &old, &recent, "--authorised-by", "ig.lead", "--reason", "x"], "retention");
    assert_eq!(db.events(), events, "a refused batch wrote something");
    assert!(db.show(&old)["request"]["request"]["disposal"].is_null());
    let out = db.json(&[
        "dispose",
        &old,
        &recent,
        "--authorised-by",
        "ig.lead",
        "--reason",
        "Family asked for erasure; IG agreed (demo)",
        "--early",
        "Erasure request upheld by IG (demo)",
    ]);
    assert_eq!(out["disposed"].as_array().unwrap().len(), 2, "{out}");
    let disposal = db.show(&recent)["request"]["request"]["disposal"].clone();
    assert_eq!(disposal["early"], "Erasure request upheld by IG (demo)");
    assert!(db.verified().contains("every table matches the log"));
}

#[test]
fn a_payload_deleted_without_a_disposal_fails_verify() {
    let db = demo();
    let r = reference_of(&db, MOSAIC);
    db.ok(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "Retention schedule (demo)"]);
    assert!(db.verified().contains("every table matches the log"));
    // Behind the application's back: one payload of another request deleted.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let other = reference_of(&db, "DEMO-1009");
    let (id, sql): (i64, String) = conn
        .query_row(
            "SELECT (SELECT min(id) FROM events WHERE reference = ?1),
                    (SELECT sql FROM sqlite_master WHERE name = 'event_payloads_no_delete')",
            [&other],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute_batch("DROP TRIGGER event_payloads_no_delete").unwrap();
    conn.execute("DELETE FROM event_payloads WHERE event_id = ?1", [id]).unwrap();
    conn.execute_batch(&sql).unwrap();
    drop(conn);
    let out = db.run(&["verify"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(&format!("event {id} (")) && out.stderr.contains("no disposal lists it as erased"),
        "{out:?}"
    );
}

#[test]
fn a_dispose_event_appended_to_cover_a_deleted_payload_does_not_pass_verify() {
    let db = demo();
    let r = reference_of(&db, MOSAIC);
    db.ok(&["dispose", &r, "--authorised-by", "demo.manager", "--reason", "Retention schedule (demo)"]);
    // Behind the application's back: another request's payload deleted, and a
    // well-formed `dispose` event appended to the chain claiming to have erased it.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let other = reference_of(&db, "DEMO-1009");
    let id: i64 = conn.query_row("SELECT min(id) FROM events WHERE reference = ?1", [&other], |r| r.get(0)).unwrap();
    let sql: String = conn
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'event_payloads_no_delete'", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch("DROP TRIGGER event_payloads_no_delete").unwrap();
    conn.execute("DELETE FROM event_payloads WHERE event_id = ?1", [id]).unwrap();
    conn.execute_batch(&sql).unwrap();
    let forged = serde_json::json!({ "request": { "disposal": { "erased_events": [id], "erased_lookups": [] } } });
    for reference in [None, Some(r.as_str()), Some(other.as_str())] {
        caseshare::store::events::append(
            &conn,
            chrono::Utc::now(),
            "intruder",
            "dispose",
            reference,
            &Value::Null,
            &forged,
        )
        .unwrap();
    }
    drop(conn);
    let out = db.run(&["verify"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains(&format!("event {id} (")) && out.stderr.contains("no disposal lists it"), "{out:?}");
}
