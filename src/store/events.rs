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

/// The first event whose link in the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub id: i64,
    pub at: String,
    pub why: String,
}

/// Where the walk starts: the whole log, or after an anchored event whose hash must
/// still be the anchored one.
#[derive(Debug, Clone, Copy)]
pub struct WalkFrom<'a> {
    pub after_event: i64,
    pub hash: &'a str,
}

/// Walks the chain (all of it, or from an anchored event) and checks every
/// payload against its digest. Returns the number of events walked and the first
/// broken link.
pub fn walk_chain(conn: &Connection, from: Option<WalkFrom>) -> Result<(u64, Option<Broken>)> {
    let links = walk_links(conn, from)?;
    let payloads = walk_payloads(conn, from)?;
    Ok(first_broken(links, payloads))
}

/// The two halves of [`walk_chain`] together: the first event broken either way
/// (at the same event, the link's fault is named), and a payload without an event
/// only when nothing else is broken.
pub(super) fn first_broken(links: (u64, Option<Broken>), payloads: Payloads) -> (u64, Option<Broken>) {
    let (count, link) = links;
    let broken = match (link, payloads.broken) {
        (Some(l), Some(p)) => Some(if p.id < l.id { p } else { l }),
        (l, p) => l.or(p),
    };
    (count, broken.or(payloads.orphan))
}

/// Where a walk starts: the first event, or the one after an anchor whose hash
/// the log still has (else the anchor it contradicts, as broken).
fn start(conn: &Connection, from: Option<WalkFrom>) -> Result<std::result::Result<(String, i64), Broken>> {
    let Some(f) = from else { return Ok(Ok((GENESIS.to_string(), 1))) };
    let stored: Option<(String, String)> = conn
        .query_row("SELECT at, hash FROM events WHERE id = ?1", [f.after_event], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match stored {
        Some((_, h)) if h == f.hash => Ok((h, f.after_event + 1)),
        Some((at, _)) => {
            let why = "its hash is not the one anchored (the log was rewritten)".to_string();
            Err(Broken { id: f.after_event, at, why })
        }
        None => {
            let why = format!("event {} is anchored but no longer in the log", f.after_event);
            Err(Broken { id: f.after_event, at: "deleted".into(), why })
        }
    })
}

/// The links: every event present, each linked to the one before, each hash over
/// its content and its payload's stored digest. Returns the events walked and the
/// first broken.
pub(super) fn walk_links(conn: &Connection, from: Option<WalkFrom>) -> Result<(u64, Option<Broken>)> {
    let (prev, mut expected_id) = match start(conn, from)? {
        Ok(s) => s,
        Err(broken) => return Ok((0, Some(broken))),
    };
    let mut stmt = conn.prepare(
        "SELECT id, at, login, op, reference, digest, prev_hash, hash FROM events WHERE id >= ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([expected_id])?;
    let mut count = 0u64;
    let mut first_broken = None;
    // The texts are hashed as the bytes stored: no UTF-8 check, no copy but the
    // previous hash.
    let mut prev = prev.into_bytes();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        count += 1;
        if first_broken.is_some() {
            continue;
        }
        let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_bytes()?));
        let stored_hash = text(7)?;
        let why = if id != expected_id {
            Some(format!("event {expected_id} is missing (the next is {id})"))
        } else if text(6)? != prev.as_slice() {
            Some("its link to the previous event does not match".to_string())
        } else {
            let reference = r.get_ref(4)?.as_bytes_or_null()?;
            (!hex_is(stored_hash, &link_hash(&prev, id, text(1)?, text(2)?, text(3)?, reference, text(5)?)))
                .then(|| "its content does not match its hash (edited outside caseshare)".to_string())
        };
        if let Some(why) = why {
            first_broken = Some(Broken { id, at: r.get(1)?, why });
        }
        prev.clear();
        prev.extend_from_slice(stored_hash);
        expected_id = id + 1;
    }
    Ok((count, first_broken))
}

/// What [`walk_payloads`] found: the first event whose payload is missing or does
/// not match its digest, and a payload that has no event.
#[derive(Debug, Default)]
pub(super) struct Payloads {
    broken: Option<Broken>,
    orphan: Option<Broken>,
}

