//! The log as releases before schema 8 kept it (`before` and `after` in `events`,
//! the chain hashed over both): walked to check an old backup, and converted once by
//! migration V7.

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use super::{Broken, GENESIS, PAYLOAD_VERSION, link_hash, new_salt, payload_digest, to_hex};
use crate::store::Result;
use crate::store::StoreError;

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
pub(in crate::store) fn walk_legacy_chain(conn: &Connection) -> Result<(u64, Option<Broken>)> {
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
