//! The record you can prove: `verify` rebuilds the tables from the event log and
//! names any row edited, added or deleted behind the application's back; anchors
//! kept outside the database catch a log cut short or rewritten end to end; the
//! append-only triggers must be exactly as created; an old database is converted
//! to the salted log and still verifies.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::*;
use sha2::{Digest, Sha256};

/// A request taken to a supervised viewing, and a second one just received.
fn two_requests() -> (Db, String, String) {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 25);
    db.view(&r, "in_person_paper");
    let other = db.receive(LA2, AREA2, "digital", 3);
    db.verified();
    (db, r, other)
}

fn verify_fails(db: &Db, args: &[&str]) -> String {
    let o = db.run(args);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.is_empty(), "{o:?}");
    assert!(o.stderr.contains("caseshare: refused (event log integrity): the event log failed verification"), "{o:?}");
    o.stderr
}

#[test]
fn an_edited_requester_name_is_named_with_both_values() {
    let (db, r, _) = two_requests();
    raw(&db.path).execute("UPDATE requests SET requester_name = 'Mallory Meddler' WHERE reference = ?1", [&r]).unwrap();
    let e = verify_fails(&db, &["verify"]);
    assert!(
        e.contains(&format!(
            "caseshare: verify: request {r}: request.requester.name is \"Mallory Meddler\" in the tables but \"Rita Madeup\" in the log"
        )),
        "{e}"
    );
    // The chain itself is intact: the quick check cannot see a table edit.
    assert!(db.ok(&["verify", "--chain-only"]).starts_with("OK: "));
}

#[test]
fn deleted_viewings_and_an_added_one_are_named() {
    let (db, r, other) = two_requests();
    let conn = raw(&db.path);
    let viewing: i64 = conn.query_row("SELECT min(id) FROM viewings", [], |r| r.get(0)).unwrap();
    conn.execute_batch("DELETE FROM copies; DELETE FROM viewing_items; DELETE FROM incidents; DELETE FROM viewings;")
        .unwrap();
    let e = verify_fails(&db, &["verify"]);
    assert!(
        e.contains(&format!(
            "request {r}: viewing {viewing} is in the log but not in the tables (deleted outside caseshare)"
        )),
        "{e}"
    );

    // A viewing slipped in behind the back of a request that never had one.
    let fresh = two_requests();
    let conn = raw(&fresh.0.path);
    conn.execute(
        "INSERT INTO viewings (request_id, day, start_time, end_time, viewers, viewer_org, supervisor_id, method,
                               supervised, recorded_by)
         SELECT id, '2026-01-05', '10:00', '11:00', 'Someone Else', 'Nowhere', 1, 'in_person_paper', 1, 1
         FROM requests WHERE reference = ?1",
        [&fresh.2],
    )
    .unwrap();
    let id = conn.last_insert_rowid();
    let e = verify_fails(&fresh.0, &["verify"]);
    assert!(
        e.contains(&format!(
            "request {}: viewing {id} is in the tables but not in the log (added outside caseshare)",
            fresh.2
        )),
        "{e}"
    );
    drop(other);
}

#[test]
fn reference_rows_edited_added_or_deleted_are_named() {
    let (db, _, _) = two_requests();
    let conn = raw(&db.path);
    let sup: i64 = conn.query_row("SELECT id FROM staff WHERE login = ?1", [SUPERVISOR], |r| r.get(0)).unwrap();
    conn.execute("UPDATE staff SET name = 'Sue Swapped' WHERE id = ?1", [sup]).unwrap();
    conn.execute("INSERT INTO organisations (name, kind) VALUES ('Shadow Council', 'local_authority')", []).unwrap();
    let org = conn.last_insert_rowid();
    conn.execute("UPDATE service_areas SET asset_owner_id = (SELECT id FROM staff WHERE login = ?1)", [OWNER2])
        .unwrap();
    let e = verify_fails(&db, &["verify"]);
    assert!(
        e.contains(&format!(
            "staff member {sup}: name is \"Sue Swapped\" in the tables but \"Sue Supervisor\" in the log"
        )),
        "{e}"
    );
    assert!(e.contains(&format!("organisation {org} is in the tables but not in the log")), "{e}");
    assert!(e.contains(&format!("asset_owner is \"{OWNER2}\" in the tables but \"{OWNER}\" in the log")), "{e}");
}

