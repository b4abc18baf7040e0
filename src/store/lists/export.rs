//! The exported sheets, streamed: every request the filter includes with its latest
//! decision (the Requests sheet), their viewings oldest first (the Tracker sheet),
//! their events (the Events sheet), each read a row at a time and handed to the
//! caller, so an export of 100,000 requests holds one row in memory, not all of
//! them. The filter is applied in SQL, to the viewings and events too.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::Connection;
use serde::Serialize;

use super::triage::part_where;
use super::{ListFilter, Where};
use crate::domain::{RequestKind, Status, ViewingMethod};
use crate::store::events::Event;
use crate::store::stream::each_row;
use crate::store::{StoreError, parse_code};

/// One row of the exported Requests sheet (the spreadsheet's requests tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestExportRow {
    pub reference: String,
    pub requester: String,
    pub requester_role: String,
    pub organisation: String,
    pub subjects: String,
    pub mosaic_ids: String,
    pub service_area: Option<String>,
    pub format: Option<String>,
    pub received_on: NaiveDate,
    pub form_sent_on: Option<NaiveDate>,
    pub form_returned_on: Option<NaiveDate>,
    pub approver: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub decision: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub kind: RequestKind,
    pub status: Status,
    /// The lawful basis and decision record, as stored (codes; labelled by the export).
    pub record: DecisionRecordCells,
}

/// The decision-record columns of the Requests sheet, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DecisionRecordCells {
    pub art6: Option<String>,
    pub art9: Option<String>,
    pub sch1: Option<String>,
    pub consent_not_obtained: Option<String>,
    pub criminal: Option<bool>,
    pub criminal_condition: Option<String>,
    pub power: Option<String>,
    pub power_detail: String,
    pub guidance: String,
    pub guidance_other: String,
    pub necessity: String,
    pub security: String,
    pub retention: String,
    pub agreement: Option<String>,
    pub agreement_note: String,
    pub controller: Option<String>,
    pub dpia_considered: Option<bool>,
    pub dpia_outcome: String,
    /// The latest decision's reason.
    pub decision_reason: Option<String>,
    /// "N: reason" for each declined item given one, `; ` between.
    pub decline_reasons: String,
    pub basis_review: Option<String>,
}

/// One row of the exported Tracker sheet: a viewing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViewingExportRow {
    pub reference: String,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub subjects: String,
    pub mosaic_ids: String,
    pub items: String,
    pub viewers: String,
    pub viewer_org: String,
    pub method: ViewingMethod,
    pub supervisor: String,
    pub supervised: bool,
    pub copies: i64,
}

/// The requests the filter includes, as a subquery of their ids (`r` and `o` are
/// the request and its organisation, as the list's conditions name them).
fn filtered(f: &ListFilter, today: NaiveDate) -> Where {
    part_where(f, today, None, true)
}

/// For an export of everything, the table read whole in its own order and the rows
/// sorted, rather than through the index of the order wanted: reading 300,000
/// viewings in date order through `viewings_day` fetches each row from a different
/// place in the file, and their look-ups (the request, its subjects) jump about with
/// them; read in the order they were written, a request's rows and look-ups sit
/// together. About half the time at 100,000 requests (measured with the `sqlite3`
/// tool on the benchmark's data set); the sort spills to a temporary file past the
/// page cache, so memory stays bounded. A filtered export keeps the indexes that
/// find its few rows.
fn whole_table(f: &ListFilter) -> &'static str {
    if filter_is_everything(f) { "NOT INDEXED" } else { "" }
}

