//! Importing today's spreadsheet: every row checked, everything written in one
//! transaction or nothing; a dry run does the same work and rolls it back.
//!
//! A row is already present when its reference is, or, for a row without one, when
//! an earlier import took the same row of the same sheet of the same file (by its
//! SHA-256, whatever it is called now). Nothing else makes two rows one request: two
//! requests for one child received the same day from one council are two requests.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

use super::steps::received_row;
use super::steps::record::{Batch, Recorded, check_recorded_decision, check_recorded_viewing};
use super::{Result, Service, ServiceError};
use crate::domain::*;
use crate::interop::import::{self, Mapping, Parsed, Rejected, RequestRow, ViewingRow};
use crate::store::{reference, requests};

/// What an import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub dry_run: bool,
    /// Whether anything was written (false for a dry run or when rows were rejected).
    pub imported: bool,
    pub requests: usize,
    pub requests_already_present: usize,
    pub viewings: usize,
    pub viewings_already_present: usize,
    pub rejected: Vec<Rejected>,
}

/// A request of this import, for its viewings.
struct Known {
    /// What will be recorded; `None` when it is already present.
    recorded: Option<Recorded>,
    /// Its row of the requests sheet.
    row: usize,
    decision: Option<Decision>,
    /// The form came back, so the request has (unitemised) scope.
    scoped: bool,
}

impl Service {
    /// Imports `path` by `mapping`. With `dry_run`, or when any row is rejected,
    /// nothing is written; the report says what was (or would be) imported. Each new
    /// request is recorded whole through [`Batch::record`], checked with the same
    /// rules as every other path.
    pub fn import(&mut self, path: &Path, mapping: &Mapping, dry_run: bool) -> Result<ImportReport> {
        rules::may_edit(&self.actor)?;
        let today = self.today();
        let parsed = import::parse(path, mapping, today).map_err(|e| InputError::new("import", e))?;
        let source =
            path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string());
        let mut report = ImportReport {
            file: source.clone(),
            dry_run,
            imported: false,
            requests: 0,
            requests_already_present: 0,
            viewings: 0,
            viewings_already_present: 0,
            rejected: parsed.rejected.clone(),
        };
        let mut batch = self.batch()?;
        let mut known: HashMap<String, Known> = HashMap::new();
        let mut new_keys = Vec::new();
        let earlier = earlier_rows(batch.conn(), &parsed)?;
        let mut numbers = Numbers::new(&parsed.requests);
        for row in &parsed.requests {
            let at = import::provenance(&source, &parsed.request_sheet, row.row, &parsed.request_digest);
            let reject = |reason: String| Rejected { sheet: parsed.request_sheet.clone(), row: row.row, reason };
            let given = row.reference.map(|r| r.to_string());
            if let Some(r) = &given
                && known.contains_key(r)
            {
                report.rejected.push(reject(format!("{r} appears twice in the file")));
                continue;
            }
            let present = match &given {
                Some(r) => requests::exists(batch.conn(), r)?.then(|| r.clone()),
                None => {
                    let sheet = (!parsed.csv).then(|| parsed.request_sheet.clone());
                    earlier.get(&(sheet, row.row)).cloned()
                }
            };
            if let Some(r) = present {
                report.requests_already_present += 1;
                let k = Known { recorded: None, row: row.row, decision: None, scoped: false };
                known.insert(given.unwrap_or(r), k);
                continue;
            }
            match request_from(&batch, row, &at, &mut numbers) {
                Ok(recorded) => {
                    report.requests += 1;
                    let key = given.unwrap_or_else(|| recorded.file.request.reference.clone());
                    new_keys.push(key.clone());
                    let scoped = row.form_returned.is_some() || row.decision.is_some();
                    let k = Known { recorded: Some(recorded), row: row.row, decision: row.decision, scoped };
                    known.insert(key, k);
                }
                Err(reason) => report.rejected.push(reject(reason)),
            }
        }
        let tracker_sheet = parsed.tracker_sheet.clone();
        for v in &parsed.viewings {
            let reject = |reason: String| Rejected { sheet: tracker_sheet.clone(), row: v.row, reason };
            let Some(k) = known.get_mut(&v.reference) else {
                report.rejected.push(reject(format!("no request {} among the rows imported", v.reference)));
                continue;
            };
            let Some(recorded) = &mut k.recorded else {
                report.viewings_already_present += 1;
                continue;
            };
            let at = import::provenance(&source, &tracker_sheet, v.row, &parsed.tracker_digest);
            match add_viewing(&batch, v, recorded, k.decision, &at) {
                Ok(()) => report.viewings += 1,
                Err(reason) => report.rejected.push(reject(reason)),
            }
        }
        // The spreadsheet does not itemise what was asked for: a request whose form came
        // back but whose viewings name no items gets one item standing for its scope,
        // decided as the request was, so its remaining steps can be taken.
        for k in known.values_mut().filter(|k| k.scoped) {
            let Some(recorded) = &mut k.recorded else { continue };
            if recorded.file.items.is_empty() {
                recorded.file.items.push(ScopeItem {
                    id: 0,
                    number: 1,
                    description: "Items as asked for (not itemised in the imported spreadsheet)".into(),
                    decline_reason: None,
                    third_party: None,
                    agency_consent_on: None,
                    agency_consent_ref: None,
                    approved: k.decision.map(|d| d != Decision::Refused),
                    added_on: recorded.file.request.form_returned_on,
                });
            }
        }
        for key in &new_keys {
            let Some(Known { recorded: Some(recorded), row, .. }) = known.remove(key) else { continue };
            match batch.record(recorded) {
                Ok(_) => {}
                Err(ServiceError::Refused(r)) => report.rejected.push(Rejected {
                    sheet: parsed.request_sheet.clone(),
                    row,
                    reason: ServiceError::Refused(r).to_string(),
                }),
                Err(e) => return Err(e),
            }
        }
        report.rejected.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        if dry_run || !report.rejected.is_empty() {
            // Dropping the batch rolls every row back.
            return Ok(report);
        }
        batch.note(
            "import",
            &json!({ "file": source, "requests": report.requests, "viewings": report.viewings,
                     "already_present": report.requests_already_present + report.viewings_already_present }),
        )?;
        batch.commit()?;
        report.imported = true;
        // Committed: folding the log in is housekeeping, and a failure of it is not
        // a failure of the import.
        let _ = self.store.checkpoint();
        Ok(report)
    }
}

