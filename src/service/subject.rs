//! The subject report: for one child, every request naming them and every lookup of
//! them, for a subject access request or an audit. Administrators and information
//! governance only; the report is itself recorded (a `subject_report` event), and so
//! appears among the lookups of the next one.

use serde_json::json;

use super::{Result, Service};
use crate::domain::subject::{SubjectMatch, SubjectQuery, SubjectReport};
use crate::domain::{rules, text};
use crate::store::{lookups, requests};

impl Service {
    /// Builds the report for `query` and records that it was made.
    pub fn subject_report(&mut self, query: &SubjectQuery) -> Result<SubjectReport> {
        rules::may_report_on_subject(&self.actor)?;
        let query = match query {
            SubjectQuery::MosaicId(id) => SubjectQuery::MosaicId(text::line("Mosaic ID", id)?),
            SubjectQuery::Name(n) => SubjectQuery::Name(text::line("name", n)?),
        };
        let conn = self.store.conn();
        // Found only through subject rows: a request whose subjects were blanked is not.
        let rows = lookups::subject_rows(conn, |name, id| query.matches(name, id))?;
        let mut subjects: Vec<SubjectMatch> = rows
            .iter()
            .map(|r| SubjectMatch { name: r.name.clone(), dob: r.dob, mosaic_id: r.mosaic_id.clone() })
            .collect();
        subjects.sort();
        subjects.dedup();
        let mut references: Vec<&str> = rows.iter().map(|r| r.reference.as_str()).collect();
        references.dedup();
        let mut files = Vec::with_capacity(references.len());
        for reference in references {
            if let Some(f) = requests::load(conn, reference)? {
                files.push(f);
            }
        }
        files.sort_by_key(|f| (f.request.received_on, f.request.id));
        let mut named: Vec<(String, String)> = subjects.iter().map(|m| (m.name.clone(), m.mosaic_id.clone())).collect();
        // The words asked for name the child even when no request does (yet).
        match &query {
            SubjectQuery::MosaicId(id) => named.push((String::new(), id.clone())),
            SubjectQuery::Name(n) => named.push((n.clone(), String::new())),
        }
        let lookups = lookups::lookups_naming(conn, &named)?;
        let report = SubjectReport {
            query: query.clone(),
            generated_at: self.now(),
            generated_by: self.actor.login.clone(),
            subjects,
            requests: files,
            lookups,
            disposed: crate::store::lists::disposed_summary(conn)?,
        };
        self.record(
            "subject_report",
            json!(null),
            json!({ "query": query.as_json(), "requests": report.requests.len(), "lookups": report.lookups.len() }),
        )?;
        Ok(report)
    }
}
