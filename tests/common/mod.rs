//! Shared builders for the integration tests: a fresh temporary database per test,
//! the real `caseshare` binary run against it, and the standard reference data
//! (staff, service areas, organisations, rooms) most tests start from.
//!
//! The OS login running the tests is whoever runs `cargo test`; `init` makes it the
//! first administrator and [`Db::standard`] gives it the bsa role too. Every
//! approval it records is therefore "on behalf of" the asset owner (`mgr`), with
//! evidence, because the login that records a request may never approve it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::Value;
use tempfile::TempDir;

/// The login of the process running the tests (the one the binary acts as).
pub fn me() -> String {
    caseshare::identity::current_login().expect("the test runner has a login")
}

/// Today in the zone caseshare uses (Europe/London), so "days ago" agree with the binary.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// `n` days ago as `YYYY-MM-DD` (negative: in the future).
pub fn ago(n: i64) -> String {
    (today() - Duration::days(n)).format("%Y-%m-%d").to_string()
}

/// `n` days ago as caseshare prints it (`DD/MM/YYYY`).
pub fn uk_ago(n: i64) -> String {
    (today() - Duration::days(n)).format("%d/%m/%Y").to_string()
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The names used by [`Db::standard`].
pub const LA: &str = "Exampleshire County Council";
pub const LA2: &str = "Fictional Borough Council";
pub const AREA: &str = "Family Support";
pub const AREA2: &str = "Children in Care";
pub const OWNER: &str = "mgr";
pub const OWNER2: &str = "mgr2";
pub const SUPERVISOR: &str = "sup";

/// `args` followed by [`BASIS`].
pub fn with_basis<'a>(args: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(BASIS).copied().collect()
}

/// A complete lawful basis and decision record that fits SPEC section 2 as it stands:
/// public task, Art. 9(2)(g) with Sch.1 Part 2 para 18 (consent would prejudice the
/// child's protection), no criminal offence data, CA 1989 s.27, the decision record.
pub const BASIS: &[&str] = &[
    "--art6",
    "6_1_e",
    "--art9",
    "9_2_g",
    "--sch1",
    "p2_18",
    "--consent-not-obtained",
    "would_prejudice",
    "--criminal",
    "no",
    "--power",
    "ca1989_s27",
    "--necessity",
    "The receiving authority cannot assess risk without the history",
    "--consent-sought",
    "no",
    "--consent-note",
    "Seeking consent could place the child at risk",
    "--dsa",
    "no",
    "--security",
    "Viewed on site with an observer",
    "--retention",
    "Notes kept on the requester's case record",
];

/// The empty configuration file each [`Db`] gives the binary.
pub const EMPTY_CONFIG: &str = "no-config.toml";

/// Writes an empty configuration file (mode 0600) into `dir`, for `CASESHARE_CONFIG`.
pub fn empty_config(dir: &Path) -> PathBuf {
    use std::os::unix::fs::OpenOptionsExt;
    let file = dir.join(EMPTY_CONFIG);
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&file).expect("config file");
    file
}

/// A temporary directory holding one database file, removed when dropped.
pub struct Db {
    dir: TempDir,
    pub path: PathBuf,
    /// Holds the empty configuration file the binary is given, apart from the
    /// database's folder (whose listing tests check).
    config: TempDir,
}