#[test]
fn a_request_deleted_with_its_events_is_caught_by_the_chain_or_by_an_anchor() {
    // In the middle of the log: the chain has a hole.
    let (db, r, _) = two_requests();
    let elsewhere = tempfile::tempdir().unwrap();
    let anchors = elsewhere.path().join("anchors").join("head.jsonl");
    db.ok(&["anchor", "--file", anchors.to_str().unwrap()]);
    delete_request_and_events(&db.path, &r);
    let e = verify_fails(&db, &["verify"]);
    assert!(e.contains("is the first broken link: event "), "{e}");
    assert!(e.contains(" is missing (the next is "), "{e}");

    // At the end of the log: what is left links up and matches the tables, so only
    // the anchor taken before can tell.
    let (db, _, last) = two_requests();
    let elsewhere = tempfile::tempdir().unwrap();
    let anchors = elsewhere.path().join("anchors").join("head.jsonl");
    let out = db.ok(&["anchor", "--file", anchors.to_str().unwrap()]);
    assert!(out.starts_with("Anchored "), "{out}");
    let before = db.events();
    delete_request_and_events(&db.path, &last);
    assert!(db.ok(&["verify"]).starts_with("OK: "), "without the anchor nothing can tell");
    let e = verify_fails(&db, &["verify", "--anchors", anchors.to_str().unwrap()]);
    assert!(e.contains("the log no longer extends anchor 1 of 1"), "{e}");
    assert!(e.contains("but on "), "{e}");
    assert!(e.contains(&format!("it had {before} events: the events after ")), "{e}");
}

fn delete_request_and_events(path: &Path, reference: &str) {
    let id = format!("(SELECT id FROM requests WHERE reference = '{reference}')");
    let viewings = format!("(SELECT id FROM viewings WHERE request_id = {id})");
    behind_the_back(
        path,
        &format!(
            "DELETE FROM event_payloads WHERE event_id IN (SELECT id FROM events WHERE reference = '{reference}');
             DELETE FROM events WHERE reference = '{reference}';
             DELETE FROM copies WHERE viewing_id IN {viewings};
             DELETE FROM viewing_items WHERE viewing_id IN {viewings};
             DELETE FROM incidents WHERE request_id = {id};
             DELETE FROM viewings WHERE request_id = {id};
             DELETE FROM bookings WHERE request_id = {id};
             DELETE FROM approvals WHERE request_id = {id};
             DELETE FROM items WHERE request_id = {id};
             DELETE FROM ticks WHERE request_id = {id};
             DELETE FROM subjects WHERE request_id = {id};
             DELETE FROM request_search WHERE rowid = {id};
             DELETE FROM requests WHERE reference = '{reference}';"
        ),
    );
}

#[test]
fn a_deleted_tail_is_named_with_the_anchor_it_contradicts() {
    let (db, _, _) = two_requests();
    let elsewhere = tempfile::tempdir().unwrap();
    let anchors = elsewhere.path().join("elsewhere.jsonl");
    let a = anchors.to_str().unwrap();
    db.ok(&["anchor", "--file", a]);
    db.ok(&["staff", "add", "late", "--name", "Lee Later", "--roles", "bsa"]);
    db.ok(&["anchor", "--file", a]);
    assert!(db.ok(&["verify", "--anchors", a]).contains("extends all 2 anchors"));
    let last: i64 = raw(&db.path).query_row("SELECT max(id) FROM events", [], |r| r.get(0)).unwrap();
    behind_the_back(
        &db.path,
        &format!(
            "DELETE FROM event_payloads WHERE event_id = {last}; DELETE FROM events WHERE id = {last};
             DELETE FROM staff WHERE login = 'late';"
        ),
    );
    let e = verify_fails(&db, &["verify", "--anchors", a]);
    assert!(e.contains("the log no longer extends anchor 2 of 2"), "{e}");
    assert!(e.contains(&format!("the log ends at event {}", last - 1)), "{e}");
}

