//! Walking the chain: every link and every payload checked, from the first event or
//! from an anchored one; the two halves can run side by side (`store::verify`).

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{GENESIS, hex_is, link_hash, payload_digest};
use crate::store::Result;

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
pub(in crate::store) fn first_broken(links: (u64, Option<Broken>), payloads: Payloads) -> (u64, Option<Broken>) {
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
pub(in crate::store) fn walk_links(conn: &Connection, from: Option<WalkFrom>) -> Result<(u64, Option<Broken>)> {
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
pub(in crate::store) struct Payloads {
    broken: Option<Broken>,
    orphan: Option<Broken>,
}

/// The payloads: each event's salted payload against the digest its link covers,
/// and no payload without its event. Independent of [`walk_links`], so `verify`
/// runs the two side by side (the payloads are most of the bytes).
pub(in crate::store) fn walk_payloads(conn: &Connection, from: Option<WalkFrom>) -> Result<Payloads> {
    let first = match start(conn, from)? {
        Ok((_, id)) => id,
        Err(_) => return Ok(Payloads::default()),
    };
    let mut stmt = conn.prepare(
        "SELECT e.id, e.at, e.digest, p.v, p.salt, p.before, p.after
         FROM events e LEFT JOIN event_payloads p ON p.event_id = e.id WHERE e.id >= ?1 ORDER BY e.id",
    )?;
    // A payload erased by a disposal is missing by design: only those a later
    // `dispose` event lists (and whose own payload holds) are.
    let erased = super::erased_by_disposals(conn)?;
    let mut rows = stmt.query([first])?;
    let mut found = Payloads::default();
    while let Some(r) = rows.next()? {
        let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_bytes()?));
        let why = match r.get::<_, Option<i64>>(3)? {
            None if erased.contains_key(&r.get::<_, i64>(0)?) => None,
            None => Some(
                "its payload is missing (deleted outside caseshare, and no disposal lists it as erased)".to_string(),
            ),
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