impl Db {
    /// A temporary directory; no database yet.
    pub fn empty() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.db");
        let config = tempfile::tempdir().expect("temp dir");
        empty_config(config.path());
        Db { dir, path, config }
    }

    /// A database created with `caseshare init` (the test login is its admin).
    pub fn init() -> Db {
        let db = Db::empty();
        db.ok(&["init", "--name", "Robin Runner", "--position", "Business Support Assistant"]);
        db
    }

    /// `init` plus the reference data every request needs.
    pub fn standard() -> Db {
        let db = Db::init();
        let me = me();
        db.ok(&["staff", "set-roles", &me, "admin,bsa"]);
        db.ok(&[
            "staff",
            "add",
            OWNER,
            "--name",
            "Mona Manager",
            "--position",
            "Service Manager",
            "--roles",
            "manager",
        ]);
        db.ok(&["staff", "add", OWNER2, "--name", "Max Other", "--position", "Service Manager", "--roles", "manager"]);
        db.ok(&["staff", "add", SUPERVISOR, "--name", "Sue Supervisor", "--roles", "bsa"]);
        db.ok(&["area", "add", AREA, "--owner", OWNER]);
        db.ok(&["area", "add", AREA2, "--owner", OWNER2]);
        db.ok(&["org", "add", LA, "--kind", "local_authority"]);
        db.ok(&["org", "add", LA2, "--kind", "local_authority"]);
        db.ok(&["org", "add", "CAFCASS", "--kind", "cafcass"]);
        db.ok(&["org", "add", "Demo Constabulary", "--kind", "police"]);
        db.ok(&["room", "add", "Room A", "--observer-space", "--secure-storage"]);
        db.ok(&["room", "add", "Room B", "--observer-space", "--secure-storage"]);
        db.ok(&["room", "add", "Teams Room", "--observer-space", "--secure-storage", "--teams"]);
        db
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The binary with `--db` set, no `CASESHARE_DB` from the environment, and an
    /// empty configuration file, so a real `/etc/caseshare/config.toml` (a council
    /// name, an anchor file) on the machine running the tests changes nothing.
    pub fn command(&self) -> Command {
        let mut c = Command::cargo_bin("caseshare").expect("the caseshare binary is built");
        c.env_remove("CASESHARE_DB")
            .env("CASESHARE_CONFIG", self.config.path().join(EMPTY_CONFIG))
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(&self.path);
        c
    }

    /// Runs `caseshare --db PATH args…`.
    pub fn run(&self, args: &[&str]) -> Out {
        let out = self.command().args(args).output().expect("caseshare runs");
        Out {
            code: out.status.code().expect("exited, not killed"),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }

    /// Runs and insists on success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 0, "caseshare {args:?} failed:\nstdout: {}\nstderr: {}", o.stdout, o.stderr);
        assert!(o.stderr.is_empty(), "caseshare {args:?} wrote to stderr: {}", o.stderr);
        o.stdout
    }

    /// Runs and insists on a refusal by `rule` (exit 1, one line on stderr naming
    /// the rule, nothing on stdout); returns the stderr line.
    pub fn refused(&self, args: &[&str], rule: &str) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 1,
            "caseshare {args:?} should be refused by {rule}:\nstdout: {}\nstderr: {}",
            o.stdout, o.stderr
        );
        one_line(&o.stderr);
        let prefix = format!("caseshare: refused ({rule}): ");
        assert!(o.stderr.starts_with(&prefix), "expected `{prefix}…`, got: {}", o.stderr);
        assert!(o.stdout.is_empty(), "a refusal printed on stdout: {}", o.stdout);
        o.stderr.trim_end().to_string()
    }

    /// Runs and insists on a usage / input error (exit 2, one line on stderr).
    pub fn error(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 2,
            "caseshare {args:?} should fail with exit 2:\nstdout: {}\nstderr: {}",
            o.stdout, o.stderr
        );
        one_line(&o.stderr);
        assert!(o.stderr.starts_with("caseshare: "), "{}", o.stderr);
        o.stderr.trim_end().to_string()
    }

    /// Runs with `--json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("caseshare {args:?} printed bad JSON ({e}): {out}"))
    }

    /// `request show --json`.
    pub fn show(&self, reference: &str) -> Value {
        self.json(&["request", "show", reference])
    }

    pub fn status(&self, reference: &str) -> String {
        self.show(reference)["request"]["request"]["status"].as_str().expect("status").to_string()
    }

    pub fn version(&self, reference: &str) -> i64 {
        self.show(reference)["version"].as_i64().expect("version")
    }

    /// The state of checklist step `number` (`done`, `pending`, `not_required`…).
    pub fn step_state(&self, reference: &str, number: u64) -> String {
        let show = self.show(reference);
        let line = show["checklist"]
            .as_array()
            .expect("checklist")
            .iter()
            .find(|l| l["number"] == number)
            .unwrap_or_else(|| panic!("no step {number}"))
            .clone();
        line["state"].as_str().expect("state").to_string()
    }

    /// How many events the log holds (from `verify`, which also checks the chain).
    pub fn events(&self) -> u64 {
        let v = self.json(&["verify"]);
        v["events"].as_u64().expect("event count")
    }

    /// References of every request (closed ones too).
    pub fn references(&self) -> Vec<String> {
        let v = self.json(&["request", "list", "--all"]);
        v.as_array().expect("list").iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
    }

    /// Asserts `verify` passes and returns its line.
    pub fn verified(&self) -> String {
        let out = self.ok(&["verify"]);
        assert!(out.starts_with("OK: "), "{out}");
        out
    }

    /// Step 1 for a local authority, received `received_ago` days ago; returns the reference.
    pub fn receive(&self, org: &str, area: &str, format: &str, received_ago: i64) -> String {
        let v = self.json(&[
            "request",
            "new",
            "--received",
            &ago(received_ago),
            "--channel",
            "email",
            "--org",
            org,
            "--requester",
            "Rita Madeup",
            "--requester-role",
            "Social Worker",
            "--requester-email",
            "rita@example.invalid",
            "--subject",
            "Alfie Testcase|M1001|2016-05-01",
            "--purpose",
            "Family moved into our area; assessing risk",
            "--area",
            area,
            "--format",
            format,
        ]);
        assert!(v["redirect"].is_null(), "{v}");
        v["reference"].as_str().expect("reference").to_string()
    }

    /// Steps 2 and 3: the form sent the day after receipt, then [`Db::scope`].
    pub fn form_and_scope(&self, r: &str, received_ago: i64) {
        self.ok(&["form-sent", r, "--date", &ago(received_ago - 1)]);
        self.scope(r, received_ago);
    }

    /// Step 3 with three items (the third is the police's material), back five
    /// days after receipt, with the full lawful basis ([`BASIS`]).
    pub fn scope(&self, r: &str, received_ago: i64) {
        self.ok(&[
            "scope",
            r,
            "--returned",
            &ago(received_ago - 5),
            "--item",
            "Child and family assessment",
            "--item",
            "Chronology",
            "--item",
            "Strategy meeting minutes|Demo Constabulary",
        ]
        .iter()
        .chain(BASIS)
        .copied()
        .collect::<Vec<_>>());
    }

    /// Step 4, recorded by the test login on behalf of `mgr` with evidence.
    pub fn approve(&self, r: &str, items: &str, on_ago: i64) -> String {
        self.ok(&[
            "approve",
            r,
            "--approver",
            OWNER,
            "--items",
            items,
            "--reason",
            "Necessary for the assessment",
            "--date",
            &ago(on_ago),
            "--evidence-date",
            &ago(on_ago),
            "--evidence-ref",
            "Email from Mona Manager",
        ])
    }

    /// A request in `area` taken to "Preparing": received 40 days ago, items 1 and 3 approved 34 days ago.
    pub fn preparing(&self, format: &str) -> String {
        let r = self.receive(LA, AREA, format, 40);
        self.form_and_scope(&r, 40);
        self.approve(&r, "1,3", 34);
        r
    }

    /// A request taken to "Scheduled": files ready, a booking `booked_ago` days ago
    /// (10:00-11:30, Room A for paper, Teams Room for digital) and confirmed.
    pub fn scheduled(&self, format: &str, room: &str, booked_ago: i64) -> String {
        let r = self.preparing(format);
        if format != "digital" {
            self.ok(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(33)]);
            self.ok(&["restored", &r, "--date", &ago(31)]);
        }
        self.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
        let venue = if format == "digital" { "teams_room" } else { "room" };
        self.ok(&[
            "book",
            &r,
            "--venue",
            venue,
            "--room",
            room,
            "--day",
            &ago(booked_ago),
            "--start",
            "10:00",
            "--end",
            "11:30",
        ]);
        self.ok(&["confirm", &r, "--date", &ago(30)]);
        r
    }

    /// A supervised viewing of item 1, 20 days ago (confirmed by the test login; for a
    /// screen share, on LCC devices and with nothing downloaded).
    pub fn view(&self, r: &str, method: &str) -> String {
        self.ok(&[
            "viewing",
            r,
            "--date",
            &ago(20),
            "--start",
            "10:00",
            "--end",
            "11:30",
            "--viewers",
            "Rita Madeup",
            "--supervisor",
            SUPERVISOR,
            "--method",
            method,
            "--items",
            "1",
            "--supervised",
            "yes",
        ]
        .into_iter()
        .chain(if method == "in_person_paper" { vec![] } else { vec!["--lcc-devices", "yes", "--no-downloads"] })
        .collect::<Vec<_>>())
    }
}

/// The stderr of a refusal or error is exactly one line.
pub fn one_line(stderr: &str) {
    assert_eq!(stderr.lines().count(), 1, "expected one line on stderr, got: {stderr:?}");
    assert!(stderr.ends_with('\n'), "{stderr:?}");
}

/// A raw SQLite connection to the file, behind caseshare's back (no checks, no events).
pub fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("raw connection")
}

/// Borrowed arguments from owned ones.
pub fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Runs `sql` with the event log's append-only triggers dropped, then puts them
/// back exactly as they were: what someone with write access to the file could do.
pub fn behind_the_back(path: &Path, sql: &str) {
    let conn = raw(path);
    let triggers: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('events', 'event_payloads')",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(triggers.len(), 4, "{triggers:?}");
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, t) in triggers {
        conn.execute_batch(&t).unwrap();
    }
}
