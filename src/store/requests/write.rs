//! The writes each step makes to a request and the rows that belong to it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ToSql;
use rusqlite::{Connection, params};

use crate::domain::*;
use crate::store::Result;

/// What is cached beside a request row for the lists: the next step and due date
/// (its status and version are in the [`Request`] itself).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cached {
    pub next_step: Option<Step>,
    pub due_on: Option<NaiveDate>,
}

/// Inserts the request row, every column as `r` has it (people, organisation and
/// service area by id; `created_at` is when it was written); returns its id. The
/// only code that writes a new request row.
pub fn insert(conn: &Connection, r: &Request, created_at: DateTime<Utc>, cached: Cached) -> Result<i64> {
    let case_note = r.case_note.as_ref();
    conn.prepare_cached(
        "INSERT INTO requests (reference, kind, version, created_by, created_at, owner_id, updated_by, updated_at,
            received_on, channel, organisation_id, requester_name, requester_role, requester_email, requester_phone,
            purpose, service_area_id, format, redirect_route, form_sent_on, form_returned_on, art6, art9,
            statutory_power, basis_notes, necessity, consent_sought, consent_note, dsa_exists, security, retention,
            restore_requested_on, restore_ref, restored_on, mosaic_checked_on, confirmed_on, shared_on, share_method,
            case_note_on, case_note_by, case_note_ref, case_note_text, files_returned_on, completed_on,
            withdrawn_on, withdraw_reason, imported_from, status, next_step, due_on,
            sch1_condition, consent_not_obtained, criminal, criminal_condition, power_detail, guidance,
            guidance_other, basis_review, basis_confirmed, agreement, agreement_note, controller_relationship,
            dpia_considered, dpia_outcome, isa_prompt, files_secured_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
            ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40,
            ?41, ?42, ?43, ?44, ?45, ?46, ?47, ?48, ?49, ?50, ?51, ?52, ?53, ?54, ?55, ?56, ?57, ?58, ?59, ?60,
            ?61, ?62, ?63, ?64, ?65, ?66)",
    )?
    .execute(params![
        r.reference,
        r.kind.as_code(),
        r.version,
        r.created_by.id,
        created_at,
        r.owner.id,
        r.updated_by,
        r.updated_at,
        r.received_on,
        r.channel.as_code(),
        r.organisation.id,
        r.requester.name,
        r.requester.role,
        r.requester.email,
        r.requester.phone,
        r.purpose,
        r.service_area.as_ref().map(|a| a.id),
        r.format.map(Format::as_code),
        r.redirect_route,
        r.form_sent_on,
        r.form_returned_on,
        r.basis.art6.map(Art6Basis::as_code),
        r.basis.art9.map(Art9Gateway::as_code),
        r.basis.power.map(StatutoryPower::as_code),
        r.basis.notes,
        r.details.necessity,
        r.details.consent_sought,
        r.details.consent_note,
        r.details.dsa_exists,
        r.details.security,
        r.details.retention,
        r.restore_requested_on,
        r.restore_ref,
        r.restored_on,
        r.mosaic_checked_on,
        r.confirmed_on,
        r.shared_on,
        r.share_method,
        case_note.map(|c| c.on),
        case_note.map(|c| c.by.id),
        case_note.map(|c| c.mosaic_ref.as_str()),
        case_note.map(|c| c.text.as_str()),
        r.files_returned_on,
        r.completed_on,
        r.withdrawn_on,
        r.withdraw_reason,
        r.imported_from,
        r.status.as_code(),
        cached.next_step.map(Step::as_code),
        cached.due_on,
        r.basis.sch1.map(Sch1Condition::as_code),
        r.basis.consent_not_obtained.map(ConsentNotObtained::as_code),
        r.basis.criminal,
        r.basis.criminal_condition.map(Sch1Condition::as_code),
        r.basis.power_detail,
        guidance_stored(&r.basis.guidance),
        r.basis.guidance_other,
        r.basis.review,
        confirmed_stored(&r.basis.confirmed),
        r.details.agreement.map(AgreementAnswer::as_code),
        r.details.agreement_note,
        r.details.controller.map(ControllerRelationship::as_code),
        r.details.dpia_considered,
        r.details.dpia_outcome,
        r.isa_prompt,
        r.files_secured_at,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The guidance relied on as stored: comma-separated codes.
pub fn guidance_stored(g: &[Guidance]) -> String {
    g.iter().map(|g| g.as_code()).collect::<Vec<_>>().join(",")
}

/// The confirmed questions as stored: a JSON array of text.
pub fn confirmed_stored(q: &[String]) -> String {
    serde_json::to_string(q).expect("text serialises")
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

/// Inserts a subject; returns its id.
pub fn insert_subject(conn: &Connection, request_id: i64, s: &Subject) -> Result<i64> {
    conn.prepare_cached("INSERT INTO subjects (request_id, name, dob, mosaic_id) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![request_id, s.name, s.dob, s.mosaic_id])?;
    Ok(conn.last_insert_rowid())
}

/// Appends an item with the next number; returns the number.
pub fn insert_item(
    conn: &Connection,
    request_id: i64,
    description: &str,
    third_party: Option<&str>,
    added_on: NaiveDate,
) -> Result<i64> {
    let number: i64 = conn
        .prepare_cached("SELECT coalesce(max(number), 0) + 1 FROM items WHERE request_id = ?1")?
        .query_row([request_id], |r| r.get(0))?;
    let item = ScopeItem {
        id: 0,
        number,
        description: description.to_string(),
        third_party: third_party.map(str::to_string),
        agency_consent_on: None,
        agency_consent_ref: None,
        approved: None,
        added_on: Some(added_on),
        decline_reason: None,
    };
    insert_item_row(conn, request_id, &item)?;
    Ok(number)
}

/// Inserts an item as `i` has it (its number, consent and decision); returns its
/// id. The only code that writes a new item.
pub fn insert_item_row(conn: &Connection, request_id: i64, i: &ScopeItem) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO items (request_id, number, description, third_party, agency_consent_on, agency_consent_ref, approved,
         added_on, decline_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        request_id,
        i.number,
        i.description,
        i.third_party,
        i.agency_consent_on,
        i.agency_consent_ref,
        i.approved,
        i.added_on,
        i.decline_reason
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_item_decision(conn: &Connection, item_id: i64, approved: bool) -> Result<()> {
    conn.execute("UPDATE items SET approved = ?2 WHERE id = ?1", params![item_id, approved])?;
    Ok(())
}

/// The asset owner's reason for declining an item.
pub fn set_item_decline_reason(conn: &Connection, item_id: i64, reason: &str) -> Result<()> {
    conn.execute("UPDATE items SET decline_reason = ?2 WHERE id = ?1", params![item_id, reason])?;
    Ok(())
}

pub fn set_item_consent(conn: &Connection, item_id: i64, on: NaiveDate, reference: &str) -> Result<()> {
    conn.execute(
        "UPDATE items SET agency_consent_on = ?2, agency_consent_ref = ?3 WHERE id = ?1",
        params![item_id, on, reference],
    )?;
    Ok(())
}

/// Inserts a decision; returns its id.
pub fn insert_approval(conn: &Connection, request_id: i64, a: &Approval) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO approvals (request_id, decision, approver_id, decided_on, evidence_date, evidence_ref, reason, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
            request_id,
            a.decision.as_code(),
            a.approver.id,
            a.decided_on,
            a.evidence_date,
            a.evidence_ref,
            a.reason,
            a.recorded_by.id
        ])?;
    Ok(conn.last_insert_rowid())
}

/// Inserts a booking; returns its id.
pub fn insert_booking(conn: &Connection, request_id: i64, b: &Booking) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO bookings (request_id, venue, room_id, day, start_time, end_time, teams_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![request_id, b.venue.as_code(), b.room_id, b.day, b.start, b.end, b.teams_reason])?;
    Ok(conn.last_insert_rowid())
}

/// Inserts a viewing with its items and copies (`item_ids` and the copies' items
/// are item ids), and where it was imported from if it was; returns its id.
pub fn insert_viewing(
    conn: &Connection,
    request_id: i64,
    v: &Viewing,
    recorded_by: i64,
    imported_from: Option<&str>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO viewings (request_id, day, start_time, end_time, viewers, viewer_org, supervisor_id, method, notes,
             supervised, unsupervised_note, recorded_by, imported_from, viewer_org_id, supervision_confirmed_by,
             lcc_devices_only, downloads)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
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
        recorded_by,
        imported_from,
        v.viewer_org_id,
        v.supervision_confirmed_by.as_ref().map(|s| s.id),
        v.lcc_devices_only,
        v.downloads.as_deref().map(super::load::downloads_text)
    ])?;
    let id = conn.last_insert_rowid();
    for item in &v.item_ids {
        conn.prepare_cached("INSERT INTO viewing_items (viewing_id, item_id) VALUES (?1, ?2)")?
            .execute(params![id, item])?;
    }
    for c in &v.copies {
        conn.prepare_cached("INSERT INTO copies (viewing_id, item_id, reason) VALUES (?1, ?2, ?3)")?
            .execute(params![id, c.item_id, c.reason])?;
    }
    Ok(id)
}

