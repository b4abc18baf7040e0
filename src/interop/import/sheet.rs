//! A sheet read as text: .xlsx through calamine, or .csv, with formulas noted and
//! spreadsheet row numbers kept.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto_from_rs};
use chrono::{NaiveDate, NaiveTime};

use super::source;

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

pub(super) fn cell_text(d: &Data) -> String {
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

pub(super) fn is_csv(path: &Path) -> bool {
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

pub(super) fn read_csv(path: &Path) -> Result<Table, String> {
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
pub(super) fn undefuse(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => s.to_string(),
    }
}