/// Requests earlier imports took from the rows of this file: (sheet, row) → reference,
/// the sheet `None` for a CSV file.
fn earlier_rows(tx: &rusqlite::Connection, parsed: &Parsed) -> Result<HashMap<(Option<String>, usize), String>> {
    let mut out = HashMap::new();
    for (at, reference) in requests::imported_from_file(tx, &parsed.request_digest)? {
        if let Some(key) = import::provenance_row(&at, &parsed.request_digest, parsed.csv) {
            out.insert(key, reference);
        }
    }
    Ok(out)
}

/// Reference numbers for rows without one: per year, one past the largest number in
/// the database or given anywhere in the file, so a number the file gives further down
/// is never taken first.
struct Numbers {
    last: HashMap<i32, Option<Reference>>,
    in_file: HashMap<i32, Reference>,
}

impl Numbers {
    fn new(rows: &[RequestRow]) -> Numbers {
        let mut in_file: HashMap<i32, Reference> = HashMap::new();
        for r in rows.iter().filter_map(|r| r.reference) {
            let e = in_file.entry(r.year()).or_insert(r);
            *e = (*e).max(r);
        }
        Numbers { last: HashMap::new(), in_file }
    }

    fn next(&mut self, tx: &rusqlite::Connection, year: i32) -> std::result::Result<String, String> {
        let last = match self.last.get(&year) {
            Some(last) => *last,
            None => {
                requests::last_reference(tx, year).map_err(|e| e.to_string())?.max(self.in_file.get(&year).copied())
            }
        };
        let next = match last {
            Some(r) => r.next(),
            None => Reference::new(year, 1),
        }
        .ok_or_else(|| format!("no reference number is left for {year}"))?;
        self.last.insert(year, Some(next));
        Ok(next.to_string())
    }
}

