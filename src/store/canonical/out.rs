//! The writer the canonical text is made with: JSON copied value by value from a
//! row, each only where it is already spelt as the application spells it (else the
//! whole text is given up, and the request is compared the slow way).

use std::io::Write;

use chrono::{NaiveDate, NaiveTime};
use rusqlite::Row;
use rusqlite::types::ValueRef;

use crate::domain::Guidance;
use crate::store::requests as rq;

/// JSON being written, and whether every value so far was spelt as the application
/// spells it.
pub(super) struct Out {
    pub(super) bytes: Vec<u8>,
    pub(super) ok: bool,
}

impl Default for Out {
    fn default() -> Self {
        Out { bytes: Vec::new(), ok: true }
    }
}

impl Out {
    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.ok = true;
    }
    pub(super) fn raw(&mut self, b: &[u8]) {
        self.bytes.extend_from_slice(b);
    }
    pub(super) fn take(&mut self, other: &Out) {
        self.ok &= other.ok;
        self.raw(&other.bytes);
    }
    pub(super) fn int(&mut self, r: &Row, i: usize) {
        match r.get_ref(i) {
            Ok(ValueRef::Integer(n)) => {
                let _ = write!(self.bytes, "{n}");
            }
            _ => self.ok = false,
        }
    }
    pub(super) fn int_opt(&mut self, r: &Row, i: usize) {
        match r.get_ref(i) {
            Ok(ValueRef::Null) => self.raw(b"null"),
            _ => self.int(r, i),
        }
    }
    /// A boolean column as `rusqlite` reads it: an integer, true when not 0.
    pub(super) fn boolean(&mut self, r: &Row, i: usize) {
        match r.get_ref(i) {
            Ok(ValueRef::Integer(n)) => self.raw(if n != 0 { b"true" } else { b"false" }),
            _ => self.ok = false,
        }
    }
    pub(super) fn bool_opt(&mut self, r: &Row, i: usize) {
        match r.get_ref(i) {
            Ok(ValueRef::Null) => self.raw(b"null"),
            _ => self.boolean(r, i),
        }
    }
    pub(super) fn str_at<'r>(&mut self, r: &'r Row, i: usize) -> Option<&'r str> {
        let s = match r.get_ref(i) {
            Ok(ValueRef::Text(t)) => std::str::from_utf8(t).ok(),
            _ => None,
        };
        if s.is_none() {
            self.ok = false;
        }
        s
    }
    pub(super) fn quoted(&mut self, s: &str) {
        serde_json::to_writer(&mut self.bytes, s).expect("a string serialises");
    }
    pub(super) fn text(&mut self, r: &Row, i: usize) {
        if let Some(s) = self.str_at(r, i) {
            self.quoted(s);
        }
    }
    /// The guidance codes stored comma-separated, as a list of codes.
    pub(super) fn guidance(&mut self, r: &Row, i: usize) {
        let Some(s) = self.str_at(r, i) else { return };
        self.raw(b"[");
        for (n, c) in s.split(',').filter(|c| !c.is_empty()).enumerate() {
            if n > 0 {
                self.raw(b",");
            }
            if Guidance::ALL.iter().any(|g| g.as_code() == c) {
                self.quoted(c);
            } else {
                self.ok = false;
            }
        }
        self.raw(b"]");
    }
    /// The confirmed questions, stored as a JSON array of text, written as
    /// `serde_json` writes it.
    pub(super) fn confirmed(&mut self, r: &Row, i: usize) {
        let Some(s) = self.str_at(r, i) else { return };
        match serde_json::from_str::<Vec<String>>(s) {
            Ok(list) => serde_json::to_writer(&mut self.bytes, &list).expect("text serialises"),
            Err(_) => self.ok = false,
        }
    }
    pub(super) fn text_opt(&mut self, r: &Row, i: usize) {
        match r.get_ref(i) {
            Ok(ValueRef::Null) => self.raw(b"null"),
            _ => self.text(r, i),
        }
    }
    /// Text that is only written when `canonical` holds for it (a date, a time, a code).
    pub(super) fn checked(&mut self, r: &Row, i: usize, canonical: fn(&str) -> bool) {
        if let Some(s) = self.str_at(r, i) {
            if canonical(s) {
                self.quoted(s);
            } else {
                self.ok = false;
            }
        }
    }
    pub(super) fn checked_opt(&mut self, r: &Row, i: usize, canonical: fn(&str) -> bool) {
        match r.get_ref(i) {
            Ok(ValueRef::Null) => self.raw(b"null"),
            _ => self.checked(r, i, canonical),
        }
    }
    pub(super) fn date(&mut self, r: &Row, i: usize) {
        self.checked(r, i, is_date);
    }
    pub(super) fn date_opt(&mut self, r: &Row, i: usize) {
        self.checked_opt(r, i, is_date);
    }
    pub(super) fn time(&mut self, r: &Row, i: usize) {
        self.checked(r, i, is_time);
    }
    /// A viewing's downloads column, written only when it is the list's own text.
    pub(super) fn downloads(&mut self, r: &Row, i: usize) {
        match r.get_ref(i) {
            Ok(ValueRef::Null) => self.raw(b"null"),
            _ => {
                if let Some(s) = self.str_at(r, i) {
                    match rq::downloads_from(s).map(|d| rq::downloads_text(&d)) {
                        Some(text) if text == s => self.raw(s.as_bytes()),
                        _ => self.ok = false,
                    }
                }
            }
        }
    }
    /// A staff member's four columns from `at`, as a `StaffRef`.
    pub(super) fn staff(&mut self, r: &Row, at: usize) {
        self.raw(b"{\"id\":");
        self.int(r, at);
        self.raw(b",\"login\":");
        self.text(r, at + 1);
        self.raw(b",\"name\":");
        self.text(r, at + 2);
        self.raw(b",\"position\":");
        self.text(r, at + 3);
        self.raw(b"}");
    }
}

/// Two digits at `at` as a number.
fn two(b: &[u8], at: usize) -> Option<u32> {
    let (x, y) = (*b.get(at)?, *b.get(at + 1)?);
    (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
}

/// `YYYY-MM-DD`, a day of the calendar: what a `NaiveDate` reads from and writes.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (two(b, 0), two(b, 2), two(b, 5), two(b, 8)) {
        (Some(c), Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt((c * 100 + y) as i32, m, d).is_some(),
        _ => false,
    }
}

/// `HH:MM:SS`, a time of day: what a `NaiveTime` reads from and writes.
fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    match (two(b, 0), two(b, 3), two(b, 6)) {
        (Some(h), Some(m), Some(sec)) => NaiveTime::from_hms_opt(h, m, sec).is_some(),
        _ => false,
    }
}
