//! Anchors: the head of the event log (how many events, the last hash, when)
//! written somewhere the database's users cannot rewrite along with it — a file the
//! council chooses, outside the database's folder, or syslog. A log deleted from the
//! end, or edited and re-hashed from start to finish, still links up on its own; it
//! no longer extends the heads recorded before, and `verify --anchors` says so.
//!
//! The file is JSON Lines, one anchor a line: `{"events":N,"hash":"…","at":"…"}`.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::events::{GENESIS, Head};
use super::{Result, StoreError};

/// One recorded head of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub events: i64,
    pub hash: String,
    /// When it was taken, UTC, RFC 3339.
    pub at: String,
}

/// What checking the anchors found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorCheck {
    pub file: String,
    pub anchors: usize,
    /// The newest anchor in the file.
    pub last: Option<Anchor>,
    /// The first anchor the log no longer extends.
    pub contradicted: Option<Contradiction>,
}

/// An anchor the log contradicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contradiction {
    /// Its line in the anchor file (from 1).
    pub line: usize,
    pub anchor: Anchor,
    pub why: String,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// Whether an anchor file would sit in the database's own folder (or below it), where whoever
/// can rewrite the database could rewrite its anchors too.
pub fn in_database_folder(file: &Path, database: &Path) -> bool {
    let dir_of = |p: &Path| -> PathBuf {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf())
    };
    dir_of(file).starts_with(dir_of(database))
}

/// Appends the head to `file` (created 0600 if new) and flushes it to disk.
pub fn append(file: &Path, head: &Head, at: DateTime<Utc>) -> Result<Anchor> {
    let anchor =
        Anchor { events: head.events, hash: head.hash.clone(), at: at.to_rfc3339_opts(SecondsFormat::Secs, true) };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut f = OpenOptions::new().append(true).create(true).mode(0o600).open(file).map_err(io(file))?;
    let mut line = serde_json::to_string(&anchor).expect("anchors serialise");
    line.push('\n');
    f.write_all(line.as_bytes()).map_err(io(file))?;
    f.sync_all().map_err(io(file))?;
    Ok(anchor)
}

/// The anchor as one syslog message (facility local0, notice), sent to `/dev/log`.
pub fn to_syslog(head: &Head, at: DateTime<Utc>) -> Result<Anchor> {
    let anchor =
        Anchor { events: head.events, hash: head.hash.clone(), at: at.to_rfc3339_opts(SecondsFormat::Secs, true) };
    let message = format!(
        "<133>caseshare[{}]: anchor {}",
        std::process::id(),
        serde_json::to_string(&anchor).expect("anchors serialise")
    );
    let socket = std::os::unix::net::UnixDatagram::unbound().map_err(io(Path::new("/dev/log")))?;
    socket.send_to(message.as_bytes(), "/dev/log").map_err(io(Path::new("/dev/log")))?;
    Ok(anchor)
}

/// Reads every anchor in `file`; a line that is not an anchor is named.
pub fn read(file: &Path) -> Result<Vec<Anchor>> {
    let f = std::fs::File::open(file).map_err(io(file))?;
    let mut out = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(io(file))?;
        if line.trim().is_empty() {
            continue;
        }
        let anchor: Anchor = serde_json::from_str(&line)
            .map_err(|e| StoreError::Corrupt(format!("{} line {}: not an anchor ({e})", file.display(), n + 1)))?;
        out.push(anchor);
    }
    Ok(out)
}

/// Checks the log still extends every anchor in `file`, oldest first, and names
/// the first it contradicts.
pub fn check(conn: &Connection, file: &Path) -> Result<AnchorCheck> {
    let anchors = read(file)?;
    let last_event: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
    let mut contradicted = None;
    for (i, a) in anchors.iter().enumerate() {
        let stored: Option<String> = if a.events == 0 {
            Some(GENESIS.to_string())
        } else {
            conn.query_row("SELECT hash FROM events WHERE id = ?1", [a.events], |r| r.get(0)).optional()?
        };
        let why = match stored {
            None => Some(format!(
                "the log ends at event {last_event}, but on {} it had {} events: the events after {last_event} were deleted",
                a.at, a.events
            )),
            Some(h) if h != a.hash => Some(format!(
                "event {} no longer has the hash recorded on {}: the log was rewritten up to there",
                a.events, a.at
            )),
            Some(_) => None,
        };
        if let Some(why) = why {
            contradicted = Some(Contradiction { line: i + 1, anchor: a.clone(), why });
            break;
        }
    }
    Ok(AnchorCheck {
        file: file.display().to_string(),
        anchors: anchors.len(),
        last: anchors.last().cloned(),
        contradicted,
    })
}
