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

/// The bank holidays working days skip: England and Wales's by rule for any year
/// ([`england_and_wales`]), plus the council's listed days (the built-in list, days
/// added, an imported government file), less the rule's days the council removed.
///
/// `Holidays::default()` has no holidays at all (no rule): the rules' tests count
/// plain weekdays; the service's settings always use [`Holidays::england_and_wales`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    /// Holidays whatever the rule says (one-offs such as a coronation, moved days).
    pub listed: BTreeSet<NaiveDate>,
    /// Days the rule gives that are not holidays here (a day moved by proclamation).
    pub removed: BTreeSet<NaiveDate>,
    /// Whether the rule applies.
    pub by_rule: bool,
    /// The rule's days for [`RULE_YEARS`], worked out once (a working-day count
    /// asks about every day it passes); other years are worked out when asked.
    rule_days: BTreeSet<NaiveDate>,
}

/// The years whose rule days [`Holidays::england_and_wales`] works out in advance.
pub const RULE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl Holidays {
    /// England and Wales by rule, with the council's list.
    pub fn england_and_wales(listed: BTreeSet<NaiveDate>, removed: BTreeSet<NaiveDate>) -> Holidays {
        let rule_days = RULE_YEARS.flat_map(england_and_wales).map(|(d, _)| d).collect();
        Holidays { listed, removed, by_rule: true, rule_days }
    }

    /// Whether `d` is a bank holiday.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        let by_rule = self.by_rule
            && if RULE_YEARS.contains(&d.year()) { self.rule_days.contains(&d) } else { rule_holiday(d).is_some() };
        !self.removed.contains(&d) && (self.listed.contains(&d) || by_rule)
    }

    /// The last year any listed day falls in: the years the council's list (or an
    /// imported file) is known to cover.
    pub fn known_to(&self) -> Option<i32> {
        self.listed.last().map(|d| d.year())
    }

    /// Said beside a due date counted into a year past the listed ones, where only the
    /// rule is known (a one-off holiday announced later is not in it):
    /// `bank holidays after 2027 computed by rule`.
    pub fn rule_only_note(&self, due: NaiveDate) -> Option<String> {
        if !self.by_rule {
            return None;
        }
        match self.known_to() {
            Some(y) if due.year() > y => Some(format!("bank holidays after {y} computed by rule")),
            None => Some("bank holidays computed by rule".into()),
            Some(_) => None,
        }
    }

    /// Whether `d` is a working day (not a weekend, not a bank holiday).
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(d)
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

/// Easter Sunday in the Gregorian calendar (the anonymous computus of Meeus,
/// Jones and Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter falls in March or April")
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real day")
}

