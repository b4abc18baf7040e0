//! Importing today's spreadsheet: every row checked, everything written in one
//! transaction or nothing; a dry run does the same work and rolls it back.
//!
//! A row is already present when its reference is, or, for a row without one, when
//! an earlier import took the same row of the same sheet of the same file (by its
//! SHA-256, whatever it is called now). Nothing else makes two rows one request: two
//! requests for one child received the same day from one council are two requests.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::{Result, Service, load_or_not_found};
use crate::domain::*;
use crate::interop::import::{self, Mapping, Parsed, Rejected, RequestRow, ViewingRow};
use crate::store::{events, reference, requests};

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
    id: Option<i64>,
    decision: Option<Decision>,
    approved_on: Option<NaiveDate>,
    /// Items added so far: number → (description, item id).
    items: HashMap<i64, (String, i64)>,
    /// The form came back, so the request has (unitemised) scope.
    scoped: bool,
}

impl Service {
    /// Imports `path` by `mapping`. With `dry_run`, or when any row is rejected,
    /// nothing is written; the report says what was (or would be) imported.
    pub fn import(&mut self, path: &Path, mapping: &Mapping, dry_run: bool) -> Result<ImportReport> {
        rules::may_edit(&self.actor)?;
        let today = self.today();
        let now = self.now();
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
        let Service { store, actor, settings, .. } = self;
        let tx = store.write()?;
        let mut known: HashMap<String, Known> = HashMap::new();
        let mut new_refs = Vec::new();
        let earlier = earlier_rows(&tx, &parsed)?;
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
                Some(r) => requests::exists(&tx, r)?.then(|| r.clone()),
                None => {
                    let sheet = (!parsed.csv).then(|| parsed.request_sheet.clone());
                    earlier.get(&(sheet, row.row)).cloned()
                }
            };
            if let Some(r) = present {
                report.requests_already_present += 1;
                known.insert(
                    given.unwrap_or(r),
                    Known { id: None, decision: None, approved_on: None, items: HashMap::new(), scoped: false },
                );
                continue;
            }
            match insert_request(&tx, row, &at, &mut numbers, actor, settings, now) {
                Ok((reference, id)) => {
                    report.requests += 1;
                    new_refs.push(reference.clone());
                    let key = given.unwrap_or(reference);
                    known.insert(
                        key,
                        Known {
                            id: Some(id),
                            decision: row.decision,
                            approved_on: row.approved_on,
                            items: HashMap::new(),
                            scoped: row.form_returned.is_some() || row.decision.is_some(),
                        },
                    );
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
            let Some(request_id) = k.id else {
                report.viewings_already_present += 1;
                continue;
            };
            let at = import::provenance(&source, &tracker_sheet, v.row, &parsed.tracker_digest);
            match insert_viewing(&tx, v, request_id, k, actor.id, &at) {
                Ok(()) => report.viewings += 1,
                Err(reason) => report.rejected.push(reject(reason)),
            }
        }
        // The spreadsheet does not itemise what was asked for: a request whose form came
        // back but whose viewings name no items gets one item standing for its scope,
        // decided as the request was, so its remaining steps can be taken.
        for k in known.values().filter(|k| k.scoped && k.items.is_empty()) {
            let Some(id) = k.id else { continue };
            let approved = k.decision.map(|d| d != Decision::Refused);
            requests::insert_item_unitemised(&tx, id, approved)?;
        }
        for r in &new_refs {
            let mut file = load_or_not_found(&tx, r)?;
            requests::set_derived(&tx, &file, settings, &actor.login, now)?;
            file.request.status = derive_status(&file);
            let after = serde_json::to_value(&file).expect("requests serialise");
            events::append(&tx, now, &actor.login, "import", Some(r), &json!(null), &after)?;
        }
        report.rejected.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        if dry_run || !report.rejected.is_empty() {
            // Dropping the transaction rolls every row back.
            return Ok(report);
        }
        events::append(
            &tx,
            now,
            &actor.login,
            "import",
            None,
            &json!(null),
            &json!({ "file": source, "requests": report.requests, "viewings": report.viewings,
                     "already_present": report.requests_already_present + report.viewings_already_present }),
        )?;
        tx.commit()?;
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

fn insert_request(
    tx: &rusqlite::Connection,
    row: &RequestRow,
    at: &str,
    numbers: &mut Numbers,
    actor: &Staff,
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<(String, i64), String> {
    let db = |e: crate::store::StoreError| e.to_string();
    let org = reference::org_by_name(tx, &row.organisation)
        .map_err(db)?
        .ok_or_else(|| format!("unknown organisation '{}'", row.organisation))?;
    let reference = match row.reference {
        Some(r) => r.to_string(),
        None => numbers.next(tx, chrono::Datelike::year(&row.received))?,
    };
    let route = rules::route_for(org.kind, settings);
    let blank = Requester::default();
    if route.is_some() || row.kind == Some(RequestKind::Redirect) {
        let route = route.unwrap_or_else(|| "redirected (recorded in the spreadsheet)".into());
        let id = requests::insert(
            tx,
            &requests::NewRequest {
                reference: &reference,
                kind: RequestKind::Redirect,
                created_by: actor.id,
                at: now,
                login: &actor.login,
                received_on: row.received,
                channel: Channel::Email,
                organisation_id: org.id,
                requester: &blank,
                purpose: "",
                service_area_id: None,
                format: None,
                redirect_route: Some(&route),
                imported_from: Some(at),
            },
        )
        .map_err(db)?;
        requests::insert_tick(tx, id, Step::Received, actor.id, now).map_err(db)?;
        return Ok((reference, id));
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
    let approver = if row.decision.is_some() {
        let who = reference::staff_by_login_or_name(tx, &row.approver)
            .map_err(db)?
            .ok_or_else(|| format!("unknown approver '{}': register them first", row.approver))?;
        // The same rules, and the same refusals, as a decision recorded by hand: the
        // person importing stands where the BSA who recorded the request would.
        let refused = |r: crate::domain::Refusal| super::ServiceError::Refused(r).to_string();
        crate::domain::rules::decided_by_asset_owner(&area, &who.as_ref()).map_err(refused)?;
        crate::domain::rules::not_decided_by_recorder(&who.as_ref(), &actor.as_ref()).map_err(refused)?;
        Some(who)
    } else {
        None
    };
    let requester = Requester { name: row.requester.clone(), role: row.requester_role.clone(), ..Requester::default() };
    let id = requests::insert(
        tx,
        &requests::NewRequest {
            reference: &reference,
            kind,
            created_by: actor.id,
            at: now,
            login: &actor.login,
            received_on: row.received,
            channel: Channel::Email,
            organisation_id: org.id,
            requester: &requester,
            purpose: "Imported from the spreadsheet",
            service_area_id: Some(area.id),
            format,
            redirect_route: None,
            imported_from: Some(at),
        },
    )
    .map_err(db)?;
    let children: Vec<&str> = row.child.split(',').map(str::trim).collect();
    let ids: Vec<&str> = row.mosaic_id.split(',').map(str::trim).collect();
    if children.len() != ids.len() {
        return Err("the children and Mosaic IDs do not pair up".into());
    }
    for (name, mosaic_id) in children.iter().zip(&ids) {
        let s = Subject { id: 0, name: name.to_string(), dob: None, mosaic_id: mosaic_id.to_string() };
        requests::insert_subject(tx, id, &s).map_err(db)?;
    }
    requests::set(
        tx,
        id,
        &[("form_sent_on", &row.form_sent), ("form_returned_on", &row.form_returned), ("completed_on", &row.completed)],
    )
    .map_err(db)?;
    requests::insert_tick(tx, id, Step::Received, actor.id, now).map_err(db)?;
    if row.withdrawn {
        let on = [Some(row.received), row.form_sent, row.form_returned, row.approved_on].into_iter().flatten().max();
        let reason = "Withdrawn (imported: the spreadsheet records no reason)".to_string();
        requests::set(tx, id, &[("withdrawn_on", &on), ("withdraw_reason", &reason)]).map_err(db)?;
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
        requests::insert_approval(tx, id, &approval).map_err(db)?;
    }
    Ok((reference, id))
}

fn insert_viewing(
    tx: &rusqlite::Connection,
    v: &ViewingRow,
    request_id: i64,
    k: &mut Known,
    recorded_by: i64,
    at: &str,
) -> std::result::Result<(), String> {
    let db = |e: crate::store::StoreError| e.to_string();
    if !matches!(k.decision, Some(Decision::Approved | Decision::ApprovedInPart)) {
        return Err(format!("a viewing of an unapproved item: {} has no approval to share", v.reference));
    }
    if k.approved_on.is_some_and(|a| v.day < a) {
        return Err("the viewing is dated before the approval".into());
    }
    let supervisor = reference::staff_by_login_or_name(tx, &v.supervisor)
        .map_err(db)?
        .ok_or_else(|| format!("unknown supervisor '{}': register them first", v.supervisor))?;
    let mut item_ids = Vec::new();
    for (n, desc) in &v.items {
        let id = match k.items.get(n) {
            Some((d, _)) if d != desc => return Err(format!("item {n} is '{d}' in an earlier row, not '{desc}'")),
            Some((_, id)) => *id,
            None => {
                let id = requests::insert_item_numbered(tx, request_id, *n, desc, true).map_err(db)?;
                k.items.insert(*n, (desc.clone(), id));
                id
            }
        };
        item_ids.push(id);
    }
    let viewing = Viewing {
        id: 0,
        day: v.day,
        start: v.start,
        end: v.end,
        viewers: v.viewers.clone(),
        viewer_org: v.organisation.clone(),
        supervisor: supervisor.as_ref(),
        method: v.method,
        item_ids,
        notes: String::new(),
        copies: vec![],
        supervised: v.supervised,
        unsupervised_note: None,
    };
    let vid = requests::insert_viewing(tx, request_id, &viewing, recorded_by).map_err(db)?;
    requests::set_viewing_imported(tx, vid, at).map_err(db)?;
    if !v.supervised {
        let incident = Incident {
            id: 0,
            viewing_id: Some(vid),
            opened_on: v.day,
            description: "Imported: the spreadsheet records this viewing as not supervised throughout".into(),
            referred_on: None,
            ig_ref: None,
        };
        requests::insert_incident(tx, request_id, &incident).map_err(db)?;
    }
    Ok(())
}
