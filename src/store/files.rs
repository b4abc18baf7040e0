//! The files a database lives in, held to the database's rules every time it is
//! opened (all modes, read-only too), and a new database built where a kill cannot
//! leave half of one.
//!
//! - The folder: nobody outside the owner and group may write to it (no `o+w`, sticky
//!   or not), or another user could add a `-wal` or `-journal` beside the database,
//!   or replace it.
//! - The `-wal`, `-shm` and `-journal` beside it, when present: regular files, open
//!   to nobody the database is not (nothing for others, no group bits the database
//!   lacks), and made by the database's owner, or, for a shared install (a database
//!   with group bits), in the database's group. The log holds every recent change; one
//!   another user can read leaks them, and one they made can erase or invent them.
//! - A new database ([`Draft`]) is built under a temporary name beside the target
//!   (see [`crate::private_file`]), its log folded in and closed, and only then given
//!   the target's name, refusing to replace anything there. A kill part way leaves
//!   the target absent; the next `init` or `demo` removes the dead build's files.
//!
//! Each refusal is one line that says how to fix it. No SQL here beyond folding the
//! new database's log.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{Result, StoreError};
use crate::private_file::Beside;

/// The files SQLite may keep beside a database.
pub const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with a suffix (`-wal`…) appended.
pub fn companion(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// The folder a database file is in.
pub fn folder(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// An IO failure on `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// Refuses a folder other users can write to.
pub fn check_folder(dir: &Path) -> Result<()> {
    let meta = fs::metadata(dir).map_err(io(dir))?;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o002 != 0 {
        return Err(StoreError::FolderOpen { dir: dir.to_path_buf(), mode });
    }
    Ok(())
}

/// Who a file belongs to and who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub uid: u32,
    pub gid: u32,
    /// Permission bits (`& 0o777`).
    pub mode: u32,
}

impl Access {
    fn of(meta: &fs::Metadata) -> Access {
        Access { uid: meta.uid(), gid: meta.gid(), mode: meta.permissions().mode() & 0o777 }
    }
}

/// What is wrong with a file beside a database, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companion {
    /// Open to users the database is not open to; `want` is the database's mode.
    Open { mode: u32, want: u32 },
    /// A private database's companion made by someone else.
    Owner { uid: u32, want: u32 },
    /// A shared database's companion outside its group.
    Group { gid: u32, want: u32 },
}

/// The rule, on its own: `db` is the database file, `file` the one beside it.
pub fn judge(db: Access, file: Access) -> Option<Companion> {
    let beyond_db = file.mode & 0o070 & !db.mode;
    if file.mode & 0o007 != 0 || beyond_db != 0 {
        return Some(Companion::Open { mode: file.mode, want: db.mode & 0o770 });
    }
    let shared = db.mode & 0o070 != 0;
    if shared {
        (file.gid != db.gid).then_some(Companion::Group { gid: file.gid, want: db.gid })
    } else {
        (file.uid != db.uid).then_some(Companion::Owner { uid: file.uid, want: db.uid })
    }
}

/// Refuses a `-wal`, `-shm` or `-journal` beside `path` that breaks [`judge`], or that
/// is not a regular file (SQLite would follow a link).
pub fn check_companions(path: &Path) -> Result<()> {
    let db = Access::of(&fs::metadata(path).map_err(io(path))?);
    for suffix in COMPANIONS {
        let file = companion(path, suffix);
        let meta = match fs::symlink_metadata(&file) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&file)(e)),
        };
        if !meta.file_type().is_file() {
            return Err(StoreError::CompanionNotFile { path: file });
        }
        match judge(db, Access::of(&meta)) {
            None => {}
            Some(Companion::Open { mode, want }) => return Err(StoreError::CompanionOpen { path: file, mode, want }),
            Some(Companion::Owner { uid, want }) => return Err(StoreError::CompanionOwner { path: file, uid, want }),
            Some(Companion::Group { gid, want }) => {
                let dir = folder(path).to_path_buf();
                return Err(StoreError::CompanionGroup { path: file, gid, want, dir });
            }
        }
    }
    Ok(())
}

