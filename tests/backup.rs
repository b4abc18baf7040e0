//! `caseshare backup`: an online copy, private, checked before it counts.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

fn caseshare(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_caseshare")).arg("--db").arg(db).args(args).output().unwrap()
}

#[test]
fn a_backup_is_private_complete_and_verified_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    assert!(caseshare(&db, &["demo"]).status.success());
    let copy = dir.path().join("copy.db");
    let out = caseshare(&db, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("18 requests"));
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    // Verifying the backup leaves it exactly as it was: no switch to WAL, no files beside it.
    let before = std::fs::read(&copy).unwrap();
    let verified = caseshare(&copy, &["verify"]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).starts_with("OK: "));
    assert!(std::fs::read(&copy).unwrap() == before, "verify changed the backup");
    for extra in ["-wal", "-shm"] {
        assert!(
            !std::path::Path::new(&format!("{}{extra}", copy.display())).exists(),
            "{extra} left beside the backup"
        );
    }
    let listed = caseshare(&copy, &["request", "list", "--all"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 19, "header and 18 requests");
    let log = String::from_utf8_lossy(&caseshare(&db, &["log", "--limit", "1"]).stdout).into_owned();
    assert!(log.contains("backup"), "the backup is in the live log: {log}");
    // An existing file is never overwritten.
    let again = caseshare(&db, &["backup", copy.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
}

#[test]
fn a_copy_of_a_tampered_database_is_refused_and_not_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    assert!(caseshare(&db, &["demo"]).status.success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER events_no_update; UPDATE events SET login = 'mallory' WHERE id = 5;").unwrap();
    drop(conn);
    let copy = dir.path().join("copy.db");
    let out = caseshare(&db, &["backup", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not verify"));
    assert!(!copy.exists());
}

#[test]
fn a_read_only_service_account_can_make_the_nightly_backup_and_it_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    assert!(caseshare(&db, &["init"]).status.success());
    assert!(caseshare(&db, &["staff", "add", "second", "--name", "Second Admin", "--roles", "admin"]).status.success());
    let store = caseshare::store::Store::open(&db, caseshare::store::OpenMode::Existing).unwrap();
    let mut svc = caseshare::service::Service::open(store, "second", caseshare::service::Clock::System).unwrap();
    let me = caseshare::identity::current_login().unwrap();
    svc.staff_update(&me, Some("readonly"), None).unwrap();
    drop(svc);
    // Read-only: no export…
    let out = caseshare(&db, &["export", "--xlsx", dir.path().join("out.xlsx").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("may look things up but not export records"));
    // …but the nightly backup, recorded with where it went.
    let copy = dir.path().join("copy.db");
    let out = caseshare(&db, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(copy.exists());
    let log = String::from_utf8_lossy(&caseshare(&db, &["log"]).stdout).into_owned();
    assert!(log.contains("backup") && log.contains("copy.db"), "{log}");
}

#[test]
fn a_backup_names_the_older_backups_that_still_hold_what_a_disposal_erased() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    assert!(caseshare(&db, &["demo"]).status.success());
    let before = dir.path().join("before.db");
    let out = caseshare(&db, &["backup", before.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Older backup"), "no disposal yet");
    let old: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT r.reference FROM requests r JOIN subjects s ON s.request_id = r.id WHERE s.mosaic_id = 'DEMO-1015'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let disposed = caseshare(&db, &["dispose", &old, "--authorised-by", "demo.manager", "--reason", "schedule"]);
    assert!(disposed.status.success(), "{}", String::from_utf8_lossy(&disposed.stderr));
    let after = dir.path().join("after.db");
    let out = String::from_utf8_lossy(&caseshare(&db, &["backup", after.to_str().unwrap()]).stdout).into_owned();
    assert!(
        out.contains(&format!("Older backup {} (made ", before.display()))
            && out.contains(&format!("predates the disposal of {old} on ")),
        "{out}"
    );
    // Once it is deleted, nothing is said.
    std::fs::remove_file(&before).unwrap();
    let later = dir.path().join("later.db");
    let out = String::from_utf8_lossy(&caseshare(&db, &["backup", later.to_str().unwrap()]).stdout).into_owned();
    assert!(!out.contains("Older backup"), "{out}");
}
