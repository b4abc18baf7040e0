//! The writes each step makes to a request and the rows that belong to it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ToSql;
use rusqlite::{Connection, params};

use crate::domain::*;
use crate::store::Result;

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
