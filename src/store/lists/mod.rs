//! List queries, each fetching only the rows asked for, using indexes: the request
//! list in triage order ([`triage`]), the tracker of viewings and direct shares, who
//! saw what ([`tracker`]), the exported Requests sheet ([`export`]) and the
//! management report's rows ([`report`]), the closed requests retention weighs
//! ([`retention`]).

use rusqlite::types::ToSql;

mod export;
mod report;
mod retention;
mod tracker;
mod triage;

pub use export::{
    DecisionRecordCells, RequestExportRow, ViewingExportRow, each_event_for_export, each_reference_for_export,
    each_request_for_export, each_viewing_for_export, export_counts, filter_is_everything,
};
pub use report::{report_incidents, report_rows};
pub use retention::{ClosedRow, closed_requests, disposed_summary};
pub use tracker::{ShareRow, TrackerFilter, TrackerRow, direct_shares, tracker};
pub use triage::{
    ListFilter, RequestSummary, count_requests, id_of, ids_matching, position, requests, requests_after,
    summaries_by_ids,
};

/// `s` as a LIKE pattern matching any text that contains it (`\` escapes).
pub(super) fn like(s: &str) -> String {
    let escaped = s.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A query's conditions and their values, numbered as they are added.
pub(super) struct Where {
    clauses: Vec<String>,
    pub(super) values: Vec<Box<dyn ToSql>>,
}

impl Where {
    pub(super) fn new() -> Self {
        Where { clauses: vec![], values: vec![] }
    }
    /// Adds a clause whose `?` placeholders are numbered in order.
    pub(super) fn push(&mut self, clause: &str, values: Vec<Box<dyn ToSql>>) {
        let mut out = String::new();
        let mut n = self.values.len();
        for ch in clause.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("?{n}"));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self.values.extend(values);
    }
    pub(super) fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!("WHERE {}", self.clauses.join(" AND ")) }
    }
    pub(super) fn params(&self) -> Vec<&dyn ToSql> {
        self.values.iter().map(|b| b.as_ref()).collect()
    }
}
