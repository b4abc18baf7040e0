//! The event log: append-only (SQLite triggers abort UPDATE and DELETE) and
//! hash-chained, so an edit made behind the application's back is detected.
//!
//! Each event is two rows. `events` holds who, when, what operation, which request,
//! and the chain: `hash` is SHA-256 over the previous event's hash and the JSON array
//! `[id, at, login, op, reference, digest]`. `event_payloads` holds what changed
//! (`before`, `after`, in payload format `v`) with a random `salt`; `digest` is
//! SHA-256 over the salt and `[v, before, after]`. A payload can therefore be erased
//! (retention) leaving a chain that still verifies, and the digest left behind
//! cannot be tested against guessed names without the salt that went with it.
//! `docs/architecture.md` documents the payload format.
//!
//! [`Chain`] is the only code that computes either hash; every writer (one change,
//! a batch of recorded requests: an import, the generated demo) appends through it.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Result, StoreError};

mod legacy;
mod walk;

pub use legacy::convert_legacy_log;
pub(in crate::store) use legacy::walk_legacy_chain;
pub use walk::{Broken, WalkFrom, walk_chain};
pub(in crate::store) use walk::{first_broken, walk_links, walk_payloads};

/// The hash the first event chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The payload format written today (see `docs/architecture.md`).
pub const PAYLOAD_VERSION: i64 = 1;

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
    /// Its payload was erased by a disposal (`before` and `after` read `null`).
    pub erased: bool,
}

/// The salted digest of one payload: SHA-256 over the salt, the payload format and
/// `before` and `after` each preceded by its length in bytes (so no byte of one can
/// pass for the other), every part ending in a newline:
/// `salt \n v \n len(before) \n before \n len(after) \n after \n`.
fn payload_digest(salt: &[u8], v: i64, before: &[u8], after: &[u8]) -> [u8; 32] {
    let (mut v_text, mut before_len, mut after_len) = (Decimal::default(), Decimal::default(), Decimal::default());
    let mut h = Sha256::new();
    for part in
        [salt, v_text.of(v), before_len.of(before.len() as i64), before, after_len.of(after.len() as i64), after]
    {
        h.update(part);
        h.update(b"\n");
    }
    h.finalize().into()
}

/// An event's link in the chain: SHA-256 over the previous hash, a newline and
/// `[id, at, login, op, reference, digest]` as compact JSON, exactly as
/// `serde_json::to_string` writes it (see [`JsonText`]).
fn link_hash(
    prev: &[u8],
    id: i64,
    at: &[u8],
    login: &[u8],
    op: &[u8],
    reference: Option<&[u8]>,
    digest: &[u8],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(b"\n[");
    h.update(Decimal::default().of(id));
    for part in [Some(at), Some(login), Some(op), reference, Some(digest)] {
        h.update(b",");
        match part {
            Some(text) => JsonText(&mut h).string(text),
            None => h.update(b"null"),
        }
    }
    h.update(b"]");
    h.finalize().into()
}

/// An integer as decimal text, without allocating.
#[derive(Default)]
struct Decimal([u8; 20]);

impl Decimal {
    fn of(&mut self, n: i64) -> &[u8] {
        let mut at = self.0.len();
        let mut rest = n.unsigned_abs();
        loop {
            at -= 1;
            self.0[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if n < 0 {
            at -= 1;
            self.0[at] = b'-';
        }
        &self.0[at..]
    }
}

/// A JSON string written into the hash as `serde_json` writes one: `"` and `\`
/// escaped with a backslash, the control characters below 0x20 as `\b`, `\t`,
/// `\n`, `\f`, `\r` or `\u00XX` (lower-case hex), every other byte as it is.
struct JsonText<'a>(&'a mut Sha256);

impl JsonText<'_> {
    fn string(self, text: &[u8]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let h = self.0;
        h.update(b"\"");
        let mut start = 0;
        for (i, &b) in text.iter().enumerate() {
            if b >= 0x20 && b != b'"' && b != b'\\' {
                continue;
            }
            h.update(&text[start..i]);
            match b {
                b'"' => h.update(b"\\\""),
                b'\\' => h.update(b"\\\\"),
                0x08 => h.update(b"\\b"),
                b'\t' => h.update(b"\\t"),
                b'\n' => h.update(b"\\n"),
                0x0c => h.update(b"\\f"),
                b'\r' => h.update(b"\\r"),
                _ => h.update([b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]),
            }
            start = i + 1;
        }
        h.update(&text[start..]);
        h.update(b"\"");
    }
}

