//! Reading the council's spreadsheet (.xlsx through calamine, or .csv) into rows
//! of text, by a column mapping (the export's layout by default, or a TOML file),
//! and parsing each row into a checked record or a reason it is rejected.
//!
//! Nothing here touches the database: the service checks the rows that need it
//! (organisations, staff, duplicates) and writes everything in one transaction.
//! Each table carries the digest of the file it came from ([`source`]), so rows are
//! recognised by the file's content, sheet and row, never by the file's name.

mod source;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto_from_rs};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::export::{REQUEST_HEADERS, TRACKER_HEADERS};
use crate::domain::dates::parse_date;
use crate::domain::{Decision, Reference, RequestKind, ViewingMethod, text};
pub use source::MAX_UNPACKED;

/// The canonical fields of the requests tab, in the export's order of headers.
const REQUEST_FIELDS: &[&str] = &[
    "reference",
    "requester",
    "requester_role",
    "organisation",
    "child",
    "mosaic_id",
    "service_area",
    "format",
    "received",
    "form_sent",
    "form_returned",
    "approver",
    "approved_on",
    "decision",
    "completed",
    "kind",
    "status",
];
const REQUEST_REQUIRED: &[&str] = &["organisation", "received"];

/// The canonical fields of the tracker tab.
const TRACKER_FIELDS: &[&str] = &[
    "date",
    "start",
    "end",
    "reference",
    "child",
    "mosaic_id",
    "items",
    "viewers",
    "organisation",
    "method",
    "supervisor",
    "supervised",
    "copies",
];
const TRACKER_REQUIRED: &[&str] = &["date", "reference", "items", "viewers", "supervisor"];

/// Longest cell read, in characters: anything longer is rejected, not stored.
const MAX_CELL: usize = 4000;

/// Which sheet and which header holds each field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableMap {
    pub sheet: String,
    /// field → header in the sheet.
    pub columns: BTreeMap<String, String>,
}

/// A mapping file: `[requests]` and `[tracker]` tables.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Mapping {
    pub requests: TableMap,
    pub tracker: Option<TableMap>,
}

impl Default for Mapping {
    /// The layout `caseshare export` writes.
    fn default() -> Self {
        let table = |sheet: &str, fields: &[&str], headers: &[&str]| TableMap {
            sheet: sheet.to_string(),
            columns: fields.iter().zip(headers).map(|(f, h)| (f.to_string(), h.to_string())).collect(),
        };
        Mapping {
            requests: table("Requests", REQUEST_FIELDS, REQUEST_HEADERS),
            tracker: Some(table("Tracker", TRACKER_FIELDS, TRACKER_HEADERS)),
        }
    }
}

impl Mapping {
    /// Reads a mapping file; unknown fields are refused so a typo is not silently ignored.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let m: Mapping = toml::from_str(text).map_err(|e| format!("mapping file: {e}"))?;
        for (name, table, fields) in
            [("requests", Some(&m.requests), REQUEST_FIELDS), ("tracker", m.tracker.as_ref(), TRACKER_FIELDS)]
        {
            if let Some(t) = table
                && let Some(bad) = t.columns.keys().find(|k| !fields.contains(&k.as_str()))
            {
                return Err(format!(
                    "mapping file: [{name}.columns] has no field '{bad}' (fields: {})",
                    fields.join(", ")
                ));
            }
        }
        Ok(m)
    }
}

