//! The store on a real temporary file: creation, private file modes, reopening
//! (migrations are idempotent), refusing a world-readable file, the append-only
//! event log, and `verify` catching an edit made behind the application's back.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use caseshare::service::admin::StaffForm;
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store, StoreError};
use common::*;

fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn admin() -> StaffForm {
    StaffForm { login: "admin1".into(), name: "Ada Admin".into(), roles: "admin".into(), ..Default::default() }
}

fn count(conn: &rusqlite::Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_new_database_is_private_and_reopens_without_migrating_again() {
    let db = Db::empty();
    let store = Store::open(&db.path, OpenMode::Create { shared: false }).unwrap();
    assert_eq!(mode(&db.path), 0o600);
    let version: i64 = store.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 1, "migrated");
    let journal: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    drop(store);

    // Something in it, then reopen twice: same schema version, same data.
    let filled = Db::empty();
    let mut svc = Service::init(&filled.path, false, &admin(), Clock::System).unwrap();
    svc.org_add(LA, "local_authority").unwrap();
    drop(svc);
    for _ in 0..2 {
        let store = Store::open(&filled.path, OpenMode::Existing).unwrap();
        let again: i64 = store.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(again, version);
        assert_eq!(count(store.conn(), "organisations"), 1);
        assert_eq!(count(store.conn(), "events"), 2);
        assert_eq!(mode(&filled.path), 0o600, "reopening keeps the mode");
    }
    let svc = Service::open(Store::open(&filled.path, OpenMode::Existing).unwrap(), "admin1", Clock::System).unwrap();
    let check = caseshare::service::lookup::VerifyCheck { rebuild: true, ..Default::default() };
    assert!(svc.verify(&check).unwrap().ok());
}