/// An event with its payload: id, at, login, op, reference, v, salt, before, after.
type EventRow = (i64, String, String, String, Option<String>, i64, String, String, String);

/// What an attacker who knows the formulas does: change a payload and the row it
/// describes, then recompute every digest and link from there to the end.
fn rewrite_and_rehash(path: &Path, reference: &str) {
    let conn = raw(path);
    let first: i64 =
        conn.query_row("SELECT min(id) FROM events WHERE reference = ?1", [reference], |r| r.get(0)).unwrap();
    behind_the_back(
        path,
        &format!(
            "UPDATE event_payloads SET after = replace(after, 'Rita Madeup', 'Nobody Atall') WHERE event_id = {first};
             UPDATE requests SET requester_name = 'Nobody Atall' WHERE reference = '{reference}';"
        ),
    );
    let rows: Vec<EventRow> = conn
        .prepare(
            "SELECT e.id, e.at, e.login, e.op, e.reference, p.v, p.salt, p.before, p.after
             FROM events e JOIN event_payloads p ON p.event_id = e.id ORDER BY e.id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let sha = |parts: &[&[u8]]| {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p);
        }
        hex::encode(h.finalize())
    };
    let mut prev = "0".repeat(64);
    let mut sql = String::new();
    for (id, at, login, op, reference, v, salt, before, after) in rows {
        let (v, lb, la) = (v.to_string(), before.len().to_string(), after.len().to_string());
        let digest = sha(&[
            salt.as_bytes(),
            b"\n",
            v.as_bytes(),
            b"\n",
            lb.as_bytes(),
            b"\n",
            before.as_bytes(),
            b"\n",
            la.as_bytes(),
            b"\n",
            after.as_bytes(),
            b"\n",
        ]);
        let link = serde_json::to_string(&(id, &at, &login, &op, &reference, &digest)).unwrap();
        let hash = sha(&[prev.as_bytes(), b"\n", link.as_bytes()]);
        sql.push_str(&format!(
            "UPDATE events SET digest = '{digest}', prev_hash = '{prev}', hash = '{hash}' WHERE id = {id};\n"
        ));
        prev = hash;
    }
    drop(conn);
    behind_the_back(path, &sql);
}

#[test]
fn a_log_rewritten_and_rehashed_end_to_end_contradicts_the_first_anchor_before_the_edit() {
    let (db, r, _) = two_requests();
    let elsewhere = tempfile::tempdir().unwrap();
    let anchors = elsewhere.path().join("kept-elsewhere.jsonl");
    let a = anchors.to_str().unwrap();
    db.ok(&["anchor", "--file", a]);
    rewrite_and_rehash(&db.path, &r);
    // Consistent with itself: chain, digests and tables all agree.
    assert!(db.ok(&["verify"]).starts_with("OK: "));
    let e = verify_fails(&db, &["verify", "--anchors", a]);
    assert!(e.contains("the log no longer extends anchor 1 of 1"), "{e}");
    assert!(e.contains("no longer has the hash recorded on "), "{e}");
    assert!(e.contains("the log was rewritten up to there"), "{e}");
}

