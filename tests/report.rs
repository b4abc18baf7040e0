//! `caseshare report`: every figure checked against the database, computed here
//! independently with SQL and a plain weekday count.

use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};

use caseshare::service::admin::DEFAULT_HOLIDAYS;
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};

fn working_days(from: NaiveDate, to: NaiveDate) -> i64 {
    let holidays: Vec<NaiveDate> =
        DEFAULT_HOLIDAYS.iter().map(|(d, _)| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()).collect();
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.succ_opt().unwrap();
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d) {
            n += 1;
        }
    }
    n
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort();
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2] as f64),
        n => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

#[test]
fn the_report_matches_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build_with(&path, "tester", clock, 40).unwrap();
    let svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock).unwrap();
    let from = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let report = svc.report(Some(from), Some(to)).unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    let one = |sql: &str| -> i64 { conn.query_row(sql, rusqlite::params![from, to], |r| r.get(0)).unwrap() };
    assert_eq!(
        i64::from(report.received),
        one("SELECT count(*) FROM requests WHERE kind != 'redirect' AND received_on BETWEEN ?1 AND ?2")
    );
    assert_eq!(
        i64::from(report.redirected),
        one("SELECT count(*) FROM requests WHERE kind = 'redirect' AND received_on BETWEEN ?1 AND ?2")
    );
    assert_eq!(i64::from(report.completed), one("SELECT count(*) FROM requests WHERE completed_on BETWEEN ?1 AND ?2"));
    assert_eq!(i64::from(report.incidents), one("SELECT count(*) FROM incidents WHERE opened_on BETWEEN ?1 AND ?2"));
    let overdue: i64 = conn
        .query_row(
            "SELECT count(*) FROM requests WHERE due_on < '2026-11-24' AND status NOT IN ('complete','refused','withdrawn','redirected')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(i64::from(report.overdue_now), overdue);
    assert!(report.overdue_now > 0 && report.received > 20);

    for m in &report.per_month {
        let (y, mo) = (m.month[..4].parse::<i32>().unwrap(), m.month[5..].parse::<u32>().unwrap());
        let start = NaiveDate::from_ymd_opt(y, mo, 1).unwrap().max(from);
        let end =
            start.checked_add_months(chrono::Months::new(1)).unwrap().with_day(1).unwrap().pred_opt().unwrap().min(to);
        let count = |sql: &str| -> i64 { conn.query_row(sql, rusqlite::params![start, end], |r| r.get(0)).unwrap() };
        assert_eq!(
            i64::from(m.received),
            count("SELECT count(*) FROM requests WHERE kind != 'redirect' AND received_on BETWEEN ?1 AND ?2"),
            "{}",
            m.month
        );
        assert_eq!(i64::from(m.completed), count("SELECT count(*) FROM requests WHERE completed_on BETWEEN ?1 AND ?2"));
    }

    let pairs: Vec<(NaiveDate, Option<NaiveDate>, Option<NaiveDate>)> = conn
        .prepare(
            "SELECT received_on, (SELECT min(decided_on) FROM approvals a WHERE a.request_id = r.id),
                    (SELECT min(day) FROM viewings v WHERE v.request_id = r.id)
             FROM requests r WHERE kind != 'redirect' AND received_on BETWEEN ?1 AND ?2",
        )
        .unwrap()
        .query_map(rusqlite::params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let to_decision = median(pairs.iter().filter_map(|(r, d, _)| d.map(|d| working_days(*r, d))).collect());
    let to_viewing = median(pairs.iter().filter_map(|(r, _, v)| v.map(|v| working_days(*r, v))).collect());
    assert_eq!(report.median_days_to_decision, to_decision);
    assert_eq!(report.median_days_to_viewing, to_viewing);
    assert!(to_decision.is_some() && to_viewing.is_some());

    let refused = one("SELECT count(*) FROM requests WHERE status = 'refused' AND received_on BETWEEN ?1 AND ?2");
    assert_eq!(report.refusals.len() as i64, refused);
    assert!(report.refusals.iter().any(|r| r.reason.contains("already holds the assessment")));
    let orgs: i64 = report.by_organisation.iter().map(|(_, n)| i64::from(*n)).sum();
    assert_eq!(orgs, i64::from(report.received));
}
