//! Writing the Requests and Tracker sheets (and the Events sheet with `--with-log`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::audit::{AUDIT_HEADERS, audit_cells};
use super::write_private;
use crate::domain::RequestFile;
use crate::domain::{
    AgreementAnswer, Art6Basis, Art9Gateway, ConsentNotObtained, ControllerRelationship, Decision, Guidance,
    Sch1Condition, StatutoryPower,
};
use crate::store::events::Event;
use crate::store::lists::{DecisionRecordCells, RequestExportRow, TrackerRow};

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

pub const EVENT_HEADERS: &[&str] =
    &["Event", "When (UTC)", "Login", "Operation", "Reference", "Before", "After", "Hash"];

/// Everything an export writes.
#[derive(Debug, Clone, Default)]
pub struct ExportData {
    pub requests: Vec<RequestExportRow>,
    pub viewings: Vec<TrackerRow>,
    pub events: Option<Vec<Event>>,
    /// With `--audit`: the requests whole, for the Decision record sheet.
    pub audit: Option<Vec<RequestFile>>,
}

/// A cell: text or a real date.
pub(super) enum Cell {
    Text(String),
    Date(Option<NaiveDate>),
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

fn tracker_cells(v: &TrackerRow) -> Vec<Cell> {
    vec![
        Cell::Date(Some(v.day)),
        text(v.start.format("%H:%M").to_string()),
        text(v.end.format("%H:%M").to_string()),
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

/// One sheet, written row by row in constant-memory mode (rows go to an unnamed,
/// private temporary file rather than being held in memory), so that exporting
/// 100,000 requests stays quick and small.
fn sheet<I>(book: &mut Workbook, name: &str, headers: &[&str], rows: I) -> Result<(), XlsxError>
where
    I: ExactSizeIterator<Item = Vec<Cell>>,
{
    let bold = Format::new().set_bold().set_align(FormatAlign::Left);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws: &mut Worksheet = book.add_worksheet_with_constant_memory()?;
    ws.set_name(name)?;
    let last = rows.len() as u32;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last, headers.len() as u16 - 1)?;
    for (c, h) in headers.iter().enumerate() {
        ws.set_column_width(c as u16, (h.len() + 4).max(12) as f64)?;
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, cells) in rows.enumerate() {
        let row = r as u32 + 1;
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(s) if !s.is_empty() => {
                    ws.write_string(row, c as u16, s)?;
                }
                Cell::Date(Some(d)) => {
                    ws.write_date_with_format(row, c as u16, *d, &date)?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Writes one workbook: Requests, Tracker and (optionally) Events and Decision record sheets.
pub fn write_xlsx(path: &Path, data: &ExportData) -> Result<(), String> {
    let mut book = Workbook::new();
    // Level 3 rather than 6: a fifth faster to write 100,000 requests, for a file
    // about a tenth larger.
    book.set_zip_compression_level(3);
    let build = |book: &mut Workbook| -> Result<Vec<u8>, XlsxError> {
        sheet(book, "Requests", REQUEST_HEADERS, data.requests.iter().map(request_cells))?;
        sheet(book, "Tracker", TRACKER_HEADERS, data.viewings.iter().map(tracker_cells))?;
        if let Some(events) = &data.events {
            sheet(book, "Events", EVENT_HEADERS, events.iter().map(event_cells))?;
        }
        if let Some(files) = &data.audit {
            sheet(book, "Decision record", AUDIT_HEADERS, files.iter().map(audit_cells))?;
        }
        book.save_to_buffer()
    };
    let bytes = build(&mut book).map_err(|e| format!("could not build the workbook: {e}"))?;
    write_private(path, &bytes)
}

fn csv_bytes(headers: &[&str], rows: Vec<Vec<Cell>>) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| format!("could not write CSV: {e}");
    w.write_record(headers).map_err(err)?;
    for cells in rows {
        let record: Vec<String> = cells
            .into_iter()
            .map(|c| match c {
                Cell::Text(s) => defuse(s),
                Cell::Date(d) => d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
            })
            .collect();
        w.write_record(&record).map_err(err)?;
    }
    w.into_inner().map_err(|e| format!("could not write CSV: {e}"))
}

/// A text cell that a spreadsheet program would run as a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return first) gets a leading apostrophe (OWASP CSV injection).
pub fn defuse(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s }
}

/// Writes `requests.csv`, `tracker.csv` (and `events.csv`, `requests-decision-record.csv`)
/// into `dir`, creating it.
pub fn write_csv(dir: &Path, data: &ExportData) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut files = vec![
        (dir.join("requests.csv"), csv_bytes(REQUEST_HEADERS, data.requests.iter().map(request_cells).collect())?),
        (dir.join("tracker.csv"), csv_bytes(TRACKER_HEADERS, data.viewings.iter().map(tracker_cells).collect())?),
    ];
    if let Some(events) = &data.events {
        files.push((dir.join("events.csv"), csv_bytes(EVENT_HEADERS, events.iter().map(event_cells).collect())?));
    }
    if let Some(audit) = &data.audit {
        let bytes = csv_bytes(AUDIT_HEADERS, audit.iter().map(audit_cells).collect())?;
        files.push((dir.join("requests-decision-record.csv"), bytes));
    }
    for (path, bytes) in &files {
        write_private(path, bytes)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