#[test]
fn since_last_anchor_walks_only_what_came_after_and_still_catches_an_edit_there() {
    let (db, _, other) = two_requests();
    let elsewhere = tempfile::tempdir().unwrap();
    let anchors = elsewhere.path().join("a.jsonl");
    let a = anchors.to_str().unwrap();
    db.ok(&["anchor", "--file", a]);
    let total = db.events();
    db.ok(&["form-sent", &other, "--date", &ago(2)]);
    let out = db.ok(&["verify", "--anchors", a, "--since-last-anchor"]);
    assert!(out.contains(&format!("OK: 1 event after the last anchor (event {total})")), "{out}");
    raw(&db.path).execute("UPDATE requests SET form_sent_on = ?2 WHERE reference = ?1", [&other, &ago(1)]).unwrap();
    let e = verify_fails(&db, &["verify", "--anchors", a, "--since-last-anchor"]);
    assert!(e.contains(&format!("request {other}: request.form_sent_on is")), "{e}");

    // Without an anchor there is nothing to start from: an empty anchor file, or none.
    let fresh = Db::init();
    let missing = tempfile::tempdir().unwrap();
    let none = missing.path().join("never-written.jsonl");
    let e =
        fresh.refused(&["verify", "--anchors", none.to_str().unwrap(), "--since-last-anchor"], "event log integrity");
    assert!(e.contains("there are no anchors in"), "{e}");
    let empty = fresh.dir().join("none.jsonl");
    fs::write(&empty, "").unwrap();
    let e =
        fresh.refused(&["verify", "--anchors", empty.to_str().unwrap(), "--since-last-anchor"], "event log integrity");
    assert!(e.contains("there are no anchors in"), "{e}");
    assert!(e.contains("record an anchor first (caseshare anchor)"), "{e}");
}

#[test]
fn an_anchor_file_in_the_database_folder_is_refused() {
    let db = Db::init();
    let inside = db.dir().join("anchors.jsonl");
    let e = db.refused(&["anchor", "--file", inside.to_str().unwrap()], "event log integrity");
    assert!(e.contains("is in the database's own folder"), "{e}");
    assert!(!inside.exists());
    // The setting is used when no --file is given.
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("heads.jsonl");
    db.ok(&["settings", "set", "anchor_file", file.to_str().unwrap()]);
    db.ok(&["anchor"]);
    let line = fs::read_to_string(&file).unwrap();
    let anchor: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(anchor["events"].as_u64().unwrap(), db.events());
    assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn a_disarmed_trigger_that_still_says_raise_abort_is_named() {
    let (db, _, _) = two_requests();
    raw(&db.path)
        .execute_batch(
            "DROP TRIGGER events_no_delete;
             CREATE TRIGGER events_no_delete BEFORE DELETE ON events WHEN 0
             BEGIN
                 SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted');
             END;",
        )
        .unwrap();
    let e = verify_fails(&db, &["verify"]);
    assert!(e.contains("caseshare: verify: append-only trigger events_no_delete is missing or altered"), "{e}");

    let (db, _, _) = two_requests();
    raw(&db.path).execute_batch("DROP TRIGGER event_payloads_no_update").unwrap();
    let e = verify_fails(&db, &["verify", "--chain-only"]);
    assert!(e.contains("append-only trigger event_payloads_no_update is missing or altered"), "{e}");
}

#[test]
fn a_deleted_payload_is_named() {
    let (db, r, _) = two_requests();
    let id: i64 =
        raw(&db.path).query_row("SELECT max(id) FROM events WHERE reference = ?1", [&r], |x| x.get(0)).unwrap();
    behind_the_back(&db.path, &format!("DELETE FROM event_payloads WHERE event_id = {id}"));
    let e = verify_fails(&db, &["verify", "--chain-only"]);
    assert!(e.contains(&format!("event {id} (")), "{e}");
    assert!(
        e.contains("its payload is missing (deleted outside caseshare, and no disposal lists it as erased)"),
        "{e}"
    );
}

#[test]
fn the_quick_check_names_the_earliest_broken_event_whether_payload_or_link() {
    // `--chain-only` checks the payloads beside the links: whichever breaks first
    // in the log is the one named, with what broke.
    let (db, r, other) = two_requests();
    let first = |db: &Db, reference: &str| -> i64 {
        raw(&db.path).query_row("SELECT min(id) FROM events WHERE reference = ?1", [reference], |x| x.get(0)).unwrap()
    };
    let (early, late) = (first(&db, &r).min(first(&db, &other)), first(&db, &r).max(first(&db, &other)));
    behind_the_back(
        &db.path,
        &format!(
            "UPDATE events SET login = 'mallory' WHERE id = {late}; UPDATE event_payloads SET after = replace(after, 'a', 'b') WHERE event_id = {early}"
        ),
    );
    let e = verify_fails(&db, &["verify", "--chain-only"]);
    assert!(e.contains(&format!("event {early} (")), "{e}");
    assert!(e.contains("its payload does not match its digest"), "{e}");
    let full = verify_fails(&db, &["verify"]);
    assert!(full.contains(&format!("event {early} (")), "the full check names the same event: {full}");

    // With the payload put right, the later edit of the event itself is named.
    let (db, r, other) = two_requests();
    let late = first(&db, &r).max(first(&db, &other));
    behind_the_back(&db.path, &format!("UPDATE events SET login = 'mallory' WHERE id = {late}"));
    let e = verify_fails(&db, &["verify", "--chain-only"]);
    assert!(e.contains(&format!("event {late} (")), "{e}");
    assert!(e.contains("its content does not match its hash"), "{e}");
}

/// An old-layout event: id, at, login, op, reference, before, after.
type LegacyRow = (i64, String, String, String, Option<String>, String, String);

/// Fields later schemas added, with the column each is kept in: a copy taken back
/// to schema 6 has neither the column nor the field in its events.
const ADDED_SINCE_6: &[(&str, &str)] = &[
    ("items", "added_on"),
    ("requests", "files_secured_at"),
    ("viewings", "viewer_org_id"),
    ("viewings", "supervision_confirmed_by"),
    ("viewings", "lcc_devices_only"),
    ("viewings", "downloads"),
];

/// `v` without any key named in [`ADDED_SINCE_6`], at any depth.
fn without_later_fields(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            for (_, field) in ADDED_SINCE_6 {
                o.remove(*field);
            }
            o.values_mut().for_each(without_later_fields);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(without_later_fields),
        _ => {}
    }
}

