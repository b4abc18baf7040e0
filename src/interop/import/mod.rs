//! Reading the council's spreadsheet (.xlsx through calamine, or .csv) into rows
//! of text, by a column mapping (the export's layout by default, or a TOML file),
//! and parsing each row into a checked record or a reason it is rejected.
//!
//! Nothing here touches the database: the service checks the rows that need it
//! (organisations, staff, duplicates) and writes everything in one transaction.
//! Each table carries the digest of the file it came from ([`source`]), so rows are
//! recognised by the file's content, sheet and row, never by the file's name.

mod mapping;
pub mod proposals;
mod rows;
mod sheet;
mod source;

use std::path::Path;

use chrono::NaiveDate;

pub use mapping::{Defaults, Mapping, TableMap};
use mapping::{REQUEST_REQUIRED, TRACKER_REQUIRED};
pub use rows::*;
pub use sheet::{Table, read};
use sheet::{is_csv, read_csv};
pub use source::MAX_UNPACKED;

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
                viewing_row(&reader, mapping.defaults.supervised).map(|v| out.viewings.push(v))
            };
            if let Err(reasons) = result {
                for reason in reasons {
                    out.rejected.push(Rejected { sheet: t.name.clone(), row: *row, reason });
                }
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
            vec![(Some(1), "Core assessment".into()), (Some(2), "Chronology".into())]
        );
        // A council's tracker names what was viewed without numbers.
        assert_eq!(
            parse_items("Core assessment; Chronology").unwrap(),
            vec![(None, "Core assessment".into()), (None, "Chronology".into())]
        );
        assert!(parse_items("").is_err());
        assert!(parse_items(" ; ").is_err());
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
