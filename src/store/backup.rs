//! Online backup (SQLite's backup API: safe while others use the database), into a
//! private temporary file beside the destination, checked, and only then moved into
//! place as the backup (see [`crate::private_file`]).

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Result, Store, StoreError};
use crate::private_file::Beside;

/// What the copy holds, once checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupReport {
    pub events: u64,
    pub requests: i64,
    /// Earlier backups, still on disk, made before a disposal: each still holds
    /// what the disposal erased, until it is deleted.
    pub predate_disposals: Vec<OlderBackup>,
}

/// An earlier backup (from the log's `backup` events) that a disposal came after.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OlderBackup {
    pub file: String,
    pub made_at: String,
    /// The oldest disposal it does not reflect: when, and of which request.
    pub disposal_at: String,
    pub disposal_of: String,
}

/// The earlier backups recorded in the log that were made before a later disposal,
/// each with the oldest disposal it does not reflect (whether the file is still on
/// disk is the caller's question).
pub fn predating_disposals(conn: &rusqlite::Connection) -> Result<Vec<OlderBackup>> {
    let mut stmt = conn.prepare(
        "SELECT b.at, p.after,
                (SELECT d.at || ' ' || d.reference FROM events d WHERE d.op = 'dispose' AND d.id > b.id ORDER BY d.id LIMIT 1)
         FROM events b JOIN event_payloads p ON p.event_id = b.id WHERE b.op = 'backup' ORDER BY b.id",
    )?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (made_at, after, disposal) = row?;
        let Some((disposal_at, disposal_of)) = disposal.as_deref().and_then(|d| d.split_once(' ')) else { continue };
        let file = serde_json::from_str::<serde_json::Value>(&after)
            .ok()
            .and_then(|v| v["file"].as_str().map(str::to_string))
            .unwrap_or_default();
        if !file.is_empty() {
            out.push(OlderBackup { file, made_at, disposal_at: disposal_at.into(), disposal_of: disposal_of.into() });
        }
    }
    Ok(out)
}

/// Copies the open database to `dest` (which must not exist, not even as a link),
/// mode 0600, then checks the copy: `integrity_check` and the event chain. The copy
/// is built under a temporary name and appears at `dest` only once it has passed; one
/// that fails is removed.
pub fn backup(store: &Store, dest: &Path) -> Result<BackupReport> {
    backup_with(store, dest, &crate::progress::Silent)
}

/// [`backup`], telling `tick` how many pages are copied, then that the copy is
/// checked (its event log verified through the same `tick`).
pub fn backup_with(store: &Store, dest: &Path, tick: &dyn crate::progress::Tick) -> Result<BackupReport> {
    let io = |source| StoreError::Io { path: dest.to_path_buf(), source };
    if dest.symlink_metadata().is_ok() {
        return Err(io(nix::errno::Errno::EEXIST.into()));
    }
    let temp = Beside::create(dest, 0o600).map_err(io)?;
    let report = copy_and_check(store, temp.path(), tick)?;
    temp.keep_new().map_err(io)?;
    Ok(report)
}

fn copy_and_check(store: &Store, dest: &Path, tick: &dyn crate::progress::Tick) -> Result<BackupReport> {
    {
        let mut to = Connection::open(dest)?;
        let b = Backup::new(store.conn(), &mut to)?;
        // 256 pages a step with a short pause lets other users keep writing (as
        // `run_to_completion` does, with the pages counted as they go).
        let mut staged = false;
        let mut copied = 0;
        loop {
            let step = b.step(256)?;
            let p = b.progress();
            let done = (p.pagecount - p.remaining).max(0) as u64;
            if !staged {
                tick.stage("copying the database (pages)", p.pagecount.max(0) as u64);
                staged = true;
            }
            tick.inc(done.saturating_sub(copied));
            copied = copied.max(done);
            match step {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }
    tick.stage("checking the copy", 0);
    // Checked as it is: nothing to migrate, and its folder is the destination's, which
    // need not meet a live database's rules (a backup may go to /tmp).
    let copy = Connection::open(dest)?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Corrupt(format!("the copy failed SQLite's integrity check: {check}")));
    }
    let report = super::verify::verify_with(&copy, super::verify::VerifyOptions::default(), tick)?;
    if !report.ok() {
        return Err(StoreError::Corrupt("the copy's event log does not verify: the backup was not kept".into()));
    }
    let requests = copy.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?;
    // Leave a single self-contained file, not a WAL beside it.
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(BackupReport { events: report.events, requests, predate_disposals: Vec::new() })
}
