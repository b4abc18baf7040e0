//! Dates as people type and read them, and working-day arithmetic.
//!
//! Accepted input: `YYYY-MM-DD`, `DD/MM/YYYY` and `today`. Shown UK style
//! (`DD/MM/YYYY`). Working days skip weekends and the configured bank holidays.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use std::collections::BTreeSet;

use super::InputError;

/// Parses a date typed by a person; `today` is passed in (domain code never reads the clock).
pub fn parse_date(field: &str, text: &str, today: NaiveDate) -> Result<NaiveDate, InputError> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("today") {
        return Ok(today);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
        // `%Y` accepts 1- to 5-digit years; a real date here has four.
        .filter(|d| (1900..=2999).contains(&d.year()))
        .ok_or_else(|| InputError::new(field, format!("'{t}' is not a date: use DD/MM/YYYY, YYYY-MM-DD or today")))
}

/// Parses a 24-hour time `HH:MM`.
pub fn parse_time(field: &str, text: &str) -> Result<NaiveTime, InputError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| InputError::new(field, format!("'{}' is not a time: use HH:MM (24-hour)", text.trim())))
}

/// `DD/MM/YYYY`.
pub fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `DD/MM/YYYY`, or an empty string.
pub fn uk_opt(d: Option<NaiveDate>) -> String {
    d.map(uk).unwrap_or_default()
}

/// The configured bank holidays, for working-day arithmetic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays(pub BTreeSet<NaiveDate>);

impl Holidays {
    /// Whether `d` is a working day (not a weekend, not a bank holiday).
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.0.contains(&d)
    }

    /// The date `n` working days after `from` (from itself not counted).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("date within chrono's range");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days strictly after `from` up to and including `to` (negative if `to` is earlier).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let count = a.iter_days().skip(1).take_while(|d| *d <= b).filter(|d| self.is_working_day(*d)).count() as i64;
        sign * count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn accepts_iso_uk_and_today_and_refuses_the_rest() {
        let today = d("2026-11-24");
        assert_eq!(parse_date("date", "2026-03-05", today).unwrap(), d("2026-03-05"));
        assert_eq!(parse_date("date", "05/03/2026", today).unwrap(), d("2026-03-05"));
        assert_eq!(parse_date("date", " Today ", today).unwrap(), today);
        for bad in ["31/02/2026", "2026-13-01", "tomorrow", "", "5/3/26", "12026-01-01"] {
            let err = parse_date("date received", bad, today).unwrap_err();
            assert!(err.to_string().contains("date received"), "{err}");
        }
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        let mut h = Holidays::default();
        // Friday 2026-12-25 and Monday 2026-12-28 (substitute Boxing Day).
        h.0.insert(d("2026-12-25"));
        h.0.insert(d("2026-12-28"));
        assert_eq!(h.add_working_days(d("2026-11-20"), 1), d("2026-11-23")); // Fri -> Mon
        assert_eq!(h.add_working_days(d("2026-12-24"), 1), d("2026-12-29"));
        assert_eq!(h.working_days_between(d("2026-12-24"), d("2026-12-29")), 1);
        assert_eq!(h.working_days_between(d("2026-12-29"), d("2026-12-24")), -1);
        assert_eq!(h.add_working_days(d("2026-11-24"), 0), d("2026-11-24"));
    }

    #[test]
    fn times_are_24_hour() {
        assert!(parse_time("start", "09:30").is_ok());
        assert!(parse_time("start", "9.30am").is_err());
    }
}
