//! The shared install as docs/deployment.md describes it: the configuration file
//! that names the database, the anchor file and the council; what wins over it; the
//! "no database" line on both faces; a configuration file someone else could write
//! refused. Then, when running as root, the page's steps themselves: a group, a
//! setgid folder 2770, `init --shared` by the first administrator through the
//! configuration file alone, a second login in the group opening the same database.
//! Test users and groups exist only during that test and are removed after it, even
//! when it fails.

mod common;
#[path = "common/system.rs"]
mod system;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Out, me};
use tempfile::TempDir;

/// A person's home for the binary: data and config folders inside a temporary
/// directory, and nothing from the test runner's environment.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A folder for databases, 0700 as the project's rules want.
    fn folder(&self, name: &str) -> PathBuf {
        let p = self.path().join(name);
        std::fs::create_dir(&p).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700)).unwrap();
        p
    }

    /// Writes a configuration file (0644, as an administrator would) in a folder of its own.
    fn config(&self, text: &str) -> PathBuf {
        let dir = self.path().join("etc");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = dir.join("config.toml");
        std::fs::write(&file, text).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        file
    }

    /// The binary with only this home in its environment (`env` added after).
    fn command(&self, env: &[(&str, &Path)], args: &[&str]) -> Out {
        // Never while the root test has its own /etc/caseshare/config.toml in place:
        // a command given no CASESHARE_CONFIG would read it.
        let _etc = ETC.read().unwrap_or_else(|e| e.into_inner());
        let mut c = Command::new(env!("CARGO_BIN_EXE_caseshare"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("NO_COLOR", "1");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.args(args).output().unwrap();
        Out {
            code: out.status.code().unwrap(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    fn personal_default(&self) -> PathBuf {
        self.path().join("data/caseshare/caseshare.sqlite3")
    }
}

/// Held for writing by the test that puts a real /etc/caseshare/config.toml in place,
/// and for reading by every command the other tests run (they run in parallel).
static ETC: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn ok(o: Out) -> String {
    assert_eq!(o.code, 0, "{o:?}");
    o.stdout
}

/// The one line on stderr of a run that failed with exit 2.
fn error(o: Out) -> String {
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stdout.is_empty(), "{o:?}");
    let line = o.stderr.trim_end().to_string();
    assert!(!line.contains('\n'), "one line: {line}");
    line
}

#[test]
fn the_configuration_file_names_the_database_and_init_creates_it_there() {
    let home = Home::new();
    let shared = home.folder("shared");
    let db = shared.join("caseshare.sqlite3");
    let config = home.config(&format!("database = \"{}\"\n", db.display()));
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &config)];
    let out = ok(home.command(env, &["init", "--shared", "--name", "Robin Runner"]));
    assert!(out.contains(&format!("Created {} (mode 0660, shared)", db.display())), "{out}");
    assert_eq!(std::fs::metadata(&db).unwrap().mode() & 0o777, 0o660);
    ok(home.command(env, &["org", "add", "Exampleshire County Council", "--kind", "local_authority"]));
    let orgs = ok(home.command(env, &["org", "list"]));
    assert!(orgs.contains("Exampleshire County Council"), "{orgs}");
    assert!(!home.personal_default().exists(), "nothing personal was made");
}

#[test]
fn db_flag_then_caseshare_db_then_the_configuration_file() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let (from_config, from_env, from_flag) = (dir.join("config.db"), dir.join("env.db"), dir.join("flag.db"));
    let config = home.config(&format!("database = \"{}\"\n", from_config.display()));
    for (db, org) in
        [(&from_config, "Config County Council"), (&from_env, "Env City Council"), (&from_flag, "Flag Borough Council")]
    {
        ok(home.command(&[], &["--db", db.to_str().unwrap(), "init"]));
        ok(home.command(&[], &["--db", db.to_str().unwrap(), "org", "add", org, "--kind", "local_authority"]));
    }
    let orgs = |env: &[(&str, &Path)], args: &[&str]| ok(home.command(env, &[args, &["org", "list"]].concat()));
    let c: (&str, &Path) = ("CASESHARE_CONFIG", &config);
    let e: (&str, &Path) = ("CASESHARE_DB", &from_env);
    assert!(orgs(&[c], &[]).contains("Config County Council"));
    assert!(orgs(&[c, e], &[]).contains("Env City Council"));
    let flag = orgs(&[c, e], &["--db", from_flag.to_str().unwrap()]);
    assert!(flag.contains("Flag Borough Council") && !flag.contains("Env City"), "{flag}");
    // A configuration file that names no database leaves the personal default.
    let none = home.config("council_name = \"Exampleshire County Council\"\n");
    let e = error(home.command(&[("CASESHARE_CONFIG", &none)], &["org", "list"]));
    assert!(e.contains(&home.personal_default().display().to_string()), "{e}");
}

