//! Files caseshare writes with personal data (letters from the CLI and the TUI,
//! exports, backups) end up mode 0600 whatever was there before, and a link at the
//! destination is replaced, never followed.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use caseshare::app::Effect;
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use common::*;

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

fn demo() -> Db {
    let db = Db::empty();
    db.ok(&["demo"]);
    db
}

/// An existing file anyone can read, as a previous tool might have left it.
fn loose_file(path: &Path) {
    fs::write(path, b"old contents").unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o644)).unwrap();
}

/// A link at `path` to another file, which must never be written through.
fn link_to_victim(dir: &Path, path: &Path) -> std::path::PathBuf {
    let victim = dir.join("victim.txt");
    fs::write(&victim, b"someone else's file").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&victim, path).unwrap();
    victim
}

fn assert_private_regular(path: &Path) {
    let meta = fs::symlink_metadata(path).unwrap();
    assert!(meta.file_type().is_file(), "{} is a regular file, not a link", path.display());
    assert_eq!(mode(path), 0o600, "{}", path.display());
}

fn assert_victim_untouched(victim: &Path) {
    assert_eq!(fs::read(victim).unwrap(), b"someone else's file");
    assert_eq!(mode(victim), 0o644);
}

/// Only the files the test made: no temporary file left beside them.
fn assert_no_temporary(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "temporary file left behind: {name}");
    }
}

#[test]
fn a_letter_saved_over_a_readable_file_ends_private() {
    let db = demo();
    let out = db.dir().join("ack.txt");
    loose_file(&out);
    db.ok(&["letter", "REQ-2026-0001", "acknowledgement", "--out", out.to_str().unwrap()]);
    assert_private_regular(&out);
    assert!(fs::read_to_string(&out).unwrap().contains("Dear Rita Madeup"));
    assert_no_temporary(db.dir());
}

#[test]
fn a_letter_saved_onto_a_link_replaces_the_link_and_leaves_its_target_alone() {
    let db = demo();
    let out = db.dir().join("ack.txt");
    let victim = link_to_victim(db.dir(), &out);
    db.ok(&["letter", "REQ-2026-0001", "acknowledgement", "--out", out.to_str().unwrap()]);
    assert_victim_untouched(&victim);
    assert_private_regular(&out);
    assert!(fs::read_to_string(&out).unwrap().contains("Dear Rita Madeup"));
}

fn tui_save(db: &Db, name: &Path) -> String {
    let mut svc = Service::open(Store::open(&db.path, OpenMode::Existing).unwrap(), &me(), Clock::System).unwrap();
    let mut app = tui::start(&mut svc, 120, 40).unwrap();
    let text = "Dear Rita Madeup (fictional)\n".to_string();
    tui::run_effects(&mut app, &mut svc, vec![Effect::WriteFile { name: name.display().to_string(), text }]);
    format!("{:?}", app.notice)
}

#[test]
fn a_letter_saved_from_the_tui_over_a_readable_file_or_a_link_ends_private() {
    let db = demo();
    let over = db.dir().join("REQ-2026-0001-acknowledgement.txt");
    loose_file(&over);
    let notice = tui_save(&db, &over);
    assert!(notice.contains("(mode 0600)"), "{notice}");
    assert_private_regular(&over);
    assert_eq!(fs::read_to_string(&over).unwrap(), "Dear Rita Madeup (fictional)\n");

    let linked = db.dir().join("REQ-2026-0011-refusal.txt");
    let victim = link_to_victim(db.dir(), &linked);
    tui_save(&db, &linked);
    assert_victim_untouched(&victim);
    assert_private_regular(&linked);
    assert_no_temporary(db.dir());
}

#[test]
fn exports_over_readable_files_or_links_end_private() {
    let db = demo();
    let xlsx = db.dir().join("out.xlsx");
    loose_file(&xlsx);
    db.ok(&["export", "--xlsx", xlsx.to_str().unwrap()]);
    assert_private_regular(&xlsx);

    let dir = db.dir().join("csv");
    fs::create_dir(&dir).unwrap();
    loose_file(&dir.join("requests.csv"));
    let victim = link_to_victim(&dir, &dir.join("tracker.csv"));
    db.ok(&["export", "--csv", dir.to_str().unwrap(), "--with-log"]);
    assert_victim_untouched(&victim);
    for name in ["requests.csv", "tracker.csv", "events.csv"] {
        assert_private_regular(&dir.join(name));
    }
    // After the UTF-8 byte order mark every CSV file starts with.
    assert!(fs::read_to_string(dir.join("requests.csv")).unwrap().starts_with("\u{feff}Reference,"));
    assert_no_temporary(db.dir());
    assert_no_temporary(&dir);
}

#[test]
fn a_backup_is_private_and_never_written_through_a_link() {
    let db = demo();
    let copy = db.dir().join("copy.db");
    db.ok(&["backup", copy.to_str().unwrap()]);
    assert_private_regular(&copy);
    assert_no_temporary(db.dir());

    let linked = db.dir().join("linked.db");
    let victim = link_to_victim(db.dir(), &linked);
    let e = db.error(&["backup", linked.to_str().unwrap()]);
    assert!(e.contains("exists"), "{e}");
    assert_victim_untouched(&victim);
    assert!(fs::symlink_metadata(&linked).unwrap().file_type().is_symlink(), "the link is left as it was");
    assert_no_temporary(db.dir());
}
