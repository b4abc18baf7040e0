//! The event log: append-only (SQLite triggers abort UPDATE and DELETE) and
//! hash-chained, so an edit made behind the application's back is detected.
//!
//! Each event's hash is SHA-256 over the previous event's hash and this event's
//! canonical content: the JSON array `[id, at, login, op, reference, before, after]`
//! with `before`/`after` exactly as stored.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Result;
use super::schema::EVENT_TRIGGERS;

/// The hash the first event chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: i64,
    /// UTC, RFC 3339 with milliseconds.
    pub at: String,
    pub login: String,
    pub op: String,
    pub reference: Option<String>,
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An event's canonical content: `(id, at, login, op, reference, before, after)`.
type Content<'a> = (i64, &'a str, &'a str, &'a str, Option<&'a str>, &'a str, &'a str);

fn content_hash(prev: &str, content: Content) -> String {
    let canonical = serde_json::to_string(&content).expect("strings serialise");
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Appends an event inside the caller's transaction; returns its id.
pub fn append(
    conn: &Connection,
    at: DateTime<Utc>,
    login: &str,
    op: &str,
    reference: Option<&str>,
    before: &Value,
    after: &Value,
) -> Result<i64> {
    let (last_id, prev): (i64, String) = conn
        .query_row("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    let id = last_id + 1;
    let at = at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let before = before.to_string();
    let after = after.to_string();
    let hash = content_hash(&prev, (id, &at, login, op, reference, &before, &after));
    conn.execute(
        "INSERT INTO events (id, at, login, op, reference, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id, at, login, op, reference, before, after, prev, hash],
    )?;
    Ok(id)
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub events: u64,
    pub missing_triggers: Vec<String>,
    pub first_broken: Option<Broken>,
    /// Requests whose changes outnumber their events (events removed from the log).
    pub mismatched: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.missing_triggers.is_empty() && self.first_broken.is_none() && self.mismatched.is_empty()
    }
}

/// The first event whose link in the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub id: i64,
    pub at: String,
    pub why: String,
}

/// Walks the whole chain and checks the append-only triggers are in place.
pub fn verify(conn: &Connection) -> Result<VerifyReport> {
    let mut missing_triggers = Vec::new();
    for name in EVENT_TRIGGERS {
        let sql: Option<String> = conn
            .query_row("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", [name], |r| r.get(0))
            .optional()?;
        if !sql.is_some_and(|s| s.contains("RAISE(ABORT")) {
            missing_triggers.push(name.to_string());
        }
    }
    let mut stmt =
        conn.prepare("SELECT id, at, login, op, reference, before, after, prev_hash, hash FROM events ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    let mut count = 0u64;
    let mut first_broken = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let stored_prev: String = r.get(7)?;
        let stored_hash: String = r.get(8)?;
        count += 1;
        if first_broken.is_some() {
            continue;
        }
        let why = if id != expected_id {
            Some(format!("event {expected_id} is missing (the next is {id})"))
        } else if stored_prev != prev {
            Some("its link to the previous event does not match".to_string())
        } else {
            let login: String = r.get(2)?;
            let op: String = r.get(3)?;
            let reference: Option<String> = r.get(4)?;
            let before: String = r.get(5)?;
            let after: String = r.get(6)?;
            let h = content_hash(&prev, (id, &at, &login, &op, reference.as_deref(), &before, &after));
            (h != stored_hash).then(|| "its content does not match its hash (edited outside caseshare)".to_string())
        };
        if let Some(why) = why {
            first_broken = Some(Broken { id, at, why });
        }
        prev = stored_hash;
        expected_id = id + 1;
    }
    let mismatched = requests_out_of_step(conn)?;
    Ok(VerifyReport { events: count, missing_triggers, first_broken, mismatched })
}

/// Requests whose version does not match their events: every change adds one
/// event and one version, so a request with fewer events than changes has lost
/// events from the log (including the last ones, which the chain alone cannot show).
fn requests_out_of_step(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT r.reference, r.version, (SELECT count(*) FROM events e WHERE e.reference = r.reference) AS n
         FROM requests r WHERE r.version != n + 1 ORDER BY r.id LIMIT 20",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let (reference, version, n): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(format!("{reference} has {n} events for {} changes", version - 1))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn row_to_event(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        at: r.get(1)?,
        login: r.get(2)?,
        op: r.get(3)?,
        reference: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// Events for one request (oldest first), or the latest `limit` of the whole log.
pub fn list(conn: &Connection, reference: Option<&str>, limit: u32) -> Result<Vec<Event>> {
    let cols = "id, at, login, op, reference, before, after, prev_hash, hash";
    let mut out: Vec<Event> = match reference {
        Some(re) => conn
            .prepare(&format!("SELECT {cols} FROM events WHERE reference = ?1 ORDER BY id DESC LIMIT ?2"))?
            .query_map(params![re, limit], row_to_event)?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare(&format!("SELECT {cols} FROM events ORDER BY id DESC LIMIT ?1"))?
            .query_map(params![limit], row_to_event)?
            .collect::<rusqlite::Result<_>>()?,
    };
    out.reverse();
    Ok(out)
}

/// Number of events in the log.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)
}

/// The changed parts of two snapshots: `(before, after)` holding only keys whose
/// values differ (recursing into objects; arrays of objects with an `id` are
/// compared by id).
pub fn diff(before: &Value, after: &Value) -> (Value, Value) {
    match (keyed(before), keyed(after)) {
        (Value::Object(a), Value::Object(b)) => {
            let mut ob = serde_json::Map::new();
            let mut oa = serde_json::Map::new();
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let va = a.get(k).unwrap_or(&Value::Null);
                let vb = b.get(k).unwrap_or(&Value::Null);
                if va != vb {
                    let (x, y) = diff(va, vb);
                    ob.insert(k.clone(), x);
                    oa.insert(k.clone(), y);
                }
            }
            (Value::Object(ob), Value::Object(oa))
        }
        (a, b) => (a, b),
    }
}

/// Arrays of objects with ids become objects keyed by id, so diffs name the row.
fn keyed(v: &Value) -> Value {
    match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(|i| i.get("id").is_some_and(Value::is_i64)) => {
            Value::Object(items.iter().map(|i| (format!("#{}", i["id"]), i.clone())).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_what_changed() {
        let (b, a) = diff(
            &json!({"status": "new", "x": 1, "items": [{"id": 1, "ok": null}]}),
            &json!({"status": "awaiting_form", "x": 1, "items": [{"id": 1, "ok": true}]}),
        );
        assert_eq!(b, json!({"status": "new", "items": {"#1": {"ok": null}}}));
        assert_eq!(a, json!({"status": "awaiting_form", "items": {"#1": {"ok": true}}}));
    }
}
