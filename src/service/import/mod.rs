//! Importing a spreadsheet: the export's own layout, or a council's workbook as it
//! is kept (free-text organisation names, no references, no Mosaic ID on old rows,
//! a tracker without reference or supervisor). Every row checked, every problem of
//! every row noted; everything written in one transaction or nothing; without
//! `commit` (a dry run) the same work is done and rolled back.
//!
//! A row is already present when its reference is, or, for a row without one, when
//! an earlier import took the same row of the same sheet of the same file (by its
//! SHA-256, whatever it is called now). Nothing else makes two rows one request: two
//! requests for one child received the same day from one council are two requests.
//!
//! Names the database does not know (organisations, service areas, people) are
//! listed once with the rows that need them ([`Unknown`]); `create_missing`, or a
//! reviewed proposals file, creates them (or takes an organisation's name as an
//! alias) in the same transaction. A tracker row without a reference is matched to
//! its request by child, organisation and date ([`match_viewing`]); a row matching
//! none, or several equally, is reported, never guessed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::steps::received_row;
use super::steps::record::{Batch, Recorded, check_recorded_decision, check_recorded_viewing};
use super::{Result, Service, ServiceError};
use crate::domain::*;
use crate::interop::import::proposals::{self, Missing, Proposals, Unknown};
use crate::interop::import::{self, Mapping, Parsed, Rejected, RequestRow, ViewingRow};
use crate::progress::{Batched, Silent, Tick};
use crate::store::{reference, requests};

mod matching;
mod names;

use matching::match_viewing;
use names::{resolve, suggestions, unknown_names};

/// The supervisor recorded for an imported viewing whose tracker row names none: a
/// staff record that is no one (it cannot log in: no account name holds a colon),
/// so nothing is invented and every face shows it as not recorded.
pub const NOT_RECORDED_LOGIN: &str = "imported:not-recorded";
/// Its name, as lists and reports show it.
pub const NOT_RECORDED_NAME: &str = "not recorded (imported)";

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Write (otherwise a dry run: everything checked, nothing written).
    pub commit: bool,
    /// Create every unknown organisation, service area and person that can be
    /// created (organisations of a kind their name or the mapping tells).
    pub create_missing: bool,
    /// A reviewed proposals file: each unknown name created or (an organisation)
    /// taken as an alias; it comes before `create_missing`.
    pub proposals: Option<Proposals>,
    /// Leave out tracker rows that match no request, or several, instead of
    /// refusing the import; they are listed.
    pub leave_unmatched: bool,
}

/// What an import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub dry_run: bool,
    /// Whether anything was written (false for a dry run or when anything stops it).
    pub imported: bool,
    pub requests: usize,
    pub requests_already_present: usize,
    pub viewings: usize,
    pub viewings_already_present: usize,
    /// Every problem of every row (a row may have several).
    pub rejected: Vec<Rejected>,
    /// Names the database does not know, each once, with the rows that need them.
    pub unknown: Vec<Unknown>,
    /// Tracker rows that match no request, or several equally.
    pub unmatched: Vec<Rejected>,
    /// Tracker rows not matched yet because names are unknown (matched, or
    /// reported, once they are resolved).
    pub unmatched_waiting: usize,
    /// What this import creates: "organisation 'X' (local_authority)", …
    pub created: Vec<String>,
    /// For an unknown organisation, a registered one it looks like (the proposals
    /// file proposes it as an alias).
    pub suggestions: BTreeMap<String, String>,
}

impl ImportReport {
    /// Unknown names this run does not resolve.
    pub fn unresolved(&self) -> impl Iterator<Item = &Unknown> {
        self.unknown.iter().filter(|u| !u.resolved)
    }
}

/// A request of this import (or of an earlier one), for its viewings.
struct Known {
    /// What will be recorded; `None` when it is already present.
    recorded: Option<Recorded>,
    /// Its row of the requests sheet.
    row: usize,
    decision: Option<Decision>,
    /// The form came back, so the request has (unitemised) scope.
    scoped: bool,
    /// What a tracker row is matched by: the children's names (lower case), their
    /// Mosaic IDs, the organisation, received and approved.
    children: Vec<String>,
    mosaic_ids: Vec<String>,
    org_id: i64,
    received: NaiveDate,
    approved: Option<NaiveDate>,
}

