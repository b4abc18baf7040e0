//! Reading a request whole, and the writes each step makes.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, params};

use super::reference::staff_ref_at;
use super::{Result, parse_code};
use crate::domain::*;

pub(super) const REQUEST_SELECT: &str = "
SELECT r.id, r.reference, r.kind, r.status, r.version, r.updated_by, r.updated_at,
       cb.id, cb.login, cb.name, cb.position,
       ow.id, ow.login, ow.name, ow.position,
       r.received_on, r.channel, o.id, o.name, o.kind,
       r.requester_name, r.requester_role, r.requester_email, r.requester_phone, r.purpose,
       a.id, a.name, ao.id, ao.login, ao.name, ao.position,
       r.format, r.redirect_route, r.form_sent_on, r.form_returned_on,
       r.art6, r.art9, r.statutory_power, r.basis_notes,
       r.necessity, r.consent_sought, r.consent_note, r.dsa_exists, r.security, r.retention,
       r.restore_requested_on, r.restore_ref, r.restored_on, r.mosaic_checked_on, r.confirmed_on,
       r.shared_on, r.share_method,
       r.case_note_on, cn.id, cn.login, cn.name, cn.position, r.case_note_ref, r.case_note_text,
       r.files_returned_on, r.completed_on, r.withdrawn_on, r.withdraw_reason, r.imported_from
FROM requests r
JOIN staff cb ON cb.id = r.created_by
JOIN staff ow ON ow.id = r.owner_id
JOIN organisations o ON o.id = r.organisation_id
LEFT JOIN service_areas a ON a.id = r.service_area_id
LEFT JOIN staff ao ON ao.id = a.asset_owner_id
LEFT JOIN staff cn ON cn.id = r.case_note_by
";

fn opt_code<T: std::str::FromStr<Err = String>>(v: Option<String>) -> rusqlite::Result<Option<T>> {
    v.map(|s| parse_code(&s)).transpose()
}

pub(super) fn row_to_request(r: &rusqlite::Row) -> rusqlite::Result<Request> {
    let area = match r.get::<_, Option<i64>>(25)? {
        Some(id) => Some(ServiceArea { id, name: r.get(26)?, asset_owner: staff_ref_at(r, 27)? }),
        None => None,
    };
    let case_note = match r.get::<_, Option<NaiveDate>>(52)? {
        Some(on) => Some(CaseNoteRecord { on, by: staff_ref_at(r, 53)?, mosaic_ref: r.get(57)?, text: r.get(58)? }),
        None => None,
    };
    Ok(Request {
        id: r.get(0)?,
        reference: r.get(1)?,
        kind: parse_code(&r.get::<_, String>(2)?)?,
        status: parse_code(&r.get::<_, String>(3)?)?,
        version: r.get(4)?,
        updated_by: r.get(5)?,
        updated_at: r.get(6)?,
        created_by: staff_ref_at(r, 7)?,
        owner: staff_ref_at(r, 11)?,
        received_on: r.get(15)?,
        channel: parse_code(&r.get::<_, String>(16)?)?,
        organisation: Organisation { id: r.get(17)?, name: r.get(18)?, kind: parse_code(&r.get::<_, String>(19)?)? },
        requester: Requester { name: r.get(20)?, role: r.get(21)?, email: r.get(22)?, phone: r.get(23)? },
        purpose: r.get(24)?,
        service_area: area,
        format: opt_code(r.get(31)?)?,
        redirect_route: r.get(32)?,
        form_sent_on: r.get(33)?,
        form_returned_on: r.get(34)?,
        basis: LawfulBasis {
            art6: opt_code(r.get(35)?)?,
            art9: opt_code(r.get(36)?)?,
            power: opt_code(r.get(37)?)?,
            notes: r.get(38)?,
        },
        details: ScopeDetails {
            necessity: r.get(39)?,
            consent_sought: r.get(40)?,
            consent_note: r.get(41)?,
            dsa_exists: r.get(42)?,
            security: r.get(43)?,
            retention: r.get(44)?,
        },
        restore_requested_on: r.get(45)?,
        restore_ref: r.get(46)?,
        restored_on: r.get(47)?,
        mosaic_checked_on: r.get(48)?,
        confirmed_on: r.get(49)?,
        shared_on: r.get(50)?,
        share_method: r.get(51)?,
        case_note,
        files_returned_on: r.get(59)?,
        completed_on: r.get(60)?,
        withdrawn_on: r.get(61)?,
        withdraw_reason: r.get(62)?,
        imported_from: r.get(63)?,
    })
}

