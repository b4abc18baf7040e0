//! How the service is doing, computed from plain rows (the store fetches them):
//! requests received and completed per month, by organisation, median working days
//! from receipt to decision and to first viewing, refusals with reasons, overdue
//! requests and incidents.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::dates::Holidays;
use super::types::{RequestKind, Status};

/// One request as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub reference: String,
    pub kind: RequestKind,
    pub status: Status,
    pub organisation: String,
    pub received_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub first_decision_on: Option<NaiveDate>,
    pub first_viewing_on: Option<NaiveDate>,
    /// The reason, when the request was refused outright.
    pub refusal_reason: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// An incident as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    pub reference: String,
    pub opened_on: NaiveDate,
    pub referred: bool,
}

/// One calendar month of the period; the first and last can be part months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `2026-11`
    pub month: String,
    /// The first and last day of the month counted (inside the period).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub received: u32,
    pub completed: u32,
}

impl Month {
    /// Whether the period starts or ends inside this month.
    pub fn is_partial(&self) -> bool {
        self.from.day() != 1 || self.to.succ_opt().is_none_or(|next| next.month() == self.to.month())
    }

    /// `Nov 2026`
    pub fn label(&self) -> String {
        self.from.format("%b %Y").to_string()
    }

    /// The days counted when only part of the month is (`25–30`), else empty.
    pub fn days(&self) -> String {
        if self.is_partial() { format!("{}–{}", self.from.day(), self.to.day()) } else { String::new() }
    }
}

/// The first day of "the last twelve months" up to `to`: a rolling year, the same
/// day a year back and one day on (24/11/2026 → 25/11/2025; 29/02/2028 → 01/03/2027).
pub fn last_twelve_months(to: NaiveDate) -> NaiveDate {
    let back = to.checked_sub_months(chrono::Months::new(12)).unwrap_or(to);
    back.succ_opt().unwrap_or(back)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    pub reference: String,
    pub organisation: String,
    pub reason: String,
}

/// The report for `[from, to]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub received: u32,
    pub completed: u32,
    pub per_month: Vec<Month>,
    /// Requests received, by requesting organisation, most first.
    pub by_organisation: Vec<(String, u32)>,
    /// Median working days from receipt to the asset owner's decision.
    pub median_days_to_decision: Option<f64>,
    /// Median working days from receipt to the first viewing.
    pub median_days_to_viewing: Option<f64>,
    pub refusals: Vec<Refusal>,
    pub redirected: u32,
    /// Open requests past their target today (whenever received).
    pub overdue_now: u32,
    pub incidents: u32,
    pub incidents_unreferred: u32,
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The median of some numbers (the mean of the middle two for an even count).
pub fn median(mut v: Vec<i64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 })
}