/// A demonstration database as releases before the salted log wrote it (schema 6):
/// built now, then taken back to the old layout (payloads in `events`, the chain
/// hashed over `[id, at, login, op, reference, before, after]`, the two old triggers)
/// exactly as that release's `store/events.rs` and migration V1 had it, without the
/// columns and fields added since.
fn legacy_copy() -> Db {
    let db = Db::empty();
    db.ok(&["demo"]);
    let conn = raw(&db.path);
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;
         DROP TRIGGER event_payloads_no_update; DROP TRIGGER event_payloads_no_delete;
         CREATE TABLE old_events (
             id INTEGER PRIMARY KEY, at TEXT NOT NULL, login TEXT NOT NULL, op TEXT NOT NULL, reference TEXT,
             before TEXT NOT NULL, after TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
         INSERT INTO old_events SELECT e.id, e.at, e.login, e.op, e.reference, p.before, p.after, '', ''
             FROM events e JOIN event_payloads p ON p.event_id = e.id;
         DROP TABLE event_payloads; DROP TABLE events;
         ALTER TABLE old_events RENAME TO events;
         CREATE INDEX events_reference ON events(reference) WHERE reference IS NOT NULL;
         DROP INDEX subjects_mosaic_nocase; CREATE INDEX subjects_mosaic ON subjects(mosaic_id);
         ALTER TABLE bank_holidays DROP COLUMN removed;",
    )
    .unwrap();
    let rows: Vec<LegacyRow> = conn
        .prepare("SELECT id, at, login, op, reference, before, after FROM events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (table, column) in
        ADDED_SINCE_6.iter().chain(caseshare::store::schema::V14_COLUMNS).chain(caseshare::store::schema::V16_COLUMNS)
    {
        conn.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN {column};")).unwrap();
    }
    let mut prev = "0".repeat(64);
    for (id, at, login, op, reference, before, after) in rows {
        let strip = |text: String| match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(mut v) if text.starts_with('{') => {
                without_later_fields(&mut v);
                v.to_string()
            }
            _ => text,
        };
        let (before, after) = (strip(before), strip(after));
        conn.execute("UPDATE events SET before = ?2, after = ?3 WHERE id = ?1", rusqlite::params![id, before, after])
            .unwrap();
        let content = serde_json::to_string(&(id, &at, &login, &op, &reference, &before, &after)).unwrap();
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(b"\n");
        h.update(content.as_bytes());
        let hash = hex::encode(h.finalize());
        conn.execute("UPDATE events SET prev_hash = ?2, hash = ?3 WHERE id = ?1", rusqlite::params![id, prev, hash])
            .unwrap();
        prev = hash;
    }
    conn.execute_batch(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events\nBEGIN\n    \
         SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed');\nEND;
         CREATE TRIGGER events_no_delete BEFORE DELETE ON events\nBEGIN\n    \
         SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted');\nEND;
         PRAGMA user_version = 6;
         PRAGMA journal_mode = DELETE;",
    )
    .unwrap();
    drop(conn);
    fs::set_permissions(&db.path, fs::Permissions::from_mode(0o600)).unwrap();
    db
}

