//! `caseshare report`: every figure checked against the database, computed here
//! independently with SQL and a plain weekday count.

use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};

mod common;

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

#[test]
fn the_default_period_is_a_rolling_year_to_today() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build(&path, "tester", clock).unwrap();
    let svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock).unwrap();
    let report = svc.report(None, None).unwrap();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!((report.from, report.to), (day(2025, 11, 25), day(2026, 11, 24)));
    let first = &report.per_month[0];
    let last = report.per_month.last().unwrap();
    assert_eq!(report.per_month.len(), 13);
    assert_eq!((first.month.as_str(), first.from, first.to), ("2025-11", day(2025, 11, 25), day(2025, 11, 30)));
    assert_eq!((last.month.as_str(), last.from, last.to), ("2026-11", day(2026, 11, 1), day(2026, 11, 24)));
    // The CLI's default period ends today; given an end, it is the year up to it,
    // with the part months marked.
    let db = common::Db::empty();
    db.ok(&["demo"]);
    let text = db.ok(&["report", "--to", "2026-11-24"]);
    assert!(text.contains("Report 25/11/2025 to 24/11/2026"), "{text}");
    assert!(text.contains("2025-11 (25–30)") && text.contains("2026-11 (1–24)"), "{text}");
}

/// The report screen drawn at `w`×`h` on the demo, with the report it shows.
fn report_screen(w: u16, h: u16) -> (Vec<String>, caseshare::domain::report::Report) {
    use caseshare::app::{Action, keymap};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    caseshare::demo::build_with(&path, "tester", clock, 400).unwrap();
    let mut svc = Service::open(Store::open(&path, OpenMode::Existing).unwrap(), "tester", clock).unwrap();
    let mut app = caseshare::tui::start(&mut svc, w, h).unwrap();
    let effects = app.update(Action::Report);
    caseshare::tui::run_effects(&mut app, &mut svc, effects);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    let table = keymap::bindings();
    terminal.draw(|f| caseshare::ui::render(f, &app, &table, &caseshare::ui::Theme { color: false })).unwrap();
    let buf = terminal.backend().buffer().clone();
    let lines = (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect()).collect();
    (lines, app.report.clone().unwrap())
}

#[test]
fn at_80x24_and_120x40_every_months_values_stand_apart() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (lines, report) = report_screen(w, h);
        assert!(report.per_month.iter().any(|m| m.received >= 10), "a busy month with two-digit values");
        for m in &report.per_month {
            let row = lines
                .iter()
                .find(|l| l.contains(&format!("│{} ", m.label())))
                .unwrap_or_else(|| panic!("{} not on the {w}x{h} screen:\n{}", m.label(), lines.join("\n")));
            // The month's own panel: up to the first border after the label.
            let panel = row.split('│').nth(1).unwrap();
            let numbers: Vec<u32> = panel
                .split(|c: char| c.is_whitespace() || c == '█')
                .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
                .map(|t| t.parse().unwrap())
                .collect();
            let year = m.month[..4].parse::<u32>().unwrap();
            let numbers: Vec<u32> = numbers.into_iter().filter(|&n| n != year).collect();
            assert_eq!(numbers, vec![m.received, m.completed], "{w}x{h}: {panel:?}");
            // Each value has a space on both sides: never two run together.
            for v in [m.received, m.completed] {
                let t = v.to_string();
                assert!(panel.contains(&format!(" {t} ")), "{w}x{h}: {t} not set apart in {panel:?}");
            }
        }
    }
}