/// A sheet as text: header row and data rows (with their spreadsheet row numbers).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
    /// Cells holding formulas: (row number, header).
    pub formulas: Vec<(usize, String)>,
    /// SHA-256 (hex) of the file the table was read from.
    pub digest: String,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "Yes" } else { "No" }.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => match d.as_datetime() {
            Some(dt) if dt.time() == NaiveTime::MIN => dt.date().format("%Y-%m-%d").to_string(),
            Some(dt) if dt.date() == NaiveDate::from_ymd_opt(1899, 12, 31).unwrap_or_default() => {
                dt.time().format("%H:%M").to_string()
            }
            Some(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
            None => d.to_string(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERROR {e:?}"),
    }
}

fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads the named sheets of a workbook, or a CSV file (one table). A workbook whose
/// parts unpack past [`MAX_UNPACKED`] is refused before it is parsed.
pub fn read(path: &Path, sheets: &[&str]) -> Result<Vec<Table>, String> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| format!("{name}: {e}"))?;
    if meta.len() == 0 {
        return Err(format!("{name} is empty: nothing to import"));
    }
    if is_csv(path) {
        return read_csv(path).map(|t| vec![t]);
    }
    let file = source::read_file(path)?;
    source::check_unpacked(&name, &file.bytes, sheets)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(&file.bytes[..]))
        .map_err(|e| format!("{name} is not a readable spreadsheet (.xlsx or .csv): {e}"))?;
    let available = book.sheet_names();
    let mut out = Vec::new();
    for sheet in sheets {
        if !available.iter().any(|s| s == sheet) {
            continue;
        }
        let range = book.worksheet_range(sheet).map_err(|e| format!("{name}, sheet {sheet}: {e}"))?;
        let mut rows = range.rows();
        let headers: Vec<String> =
            rows.next().map(|r| r.iter().map(|c| cell_text(c).trim().to_string()).collect()).unwrap_or_default();
        let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let data: Vec<(usize, Vec<String>)> = rows
            .enumerate()
            .map(|(i, r)| (start + i + 2, r.iter().map(cell_text).collect::<Vec<_>>()))
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        let mut formulas = Vec::new();
        if let Ok(f) = book.worksheet_formula(sheet) {
            let (fr, fc) = f.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
            for (r, row) in f.rows().enumerate() {
                for (c, formula) in row.iter().enumerate() {
                    if !formula.is_empty() && fr + r > start {
                        let header = headers.get(fc + c).cloned().unwrap_or_default();
                        formulas.push((fr + r + 1, header));
                    }
                }
            }
        }
        out.push(Table { name: sheet.to_string(), headers, rows: data, formulas, digest: file.digest.clone() });
    }
    if out.is_empty() {
        return Err(format!(
            "{name} has none of the sheets {}; name the sheet with --sheet or a mapping file",
            sheets.join(", ")
        ));
    }
    Ok(out)
}

fn read_csv(path: &Path) -> Result<Table, String> {
    let name = path.display().to_string();
    let file = source::read_file(path)?;
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(&file.bytes[..]);
    let headers: Vec<String> =
        r.headers().map_err(|e| format!("{name}: {e}"))?.iter().map(|h| h.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("{name}, row {}: {e}", i + 2))?;
        let cells: Vec<String> = rec.iter().map(undefuse).collect();
        if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push((i + 2, cells));
        }
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    Ok(Table { name: stem, headers, rows, formulas: vec![], digest: file.digest })
}

/// Undoes the export's CSV formula defusing (`'=x` back to `=x`).
fn undefuse(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => s.to_string(),
    }
}

/// A row the import will not take, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub sheet: String,
    pub row: usize,
    pub reason: String,
}

/// Reads fields of a row by the mapping.
pub struct RowReader<'a> {
    pub sheet: &'a str,
    pub row: usize,
    cells: &'a [String],
    index: &'a BTreeMap<String, usize>,
    today: NaiveDate,
}