#[test]
fn an_old_database_is_converted_and_still_verifies() {
    let db = legacy_copy();
    let before: (i64, i64) = raw(&db.path)
        .query_row("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM requests)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(raw(&db.path).query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), 6);
    let list = db.command().args(["request", "list", "--all"]).env("USER", "demo.admin").output().unwrap();
    assert!(list.status.success(), "{list:?}");
    let conn = raw(&db.path);
    assert_eq!(
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(),
        caseshare::store::schema::LATEST
    );
    let nocase: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'subjects_mosaic_nocase'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nocase, 1, "Mosaic IDs are indexed without case once migrated");
    let after: (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM requests), (SELECT count(*) FROM event_payloads)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(after, (before.0, before.1, before.0), "every event kept, each with its payload");
    let salts: i64 = conn.query_row("SELECT count(DISTINCT salt) FROM event_payloads", [], |r| r.get(0)).unwrap();
    assert_eq!(salts, before.0, "a salt of its own per payload");
    let out = db.verified();
    assert!(out.contains(&format!("OK: {} events", before.0)), "{out}");
    assert!(out.contains("every table matches the log"), "{out}");
}

#[test]
fn an_old_database_whose_log_was_already_edited_is_not_converted() {
    let db = legacy_copy();
    raw(&db.path)
        .execute_batch(
            "DROP TRIGGER events_no_update;
             UPDATE events SET after = replace(after, 'Freya', 'Fiona') WHERE id = (SELECT min(id) FROM events WHERE after LIKE '%Freya%');",
        )
        .unwrap();
    let o = db.run(&["request", "list"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("the event log was already broken before conversion, at event "), "{o:?}");
    assert!(o.stderr.contains("restore a backup that verifies"), "{o:?}");
    assert_eq!(raw(&db.path).query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), 6, "untouched");
}

#[test]
fn the_newest_event_removed_and_its_row_put_back_is_named() {
    let (db, _, other) = two_requests();
    db.ok(&["form-sent", &other, "--date", &ago(2)]);
    let last: i64 = raw(&db.path).query_row("SELECT max(id) FROM events", [], |r| r.get(0)).unwrap();
    behind_the_back(
        &db.path,
        &format!(
            "DELETE FROM event_payloads WHERE event_id = {last}; DELETE FROM events WHERE id = {last};
             UPDATE requests SET form_sent_on = NULL WHERE reference = '{other}';"
        ),
    );
    let e = verify_fails(&db, &["verify"]);
    assert!(
        e.contains(&format!("request {other} has 1 events in the log for 2 changes in the tables (events removed)")),
        "{e}"
    );
}