/// Inserts an incident as `i` has it; returns its id.
pub fn insert_incident(conn: &Connection, request_id: i64, i: &Incident) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO incidents (request_id, viewing_id, opened_on, description, referred_on, ig_ref)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![request_id, i.viewing_id, i.opened_on, i.description, i.referred_on, i.ig_ref])?;
    Ok(conn.last_insert_rowid())
}

pub fn refer_incident(conn: &Connection, incident_id: i64, on: NaiveDate, ig_ref: &str) -> Result<()> {
    conn.execute("UPDATE incidents SET referred_on = ?2, ig_ref = ?3 WHERE id = ?1", params![incident_id, on, ig_ref])?;
    Ok(())
}

pub fn insert_tick(conn: &Connection, request_id: i64, step: Step, staff_id: i64, at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("INSERT INTO ticks (request_id, step, staff_id, at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![request_id, step.as_code(), staff_id, at])?;
    Ok(())
}

/// A legal hold put on (or, with `None`, released).
pub fn set_hold(conn: &Connection, id: i64, hold: Option<&Hold>) -> Result<()> {
    conn.execute(
        "UPDATE requests SET held_on = ?2, held_by = ?3, hold_reason = ?4 WHERE id = ?1",
        params![id, hold.map(|h| h.since), hold.map(|h| h.by.id), hold.map(|h| h.reason.as_str())],
    )?;
    Ok(())
}

/// Writes a disposed request's residue ([`crate::domain::retention::residue`]) over
/// its rows: every personal column takes the residue's (blank) value, every row
/// stays, and the disposal is recorded. Subjects go first, so the search index's
/// trigger on the requester's name re-reads them blank.
pub fn write_residue(conn: &Connection, f: &RequestFile) -> Result<()> {
    let id = f.request.id;
    for s in &f.subjects {
        conn.execute(
            "UPDATE subjects SET name = ?2, dob = ?3, mosaic_id = ?4 WHERE id = ?1",
            params![s.id, s.name, s.dob, s.mosaic_id],
        )?;
    }
    let r = &f.request;
    let (d, b) = (&r.details, &r.basis);
    let note = r.case_note.as_ref();
    let disposal = r.disposal.as_ref().expect("a residue records its disposal");
    let erased =
        super::load::Erased { events: disposal.erased_events.clone(), lookups: disposal.erased_lookups.clone() };
    let erased = serde_json::to_string(&erased).expect("ids serialise");
    conn.execute(
        "UPDATE requests SET requester_name = ?2, requester_role = ?3, requester_email = ?4, requester_phone = ?5,
            purpose = ?6, basis_notes = ?7, necessity = ?8, consent_note = ?9, security = ?10, retention = ?11,
            restore_ref = ?12, share_method = ?13, case_note_ref = ?14, case_note_text = ?15, files_secured_at = ?16,
            withdraw_reason = ?17, power_detail = ?18, guidance_other = ?19, agreement_note = ?20, dpia_outcome = ?21,
            held_on = NULL, held_by = NULL, hold_reason = NULL,
            disposed_on = ?22, disposed_by = ?23, disposal_authorised_by = ?24, disposal_reason = ?25,
            disposal_early = ?26, disposal_erased = ?27
         WHERE id = ?1",
        params![
            id,
            r.requester.name,
            r.requester.role,
            r.requester.email,
            r.requester.phone,
            r.purpose,
            b.notes,
            d.necessity,
            d.consent_note,
            d.security,
            d.retention,
            r.restore_ref,
            r.share_method,
            note.map(|n| n.mosaic_ref.as_str()),
            note.map(|n| n.text.as_str()),
            r.files_secured_at,
            r.withdraw_reason,
            b.power_detail,
            b.guidance_other,
            d.agreement_note,
            d.dpia_outcome,
            disposal.on,
            disposal.by.id,
            disposal.authorised_by.id,
            disposal.reason,
            disposal.early,
            erased,
        ],
    )?;
    for i in &f.items {
        conn.execute(
            "UPDATE items SET description = ?2, agency_consent_ref = ?3, decline_reason = ?4, third_party = ?5
             WHERE id = ?1",
            params![i.id, i.description, i.agency_consent_ref, i.decline_reason, i.third_party],
        )?;
    }
    for a in &f.approvals {
        conn.execute(
            "UPDATE approvals SET reason = ?2, evidence_ref = ?3 WHERE id = ?1",
            params![a.id, a.reason, a.evidence_ref],
        )?;
    }
    for b in &f.bookings {
        conn.execute("UPDATE bookings SET teams_reason = ?2 WHERE id = ?1", params![b.id, b.teams_reason])?;
    }
    for v in &f.viewings {
        let downloads = v.downloads.as_deref().map(super::load::downloads_text);
        conn.execute(
            "UPDATE viewings SET viewers = ?2, notes = ?3, unsupervised_note = ?4, downloads = ?5 WHERE id = ?1",
            params![v.id, v.viewers, v.notes, v.unsupervised_note, downloads],
        )?;
        for c in &v.copies {
            conn.execute(
                "UPDATE copies SET reason = ?3 WHERE viewing_id = ?1 AND item_id = ?2",
                params![v.id, c.item_id, c.reason],
            )?;
        }
    }
    for i in &f.incidents {
        conn.execute("UPDATE incidents SET description = ?2 WHERE id = ?1", params![i.id, i.description])?;
    }
    Ok(())
}

/// Merges the search index's segments into one, so that the entries of text a
/// disposal blanked are gone from the index itself, not just marked deleted.
pub fn purge_search_index(conn: &Connection) -> Result<()> {
    conn.execute_batch("INSERT INTO request_search (request_search) VALUES ('optimize');")?;
    Ok(())
}

/// The ids of every event recorded about a request, oldest first.
pub fn event_ids(conn: &Connection, reference: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM events WHERE reference = ?1 ORDER BY id")?;
    let ids = stmt.query_map([reference], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
