//! The exported Requests sheet: every request the filter includes, with its latest
//! decision.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::ListFilter;
use super::triage::part_where;
use crate::domain::{RequestKind, Status};
use crate::store::{Result, parse_code};

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

/// Requests for export, oldest first, with their latest decision.
pub fn requests_for_export(conn: &Connection, f: &ListFilter, today: NaiveDate) -> Result<Vec<RequestExportRow>> {
    let w = part_where(f, today, None, true);
    let sql = format!(
        "SELECT r.reference, r.requester_name, r.requester_role, o.name,
                coalesce((SELECT group_concat(name, ', ') FROM subjects s WHERE s.request_id = r.id), ''),
                coalesce((SELECT group_concat(mosaic_id, ', ') FROM subjects s WHERE s.request_id = r.id), ''),
                a.name, r.format, r.received_on, r.form_sent_on, r.form_returned_on,
                ap.name, ap.decided_on, ap.decision, r.completed_on, r.kind, r.status,
                r.art6, r.art9, r.sch1_condition, r.consent_not_obtained, r.criminal, r.criminal_condition,
                r.statutory_power, r.power_detail, r.guidance, r.guidance_other, r.necessity, r.security,
                r.retention, r.agreement, r.agreement_note, r.controller_relationship, r.dpia_considered,
                r.dpia_outcome, ap.reason,
                coalesce((SELECT group_concat(i.number || ': ' || i.decline_reason, '; ') FROM items i
                          WHERE i.request_id = r.id AND i.decline_reason IS NOT NULL), ''),
                r.basis_review
         FROM requests r
         JOIN organisations o ON o.id = r.organisation_id
         LEFT JOIN service_areas a ON a.id = r.service_area_id
         LEFT JOIN (SELECT x.request_id, st.name, x.decided_on, x.decision, x.reason FROM approvals x
                    JOIN staff st ON st.id = x.approver_id
                    WHERE x.id = (SELECT max(id) FROM approvals y WHERE y.request_id = x.request_id)) ap
                ON ap.request_id = r.id
         {}
         ORDER BY r.received_on, r.id",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(w.params().as_slice(), |r| {
            Ok(RequestExportRow {
                reference: r.get(0)?,
                requester: r.get(1)?,
                requester_role: r.get(2)?,
                organisation: r.get(3)?,
                subjects: r.get(4)?,
                mosaic_ids: r.get(5)?,
                service_area: r.get(6)?,
                format: r.get(7)?,
                received_on: r.get(8)?,
                form_sent_on: r.get(9)?,
                form_returned_on: r.get(10)?,
                approver: r.get(11)?,
                approved_on: r.get(12)?,
                decision: r.get(13)?,
                completed_on: r.get(14)?,
                kind: parse_code(&r.get::<_, String>(15)?)?,
                status: parse_code(&r.get::<_, String>(16)?)?,
                record: DecisionRecordCells {
                    art6: r.get(17)?,
                    art9: r.get(18)?,
                    sch1: r.get(19)?,
                    consent_not_obtained: r.get(20)?,
                    criminal: r.get(21)?,
                    criminal_condition: r.get(22)?,
                    power: r.get(23)?,
                    power_detail: r.get(24)?,
                    guidance: r.get(25)?,
                    guidance_other: r.get(26)?,
                    necessity: r.get(27)?,
                    security: r.get(28)?,
                    retention: r.get(29)?,
                    agreement: r.get(30)?,
                    agreement_note: r.get(31)?,
                    controller: r.get(32)?,
                    dpia_considered: r.get(33)?,
                    dpia_outcome: r.get(34)?,
                    decision_reason: r.get(35)?,
                    decline_reasons: r.get(36)?,
                    basis_review: r.get(37)?,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