#[test]
fn this_users_own_configuration_file_is_read_instead_of_the_systems() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let db = dir.join("mine.db");
    ok(home.command(&[], &["--db", db.to_str().unwrap(), "init"]));
    let user_config = home.path().join("config/caseshare");
    std::fs::create_dir_all(&user_config).unwrap();
    std::fs::set_permissions(&user_config, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(user_config.join("config.toml"), format!("database = \"{}\"\n", db.display())).unwrap();
    std::fs::set_permissions(user_config.join("config.toml"), std::fs::Permissions::from_mode(0o600)).unwrap();
    // No CASESHARE_CONFIG: the user's file wins over /etc/caseshare/config.toml.
    let staff = ok(home.command(&[], &["staff", "list"]));
    assert!(staff.contains(&me()), "{staff}");
}

#[test]
fn no_database_says_which_file_what_named_it_and_what_to_do() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let missing = dir.join("nowhere.db");
    let config = home.config(&format!("# shared install\ndatabase = \"{}\"\n", missing.display()));
    let at = format!("no database at {} (", missing.display());
    let e = error(home.command(&[("CASESHARE_CONFIG", &config)], &["request", "list"]));
    let named = format!("named on line 2 of {}, the file CASESHARE_CONFIG names)", config.display());
    assert!(e.starts_with(&format!("caseshare: {at}{named}")), "{e}");
    assert!(
        e.contains("line 2") && e.contains("ask your administrator") && e.contains("caseshare init --shared"),
        "{e}"
    );
    let e = error(home.command(&[("CASESHARE_DB", &missing)], &["request", "list"]));
    assert!(e.contains(&at) && e.contains("named by CASESHARE_DB") && e.contains("check CASESHARE_DB"), "{e}");
    let e = error(home.command(&[], &["--db", missing.to_str().unwrap(), "request", "list"]));
    assert!(
        e.contains(&at) && e.contains("given with --db") && e.contains("run `caseshare init` with the same --db"),
        "{e}"
    );
    let e = error(home.command(&[("CASESHARE_CONFIG", &home.config(""))], &["who-viewed", "--mosaic-id", "X-1"]));
    assert!(e.contains(&format!("no database at {}", home.personal_default().display())), "{e}");
    assert!(e.contains("the personal default") && e.contains("/etc/caseshare/config.toml"), "{e}");
    assert!(e.contains("ask your administrator") && e.contains("caseshare init"), "{e}");
    assert!(!missing.exists() && !home.personal_default().exists(), "looking creates nothing");
    // The full-screen application says the same line, before it takes the terminal.
    let tui = error(home.command(&[("CASESHARE_CONFIG", &config)], &[]));
    let cli = error(home.command(&[("CASESHARE_CONFIG", &config)], &["request", "list"]));
    assert_eq!(tui, cli);
    assert!(!tui.contains('\u{1b}'), "no terminal codes: {tui:?}");
}

#[test]
fn a_bad_configuration_file_is_one_line_naming_the_file_and_line() {
    let home = Home::new();
    let config =
        home.config("council_name = \"Exampleshire County Council\"\ndatabse = \"/srv/caseshare/caseshare.sqlite3\"\n");
    let e = error(home.command(&[("CASESHARE_CONFIG", &config)], &["request", "list"]));
    assert!(e.starts_with(&format!("caseshare: {} line 2: unknown field `databse`", config.display())), "{e}");
    let config = home.config("database = /srv/caseshare\n");
    let e = error(home.command(&[("CASESHARE_CONFIG", &config)], &["request", "list"]));
    assert!(e.starts_with(&format!("caseshare: {} line 1: ", config.display())), "{e}");
    let config = home.config("\n\ndatabase = \"caseshare.sqlite3\"\n");
    let e = error(home.command(&[("CASESHARE_CONFIG", &config)], &["request", "list"]));
    assert!(e.contains("line 3: database must be an absolute path"), "{e}");
    // --db wins over the file's database, but the file is still read (anchor file,
    // council name), so a broken one is still said.
    let e = error(home.command(&[("CASESHARE_CONFIG", &config)], &["--db", "/nonexistent/x.db", "request", "list"]));
    assert!(e.contains("line 3"), "{e}");
    let gone = home.path().join("etc/gone.toml");
    let e = error(home.command(&[("CASESHARE_CONFIG", &gone)], &["request", "list"]));
    assert!(e.contains("(named by CASESHARE_CONFIG) does not exist"), "{e}");
}