/// The request with this reference, whole.
pub fn load(conn: &Connection, reference: &str) -> Result<Option<RequestFile>> {
    let request = conn
        .prepare_cached(&format!("{REQUEST_SELECT} WHERE r.reference = ?1"))?
        .query_row([reference], row_to_request)
        .optional()?;
    match request {
        Some(request) => Ok(Some(load_parts(conn, request)?)),
        None => Ok(None),
    }
}

// The rows a request file holds. Each query's last column is the request's id, so
// that `store::stream` can read a whole table in request order with the same
// columns and the same row functions as a load of one request.

pub(super) const SUBJECTS: &str = "SELECT id, name, dob, mosaic_id, request_id FROM subjects";

pub(super) fn subject_row(r: &rusqlite::Row) -> rusqlite::Result<Subject> {
    Ok(Subject { id: r.get(0)?, name: r.get(1)?, dob: r.get(2)?, mosaic_id: r.get(3)? })
}

pub(super) const ITEMS: &str = "SELECT id, number, description, third_party, agency_consent_on, agency_consent_ref,
    approved, request_id FROM items";

pub(super) fn item_row(r: &rusqlite::Row) -> rusqlite::Result<ScopeItem> {
    Ok(ScopeItem {
        id: r.get(0)?,
        number: r.get(1)?,
        description: r.get(2)?,
        third_party: r.get(3)?,
        agency_consent_on: r.get(4)?,
        agency_consent_ref: r.get(5)?,
        approved: r.get(6)?,
    })
}

pub(super) const APPROVALS: &str = "SELECT ap.id, ap.decision, s.id, s.login, s.name, s.position, ap.decided_on,
    ap.evidence_date, ap.evidence_ref, ap.reason, rb.id, rb.login, rb.name, rb.position, ap.request_id
    FROM approvals ap JOIN staff s ON s.id = ap.approver_id JOIN staff rb ON rb.id = ap.recorded_by";

pub(super) fn approval_row(r: &rusqlite::Row) -> rusqlite::Result<Approval> {
    Ok(Approval {
        id: r.get(0)?,
        decision: parse_code(&r.get::<_, String>(1)?)?,
        approver: staff_ref_at(r, 2)?,
        decided_on: r.get(6)?,
        evidence_date: r.get(7)?,
        evidence_ref: r.get(8)?,
        reason: r.get(9)?,
        recorded_by: staff_ref_at(r, 10)?,
    })
}

pub(super) const BOOKINGS: &str = "SELECT b.id, b.venue, b.room_id, rm.name, b.day, b.start_time, b.end_time,
    b.teams_reason, b.request_id FROM bookings b LEFT JOIN rooms rm ON rm.id = b.room_id";

pub(super) fn booking_row(r: &rusqlite::Row) -> rusqlite::Result<Booking> {
    Ok(Booking {
        id: r.get(0)?,
        venue: parse_code(&r.get::<_, String>(1)?)?,
        room_id: r.get(2)?,
        room_name: r.get(3)?,
        day: r.get(4)?,
        start: r.get(5)?,
        end: r.get(6)?,
        teams_reason: r.get(7)?,
    })
}

/// Viewings without their items and copies (`viewing_items`, `copies`).
pub(super) const VIEWINGS: &str = "SELECT v.id, v.day, v.start_time, v.end_time, v.viewers, v.viewer_org, s.id,
    s.login, s.name, s.position, v.method, v.notes, v.supervised, v.unsupervised_note, v.request_id
    FROM viewings v JOIN staff s ON s.id = v.supervisor_id";

/// A file's viewings are in this order.
pub(super) const VIEWING_ORDER: &str = "v.day, v.start_time, v.id";

