//! The demonstration database: fictional requests on every path and at every
//! status, a verifying event log, and it never overwrites (or is built in place
//! of) a real database.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::cargo::CommandCargoExt;
use common::*;

#[test]
fn demo_builds_fictional_requests_at_every_status() {
    let db = Db::empty();
    let out = db.ok(&["demo"]);
    assert!(out.starts_with("Demo database with "), "{out}");
    assert!(out.contains(&format!("fictional requests at {}", db.path.display())), "{out}");
    // Built with --db: the hint names that file (--demo alone opens the data directory's).
    assert!(out.contains(&format!("Try: caseshare --db {} request list", db.path.display())), "{out}");
    assert_eq!(
        std::fs::metadata(&db.path).map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777).unwrap(),
        0o600
    );

    // The open list, as the README suggests, shows requests with overdue ones first.
    let list = db.ok(&["--demo", "request", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert!(lines[0].starts_with("REFERENCE"), "{list}");
    assert!(lines.len() > 8, "{list}");
    assert!(lines[1].contains("! OVERDUE"), "overdue requests sort to the top: {list}");
    for name in ["Alfie Testcase", "Exampleshire County Council", "Bella Pretend"] {
        assert!(list.contains(name), "{name} missing: {list}");
    }

    let all = db.json(&["request", "list", "--all"]);
    let rows = all.as_array().unwrap();
    let statuses: BTreeSet<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    for s in [
        "new",
        "awaiting_form",
        "awaiting_approval",
        "preparing",
        "scheduled",
        "viewed",
        "complete",
        "refused",
        "withdrawn",
        "redirected",
    ] {
        assert!(statuses.contains(s), "no demo request is {s}: {statuses:?}");
    }
    let kinds: BTreeSet<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, BTreeSet::from(["direct_share", "redirect", "viewing"]));
    assert!(!db.json(&["request", "list", "--overdue"]).as_array().unwrap().is_empty());

    // An open incident, and the tracker, are there to try.
    let tracker = db.ok(&["who-viewed", "--org", "Council"]);
    assert!(tracker.contains("(NOT throughout)"), "{tracker}");

    // The invoking login can do everything.
    let staff = db.json(&["staff", "list"]);
    let mine = staff.as_array().unwrap().iter().find(|s| s["login"] == me().as_str()).expect("registered").clone();
    assert_eq!(mine["roles"], serde_json::json!(["admin", "bsa", "manager"]));

    // Built through the same operations as real work, so its history verifies.
    assert!(db.verified().contains("hash chain intact"));
}

