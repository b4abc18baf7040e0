//! Writing the Requests and Tracker sheets (and the Events sheet with `--with-log`,
//! the Decision record with `--audit`), a row at a time as the rows are read: a
//! workbook in rust_xlsxwriter's constant-memory mode (each sheet's rows go to an
//! unnamed private temporary file as they are written), or CSV files each written
//! straight to its private temporary file. Nothing appears at the destination until
//! every sheet is complete ([`ExportWriter::finish`]).
//!
//! Dates are real dates and times real times (numbers with a date or time format),
//! each column as wide as what it holds (by display width, up to a cap), and each CSV
//! file starts with a UTF-8 byte order mark, so Excel opens names in any script
//! correctly.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::audit::{AUDIT_HEADERS, audit_cells};
use crate::domain::RequestFile;
use crate::domain::{
    AgreementAnswer, Art6Basis, Art9Gateway, ConsentNotObtained, ControllerRelationship, Decision, Guidance,
    Sch1Condition, StatutoryPower,
};
use crate::private_file::Pending;
use crate::store::events::Event;
use crate::store::lists::{DecisionRecordCells, RequestExportRow, ViewingExportRow};

/// The requests tab, as today's spreadsheet lays it out.
pub const REQUEST_HEADERS: &[&str] = &[
    "Reference",
    "Requester",
    "Requester role",
    "Organisation",
    "Child",
    "Mosaic ID",
    "Service area",
    "Format",
    "Date received",
    "Date form sent",
    "Date form returned",
    "Approver",
    "Date of approval",
    "Decision",
    "Date request complete",
    "Type",
    "Status",
    "Art. 6",
    "Art. 9 gateway",
    "Sch.1 condition",
    "Criminal offence data",
    "Statutory power",
    "Guidance relied on",
    "Why necessary",
    "Security",
    "Recipient retention",
    "Sharing agreement",
    "Controllers",
    "DPIA",
    "Decision reasons",
    "Basis review",
];

/// The tracker tab: what was viewed, by whom, from where, how, when, supervised by whom.
pub const TRACKER_HEADERS: &[&str] = &[
    "Date",
    "Start",
    "End",
    "Reference",
    "Child",
    "Mosaic ID",
    "What was viewed",
    "Viewed by",
    "Organisation",
    "How",
    "Supervised by",
    "Supervised throughout",
    "Copies given",
];

/// The Events sheet: the log as it is stored.
pub const EVENT_HEADERS: &[&str] =
    &["Event", "When (UTC)", "Login", "Operation", "Reference", "Before", "After", "Hash"];