impl<'a> RowReader<'a> {
    fn raw(&self, field: &str) -> Result<String, String> {
        let v =
            self.index.get(field).and_then(|i| self.cells.get(*i)).map(|s| s.trim().to_string()).unwrap_or_default();
        if v.chars().count() > MAX_CELL {
            return Err(format!("{field}: the cell is too long ({} characters)", v.chars().count()));
        }
        Ok(v)
    }
    pub fn line(&self, field: &str) -> Result<String, String> {
        let v = self.raw(field)?;
        text::optional_line(field, &v).map_err(|e| e.to_string())
    }
    pub fn required(&self, field: &str, what: &str) -> Result<String, String> {
        let v = self.line(field)?;
        if v.is_empty() { Err(format!("missing {what}")) } else { Ok(v) }
    }
    pub fn date(&self, field: &str) -> Result<Option<NaiveDate>, String> {
        let v = self.raw(field)?;
        if v.is_empty() {
            return Ok(None);
        }
        // Dates read from a workbook may carry a time of midnight.
        let day = v.split(' ').next().unwrap_or(&v);
        parse_date(field, day, self.today).map(Some).map_err(|_| format!("bad date in {field}: '{}'", short(&v)))
    }
    pub fn time(&self, field: &str) -> Result<Option<NaiveTime>, String> {
        let v = self.raw(field)?;
        if v.is_empty() {
            return Ok(None);
        }
        NaiveTime::parse_from_str(&v, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(&v, "%H:%M:%S"))
            .map(Some)
            .map_err(|_| format!("bad time in {field}: '{}'", short(&v)))
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 30 { format!("{}…", s.chars().take(30).collect::<String>()) } else { s.to_string() }
}

/// Matches headers to fields; fails naming the required columns that are missing.
pub fn index(table: &Table, map: &TableMap, required: &[&str]) -> Result<BTreeMap<String, usize>, String> {
    let mut idx = BTreeMap::new();
    for (field, header) in &map.columns {
        if let Some(i) = table.headers.iter().position(|h| h.eq_ignore_ascii_case(header)) {
            idx.insert(field.clone(), i);
        }
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|f| !idx.contains_key(**f))
        .map(|f| map.columns.get(*f).cloned().unwrap_or_else(|| f.to_string()))
        .collect();
    if missing.is_empty() {
        Ok(idx)
    } else {
        Err(format!("sheet {} lacks the column(s) {}", table.name, missing.join(", ")))
    }
}

/// A request row, checked as far as it can be without the database.
#[derive(Debug, Clone)]
pub struct RequestRow {
    pub row: usize,
    pub reference: Option<Reference>,
    pub requester: String,
    pub requester_role: String,
    pub organisation: String,
    pub child: String,
    pub mosaic_id: String,
    pub service_area: String,
    pub format: String,
    pub received: NaiveDate,
    pub form_sent: Option<NaiveDate>,
    pub form_returned: Option<NaiveDate>,
    pub approver: String,
    pub approved_on: Option<NaiveDate>,
    pub decision: Option<Decision>,
    pub completed: Option<NaiveDate>,
    pub kind: Option<RequestKind>,
    /// The spreadsheet says the request was withdrawn.
    pub withdrawn: bool,
}

fn kind_from(label: &str) -> Result<Option<RequestKind>, String> {
    if label.is_empty() {
        return Ok(None);
    }
    RequestKind::ALL
        .iter()
        .copied()
        .find(|k| k.label().eq_ignore_ascii_case(label) || k.as_code().eq_ignore_ascii_case(label))
        .map(Some)
        .ok_or_else(|| format!("unknown type '{}'", short(label)))
}

fn decision_from(label: &str) -> Result<Option<Decision>, String> {
    if label.is_empty() {
        return Ok(None);
    }
    Decision::ALL
        .iter()
        .copied()
        .find(|d| d.label().eq_ignore_ascii_case(label) || d.as_code().eq_ignore_ascii_case(label))
        .map(Some)
        .ok_or_else(|| format!("unknown decision '{}' (Approved, Approved in part or Refused)", short(label)))
}

/// Parses one request row.
pub fn request_row(r: &RowReader) -> Result<RequestRow, String> {
    let reference = r.line("reference")?;
    let reference = match reference.as_str() {
        "" => None,
        text => Some(text.parse::<Reference>().map_err(|e| e.to_string())?),
    };
    let row = RequestRow {
        row: r.row,
        reference,
        requester: r.line("requester")?,
        requester_role: r.line("requester_role")?,
        organisation: r.required("organisation", "organisation")?,
        child: r.line("child")?,
        mosaic_id: r.line("mosaic_id")?,
        service_area: r.line("service_area")?,
        format: r.line("format")?,
        received: r.date("received")?.ok_or("missing date received")?,
        form_sent: r.date("form_sent")?,
        form_returned: r.date("form_returned")?,
        approver: r.line("approver")?,
        approved_on: r.date("approved_on")?,
        decision: decision_from(&r.line("decision")?)?,
        completed: r.date("completed")?,
        kind: kind_from(&r.line("kind")?)?,
        withdrawn: r.line("status")?.eq_ignore_ascii_case("withdrawn"),
    };
    let order = [
        ("date received", Some(row.received)),
        ("date form sent", row.form_sent),
        ("date form returned", row.form_returned),
        ("date of approval", row.approved_on),
        ("date request complete", row.completed),
    ];
    let mut last: Option<(&str, NaiveDate)> = None;
    for (name, d) in order {
        let Some(d) = d else { continue };
        if d > r.today {
            return Err(format!("{name} {} is in the future", crate::domain::dates::uk(d)));
        }
        if let Some((prev, pd)) = last
            && d < pd
        {
            return Err(format!(
                "{name} {} is before {prev} {}",
                crate::domain::dates::uk(d),
                crate::domain::dates::uk(pd)
            ));
        }
        last = Some((name, d));
    }
    if row.decision.is_some() != (row.approved_on.is_some() && !row.approver.is_empty()) {
        return Err("a decision needs its approver and date of approval, and they need a decision".into());
    }
    Ok(row)
}

/// A tracker row, checked as far as it can be without the database.
#[derive(Debug, Clone)]
pub struct ViewingRow {
    pub row: usize,
    /// The request's reference, in its canonical form.
    pub reference: String,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// (item number, description)
    pub items: Vec<(i64, String)>,
    pub viewers: String,
    pub organisation: String,
    pub method: ViewingMethod,
    pub supervisor: String,
    pub supervised: bool,
}

/// Parses "1. Core assessment; 2. Chronology".
pub fn parse_items(s: &str) -> Result<Vec<(i64, String)>, String> {
    let mut out = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (n, desc) =
            part.split_once(". ").ok_or_else(|| format!("item '{}' is not 'number. description'", short(part)))?;
        let n: i64 = n.trim().parse().map_err(|_| format!("item '{}' has no number", short(part)))?;
        let desc = text::line("item", desc).map_err(|e| e.to_string())?;
        out.push((n, desc));
    }
    if out.is_empty() {
        return Err("missing what was viewed".into());
    }
    Ok(out)
}