#[test]
fn an_old_backup_with_a_trigger_dropped_is_named() {
    let db = legacy_copy();
    // As it was written, it verifies: the old triggers are exactly the ones checked.
    let o = db.command().args(["verify"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    raw(&db.path).execute_batch("DROP TRIGGER events_no_delete").unwrap();
    let o = db.command().args(["verify"]).env("USER", "demo.admin").output().unwrap();
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("append-only trigger events_no_delete is missing or altered"), "{stderr}");
    assert_eq!(
        raw(&db.path).query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(),
        6,
        "looked at, not converted"
    );
}

#[test]
fn the_whole_log_screen_rebuilds_the_tables_only_while_that_is_quick() {
    use caseshare::service::{Clock, Service};
    use caseshare::store::{OpenMode, Store};
    let (db, r, _) = two_requests();
    raw(&db.path)
        .execute("UPDATE requests SET purpose = 'changed behind the back' WHERE reference = ?1", [&r])
        .unwrap();
    let svc = Service::open(Store::open(&db.path, OpenMode::Existing).unwrap(), &me(), Clock::System).unwrap();
    let events: i64 = raw(&db.path).query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    // A small log: rebuilt, and the edit is found.
    let small = svc.verify_for_screen_up_to(events).unwrap();
    assert!(small.rebuilt);
    assert!(!small.ok());
    assert!(small.differences.iter().any(|d| d.contains(&format!("request {r}: request.purpose"))), "{small:?}");
    // Past the limit: the chain and triggers only, and it says the tables were not compared.
    let large = svc.verify_for_screen_up_to(events - 1).unwrap();
    assert!(!large.rebuilt);
    assert!(large.ok(), "{large:?}");
}

/// A generated demo of 40 requests, each created whole in one event (the log's
/// creation text is the tables' file, so `verify` takes its fast comparison).
fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = caseshare::service::Clock::Fixed(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 24, 10, 0, 0).unwrap(),
    );
    caseshare::demo::build_with(&path, "tester", clock, 40).unwrap();
    (dir, path)
}