/// A cell: text, a real date, or a real time of day.
pub(super) enum Cell {
    Text(String),
    Date(Option<NaiveDate>),
    Time(NaiveTime),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn decision_label(code: &Option<String>) -> String {
    code.as_deref().and_then(|c| c.parse::<Decision>().ok()).map(|d| d.label().to_string()).unwrap_or_default()
}

/// A stored code as its label (an unknown code as it is stored).
fn label_of<T: std::str::FromStr + std::fmt::Display>(code: &Option<String>) -> String {
    code.as_deref().map(|c| c.parse::<T>().map(|v| v.to_string()).unwrap_or_else(|_| c.to_string())).unwrap_or_default()
}

/// The decision-record columns, after "Status".
fn record_cells(d: &DecisionRecordCells) -> Vec<Cell> {
    let with = |main: String, extra: &str| if extra.is_empty() { main } else { format!("{main}: {extra}") };
    let sch1 = with(label_of::<Sch1Condition>(&d.sch1), &label_of::<ConsentNotObtained>(&d.consent_not_obtained));
    let criminal = match d.criminal {
        Some(false) => "Not involved".to_string(),
        Some(true) => with("Involved".into(), &label_of::<Sch1Condition>(&d.criminal_condition)),
        None => String::new(),
    };
    let guidance: Vec<String> = d
        .guidance
        .split(',')
        .filter(|g| !g.is_empty())
        .map(|g| label_of::<Guidance>(&Some(g.to_string())))
        .chain((!d.guidance_other.is_empty()).then(|| d.guidance_other.clone()))
        .collect();
    let dpia = match d.dpia_considered {
        Some(true) => with("Considered".into(), &d.dpia_outcome),
        Some(false) => "Not considered".into(),
        None => String::new(),
    };
    let reasons: Vec<String> = d
        .decision_reason
        .iter()
        .cloned()
        .chain((!d.decline_reasons.is_empty()).then(|| format!("declined items: {}", d.decline_reasons)))
        .collect();
    vec![
        text(label_of::<Art6Basis>(&d.art6)),
        text(label_of::<Art9Gateway>(&d.art9)),
        text(sch1),
        text(criminal),
        text(with(label_of::<StatutoryPower>(&d.power), &d.power_detail)),
        text(guidance.join("; ")),
        text(&d.necessity),
        text(&d.security),
        text(&d.retention),
        text(with(label_of::<AgreementAnswer>(&d.agreement), &d.agreement_note)),
        text(label_of::<ControllerRelationship>(&d.controller)),
        text(dpia),
        text(reasons.join("; ")),
        text(d.basis_review.clone().unwrap_or_default()),
    ]
}

fn request_cells(r: &RequestExportRow) -> Vec<Cell> {
    let mut cells = vec![
        text(&r.reference),
        text(&r.requester),
        text(&r.requester_role),
        text(&r.organisation),
        text(&r.subjects),
        text(&r.mosaic_ids),
        text(r.service_area.clone().unwrap_or_default()),
        text(r.format.clone().unwrap_or_default()),
        Cell::Date(Some(r.received_on)),
        Cell::Date(r.form_sent_on),
        Cell::Date(r.form_returned_on),
        text(r.approver.clone().unwrap_or_default()),
        Cell::Date(r.approved_on),
        text(decision_label(&r.decision)),
        Cell::Date(r.completed_on),
        text(r.kind.label()),
        text(r.status.label()),
    ];
    cells.extend(record_cells(&r.record));
    cells
}

fn tracker_cells(v: &ViewingExportRow) -> Vec<Cell> {
    vec![
        Cell::Date(Some(v.day)),
        Cell::Time(v.start),
        Cell::Time(v.end),
        text(&v.reference),
        text(&v.subjects),
        text(&v.mosaic_ids),
        text(&v.items),
        text(&v.viewers),
        text(&v.viewer_org),
        text(v.method.label()),
        text(&v.supervisor),
        text(if v.supervised { "Yes" } else { "No" }),
        text(v.copies.to_string()),
    ]
}

fn event_cells(e: &Event) -> Vec<Cell> {
    vec![
        text(e.id.to_string()),
        text(&e.at),
        text(&e.login),
        text(&e.op),
        text(e.reference.clone().unwrap_or_default()),
        text(&e.before),
        text(&e.after),
        text(&e.hash),
    ]
}

/// A column is made as wide as the widest thing in it, up to this (in characters of
/// Excel's default font; a wide character counts two).
pub const MAX_COLUMN_WIDTH: usize = 60;

/// The sheets of an export, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Requests,
    Tracker,
    Events,
    DecisionRecord,
}

impl Sheet {
    /// The workbook tab.
    pub fn name(self) -> &'static str {
        match self {
            Sheet::Requests => "Requests",
            Sheet::Tracker => "Tracker",
            Sheet::Events => "Events",
            Sheet::DecisionRecord => "Decision record",
        }
    }

    /// The CSV file in the export's folder.
    pub fn csv_file(self) -> &'static str {
        match self {
            Sheet::Requests => "requests.csv",
            Sheet::Tracker => "tracker.csv",
            Sheet::Events => "events.csv",
            Sheet::DecisionRecord => "requests-decision-record.csv",
        }
    }

    fn headers(self) -> &'static [&'static str] {
        match self {
            Sheet::Requests => REQUEST_HEADERS,
            Sheet::Tracker => TRACKER_HEADERS,
            Sheet::Events => EVENT_HEADERS,
            Sheet::DecisionRecord => AUDIT_HEADERS,
        }
    }
}

