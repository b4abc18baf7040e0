//! The only code that touches SQLite: opening the file safely, migrations, the
//! queries, and the hash-chained event log.
//!
//! Nothing here decides a rule; callers (the service layer) pass in checked values.
//! Every SQL statement binds its parameters; no user text is formatted into SQL.

pub mod anchor;
pub mod backup;
pub mod canonical;
pub mod events;
pub mod files;
pub mod lists;
pub mod lookups;
pub mod rebuild;
pub mod reference;
pub mod requests;
pub mod schema;
pub mod search;
mod stream;
pub mod upgrade;
pub mod verify;

use std::cell::RefCell;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

/// Failures of the database itself (not refusals by a rule).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database value of the wrong type: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} is readable by other users (mode {mode:04o}): run `chmod 600 {path}` (or `chmod 660` for a shared install) and try again"
    )]
    WorldReadable { path: PathBuf, mode: u32 },
    #[error(
        "{path} is open to other users (mode {mode:04o}; the database is {want:04o}), who could read or rewrite its recent changes: run `chmod {want:o} {path}` and try again"
    )]
    CompanionOpen { path: PathBuf, mode: u32, want: u32 },
    #[error(
        "{path} belongs to uid {uid}, not to the database's owner (uid {want}), so someone else may have made it: if it is the database's own (restored by root, say) run `chown {want} {path}`, otherwise move it away and tell information governance"
    )]
    CompanionOwner { path: PathBuf, uid: u32, want: u32 },
    #[error(
        "{path} is in group {gid}, not the shared database's group ({want}): run `chgrp {want} {path}`, and `chmod g+s {dir}` so that files made there take the folder's group"
    )]
    CompanionGroup { path: PathBuf, gid: u32, want: u32, dir: PathBuf },
    #[error("{path} is not a regular file (a link?), and SQLite would follow it: move it away and try again")]
    CompanionNotFile { path: PathBuf },
    #[error(
        "{dir} can be written by other users (mode {mode:04o}), who could add or replace files beside the database: run `chmod o-w {dir}`, or move the database to a folder only its users can write to"
    )]
    FolderOpen { dir: PathBuf, mode: u32 },
    #[error("no database at {path}: run `caseshare init` to create one (or `caseshare demo` to try the tool)")]
    Missing { path: PathBuf },
    #[error("a database already exists at {path}")]
    Exists { path: PathBuf },
    #[error(
        "{path} is the write-ahead log of a database that is no longer there: restore that database beside it, or move the log away, and try again"
    )]
    LeftoverLog { path: PathBuf },
    #[error("{0}")]
    Corrupt(String),
    #[error("nothing is written while a save is only being checked")]
    Rehearsal,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Prepared statements kept per connection: loading a request whole takes eight, and
/// recording a request whole about as many more; rusqlite's default of 16 would prepare them afresh
/// for every request.
const STATEMENT_CACHE: usize = 64;

/// How long a write waits for another user's write to finish.
const BUSY: Duration = Duration::from_secs(10);

/// How to open the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must exist.
    Existing,
    /// The file must not exist; create it private (0600), or group-shared (0660),
    /// under a temporary name renamed into place once migrated (see [`Store::draft`]).
    Create { shared: bool },
    /// Look without changing anything (`verify`): a file in rollback-journal mode, as
    /// `caseshare backup` writes them, is opened read-only as it is, rather than
    /// switched to WAL with `-wal` and `-shm` files left beside it. A live (WAL)
    /// database opens as for `Existing`.
    Inspect,
}

