//! Recorded lookups that name a child, and the subject rows that are that child: the
//! reads behind the subject report (and, for disposal, which lookups to erase).
//! Read-only SQL; the rule of what "names" is [`crate::domain::lookups::query_names`].

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::Value;

use crate::domain::lookups::{LookupRecord, query_names};
use crate::store::Result;

/// The ops whose events are lookups of people.
pub const LOOKUP_OPS: [&str; 3] = ["who_viewed", "lookup", "subject_report"];

/// The query strings a lookup event's `after` holds, by op.
fn query_strings(op: &str, after: &Value) -> Vec<String> {
    let get = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    match op {
        "who_viewed" => {
            let q = after.get("query").cloned().unwrap_or(Value::Null);
            ["mosaic_id", "subject", "text"].iter().filter_map(|k| get(&q, k)).collect()
        }
        // A search's fields apart where it records them (since schema 14), else the
        // search as one text.
        "lookup" => match after.get("parts").and_then(Value::as_array) {
            Some(parts) => parts.iter().filter_map(|p| p.as_str().map(str::to_string)).collect(),
            None => get(after, "search").into_iter().collect(),
        },
        "subject_report" => {
            let q = after.get("query").cloned().unwrap_or(Value::Null);
            ["mosaic_id", "name"].iter().filter_map(|k| get(&q, k)).collect()
        }
        _ => Vec::new(),
    }
}

/// Every recorded lookup (`who_viewed`, `lookup`, `subject_report`) whose query names
/// one of `subjects` (name, Mosaic ID), oldest first. An erased payload names no one.
pub fn lookups_naming(conn: &Connection, subjects: &[(String, String)]) -> Result<Vec<LookupRecord>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.at, e.login, e.op, p.after FROM events e JOIN event_payloads p ON p.event_id = e.id
         WHERE e.op IN (?1, ?2, ?3) ORDER BY e.id",
    )?;
    let rows = stmt.query_map(LOOKUP_OPS, |r| {
        let at: DateTime<Utc> = r.get(1)?;
        Ok((r.get::<_, i64>(0)?, at, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (event_id, at, login, op, after) = row?;
        let after: Value = serde_json::from_str(&after).unwrap_or(Value::Null);
        let queries = query_strings(&op, &after);
        let names = queries.iter().any(|q| subjects.iter().any(|(name, id)| query_names(q, name, id)));
        if !names {
            continue;
        }
        let settled = after.get("settled").and_then(Value::as_str).unwrap_or("").to_string();
        found.push(LookupRecord { event_id, at, login, op, settled, query: queries.join(" / ") });
    }
    Ok(found)
}

/// A subject row: its request, the child as spelt there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRow {
    pub request_id: i64,
    pub reference: String,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub mosaic_id: String,
}

/// Every subject row for which `is_child(name, mosaic_id)` holds, in request order.
pub fn subject_rows(conn: &Connection, is_child: impl Fn(&str, &str) -> bool) -> Result<Vec<SubjectRow>> {
    let mut stmt = conn.prepare(
        "SELECT s.request_id, r.reference, s.name, s.dob, s.mosaic_id FROM subjects s
         JOIN requests r ON r.id = s.request_id ORDER BY s.request_id, s.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SubjectRow {
            request_id: r.get(0)?,
            reference: r.get(1)?,
            name: r.get(2)?,
            dob: r.get(3)?,
            mosaic_id: r.get(4)?,
        })
    })?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if is_child(&row.name, &row.mosaic_id) {
            out.push(row);
        }
    }
    Ok(out)
}
