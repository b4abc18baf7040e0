//! `verify`: the append-only triggers compared with the exact SQL the migrations
//! created, the chain walked ([`super::events`]) on a second connection reading the
//! same snapshot (with the reference tables rebuilt from the log and compared)
//! while every request is rebuilt and compared on the first ([`super::rebuild`]); the anchors are checked by the service, which
//! knows where the anchor file is ([`super::anchor`]).

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use super::Result;
use super::events::{Broken, WalkFrom, first_broken, walk_chain, walk_legacy_chain, walk_links, walk_payloads};
use super::schema::EVENT_TRIGGERS;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct VerifyReport {
    pub events: u64,
    /// Append-only triggers missing, or not exactly as the migration created them.
    pub missing_triggers: Vec<String>,
    pub first_broken: Option<Broken>,
    /// Whether the tables were rebuilt from the log and compared.
    pub rebuilt: bool,
    /// Rows that differ from what the log says they should be (at most
    /// [`super::rebuild::MAX_DIFFERENCES`]; `more_differences` counts the rest).
    pub differences: Vec<String>,
    pub more_differences: u64,
    /// The anchors checked, when there were any.
    pub anchors: Option<super::anchor::AnchorCheck>,
    /// The walk began after this event (`--since-last-anchor`); 0 for the whole log.
    pub from_event: i64,
    /// Why the anchors could not be checked, where that is not itself a failure
    /// (the whole-log screen, with an anchor file this login cannot read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor_note: Option<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.missing_triggers.is_empty()
            && self.first_broken.is_none()
            && self.differences.is_empty()
            && self.anchors.as_ref().is_none_or(|a| a.contradicted.is_none())
    }
}

