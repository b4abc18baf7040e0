//! The files a database lives in: its `-wal` and `-shm` are held to the database's
//! rules (same owner, nothing for other users), a folder others can write to is
//! refused, each refusal says how to fix it, and `init` and `demo` build the new
//! database under a temporary name so a kill never leaves half a database.

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use caseshare::store::{OpenMode, Store, StoreError};
use common::*;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn chmod(path: &Path, bits: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(bits)).unwrap();
}

fn companion(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

/// Everything in the folder, by name.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn a_wal_or_shm_open_to_other_users_is_refused_with_the_fix() {
    let db = Db::init();
    db.ok(&["org", "add", LA, "--kind", "local_authority"]);
    for suffix in ["-wal", "-shm"] {
        let file = companion(&db.path, suffix);
        assert_eq!(mode(&file), 0o600, "{suffix} made with the database's mode");
        for loose in [0o644, 0o666, 0o602] {
            chmod(&file, loose);
            let e = db.error(&["request", "list"]);
            assert!(
                e.contains(&format!(
                    "{} is open to other users (mode {loose:04o}; the database is 0600)",
                    file.display()
                )),
                "{e}"
            );
            assert!(e.contains(&format!("run `chmod 600 {}`", file.display())), "{e}");
            // verify (read-only) holds to the same rule.
            let e = db.error(&["verify"]);
            assert!(e.contains(&format!("run `chmod 600 {}`", file.display())), "{e}");
            match Store::open(&db.path, OpenMode::Inspect) {
                Err(StoreError::CompanionOpen { path, .. }) => assert_eq!(path, file),
                other => panic!("expected CompanionOpen, got {other:?}"),
            }
        }
        // Group bits the database does not have are refused too.
        chmod(&file, 0o640);
        let e = db.error(&["request", "list"]);
        assert!(e.contains(&format!("run `chmod 600 {}`", file.display())), "{e}");
        chmod(&file, 0o600);
        db.ok(&["request", "list"]);
    }
}

#[test]
fn a_wal_another_user_made_in_advance_is_refused() {
    let db = Db::init();
    db.ok(&["request", "list"]);
    let wal = companion(&db.path, "-wal");
    // Another user's -wal (0666, the attack in issue 9).
    chmod(&wal, 0o666);
    let e = db.error(&["request", "list"]);
    assert!(e.contains("is open to other users (mode 0666; the database is 0600)"), "{e}");
    chmod(&wal, 0o600);
    if !nix::unistd::geteuid().is_root() {
        // Giving a file away needs root; the owner rule itself is unit-tested in
        // src/store/files.rs.
        return;
    }
    let nobody = nix::unistd::Uid::from_raw(65534);
    nix::unistd::chown(&wal, Some(nobody), None).unwrap();
    let e = db.error(&["request", "list"]);
    assert!(e.contains(&format!("{} belongs to uid 65534, not to the database's owner", wal.display())), "{e}");
    assert!(e.contains("chown"), "says how to fix it: {e}");
    db.error(&["verify"]);
    let me = fs::metadata(&db.path).unwrap().uid();
    nix::unistd::chown(&wal, Some(nix::unistd::Uid::from_raw(me)), None).unwrap();
    db.ok(&["request", "list"]);
}

#[test]
fn a_database_in_a_folder_others_can_write_to_is_refused() {
    let db = Db::init();
    for open in [0o777, 0o1777, 0o702] {
        chmod(db.dir(), open);
        let e = db.error(&["request", "list"]);
        assert!(e.contains(&format!("{} can be written by other users", db.dir().display())), "{open:o}: {e}");
        assert!(e.contains(&format!("`chmod o-w {}`", db.dir().display())), "{e}");
        db.error(&["verify"]);
        assert!(matches!(Store::open(&db.path, OpenMode::Inspect), Err(StoreError::FolderOpen { .. })));
    }
    chmod(db.dir(), 0o700);
    db.ok(&["request", "list"]);

    // Nor is a new database made there.
    let other = Db::empty();
    chmod(other.dir(), 0o777);
    let e = other.error(&["init"]);
    assert!(e.contains("can be written by other users"), "{e}");
    assert!(listing(other.dir()).is_empty(), "nothing created: {:?}", listing(other.dir()));
    let e = other.error(&["demo"]);
    assert!(e.contains("can be written by other users"), "{e}");
    assert!(listing(other.dir()).is_empty(), "nothing created: {:?}", listing(other.dir()));
}

