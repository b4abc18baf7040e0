//! One row of text parsed into a checked record (a request, a viewing) or the
//! reason it is rejected.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::mapping::TableMap;
use super::sheet::Table;
use crate::domain::dates::parse_date;
use crate::domain::{Decision, Reference, RequestKind, ViewingMethod, text};

/// Longest cell read, in characters: anything longer is rejected, not stored.
pub(super) const MAX_CELL: usize = 4000;

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
    pub(super) cells: &'a [String],
    pub(super) index: &'a BTreeMap<String, usize>,
    pub(super) today: NaiveDate,
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

pub(super) fn short(s: &str) -> String {
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

pub(super) fn kind_from(label: &str) -> Result<Option<RequestKind>, String> {
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

pub(super) fn decision_from(label: &str) -> Result<Option<Decision>, String> {
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