/// Checks the append-only triggers are present and exactly as created.
pub fn altered_triggers(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (name, expected) in EVENT_TRIGGERS {
        let sql: Option<String> = conn
            .query_row("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", [name], |r| r.get(0))
            .optional()?;
        if sql.as_deref() != Some(*expected) {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

/// Options for [`verify`].
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyOptions<'a> {
    /// Rebuild the tables from the log and compare (the default for `verify`).
    pub rebuild: bool,
    /// Walk only what came after the last of these anchors.
    pub since: Option<&'a super::anchor::Anchor>,
}

/// Checks the triggers, walks the chain and (unless asked not to) rebuilds the
/// tables from the log and compares them with what the database holds. A database
/// from before the salted log (a backup opened read-only as it is) is walked with the
/// old hash and not rebuilt.
pub fn verify(conn: &Connection, opts: VerifyOptions) -> Result<VerifyReport> {
    verify_with(conn, opts, &crate::progress::Silent)
}

/// [`verify`], telling `tick` which stage it is at: the hash chain walked (a count
/// the walk does not report as it goes), or, with the rebuild, the requests
/// rebuilt and compared while the chain is walked beside them.
pub fn verify_with(conn: &Connection, opts: VerifyOptions, tick: &dyn crate::progress::Tick) -> Result<VerifyReport> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < super::schema::SALTED_LOG_VERSION {
        // The events table's two triggers were created then with the same text.
        let missing_triggers =
            altered_triggers(conn)?.into_iter().filter(|t| !t.starts_with("event_payloads")).collect();
        let (events, first_broken) = walk_legacy_chain(conn)?;
        return Ok(VerifyReport { events, first_broken, missing_triggers, ..Default::default() });
    }
    let missing_triggers = altered_triggers(conn)?;
    let from = opts.since.map(|a| WalkFrom { after_event: a.events, hash: &a.hash });
    let _mapped = Mapped::new(conn)?;
    let mut report =
        VerifyReport { missing_triggers, from_event: opts.since.map_or(0, |a| a.events), ..Default::default() };
    let walk = |c: &Connection| walk_chain(c, from);
    if !opts.rebuild {
        tick.stage("checking the hash chain", 0);
        // The payloads (most of the bytes) hashed beside the links.
        let (payloads, links) = side_by_side(conn, |c| walk_payloads(c, from), |c| walk_links(c, from))?;
        (report.events, report.first_broken) = first_broken(links, payloads);
        return Ok(report);
    }
    // The reference tables are compared beside the walk (both read every event),
    // the requests on the first connection.
    let walk_and_reference = |c: &Connection| -> Result<_> { Ok((walk(c)?, super::rebuild::reference_tables(c)?)) };
    let rebuild = |c: &Connection| -> Result<super::rebuild::Found> {
        let only = match opts.since {
            Some(a) => Some(super::rebuild::references_after(c, a.events)?),
            None => None,
        };
        let total = match &only {
            Some(only) => only.len() as u64,
            None => c.query_row("SELECT count(*) FROM requests", [], |r| r.get::<_, i64>(0))?.max(0) as u64,
        };
        tick.stage("verifying: requests rebuilt from the log", total);
        super::rebuild::requests_in_with(c, only.as_ref(), tick)
    };
    let ((walked, mut found), requests) = side_by_side(conn, walk_and_reference, rebuild)?;
    found.extend(requests);
    (report.events, report.first_broken) = walked;
    report.rebuilt = true;
    report.more_differences = found.more;
    report.differences = found.differences;
    Ok(report)
}

/// Runs `walk` and `rebuild` at once (the chain beside the rebuild, or the
/// payloads beside the links), `walk` on a second read-only
/// connection to the same file in a thread of its own, both reading the same
/// snapshot of the log: each in a read transaction, begun until both see the same
/// last event (every change the application makes adds one). One after the other
/// on `conn` when there is no second connection to be had (a database in memory),
/// or `conn` is already inside a transaction.
fn side_by_side<A: Send, B>(
    conn: &Connection,
    walk: impl FnOnce(&Connection) -> Result<A> + Send,
    rebuild: impl FnOnce(&Connection) -> Result<B>,
) -> Result<(A, B)> {
    let second = match conn.path().filter(|p| !p.is_empty() && conn.is_autocommit()) {
        Some(path) => {
            Some(Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?)
        }
        None => None,
    };
    let Some(second) = second else {
        return Ok((walk(conn)?, rebuild(conn)?));
    };
    second.busy_timeout(std::time::Duration::from_secs(10))?;
    second.pragma_update(None, "mmap_size", Mapped::SIZE)?;
    let _reading = Reading::begin(conn)?;
    let last =
        |c: &Connection| -> Result<Option<i64>> { Ok(c.query_row("SELECT max(id) FROM events", [], |r| r.get(0))?) };
    let here = last(conn)?;
    let mut same = false;
    for _ in 0..3 {
        let reading = Reading::begin(&second)?;
        if last(&second)? == here {
            std::mem::forget(reading);
            same = true;
            break;
        }
    }
    if !same {
        // The log grew between the two, three times over: one after the other.
        return Ok((walk(conn)?, rebuild(conn)?));
    }
    std::thread::scope(|s| {
        let walking = s.spawn(move || {
            let walked = walk(&second);
            let _ = second.execute_batch("COMMIT");
            walked
        });
        let rebuilt = rebuild(conn);
        let walked = walking.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        Ok((walked?, rebuilt?))
    })
}

/// A read transaction, ended when dropped.
struct Reading<'c>(&'c Connection);

impl<'c> Reading<'c> {
    fn begin(conn: &'c Connection) -> Result<Self> {
        conn.execute_batch("BEGIN")?;
        Ok(Reading(conn))
    }
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("COMMIT");
    }
}

/// The file read through memory-mapped I/O while `verify` reads all of it (a tenth
/// of the walk went on copying pages out of the kernel), set back when dropped.
struct Mapped<'c> {
    conn: &'c Connection,
    before: i64,
}

impl<'c> Mapped<'c> {
    /// SQLite's own ceiling for the mapping (SQLITE_MAX_MMAP_SIZE); past it the
    /// file is read as before.
    const SIZE: i64 = 0x7fff_0000;

    fn new(conn: &'c Connection) -> Result<Self> {
        let before: i64 = conn.pragma_query_value(None, "mmap_size", |r| r.get(0))?;
        conn.pragma_update(None, "mmap_size", Self::SIZE)?;
        Ok(Mapped { conn, before })
    }
}

impl Drop for Mapped<'_> {
    fn drop(&mut self) {
        let _ = self.conn.pragma_update(None, "mmap_size", self.before);
    }
}
