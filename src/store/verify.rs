//! `verify`: the append-only triggers compared with the exact SQL the migrations
//! created, the chain walked ([`super::events`]), every table rebuilt from the log
//! and compared ([`super::rebuild`]); the anchors are checked by the service, which
//! knows where the anchor file is ([`super::anchor`]).

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::Result;
use super::events::{Broken, WalkFrom, walk_chain, walk_legacy_chain};
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
    let (events, first_broken) = walk_chain(conn, from)?;
    let mut report = VerifyReport {
        events,
        missing_triggers,
        first_broken,
        from_event: opts.since.map_or(0, |a| a.events),
        ..Default::default()
    };
    if opts.rebuild {
        let only = match opts.since {
            Some(a) => Some(super::rebuild::references_after(conn, a.events)?),
            None => None,
        };
        let found = super::rebuild::compare(conn, only.as_ref())?;
        report.rebuilt = true;
        report.more_differences = found.more;
        report.differences = found.differences;
    }
    Ok(report)
}