#[test]
fn creating_over_an_existing_file_or_opening_a_missing_one_is_refused() {
    let db = Db::empty();
    match Store::open(&db.path, OpenMode::Existing) {
        Err(e @ StoreError::Missing { .. }) => assert!(e.to_string().contains("run `caseshare init`"), "{e}"),
        other => panic!("expected Missing, got {other:?}"),
    }
    assert!(!db.path.exists(), "opening does not create");
    drop(Store::open(&db.path, OpenMode::Create { shared: false }).unwrap());
    assert!(matches!(Store::open(&db.path, OpenMode::Create { shared: false }), Err(StoreError::Exists { .. })));
    let o = db.run(&["init"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("a database already exists at"), "{o:?}");

    // A database deleted without its write-ahead log: the log is not replayed into
    // a new database made at the same path.
    let o = db.run(&["init"]);
    assert_eq!(o.code, 2);
    std::fs::remove_file(&db.path).unwrap();
    let wal = format!("{}-wal", db.path.display());
    std::fs::write(&wal, b"left over").unwrap();
    let o = db.run(&["init"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains(&format!("{wal} is the write-ahead log of a database that is no longer there")), "{o:?}");
    assert!(!db.path.exists(), "nothing created beside the old log");
}

#[test]
fn a_shared_install_is_group_readable_but_never_world_readable() {
    let db = Db::empty();
    let out = db.ok(&["init", "--shared"]);
    assert!(out.contains("mode 0660, shared"), "{out}");
    assert_eq!(mode(&db.path), 0o660);
    db.ok(&["request", "list"]);

    // A directory created for the database is private too.
    let nested = db.dir().join("new").join("place.db");
    drop(Store::open(&nested, OpenMode::Create { shared: false }).unwrap());
    assert_eq!(mode(nested.parent().unwrap()), 0o700);
    assert_eq!(mode(&nested), 0o600);
}

#[test]
fn a_world_readable_database_is_refused_with_the_fix() {
    let db = Db::init();
    fs::set_permissions(&db.path, fs::Permissions::from_mode(0o644)).unwrap();
    match Store::open(&db.path, OpenMode::Existing) {
        Err(e @ StoreError::WorldReadable { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("is readable by other users (mode 0644)"), "{msg}");
            assert!(msg.contains(&format!("run `chmod 600 {}`", db.path.display())), "{msg}");
        }
        other => panic!("expected WorldReadable, got {other:?}"),
    }
    let e = db.error(&["request", "list"]);
    assert!(e.contains("chmod 600"), "{e}");
    fs::set_permissions(&db.path, fs::Permissions::from_mode(0o600)).unwrap();
    db.ok(&["request", "list"]);
}

#[test]
fn the_event_log_refuses_update_and_delete() {
    let db = Db::standard();
    let conn = raw(&db.path);
    let before = count(&conn, "events");
    let (at, hash): (String, String) =
        conn.query_row("SELECT at, hash FROM events WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();

    let e = conn.execute("UPDATE events SET login = 'mallory' WHERE id = 1", []).unwrap_err().to_string();
    assert!(e.contains("the event log is append-only: events cannot be changed"), "{e}");
    let e = conn.execute("DELETE FROM events WHERE id = 1", []).unwrap_err().to_string();
    assert!(e.contains("the event log is append-only: events cannot be deleted"), "{e}");
    let e = conn.execute("DELETE FROM events", []).unwrap_err().to_string();
    assert!(e.contains("append-only"), "{e}");

    assert_eq!(count(&conn, "events"), before);
    let after: (String, String) =
        conn.query_row("SELECT at, hash FROM events WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(after, (at, hash));
    drop(conn);
    db.verified();
}

#[test]
fn verify_names_the_first_event_whose_content_was_edited() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    let log = db.json(&["log", &r]);
    let id = log[0]["id"].as_i64().unwrap();
    assert_eq!(log[0]["op"], "request.new");
    let total = db.events();

    behind_the_back(
        &db.path,
        &format!("UPDATE event_payloads SET after = replace(after, 'Alfie', 'Alfredo') WHERE event_id = {id}"),
    );
    let changed: String =
        raw(&db.path).query_row("SELECT after FROM event_payloads WHERE event_id = ?1", [id], |r| r.get(0)).unwrap();
    assert!(changed.contains("Alfredo"), "the edit went through the raw connection");

    let o = db.run(&["verify"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.is_empty(), "no OK line: {o:?}");
    assert!(
        o.stderr.contains(&format!(
            "caseshare: verify: event {id} ({}",
            raw(&db.path).query_row("SELECT at FROM events WHERE id = ?1", [id], |r| r.get::<_, String>(0)).unwrap()
        )),
        "{o:?}"
    );
    assert!(
        o.stderr.contains(
            "is the first broken link: its payload does not match its digest (what changed was edited outside caseshare)"
        ),
        "{o:?}"
    );
    assert!(o.stderr.contains("caseshare: refused (event log integrity): the event log failed verification"), "{o:?}");

    let o = db.run(&["--json", "verify"]);
    assert_eq!(o.code, 1);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["first_broken"]["id"], id);
    assert_eq!(v["events"], total);
}

#[test]
fn verify_names_a_deleted_event_and_a_missing_trigger() {
    let db = Db::standard();
    let total = db.events();
    assert!(total > 5);
    behind_the_back(&db.path, "DELETE FROM event_payloads WHERE event_id = 4; DELETE FROM events WHERE id = 4");
    let o = db.run(&["verify"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("event 5 ("), "{o:?}");
    assert!(o.stderr.contains("event 4 is missing (the next is 5)"), "{o:?}");

    let fresh = Db::standard();
    raw(&fresh.path).execute_batch("DROP TRIGGER events_no_delete").unwrap();
    let o = fresh.run(&["verify"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stderr.contains("caseshare: verify: append-only trigger events_no_delete is missing or altered"),
        "{o:?}"
    );
}

#[test]
fn verify_notices_the_last_events_deleted_even_though_the_chain_still_links() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    db.verified();
    let last: i64 = raw(&db.path).query_row("SELECT max(id) FROM events", [], |r| r.get(0)).unwrap();
    behind_the_back(
        &db.path,
        &format!("DELETE FROM event_payloads WHERE event_id = {last}; DELETE FROM events WHERE id = {last}"),
    );
    let o = db.run(&["verify"]);
    assert_eq!(o.code, 1, "{o:?}");
    // The chain still links; the tables, rebuilt from what is left, do not match.
    assert!(!o.stderr.contains("first broken link"), "{o:?}");
    assert!(o.stderr.contains(&format!("caseshare: verify: request {r}: ")), "{o:?}");
}

#[test]
fn a_refused_operation_leaves_no_trace_in_the_database() {
    let db = Db::standard();
    let r = db.preparing("paper");
    let conn = raw(&db.path);
    let snapshot = |c: &rusqlite::Connection| -> Vec<i64> {
        ["events", "bookings", "ticks", "viewings", "incidents"].iter().map(|t| count(c, t)).collect()
    };
    let before = snapshot(&conn);
    // Refused half way: the booking is checked after the request is loaded inside the transaction.
    db.refused(
        &["book", &r, "--venue", "teams_meeting", "--day", &ago(5), "--start", "10:00", "--end", "11:00"],
        "venue",
    );
    assert_eq!(snapshot(&conn), before);
}
