//! What the command line prints around its results: no progress off a terminal
//! (nothing extra on stderr for scripts, pipes and cron), tables fitted to the width
//! asked for (a record layout when narrow, columns by display width), and shell
//! completions and a manual page that need no database.

mod common;

use common::*;

/// Runs with `COLUMNS` set (as a terminal of that width would be measured).
fn run_at(db: &Db, columns: Option<&str>, args: &[&str]) -> Out {
    let mut c = db.command();
    match columns {
        Some(w) => c.env("COLUMNS", w),
        None => c.env_remove("COLUMNS"),
    };
    let out = c.args(args).output().expect("caseshare runs");
    Out {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).expect("utf-8"),
        stderr: String::from_utf8(out.stderr).expect("utf-8"),
    }
}

#[test]
fn the_long_commands_print_no_progress_when_stderr_is_not_a_terminal() {
    let db = Db::empty();
    let demo = db.run(&["demo", "--requests", "30"]);
    assert_eq!((demo.code, demo.stderr.as_str()), (0, ""), "demo: {}", demo.stdout);
    assert!(demo.stdout.starts_with("Demo database with 48 fictional requests"), "{}", demo.stdout);
    let book = db.dir().join("out.xlsx");
    let backup = db.dir().join("copy.db");
    for args in [
        vec!["export", "--xlsx", book.to_str().unwrap(), "--with-log"],
        vec!["export", "--csv", db.dir().join("csv").to_str().unwrap()],
        vec!["verify"],
        vec!["verify", "--chain-only"],
        vec!["backup", backup.to_str().unwrap()],
        vec!["-q", "verify"],
    ] {
        let out = db.run(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{args:?} wrote to stderr");
        assert_eq!(out.stdout.lines().count(), 1, "{args:?}: one line of result: {}", out.stdout);
    }
}

#[test]
fn quiet_is_a_global_option_in_either_place() {
    let db = Db::empty();
    db.ok(&["demo"]);
    let a = db.ok(&["--quiet", "verify", "--chain-only"]);
    let b = db.ok(&["verify", "--chain-only", "-q"]);
    assert!(a.starts_with("OK: "), "{a}");
    assert_eq!(a.lines().next(), b.lines().next());
}

/// A request whose child's name is in a wide script (five characters, ten columns).
fn wide_name_db() -> Db {
    let db = Db::standard();
    db.receive(LA, AREA, "paper", 10);
    db.ok(&[
        "request",
        "new",
        "--received",
        &ago(3),
        "--org",
        LA2,
        "--requester",
        "Tia Invented",
        "--subject",
        "テスト花子|M-77",
        "--purpose",
        "Assessment",
        "--area",
        AREA,
        "--format",
        "digital",
    ]);
    db
}

/// The display column at which `needle` starts in `line` (a wide character counts two).
fn column_of(line: &str, needle: &str) -> usize {
    let at = line.find(needle).unwrap_or_else(|| panic!("{needle} not in {line}"));
    line[..at].chars().map(|c| if ('\u{3000}'..='\u{9fff}').contains(&c) { 2 } else { 1 }).sum()
}

#[test]
fn a_wide_enough_table_keeps_its_columns_aligned_by_display_width() {
    let db = wide_name_db();
    let out = run_at(&db, Some("250"), &["request", "list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let header = lines[0];
    let wide = lines.iter().find(|l| l.contains("テスト花子")).expect("the wide name's row");
    let plain = lines.iter().find(|l| l.contains("Alfie Testcase")).expect("the other row");
    let next = column_of(header, "NEXT STEP");
    assert_eq!(column_of(wide, "2. "), next, "{}", out.stdout);
    assert_eq!(column_of(plain, "2. "), next, "{}", out.stdout);
}

#[test]
fn a_narrow_table_becomes_one_field_per_line_and_a_pipe_keeps_one_row_per_line() {
    let db = wide_name_db();
    let narrow = run_at(&db, Some("60"), &["request", "list"]);
    assert_eq!(narrow.code, 0, "{}", narrow.stderr);
    let lines: Vec<&str> = narrow.stdout.lines().collect();
    assert!(lines.iter().all(|l| column_of(l, "") <= 60 && l.chars().count() <= 60), "{}", narrow.stdout);
    let child = lines.iter().find(|l| l.contains("テスト花子")).expect("the wide name");
    assert!(child.starts_with("SUBJECTS"), "{child}");
    // Every value starts beside the longest name, ORGANISATION, and two spaces.
    assert_eq!(column_of(child, "テ"), 14, "{}", narrow.stdout);
    for organisation in lines.iter().filter(|l| l.starts_with("ORGANISATION")) {
        assert_eq!(organisation.find(" Fictional").or(organisation.find(" Example")), Some(13), "{organisation}");
    }
    assert!(lines.contains(&""), "a blank line between requests: {}", narrow.stdout);

    // Not a terminal and no COLUMNS: the layout scripts have always read.
    let piped = run_at(&db, None, &["request", "list"]);
    let rows: Vec<&str> = piped.stdout.lines().collect();
    assert!(rows[0].starts_with("REFERENCE") && rows[0].contains("ORGANISATION"), "{}", piped.stdout);
    assert_eq!(rows.iter().filter(|l| l.starts_with("REQ-")).count(), 2, "{}", piped.stdout);
}

#[test]
fn completions_and_the_manual_page_need_no_database() {
    let db = Db::empty();
    let bash = db.ok(&["completions", "bash"]);
    assert!(bash.contains("who-viewed") && bash.contains("export"), "{}", &bash[..bash.len().min(400)]);
    for shell in ["zsh", "fish"] {
        assert!(db.ok(&["completions", shell]).contains("who-viewed"), "{shell}");
    }
    let man = db.ok(&["man"]);
    assert!(man.contains(".TH caseshare"), "{}", &man[..man.len().min(400)]);
    assert!(man.contains("who\\-viewed"), "the subcommands are listed");
    assert!(!db.path.exists(), "no database was made");
    let bad = db.run(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "an unknown shell is a usage error");
    assert!(bad.stderr.contains("tcsh"), "{}", bad.stderr);
}