/// Builds the report. `rows` are every request received or completed in the period,
/// plus every open request (for the overdue count); `incidents` those opened in it.
pub fn compute(
    rows: &[ReportRow],
    incidents: &[IncidentRow],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    holidays: &Holidays,
) -> Report {
    let within = |d: NaiveDate| d >= from && d <= to;
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    let mut d = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).expect("first of month");
    while d <= to {
        let next = d.checked_add_months(chrono::Months::new(1)).expect("in range");
        let last = next.pred_opt().expect("in range").min(to);
        months.insert(month(d), Month { month: month(d), from: d.max(from), to: last, received: 0, completed: 0 });
        d = next;
    }
    let mut by_org: BTreeMap<String, u32> = BTreeMap::new();
    let (mut received, mut completed, mut redirected, mut overdue_now) = (0, 0, 0, 0);
    let (mut to_decision, mut to_viewing, mut refusals) = (Vec::new(), Vec::new(), Vec::new());
    for r in rows {
        if r.due_on.is_some_and(|due| due < today) && !r.status.is_closed() {
            overdue_now += 1;
        }
        if let Some(c) = r.completed_on.filter(|c| within(*c)) {
            completed += 1;
            if let Some(m) = months.get_mut(&month(c)) {
                m.completed += 1;
            }
        }
        if !within(r.received_on) {
            continue;
        }
        if r.kind == RequestKind::Redirect {
            redirected += 1;
            continue;
        }
        received += 1;
        if let Some(m) = months.get_mut(&month(r.received_on)) {
            m.received += 1;
        }
        *by_org.entry(r.organisation.clone()).or_default() += 1;
        if let Some(dd) = r.first_decision_on {
            to_decision.push(holidays.working_days_between(r.received_on, dd));
        }
        if let Some(v) = r.first_viewing_on {
            to_viewing.push(holidays.working_days_between(r.received_on, v));
        }
        if let Some(reason) = &r.refusal_reason {
            refusals.push(Refusal {
                reference: r.reference.clone(),
                organisation: r.organisation.clone(),
                reason: reason.clone(),
            });
        }
    }
    let mut by_organisation: Vec<(String, u32)> = by_org.into_iter().collect();
    by_organisation.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let opened: Vec<&IncidentRow> = incidents.iter().filter(|i| within(i.opened_on)).collect();
    Report {
        from,
        to,
        received,
        completed,
        per_month: months.into_values().collect(),
        by_organisation,
        median_days_to_decision: median(to_decision),
        median_days_to_viewing: median(to_viewing),
        refusals,
        redirected,
        overdue_now,
        incidents: opened.len() as u32,
        incidents_unreferred: opened.iter().filter(|i| !i.referred).count() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::d;

    fn row(reference: &str, received: &str) -> ReportRow {
        ReportRow {
            reference: reference.into(),
            kind: RequestKind::Viewing,
            status: Status::New,
            organisation: "Exampleshire".into(),
            received_on: d(received),
            completed_on: None,
            first_decision_on: None,
            first_viewing_on: None,
            refusal_reason: None,
            due_on: None,
        }
    }

    #[test]
    fn medians_and_months() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2.5));
        let mut a = row("A", "2026-10-01"); // Thursday
        a.first_decision_on = Some(d("2026-10-08")); // 5 working days
        a.completed_on = Some(d("2026-11-02"));
        let mut b = row("B", "2026-11-02");
        b.first_decision_on = Some(d("2026-11-05")); // 3 working days
        b.refusal_reason = Some("Not necessary".into());
        b.organisation = "Fictional".into();
        let mut c = row("C", "2026-09-30"); // before the period, but overdue now
        c.due_on = Some(d("2026-11-01"));
        let r = compute(&[a, b, c], &[], d("2026-10-01"), d("2026-11-30"), d("2026-11-24"), &Holidays::default());
        assert_eq!((r.received, r.completed, r.overdue_now), (2, 1, 1));
        assert_eq!(
            r.per_month,
            vec![
                Month {
                    month: "2026-10".into(),
                    from: d("2026-10-01"),
                    to: d("2026-10-31"),
                    received: 1,
                    completed: 0
                },
                Month {
                    month: "2026-11".into(),
                    from: d("2026-11-01"),
                    to: d("2026-11-30"),
                    received: 1,
                    completed: 1
                },
            ]
        );
        assert!(r.per_month.iter().all(|m| !m.is_partial() && m.days().is_empty()));
        assert_eq!(r.median_days_to_decision, Some(4.0));
        assert_eq!(r.refusals.len(), 1);
        assert_eq!(r.by_organisation, vec![("Exampleshire".into(), 1), ("Fictional".into(), 1)]);
    }

    #[test]
    fn the_last_twelve_months_are_a_rolling_year_with_part_months_at_both_ends() {
        assert_eq!(last_twelve_months(d("2026-11-24")), d("2025-11-25"));
        assert_eq!(last_twelve_months(d("2026-12-31")), d("2026-01-01"));
        assert_eq!(last_twelve_months(d("2028-02-29")), d("2027-03-01"));
        let r = compute(&[], &[], d("2025-11-25"), d("2026-11-24"), d("2026-11-24"), &Holidays::default());
        assert_eq!(r.per_month.len(), 13, "Nov 2025 (part) to Nov 2026 (part)");
        let (first, last) = (&r.per_month[0], &r.per_month[12]);
        assert_eq!((first.label(), first.days(), first.is_partial()), ("Nov 2025".into(), "25–30".into(), true));
        assert_eq!((last.label(), last.days(), last.is_partial()), ("Nov 2026".into(), "1–24".into(), true));
        assert!(r.per_month[1..12].iter().all(|m| !m.is_partial()), "{:?}", r.per_month);
        assert_eq!(r.per_month[3].to, d("2026-02-28"));
    }
}
