//! Reading a request whole: the row with its people, organisation and area, and
//! every row that belongs to it.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::domain::*;
use crate::store::reference::staff_ref_at;
use crate::store::{Result, parse_code};

pub(in crate::store) const REQUEST_SELECT: &str = "
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
       r.files_returned_on, r.completed_on, r.withdrawn_on, r.withdraw_reason, r.imported_from,
       r.sch1_condition, r.consent_not_obtained, r.criminal, r.criminal_condition, r.power_detail,
       r.guidance, r.guidance_other, r.basis_review, r.basis_confirmed,
       r.agreement, r.agreement_note, r.controller_relationship, r.dpia_considered, r.dpia_outcome,
       r.isa_prompt, r.files_secured_at,
       r.held_on, hb.id, hb.login, hb.name, hb.position, r.hold_reason,
       r.disposed_on, db.id, db.login, db.name, db.position, da.id, da.login, da.name, da.position,
       r.disposal_reason, r.disposal_early, r.disposal_erased
FROM requests r
JOIN staff cb ON cb.id = r.created_by
JOIN staff ow ON ow.id = r.owner_id
JOIN organisations o ON o.id = r.organisation_id
LEFT JOIN service_areas a ON a.id = r.service_area_id
LEFT JOIN staff ao ON ao.id = a.asset_owner_id
LEFT JOIN staff cn ON cn.id = r.case_note_by
LEFT JOIN staff hb ON hb.id = r.held_by
LEFT JOIN staff db ON db.id = r.disposed_by
LEFT JOIN staff da ON da.id = r.disposal_authorised_by
";

fn opt_code<T: std::str::FromStr<Err = String>>(v: Option<String>) -> rusqlite::Result<Option<T>> {
    v.map(|s| parse_code(&s)).transpose()
}

pub(in crate::store) fn row_to_request(r: &rusqlite::Row) -> rusqlite::Result<Request> {
    let area = match r.get::<_, Option<i64>>(25)? {
        Some(id) => Some(ServiceArea { id, name: r.get(26)?, asset_owner: staff_ref_at(r, 27)?, retired_on: None }),
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
        organisation: Organisation {
            id: r.get(17)?,
            name: r.get(18)?,
            kind: parse_code(&r.get::<_, String>(19)?)?,
            retired_on: None,
        },
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
            sch1: opt_code(r.get(64)?)?,
            consent_not_obtained: opt_code(r.get(65)?)?,
            criminal: r.get(66)?,
            criminal_condition: opt_code(r.get(67)?)?,
            power: opt_code(r.get(37)?)?,
            power_detail: r.get(68)?,
            guidance: guidance_codes(&r.get::<_, String>(69)?)?,
            guidance_other: r.get(70)?,
            notes: r.get(38)?,
            review: r.get(71)?,
            confirmed: confirmed_list(&r.get::<_, String>(72)?)?,
        },
        details: ScopeDetails {
            necessity: r.get(39)?,
            consent_sought: r.get(40)?,
            consent_note: r.get(41)?,
            agreement: opt_code(r.get(73)?)?,
            agreement_note: r.get(74)?,
            dsa_exists: r.get(42)?,
            security: r.get(43)?,
            retention: r.get(44)?,
            controller: opt_code(r.get(75)?)?,
            dpia_considered: r.get(76)?,
            dpia_outcome: r.get(77)?,
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
        isa_prompt: r.get(78)?,
        files_secured_at: r.get(79)?,
        hold: match r.get::<_, Option<NaiveDate>>(80)? {
            Some(since) => Some(Hold { since, by: staff_ref_at(r, 81)?, reason: r.get(85)? }),
            None => None,
        },
        disposal: match r.get::<_, Option<NaiveDate>>(86)? {
            Some(on) => {
                let erased = erased_lists(&r.get::<_, String>(97)?)?;
                Some(Disposal {
                    on,
                    by: staff_ref_at(r, 87)?,
                    authorised_by: staff_ref_at(r, 91)?,
                    reason: r.get(95)?,
                    early: r.get(96)?,
                    erased_events: erased.events,
                    erased_lookups: erased.lookups,
                })
            }
            None => None,
        },
    })
}

/// A disposal's erased event ids, as stored: `{"events": [...], "lookups": [...]}`.
#[derive(serde::Serialize, serde::Deserialize)]
pub(in crate::store) struct Erased {
    pub events: Vec<i64>,
    pub lookups: Vec<i64>,
}

fn erased_lists(stored: &str) -> rusqlite::Result<Erased> {
    serde_json::from_str(stored)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(97, rusqlite::types::Type::Text, Box::new(e)))
}

/// The guidance relied on, stored as comma-separated codes.
pub(in crate::store) fn guidance_codes(stored: &str) -> rusqlite::Result<Vec<Guidance>> {
    stored.split(',').filter(|c| !c.is_empty()).map(parse_code).collect()
}

