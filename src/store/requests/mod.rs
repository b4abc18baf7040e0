//! Requests in the store: reading one whole ([`load`]), the writes each step makes
//! ([`write`]), and the reference numbers and queries about them (here).

mod load;
mod write;

pub use load::*;
pub use write::*;

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::*;

/// The numerically largest well-formed reference of `year` (`REQ-2026-10000` is after
/// `REQ-2026-9999`). Malformed references (an old import's `REQ-2026-zzzz`) are ignored.
pub fn last_reference(conn: &Connection, year: i32) -> Result<Option<Reference>> {
    let prefix = format!("REQ-{year}-");
    // Canonical numbers are four digits, or longer without a leading zero, so among
    // them the longest, then the greatest text, is the greatest number.
    let mut stmt = conn.prepare_cached(
        "SELECT reference FROM requests
         WHERE reference >= ?1 AND reference < ?2
           AND length(reference) >= 13 AND substr(reference, 10) NOT GLOB '*[^0-9]*'
           AND (length(reference) = 13 OR substr(reference, 10, 1) <> '0')
         ORDER BY length(reference) DESC, reference DESC",
    )?;
    let mut rows = stmt.query(params![prefix, format!("REQ-{year}.")])?;
    while let Some(row) = rows.next()? {
        if let Ok(r) = row.get::<_, String>(0)?.parse::<Reference>() {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// The reference a new request received in `year` gets: one past the largest number.
pub fn next_reference(conn: &Connection, year: i32) -> Result<String> {
    let next = match last_reference(conn, year)? {
        Some(last) => last.next(),
        None => Reference::new(year, 1),
    };
    next.map(|r| r.to_string())
        .ok_or_else(|| super::StoreError::Corrupt(format!("no reference number is left for the year {year}")))
}

/// Requests imported from the file whose SHA-256 is `digest`: (where from, reference).
/// `imported_from` ends `sha256:DIGEST` (see `interop::import::provenance`).
pub fn imported_from_file(conn: &Connection, digest: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT imported_from, reference FROM requests WHERE imported_from LIKE ?1")?;
    // The digest is hex, so it holds none of LIKE's wildcards.
    let rows = stmt.query_map([format!("% sha256:{digest}")], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the request `reference` has a viewing on `day` starting at `start`.
pub fn has_viewing_at(conn: &Connection, reference: &str, day: NaiveDate, start: NaiveTime) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM viewings v JOIN requests r ON r.id = v.request_id
         WHERE r.reference = ?1 AND v.day = ?2 AND v.start_time = ?3",
        params![reference, day, start],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// The day a request was received, its organisation's id and name, by reference.
pub fn received_from(conn: &Connection, reference: &str) -> Result<Option<(NaiveDate, i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT r.received_on, r.organisation_id, o.name FROM requests r
             JOIN organisations o ON o.id = r.organisation_id WHERE r.reference = ?1",
            [reference],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// A request imported from another file (not the one whose digest is `digest`)
/// that names the child `child` (any case), from the organisation `org_id`,
/// received on `received`: the same row of an earlier copy of the workbook, most
/// likely.
pub fn imported_elsewhere_like(
    conn: &Connection,
    digest: &str,
    org_id: i64,
    received: NaiveDate,
    child: &str,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT r.reference FROM requests r JOIN subjects s ON s.request_id = r.id
             WHERE r.organisation_id = ?1 AND r.received_on = ?2 AND r.imported_from IS NOT NULL
               AND r.imported_from NOT LIKE ?3 AND s.name = ?4 COLLATE NOCASE
             ORDER BY r.id LIMIT 1",
            params![org_id, received, format!("% sha256:{digest}"), child],
            |r| r.get(0),
        )
        .optional()?)
}

/// Whether a request with this reference exists.
pub fn exists(conn: &Connection, reference: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM requests WHERE reference = ?1", [reference], |r| r.get::<_, i64>(0))? > 0)
}

/// The reference of another open request that has this room at an overlapping time.
pub fn room_clash(conn: &Connection, room_id: i64, b: &Booking) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT r.reference || ' ' || substr(b.start_time, 1, 5) || '-' || substr(b.end_time, 1, 5)
             FROM bookings b JOIN requests r ON r.id = b.request_id
             WHERE b.room_id = ?1 AND b.day = ?2 AND b.start_time < ?4 AND b.end_time > ?3
               AND r.status NOT IN ('complete', 'refused', 'withdrawn', 'redirected')
             LIMIT 1",
            params![room_id, b.day, b.start, b.end],
            |r| r.get(0),
        )
        .optional()?)
}

/// How many requests this organisation made with a received date in `[from, to]`.
pub fn org_requests_between(conn: &Connection, organisation_id: i64, from: NaiveDate, to: NaiveDate) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM requests WHERE organisation_id = ?1 AND received_on BETWEEN ?2 AND ?3 AND kind != 'redirect'",
        params![organisation_id, from, to],
        |r| r.get(0),
    )?)
}