/// An open, migrated database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Filter-as-you-type and counts held in memory, for a long-running session.
    session: Option<RefCell<search::SessionCache>>,
    /// A rehearsal is under way: see [`Store::write_or_rehearse`].
    rehearsing: bool,
    /// Built under a temporary name until [`Store::publish`] (see [`files::Draft`]).
    draft: Option<files::Draft>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the database at `path`, checks the modes of it, the files
    /// beside it and its folder (see [`files`]), sets the pragmas and brings the schema
    /// up to date.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let io = |source| StoreError::Io { path: path.to_path_buf(), source };
        if let OpenMode::Create { shared } = mode {
            return Store::draft(path, shared)?.publish();
        }
        if !path.exists() {
            return Err(StoreError::Missing { path: path.to_path_buf() });
        }
        files::check_folder(files::folder(path))?;
        check_mode(path)?;
        files::check_companions(path)?;
        if mode == OpenMode::Inspect && !is_wal(path).map_err(io)? {
            let conn =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
            conn.busy_timeout(BUSY)?;
            conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
            return Ok(Store { conn, path: path.to_path_buf(), session: None, rehearsing: false, draft: None });
        }
        Store::connect(path, None)
    }

    /// A new database for `init` or `demo` to fill, built under a temporary name beside
    /// `path` (which must not exist) so that nothing is at `path` until
    /// [`Store::publish`]; dropped unpublished, it leaves nothing behind.
    pub fn draft(path: &Path, shared: bool) -> Result<Store> {
        let draft = files::Draft::begin(path, shared)?;
        let temp = draft.path().to_path_buf();
        Store::connect(&temp, Some(draft))
    }

    /// Puts a [`Store::draft`] in place, complete (its log folded in), and reopens it
    /// there; any other store is returned as it is.
    pub fn publish(mut self) -> Result<Store> {
        let Some(draft) = self.draft.take() else {
            return Ok(self);
        };
        let target = draft.publish(self.conn)?;
        Store::open(&target, OpenMode::Existing)
    }

    fn connect(path: &Path, draft: Option<files::Draft>) -> Result<Store> {
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(BUSY)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // What is deleted or overwritten is overwritten with zeros, not left in the
        // file's free space: a disposal's erased names must not survive in the bytes.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // The last connection to close would otherwise fold the write-ahead log into
        // the database and delete it: three more fsyncs on every one-shot command
        // (a `who-viewed` lookup, which records itself, took twice as long). The log
        // is durable as it stands and is checkpointed as it grows (every 1,000
        // pages, and cut back to 16 MiB after a large import); `caseshare backup`
        // copies both.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        conn.pragma_update(None, "journal_size_limit", 16 * 1024 * 1024)?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(Store { conn, path: path.to_path_buf(), session: None, rehearsing: false, draft })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction that takes the write lock at once, so two writers queue
    /// instead of failing half way.
    pub fn write(&mut self) -> Result<Transaction<'_>> {
        if self.rehearsing {
            return Err(StoreError::Rehearsal);
        }
        self.begin()
    }

    /// Starts or ends a rehearsal: while it lasts, [`Store::write`] is refused and
    /// [`Store::write_or_rehearse`] tells its caller not to commit.
    pub fn set_rehearsing(&mut self, on: bool) {
        self.rehearsing = on;
    }

    /// Whether a rehearsal is under way (see [`Store::set_rehearsing`]).
    pub fn is_rehearsing(&self) -> bool {
        self.rehearsing
    }

    /// A write transaction for a change that can be rehearsed; the flag says whether
    /// this is a rehearsal, in which case the caller checks everything and then drops
    /// the transaction (rolling it back) instead of committing.
    pub fn write_or_rehearse(&mut self) -> Result<(Transaction<'_>, bool)> {
        let rehearsal = self.rehearsing;
        Ok((self.begin()?, rehearsal))
    }

    fn begin(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Runs a long read (an export, a report over everything) with a 64 MiB page
    /// cache instead of SQLite's 2 MiB default, then gives the memory back: the
    /// export's correlated look-ups revisit the same pages many times.
    pub fn with_large_cache<T>(&self, read: impl FnOnce(&Connection) -> T) -> Result<T> {
        let before: i64 = self.conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        let out = read(&self.conn);
        self.conn.pragma_update(None, "cache_size", before)?;
        Ok(out)
    }

    /// Keeps filter-as-you-type and counts in memory from now on (see [`search`]):
    /// for the TUI, where every keystroke searches or pages; one-shot commands
    /// query the database each time.
    pub fn keep_session_cache(&mut self) {
        self.session.get_or_insert_with(Default::default);
    }

    /// A count of a list query (`key` names it), remembered by a session until the
    /// database changes.
    pub fn count(
        &self,
        today: chrono::NaiveDate,
        key: String,
        count: impl FnOnce(&Connection) -> Result<i64>,
    ) -> Result<i64> {
        match &self.session {
            Some(cache) => cache.borrow_mut().count(&self.conn, today, key, count),
            None => count(&self.conn),
        }
    }

    /// Prepares the session's in-memory search, if it keeps one (see [`search`]).
    pub fn warm_session_cache(&self, today: chrono::NaiveDate) -> Result<()> {
        match &self.session {
            Some(cache) => cache.borrow_mut().warm(&self.conn, today),
            None => Ok(()),
        }
    }

    /// The requests a filter with text lists, in triage order, when the search is
    /// kept in memory; `None` when it is not (or the filter has no text).
    pub fn search_matches(&self, f: &lists::ListFilter, today: chrono::NaiveDate) -> Result<Option<search::Matches>> {
        let (Some(cache), Some(text)) = (&self.session, f.text.as_deref().filter(|t| !search::needle(t).is_empty()))
        else {
            return Ok(None);
        };
        cache.borrow_mut().matches(&self.conn, f, today, text).map(Some)
    }

    /// After a large write (a generated demo, an import): folds the write-ahead log
    /// into the database and cuts it back to nothing, rather than leaving a log as
    /// large as the write beside the database. Never waits: if anyone is reading or
    /// writing, it does what it can now and the log is folded in later as usual, so
    /// other users' saves are never held up behind it.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.busy_timeout(Duration::ZERO)?;
        let done = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        self.conn.busy_timeout(BUSY)?;
        match done {
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(()),
            other => Ok(other?),
        }
    }

    /// After a disposal: folds the whole write-ahead log into the database and cuts
    /// it to nothing, so that no frame written before the disposal (holding what it
    /// erased) is left in the `-wal` file. Waits for other writers as any write does;
    /// returns false if a reader still holds an older snapshot, when the log keeps
    /// frames until that session moves on.
    pub fn scrub_log(&self) -> Result<bool> {
        let (busy, log, done): (i64, i64, i64) =
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(busy == 0 && log == done)
    }

    /// When a long session ends (the TUI quits): folds what it can of the log into
    /// the database without waiting for anyone, so that the database file is
    /// complete on its own when nobody is using it.
    pub fn fold_log(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// SQLite's `data_version`: changes when another connection commits.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

/// Whether the file is in WAL mode: the header's read and write versions (bytes 18
/// and 19) are 2 for WAL, 1 for a rollback journal.
fn is_wal(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 20];
    let n = fs::File::open(path)?.read(&mut header)?;
    Ok(n == header.len() && (header[18] == 2 || header[19] == 2))
}

/// Refuses a database file that other users can read or write.
fn check_mode(path: &Path) -> Result<()> {
    let meta = fs::metadata(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o007 != 0 {
        return Err(StoreError::WorldReadable { path: path.to_path_buf(), mode });
    }
    Ok(())
}

/// Reads an optional coded enum column.
pub(crate) fn parse_code<T: std::str::FromStr<Err = String>>(s: &str) -> rusqlite::Result<T> {
    s.parse::<T>().map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}