/// The request a row describes, checked as far as the row alone allows (its
/// decision by the same rules as a decision recorded by hand).
fn request_from(
    batch: &Batch,
    row: &RequestRow,
    at: &str,
    numbers: &mut Numbers,
) -> std::result::Result<Recorded, String> {
    let tx = batch.conn();
    let actor = batch.actor();
    let db = |e: crate::store::StoreError| e.to_string();
    let refused = |r: Refusal| ServiceError::Refused(r).to_string();
    let org = reference::org_by_name(tx, &row.organisation)
        .map_err(db)?
        .ok_or_else(|| format!("unknown organisation '{}'", row.organisation))?;
    let reference = match row.reference {
        Some(r) => r.to_string(),
        None => numbers.next(tx, chrono::Datelike::year(&row.received))?,
    };
    let route = rules::route_for(org.kind, batch.settings());
    let received = |kind, requester, purpose: &str, area, format| {
        let mut r = received_row(
            actor,
            batch.now(),
            &reference,
            kind,
            row.received,
            Channel::Email,
            &org,
            requester,
            purpose.to_string(),
            area,
            format,
        );
        r.imported_from = Some(at.to_string());
        RequestFile {
            request: r,
            subjects: vec![],
            items: vec![],
            approvals: vec![],
            bookings: vec![],
            viewings: vec![],
            incidents: vec![],
            ticks: vec![StepTick { step: Step::Received, by: actor.as_ref(), at: batch.now() }],
        }
    };
    let recorded = |file| Recorded { file, op: "import", steps: vec![], viewing_sources: vec![] };
    if route.is_some() || row.kind == Some(RequestKind::Redirect) {
        let mut file = received(RequestKind::Redirect, Requester::default(), "", None, None);
        file.request.redirect_route = Some(route.unwrap_or_else(|| "redirected (recorded in the spreadsheet)".into()));
        return Ok(recorded(file));
    }
    if row.requester.is_empty() {
        return Err("missing requester".into());
    }
    if row.child.is_empty() || row.mosaic_id.is_empty() {
        return Err("missing the child's name or Mosaic ID".into());
    }
    let area = reference::area_by_name(tx, &row.service_area).map_err(db)?.ok_or_else(|| {
        if row.service_area.is_empty() {
            "missing service area".to_string()
        } else {
            format!("unknown service area '{}'", row.service_area)
        }
    })?;
    let kind = row.kind.unwrap_or(RequestKind::Viewing);
    let format: Option<Format> = match (kind, row.format.as_str()) {
        (RequestKind::Viewing, "") => return Err("missing format (paper, digital or both)".into()),
        (_, "") => None,
        (_, f) => Some(f.parse::<Format>().map_err(|e| format!("format: {e}"))?),
    };
    let approver = match row.decision {
        Some(_) => Some(
            reference::staff_by_login_or_name(tx, &row.approver)
                .map_err(db)?
                .ok_or_else(|| format!("unknown approver '{}': register them first", row.approver))?,
        ),
        None => None,
    };
    let requester = Requester { name: row.requester.clone(), role: row.requester_role.clone(), ..Requester::default() };
    let mut file = received(kind, requester, "Imported from the spreadsheet", Some(area), format);
    let children: Vec<&str> = row.child.split(',').map(str::trim).collect();
    let ids: Vec<&str> = row.mosaic_id.split(',').map(str::trim).collect();
    if children.len() != ids.len() {
        return Err("the children and Mosaic IDs do not pair up".into());
    }
    for (name, mosaic_id) in children.iter().zip(&ids) {
        file.subjects.push(Subject { id: 0, name: name.to_string(), dob: None, mosaic_id: mosaic_id.to_string() });
    }
    let r = &mut file.request;
    r.form_sent_on = row.form_sent;
    r.form_returned_on = row.form_returned;
    r.completed_on = row.completed;
    if row.withdrawn {
        r.withdrawn_on =
            [Some(row.received), row.form_sent, row.form_returned, row.approved_on].into_iter().flatten().max();
        r.withdraw_reason = Some("Withdrawn (imported: the spreadsheet records no reason)".to_string());
    }
    if let (Some(decision), Some(approver), Some(on)) = (row.decision, approver, row.approved_on) {
        let approval = Approval {
            id: 0,
            decision,
            approver: approver.as_ref(),
            decided_on: on,
            evidence_date: None,
            evidence_ref: Some(format!("imported from {at}")),
            reason: "Imported from the spreadsheet, which does not record the reason".into(),
            recorded_by: actor.as_ref(),
        };
        check_recorded_decision(&file, &approval, batch.ctx()).map_err(refused)?;
        file.approvals.push(approval);
    }
    Ok(recorded(file))
}

