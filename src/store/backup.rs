//! Online backup (SQLite's backup API: safe while others use the database), into a
//! new private file, checked before it is called a backup.

use std::fs::{self, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::Backup;

use super::{OpenMode, Result, Store, StoreError, events};

/// What the copy holds, once checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupReport {
    pub events: u64,
    pub requests: i64,
}

/// Copies the open database to `dest` (which must not exist), mode 0600, then
/// checks the copy: `integrity_check` and the event chain. A copy that fails the
/// check is removed.
pub fn backup(store: &Store, dest: &Path) -> Result<BackupReport> {
    let io = |source| StoreError::Io { path: dest.to_path_buf(), source };
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(dest).map_err(io)?;
    fs::set_permissions(dest, fs::Permissions::from_mode(0o600)).map_err(io)?;
    let result = copy_and_check(store, dest);
    if result.is_err() {
        let _ = fs::remove_file(dest);
    }
    result
}

fn copy_and_check(store: &Store, dest: &Path) -> Result<BackupReport> {
    {
        let mut to = Connection::open(dest)?;
        let b = Backup::new(store.conn(), &mut to)?;
        // 256 pages a step with a short pause lets other users keep writing.
        b.run_to_completion(256, Duration::from_millis(5), None)?;
    }
    let copy = Store::open(dest, OpenMode::Existing)?;
    let check: String = copy.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Corrupt(format!("the copy failed SQLite's integrity check: {check}")));
    }
    let report = events::verify(copy.conn(), events::VerifyOptions::default())?;
    if !report.ok() {
        return Err(StoreError::Corrupt("the copy's event log does not verify: the backup was not kept".into()));
    }
    let requests = copy.conn().query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?;
    // Leave a single self-contained file, not a WAL beside it.
    copy.conn().pragma_update(None, "journal_mode", "DELETE")?;
    Ok(BackupReport { events: report.events, requests })
}
