//! Whole-process benchmarks: the release binary run as a person or script would,
//! on the generated data set, median of several runs, printed as a table beside the
//! targets. `who-viewed` is measured side by side with the `sqlite3` command-line
//! tool running the same indexed query on the same file.
//!
//! `cargo bench --bench cli`

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::{bin, ms, percentile};

/// The queries `who-viewed --mosaic-id` runs (store::lists::tracker and
/// store::lists::direct_shares), for sqlite3.
const WHO_VIEWED_SQL: &str = "SELECT v.id, r.reference, v.day, v.start_time, v.end_time, v.viewers, v.viewer_org, s.name, v.method,
  coalesce((SELECT group_concat(i.number || '. ' || i.description, '; ') FROM viewing_items vi JOIN items i ON i.id = vi.item_id WHERE vi.viewing_id = v.id), ''),
  coalesce((SELECT group_concat(name, ', ') FROM subjects WHERE request_id = v.request_id), ''),
  coalesce((SELECT group_concat(mosaic_id, ', ') FROM subjects WHERE request_id = v.request_id), ''),
  v.supervised, (SELECT count(*) FROM copies c WHERE c.viewing_id = v.id)
FROM viewings v JOIN requests r ON r.id = v.request_id JOIN organisations o ON o.id = r.organisation_id JOIN staff s ON s.id = v.supervisor_id
WHERE v.request_id IN (SELECT request_id FROM subjects WHERE mosaic_id = 'MOSAIC' COLLATE NOCASE)
ORDER BY v.day DESC, v.start_time DESC, v.id DESC;
SELECT r.reference, coalesce(r.shared_on, r.completed_on, r.received_on), r.requester_name, o.name, coalesce(r.share_method, ''),
  coalesce((SELECT group_concat(i.number || '. ' || i.description, '; ') FROM items i WHERE i.request_id = r.id AND i.approved IS NOT 0), ''),
  coalesce((SELECT group_concat(name, ', ') FROM subjects WHERE request_id = r.id), ''),
  coalesce((SELECT group_concat(mosaic_id, ', ') FROM subjects WHERE request_id = r.id), '')
FROM requests r JOIN organisations o ON o.id = r.organisation_id
WHERE r.id IN (SELECT request_id FROM subjects WHERE mosaic_id = 'MOSAIC' COLLATE NOCASE) AND r.kind = 'direct_share'
ORDER BY coalesce(r.shared_on, r.completed_on, r.received_on) DESC, r.id DESC";

fn time(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let out = cmd.output().expect("runs");
    let d = t.elapsed();
    assert!(out.status.success(), "{:?}: {}", cmd, String::from_utf8_lossy(&out.stderr));
    d
}

/// Median of `runs` timings after one warm-up run.
fn median(runs: usize, mut make: impl FnMut(usize) -> Command) -> Duration {
    time(&mut make(usize::MAX));
    let mut v: Vec<Duration> = (0..runs).map(|i| time(&mut make(i))).collect();
    v.sort();
    percentile(&v, 50.0)
}

/// Medians of two commands run alternately (A B A B …) after one warm-up of each,
/// so that a change in the machine's load falls on both alike.
fn alternately(runs: usize, mut a: impl FnMut() -> Command, mut b: impl FnMut() -> Command) -> (Duration, Duration) {
    time(&mut a());
    time(&mut b());
    let (mut ta, mut tb) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        ta.push(time(&mut a()));
        tb.push(time(&mut b()));
    }
    ta.sort();
    tb.sort();
    (percentile(&ta, 50.0), percentile(&tb, 50.0))
}

fn caseshare(db: &Path) -> Command {
    let mut c = Command::new(bin());
    c.arg("--db").arg(db);
    c
}

fn row(what: &str, measured: Duration, target_ms: f64, note: &str) {
    let met = if measured.as_secs_f64() * 1000.0 <= target_ms { "met" } else { "MISSED" };
    println!("{what:<46} {:>12} {:>10} {met:>7}  {note}", ms(measured), format!("{target_ms} ms"));
}