/// A new database being built under a temporary name beside its target.
#[derive(Debug)]
pub struct Draft {
    temp: Beside,
}

impl Draft {
    /// Checks the target is free (nothing there, not even a link; no log left from a
    /// deleted database) and its folder private, creating the folder (0700, or 0770
    /// shared) if need be, and makes the empty temporary file (0600, or 0660 shared).
    pub fn begin(target: &Path, shared: bool) -> Result<Draft> {
        if target.symlink_metadata().is_ok() {
            return Err(StoreError::Exists { path: target.to_path_buf() });
        }
        // A write-ahead log left from a deleted database would be replayed into the
        // new one.
        let wal = companion(target, "-wal");
        if wal.symlink_metadata().is_ok() {
            return Err(StoreError::LeftoverLog { path: wal });
        }
        let dir = folder(target);
        if !dir.exists() {
            fs::create_dir_all(dir).map_err(io(dir))?;
            fs::set_permissions(dir, fs::Permissions::from_mode(if shared { 0o770 } else { 0o700 }))
                .map_err(io(dir))?;
        }
        check_folder(dir)?;
        let temp = Beside::create(target, if shared { 0o660 } else { 0o600 }).map_err(io(target))?;
        Ok(Draft { temp })
    }

    /// The temporary file to build in.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Folds the log into the database file (leaving it in rollback mode, with no
    /// `-wal` or `-shm` under the temporary name), closes it, and moves it to the
    /// target, which must still be free. Returns the target.
    pub fn publish(self, conn: Connection) -> Result<PathBuf> {
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let journal: String = conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
        if !journal.eq_ignore_ascii_case("delete") {
            return Err(StoreError::Corrupt(format!(
                "the new database's log could not be folded in (journal mode {journal}): nothing was created"
            )));
        }
        conn.close().map_err(|(_, e)| e)?;
        let target = self.temp.dest().to_path_buf();
        self.temp.keep_new().map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: target.clone() },
            _ => StoreError::Io { path: target.clone(), source },
        })?;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: u32 = 1000;
    const OTHER: u32 = 1001;
    const TEAM: u32 = 500;

    fn db(mode: u32) -> Access {
        Access { uid: ME, gid: TEAM, mode }
    }

    #[test]
    fn a_private_databases_log_is_its_owners_and_private() {
        let ok = Access { uid: ME, gid: 7, mode: 0o600 };
        assert_eq!(judge(db(0o600), ok), None);
        for mode in [0o644, 0o666, 0o602, 0o640, 0o660, 0o601] {
            assert_eq!(
                judge(db(0o600), Access { mode, ..ok }),
                Some(Companion::Open { mode, want: 0o600 }),
                "{mode:o}"
            );
        }
        assert_eq!(
            judge(db(0o600), Access { uid: OTHER, ..ok }),
            Some(Companion::Owner { uid: OTHER, want: ME }),
            "a 0600 log another user made in advance"
        );
    }

    #[test]
    fn a_shared_databases_log_may_be_anyones_in_its_group() {
        let colleague = Access { uid: OTHER, gid: TEAM, mode: 0o660 };
        assert_eq!(judge(db(0o660), colleague), None);
        assert_eq!(judge(db(0o660), Access { mode: 0o600, ..colleague }), None, "stricter is fine");
        assert_eq!(
            judge(db(0o660), Access { gid: 9, ..colleague }),
            Some(Companion::Group { gid: 9, want: TEAM }),
            "made without the folder's setgid"
        );
        assert_eq!(
            judge(db(0o660), Access { mode: 0o664, ..colleague }),
            Some(Companion::Open { mode: 0o664, want: 0o660 })
        );
        assert_eq!(
            judge(db(0o640), Access { mode: 0o660, ..colleague }),
            Some(Companion::Open { mode: 0o660, want: 0o640 })
        );
    }
}
