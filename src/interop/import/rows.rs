//! One row of text parsed into a checked record (a request, a viewing) or the
//! reason it is rejected.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::mapping::TableMap;
use super::sheet::Table;
use crate::domain::dates::parse_date;
use crate::domain::{Decision, Format, Reference, RequestKind, ViewingMethod, text};

/// Longest cell read, in characters: anything longer is rejected, not stored.
pub(super) const MAX_CELL: usize = 4000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub sheet: String,
    pub row: usize,
    pub reason: String,
}

impl Rejected {
    /// The kind of problem, for the grouped summary: the reason without what is
    /// particular to its row (quoted values, numbers, dates, references).
    pub fn kind(&self) -> String {
        problem_kind(&self.reason)
    }
}

/// A reason with its particulars taken out: cut at the first quotation or colon
/// (a refusal keeps its rule), and words holding digits left out.
pub fn problem_kind(reason: &str) -> String {
    let cut = if reason.starts_with("refused (") {
        reason.find("):").map(|i| i + 1).unwrap_or(reason.len())
    } else {
        reason.find([':', '\'']).unwrap_or(reason.len())
    };
    reason[..cut].split_whitespace().filter(|w| !w.chars().any(|c| c.is_ascii_digit())).collect::<Vec<_>>().join(" ")
}

/// Every problem a row has, not only its first.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<String>);