/// Parses one tracker row.
pub fn viewing_row(r: &RowReader) -> Result<ViewingRow, String> {
    let method_text = r.line("method")?;
    let method = ViewingMethod::ALL
        .iter()
        .copied()
        .find(|m| m.label().eq_ignore_ascii_case(&method_text) || m.as_code().eq_ignore_ascii_case(&method_text))
        .ok_or_else(|| format!("unknown method '{}'", short(&method_text)))?;
    let supervised = match r.line("supervised")?.to_ascii_lowercase().as_str() {
        "" | "yes" | "y" | "true" => true,
        "no" | "n" | "false" => false,
        other => return Err(format!("'supervised throughout' is '{}', not yes or no", short(other))),
    };
    let day = r.date("date")?.ok_or("missing date of the viewing")?;
    if day > r.today {
        return Err("the viewing date is in the future".into());
    }
    let start = r.time("start")?.unwrap_or(NaiveTime::MIN);
    let end = r.time("end")?.unwrap_or(start);
    if end < start {
        return Err("the viewing ends before it starts".into());
    }
    if r.line("copies")?.parse::<i64>().unwrap_or(0) > 0 {
        return Err(
            "copies were given, and the spreadsheet does not say of what or why: record this viewing by hand".into()
        );
    }
    Ok(ViewingRow {
        row: r.row,
        reference: r
            .required("reference", "request reference")?
            .parse::<Reference>()
            .map_err(|e| e.to_string())?
            .to_string(),
        day,
        start,
        end,
        items: parse_items(&r.raw("items")?)?,
        viewers: r.required("viewers", "viewer")?,
        organisation: r.line("organisation")?,
        method,
        supervisor: r.required("supervisor", "supervisor")?,
        supervised,
    })
}

/// Both tables read and parsed: good rows and rejected rows.
#[derive(Debug, Default)]
pub struct Parsed {
    pub requests: Vec<RequestRow>,
    pub viewings: Vec<ViewingRow>,
    pub rejected: Vec<Rejected>,
    /// The names the tables were read under (sheet, or CSV file name), for reports.
    pub request_sheet: String,
    pub tracker_sheet: String,
    /// SHA-256 (hex) of the files the tables were read from.
    pub request_digest: String,
    pub tracker_digest: String,
    /// The tables were CSV files: a file is one table, so its name is no part of
    /// where a row came from (the digest is).
    pub csv: bool,
}

/// Where an imported row came from, as recorded on it: `FILE:SHEET:ROW sha256:DIGEST`.
/// The file's name and the sheet (for a CSV file, its name) are for people; the
/// digest, the sheet of a workbook and the row are what identify it.
pub fn provenance(file: &str, sheet: &str, row: usize, digest: &str) -> String {
    format!("{file}:{sheet}:{row} sha256:{digest}")
}

/// The sheet (`None` for a CSV file) and row a provenance names, if it names a row of
/// the file whose digest is `digest`.
pub fn provenance_row(text: &str, digest: &str, csv: bool) -> Option<(Option<String>, usize)> {
    let place = text.strip_suffix(digest)?.strip_suffix(" sha256:")?;
    let (rest, row) = place.rsplit_once(':')?;
    let row = row.parse().ok()?;
    if csv {
        return Some((None, row));
    }
    // Sheet names cannot hold ':' (Excel refuses it), so the sheet is the last field.
    let (_, sheet) = rest.rsplit_once(':')?;
    Some((Some(sheet.to_string()), row))
}