/// Adds a tracker row's viewing (and the items it names) to its request, checked by
/// the same rules as every recorded viewing; a rejected row adds nothing.
fn add_viewing(
    batch: &Batch,
    v: &ViewingRow,
    recorded: &mut Recorded,
    decision: Option<Decision>,
    at: &str,
) -> std::result::Result<(), String> {
    let db = |e: crate::store::StoreError| e.to_string();
    let supervisor = reference::staff_by_login_or_name(batch.conn(), &v.supervisor)
        .map_err(db)?
        .ok_or_else(|| format!("unknown supervisor '{}': register them first", v.supervisor))?;
    // The viewer's organisation as registered, by the same rule as a viewing logged
    // by hand: the requesting authority (a blank cell) or another local authority.
    let viewer_org = if v.organisation.trim().is_empty() {
        recorded.file.request.organisation.clone()
    } else {
        reference::org_by_name(batch.conn(), v.organisation.trim())
            .map_err(db)?
            .ok_or_else(|| format!("unknown organisation '{}'", v.organisation))?
    };
    rules::check_viewer_org(&viewer_org, batch.ctx()).map_err(|r| ServiceError::Refused(r).to_string())?;
    let file = &mut recorded.file;
    let approved = decision.map(|d| d != Decision::Refused);
    let items_before = file.items.len();
    for (n, desc) in &v.items {
        match file.item_by_number(*n) {
            Some(it) if it.description != *desc => {
                let d = it.description.clone();
                file.items.truncate(items_before);
                return Err(format!("item {n} is '{d}' in an earlier row, not '{desc}'"));
            }
            Some(_) => {}
            None => file.items.push(ScopeItem {
                id: 0,
                decline_reason: None,
                number: *n,
                description: desc.clone(),
                third_party: None,
                agency_consent_on: None,
                agency_consent_ref: None,
                approved,
                added_on: file.request.form_returned_on,
            }),
        }
    }
    let id = file.viewings.len() as i64 + 1;
    let viewing = Viewing {
        id,
        day: v.day,
        start: v.start,
        end: v.end,
        viewers: v.viewers.clone(),
        viewer_org: viewer_org.name.clone(),
        viewer_org_id: Some(viewer_org.id),
        supervisor: supervisor.as_ref(),
        method: v.method,
        item_ids: v.items.iter().map(|(n, _)| *n).collect(),
        notes: String::new(),
        copies: vec![],
        supervised: v.supervised,
        unsupervised_note: None,
        // The workbook has no columns for these: not asked then.
        supervision_confirmed_by: None,
        lcc_devices_only: None,
        downloads: None,
    };
    let incidents_before = file.incidents.len();
    if !v.supervised {
        file.incidents.push(Incident {
            id: 0,
            viewing_id: Some(id),
            opened_on: v.day,
            description: "Imported: the spreadsheet records this viewing as not supervised throughout".into(),
            referred_on: None,
            ig_ref: None,
        });
    }
    if let Err(r) = check_recorded_viewing(file, &viewing, batch.ctx()) {
        file.items.truncate(items_before);
        file.incidents.truncate(incidents_before);
        return Err(ServiceError::Refused(r).to_string());
    }
    file.viewings.push(viewing);
    recorded.viewing_sources.push(Some(at.to_string()));
    Ok(())
}