/// The first `weekday` on or after `d`.
fn on_or_after(d: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
    d + chrono::Days::new(u64::from(ahead))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// England and Wales's eight bank holidays of `year` by rule, in date order: New
/// Year's Day (the next Monday when it falls at a weekend), Good Friday and Easter
/// Monday, the first and last Mondays of May, the last Monday of August, Christmas
/// Day and Boxing Day (each at a weekend moved to the next weekday the other does
/// not take). Names as the government's list gives them. One-off days (a
/// coronation, a jubilee) and moved days are the council's list to add or remove.
pub fn england_and_wales(year: i32) -> [(NaiveDate, &'static str); 8] {
    let new_year = ymd(year, 1, 1);
    let new_year = if is_weekend(new_year) {
        (on_or_after(new_year, Weekday::Mon), "New Year's Day (substitute day)")
    } else {
        (new_year, "New Year's Day")
    };
    let easter = easter_sunday(year);
    let last_monday = |month: u32| on_or_after(ymd(year, month + 1, 1) - chrono::Days::new(7), Weekday::Mon);
    // Christmas and Boxing Day: each on its day when that is a weekday, else the
    // next weekday after 26 December that is not already taken.
    let (christmas, boxing) = (ymd(year, 12, 25), ymd(year, 12, 26));
    let mut taken: Vec<NaiveDate> = [christmas, boxing].into_iter().filter(|d| !is_weekend(*d)).collect();
    let mut moved = |d: NaiveDate, name: &'static str, substitute: &'static str| {
        if !is_weekend(d) {
            return (d, name);
        }
        let mut s = ymd(year, 12, 27);
        while is_weekend(s) || taken.contains(&s) {
            s = s.succ_opt().expect("in range");
        }
        taken.push(s);
        (s, substitute)
    };
    let christmas = moved(christmas, "Christmas Day", "Christmas Day (substitute day)");
    let boxing = moved(boxing, "Boxing Day", "Boxing Day (substitute day)");
    let mut days = [
        new_year,
        (easter - chrono::Days::new(2), "Good Friday"),
        (easter + chrono::Days::new(1), "Easter Monday"),
        (on_or_after(ymd(year, 5, 1), Weekday::Mon), "Early May bank holiday"),
        (last_monday(5), "Spring bank holiday"),
        (last_monday(8), "Summer bank holiday"),
        christmas,
        boxing,
    ];
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The rule's name for `d`, when the rule makes it a bank holiday.
pub fn rule_holiday(d: NaiveDate) -> Option<&'static str> {
    // Only these months have one: most days are answered without working the year out.
    if !matches!(d.month(), 1 | 3 | 4 | 5 | 8 | 12) {
        return None;
    }
    england_and_wales(d.year()).into_iter().find(|(h, _)| *h == d).map(|(_, n)| n)
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
        h.listed.insert(d("2026-12-25"));
        h.listed.insert(d("2026-12-28"));
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

    #[test]
    fn the_rule_gives_the_governments_days() {
        assert_eq!(easter_sunday(2026), d("2026-04-05"));
        assert_eq!(easter_sunday(2027), d("2027-03-28"));
        assert_eq!(easter_sunday(2028), d("2028-04-16"));
        assert_eq!(easter_sunday(2038), d("2038-04-25"));
        assert_eq!(easter_sunday(2285), d("2285-03-22"));
        let days = |y| england_and_wales(y).map(|(d, _)| d.format("%Y-%m-%d").to_string()).to_vec();
        // The government's published list for 2028 and for two years with both
        // Christmas days moved or one of them.
        assert_eq!(
            days(2028),
            [
                "2028-01-03",
                "2028-04-14",
                "2028-04-17",
                "2028-05-01",
                "2028-05-29",
                "2028-08-28",
                "2028-12-25",
                "2028-12-26"
            ]
        );
        assert_eq!(
            days(2022)[6..],
            ["2022-12-26", "2022-12-27"],
            "Sunday Christmas: Boxing Day Monday, Christmas moved to Tuesday"
        );
        assert_eq!(days(2021)[6..], ["2021-12-27", "2021-12-28"]);
        assert_eq!(days(2020)[6..], ["2020-12-25", "2020-12-28"]);
        assert_eq!(england_and_wales(2028)[0].1, "New Year's Day (substitute day)");
        assert_eq!(rule_holiday(d("2028-01-03")), Some("New Year's Day (substitute day)"));
        assert_eq!(rule_holiday(d("2028-01-01")), None);
    }

    #[test]
    fn new_years_day_2028_is_moved_to_monday_3_january() {
        let h = Holidays::england_and_wales(BTreeSet::new(), BTreeSet::new());
        // Friday 31/12/2027 + 1 working day: Monday 03/01/2028 is the substitute day.
        assert_eq!(h.add_working_days(d("2027-12-31"), 1), d("2028-01-04"));
        assert_eq!(h.add_working_days(d("2027-12-31"), 2), d("2028-01-05"));
        // Removed by the council (a moved day): counted again; a one-off added: skipped.
        let removed = Holidays::england_and_wales(BTreeSet::new(), [d("2028-01-03")].into());
        assert_eq!(removed.add_working_days(d("2027-12-31"), 1), d("2028-01-03"));
        let added = Holidays::england_and_wales([d("2028-01-04")].into(), BTreeSet::new());
        // Outside the years worked out in advance, the same rule.
        let far = Holidays::england_and_wales(BTreeSet::new(), BTreeSet::new());
        assert!(far.is_holiday(d("2105-01-01")) && far.is_holiday(d("1999-12-27")) && !far.is_holiday(d("2105-01-02")));
        assert_eq!(added.add_working_days(d("2027-12-31"), 1), d("2028-01-05"));
        assert_eq!(added.rule_only_note(d("2028-01-05")), None, "2028 is listed");
        let known = Holidays::england_and_wales([d("2027-12-28")].into(), BTreeSet::new());
        assert_eq!(known.rule_only_note(d("2028-01-05")).as_deref(), Some("bank holidays after 2027 computed by rule"));
        assert_eq!(known.rule_only_note(d("2027-12-29")), None);
    }
}
