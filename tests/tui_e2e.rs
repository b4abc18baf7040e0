//! End to end, as a person would: the real binary in tmux (120×40) on a fresh demo
//! database. Create a digital request through its forms, take it through approval
//! (recorded for the asset owner with their email as evidence), Mosaic checks,
//! booking and confirmation, log a viewing, find it in the tracker, quit — then
//! open the database and check the rows and events are there.
//!
//! Needs tmux (`.ci/run` installs it). The screen is polled with a deadline; there
//! are no bare sleeps.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(db: &Path) -> Tmux {
        let bin = env!("CARGO_BIN_EXE_caseshare");
        Tmux::run("e2e", 120, 40, &format!("{bin} --db {} --demo", db.display()))
    }

    /// A session `width`×`height` running `cmd`.
    fn run(name: &str, width: u16, height: u16, cmd: &str) -> Tmux {
        let present = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
        assert!(present, "tmux is required for the end-to-end test: install it (apt-get install tmux)");
        let session = format!("caseshare-{name}-{}", std::process::id());
        let (w, h) = (width.to_string(), height.to_string());
        let ok = Command::new("tmux")
            .args(["new-session", "-d", "-s", &session, "-x", &w, "-y", &h, cmd])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux could not start the session");
        Tmux { session }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["capture-pane", "-p", "-t", &self.session]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, or fails with the screen.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if s.contains(text) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}; the screen was:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let ok = Command::new("tmux").args(["send-keys", "-t", &self.session, k]).status().unwrap().success();
            assert!(ok, "send-keys {k} failed");
        }
    }

    fn text(&self, text: &str) {
        let ok = Command::new("tmux").args(["send-keys", "-t", &self.session, "-l", text]).status().unwrap().success();
        assert!(ok);
    }

    fn tabs(&self, n: usize) {
        for _ in 0..n {
            self.keys(&["Tab"]);
        }
    }

    /// Saves the open form and waits for the confirmation in the status line.
    fn save(&self, expect: &str) {
        self.keys(&["C-s"]);
        self.wait_for(expect);
    }

    /// Moves the checklist cursor down `n` steps and opens that step's form.
    fn open_step(&self, n: usize, title: &str) {
        for _ in 0..n {
            self.keys(&["Down"]);
        }
        self.keys(&["Enter"]);
        self.wait_for(title);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.session]).status();
    }
}