/// Lower-case hex, as the log stores hashes.
fn to_hex(bytes: &[u8; 32]) -> String {
    hex::encode(bytes)
}

/// Whether `stored` is the lower-case hex of `bytes`, without building a string.
fn hex_is(s: &[u8], bytes: &[u8; 32]) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    s.len() == 64
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| s[2 * i] == DIGITS[usize::from(b >> 4)] && s[2 * i + 1] == DIGITS[usize::from(b & 15)])
}

/// 128 random bits, as hex.
fn new_salt() -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Corrupt(format!("no random numbers for the event log: {e}")))?;
    Ok(hex::encode(salt))
}

/// The head of the chain, carried in memory while one transaction appends to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    last_id: i64,
    last_hash: String,
}

impl Chain {
    /// The chain as it stands in the database (inside the caller's transaction).
    pub fn head(conn: &Connection) -> Result<Chain> {
        let (last_id, last_hash) = conn
            .query_row("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, GENESIS.to_string()));
        Ok(Chain { last_id, last_hash })
    }

    /// Appends one event and its payload; returns the event's id. `at` is RFC 3339
    /// with milliseconds; `before` and `after` are JSON text.
    #[allow(clippy::too_many_arguments)]
    pub fn append(
        &mut self,
        conn: &Connection,
        at: &str,
        login: &str,
        op: &str,
        reference: Option<&str>,
        before: &str,
        after: &str,
    ) -> Result<i64> {
        let id = self.last_id + 1;
        let salt = new_salt()?;
        let digest = to_hex(&payload_digest(salt.as_bytes(), PAYLOAD_VERSION, before.as_bytes(), after.as_bytes()));
        let hash = to_hex(&link_hash(
            self.last_hash.as_bytes(),
            id,
            at.as_bytes(),
            login.as_bytes(),
            op.as_bytes(),
            reference.map(str::as_bytes),
            digest.as_bytes(),
        ));
        conn.prepare_cached(
            "INSERT INTO events (id, at, login, op, reference, digest, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![id, at, login, op, reference, digest, self.last_hash, hash])?;
        conn.prepare_cached(
            "INSERT INTO event_payloads (event_id, v, salt, before, after) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, PAYLOAD_VERSION, salt, before, after])?;
        self.last_id = id;
        self.last_hash = hash;
        Ok(id)
    }
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
    let at = at.to_rfc3339_opts(SecondsFormat::Millis, true);
    Chain::head(conn)?.append(conn, &at, login, op, reference, &before.to_string(), &after.to_string())
}

/// The last event: how many there are and the last hash (what an anchor records).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    pub events: i64,
    pub hash: String,
}

/// The head of the log as it stands.
pub fn head(conn: &Connection) -> Result<Head> {
    let chain = Chain::head(conn)?;
    Ok(Head { events: chain.last_id, hash: chain.last_hash })
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
        erased: r.get(9)?,
    })
}

/// Events for one request (oldest first), or the latest `limit` of the whole log.
pub fn list(conn: &Connection, reference: Option<&str>, limit: u32) -> Result<Vec<Event>> {
    let cols = "e.id, e.at, e.login, e.op, e.reference, coalesce(p.before, 'null'), coalesce(p.after, 'null'),
                e.prev_hash, e.hash, p.event_id IS NULL FROM events e LEFT JOIN event_payloads p ON p.event_id = e.id";
    let mut out: Vec<Event> = match reference {
        Some(re) => conn
            .prepare(&format!("SELECT {cols} WHERE e.reference = ?1 ORDER BY e.id DESC LIMIT ?2"))?
            .query_map(params![re, limit], row_to_event)?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare(&format!("SELECT {cols} ORDER BY e.id DESC LIMIT ?1"))?
            .query_map(params![limit], row_to_event)?
            .collect::<rusqlite::Result<_>>()?,
    };
    out.reverse();
    Ok(out)
}

/// When the database began: the time of its `init` event (`None` for a database
/// without one, as some tests build).
pub fn began(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> =
        conn.query_row("SELECT at FROM events WHERE op = 'init' ORDER BY id LIMIT 1", [], |r| r.get(0)).optional()?;
    Ok(at.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc)))
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

