//! Changes to the machine that the shared-install tests make as root: a group, test
//! users, `/etc/caseshare/config.toml`, a link in `/usr/local/bin`. Each is a guard
//! that undoes its change when dropped, so nothing is left behind even when a test
//! fails. Every constructor returns `Err(reason)` instead of touching anything that
//! was already there.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Whether this process runs as root (the only case in which these tests run).
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

fn run(program: &str, args: &[&str]) -> Result<Output, String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!("{program} {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// A name for a test account or group, unique to this process.
pub fn name(prefix: &str) -> String {
    format!("{prefix}{}", std::process::id())
}

/// A Unix group, removed on drop.
pub struct Group {
    pub name: String,
}

impl Group {
    pub fn create(name: &str) -> Result<Group, String> {
        run("groupadd", &[name])?;
        Ok(Group { name: name.to_string() })
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let _ = run("groupdel", &[&self.name]);
    }
}

/// A login with a home directory under /home, removed (with its home) on drop.
/// Its password is `*`: no password logs in, but the account is not locked, so
/// `sshd` accepts its key.
pub struct User {
    pub name: String,
    pub home: PathBuf,
}

impl User {
    pub fn create(name: &str, groups: &[&str]) -> Result<User, String> {
        let mut args = vec!["--create-home", "--shell", "/bin/sh", "--user-group", "--password", "*"];
        let list = groups.join(",");
        if !groups.is_empty() {
            args.extend(["--groups", &list]);
        }
        args.push(name);
        run("useradd", &args)?;
        Ok(User { name: name.to_string(), home: PathBuf::from(format!("/home/{name}")) })
    }

    /// Runs `program args…` as this login, with a login's environment and nothing
    /// caseshare reads (no `CASESHARE_DB`, no `CASESHARE_CONFIG`).
    pub fn run(&self, program: &Path, args: &[&str]) -> crate::common::Out {
        let home = format!("HOME={}", self.home.display());
        let mut all: Vec<&str> =
            vec!["-u", &self.name, "--", "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", &home, "NO_COLOR=1"];
        all.push(program.to_str().expect("utf-8 path"));
        all.extend(args);
        let out = Command::new("runuser").args(&all).output().expect("runuser runs");
        crate::common::Out {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }
}

impl Drop for User {
    fn drop(&mut self) {
        let _ = run("userdel", &["--remove", &self.name]);
        // --user-group made a group of the same name; userdel removes it, unless
        // something still holds it.
        let _ = run("groupdel", &[&self.name]);
    }
}

/// A file written where none was (and its folder, if that was missing too),
/// removed on drop.
pub struct SystemFile {
    pub path: PathBuf,
    made_folder: Option<PathBuf>,
}

impl SystemFile {
    /// Writes `text` to `path`, owned by root, mode `mode`; its folder, if made, 0755.
    pub fn write(path: &Path, text: &str, mode: u32) -> Result<SystemFile, String> {
        use std::os::unix::fs::PermissionsExt;
        if path.symlink_metadata().is_ok() {
            return Err(format!("{} already exists on this machine: not touching it", path.display()));
        }
        let folder = path.parent().expect("a folder");
        let made_folder = if folder.exists() {
            None
        } else {
            std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
            Some(folder.to_path_buf())
        };
        let guard = SystemFile { path: path.to_path_buf(), made_folder };
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        Ok(guard)
    }

    /// A symbolic link at `path` to `target`, where nothing was.
    pub fn link(path: &Path, target: &Path) -> Result<SystemFile, String> {
        if path.symlink_metadata().is_ok() {
            return Err(format!("{} already exists on this machine: not touching it", path.display()));
        }
        std::os::unix::fs::symlink(target, path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(SystemFile { path: path.to_path_buf(), made_folder: None })
    }
}

impl Drop for SystemFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some(f) = &self.made_folder {
            let _ = std::fs::remove_dir(f);
        }
    }
}

/// A folder for the shared database, as docs/deployment.md makes it:
/// `install -d -o root -g GROUP -m 2770`, inside a temporary folder others may enter.
pub struct SharedFolder {
    _outer: tempfile::TempDir,
    pub path: PathBuf,
}

impl SharedFolder {
    pub fn create(group: &str) -> Result<SharedFolder, String> {
        use std::os::unix::fs::PermissionsExt;
        let outer = tempfile::tempdir().map_err(|e| e.to_string())?;
        std::fs::set_permissions(outer.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = outer.path().join("caseshare");
        run("install", &["-d", "-o", "root", "-g", group, "-m", "2770", path.to_str().unwrap()])?;
        Ok(SharedFolder { _outer: outer, path })
    }
}

/// Where the binary under test can be run by other logins: it must be on a path
/// they may enter (it is, under /work's 0755 folders, or any checkout that others
/// can read); otherwise the test says why it skips.
pub fn binary_for_others() -> Result<PathBuf, String> {
    use std::os::unix::fs::PermissionsExt;
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_caseshare"));
    for dir in bin.ancestors().skip(1) {
        let mode = std::fs::metadata(dir).map_err(|e| e.to_string())?.permissions().mode();
        if mode & 0o001 == 0 {
            return Err(format!(
                "{} cannot be entered by other users, so the test logins cannot run the binary",
                dir.display()
            ));
        }
    }
    Ok(bin)
}