pub(super) fn viewing_row(r: &rusqlite::Row) -> rusqlite::Result<Viewing> {
    Ok(Viewing {
        id: r.get(0)?,
        day: r.get(1)?,
        start: r.get(2)?,
        end: r.get(3)?,
        viewers: r.get(4)?,
        viewer_org: r.get(5)?,
        supervisor: staff_ref_at(r, 6)?,
        method: parse_code(&r.get::<_, String>(10)?)?,
        item_ids: vec![],
        notes: r.get(11)?,
        copies: vec![],
        supervised: r.get(12)?,
        unsupervised_note: r.get(13)?,
    })
}

pub(super) const INCIDENTS: &str =
    "SELECT id, viewing_id, opened_on, description, referred_on, ig_ref, request_id FROM incidents";

pub(super) fn incident_row(r: &rusqlite::Row) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: r.get(0)?,
        viewing_id: r.get(1)?,
        opened_on: r.get(2)?,
        description: r.get(3)?,
        referred_on: r.get(4)?,
        ig_ref: r.get(5)?,
    })
}

fn load_parts(conn: &Connection, request: Request) -> Result<RequestFile> {
    let id = request.id;
    let rows = |sql: String| conn.prepare_cached(&sql);
    let subjects = rows(format!("{SUBJECTS} WHERE request_id = ?1 ORDER BY id"))?
        .query_map([id], subject_row)?
        .collect::<rusqlite::Result<_>>()?;
    let items = rows(format!("{ITEMS} WHERE request_id = ?1 ORDER BY number"))?
        .query_map([id], item_row)?
        .collect::<rusqlite::Result<_>>()?;
    let approvals = rows(format!("{APPROVALS} WHERE ap.request_id = ?1 ORDER BY ap.id"))?
        .query_map([id], approval_row)?
        .collect::<rusqlite::Result<_>>()?;
    let bookings = rows(format!("{BOOKINGS} WHERE b.request_id = ?1 ORDER BY b.id"))?
        .query_map([id], booking_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut viewings: Vec<Viewing> = rows(format!("{VIEWINGS} WHERE v.request_id = ?1 ORDER BY {VIEWING_ORDER}"))?
        .query_map([id], viewing_row)?
        .collect::<rusqlite::Result<_>>()?;
    for v in &mut viewings {
        v.item_ids = conn
            .prepare_cached("SELECT item_id FROM viewing_items WHERE viewing_id = ?1 ORDER BY item_id")?
            .query_map([v.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        v.copies = conn
            .prepare_cached("SELECT item_id, reason FROM copies WHERE viewing_id = ?1 ORDER BY item_id")?
            .query_map([v.id], |r| Ok(CopyGiven { item_id: r.get(0)?, reason: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
    }
    let incidents = rows(format!("{INCIDENTS} WHERE request_id = ?1 ORDER BY id"))?
        .query_map([id], incident_row)?
        .collect::<rusqlite::Result<_>>()?;
    let ticks = conn
        .prepare_cached(
            "SELECT t.step, s.id, s.login, s.name, s.position, t.at FROM ticks t JOIN staff s ON s.id = t.staff_id
             WHERE t.request_id = ?1 ORDER BY t.rowid",
        )?
        .query_map([id], |r| {
            Ok(StepTick { step: parse_code(&r.get::<_, String>(0)?)?, by: staff_ref_at(r, 1)?, at: r.get(5)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(RequestFile { request, subjects, items, approvals, bookings, viewings, incidents, ticks })
}

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

/// The new request row, as checked by the service.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub reference: &'a str,
    pub kind: RequestKind,
    pub created_by: i64,
    pub at: DateTime<Utc>,
    pub login: &'a str,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub organisation_id: i64,
    pub requester: &'a Requester,
    pub purpose: &'a str,
    pub service_area_id: Option<i64>,
    pub format: Option<Format>,
    pub redirect_route: Option<&'a str>,
    pub imported_from: Option<&'a str>,
}

/// Inserts the request row; returns its id. Status is set by [`set_derived`] after.
pub fn insert(conn: &Connection, n: &NewRequest) -> Result<i64> {
    conn.execute(
        "INSERT INTO requests (reference, kind, created_by, created_at, owner_id, updated_by, updated_at, received_on,
            channel, organisation_id, requester_name, requester_role, requester_email, requester_phone, purpose,
            service_area_id, format, redirect_route, imported_from, status)
         VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 'new')",
        params![
            n.reference,
            n.kind.as_code(),
            n.created_by,
            n.at,
            n.login,
            n.received_on,
            n.channel.as_code(),
            n.organisation_id,
            n.requester.name,
            n.requester.role,
            n.requester.email,
            n.requester.phone,
            n.purpose,
            n.service_area_id,
            n.format.map(Format::as_code),
            n.redirect_route,
            n.imported_from,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Sets request columns. Column names are compile-time constants of the service
/// layer, never user text; values are bound.
pub fn set(conn: &Connection, id: i64, fields: &[(&'static str, &dyn ToSql)]) -> Result<()> {
    let assignments: Vec<String> = fields.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 2)).collect();
    let sql = format!("UPDATE requests SET {} WHERE id = ?1", assignments.join(", "));
    let mut values: Vec<&dyn ToSql> = vec![&id];
    values.extend(fields.iter().map(|(_, v)| *v));
    conn.execute(&sql, values.as_slice())?;
    Ok(())
}

/// Stores the derived status, next step and due date, and bumps the version.
pub fn set_derived(
    conn: &Connection,
    file: &RequestFile,
    settings: &Settings,
    login: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let status = derive_status(file);
    let next = checklist::next_step(file).map(Step::as_code);
    let due = due_date(file, settings);
    conn.execute(
        "UPDATE requests SET status = ?2, next_step = ?3, due_on = ?4, version = version + 1, updated_by = ?5, updated_at = ?6
         WHERE id = ?1",
        params![file.request.id, status.as_code(), next, due, login, at],
    )?;
    Ok(())
}

/// Re-derived due date after targets or holidays change (not a change to the request).
pub fn set_due(conn: &Connection, id: i64, due: Option<NaiveDate>) -> Result<()> {
    conn.execute("UPDATE requests SET due_on = ?2 WHERE id = ?1", params![id, due])?;
    Ok(())
}

pub fn insert_subject(conn: &Connection, request_id: i64, s: &Subject) -> Result<()> {
    conn.execute(
        "INSERT INTO subjects (request_id, name, dob, mosaic_id) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, s.name, s.dob, s.mosaic_id],
    )?;
    Ok(())
}

/// Appends an item with the next number; returns the number.
pub fn insert_item(conn: &Connection, request_id: i64, description: &str, third_party: Option<&str>) -> Result<i64> {
    let number: i64 =
        conn.query_row("SELECT coalesce(max(number), 0) + 1 FROM items WHERE request_id = ?1", [request_id], |r| {
            r.get(0)
        })?;
    conn.execute(
        "INSERT INTO items (request_id, number, description, third_party) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, number, description, third_party],
    )?;
    Ok(number)
}

/// Inserts an item with a given number (imports keep the spreadsheet's numbering).
pub fn insert_item_numbered(
    conn: &Connection,
    request_id: i64,
    number: i64,
    description: &str,
    approved: bool,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO items (request_id, number, description, approved) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, number, description, approved],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The single item standing for an imported request's scope, which the spreadsheet
/// did not itemise.
pub fn insert_item_unitemised(conn: &Connection, request_id: i64, approved: Option<bool>) -> Result<()> {
    conn.execute(
        "INSERT INTO items (request_id, number, description, approved) VALUES (?1, 1, ?2, ?3)",
        params![request_id, "Items as asked for (not itemised in the imported spreadsheet)", approved],
    )?;
    Ok(())
}

/// Marks a viewing as imported (source file, sheet and row).
pub fn set_viewing_imported(conn: &Connection, viewing_id: i64, source: &str) -> Result<()> {
    conn.execute("UPDATE viewings SET imported_from = ?2 WHERE id = ?1", params![viewing_id, source])?;
    Ok(())
}

/// Requests imported from the file whose SHA-256 is `digest`: (where from, reference).
/// `imported_from` ends `sha256:DIGEST` (see `interop::import::provenance`).
pub fn imported_from_file(conn: &Connection, digest: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT imported_from, reference FROM requests WHERE imported_from LIKE ?1")?;
    // The digest is hex, so it holds none of LIKE's wildcards.
    let rows = stmt.query_map([format!("% sha256:{digest}")], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a request with this reference exists.
pub fn exists(conn: &Connection, reference: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM requests WHERE reference = ?1", [reference], |r| r.get::<_, i64>(0))? > 0)
}

pub fn set_item_decision(conn: &Connection, item_id: i64, approved: bool) -> Result<()> {
    conn.execute("UPDATE items SET approved = ?2 WHERE id = ?1", params![item_id, approved])?;
    Ok(())
}

pub fn set_item_consent(conn: &Connection, item_id: i64, on: NaiveDate, reference: &str) -> Result<()> {
    conn.execute(
        "UPDATE items SET agency_consent_on = ?2, agency_consent_ref = ?3 WHERE id = ?1",
        params![item_id, on, reference],
    )?;
    Ok(())
}

pub fn insert_approval(conn: &Connection, request_id: i64, a: &Approval) -> Result<()> {
    conn.execute(
        "INSERT INTO approvals (request_id, decision, approver_id, decided_on, evidence_date, evidence_ref, reason, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            request_id,
            a.decision.as_code(),
            a.approver.id,
            a.decided_on,
            a.evidence_date,
            a.evidence_ref,
            a.reason,
            a.recorded_by.id
        ],
    )?;
    Ok(())
}

pub fn insert_booking(conn: &Connection, request_id: i64, b: &Booking) -> Result<()> {
    conn.execute(
        "INSERT INTO bookings (request_id, venue, room_id, day, start_time, end_time, teams_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![request_id, b.venue.as_code(), b.room_id, b.day, b.start, b.end, b.teams_reason],
    )?;
    Ok(())
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

/// Inserts a viewing with its items and copies; returns its id.
pub fn insert_viewing(conn: &Connection, request_id: i64, v: &Viewing, recorded_by: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO viewings (request_id, day, start_time, end_time, viewers, viewer_org, supervisor_id, method, notes,
             supervised, unsupervised_note, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            request_id,
            v.day,
            v.start,
            v.end,
            v.viewers,
            v.viewer_org,
            v.supervisor.id,
            v.method.as_code(),
            v.notes,
            v.supervised,
            v.unsupervised_note,
            recorded_by
        ],
    )?;
    let id = conn.last_insert_rowid();
    for item in &v.item_ids {
        conn.execute("INSERT INTO viewing_items (viewing_id, item_id) VALUES (?1, ?2)", params![id, item])?;
    }
    for c in &v.copies {
        conn.execute(
            "INSERT INTO copies (viewing_id, item_id, reason) VALUES (?1, ?2, ?3)",
            params![id, c.item_id, c.reason],
        )?;
    }
    Ok(id)
}

pub fn insert_incident(conn: &Connection, request_id: i64, i: &Incident) -> Result<i64> {
    conn.execute(
        "INSERT INTO incidents (request_id, viewing_id, opened_on, description) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, i.viewing_id, i.opened_on, i.description],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn refer_incident(conn: &Connection, incident_id: i64, on: NaiveDate, ig_ref: &str) -> Result<()> {
    conn.execute("UPDATE incidents SET referred_on = ?2, ig_ref = ?3 WHERE id = ?1", params![incident_id, on, ig_ref])?;
    Ok(())
}

pub fn insert_tick(conn: &Connection, request_id: i64, step: Step, staff_id: i64, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO ticks (request_id, step, staff_id, at) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, step.as_code(), staff_id, at],
    )?;
    Ok(())
}

/// How many requests this organisation made with a received date in `[from, to]`.
pub fn org_requests_between(conn: &Connection, organisation_id: i64, from: NaiveDate, to: NaiveDate) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM requests WHERE organisation_id = ?1 AND received_on BETWEEN ?2 AND ?3 AND kind != 'redirect'",
        params![organisation_id, from, to],
        |r| r.get(0),
    )?)
}