/// Erases the payloads of `ids` (a disposal, inside its transaction): the events
/// stay in the chain with their digests, which cannot be tested against guesses
/// without the salts that go with the payloads. The trigger that forbids deleting
/// a payload is dropped for these deletes and put back exactly as the migration
/// made it, all in the caller's transaction, so no other writer ever sees the log
/// unguarded; `verify` accepts each missing payload only because the `dispose`
/// event written in the same transaction lists it.
pub fn erase_payloads(conn: &Connection, ids: &[i64]) -> Result<()> {
    let (name, sql) = crate::store::schema::EVENT_TRIGGERS
        .iter()
        .find(|(n, _)| *n == "event_payloads_no_delete")
        .expect("the payload trigger is listed");
    conn.execute_batch(&format!("DROP TRIGGER {name};"))?;
    {
        let mut delete = conn.prepare_cached("DELETE FROM event_payloads WHERE event_id = ?1")?;
        for id in ids {
            delete.execute([id])?;
        }
    }
    conn.execute_batch(&format!("{sql};"))?;
    Ok(())
}

/// Every `dispose` event whose payload matches its digest, with the event ids it
/// lists as erased: erased id → the disposal's id. `verify` reads this before it
/// walks the chain, so that a missing payload is accepted only where a disposal says
/// it erased it. A disposal counts only for a request the tables hold as disposed of,
/// once per request, and only for events before it that are that request's own
/// (`erased_events`) or recorded lookups (`erased_lookups`): an event appended to
/// cover the deletion of any other payload covers nothing.
pub fn erased_by_disposals(conn: &Connection) -> Result<std::collections::HashMap<i64, i64>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.digest, p.v, p.salt, p.before, p.after, e.reference FROM events e
         JOIN event_payloads p ON p.event_id = e.id
         WHERE e.op = 'dispose'
           AND EXISTS (SELECT 1 FROM requests r WHERE r.reference = e.reference AND r.disposed_on IS NOT NULL)
         ORDER BY e.id",
    )?;
    let mut listed = conn.prepare("SELECT reference, op FROM events WHERE id = ?1")?;
    let mut rows = stmt.query([])?;
    let mut erased = std::collections::HashMap::new();
    let mut disposed = std::collections::HashSet::new();
    while let Some(r) = rows.next()? {
        let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_bytes()?));
        let (id, v): (i64, i64) = (r.get(0)?, r.get(2)?);
        let reference: String = r.get(6)?;
        if !hex_is(text(1)?, &payload_digest(text(3)?, v, text(4)?, text(5)?)) || !disposed.insert(reference.clone()) {
            continue;
        }
        let after: Value = serde_json::from_slice(text(5)?).unwrap_or(Value::Null);
        let disposal = &after["request"]["disposal"];
        for (key, own) in [("erased_events", true), ("erased_lookups", false)] {
            for e in disposal[key].as_array().into_iter().flatten().filter_map(Value::as_i64).filter(|&e| e < id) {
                let event: Option<(Option<String>, String)> =
                    listed.query_row([e], |x| Ok((x.get(0)?, x.get(1)?))).optional()?;
                let fits = match event {
                    Some((Some(r), _)) if own => r == reference,
                    Some((None, op)) if !own => crate::store::lookups::LOOKUP_OPS.contains(&op.as_str()),
                    _ => false,
                };
                if fits {
                    erased.entry(e).or_insert(id);
                }
            }
        }
    }
    Ok(erased)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The link is hashed over the same bytes `serde_json::to_string` writes, so a
    /// log written before the hand-written encoder still verifies.
    #[test]
    fn the_link_text_is_what_serde_json_writes() {
        let texts = [
            "plain",
            "a \" quote and a \\ backslash",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f} ctl",
            "ünïcödé ✓ 𝄞",
            "",
        ];
        for id in [0, 7, 1_037_068, -3, i64::MAX, i64::MIN] {
            for t in texts {
                for reference in [None, Some(t)] {
                    let canonical = serde_json::to_string(&(id, t, "demo.bsa2", t, reference, "d34d")).unwrap();
                    let mut h = Sha256::new();
                    h.update(b"prev\n");
                    h.update(canonical.as_bytes());
                    let expected: [u8; 32] = h.finalize().into();
                    let ours = link_hash(
                        b"prev",
                        id,
                        t.as_bytes(),
                        b"demo.bsa2",
                        t.as_bytes(),
                        reference.map(str::as_bytes),
                        b"d34d",
                    );
                    assert_eq!(ours, expected, "{canonical}");
                }
            }
        }
    }

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