#[test]
fn a_configuration_file_others_can_write_is_refused_and_a_closed_one_used() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let db = dir.join("x.db");
    ok(home.command(&[], &["--db", db.to_str().unwrap(), "init"]));
    let config = home.config(&format!("database = \"{}\"\n", db.display()));
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &config)];
    ok(home.command(env, &["staff", "list"]));
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o666)).unwrap();
    let e = error(home.command(env, &["staff", "list"]));
    assert!(e.contains(&format!("{} can be written by other users (mode 0666)", config.display())), "{e}");
    assert!(e.contains(&format!("chmod go-w {}", config.display())), "{e}");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o664)).unwrap();
    assert!(error(home.command(env, &["staff", "list"])).contains("mode 0664"));
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let folder = config.parent().unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o777)).unwrap();
    let e = error(home.command(env, &["staff", "list"]));
    assert!(e.contains(&format!("{} can be written by other users (mode 0777)", folder.display())), "{e}");
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    ok(home.command(env, &["staff", "list"]));

    // A link in a closed folder to a file in an open one is judged by the open one.
    let open = home.folder("open");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let real = open.join("real.toml");
    std::fs::write(&real, format!("database = \"{}\"\ncouncil_name = \"Someone Else\"\n", db.display())).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
    let closed = home.folder("closed");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    let link = closed.join("config.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &link)];
    let e = error(home.command(env, &["settings", "list"]));
    assert!(e.contains(&format!("{} can be written by other users (mode 0777)", open.display())), "{e}");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(ok(home.command(env, &["settings", "list"])).contains("Someone Else"));
}

#[test]
fn the_demonstration_never_follows_the_configuration_file() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let real = dir.join("real.db");
    let config = home.config(&format!("database = \"{}\"\ncouncil_name = \"Real Council\"\n", real.display()));
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &config)];
    let out = ok(home.command(env, &["demo"]));
    let demo = home.path().join("data/caseshare/demo.sqlite3");
    assert!(out.contains(&demo.display().to_string()), "{out}");
    let list = ok(home.command(env, &["--demo", "request", "list"]));
    assert!(list.contains("REQ-"), "{list}");
    assert!(!real.exists(), "the real database was not made by the demo");
    let settings = ok(home.command(env, &["--demo", "settings", "list"]));
    assert!(!settings.contains("Real Council"), "{settings}");
}