/// Runs the binary under a umask.
fn with_umask(umask: &str, db: &Path, args: &[&str]) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_caseshare"))
        .env_remove("CASESHARE_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?} under umask {umask}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn wal_and_shm_take_the_databases_mode_under_any_umask() {
    for (umask, shared, want) in [("000", false, 0o600), ("000", true, 0o660), ("077", true, 0o660)] {
        let db = Db::empty();
        let mut init = vec!["init"];
        if shared {
            init.push("--shared");
        }
        with_umask(umask, &db.path, &init);
        with_umask(umask, &db.path, &["org", "add", LA, "--kind", "local_authority"]);
        // The log is deleted and made again by a later user.
        for suffix in ["-wal", "-shm"] {
            fs::remove_file(companion(&db.path, suffix)).unwrap();
        }
        with_umask(umask, &db.path, &["org", "add", LA2, "--kind", "local_authority"]);
        for file in [db.path.clone(), companion(&db.path, "-wal"), companion(&db.path, "-shm")] {
            assert_eq!(mode(&file), want, "{} under umask {umask}", file.display());
        }
        assert_eq!(listing(db.dir()), ["x.db", "x.db-shm", "x.db-wal"], "no temporary file left");
        db.verified();
    }
}

#[test]
fn init_refuses_an_existing_target_and_leaves_it_and_the_folder_alone() {
    let db = Db::empty();
    fs::write(&db.path, b"not a database").unwrap();
    chmod(&db.path, 0o600);
    let e = db.error(&["init"]);
    assert!(e.contains("a database already exists at"), "{e}");
    assert_eq!(fs::read(&db.path).unwrap(), b"not a database");
    assert_eq!(listing(db.dir()), ["x.db"]);

    // A link at the target counts as something there, even a dangling one.
    fs::remove_file(&db.path).unwrap();
    std::os::unix::fs::symlink(db.dir().join("elsewhere"), &db.path).unwrap();
    let e = db.error(&["init"]);
    assert!(e.contains("a database already exists at"), "{e}");
    assert!(!db.dir().join("elsewhere").exists());
    assert_eq!(listing(db.dir()), ["x.db"]);
}

#[test]
fn a_new_database_is_complete_when_it_appears() {
    let db = Db::init();
    // Built under another name, folded and renamed: nothing refers to the temporary name.
    assert_eq!(listing(db.dir()), ["x.db", "x.db-shm", "x.db-wal"]);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let staff: i64 = conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap();
    assert_eq!(staff, 1);
    drop(conn);
    db.verified();
}

/// Waits for the build's log to hold something, so the kill lands mid-build.
fn wait_for_build(dir: &Path, target: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let growing = fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).any(|e| {
            let name = e.file_name().into_string().unwrap();
            name.ends_with("-wal") && e.metadata().map(|m| m.len() > 200_000).unwrap_or(false)
        });
        if growing {
            return;
        }
        assert!(!target.exists(), "the target appeared before the build was complete");
        assert!(Instant::now() < deadline, "the demo build never started: {:?}", listing(dir));
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_demo_killed_mid_build_leaves_no_database_and_does_not_block_the_next() {
    let db = Db::empty();
    let mut child = db.command().args(["demo", "--requests", "20000"]).spawn().unwrap();
    wait_for_build(db.dir(), &db.path);
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGKILL).unwrap();
    child.wait().unwrap();
    if db.path.exists() {
        // Only if it finished first: then it must be whole.
        db.verified();
    }
    assert!(!db.path.exists(), "killed long before 20,000 requests: {:?}", listing(db.dir()));
    assert!(!listing(db.dir()).is_empty(), "the killed build's temporary files are there");

    // The next run is not blocked, and tidies the dead run's files away.
    let out = db.ok(&["demo"]);
    assert!(out.contains("Demo database with 18 fictional requests"), "{out}");
    assert_eq!(listing(db.dir()), ["x.db", "x.db-shm", "x.db-wal"]);
    db.verified();
}

#[test]
fn a_killed_init_is_tidied_by_the_next() {
    // What a killed build leaves: a temporary database with its log, named for a
    // process that no longer runs (a pid beyond the kernel's maximum).
    let db = Db::empty();
    let dead = db.dir().join(".x.db.caseshare-4194399-Ab12Cd");
    for suffix in ["", "-wal", "-shm"] {
        fs::write(companion(&dead, suffix), b"half").unwrap();
    }
    // And one of a build still running (this test's own pid) is left alone.
    let live = db.dir().join(format!(".x.db.caseshare-{}-Zz99Yy", std::process::id()));
    fs::write(&live, b"busy").unwrap();
    db.ok(&["init"]);
    let live_name = live.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(listing(db.dir()), [live_name.as_str(), "x.db", "x.db-shm", "x.db-wal"]);
    db.verified();
}