#[test]
fn demo_is_deterministic_apart_from_the_day_it_is_built() {
    let (a, b) = (Db::empty(), Db::empty());
    a.ok(&["demo"]);
    b.ok(&["demo"]);
    let summary = |db: &Db| -> Vec<(String, String, String)> {
        db.json(&["request", "list", "--all"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["reference"].as_str().unwrap().to_string(),
                    r["status"].as_str().unwrap().to_string(),
                    r["subjects"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(summary(&a), summary(&b));
    assert_eq!(a.events(), b.events());
}

#[test]
fn demo_with_extra_generated_requests() {
    let db = Db::empty();
    db.ok(&["demo"]);
    let base = db.references().len();
    let out = db.ok(&["demo", "--requests", "30"]);
    assert!(out.starts_with(&format!("Demo database with {} fictional requests", base + 30)), "{out}");
    assert_eq!(db.references().len(), base + 30, "rebuilt, not added to");
    db.verified();
}

#[test]
fn demo_refuses_to_overwrite_a_real_database() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 5);
    let events = db.events();
    let e = db.refused(&["demo"], "permission");
    assert!(e.contains(&format!("{} holds a real caseshare database", db.path.display())), "{e}");
    assert!(e.contains("the demo never overwrites real data"), "{e}");
    assert_eq!(db.references(), vec![r]);
    assert_eq!(db.events(), events);
    db.verified();
}

#[test]
fn demo_mode_builds_the_demo_when_it_is_missing() {
    let db = Db::empty();
    let list = db.ok(&["--demo", "request", "list"]);
    assert!(list.contains("Alfie Testcase"), "{list}");
    db.verified();
}

/// `caseshare` with its data directory under `home` and no `--db`.
fn run_at_home(home: &Path, args: &[&str]) -> Out {
    let out = std::process::Command::cargo_bin("caseshare")
        .unwrap()
        .env_remove("CASESHARE_DB")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .args(args)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn demo_without_a_path_never_touches_the_real_database() {
    let home = tempfile::tempdir().unwrap();
    let real = home.path().join("data").join("caseshare").join("caseshare.sqlite3");
    let demo = home.path().join("data").join("caseshare").join("demo.sqlite3");

    let o = run_at_home(home.path(), &["demo"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stdout.contains(&demo.display().to_string()), "{o:?}");
    assert!(demo.exists());
    assert!(!real.exists(), "`caseshare demo` built the demo where the real database belongs");

    // A real database beside it is left alone, and each command sees its own.
    let o = run_at_home(home.path(), &["init"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(real.exists());
    let o = run_at_home(home.path(), &["demo"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(run_at_home(home.path(), &["request", "list"]).stdout, "No requests match.\n");
    assert!(run_at_home(home.path(), &["--demo", "request", "list"]).stdout.contains("Alfie Testcase"));
}

#[test]
fn demo_mode_never_follows_caseshare_db_to_the_real_database() {
    let home = tempfile::tempdir().unwrap();
    let real = home.path().join("real.sqlite3");
    let run = |args: &[&str]| {
        std::process::Command::cargo_bin("caseshare")
            .unwrap()
            .env("CASESHARE_DB", &real)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["init"]).status.success());
    let listed = run(&["--demo", "request", "list"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Alfie Testcase"), "the demo, not the real database");
    assert_eq!(String::from_utf8_lossy(&run(&["request", "list"]).stdout), "No requests match.\n");
    assert!(home.path().join("data/caseshare/demo.sqlite3").exists());
}

#[test]
fn a_long_list_is_cut_short_on_the_terminal_with_a_note_but_never_in_json() {
    let db = Db::empty();
    db.ok(&["demo", "--requests", "600"]);
    let all = db.json(&["request", "list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 618, "JSON lists every request unless --limit says otherwise");
    assert_eq!(db.json(&["request", "list", "--all", "--limit", "20"]).as_array().unwrap().len(), 20);
    let text = db.ok(&["--demo", "request", "list", "--all"]);
    assert!(text.ends_with("Showing the first 500 of 618 in triage order; --limit 0 lists every one.\n"), "{text}");
    assert_eq!(text.lines().count(), 1 + 500 + 1, "header, 500 rows, the note");
}

#[test]
fn generated_requests_keep_every_status_and_path_and_the_steps_each_took() {
    let db = Db::empty();
    db.ok(&["demo", "--requests", "400"]);
    let conn = raw(&db.path);
    let generated = "reference LIKE 'REQ-%-1____'";
    let statuses: BTreeSet<String> = conn
        .prepare(&format!("SELECT DISTINCT status FROM requests WHERE {generated}"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for s in [
        "new",
        "awaiting_form",
        "awaiting_approval",
        "preparing",
        "scheduled",
        "viewed",
        "complete",
        "refused",
        "withdrawn",
        "redirected",
    ] {
        assert!(statuses.contains(s), "no generated request is {s}: {statuses:?}");
    }
    let (requests, events, behind): (i64, i64, i64) = conn
        .query_row(
            &format!(
                "SELECT (SELECT count(*) FROM requests WHERE {generated}),
                        (SELECT count(*) FROM events WHERE {generated}),
                        (SELECT count(*) FROM requests r WHERE {generated}
                           AND r.version <> 1 + (SELECT count(*) FROM events e WHERE e.reference = r.reference))"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(requests, 400);
    assert!(events >= 9 * requests, "about ten events a request: {events} for {requests}");
    assert_eq!(behind, 0, "each request's version is its event count + 1");
    // Unsupervised generated viewings each opened an incident, named by the viewing.
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM viewings v WHERE NOT v.supervised
               AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.viewing_id = v.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    drop(conn);
    db.verified();
}