/// Reads and parses a file by the mapping. File-level problems (unreadable, empty,
/// missing columns) are errors; row-level problems are rejections.
pub fn parse(path: &Path, mapping: &Mapping, today: NaiveDate) -> Result<Parsed, String> {
    let is_dir = path.is_dir();
    let tables: Vec<Table> = if is_dir {
        let mut t = Vec::new();
        for f in ["requests.csv", "tracker.csv"] {
            if path.join(f).exists() {
                t.push(read_csv(&path.join(f))?);
            }
        }
        t
    } else {
        let mut sheets = vec![mapping.requests.sheet.as_str()];
        if let Some(tr) = &mapping.tracker {
            sheets.push(tr.sheet.as_str());
        }
        read(path, &sheets)?
    };
    // A table is the tracker if it is named so or has the tracker's "what was viewed" column.
    let is_tracker = |t: &Table| {
        mapping.tracker.as_ref().is_some_and(|tr| {
            t.name.eq_ignore_ascii_case(&tr.sheet)
                || tr.columns.get("items").is_some_and(|h| t.headers.iter().any(|x| x.eq_ignore_ascii_case(h)))
        })
    };
    let mut out = Parsed { csv: is_dir || is_csv(path), ..Parsed::default() };
    let mut found_requests = false;
    for t in &tables {
        let (map, required, requests) = match (&mapping.tracker, is_tracker(t)) {
            (Some(tr), true) => (tr, TRACKER_REQUIRED, false),
            _ => (&mapping.requests, REQUEST_REQUIRED, true),
        };
        let idx = index(t, map, required)?;
        found_requests |= requests;
        if requests {
            out.request_sheet = t.name.clone();
            out.request_digest = t.digest.clone();
        } else {
            out.tracker_sheet = t.name.clone();
            out.tracker_digest = t.digest.clone();
        }
        for (row, header) in &t.formulas {
            out.rejected.push(Rejected {
                sheet: t.name.clone(),
                row: *row,
                reason: format!("column {header} holds a formula: paste values instead"),
            });
        }
        for (row, cells) in &t.rows {
            if t.formulas.iter().any(|(r, _)| r == row) {
                continue;
            }
            let reader = RowReader { sheet: &t.name, row: *row, cells, index: &idx, today };
            let result = if requests {
                request_row(&reader).map(|r| out.requests.push(r))
            } else {
                viewing_row(&reader).map(|v| out.viewings.push(v))
            };
            if let Err(reason) = result {
                out.rejected.push(Rejected { sheet: t.name.clone(), row: *row, reason });
            }
        }
    }
    if !found_requests {
        return Err(format!("no requests sheet ({}) found: nothing to import", mapping.requests.sheet));
    }
    if out.requests.is_empty() && out.rejected.is_empty() {
        return Err("the file has no request rows: nothing to import".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_parse_and_refuse_what_is_not_an_item() {
        assert_eq!(
            parse_items("1. Core assessment; 2. Chronology").unwrap(),
            vec![(1, "Core assessment".into()), (2, "Chronology".into())]
        );
        assert!(parse_items("Core assessment").is_err());
        assert!(parse_items("").is_err());
    }

    #[test]
    fn a_provenance_names_its_row_only_for_the_file_with_its_digest() {
        let at = provenance("in:old.xlsx", "Requests 2025", 7, "ab12");
        assert_eq!(at, "in:old.xlsx:Requests 2025:7 sha256:ab12");
        assert_eq!(provenance_row(&at, "ab12", false), Some((Some("Requests 2025".into()), 7)));
        assert_eq!(provenance_row(&at, "ab12", true), Some((None, 7)));
        assert_eq!(provenance_row(&at, "cd34", false), None);
        assert_eq!(provenance_row("old.xlsx:Requests:7", "ab12", false), None);
    }

    #[test]
    fn the_default_mapping_is_the_export_layout_and_mapping_files_are_checked() {
        let m = Mapping::default();
        assert_eq!(m.requests.columns["received"], "Date received");
        let custom = "[requests]\nsheet = \"Log\"\n[requests.columns]\norganisation = \"LA\"\nreceived = \"Date in\"\n";
        assert_eq!(Mapping::from_toml(custom).unwrap().requests.sheet, "Log");
        let typo = "[requests]\nsheet = \"Log\"\n[requests.columns]\norganisaton = \"LA\"\n";
        assert!(Mapping::from_toml(typo).unwrap_err().contains("no field 'organisaton'"));
    }
}
