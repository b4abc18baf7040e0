//! The management report's rows: requests received, completed or open in a period,
//! and the incidents opened in it.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::store::{Result, parse_code};

/// Requests for the report: received or completed in `[from, to]`, or open now.
pub fn report_rows(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<crate::domain::report::ReportRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.reference, r.kind, r.status, o.name, r.received_on, r.completed_on,
                (SELECT min(decided_on) FROM approvals a WHERE a.request_id = r.id),
                (SELECT min(day) FROM viewings v WHERE v.request_id = r.id),
                CASE WHEN r.status = 'refused'
                     THEN (SELECT reason FROM approvals a WHERE a.request_id = r.id ORDER BY a.id DESC LIMIT 1) END,
                r.due_on
         FROM requests r JOIN organisations o ON o.id = r.organisation_id
         WHERE r.received_on BETWEEN ?1 AND ?2 OR r.completed_on BETWEEN ?1 AND ?2
            OR r.status NOT IN ('complete', 'refused', 'withdrawn', 'redirected')",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![from, to], |r| {
            Ok(crate::domain::report::ReportRow {
                reference: r.get(0)?,
                kind: parse_code(&r.get::<_, String>(1)?)?,
                status: parse_code(&r.get::<_, String>(2)?)?,
                organisation: r.get(3)?,
                received_on: r.get(4)?,
                completed_on: r.get(5)?,
                first_decision_on: r.get(6)?,
                first_viewing_on: r.get(7)?,
                refusal_reason: r.get(8)?,
                due_on: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Incidents opened in `[from, to]`.
pub fn report_incidents(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<crate::domain::report::IncidentRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.reference, i.opened_on, i.referred_on IS NOT NULL FROM incidents i JOIN requests r ON r.id = i.request_id
         WHERE i.opened_on BETWEEN ?1 AND ?2 ORDER BY i.id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![from, to], |r| {
            Ok(crate::domain::report::IncidentRow { reference: r.get(0)?, opened_on: r.get(1)?, referred: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