/// A request's children and their Mosaic IDs, each `, ` between, read from one
/// column holding both (one look-up of the subjects a row instead of two).
fn subjects_of(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<(String, String)> {
    let both: Option<String> = r.get(i)?;
    Ok(match both.as_deref().and_then(|b| b.split_once('\u{1f}')) {
        Some((names, ids)) => (names.to_string(), ids.to_string()),
        None => (String::new(), String::new()),
    })
}

/// Whether the filter keeps every request (an export of everything carries the
/// whole log, administration events included).
pub fn filter_is_everything(f: &ListFilter) -> bool {
    f.statuses.is_empty()
        && !f.open_only
        && !f.overdue
        && f.owner_id.is_none()
        && f.organisation.is_none()
        && f.subject.is_none()
        && f.text.is_none()
        && f.booked.is_none()
        && f.received_from.is_none()
        && f.received_to.is_none()
}

/// Calls `each` with every request for export, oldest first, with its latest
/// decision; returns how many.
pub fn each_request_for_export<E: From<StoreError>>(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(RequestExportRow) -> Result<(), E>,
) -> Result<u64, E> {
    let w = filtered(f, today);
    let sql = format!(
        "SELECT r.reference, r.requester_name, r.requester_role, o.name,
                (SELECT group_concat(name, ', ') || char(31) || group_concat(mosaic_id, ', ')
                 FROM subjects s WHERE s.request_id = r.id),
                a.name, r.format, r.received_on, r.form_sent_on, r.form_returned_on,
                st.name, ap.decided_on, ap.decision, r.completed_on, r.kind, r.status,
                r.art6, r.art9, r.sch1_condition, r.consent_not_obtained, r.criminal, r.criminal_condition,
                r.statutory_power, r.power_detail, r.guidance, r.guidance_other, r.necessity, r.security,
                r.retention, r.agreement, r.agreement_note, r.controller_relationship, r.dpia_considered,
                r.dpia_outcome, ap.reason,
                coalesce((SELECT group_concat(i.number || ': ' || i.decline_reason, '; ') FROM items i
                          WHERE i.request_id = r.id AND i.decline_reason IS NOT NULL), ''),
                r.basis_review
         FROM requests r {whole}
         JOIN organisations o ON o.id = r.organisation_id
         LEFT JOIN service_areas a ON a.id = r.service_area_id
         LEFT JOIN approvals ap ON ap.id = (SELECT max(y.id) FROM approvals y WHERE y.request_id = r.id)
         LEFT JOIN staff st ON st.id = ap.approver_id
         {}
         ORDER BY r.received_on, r.id",
        w.sql(),
        whole = whole_table(f),
    );
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    each_row(
        &mut stmt,
        w.params().as_slice(),
        |r| {
            let (subjects, mosaic_ids) = subjects_of(r, 4)?;
            let row = RequestExportRow {
                reference: r.get(0)?,
                requester: r.get(1)?,
                requester_role: r.get(2)?,
                organisation: r.get(3)?,
                subjects,
                mosaic_ids,
                service_area: r.get(5)?,
                format: r.get(6)?,
                received_on: r.get(7)?,
                form_sent_on: r.get(8)?,
                form_returned_on: r.get(9)?,
                approver: r.get(10)?,
                approved_on: r.get(11)?,
                decision: r.get(12)?,
                completed_on: r.get(13)?,
                kind: parse_code(&r.get::<_, String>(14)?)?,
                status: parse_code(&r.get::<_, String>(15)?)?,
                record: DecisionRecordCells {
                    art6: r.get(16)?,
                    art9: r.get(17)?,
                    sch1: r.get(18)?,
                    consent_not_obtained: r.get(19)?,
                    criminal: r.get(20)?,
                    criminal_condition: r.get(21)?,
                    power: r.get(22)?,
                    power_detail: r.get(23)?,
                    guidance: r.get(24)?,
                    guidance_other: r.get(25)?,
                    necessity: r.get(26)?,
                    security: r.get(27)?,
                    retention: r.get(28)?,
                    agreement: r.get(29)?,
                    agreement_note: r.get(30)?,
                    controller: r.get(31)?,
                    dpia_considered: r.get(32)?,
                    dpia_outcome: r.get(33)?,
                    decision_reason: r.get(34)?,
                    decline_reasons: r.get(35)?,
                    basis_review: r.get(36)?,
                },
            };
            Ok(row)
        },
        &mut each,
    )
}

/// Calls `each` with the reference of every request for export, in the Requests
/// sheet's order (for the decision record of `--audit`, each loaded whole in turn).
pub fn each_reference_for_export<E: From<StoreError>>(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(String) -> Result<(), E>,
) -> Result<u64, E> {
    let w = filtered(f, today);
    let sql = format!(
        "SELECT r.reference FROM requests r JOIN organisations o ON o.id = r.organisation_id {}
         ORDER BY r.received_on, r.id",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    each_row(&mut stmt, w.params().as_slice(), |r| r.get(0), &mut each)
}

/// Calls `each` with every viewing of the requests for export, oldest first (as the
/// spreadsheet's tracker was kept); returns how many.
pub fn each_viewing_for_export<E: From<StoreError>>(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(ViewingExportRow) -> Result<(), E>,
) -> Result<u64, E> {
    let w = filtered(f, today);
    let only = if filter_is_everything(f) {
        String::new()
    } else {
        format!(
            "WHERE v.request_id IN (SELECT r.id FROM requests r JOIN organisations o ON o.id = r.organisation_id {})",
            w.sql()
        )
    };
    let sql = format!(
        "SELECT r.reference, v.day, v.start_time, v.end_time,
                (SELECT group_concat(name, ', ') || char(31) || group_concat(mosaic_id, ', ')
                 FROM subjects WHERE request_id = v.request_id),
                coalesce((SELECT group_concat(i.number || '. ' || i.description, '; ')
                          FROM viewing_items vi JOIN items i ON i.id = vi.item_id WHERE vi.viewing_id = v.id), ''),
                v.viewers, v.viewer_org, v.method, s.name, v.supervised,
                (SELECT count(*) FROM copies c WHERE c.viewing_id = v.id)
         FROM viewings v {whole}
         JOIN requests r ON r.id = v.request_id
         JOIN staff s ON s.id = v.supervisor_id
         {only}
         ORDER BY v.day, v.start_time, v.id",
        whole = whole_table(f),
    );
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    let params = if only.is_empty() { Vec::new() } else { w.params() };
    each_row(
        &mut stmt,
        params.as_slice(),
        |r| {
            let (subjects, mosaic_ids) = subjects_of(r, 4)?;
            Ok(ViewingExportRow {
                reference: r.get(0)?,
                day: r.get(1)?,
                start: r.get(2)?,
                end: r.get(3)?,
                subjects,
                mosaic_ids,
                items: r.get(5)?,
                viewers: r.get(6)?,
                viewer_org: r.get(7)?,
                method: parse_code(&r.get::<_, String>(8)?)?,
                supervisor: r.get(9)?,
                supervised: r.get(10)?,
                copies: r.get(11)?,
            })
        },
        &mut each,
    )
}

/// Calls `each` with every event of the export, oldest first: the whole log when
/// the filter keeps every request, else only the events of the requests it keeps;
/// returns how many.
pub fn each_event_for_export<E: From<StoreError>>(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(Event) -> Result<(), E>,
) -> Result<u64, E> {
    let w = filtered(f, today);
    let only = if filter_is_everything(f) {
        String::new()
    } else {
        format!(
            "WHERE e.reference IN (SELECT r.reference FROM requests r JOIN organisations o ON o.id = r.organisation_id {})",
            w.sql()
        )
    };
    let sql = format!(
        "SELECT e.id, e.at, e.login, e.op, e.reference, coalesce(p.before, 'null'), coalesce(p.after, 'null'),
                e.prev_hash, e.hash, p.event_id IS NULL
         FROM events e LEFT JOIN event_payloads p ON p.event_id = e.id
         {only}
         ORDER BY e.id"
    );
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    let params = if only.is_empty() { Vec::new() } else { w.params() };
    each_row(
        &mut stmt,
        params.as_slice(),
        |r| {
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
        },
        &mut each,
    )
}

/// How many requests, viewings and (`with_log`) events (the whole log, or the
/// requests' own) an export of this filter holds, for its progress: counted from
/// the indexes, without reading the rows.
pub fn export_counts(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    with_log: bool,
) -> crate::store::Result<(u64, u64, u64)> {
    let w = filtered(f, today);
    let requests = format!("SELECT r.id FROM requests r JOIN organisations o ON o.id = r.organisation_id {}", w.sql());
    let params = w.params();
    let count = |sql: String, params: &[&dyn rusqlite::types::ToSql]| -> crate::store::Result<u64> {
        Ok(conn.query_row(&sql, params, |r| r.get::<_, i64>(0))?.max(0) as u64)
    };
    if filter_is_everything(f) {
        return Ok((
            count("SELECT count(*) FROM requests".into(), &[])?,
            count("SELECT count(*) FROM viewings".into(), &[])?,
            if with_log { count("SELECT count(*) FROM events".into(), &[])? } else { 0 },
        ));
    }
    Ok((
        count(format!("SELECT count(*) FROM ({requests})"), &params)?,
        count(format!("SELECT count(*) FROM viewings WHERE request_id IN ({requests})"), &params)?,
        if with_log {
            count(
                format!(
                    "SELECT count(*) FROM events WHERE reference IN
                     (SELECT r.reference FROM requests r JOIN organisations o ON o.id = r.organisation_id {})",
                    w.sql()
                ),
                &params,
            )?
        } else {
            0
        },
    ))
}
