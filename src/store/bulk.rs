//! Writing whole requests at once, with their events, for generated demo data at
//! scale: cached statements inside the caller's single transaction, and the
//! event chain carried in memory instead of read back for every event.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, params};
use serde_json::Value;

use super::Result;
use super::events::Chain;
use crate::domain::*;

/// Appends requests (and events) inside one transaction.
pub struct BulkWriter<'c> {
    conn: &'c Connection,
    chain: Chain,
}

impl<'c> BulkWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<Self> {
        Ok(BulkWriter { conn, chain: Chain::head(conn)? })
    }

    /// Writes a whole request. Item ids in `file` are item numbers; viewings refer to
    /// items by those numbers. `events` are (op, what changed), one per change, all
    /// recorded by `login` at `at`; the request's version counts them.
    pub fn request(
        &mut self,
        file: &RequestFile,
        settings: &Settings,
        events: &[(&str, Value)],
        login: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let r = &file.request;
        let status = derive_status(file);
        let next = checklist::next_step(file).map(Step::as_code);
        let due = due_date(file, settings);
        let case_note = r.case_note.as_ref();
        self.conn
            .prepare_cached(
                "INSERT INTO requests (reference, kind, version, created_by, created_at, owner_id, updated_by, updated_at,
                    received_on, channel, organisation_id, requester_name, requester_role, requester_email, requester_phone,
                    purpose, service_area_id, format, redirect_route, form_sent_on, form_returned_on, art6, art9,
                    statutory_power, basis_notes, necessity, consent_sought, consent_note, dsa_exists, security, retention,
                    restore_requested_on, restore_ref, restored_on, mosaic_checked_on, confirmed_on, shared_on, share_method,
                    case_note_on, case_note_by, case_note_ref, case_note_text, files_returned_on, completed_on,
                    withdrawn_on, withdraw_reason, status, next_step, due_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?5, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                    ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40,
                    ?41, ?42, ?43, ?44, ?45, ?46, ?47, ?48)",
            )?
            .execute(params![
                r.reference,
                r.kind.as_code(),
                events.len() as i64 + 1,
                r.created_by.id,
                at,
                r.owner.id,
                login,
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
                r.basis.art9.map(Art9Condition::as_code),
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
                case_note.map(|c| c.mosaic_ref.clone()),
                case_note.map(|c| c.text.clone()),
                r.files_returned_on,
                r.completed_on,
                r.withdrawn_on,
                r.withdraw_reason,
                status.as_code(),
                next,
                due,
            ])?;
        let id = self.conn.last_insert_rowid();
        for s in &file.subjects {
            self.conn
                .prepare_cached("INSERT INTO subjects (request_id, name, dob, mosaic_id) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![id, s.name, s.dob, s.mosaic_id])?;
        }
        let mut item_ids = Vec::with_capacity(file.items.len());
        for i in &file.items {
            self.conn
                .prepare_cached(
                    "INSERT INTO items (request_id, number, description, third_party, agency_consent_on, agency_consent_ref, approved)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![id, i.number, i.description, i.third_party, i.agency_consent_on, i.agency_consent_ref, i.approved])?;
            item_ids.push((i.id, self.conn.last_insert_rowid()));
        }
        let item_id = |n: i64| item_ids.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        for a in &file.approvals {
            self.conn
                .prepare_cached(
                    "INSERT INTO approvals (request_id, decision, approver_id, decided_on, evidence_date, evidence_ref, reason, recorded_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![id, a.decision.as_code(), a.approver.id, a.decided_on, a.evidence_date, a.evidence_ref, a.reason, a.recorded_by.id])?;
        }
        for b in &file.bookings {
            self.conn
                .prepare_cached(
                    "INSERT INTO bookings (request_id, venue, room_id, day, start_time, end_time, teams_reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![id, b.venue.as_code(), b.room_id, b.day, b.start, b.end, b.teams_reason])?;
        }
        for v in &file.viewings {
            self.conn
                .prepare_cached(
                    "INSERT INTO viewings (request_id, day, start_time, end_time, viewers, viewer_org, supervisor_id, method,
                        notes, supervised, unsupervised_note, recorded_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    id,
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
                    r.created_by.id
                ])?;
            let vid = self.conn.last_insert_rowid();
            for n in &v.item_ids {
                if let Some(item) = item_id(*n) {
                    self.conn
                        .prepare_cached("INSERT INTO viewing_items (viewing_id, item_id) VALUES (?1, ?2)")?
                        .execute(params![vid, item])?;
                }
            }
            if !v.supervised {
                self.conn
                    .prepare_cached("INSERT INTO incidents (request_id, viewing_id, opened_on, description) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![id, vid, v.day, "Viewing not supervised throughout (generated demo data)"])?;
            }
        }
        for t in &file.ticks {
            self.conn
                .prepare_cached("INSERT INTO ticks (request_id, step, staff_id, at) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![id, t.step.as_code(), t.by.id, at])?;
        }
        let at_text = at.to_rfc3339_opts(SecondsFormat::Millis, true);
        // The first event carries the request as written, so that the tables can be
        // rebuilt from the log; the others say what each generated step was.
        let written = super::requests::load(self.conn, &r.reference)?.expect("the request was just written");
        let whole = serde_json::to_value(&written).expect("requests serialise").to_string();
        for (n, (op, what)) in events.iter().enumerate() {
            let after = if n == 0 { whole.clone() } else { what.to_string() };
            self.chain.append(self.conn, &at_text, login, op, Some(&r.reference), "null", &after)?;
        }
        Ok(())
    }
}
