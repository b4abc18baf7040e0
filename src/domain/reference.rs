//! A request's human reference, `REQ-YYYY-NNNN`: the year it was received and a
//! number within that year, at least four digits (`REQ-2026-0042`, `REQ-2026-12345`).
//!
//! Parsing trims surrounding spaces and accepts lower case (`req-2026-0042` is
//! `REQ-2026-0042`); anything else is refused with what a reference looks like. The
//! number is written in its one canonical form: four digits with leading zeros, or
//! more digits without one (`REQ-2026-00042` is refused), so two spellings never name
//! one request and references of a year sort by number once their lengths are equal.
//!
//! Used at the boundaries (import, the next number, references typed in); the rest of
//! the code carries the canonical text.

use std::fmt;
use std::str::FromStr;

use super::InputError;

/// A request reference, `REQ-YYYY-NNNN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    year: u16,
    number: u32,
}

impl Reference {
    /// What a reference looks like, for messages.
    pub const FORM: &'static str = "REQ-YYYY-NNNN, e.g. REQ-2026-0042";

    /// The reference `number` of `year`; `None` outside four-digit years or for number 0.
    pub fn new(year: i32, number: u32) -> Option<Reference> {
        let year = u16::try_from(year).ok().filter(|y| (1000..=9999).contains(y))?;
        (number > 0).then_some(Reference { year, number })
    }

    /// The year the request was received in.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The number within the year.
    pub fn number(self) -> u32 {
        self.number
    }

    /// The next reference of the same year; `None` past the largest number.
    pub fn next(self) -> Option<Reference> {
        self.number.checked_add(1).map(|number| Reference { number, ..self })
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "REQ-{}-{:04}", self.year, self.number)
    }
}

impl FromStr for Reference {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Reference, InputError> {
        let t = s.trim();
        let bad = |why: &str| {
            let shown: String = t.chars().take(30).collect();
            let more = if t.chars().count() > 30 { "…" } else { "" };
            InputError::new("reference", format!("'{shown}{more}' is not a request reference ({why}: {})", Self::FORM))
        };
        let upper = t.to_ascii_uppercase();
        let rest = upper.strip_prefix("REQ-").ok_or_else(|| bad("it starts with REQ-"))?;
        let (year, number) = rest.split_once('-').ok_or_else(|| bad("year and number are separated by '-'"))?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the year is four digits"));
        }
        if number.len() < 4 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the number is at least four digits"));
        }
        if number.len() > 4 && number.starts_with('0') {
            return Err(bad("a number of more than four digits has no leading zero"));
        }
        let n: u32 = number.parse().map_err(|_| bad("the number is too large"))?;
        let y: i32 = year.parse().map_err(|_| bad("the year is four digits"))?;
        if y < 1000 {
            return Err(bad("the year is four digits"));
        }
        Reference::new(y, n).ok_or_else(|| bad("numbers start at 0001"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_in_their_canonical_form() {
        for (text, year, number) in [
            ("REQ-2026-0042", 2026, 42),
            ("REQ-2026-12345", 2026, 12345),
            ("REQ-2026-10000", 2026, 10000),
            ("  req-2025-0001 ", 2025, 1),
        ] {
            let r: Reference = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((r.year(), r.number()), (year, number), "{text}");
        }
        assert_eq!("req-2026-0042".parse::<Reference>().unwrap().to_string(), "REQ-2026-0042");
        assert_eq!(Reference::new(2026, 12345).unwrap().to_string(), "REQ-2026-12345");
    }

    #[test]
    fn anything_else_is_refused_saying_what_a_reference_is() {
        for (text, why) in [
            ("REQ-2026-zzzz", "at least four digits"),
            ("REQ-2026-042", "at least four digits"),
            ("REQ-2026-00042", "no leading zero"),
            ("REQ-2026-0000", "start at 0001"),
            ("REQ-26-0042", "year is four digits"),
            ("REQ-0999-0042", "year is four digits"),
            ("REQ-2026", "separated by '-'"),
            ("ABC-2026-0042", "starts with REQ-"),
            ("", "starts with REQ-"),
            ("REQ-2026-99999999999", "too large"),
            ("REQ-2026-００42", "at least four digits"),
        ] {
            let e = text.parse::<Reference>().expect_err(text).to_string();
            assert!(e.contains(why) && e.contains("REQ-YYYY-NNNN"), "{text}: {e}");
        }
    }

    #[test]
    fn references_of_a_year_order_by_number() {
        let a: Reference = "REQ-2026-9999".parse().unwrap();
        let b: Reference = "REQ-2026-10000".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.next(), Some(b));
        assert_eq!(Reference::new(2026, u32::MAX).unwrap().next(), None);
        assert_eq!(Reference::new(2026, 0), None);
        assert_eq!(Reference::new(99, 1), None);
    }
}