#[test]
fn the_council_name_and_anchor_file_come_from_the_file_for_its_database() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let db = dir.join("shared.db");
    let anchors = home.folder("anchors").join("anchors.jsonl");
    ok(home.command(&[], &["--db", db.to_str().unwrap(), "init"]));
    let config = home.config(&format!(
        "database = \"{}\"\nanchor_file = \"{}\"\ncouncil_name = \"Exampleshire County Council\"\n",
        db.display(),
        anchors.display()
    ));
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &config)];
    // The database's own setting is overridden, and the administrator is told.
    let set = ok(home.command(env, &["settings", "set", "council_name", "Database Council"]));
    assert!(set.contains(&format!("council_name comes from {}", config.display())), "{set}");
    let list = ok(home.command(env, &["settings", "list"]));
    assert!(list.contains("Exampleshire County Council") && !list.contains("Database Council"), "{list}");
    assert!(list.contains(&anchors.display().to_string()), "{list}");
    let json = ok(home.command(env, &["--json", "settings", "list"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["council_name"], "Exampleshire County Council");
    // `anchor` with no --file appends to the file's anchor file, and verify reads it.
    let out = ok(home.command(env, &["anchor"]));
    assert!(out.contains(&anchors.display().to_string()), "{out}");
    assert_eq!(std::fs::read_to_string(&anchors).unwrap().lines().count(), 1);
    ok(home.command(env, &["verify", "--since-last-anchor"]));
    // The same database through --db: still the file's (it describes that database).
    let list = ok(home.command(env, &["--db", db.to_str().unwrap(), "settings", "list"]));
    assert!(list.contains("Exampleshire County Council"), "{list}");
    // Another database: the file does not describe it, so its own settings apply
    // and its anchors never go into the shared database's anchor file.
    let other = dir.join("other.db");
    ok(home.command(&[], &["--db", other.to_str().unwrap(), "init"]));
    ok(home.command(&[], &["--db", other.to_str().unwrap(), "settings", "set", "council_name", "Other Council"]));
    let list = ok(home.command(env, &["--db", other.to_str().unwrap(), "settings", "list"]));
    assert!(list.contains("Other Council") && !list.contains("Exampleshire"), "{list}");
    let out = ok(home.command(env, &["--db", other.to_str().unwrap(), "anchor"]));
    assert!(!out.contains(&anchors.display().to_string()), "{out}");
    assert_eq!(std::fs::read_to_string(&anchors).unwrap().lines().count(), 1);
}

/// docs/deployment.md, "A shared install", step by step, as root: the group, the
/// setgid folder, the configuration file in /etc, the first administrator's
/// `init --shared` and a BSA who opens the same database with nothing in their
/// environment; a login outside the group told it may not open the folder.
#[test]
fn the_shared_install_steps_of_deployment_md_as_root() {
    if !system::is_root() {
        println!("skipped: needs root to create a group and test users (run the tests as root, as CI does)");
        return;
    }
    let bin = match system::binary_for_others() {
        Ok(b) => b,
        Err(why) => return println!("skipped: {why}"),
    };
    if Path::new(caseshare::config::SYSTEM_CONFIG).exists() {
        return println!("skipped: {} exists on this machine and is not touched", caseshare::config::SYSTEM_CONFIG);
    }
    let _etc = ETC.write().unwrap_or_else(|e| e.into_inner());
    // 1. The group, and everyone who will use caseshare in it.
    let group = system::Group::create(&system::name("csdep")).unwrap();
    let admin = system::User::create(&system::name("csadm"), &[&group.name]).unwrap();
    let bsa = system::User::create(&system::name("csbsa"), &[&group.name]).unwrap();
    let outsider = system::User::create(&system::name("csout"), &[]).unwrap();
    // 2. The folder, owned by the group, setgid, closed to everyone else.
    let folder = system::SharedFolder::create(&group.name).unwrap();
    let meta = std::fs::metadata(&folder.path).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o2770);
    let db = folder.path.join("caseshare.sqlite3");
    // 3. The configuration file.
    let _config = system::SystemFile::write(
        Path::new(caseshare::config::SYSTEM_CONFIG),
        &format!("database = \"{}\"\ncouncil_name = \"Exampleshire County Council\"\n", db.display()),
        0o644,
    )
    .unwrap();
    // 4. The first administrator creates the database, as themself.
    let out = admin.run(&bin, &["init", "--shared", "--name", "Cal Placeholder"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(&format!("Created {} (mode 0660, shared)", db.display())), "{out:?}");
    let meta = std::fs::metadata(&db).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o660);
    assert_eq!(meta.gid(), std::fs::metadata(&folder.path).unwrap().gid(), "the folder's group, by setgid");
    // 5. Register the BSA; they open the same database with no variables set.
    let out = admin.run(&bin, &["staff", "add", &bsa.name, "--name", "Bea Sample", "--roles", "bsa"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = admin.run(&bin, &["org", "add", "Imaginary City Council", "--kind", "local_authority"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = bsa.run(&bin, &["org", "list"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("Imaginary City Council"), "{out:?}");
    let out = bsa.run(&bin, &["settings", "list"]);
    assert!(out.stdout.contains("Exampleshire County Council"), "{out:?}");
    for companion in ["caseshare.sqlite3-wal", "caseshare.sqlite3-shm"] {
        let m = std::fs::metadata(folder.path.join(companion)).unwrap();
        assert_eq!((m.mode() & 0o777, m.gid()), (0o660, meta.gid()), "{companion}");
    }
    assert!(!bsa.home.join(".local/share/caseshare").exists(), "no personal database");
    // Outside the group: told why, not "no database".
    let out = outsider.run(&bin, &["request", "list"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("cannot look for the database at") && out.stderr.contains("add you to its group"),
        "{out:?}"
    );
    assert!(out.stderr.contains("/etc/caseshare/config.toml"), "{out:?}");
    // A configuration file another user owns is not used.
    std::os::unix::fs::chown(caseshare::config::SYSTEM_CONFIG, Some(meta.uid()), None).unwrap();
    let out = bsa.run(&bin, &["org", "list"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("not to root or you"), "{out:?}");
}

#[test]
fn an_anchor_file_beside_the_database_is_refused_naming_where_to_change_it() {
    let home = Home::new();
    let dir = home.folder("dbs");
    let db = dir.join("shared.db");
    ok(home.command(&[], &["--db", db.to_str().unwrap(), "init"]));
    // Named by the configuration file: the fix is in that file (the setting cannot override it).
    let config =
        home.config(&format!("database = \"{}\"\nanchor_file = \"{}\"\n", db.display(), dir.join("a.jsonl").display()));
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &config)];
    let o = home.command(env, &["anchor"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("is in the database's own folder"), "{o:?}");
    assert!(o.stderr.contains(&format!("change anchor_file in {}", config.display())), "{o:?}");
    assert!(!o.stderr.contains("settings set anchor_file"), "{o:?}");
    // Named by the setting: the setting is the fix.
    let plain = home.config("");
    let env: &[(&str, &Path)] = &[("CASESHARE_CONFIG", &plain)];
    let dbarg = db.to_str().unwrap();
    ok(home.command(env, &["--db", dbarg, "settings", "set", "anchor_file", dir.join("b.jsonl").to_str().unwrap()]));
    let o = home.command(env, &["--db", dbarg, "anchor"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("caseshare settings set anchor_file PATH"), "{o:?}");
}