/// One row of a sheet, as read from the database.
pub enum ExportRow<'a> {
    Request(&'a RequestExportRow),
    Viewing(&'a ViewingExportRow),
    Event(&'a Event),
    Decision(&'a RequestFile),
}

impl ExportRow<'_> {
    fn cells(&self) -> Vec<Cell> {
        match self {
            ExportRow::Request(r) => request_cells(r),
            ExportRow::Viewing(v) => tracker_cells(v),
            ExportRow::Event(e) => event_cells(e),
            ExportRow::Decision(f) => audit_cells(f),
        }
    }
}

/// Where an export is being written: one workbook, or a folder of CSV files.
pub struct ExportWriter {
    to: To,
}

enum To {
    Xlsx { book: Box<Workbook>, file: Pending, path: PathBuf, formats: Box<Formats> },
    Csv { dir: PathBuf, files: Vec<(Pending, PathBuf)> },
}

struct Formats {
    bold: Format,
    date: Format,
    time: Format,
}

fn xlsx_err(e: XlsxError) -> String {
    format!("could not build the workbook: {e}")
}

fn csv_err(e: impl std::fmt::Display) -> String {
    format!("could not write CSV: {e}")
}

impl ExportWriter {
    /// A workbook to be written at `path` (replacing what is there, once complete).
    pub fn xlsx(path: &Path) -> Result<ExportWriter, String> {
        let file = Pending::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut book = Workbook::new();
        // Level 1, the fastest: deflate was the largest single cost of a big export.
        // At 100,000 requests, a fifth faster than level 3 (alternately, 7.0 s against
        // 8.8 s) for a file 44% larger (45 MB against 31 MB); level 3 was itself a
        // fifth faster than the default 6 for a file a tenth larger.
        book.set_zip_compression_level(1);
        let formats = Formats {
            bold: Format::new().set_bold().set_align(FormatAlign::Left),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            time: Format::new().set_num_format("hh:mm"),
        };
        Ok(ExportWriter {
            to: To::Xlsx { book: Box::new(book), file, path: path.to_path_buf(), formats: Box::new(formats) },
        })
    }

    /// CSV files to be written into `dir` (created 0700 if missing).
    pub fn csv(dir: &Path) -> Result<ExportWriter, String> {
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        Ok(ExportWriter { to: To::Csv { dir: dir.to_path_buf(), files: Vec::new() } })
    }

    /// Starts the next sheet: its header row is written; rows follow through
    /// [`SheetWriter::write`], and [`SheetWriter::end`] closes it.
    pub fn sheet(&mut self, sheet: Sheet) -> Result<SheetWriter<'_>, String> {
        let headers = sheet.headers();
        let widths = headers.iter().map(|h| h.width() + 3).collect();
        let target = match &mut self.to {
            To::Xlsx { book, formats, .. } => {
                let ws = book.add_worksheet_with_constant_memory().map_err(xlsx_err)?;
                ws.set_name(sheet.name()).map_err(xlsx_err)?;
                ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
                for (c, h) in headers.iter().enumerate() {
                    ws.write_string_with_format(0, c as u16, *h, &formats.bold).map_err(xlsx_err)?;
                }
                Target::Xlsx { ws, formats }
            }
            To::Csv { dir, files } => {
                let path = dir.join(sheet.csv_file());
                let pending = Pending::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let mut out = BufWriter::with_capacity(256 * 1024, pending.file().map_err(csv_err)?);
                // The byte order mark tells Excel the file is UTF-8.
                out.write_all("\u{feff}".as_bytes()).map_err(csv_err)?;
                let mut w = csv::Writer::from_writer(out);
                w.write_record(headers).map_err(csv_err)?;
                files.push((pending, path));
                Target::Csv(Box::new(w))
            }
        };
        Ok(SheetWriter { target, rows: 0, widths })
    }

    /// Writes the workbook (or closes the CSV files) and puts every file in place;
    /// returns the files written.
    pub fn finish(self) -> Result<Vec<PathBuf>, String> {
        match self.to {
            To::Xlsx { mut book, file, path, .. } => {
                let out = BufWriter::with_capacity(256 * 1024, file.file().map_err(|e| e.to_string())?);
                book.save_to_writer(out).map_err(xlsx_err)?;
                drop(book);
                file.commit().map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(vec![path])
            }
            To::Csv { files, .. } => {
                let mut done = Vec::with_capacity(files.len());
                for (pending, path) in files {
                    pending.commit().map_err(|e| format!("{}: {e}", path.display()))?;
                    done.push(path);
                }
                Ok(done)
            }
        }
    }
}

enum Target<'w> {
    Xlsx { ws: &'w mut rust_xlsxwriter::Worksheet, formats: &'w Formats },
    Csv(Box<csv::Writer<BufWriter<std::fs::File>>>),
}