/// Names unknown this run, by what they are and lower-cased name.
type Unresolved = HashSet<(Missing, String)>;

impl Service {
    /// Imports `path` by `mapping`. Without `options.commit`, or when any row is
    /// rejected, a name is left unknown or a tracker row is unmatched (unless
    /// `leave_unmatched`), nothing is written; the report says what was (or would
    /// be) imported. Each new request is recorded whole through [`Batch::record`],
    /// checked with the same rules as every other path. All the work is here, in
    /// one pass over the rows.
    pub fn import(&mut self, path: &Path, mapping: &Mapping, options: &ImportOptions) -> Result<ImportReport> {
        self.import_with_progress(path, mapping, options, &Silent)
    }

    /// [`Service::import`], telling `progress` how far it has got: reading the
    /// workbook, checking the request rows, matching the tracker rows, writing.
    pub fn import_with_progress(
        &mut self,
        path: &Path,
        mapping: &Mapping,
        options: &ImportOptions,
        progress: &dyn Tick,
    ) -> Result<ImportReport> {
        rules::may_edit(&self.actor)?;
        let today = self.today();
        progress.stage("reading the workbook", 0);
        let parsed = import::parse(path, mapping, today).map_err(|e| InputError::new("import", e))?;
        let source =
            path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string());
        let mut report = ImportReport {
            file: source.clone(),
            dry_run: !options.commit,
            imported: false,
            requests: 0,
            requests_already_present: 0,
            viewings: 0,
            viewings_already_present: 0,
            rejected: parsed.rejected.clone(),
            unknown: vec![],
            unmatched: vec![],
            unmatched_waiting: 0,
            created: vec![],
            suggestions: BTreeMap::new(),
        };
        let mut batch = self.batch()?;
        report.unknown = unknown_names(batch.conn(), &parsed)?;
        report.suggestions = suggestions(batch.conn(), &report.unknown)?;
        resolve(&mut batch, mapping, options, &parsed, &mut report)?;
        let unresolved: Unresolved = report.unresolved().map(|u| (u.what, u.name.to_lowercase())).collect();
        let missing = |what: Missing, name: &str| unresolved.contains(&(what, name.trim().to_lowercase()));