impl Problems {
    /// The value, or its default with the problem noted.
    pub fn take<T: Default>(&mut self, r: Result<T, String>) -> T {
        match r {
            Ok(v) => v,
            Err(e) => {
                self.0.push(e);
                T::default()
            }
        }
    }
    pub fn push(&mut self, e: impl Into<String>) {
        self.0.push(e.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
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
    /// As written ("Paper & digital"), read tolerantly ([`format_from`]).
    pub format: Option<Format>,
    pub received: NaiveDate,
    pub form_sent: Option<NaiveDate>,
    pub form_returned: Option<NaiveDate>,
    pub approver: String,
    pub approved_on: Option<NaiveDate>,
    /// The decision column, or Approved when the row has a date of approval and no
    /// decision (a council's workbook records only when it was approved).
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

/// The format as a council writes it: "Paper", "Physical", "Paper & digital",
/// "Both", "Digital only", "Electronic", "Mosaic"… An unknown one is refused with
/// what is understood.
pub fn format_from(label: &str) -> Result<Option<Format>, String> {
    if label.trim().is_empty() {
        return Ok(None);
    }
    let l = label.to_lowercase();
    if let Some(f) =
        Format::ALL.iter().find(|f| f.as_code() == l.trim() || f.label().eq_ignore_ascii_case(label.trim()))
    {
        return Ok(Some(*f));
    }
    let words: Vec<&str> = l.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |ws: &[&str]| words.iter().any(|w| ws.contains(w));
    let paper = has(&["paper", "physical", "hard", "hardcopy", "file", "files", "printed"]);
    let digital = has(&["digital", "electronic", "screen", "mosaic", "online", "teams"]);
    match (paper, digital, has(&["both"])) {
        (true, true, _) | (_, _, true) => Ok(Some(Format::Both)),
        (true, false, false) => Ok(Some(Format::Paper)),
        (false, true, false) => Ok(Some(Format::Digital)),
        _ => Err(format!(
            "unknown format '{}': write paper, digital or both (e.g. \"Paper\", \"Digital only\", \"Paper & digital\")",
            short(label)
        )),
    }
}

/// How a viewing was done, as a council writes it: "In person, paper", "Paper",
/// "In person - screen", "Screen", "Teams", "MS Teams"… An unknown one is refused
/// with what is understood.
pub fn method_from(label: &str) -> Result<ViewingMethod, String> {
    if let Some(m) = ViewingMethod::ALL
        .iter()
        .copied()
        .find(|m| m.label().eq_ignore_ascii_case(label.trim()) || m.as_code().eq_ignore_ascii_case(label.trim()))
    {
        return Ok(m);
    }
    let l = label.to_lowercase();
    let words: Vec<&str> = l.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |w: &str| words.contains(&w);
    if has("teams") {
        Ok(ViewingMethod::TeamsScreenShare)
    } else if has("screen") || has("laptop") || has("digital") {
        Ok(ViewingMethod::InPersonScreen)
    } else if has("paper") || has("physical") || (has("in") && has("person")) {
        Ok(ViewingMethod::InPersonPaper)
    } else {
        Err(format!("unknown method '{}': write in person paper, in person screen or Teams screen share", short(label)))
    }
}

/// Parses one request row, noting every problem it has.
pub fn request_row(r: &RowReader) -> Result<RequestRow, Vec<String>> {
    let mut p = Problems::default();
    let reference = p.take(r.line("reference"));
    let reference = match reference.as_str() {
        "" => None,
        text => p.take(text.parse::<Reference>().map(Some).map_err(|e| e.to_string())),
    };
    let received = p.take(r.date("received"));
    if received.is_none() && !p.0.iter().any(|e| e.contains(" in received")) {
        p.push("missing date received");
    }
    let approved_on = p.take(r.date("approved_on"));
    let approver = p.take(r.line("approver"));
    let decision_text = p.take(r.line("decision"));
    let decision = p.take(decision_from(&decision_text));
    let decision = decision.or_else(|| approved_on.map(|_| Decision::Approved));
    let row = RequestRow {
        row: r.row,
        reference,
        requester: p.take(r.line("requester")),
        requester_role: p.take(r.line("requester_role")),
        organisation: p.take(r.required("organisation", "organisation")),
        child: p.take(r.line("child")),
        mosaic_id: p.take(r.line("mosaic_id")),
        service_area: p.take(r.line("service_area")),
        format: p.take(r.line("format").and_then(|f| format_from(&f))),
        received: received.unwrap_or_default(),
        form_sent: p.take(r.date("form_sent")),
        form_returned: p.take(r.date("form_returned")),
        approver,
        approved_on,
        decision,
        completed: p.take(r.date("completed")),
        kind: p.take(r.line("kind").and_then(|k| kind_from(&k))),
        withdrawn: p.take(r.line("status")).eq_ignore_ascii_case("withdrawn"),
    };
    let order = [
        ("date received", received),
        ("date form sent", row.form_sent),
        ("date form returned", row.form_returned),
        ("date of approval", row.approved_on),
        ("date request complete", row.completed),
    ];
    let mut last: Option<(&str, NaiveDate)> = None;
    for (name, d) in order {
        let Some(d) = d else { continue };
        if d > r.today {
            p.push(format!("{name} {} is in the future", crate::domain::dates::uk(d)));
        }
        if let Some((prev, pd)) = last
            && d < pd
        {
            p.push(format!("{name} {} is before {prev} {}", crate::domain::dates::uk(d), crate::domain::dates::uk(pd)));
        }
        last = Some((name, d));
    }
    if row.decision.is_some() && row.approved_on.is_none() {
        p.push("a decision needs its date of approval");
    }
    if row.decision.is_some() && row.approver.is_empty() {
        p.push("a decision (or a date of approval) needs its approver: name the asset owner who decided");
    }
    if p.is_empty() { Ok(row) } else { Err(p.0) }
}

/// A tracker row, checked as far as it can be without the database.
#[derive(Debug, Clone)]
pub struct ViewingRow {
    pub row: usize,
    /// The request's reference, in its canonical form, when the tracker has one;
    /// otherwise the row is matched to its request by child, organisation and date.
    pub reference: Option<String>,
    /// The child (or children) whose files were viewed, for matching.
    pub child: String,
    pub mosaic_id: String,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// (item number if the tracker numbers it, description)
    pub items: Vec<(Option<i64>, String)>,
    pub viewers: String,
    pub organisation: String,
    pub method: ViewingMethod,
    /// Empty when the tracker does not say (recorded as not recorded, never guessed).
    pub supervisor: String,
    pub supervised: bool,
    /// `supervised` is the mapping's statement, not the row's.
    pub supervised_as_stated: bool,
}

/// Parses "1. Core assessment; 2. Chronology", or, as a council's tracker often
/// has it, "Core assessment; Chronology" (numbered later, per request).
pub fn parse_items(s: &str) -> Result<Vec<(Option<i64>, String)>, String> {
    let mut out = Vec::new();
    for part in s.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let numbered = part.split_once(". ").and_then(|(n, d)| n.trim().parse::<i64>().ok().map(|n| (n, d)));
        let (n, desc) = match numbered {
            Some((n, d)) => (Some(n), d),
            None => (None, part),
        };
        let desc = text::line("item", desc).map_err(|e| e.to_string())?;
        out.push((n, desc));
    }
    if out.is_empty() {
        return Err("missing what was viewed".into());
    }
    Ok(out)
}

/// Parses one tracker row, noting every problem it has. `supervised`: the
/// mapping's `[defaults] supervised`, for a row that does not say.
pub fn viewing_row(r: &RowReader, supervised: Option<bool>) -> Result<ViewingRow, Vec<String>> {
    let default_supervised = supervised;
    let mut p = Problems::default();
    let method =
        p.take(r.line("method").and_then(|m| method_from(&m).map(Some))).unwrap_or(ViewingMethod::InPersonPaper);
    let said = p.take(r.line("supervised")).to_ascii_lowercase();
    let supervised_as_stated = said.is_empty();
    let supervised = match said.as_str() {
        "" => default_supervised.unwrap_or_else(|| {
            p.push(
                "whether it was supervised throughout is not recorded: add the column, or state the council's practice \
                 in the mapping ([defaults] supervised = true or false)",
            );
            true
        }),
        "yes" | "y" | "true" => true,
        "no" | "n" | "false" => false,
        other => {
            p.push(format!("'supervised throughout' is '{}', not yes or no", short(other)));
            true
        }
    };
    let day = p.take(r.date("date"));
    if day.is_none() && !p.0.iter().any(|e| e.contains(" in date")) {
        p.push("missing date of the viewing");
    }
    if day.is_some_and(|d| d > r.today) {
        p.push("the viewing date is in the future");
    }
    let start = p.take(r.time("start")).unwrap_or(NaiveTime::MIN);
    let end = p.take(r.time("end")).unwrap_or(start);
    if end < start {
        p.push("the viewing ends before it starts");
    }
    if p.take(r.line("copies")).parse::<i64>().unwrap_or(0) > 0 {
        p.push("copies were given, and the spreadsheet does not say of what or why: record this viewing by hand");
    }
    let reference = match p.take(r.line("reference")).as_str() {
        "" => None,
        text => p.take(text.parse::<Reference>().map(|r| Some(r.to_string())).map_err(|e| e.to_string())),
    };
    let child = p.take(r.line("child"));
    let mosaic_id = p.take(r.line("mosaic_id"));
    if reference.is_none() && child.is_empty() && mosaic_id.is_empty() {
        p.push("no request reference and no child to match the viewing to its request by");
    }
    let row = ViewingRow {
        row: r.row,
        reference,
        child,
        mosaic_id,
        day: day.unwrap_or_default(),
        start,
        end,
        items: p.take(r.raw("items").and_then(|i| parse_items(&i))),
        viewers: p.take(r.required("viewers", "viewer")),
        organisation: p.take(r.line("organisation")),
        method,
        supervisor: p.take(r.line("supervisor")),
        supervised,
        supervised_as_stated,
    };
    if p.is_empty() { Ok(row) } else { Err(p.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_councils_write_them_are_read_and_others_refused() {
        for (written, format) in [
            ("Paper & digital", Format::Both),
            ("paper and electronic", Format::Both),
            ("Both", Format::Both),
            ("paper", Format::Paper),
            ("Physical files", Format::Paper),
            ("Hard copy", Format::Paper),
            ("Digital only", Format::Digital),
            ("Mosaic", Format::Digital),
            ("Physical and digital", Format::Both),
            ("digital", Format::Digital),
        ] {
            assert_eq!(format_from(written), Ok(Some(format)), "{written}");
        }
        assert_eq!(format_from("  "), Ok(None));
        let e = format_from("carrier pigeon").unwrap_err();
        assert!(e.starts_with("unknown format 'carrier pigeon': write paper, digital or both"), "{e}");
    }

    #[test]
    fn methods_as_councils_write_them_are_read_and_others_refused() {
        for (written, method) in [
            ("In person", ViewingMethod::InPersonPaper),
            ("in person - paper", ViewingMethod::InPersonPaper),
            ("Paper", ViewingMethod::InPersonPaper),
            ("In person, screen", ViewingMethod::InPersonScreen),
            ("Screen", ViewingMethod::InPersonScreen),
            ("MS Teams", ViewingMethod::TeamsScreenShare),
            ("teams_screen_share", ViewingMethod::TeamsScreenShare),
        ] {
            assert_eq!(method_from(written), Ok(method), "{written}");
        }
        assert!(method_from("by post").unwrap_err().starts_with("unknown method 'by post'"));
    }

    #[test]
    fn a_problem_s_kind_leaves_out_what_is_particular_to_its_row() {
        assert_eq!(problem_kind("bad date in received: '31/02/2025'"), "bad date in received");
        assert_eq!(
            problem_kind("date of approval 05/10/2025 is before date received 06/10/2025"),
            "date of approval is before date received"
        );
        assert_eq!(
            problem_kind("refused (asset owner): Dee Imaginary is not the asset owner"),
            "refused (asset owner)"
        );
        assert_eq!(problem_kind("REQ-2025-0001 appears twice in the file"), "appears twice in the file");
        assert_ne!(problem_kind("missing requester"), problem_kind("missing the child's name"));
    }

    fn reader_row(cells: &[(&str, &str)]) -> Result<RequestRow, Vec<String>> {
        let index: BTreeMap<String, usize> = cells.iter().enumerate().map(|(i, (f, _))| (f.to_string(), i)).collect();
        let values: Vec<String> = cells.iter().map(|(_, v)| v.to_string()).collect();
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        request_row(&RowReader { sheet: "Requests", row: 2, cells: &values, index: &index, today })
    }

    #[test]
    fn an_approval_date_without_a_decision_means_approved_and_needs_its_approver() {
        let base = [("organisation", "Exampleshire CC"), ("received", "01/02/2025"), ("approved_on", "05/02/2025")];
        let row = reader_row(&[base[0], base[1], base[2], ("approver", "Dee Imaginary")]).unwrap();
        assert_eq!(row.decision, Some(Decision::Approved));
        assert_eq!(row.approved_on, NaiveDate::from_ymd_opt(2025, 2, 5));
        let e = reader_row(&base).unwrap_err();
        assert!(e.iter().any(|p| p.contains("needs its approver")), "{e:?}");
        // No approval date: no decision.
        assert_eq!(reader_row(&base[..2]).unwrap().decision, None);
    }

    #[test]
    fn every_problem_of_a_row_is_noted_not_only_the_first() {
        let e = reader_row(&[
            ("organisation", ""),
            ("received", "31/02/2025"),
            ("format", "pigeon"),
            ("decision", "maybe"),
        ])
        .unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
    }
}
