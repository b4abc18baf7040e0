//! Exports: the spreadsheet's tabs out of the database, each export recorded.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Result, Service, ServiceError, load_or_not_found};
use crate::interop::export::{self, ExportData};
use crate::store::events;
use crate::store::lists::{self, ListFilter, TrackerFilter};

/// Where an export goes.
#[derive(Debug, Clone)]
pub enum ExportTarget {
    Xlsx(PathBuf),
    CsvDir(PathBuf),
}

/// What was written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportSummary {
    pub files: Vec<PathBuf>,
    pub requests: usize,
    pub viewings: usize,
    pub events: usize,
}

impl Service {
    /// The rows an export of these requests holds.
    pub fn export_data(&self, filter: &ListFilter, with_log: bool, audit: bool) -> Result<ExportData> {
        self.store.with_large_cache(|conn| self.export_rows(conn, filter, with_log, audit))?
    }

    fn export_rows(
        &self,
        conn: &rusqlite::Connection,
        filter: &ListFilter,
        with_log: bool,
        audit: bool,
    ) -> Result<ExportData> {
        let requests = lists::requests_for_export(conn, filter, self.today())?;
        let wanted: HashSet<&str> = requests.iter().map(|r| r.reference.as_str()).collect();
        let mut viewings = lists::tracker(conn, &TrackerFilter::default())?;
        viewings.retain(|v| wanted.contains(v.reference.as_str()));
        viewings.reverse(); // oldest first, as the spreadsheet was kept
        let events = if with_log {
            let mut all = events::list(conn, None, u32::MAX)?;
            // A filtered export carries only the history of the requests it holds.
            if !filter_is_everything(filter) {
                all.retain(|e| e.reference.as_deref().is_some_and(|r| wanted.contains(r)));
            }
            Some(all)
        } else {
            None
        };
        let audit = if audit {
            let mut files = Vec::with_capacity(requests.len());
            for r in &requests {
                files.push(load_or_not_found(conn, &r.reference)?);
            }
            Some(files)
        } else {
            None
        };
        Ok(ExportData { requests, viewings, events, audit })
    }

    /// Writes an export and records it (who exported how many records, to where).
    /// `audit` adds the decision record of each request: administrators and
    /// information governance only.
    pub fn export(
        &mut self,
        filter: &ListFilter,
        with_log: bool,
        audit: bool,
        target: &ExportTarget,
    ) -> Result<ExportSummary> {
        crate::domain::rules::may_export(&self.actor)?;
        if audit {
            crate::domain::rules::may_report_on_subject(&self.actor)?;
        }
        let data = self.export_data(filter, with_log, audit)?;
        let files = match target {
            ExportTarget::Xlsx(path) => {
                export::write_xlsx(path, &data).map_err(ServiceError::Io)?;
                vec![path.clone()]
            }
            ExportTarget::CsvDir(dir) => export::write_csv(dir, &data).map_err(ServiceError::Io)?,
        };
        let summary = ExportSummary {
            files,
            requests: data.requests.len(),
            viewings: data.viewings.len(),
            events: data.events.as_ref().map_or(0, Vec::len),
        };
        let shown: Vec<String> = summary.files.iter().map(|p| display(p)).collect();
        self.record(
            "export",
            json!(null),
            json!({
                "files": shown,
                "requests": summary.requests,
                "viewings": summary.viewings,
                "events": summary.events,
                "audit": audit,
            }),
        )?;
        Ok(summary)
    }
}

fn filter_is_everything(f: &ListFilter) -> bool {
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

fn display(p: &Path) -> String {
    p.display().to_string()
}

impl Service {
    /// A letter for a request, from the administrator's template or the built-in one.
    pub fn letter(&self, reference: &str, kind: crate::domain::LetterKind) -> Result<String> {
        let file = self.request(reference)?;
        crate::domain::rules::check_letter(&file, kind, &self.settings)?;
        let dir = crate::interop::letters::template_dir(&self.settings);
        crate::interop::letters::render(kind, &file, &self.actor, &self.settings, dir.as_deref(), self.today())
            .map_err(ServiceError::Io)
    }
}