/// A database with the demo's reference data and no requests, to import into.
fn import_target(dir: &Path) -> PathBuf {
    let db = dir.join("target.db");
    let run = |args: &[&str]| {
        let out = caseshare(&db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let me = caseshare::identity::current_login().unwrap();
    run(&["init"]);
    run(&["staff", "set-roles", &me, "admin,bsa"]);
    run(&["staff", "add", "owner.fs", "--name", "You (demo user)", "--roles", "manager"]);
    run(&["staff", "add", "demo.manager", "--name", "Dee Imaginary", "--roles", "manager"]);
    run(&["staff", "add", "demo.bsa2", "--name", "Cal Placeholder", "--roles", "bsa"]);
    for (org, kind) in caseshare::demo::ORGANISATIONS {
        run(&["org", "add", org, "--kind", kind]);
    }
    run(&["area", "add", "Family Support", "--owner", "owner.fs"]);
    run(&["area", "add", "Children in Care", "--owner", "demo.manager"]);
    db
}

fn main() {
    let n = support::size();
    let started = Instant::now();
    let db = support::dataset(n);
    eprintln!("data set ready in {:.1} s", started.elapsed().as_secs_f64());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mosaic: String = conn
        .query_row(
            "SELECT s.mosaic_id FROM subjects s JOIN viewings v ON v.request_id = s.request_id ORDER BY s.id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (requests, events, viewings): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM requests), (SELECT count(*) FROM events), (SELECT count(*) FROM viewings)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    drop(conn);
    println!(
        "Whole process, release build, on {requests} requests, {events} events, {viewings} viewings; median of runs"
    );
    println!("{:<46} {:>12} {:>10} {:>7}", "operation", "measured", "target", "");

    let who_viewed = || {
        let mut c = caseshare(&db);
        c.args(["who-viewed", "--mosaic-id", &mosaic]);
        c
    };
    let has_sqlite3 = Command::new("sqlite3").arg("-version").output().is_ok_and(|o| o.status.success());
    if has_sqlite3 {
        let sql = WHO_VIEWED_SQL.replace("MOSAIC", &mosaic);
        let (who, tool) = alternately(15, who_viewed, || {
            let mut c = Command::new("sqlite3");
            c.arg("-readonly").arg(&db).arg(&sql);
            c
        });
        let ratio = who.as_secs_f64() / tool.as_secs_f64();
        row(
            "who-viewed --mosaic-id",
            who,
            30.0,
            &format!("sqlite3 tool, same query, run alternately: {} ({ratio:.2}x; target 2x)", ms(tool)),
        );
    } else {
        let who = median(15, |_| who_viewed());
        row("who-viewed --mosaic-id", who, 30.0, "sqlite3 not installed: side-by-side comparison not run");
    }
    let overdue = median(15, |_| {
        let mut c = caseshare(&db);
        c.args(["request", "list", "--overdue"]);
        c
    });
    row("request list --overdue", overdue, 50.0, "first 500 in triage order, with the total");
    let chain = median(5, |_| {
        let mut c = caseshare(&db);
        c.args(["verify", "--chain-only"]);
        c
    });
    row(&format!("verify --chain-only ({events} events)"), chain, 5000.0, "triggers, hash chain, payload digests");
    let verify = median(5, |_| {
        let mut c = caseshare(&db);
        c.arg("verify");
        c
    });
    row(&format!("verify ({events} events)"), verify, 5000.0, "the same, and every table rebuilt from the log");
    let tmp = tempfile::tempdir().unwrap();
    let export = median(3, |i| {
        let mut c = caseshare(&db);
        c.args(["export", "--xlsx"]).arg(tmp.path().join(format!("export-{i}.xlsx")));
        c
    });
    row(&format!("export {requests} requests to xlsx"), export, 3_000.0, "Requests and Tracker sheets");
    // Peak memory is not noisy: one run, measured by GNU time where it is installed.
    if Path::new("/usr/bin/time").exists() {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .arg(bin())
            .arg("--db")
            .arg(&db)
            .args(["export", "--xlsx"])
            .arg(tmp.path().join("export-rss.xlsx"))
            .output()
            .unwrap();
        let kb: f64 =
            String::from_utf8_lossy(&out.stderr).lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(0.0);
        let met = if kb / 1024.0 <= 64.0 { "met" } else { "MISSED" };
        println!(
            "{:<46} {:>9.1} MB {:>10} {met:>7}  peak resident (GNU time %M)",
            "  export's peak memory",
            kb / 1024.0,
            "64 MB"
        );
    }

    // Import: a 10,000-request workbook (exported from a 10,000-request data set)
    // into a fresh database holding only the reference data.
    let rows = 10_000.min(n);
    let small = support::dataset(rows);
    let book = tmp.path().join("ten-thousand.xlsx");
    let out = caseshare(&small).args(["export", "--xlsx"]).arg(&book).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let template = import_target(tmp.path());
    let import = median(3, |i| {
        // A copy of the prepared database, made as a person would: `caseshare
        // backup` (a file copy would miss what is still in the write-ahead log).
        let copy = tmp.path().join(format!("import-{i}.db"));
        let out = caseshare(&template).arg("backup").arg(&copy).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut c = caseshare(&copy);
        c.arg("import").arg(&book).arg("--commit");
        c
    });
    let what = format!("import a {}-request spreadsheet", rows + 16);
    row(&what, import, 5000.0, "all rows checked, one transaction (+16 hand-made)");
}