/// The reference of the request holding the first row of `table` (by id) that
/// matches `filter`, and that row's id.
fn first_row(conn: &rusqlite::Connection, table: &str, filter: &str) -> (String, i64) {
    conn.query_row(
        &format!(
            "SELECT r.reference, t.id FROM {table} t JOIN requests r ON r.id = t.request_id WHERE {filter}
             ORDER BY t.id LIMIT 1"
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn rebuilt(path: &Path) -> caseshare::store::verify::VerifyReport {
    let conn = rusqlite::Connection::open(path).unwrap();
    caseshare::store::verify::verify(&conn, caseshare::store::verify::VerifyOptions { rebuild: true, since: None })
        .unwrap()
}

#[test]
fn edits_to_requests_created_whole_are_named_by_the_fast_comparison() {
    let (_dir, path) = demo_db();
    assert!(rebuilt(&path).ok(), "the demo verifies as generated");
    let conn = raw(&path);
    let named: String = conn.query_row("SELECT reference FROM requests ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    let requester: String =
        conn.query_row("SELECT requester_name FROM requests WHERE reference = ?1", [&named], |r| r.get(0)).unwrap();
    conn.execute("UPDATE requests SET requester_name = 'Mallory Meddler' WHERE reference = ?1", [&named]).unwrap();
    let (viewed, viewing) = first_row(
        &conn,
        "viewings",
        &format!("r.reference <> '{named}' AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.viewing_id = t.id)"),
    );
    conn.execute_batch(&format!(
        "DELETE FROM copies WHERE viewing_id = {viewing}; DELETE FROM viewing_items WHERE viewing_id = {viewing};
         DELETE FROM viewings WHERE id = {viewing};"
    ))
    .unwrap();
    let (consented, item) = first_row(&conn, "items", &format!("r.reference NOT IN ('{named}', '{viewed}')"));
    let consent: Option<String> =
        conn.query_row("SELECT agency_consent_on FROM items WHERE id = ?1", [item], |r| r.get(0)).unwrap();
    let consent = consent.map_or("null".to_string(), |c| format!("\"{c}\""));
    conn.execute("UPDATE items SET agency_consent_on = '2020-01-01' WHERE id = ?1", [item]).unwrap();
    let staff: i64 = conn.query_row("SELECT min(owner_id) FROM requests", [], |r| r.get(0)).unwrap();
    let staff_name: String = conn.query_row("SELECT name FROM staff WHERE id = ?1", [staff], |r| r.get(0)).unwrap();
    conn.execute("UPDATE staff SET name = 'Ivor Newname' WHERE id = ?1", [staff]).unwrap();

    let report = rebuilt(&path);
    let d = &report.differences;
    let has = |s: &str| d.iter().any(|x| x == s);
    assert!(
        has(&format!(
            "request {named}: request.requester.name is \"Mallory Meddler\" in the tables but \"{requester}\" in the log"
        )),
        "{d:#?}"
    );
    assert!(
        has(&format!(
            "request {viewed}: viewing {viewing} is in the log but not in the tables (deleted outside caseshare)"
        )),
        "{d:#?}"
    );
    let consent_at = format!("request {consented}: items.#{item}.agency_consent_on");
    assert!(has(&format!("{consent_at} is \"2020-01-01\" in the tables but {consent} in the log")), "{d:#?}");
    assert!(
        has(&format!("staff member {staff}: name is \"Ivor Newname\" in the tables but \"{staff_name}\" in the log")),
        "{d:#?}"
    );
    // A name copied into a request is compared where it lives, not in every request.
    assert_eq!(d.len(), 4, "{d:#?}");
    assert_eq!(report.more_differences, 0);
}

#[test]
fn the_fast_comparison_writes_each_request_exactly_as_the_detailed_one_reads_it() {
    use caseshare::store::{canonical, requests};
    let (_dir, path) = demo_db();
    let conn = raw(&path);
    // Edits a fast comparison must see, in text that needs escaping.
    let odd = "Quinn \"Q\" O'Neill \\ / tab\t new\nline \u{1}\u{7f} é 😀 \u{2028}";
    conn.execute("UPDATE requests SET requester_name = ?1 WHERE id = (SELECT min(id) FROM requests)", [odd]).unwrap();
    conn.execute("UPDATE staff SET name = ?1 WHERE id = (SELECT min(owner_id) FROM requests)", [odd]).unwrap();
    conn.execute_batch(
        "UPDATE items SET agency_consent_on = '2020-02-29' WHERE id = (SELECT min(id) FROM items);
         UPDATE viewings SET supervised = 1 - supervised WHERE id = (SELECT min(id) FROM viewings);
         DELETE FROM viewing_items WHERE viewing_id = (SELECT max(id) FROM viewings);
         UPDATE subjects SET dob = NULL WHERE id = (SELECT min(id) FROM subjects);
         UPDATE bookings SET teams_reason = 'A fictional reason' WHERE id = (SELECT min(id) FROM bookings);",
    )
    .unwrap();
    // Values a load reads but spells otherwise: no fast text, the request is compared
    // field by field.
    let (cased, _) = first_row(&conn, "viewings", "t.id = (SELECT max(id) FROM viewings)");
    conn.execute("UPDATE viewings SET method = upper(method) WHERE id = (SELECT max(id) FROM viewings)", []).unwrap();
    let (short, _) = first_row(&conn, "bookings", "t.id = (SELECT max(id) FROM bookings)");
    conn.execute("UPDATE bookings SET start_time = '09:30' WHERE id = (SELECT max(id) FROM bookings)", []).unwrap();

    let texts = canonical::texts(&conn).unwrap();
    let references: Vec<String> = conn
        .prepare("SELECT reference FROM requests ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(texts.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>(), references, "every request, in id order");
    for (reference, text) in texts {
        let file = requests::load(&conn, &reference).unwrap().unwrap();
        let slow = serde_json::to_value(&file).unwrap().to_string();
        if reference == cased || reference == short {
            assert_eq!(text, None, "{reference}");
        } else {
            assert_eq!(text.as_deref(), Some(slow.as_str()), "{reference}");
        }
    }
}