#[test]
fn a_digital_request_from_receipt_to_viewing_through_the_tui() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let t = Tmux::start(&db);
    t.wait_for("All open (9)");

    // Step 1: new request (Children in Care, digital).
    t.keys(&["n"]);
    t.wait_for("New request (step 1)");
    // Nothing is chosen for the user: the organisation, then (below) the service area.
    t.tabs(2);
    t.keys(&["Right"]); // the first organisation
    t.tabs(1);
    t.text("Ezra Requester");
    t.tabs(4);
    t.text("Zara Endtoend");
    t.tabs(1);
    t.text("E2E-0001");
    t.tabs(3);
    t.text("Assessment after the family moved");
    t.tabs(1);
    t.keys(&["Right"]); // the first service area: Children in Care
    t.wait_for("‹ Children in Care");
    t.tabs(1);
    t.keys(&["Right"]); // paper -> digital
    t.wait_for("‹ Digital ›");
    t.save("recorded. Status: New");

    // Find it and work down its checklist.
    t.keys(&["/"]);
    t.text("E2E-0001");
    t.keys(&["Enter"]);
    t.wait_for("Search, open and closed (1)");
    t.keys(&["Enter"]);
    t.wait_for("Enter opens the step's form");

    // Entering the checklist lands on the next step to do: step 2.
    t.open_step(0, "Request form sent (step 2)");
    t.save("form sent. Status: Awaiting form");

    t.open_step(1, "Form returned: scope and lawful basis");
    t.tabs(1);
    t.text("Latest child and family assessment");
    // Nothing is chosen for the person: saved untouched, the basis is refused.
    t.keys(&["C-s"]);
    t.wait_for("nothing is filled in for you");
    t.tabs(2);
    t.keys(&["Left"]); // Art. 6: from nothing, left lands on the last, 6(1)(e)
    t.wait_for("‹ Art. 6(1)(e) public task ›");
    t.tabs(1);
    t.keys(&["Left", "Left"]); // Art. 9(2)(g)
    t.tabs(1);
    t.keys(&["Right", "Right", "Right", "Right", "Right"]); // Sch.1 Part 2 para 18
    t.tabs(1);
    t.keys(&["Left"]); // obtaining consent would prejudice the child's protection
    t.tabs(1);
    t.keys(&["Right"]); // criminal offence data: not involved
    t.tabs(1);
    t.keys(&["Right", "Right"]); // CA 1989 s.27
    t.tabs(5);
    t.text("The receiving authority cannot assess risk without the history");
    t.tabs(1);
    t.keys(&["Left"]); // consent sought: no
    t.tabs(1);
    t.text("Asking could put the child at risk");
    t.tabs(1);
    t.keys(&["Right", "Right"]); // agreement: no
    t.tabs(2);
    t.text("Screen share only, with an LCC observer");
    t.tabs(1);
    t.text("n/a: nothing is copied");
    t.save("scope captured. Status: Awaiting approval");

    t.open_step(1, "Approval by the asset owner");
    t.wait_for("Dee Imaginary (demo.manager)");
    t.tabs(3);
    t.text("Necessary for the receiving authority's assessment");
    t.tabs(1);
    t.text("today");
    t.tabs(1);
    t.text("Email from Dee Imaginary, 24/11");
    t.save("decision recorded (Approved). Status: Preparing");

    t.open_step(2, "Mosaic checks (step 6)");
    t.tabs(1);
    t.keys(&["Right"]);
    t.tabs(1);
    t.keys(&["Right"]);
    t.save("Mosaic checks recorded");

    t.open_step(1, "Venue booked (step 7)");
    t.tabs(1);
    t.keys(&["T"]); // Teams Room (demo)
    t.wait_for("‹ Teams Room (demo) ›");
    t.tabs(1);
    t.text("today");
    t.save("venue booked");

    t.open_step(1, "Date and venue confirmed (step 8)");
    t.save("date and venue confirmed. Status: Scheduled");

    t.open_step(1, "Viewing (step 9)");
    t.tabs(5);
    t.keys(&["Right"]); // LCC supervisor: nobody is put down for the user
    t.tabs(2);
    t.keys(&["Space"]);
    t.wait_for("[x] 1. Latest child and family assessment");
    // Nothing is answered for the user: supervised throughout, who confirms it, LCC
    // devices only, and nothing downloaded.
    t.tabs(2);
    t.keys(&["Right"]); // Supervised throughout: Yes
    t.tabs(1);
    t.keys(&["Right"]); // Confirmed by: the first of the staff
    t.tabs(1);
    t.keys(&["Right"]); // Only LCC devices, logins: Yes
    t.tabs(4);
    t.keys(&["Left"]); // Anything downloaded: No
    t.save("viewing logged. Status: Viewed");

    // The on-call question: who viewed Zara's file?
    t.keys(&["Escape"]);
    t.wait_for("Enter or Tab: work on the checklist");
    t.keys(&["t"]);
    t.wait_for("Tracker: who viewed what");
    t.keys(&["/"]);
    t.text("E2E-0001");
    t.keys(&["Enter"]);
    t.wait_for("Viewings (1)");
    t.wait_for("Zara Endtoend");
    t.keys(&["Escape"]);
    t.wait_for("Viewings (6)");
    t.keys(&["Escape"]);
    t.wait_for("Requests: search, open and closed");

    // Another user's change appears without a keypress (data_version polling).
    t.keys(&["Escape"]);
    t.wait_for("All open (10)");
    assert!(t.screen().contains("REQ-2026-0001 New"));
    let other = Command::new(env!("CARGO_BIN_EXE_caseshare"))
        .args(["--db"])
        .arg(&db)
        .args(["form-sent", "REQ-2026-0001"])
        .output()
        .unwrap();
    assert!(other.status.success(), "{}", String::from_utf8_lossy(&other.stderr));
    t.wait_for("REQ-2026-0001 Awaiting form");
    t.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    // The session ends when the process does.
    while Command::new("tmux").args(["has-session", "-t", &t.session]).output().unwrap().status.success() {
        assert!(Instant::now() < deadline, "the application did not quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }

    // Having quit, the TUI folded its write-ahead log into the database: the file on
    // its own (as a careless copy would take it) already holds the new request.
    let alone = tempfile::tempdir().unwrap();
    std::fs::copy(&db, alone.path().join("copy.db")).unwrap();
    let copied: i64 = rusqlite::Connection::open(alone.path().join("copy.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM subjects WHERE mosaic_id = 'E2E-0001'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(copied, 1, "the database file alone is complete after the TUI quits");

    // What the TUI saved is in the database, with its events.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (reference, status): (String, String) = conn
        .query_row(
            "SELECT r.reference, r.status FROM requests r JOIN subjects s ON s.request_id = r.id WHERE s.mosaic_id = 'E2E-0001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(status, "viewed");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [&reference], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM viewings v JOIN requests r ON r.id = v.request_id WHERE r.reference = ?1"),
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM approvals a JOIN requests r ON r.id = a.request_id WHERE r.reference = ?1 AND a.decision = 'approved'"
        ),
        1
    );
    let ops: Vec<String> = conn
        .prepare("SELECT op FROM events WHERE reference = ?1 ORDER BY id")
        .unwrap()
        .query_map([&reference], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ops, ["request.new", "form_sent", "scope", "approve", "mosaic_checks", "book", "confirm", "viewing"]);
    let lookups: i64 = conn.query_row("SELECT count(*) FROM events WHERE op = 'who_viewed'", [], |r| r.get(0)).unwrap();
    assert_eq!(lookups, 2, "opening the tracker and the kept search were each recorded as a lookup");
    let sent: i64 = conn
        .query_row(
            "SELECT count(*) FROM requests WHERE reference = 'REQ-2026-0001' AND form_sent_on IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sent, 1);
    drop(conn);
    let verify = Command::new(env!("CARGO_BIN_EXE_caseshare")).args(["--db"]).arg(&db).arg("verify").output().unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
}

/// At PuTTY's 80×24 from a shell, as a person would: the list shows each child and
/// organisation; Ctrl-Z gives the shell back and `fg` brings the screen back whole;
/// Ctrl-C on the list quits.
#[test]
fn at_80x24_ctrl_z_suspends_to_the_shell_fg_resumes_and_ctrl_c_quits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let demo = Command::new(env!("CARGO_BIN_EXE_caseshare")).arg("--db").arg(&db).arg("demo").output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let t = Tmux::run("suspend", 80, 24, "env PS1='shell$ ' bash --norc --noprofile -i");
    t.wait_for("shell$");
    t.text(&format!("{} --db {}", env!("CARGO_BIN_EXE_caseshare"), db.display()));
    t.keys(&["Enter"]);
    t.wait_for("All open (9)");
    t.wait_for("Freya Nobody · Imaginary City Council");
    t.keys(&["C-z"]);
    t.wait_for("Stopped");
    t.text("fg");
    t.keys(&["Enter"]);
    t.wait_for("All open (9)");
    t.wait_for("? help  Enter checklist");
    // Still working after the resume: the checklist opens at the next step to do.
    t.keys(&["Enter"]);
    t.wait_for("Enter opens the step's form");
    t.keys(&["C-c"]);
    t.wait_for("? help  Enter checklist");
    t.keys(&["C-c"]);
    t.text("echo exit-code-$?");
    t.keys(&["Enter"]);
    t.wait_for("exit-code-0");
}