/// One sheet being written, a row at a time, in order.
pub struct SheetWriter<'w> {
    target: Target<'w>,
    rows: u32,
    /// The widest cell of each column so far (display width, header included).
    widths: Vec<usize>,
}

/// The display width of a text cell: its widest line.
fn width_of(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

impl SheetWriter<'_> {
    /// Writes the next row.
    pub fn write(&mut self, row: ExportRow<'_>) -> Result<(), String> {
        let cells = row.cells();
        self.rows += 1;
        let r = self.rows;
        for (c, cell) in cells.into_iter().enumerate() {
            let wide = match &cell {
                Cell::Text(s) => width_of(s),
                Cell::Date(Some(_)) => 10,
                Cell::Date(None) => 0,
                Cell::Time(_) => 5,
            };
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(wide + 1);
            }
            if let Target::Xlsx { ws, formats } = &mut self.target {
                let col = c as u16;
                match cell {
                    Cell::Text(s) if !s.is_empty() => {
                        ws.write_string(r, col, &s).map_err(xlsx_err)?;
                    }
                    Cell::Date(Some(d)) => {
                        ws.write_date_with_format(r, col, d, &formats.date).map_err(xlsx_err)?;
                    }
                    Cell::Time(t) => {
                        ws.write_time_with_format(r, col, t, &formats.time).map_err(xlsx_err)?;
                    }
                    _ => {}
                }
            } else if let Target::Csv(w) = &mut self.target {
                let field = match cell {
                    Cell::Text(s) => defuse(s),
                    Cell::Date(d) => d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                    Cell::Time(t) => t.format("%H:%M").to_string(),
                };
                w.write_field(field).map_err(csv_err)?;
            }
        }
        if let Target::Csv(w) = &mut self.target {
            w.write_record(None::<&[u8]>).map_err(csv_err)?;
        }
        Ok(())
    }

    /// Closes the sheet: column widths from what was written (the constant-memory
    /// writer puts a sheet's column widths and filter in the file when the workbook is
    /// saved, so they can be set after the rows), the header's filter over every row;
    /// returns how many rows it has.
    pub fn end(self) -> Result<u64, String> {
        match self.target {
            Target::Xlsx { ws, .. } => {
                for (c, w) in self.widths.iter().enumerate() {
                    ws.set_column_width(c as u16, (*w).clamp(8, MAX_COLUMN_WIDTH) as f64).map_err(xlsx_err)?;
                }
                let last_col = self.widths.len().saturating_sub(1) as u16;
                ws.autofilter(0, 0, self.rows, last_col).map_err(xlsx_err)?;
            }
            Target::Csv(mut w) => {
                w.flush().map_err(csv_err)?;
                let out = w.into_inner().map_err(|e| csv_err(e.error()))?;
                let file = out.into_inner().map_err(|e| csv_err(e.error()))?;
                file.sync_all().map_err(csv_err)?;
            }
        }
        Ok(u64::from(self.rows))
    }
}

/// A text cell that a spreadsheet program would run as a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return first) gets a leading apostrophe (OWASP CSV injection).
pub fn defuse(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s }
}