        let mut known: HashMap<String, Known> = HashMap::new();
        let mut new_keys = Vec::new();
        let earlier = earlier_rows(batch.conn(), &parsed)?;
        let mut numbers = Numbers::new(&parsed.requests);
        // References are given in the order the requests were received.
        let mut order: Vec<&RequestRow> = parsed.requests.iter().collect();
        order.sort_by_key(|r| (r.received, r.row));
        progress.stage("checking the request rows", order.len() as u64);
        let mut ticks = Batched::new(progress, 500);
        for row in order {
            ticks.one();
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
                Some(r) => match requests::received_from(batch.conn(), r)? {
                    None => None,
                    Some((received, org_id, org_name)) => {
                        // The same reference for another request is not "already
                        // present": it is a clash, and the row says which.
                        let org = reference::org_by_name(batch.conn(), &row.organisation)?;
                        if received != row.received || org.is_none_or(|o| o.id != org_id) {
                            report.rejected.push(reject(format!(
                                "{r} is already recorded, as a request from {org_name} received on {}: this row ({}, received {}) is another request; check its reference",
                                crate::domain::dates::uk(received),
                                row.organisation,
                                crate::domain::dates::uk(row.received)
                            )));
                            continue;
                        }
                        Some(r.clone())
                    }
                },
                None => {
                    let sheet = (!parsed.csv).then(|| parsed.request_sheet.clone());
                    earlier.get(&(sheet, row.row)).cloned()
                }
            };
            if let Some(r) = present {
                report.requests_already_present += 1;
                if let Some(k) = known_present(batch.conn(), &r, row.row)? {
                    known.insert(given.unwrap_or(r), k);
                }
                continue;
            }
            if missing(Missing::Organisation, &row.organisation)
                || missing(Missing::ServiceArea, &row.service_area)
                || (row.decision.is_some() && missing(Missing::Person, &row.approver))
            {
                // Listed once, under the unknown names.
                continue;
            }
            if given.is_none()
                && let Some(org) = reference::org_by_name(batch.conn(), &row.organisation)?
            {
                let mut like = None;
                for child in row.child.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    like = requests::imported_elsewhere_like(
                        batch.conn(),
                        &parsed.request_digest,
                        org.id,
                        row.received,
                        child,
                    )?;
                    if like.is_some() {
                        break;
                    }
                }
                if let Some(r) = like {
                    report.rejected.push(reject(format!(
                        "looks like {r}, imported from another copy of the workbook (the same child, organisation and day received): leave the row out, or give it a reference if it is another request"
                    )));
                    continue;
                }
            }
            match request_from(&batch, row, &at, &mut numbers) {
                Ok(recorded) => {
                    report.requests += 1;
                    let key = given.unwrap_or_else(|| recorded.file.request.reference.clone());
                    new_keys.push(key.clone());
                    let scoped = row.form_returned.is_some() || row.decision.is_some();
                    let f = &recorded.file;
                    let k = Known {
                        children: f.subjects.iter().map(|s| s.name.to_lowercase()).collect(),
                        mosaic_ids: f
                            .subjects
                            .iter()
                            .filter(|s| !s.mosaic_id.is_empty())
                            .map(|s| s.mosaic_id.to_lowercase())
                            .collect(),
                        org_id: f.request.organisation.id,
                        received: f.request.received_on,
                        approved: f.first_approval_on(),
                        recorded: Some(recorded),
                        row: row.row,
                        decision: row.decision,
                        scoped,
                    };
                    known.insert(key, k);
                }
                Err(reasons) => report.rejected.extend(reasons.into_iter().map(reject)),
            }
        }
        let tracker_sheet = parsed.tracker_sheet.clone();
        let mut not_recorded: Option<Staff> = None;
        // Each child's name and Mosaic ID (lower case) → the requests naming them.
        let mut by_child: HashMap<String, Vec<String>> = HashMap::new();
        for (key, k) in &known {
            for n in k.children.iter().chain(&k.mosaic_ids) {
                by_child.entry(n.clone()).or_default().push(key.clone());
            }
        }
        drop(ticks);
        progress.stage("matching the tracker rows", parsed.viewings.len() as u64);
        let mut ticks = Batched::new(progress, 500);
        for v in &parsed.viewings {
            ticks.one();
            let reject = |reason: String| Rejected { sheet: tracker_sheet.clone(), row: v.row, reason };
            if missing(Missing::Organisation, &v.organisation) || missing(Missing::Person, &v.supervisor) {
                continue;
            }
            let key = match &v.reference {
                Some(r) => {
                    if !known.contains_key(r) {
                        report.rejected.push(reject(format!("no request {r} among the rows imported")));
                        continue;
                    }
                    r.clone()
                }
                None => match match_viewing(batch.conn(), v, &known, &by_child, &parsed.request_sheet)? {
                    Ok(key) => key,
                    Err(reason) => {
                        report.unmatched.push(reject(reason));
                        continue;
                    }
                },
            };
            let k = known.get_mut(&key).expect("matched to a known request");
            let Some(recorded) = &mut k.recorded else {
                // Its request came in with an earlier import: this viewing is there
                // too, or it was added to the tracker since and is not brought in
                // with it (never counted as present when it is not).
                if requests::has_viewing_at(batch.conn(), &key, v.day, v.start)? {
                    report.viewings_already_present += 1;
                } else {
                    report.rejected.push(reject(format!(
                        "{key} came in with an earlier import and has no viewing on {} at {}: log this one with caseshare viewing {key}",
                        crate::domain::dates::uk(v.day),
                        v.start.format("%H:%M")
                    )));
                }
                continue;
            };
            let supervisor = if v.supervisor.is_empty() {
                if not_recorded.is_none() {
                    not_recorded = Some(not_recorded_supervisor(&mut batch, &mut report)?);
                }
                not_recorded.clone()
            } else {
                None
            };
            let at = import::provenance(&source, &tracker_sheet, v.row, &parsed.tracker_digest);
            match add_viewing(&batch, v, recorded, k.decision, &at, supervisor) {
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
        drop(ticks);
        progress.stage("recording the requests", new_keys.len() as u64);
        let mut ticks = Batched::new(progress, 500);
        for key in &new_keys {
            ticks.one();
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
        drop(ticks);
        report.rejected.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        report.unmatched.sort_by_key(|r| r.row);
        if report.unresolved().next().is_some() {
            // Their request may be one of the rows waiting for a name: matched once
            // every name is known, not reported as matching nothing before then.
            report.unmatched_waiting = std::mem::take(&mut report.unmatched).len();
        }
        let stopped = !report.rejected.is_empty()
            || report.unresolved().next().is_some()
            || (!report.unmatched.is_empty() && !options.leave_unmatched);
        if !options.commit || stopped {
            // Dropping the batch rolls every row back.
            return Ok(report);
        }
        let left_out: Vec<usize> = report.unmatched.iter().map(|r| r.row).collect();
        batch.note(
            "import",
            &json!({ "file": source, "requests": report.requests, "viewings": report.viewings,
                     "already_present": report.requests_already_present + report.viewings_already_present,
                     "created": report.created, "tracker_rows_left_out": left_out }),
        )?;
        progress.stage("writing", 0);
        batch.commit()?;
        report.imported = true;
        self.reload()?;
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
) -> std::result::Result<Recorded, Vec<String>> {
    let mut problems = Vec::new();
    let recorded = request_checked(batch, row, at, numbers, &mut problems);
    match recorded {
        Ok(r) if problems.is_empty() => Ok(r),
        Ok(_) => Err(problems),
        Err(e) => {
            problems.push(e);
            Err(problems)
        }
    }
}

/// [`request_from`]'s work: what stops the request at once is the error; what
/// else is wrong with the row is added to `problems`.
fn request_checked(
    batch: &Batch,
    row: &RequestRow,
    at: &str,
    numbers: &mut Numbers,
    problems: &mut Vec<String>,
) -> std::result::Result<Recorded, String> {
    let tx = batch.conn();
    let actor = batch.actor();
    let db = |e: crate::store::StoreError| e.to_string();
    let refused = |r: Refusal| ServiceError::Refused(r).to_string();
    let org = reference::org_by_name(tx, &row.organisation)
        .map_err(db)?
        .ok_or_else(|| format!("unknown organisation '{}'", row.organisation))?;
    // A retired organisation keeps the requests it made before it was retired: a
    // row received from that day on is a new request from it, refused as any is.
    retired_by(&org.name, "org", org.retired_on, row.received).map_err(refused)?;
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
        problems.push("missing requester".into());
    }
    // Old rows may have no Mosaic ID: recorded as absent, never invented.
    if row.child.is_empty() {
        problems.push("missing the child's name".into());
    }
    let kind = row.kind.unwrap_or(RequestKind::Viewing);
    if kind == RequestKind::Viewing && row.format.is_none() {
        problems.push("missing format (paper, digital or both)".into());
    }
    let format = row.format;
    let approver = match row.decision {
        Some(_) => match reference::staff_by_login_or_name(tx, &row.approver).map_err(db)? {
            Some(a) => Some(a),
            None => {
                problems.push(who_is(tx, "approver", &row.approver).map_err(db)?);
                None
            }
        },
        None => None,
    };
    let area = reference::area_by_name(tx, &row.service_area).map_err(db)?.ok_or_else(|| {
        if row.service_area.is_empty() {
            "missing service area".to_string()
        } else {
            format!("unknown service area '{}'", row.service_area)
        }
    })?;
    retired_by(&area.name, "area", area.retired_on, row.received).map_err(refused)?;
    let requester = Requester { name: row.requester.clone(), role: row.requester_role.clone(), ..Requester::default() };
    let mut file = received(kind, requester, "Imported from the spreadsheet", Some(area), format);
    let children: Vec<&str> = row.child.split(',').map(str::trim).collect();
    let mut ids: Vec<&str> = row.mosaic_id.split(',').map(str::trim).collect();
    if row.mosaic_id.is_empty() {
        ids = vec![""; children.len()];
    }
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
            evidence_ref: Some(format!("imported by {} from {at}", actor.login)),
            reason: "Imported from the spreadsheet, which does not record the reason".into(),
            recorded_by: actor.as_ref(),
        };
        let began = batch.began().map_err(|e| e.to_string())?;
        check_recorded_decision(&file, &approval, batch.ctx(), began).map_err(refused)?;
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
    not_recorded: Option<Staff>,
) -> std::result::Result<(), String> {
    let db = |e: crate::store::StoreError| e.to_string();
    let supervisor = match not_recorded {
        Some(s) => s,
        None => reference::staff_by_login_or_name(batch.conn(), &v.supervisor)
            .map_err(db)?
            .map_or_else(|| Err(who_is(batch.conn(), "supervisor", &v.supervisor).map_err(db)?), Ok)?,
    };
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
    if !v.organisation.trim().is_empty() {
        retired_by(&viewer_org.name, "org", viewer_org.retired_on, v.day)
            .map_err(|r| ServiceError::Refused(r).to_string())?;
    }
    let file = &mut recorded.file;
    let approved = decision.map(|d| d != Decision::Refused);
    let items_before = file.items.len();
    let mut shown = Vec::new();
    for (given, desc) in &v.items {
        // An item the tracker does not number is the request's item of that
        // description, or the next number.
        let n = match given {
            Some(n) => *n,
            None => file
                .items
                .iter()
                .find(|i| i.description.eq_ignore_ascii_case(desc))
                .map(|i| i.number)
                .unwrap_or_else(|| file.items.iter().map(|i| i.number).max().unwrap_or(0) + 1),
        };
        shown.push(n);
        let n = &n;
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
        item_ids: shown,
        notes: if v.supervised_as_stated {
            "Imported: the tracker does not record supervision; as the import's mapping states the council's practice"
                .into()
        } else {
            String::new()
        },
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

/// A request an earlier import (or another path) already holds, for matching its
/// viewings: they are already present too.
fn known_present(conn: &rusqlite::Connection, reference: &str, row: usize) -> Result<Option<Known>> {
    let Some(f) = requests::load(conn, reference)? else { return Ok(None) };
    Ok(Some(Known {
        recorded: None,
        row,
        decision: None,
        scoped: false,
        children: f.subjects.iter().map(|s| s.name.to_lowercase()).collect(),
        mosaic_ids: f.subjects.iter().filter(|s| !s.mosaic_id.is_empty()).map(|s| s.mosaic_id.to_lowercase()).collect(),
        org_id: f.request.organisation.id,
        received: f.request.received_on,
        approved: f.first_approval_on(),
    }))
}

/// The staff record standing for a supervisor the tracker does not name
/// ([`NOT_RECORDED_NAME`]): found, or added (inactive) in the import's transaction.
fn not_recorded_supervisor(batch: &mut Batch, report: &mut ImportReport) -> Result<Staff> {
    if let Some(s) = reference::staff_by_login(batch.conn(), NOT_RECORDED_LOGIN)? {
        return Ok(s);
    }
    // A staff record is the staff list's, kept by administrators.
    rules::may_administer(batch.actor()).map_err(|r| {
        r.hint("an administrator runs the first import of a tracker without supervisors, which registers it")
    })?;
    let staff = Staff {
        id: 0,
        login: NOT_RECORDED_LOGIN.into(),
        name: NOT_RECORDED_NAME.into(),
        position: "Supervisor not recorded in the imported spreadsheet".into(),
        email: String::new(),
        roles: vec![Role::Bsa],
        active: false,
    };
    let staff = batch.add_staff(staff)?;
    report
        .created
        .push(format!("staff record '{NOT_RECORDED_NAME}' ({NOT_RECORDED_LOGIN}), for viewings without a supervisor"));
    Ok(staff)
}

/// Why `name` names no one staff member: nobody has it, or several do.
fn who_is(conn: &rusqlite::Connection, role: &str, name: &str) -> crate::store::Result<String> {
    let logins = reference::logins_named(conn, name)?;
    Ok(if logins.len() > 1 {
        format!("{role} '{name}' is the name of {} staff ({}): give the login instead", logins.len(), logins.join(", "))
    } else {
        format!("unknown {role} '{name}': register them first")
    })
}

/// Refuses what was retired on or before `on` (a row of that day or later is new
/// use of it); what it did before its retirement is history, imported as it was.
fn retired_by(
    name: &str,
    command: &str,
    retired_on: Option<NaiveDate>,
    on: NaiveDate,
) -> std::result::Result<(), Refusal> {
    let what = if command == "org" { "organisation" } else { "service area" };
    rules::not_retired(what, command, name, retired_on.is_some_and(|r| on >= r))
}