/// The payloads: each event's salted payload against the digest its link covers,
/// and no payload without its event. Independent of [`walk_links`], so `verify`
/// runs the two side by side (the payloads are most of the bytes).
pub(super) fn walk_payloads(conn: &Connection, from: Option<WalkFrom>) -> Result<Payloads> {
    let first = match start(conn, from)? {
        Ok((_, id)) => id,
        Err(_) => return Ok(Payloads::default()),
    };
    let mut stmt = conn.prepare(
        "SELECT e.id, e.at, e.digest, p.v, p.salt, p.before, p.after
         FROM events e LEFT JOIN event_payloads p ON p.event_id = e.id WHERE e.id >= ?1 ORDER BY e.id",
    )?;
    let mut rows = stmt.query([first])?;
    let mut found = Payloads::default();
    while let Some(r) = rows.next()? {
        let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_bytes()?));
        let why = match r.get::<_, Option<i64>>(3)? {
            None => Some("its payload is missing (deleted outside caseshare)".to_string()),
            Some(v) => (!hex_is(text(2)?, &payload_digest(text(4)?, v, text(5)?, text(6)?))).then(|| {
                "its payload does not match its digest (what changed was edited outside caseshare)".to_string()
            }),
        };
        if let Some(why) = why {
            found.broken = Some(Broken { id: r.get(0)?, at: r.get(1)?, why });
            break;
        }
    }
    let orphan: Option<i64> = conn
        .query_row(
            "SELECT p.event_id FROM event_payloads p LEFT JOIN events e ON e.id = p.event_id
             WHERE e.id IS NULL ORDER BY p.event_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = orphan {
        let why = format!("a payload for event {id} has no event (added outside caseshare, or its event deleted)");
        found.orphan = Some(Broken { id, at: "no event".into(), why });
    }
    Ok(found)
}

/// The chain as it was hashed before payloads moved beside it (schema before V8):
/// SHA-256 over the previous hash and `[id, at, login, op, reference, before, after]`.
fn legacy_hash(prev: &str, content: (i64, &str, &str, &str, Option<&str>, &str, &str)) -> String {
    let canonical = serde_json::to_string(&content).expect("strings serialise");
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Walks a log in the old layout (`before` and `after` in `events`).
pub(super) fn walk_legacy_chain(conn: &Connection) -> Result<(u64, Option<Broken>)> {
    let mut stmt =
        conn.prepare("SELECT id, at, login, op, reference, before, after, prev_hash, hash FROM events ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let (mut prev, mut expected_id, mut count, mut first_broken) = (GENESIS.to_string(), 1, 0u64, None);
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        count += 1;
        let stored_hash: String = r.get(8)?;
        if first_broken.is_none() {
            let why = if id != expected_id {
                Some(format!("event {expected_id} is missing (the next is {id})"))
            } else if r.get_ref(7)?.as_str()? != prev {
                Some("its link to the previous event does not match".to_string())
            } else {
                let content = (
                    id,
                    r.get_ref(1)?.as_str()?,
                    r.get_ref(2)?.as_str()?,
                    r.get_ref(3)?.as_str()?,
                    r.get_ref(4)?.as_str_or_null()?,
                    r.get_ref(5)?.as_str()?,
                    r.get_ref(6)?.as_str()?,
                );
                (legacy_hash(&prev, content) != stored_hash)
                    .then(|| "its content does not match its hash (edited outside caseshare)".to_string())
            };
            if let Some(why) = why {
                first_broken = Some(Broken { id, at: r.get(1)?, why });
            }
        }
        prev = stored_hash;
        expected_id = id + 1;
    }
    Ok((count, first_broken))
}

/// The V7 migration's hook: checks the old chain still holds (a conversion must not
/// launder an edit made behind the application's back), then moves every payload
/// beside its event with a fresh salt and re-links the chain over the digests.
pub fn convert_legacy_log(conn: &Connection) -> Result<()> {
    let (_, broken) = walk_legacy_chain(conn)?;
    if let Some(b) = broken {
        return Err(StoreError::Corrupt(format!(
            "the event log was already broken before conversion, at event {} ({}): {}; restore a backup that verifies",
            b.id, b.at, b.why
        )));
    }
    let mut read = conn.prepare("SELECT id, at, login, op, reference, before, after FROM events ORDER BY id")?;
    let mut rows = read.query([])?;
    let mut update = conn.prepare("UPDATE events SET digest = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1")?;
    let mut insert =
        conn.prepare("INSERT INTO event_payloads (event_id, v, salt, before, after) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut prev = GENESIS.to_string();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (at, login, op) = (r.get_ref(1)?.as_str()?, r.get_ref(2)?.as_str()?, r.get_ref(3)?.as_str()?);
        let reference = r.get_ref(4)?.as_str_or_null()?;
        let (before, after) = (r.get_ref(5)?.as_str()?, r.get_ref(6)?.as_str()?);
        let salt = new_salt()?;
        let digest = to_hex(&payload_digest(salt.as_bytes(), PAYLOAD_VERSION, before.as_bytes(), after.as_bytes()));
        let hash = to_hex(&link_hash(
            prev.as_bytes(),
            id,
            at.as_bytes(),
            login.as_bytes(),
            op.as_bytes(),
            reference.map(str::as_bytes),
            digest.as_bytes(),
        ));
        insert.execute(params![id, PAYLOAD_VERSION, salt, before, after])?;
        update.execute(params![id, digest, prev, hash])?;
        prev = hash;
    }
    Ok(())
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
    let cols = "e.id, e.at, e.login, e.op, e.reference, coalesce(p.before, 'null'), coalesce(p.after, 'null'),
                e.prev_hash, e.hash FROM events e LEFT JOIN event_payloads p ON p.event_id = e.id";
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