/// The confirmed questions, stored as a JSON array of text.
pub(in crate::store) fn confirmed_list(stored: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(stored)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
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

pub(in crate::store) const SUBJECTS: &str = "SELECT id, name, dob, mosaic_id, request_id FROM subjects";

pub(in crate::store) fn subject_row(r: &rusqlite::Row) -> rusqlite::Result<Subject> {
    Ok(Subject { id: r.get(0)?, name: r.get(1)?, dob: r.get(2)?, mosaic_id: r.get(3)? })
}

pub(in crate::store) const ITEMS: &str =
    "SELECT id, number, description, third_party, agency_consent_on, agency_consent_ref,
    approved, added_on, decline_reason, request_id FROM items";

pub(in crate::store) fn item_row(r: &rusqlite::Row) -> rusqlite::Result<ScopeItem> {
    Ok(ScopeItem {
        id: r.get(0)?,
        number: r.get(1)?,
        description: r.get(2)?,
        third_party: r.get(3)?,
        agency_consent_on: r.get(4)?,
        agency_consent_ref: r.get(5)?,
        approved: r.get(6)?,
        added_on: r.get(7)?,
        decline_reason: r.get(8)?,
    })
}

pub(in crate::store) const APPROVALS: &str =
    "SELECT ap.id, ap.decision, s.id, s.login, s.name, s.position, ap.decided_on,
    ap.evidence_date, ap.evidence_ref, ap.reason, rb.id, rb.login, rb.name, rb.position, ap.request_id
    FROM approvals ap JOIN staff s ON s.id = ap.approver_id JOIN staff rb ON rb.id = ap.recorded_by";

pub(in crate::store) fn approval_row(r: &rusqlite::Row) -> rusqlite::Result<Approval> {
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

pub(in crate::store) const BOOKINGS: &str = "SELECT b.id, b.venue, b.room_id, rm.name, b.day, b.start_time, b.end_time,
    b.teams_reason, rm.location, b.request_id FROM bookings b LEFT JOIN rooms rm ON rm.id = b.room_id";

pub(in crate::store) fn booking_row(r: &rusqlite::Row) -> rusqlite::Result<Booking> {
    Ok(Booking {
        id: r.get(0)?,
        venue: parse_code(&r.get::<_, String>(1)?)?,
        room_id: r.get(2)?,
        room_name: r.get(3)?,
        day: r.get(4)?,
        start: r.get(5)?,
        end: r.get(6)?,
        teams_reason: r.get(7)?,
        room_location: r.get(8)?,
    })
}

/// Viewings without their items and copies (`viewing_items`, `copies`); the
/// request's id comes last (the key the canonical writer reads by).
pub(in crate::store) const VIEWINGS: &str =
    "SELECT v.id, v.day, v.start_time, v.end_time, v.viewers, v.viewer_org, s.id,
    s.login, s.name, s.position, v.method, v.notes, v.supervised, v.unsupervised_note,
    v.viewer_org_id, v.lcc_devices_only, v.downloads, c.id, c.login, c.name, c.position, v.request_id
    FROM viewings v JOIN staff s ON s.id = v.supervisor_id LEFT JOIN staff c ON c.id = v.supervision_confirmed_by";

/// A file's viewings are in this order.
pub(in crate::store) const VIEWING_ORDER: &str = "v.day, v.start_time, v.id";

pub(in crate::store) fn viewing_row(r: &rusqlite::Row) -> rusqlite::Result<Viewing> {
    Ok(Viewing {
        id: r.get(0)?,
        day: r.get(1)?,
        start: r.get(2)?,
        end: r.get(3)?,
        viewers: r.get(4)?,
        viewer_org: r.get(5)?,
        viewer_org_id: r.get(14)?,
        supervisor: staff_ref_at(r, 6)?,
        method: parse_code(&r.get::<_, String>(10)?)?,
        item_ids: vec![],
        notes: r.get(11)?,
        copies: vec![],
        supervised: r.get(12)?,
        unsupervised_note: r.get(13)?,
        supervision_confirmed_by: match r.get::<_, Option<i64>>(17)? {
            Some(_) => Some(staff_ref_at(r, 17)?),
            None => None,
        },
        lcc_devices_only: r.get(15)?,
        downloads: match r.get::<_, Option<String>>(16)? {
            Some(text) => Some(downloads_from(&text).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    16,
                    rusqlite::types::Type::Text,
                    "not a list of downloads".into(),
                )
            })?),
            None => None,
        },
    })
}

/// A viewing's `downloads` column: `[{"item_id":…,"reason":…},…]`.
pub(in crate::store) fn downloads_from(text: &str) -> Option<Vec<CopyGiven>> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    v.as_array()?
        .iter()
        .map(|d| {
            let o = d.as_object().filter(|o| o.len() == 2)?;
            Some(CopyGiven { item_id: o.get("item_id")?.as_i64()?, reason: o.get("reason")?.as_str()?.to_string() })
        })
        .collect()
}

/// The `downloads` column as written: the list as its JSON text.
pub(in crate::store) fn downloads_text(d: &[CopyGiven]) -> String {
    serde_json::to_string(d).expect("downloads serialise")
}

pub(in crate::store) const INCIDENTS: &str =
    "SELECT id, viewing_id, opened_on, description, referred_on, ig_ref, request_id FROM incidents";

pub(in crate::store) fn incident_row(r: &rusqlite::Row) -> rusqlite::Result<Incident> {
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
