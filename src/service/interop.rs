//! Exports: the spreadsheet's tabs out of the database, each export recorded.
//!
//! Streamed: each sheet's rows are read from SQLite a row at a time (the filter
//! applied in SQL, to the viewings and events too) and written as they come, so an
//! export of 100,000 requests holds one row in memory, not all of them.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Result, Service, ServiceError, load_or_not_found};
use crate::interop::export::{ExportRow, ExportWriter, Sheet};
use crate::progress::{Batched, Silent, Tick};
use crate::store::lists::{self, ListFilter};

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

/// How many rows go between two reports to a [`Tick`].
const TICK_EVERY: u64 = 512;

impl Service {
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
        self.export_with(filter, with_log, audit, target, &Silent)
    }

    /// [`Self::export`], telling `tick` how far each sheet has got.
    pub fn export_with(
        &mut self,
        filter: &ListFilter,
        with_log: bool,
        audit: bool,
        target: &ExportTarget,
        tick: &dyn Tick,
    ) -> Result<ExportSummary> {
        crate::domain::rules::may_export(&self.actor)?;
        if audit {
            crate::domain::rules::may_report_on_subject(&self.actor)?;
        }
        let summary = self.write_export(filter, with_log, audit, target, tick)?;
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

    fn write_export(
        &self,
        filter: &ListFilter,
        with_log: bool,
        audit: bool,
        target: &ExportTarget,
        tick: &dyn Tick,
    ) -> Result<ExportSummary> {
        let conn = self.store.conn();
        let _cache = PageCache::set(conn, EXPORT_CACHE_KIB)?;
        let today = self.today();
        let io = ServiceError::Io;
        let mut out = match target {
            ExportTarget::Xlsx(path) => ExportWriter::xlsx(path),
            ExportTarget::CsvDir(dir) => ExportWriter::csv(dir),
        }
        .map_err(io)?;
        let (requests, viewings, events) = lists::export_counts(conn, filter, today, with_log)?;

        tick.stage("exporting requests", requests);
        let mut sheet = out.sheet(Sheet::Requests).map_err(io)?;
        let mut ticks = Batched::new(tick, TICK_EVERY);
        lists::each_request_for_export(conn, filter, today, |r| {
            ticks.one();
            sheet.write(ExportRow::Request(&r)).map_err(io)
        })?;
        drop(ticks);
        let requests = sheet.end().map_err(io)?;

        tick.stage("exporting viewings", viewings);
        let mut sheet = out.sheet(Sheet::Tracker).map_err(io)?;
        let mut ticks = Batched::new(tick, TICK_EVERY);
        lists::each_viewing_for_export(conn, filter, today, |v| {
            ticks.one();
            sheet.write(ExportRow::Viewing(&v)).map_err(io)
        })?;
        drop(ticks);
        let viewings = sheet.end().map_err(io)?;

        let mut events_written = 0;
        if with_log {
            tick.stage("exporting the event log", events);
            let mut sheet = out.sheet(Sheet::Events).map_err(io)?;
            let mut ticks = Batched::new(tick, TICK_EVERY);
            lists::each_event_for_export(conn, filter, today, |e| {
                ticks.one();
                sheet.write(ExportRow::Event(&e)).map_err(io)
            })?;
            drop(ticks);
            events_written = sheet.end().map_err(io)?;
        }
        if audit {
            tick.stage("exporting the decision record", requests);
            let mut sheet = out.sheet(Sheet::DecisionRecord).map_err(io)?;
            let mut ticks = Batched::new(tick, TICK_EVERY);
            // Each request loaded whole in turn, and let go once written.
            lists::each_reference_for_export(conn, filter, today, |reference| {
                ticks.one();
                let file = load_or_not_found(conn, &reference)?;
                sheet.write(ExportRow::Decision(&file)).map_err(io)
            })?;
            drop(ticks);
            sheet.end().map_err(io)?;
        }
        tick.stage("saving the export", 0);
        let files = out.finish().map_err(io)?;
        Ok(ExportSummary {
            files,
            requests: requests as usize,
            viewings: viewings as usize,
            events: events_written as usize,
        })
    }
}

/// SQLite's page cache for an export, in KiB: the tracker's look-ups of each
/// viewing's request, subjects and items come back to the same pages, and a cache
/// of 2 MiB (the default) re-reads them from the kernel about twice as often; this
/// much keeps an export of 100,000 requests well inside 64 MB in all.
const EXPORT_CACHE_KIB: i64 = 16 * 1024;

/// A page cache size for as long as it lives, then the one before.
struct PageCache<'c> {
    conn: &'c rusqlite::Connection,
    before: i64,
}

impl<'c> PageCache<'c> {
    fn set(conn: &'c rusqlite::Connection, kib: i64) -> Result<Self> {
        let before: i64 =
            conn.pragma_query_value(None, "cache_size", |r| r.get(0)).map_err(crate::store::StoreError::from)?;
        conn.pragma_update(None, "cache_size", -kib).map_err(crate::store::StoreError::from)?;
        Ok(PageCache { conn, before })
    }
}

impl Drop for PageCache<'_> {
    fn drop(&mut self) {
        let _ = self.conn.pragma_update(None, "cache_size", self.before);
    }
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
