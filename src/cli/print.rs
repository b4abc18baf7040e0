//! Text and JSON output. Every stored string passes through `text::safe` before
//! it reaches the terminal, so nothing stored can send escape sequences.

use chrono::{DateTime, NaiveDate};
use serde::Serialize;

use crate::domain::dates::{uk, uk_opt};
use crate::domain::{Organisation, Room, ServiceArea, Staff};
use crate::domain::{RequestFile, Settings, checklist, text};
use crate::service::ServiceError;
use crate::service::steps::NewOutcome;
use crate::store::events::Event;
use crate::store::lists::{RequestSummary, TrackerRow};
use crate::store::verify::VerifyReport;

type Out = Result<(), ServiceError>;

/// Pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Out {
    say!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
    Ok(())
}

pub(super) fn s(v: &str) -> String {
    text::safe(v, false).into_owned()
}

/// How wide text output may be: `COLUMNS` when it is set to a number (so a script
/// or a test can ask for a width), else the terminal's width when standard output is
/// a terminal, else no limit (output piped to a file or a script stays as it always
/// was, one line per row).
fn output_width() -> Option<usize> {
    use std::io::IsTerminal;
    let terminal = || std::io::stdout().is_terminal().then(|| crossterm::terminal::size().ok()).flatten();
    width_from(std::env::var("COLUMNS").ok().as_deref(), terminal)
}

/// [`output_width`] from what it reads: `COLUMNS` first, then the terminal's
/// (columns, rows) if there is a terminal.
fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<(u16, u16)>) -> Option<usize> {
    match columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|c| *c > 0) {
        Some(c) => Some(c),
        None => terminal().map(|(w, _)| usize::from(w)).filter(|w| *w > 0),
    }
}

/// How many terminal columns `s` takes (a wide character counts two, a combining
/// mark none), not how many characters it has.
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `w` columns of display width.
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Aligned columns (by display width; the last column is not padded), or, when that
/// would be wider than the output (see [`output_width`]), one field per line for
/// each row, a blank line between rows.
pub(super) fn table(headers: &[&str], rows: &[Vec<String>]) {
    for line in table_lines(headers, rows, output_width()) {
        say!("{line}");
    }
}

/// The lines of [`table`] for an output `max` columns wide (`None`: no limit).
fn table_lines(headers: &[&str], rows: &[Vec<String>], max: Option<usize>) -> Vec<String> {
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    match max {
        Some(max) if total > max => records(headers, rows, max),
        _ => {
            let line = |cells: &[String]| {
                let n = cells.len();
                let parts: Vec<String> = cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| if i + 1 == n { c.clone() } else { pad(c, widths[i]) })
                    .collect();
                parts.join("  ").trim_end().to_string()
            };
            let head: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
            std::iter::once(line(&head)).chain(rows.iter().map(|r| line(r))).collect()
        }
    }
}

/// The record layout of a table too wide for `max` columns: each row's fields one to
/// a line under its column's name, long values wrapped beside the names; empty fields
/// left out.
fn records(headers: &[&str], rows: &[Vec<String>], max: usize) -> Vec<String> {
    let label = headers.iter().map(|h| width(h)).max().unwrap_or(0);
    // Too narrow to wrap usefully: each value on its line whole.
    let room = max.saturating_sub(label + 2);
    let mut out = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        if n > 0 {
            out.push(String::new());
        }
        for (h, v) in headers.iter().zip(r).filter(|(_, v)| !v.is_empty()) {
            let wrapped: Vec<String> = if room >= 16 {
                textwrap::wrap(v, room).into_iter().map(|l| l.into_owned()).collect()
            } else {
                vec![v.clone()]
            };
            for (i, part) in wrapped.iter().enumerate() {
                let name = if i == 0 { pad(h, label) } else { " ".repeat(label) };
                out.push(format!("{name}  {part}").trim_end().to_string());
            }
        }
    }
    out
}

pub fn new_outcome(o: &NewOutcome, as_json: bool) -> Out {
    if as_json {
        return json(o);
    }
    match &o.redirect {
        Some(route) => {
            say!("{}: not for this process — {}.", o.reference, s(route));
            say!("Recorded as redirected, with only the date, channel and organisation kept.");
        }
        None => say!(
            "{}: request recorded. Status: {}{}",
            o.reference,
            o.status.label(),
            o.next_step.map(|s| format!("; next: step {} {}", s.number(), s.label())).unwrap_or_default()
        ),
    }
    for n in &o.notices {
        say!("Note: {}", s(n));
    }
    Ok(())
}

pub fn request_list(rows: &[RequestSummary], today: NaiveDate, as_json: bool) -> Out {
    if as_json {
        return json(rows);
    }
    if rows.is_empty() {
        say!("No requests match.");
        return Ok(());
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let due = match r.due_on {
                Some(d) if r.is_overdue(today) => format!("! OVERDUE {}", uk(d)),
                Some(d) => format!("due {}", uk(d)),
                None => String::new(),
            };
            vec![
                r.reference.clone(),
                uk(r.received_on),
                r.status.label().to_string(),
                s(&r.organisation),
                s(&r.subjects),
                r.next_step.map(|n| format!("{}. {}", n.number(), n.label())).unwrap_or_default(),
                due,
            ]
        })
        .collect();
    table(&["REFERENCE", "RECEIVED", "STATUS", "ORGANISATION", "SUBJECTS", "NEXT STEP", "TARGET"], &body);
    Ok(())
}

pub fn request_show(f: &RequestFile, settings: &Settings, today: NaiveDate, as_json: bool) -> Out {
    let lines = checklist(f, settings, today);
    if as_json {
        return json(&serde_json::json!({ "request": f, "version": f.request.version, "checklist": lines }));
    }
    let r = &f.request;
    say!("{}  {}  ({}, version {})", r.reference, r.status.label(), r.kind.label(), r.version);
    say!("Received      {} by {}", uk(r.received_on), r.channel.label().to_lowercase());
    say!("Organisation  {} ({})", s(&r.organisation.name), r.organisation.kind.label());
    if let Some(d) = &r.disposal {
        say!(
            "Disposed of   {} by {}, authorised by {}: {}{}",
            uk(d.on),
            s(&d.by.login),
            s(&d.authorised_by.login),
            s(&d.reason),
            d.early.as_ref().map(|e| format!(" (early: {})", s(e))).unwrap_or_default()
        );
        say!(
            "              only the residue is kept: names, dates of birth, Mosaic IDs, contact details and free text were erased ({} events, {} lookups)",
            d.erased_events.len(),
            d.erased_lookups.len()
        );
    }
    if let Some(h) = &r.hold {
        say!("Legal hold    since {} by {}: {}", uk(h.since), s(&h.by.login), s(&h.reason));
    }
    if let Some(route) = &r.redirect_route {
        say!("Redirected    {}", s(route));
    }
    if !r.requester.name.is_empty() {
        let extra: Vec<String> = [&r.requester.role, &r.requester.email, &r.requester.phone]
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| s(v))
            .collect();
        say!(
            "Requester     {}{}",
            s(&r.requester.name),
            if extra.is_empty() { String::new() } else { format!(" ({})", extra.join(", ")) }
        );
    }
    for sub in f.subjects.iter().filter(|_| r.disposal.is_none()) {
        let born = sub.dob.map(|d| format!("  born {}", uk(d))).unwrap_or_default();
        say!("Subject       {}  Mosaic {}{born}", s(&sub.name), s(&sub.mosaic_id));
    }
    if let Some(a) = &r.service_area {
        say!("Service area  {} (asset owner {})", s(&a.name), s(&a.asset_owner.name));
    }
    say!("Owner         {}", s(&r.owner.login));
    if let Some(fm) = r.format {
        say!("Format        {}", fm.label());
    }
    if !r.purpose.is_empty() {
        say!("Purpose       {}", s(&r.purpose));
    }
    for (label, value) in crate::domain::subject::decision_record_lines(r) {
        say!("{label:<14}{}", s(&value));
    }
    if let Some(w) = &r.withdraw_reason {
        say!("Withdrawn     {} — {}", uk_opt(r.withdrawn_on), s(w));
    }
    say!();
    say!("Checklist");
    for l in &lines {
        say!("  {:>2}. {:<42} {}", l.number, l.label, s(&l.describe()));
    }
    // A due date counted into a year the holiday list does not cover rests on the rule.
    if let Some(note) = crate::domain::due_note(f, settings) {
        say!("  ({note})");
    }
    if !f.items.is_empty() {
        say!();
        say!("Items");
        for i in &f.items {
            let decision = match i.approved {
                Some(true) => "approved",
                Some(false) => "declined",
                None if f.request.kind == crate::domain::RequestKind::DirectShare => "shared",
                None => "undecided",
            };
            let agency = match (&i.third_party, i.agency_consent_on) {
                (Some(a), Some(d)) => format!(" [{}'s material; consent {}]", s(a), uk(d)),
                (Some(a), None) => format!(" [{}'s material; consent NOT recorded]", s(a)),
                _ => String::new(),
            };
            say!("  {}. {} — {decision}{agency}", i.number, s(&i.description));
        }
    }
    for a in &f.approvals {
        say!();
        say!(
            "Decision  {} {} by {} ({}), recorded by {}",
            a.decision.label(),
            uk(a.decided_on),
            s(&a.approver.name),
            s(&a.approver.position),
            s(&a.recorded_by.login)
        );
        if let (Some(d), Some(re)) = (a.evidence_date, &a.evidence_ref) {
            say!("  Evidence: {} of {}", s(re), uk(d));
        }
        say!("  Reason: {}", s(&a.reason));
    }
    for b in &f.bookings {
        let place = b.room_name.as_deref().map(s).unwrap_or_else(|| "Teams".into());
        say!(
            "Booking   {} {} {}–{} {}",
            b.venue.label(),
            uk(b.day),
            b.start.format("%H:%M"),
            b.end.format("%H:%M"),
            place
        );
    }
    for v in &f.viewings {
        say!(
            "Viewing   {} {}–{} {} ({}) saw {} — {}, supervised by {}{}",
            uk(v.day),
            v.start.format("%H:%M"),
            v.end.format("%H:%M"),
            s(&v.viewers),
            s(&v.viewer_org),
            s(&f.describe_items(&v.item_ids).join("; ")),
            v.method.label(),
            s(&v.supervisor.name),
            if v.supervised { "" } else { " — NOT supervised throughout" }
        );
        // The security answers, where they were asked (not on viewings logged before).
        let mut asked = Vec::new();
        if let Some(c) = &v.supervision_confirmed_by {
            asked.push(format!("supervision confirmed by {}", s(&c.name)));
        }
        if let Some(lcc) = v.lcc_devices_only {
            asked.push(if lcc { "only LCC devices and logins" } else { "NOT only LCC devices and logins" }.to_string());
        }
        match v.downloads.as_deref() {
            Some([]) => asked.push("nothing downloaded".into()),
            Some(d) => {
                let each: Vec<String> = d
                    .iter()
                    .map(|c| format!("{} ({})", f.describe_items(&[c.item_id]).join(""), s(&c.reason)))
                    .collect();
                asked.push(format!("downloaded {}", each.join("; ")));
            }
            None => {}
        }
        if !asked.is_empty() {
            say!("          {}", asked.join("; "));
        }
    }
    for i in &f.incidents {
        let state = match i.referred_on {
            Some(d) => format!("referred {} ({})", uk(d), s(i.ig_ref.as_deref().unwrap_or(""))),
            None => "NOT referred to information governance".into(),
        };
        say!("Incident  {} {} — {}: {state}", i.id, uk(i.opened_on), s(&i.description));
    }
    Ok(())
}

/// The who-viewed answer: viewings, then any copies shared directly.
pub fn who_viewed(found: &crate::service::lookup::WhoViewed, as_json: bool) -> Out {
    if as_json {
        return json(found);
    }
    if found.viewings.is_empty() && found.direct_shares.is_empty() {
        say!("No viewings or direct shares match.");
        return Ok(());
    }
    if found.viewings.is_empty() {
        say!("No viewings match.");
    } else {
        viewings(&found.viewings);
    }
    if !found.direct_shares.is_empty() {
        say!("");
        say!("Copies shared directly (no viewing):");
        let body: Vec<Vec<String>> = found
            .direct_shares
            .iter()
            .map(|r| {
                vec![
                    uk(r.day),
                    r.reference.clone(),
                    s(&r.subjects),
                    s(&r.shared_with),
                    s(&r.organisation),
                    s(&r.method),
                    s(&r.items),
                ]
            })
            .collect();
        table(&["SHARED", "REFERENCE", "CHILD", "SHARED WITH", "ORGANISATION", "HOW", "WHAT"], &body);
    }
    Ok(())
}

fn viewings(rows: &[TrackerRow]) {
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("{} {}", uk(r.day), r.start.format("%H:%M")),
                r.reference.clone(),
                s(&r.subjects),
                s(&r.viewers),
                s(&r.viewer_org),
                r.method.label().to_string(),
                format!("{}{}", s(&r.supervisor), if r.supervised { "" } else { " (NOT throughout)" }),
                s(&r.items),
            ]
        })
        .collect();
    table(&["WHEN", "REFERENCE", "CHILD", "VIEWER", "ORGANISATION", "METHOD", "SUPERVISED BY", "ITEMS"], &body);
}

pub fn log(events: &[Event], settings: &Settings, as_json: bool) -> Out {
    if as_json {
        return json(events);
    }
    for e in events {
        let when = DateTime::parse_from_rfc3339(&e.at)
            .map(|t| t.with_timezone(&settings.timezone).format("%d/%m/%Y %H:%M:%S").to_string())
            .unwrap_or_else(|_| s(&e.at));
        say!(
            "#{:<6} {when}  {:<12} {:<18} {}",
            e.id,
            s(&e.login),
            s(&e.op),
            e.reference.as_deref().map(s).unwrap_or_default()
        );
        if e.erased {
            say!("         (what changed was erased by a disposal)");
            continue;
        }
        if e.before != "null" {
            say!("         before {}", s(&e.before));
        }
        say!("         after  {}", s(&e.after));
    }
    Ok(())
}

pub fn verify(r: &VerifyReport, as_json: bool) -> Out {
    if as_json {
        return json(r);
    }
    if r.ok() {
        let events = |n: u64| if n == 1 { "1 event".to_string() } else { format!("{n} events") };
        let walked = match r.from_event {
            0 => events(r.events),
            n => format!("{} after the last anchor (event {n})", events(r.events)),
        };
        let rebuilt = if r.rebuilt { ", every table matches the log" } else { "" };
        let anchors = match &r.anchors {
            Some(a) => match (&a.last, a.anchors) {
                (Some(last), 1) => format!(", extends the anchor ({} events on {})", last.events, last.at),
                (Some(last), n) => format!(", extends all {n} anchors (last: {} events on {})", last.events, last.at),
                (None, _) => format!(", no anchors in {}", s(&a.file)),
            },
            None => String::new(),
        };
        say!("OK: {walked}, hash chain intact, append-only triggers present{rebuilt}{anchors}.");
        return Ok(());
    }
    for t in &r.missing_triggers {
        eprintln!("caseshare: verify: append-only trigger {t} is missing or altered");
    }
    if let Some(c) = r.anchors.as_ref().and_then(|a| a.contradicted.as_ref().map(|c| (a, c))) {
        let (a, c) = c;
        eprintln!(
            "caseshare: verify: the log no longer extends anchor {} of {} (line {} of {}): {}",
            c.line,
            a.anchors,
            c.line,
            s(&a.file),
            s(&c.why)
        );
    }
    if let Some(b) = &r.first_broken {
        eprintln!("caseshare: verify: event {} ({}) is the first broken link: {}", b.id, s(&b.at), b.why);
    }
    for d in &r.differences {
        eprintln!("caseshare: verify: {}", s(d));
    }
    if r.more_differences > 0 {
        eprintln!("caseshare: verify: … and {} more differences", r.more_differences);
    }
    Ok(())
}

pub fn staff(rows: &[Staff], as_json: bool) -> Out {
    if as_json {
        return json(rows);
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|p| {
            vec![
                s(&p.login),
                s(&p.name),
                s(&p.position),
                p.roles_code(),
                if p.active { "active".into() } else { "deactivated".into() },
            ]
        })
        .collect();
    table(&["LOGIN", "NAME", "POSITION", "ROLES", "STATE"], &body);
    Ok(())
}

pub fn areas(rows: &[ServiceArea], as_json: bool) -> Out {
    if as_json {
        return json(rows);
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            vec![
                s(&a.name),
                format!("{} ({})", s(&a.asset_owner.name), s(&a.asset_owner.login)),
                retired_state(a.retired_on),
            ]
        })
        .collect();
    table(&["SERVICE AREA", "ASSET OWNER", "STATE"], &body);
    Ok(())
}

/// "in use", or "retired DD/MM/YYYY".
fn retired_state(on: Option<chrono::NaiveDate>) -> String {
    on.map_or("in use".to_string(), |d| format!("retired {}", crate::domain::dates::uk(d)))
}

/// Organisations with their state and aliases (`--json`: id, name, kind, retired_on
/// and aliases).
pub fn orgs(rows: &[(Organisation, Vec<String>)], as_json: bool) -> Out {
    if as_json {
        let out: Vec<serde_json::Value> = rows
            .iter()
            .map(|(o, a)| serde_json::json!({"id": o.id, "name": o.name, "kind": o.kind, "retired_on": o.retired_on, "aliases": a}))
            .collect();
        return json(&out);
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|(o, a)| {
            vec![
                s(&o.name),
                o.kind.as_code().to_string(),
                retired_state(o.retired_on),
                a.iter().map(|x| s(x)).collect::<Vec<_>>().join("; "),
            ]
        })
        .collect();
    table(&["ORGANISATION", "KIND", "STATE", "ALIASES"], &body);
    Ok(())
}

pub fn rooms(rows: &[Room], as_json: bool) -> Out {
    if as_json {
        return json(rows);
    }
    let yn = |b: bool| {
        if b { "yes".to_string() } else { "no".to_string() }
    };
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let state = if r.active { "in use".to_string() } else { "retired".to_string() };
            vec![s(&r.name), s(&r.location), yn(r.observer_space), yn(r.secure_storage), yn(r.teams), state]
        })
        .collect();
    table(&["ROOM", "LOCATION", "OBSERVER SPACE", "SECURE STORAGE", "TEAMS", "STATE"], &body);
    Ok(())
}

pub fn settings(st: &Settings, as_json: bool) -> Out {
    let rows = vec![
        ("target.form_returned", st.targets.form_returned.to_string()),
        ("target.approval", st.targets.approval.to_string()),
        ("target.viewing", st.targets.viewing.to_string()),
        ("target.restore", st.targets.restore.to_string()),
        ("cpru_mailbox", st.cpru_mailbox.clone()),
        ("timezone", st.timezone.name().to_string()),
        ("council_name", st.council.clone()),
        ("templates_dir", st.templates_dir.clone().unwrap_or_else(|| "(each user's config folder)".into())),
        ("anchor_file", st.anchor_file.clone().unwrap_or_else(|| "(each user's config folder)".into())),
        ("appropriate_policy_document", st.policy_document.clone().unwrap_or_else(|| "(not set)".into())),
        ("casenote.not_shared", if st.case_note_not_shared { "yes" } else { "no" }.into()),
    ];
    if as_json {
        let map: serde_json::Map<String, serde_json::Value> =
            rows.into_iter().map(|(k, v)| (k.to_string(), v.into())).collect();
        return json(&map);
    }
    let body: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k.to_string(), s(&v)]).collect();
    table(&["SETTING", "VALUE"], &body);
    Ok(())
}

pub fn holidays(rows: &[(NaiveDate, String)], as_json: bool) -> Out {
    if as_json {
        return json(rows);
    }
    let body: Vec<Vec<String>> = rows.iter().map(|(d, n)| vec![uk(*d), s(n)]).collect();
    table(&["DATE", "BANK HOLIDAY"], &body);
    Ok(())
}

pub fn report(r: &crate::domain::report::Report, as_json: bool) -> Out {
    if as_json {
        return json(r);
    }
    let days = |v: Option<f64>| v.map(|d| format!("{d:.1} working days")).unwrap_or_else(|| "none yet".into());
    say!("Report {} to {}", uk(r.from), uk(r.to));
    say!("Received {} (and {} redirected), completed {}", r.received, r.redirected, r.completed);
    say!("Median from receipt to decision: {}", days(r.median_days_to_decision));
    say!("Median from receipt to first viewing: {}", days(r.median_days_to_viewing));
    say!("Overdue now: {}", r.overdue_now);
    say!("Incidents: {} ({} not yet referred to information governance)", r.incidents, r.incidents_unreferred);
    say!();
    let widest = r.per_month.iter().map(|m| m.received.max(m.completed)).max().unwrap_or(0).max(1);
    let bar = |n: u32| "█".repeat((n * 30).div_ceil(widest) as usize);
    // A month the period covers only part of says which days ("2025-11 (25–30)").
    let month = |m: &crate::domain::report::Month| {
        if m.is_partial() { format!("{} ({})", m.month, m.days()) } else { m.month.clone() }
    };
    let wide = r.per_month.iter().map(|m| month(m).chars().count()).max().unwrap_or(7).max(5);
    say!("{:<wide$}  RECEIVED                                 COMPLETED", "MONTH");
    for m in &r.per_month {
        let line = format!(
            "{:<wide$}  {:>3} {:<36} {:>3} {}",
            month(m),
            m.received,
            bar(m.received),
            m.completed,
            bar(m.completed)
        );
        say!("{}", line.trim_end());
    }
    say!();
    let body: Vec<Vec<String>> = r.by_organisation.iter().map(|(o, n)| vec![s(o), n.to_string()]).collect();
    table(&["ORGANISATION", "RECEIVED"], &body);
    if !r.refusals.is_empty() {
        say!();
        let body: Vec<Vec<String>> =
            r.refusals.iter().map(|x| vec![x.reference.clone(), s(&x.organisation), s(&x.reason)]).collect();
        table(&["REFUSED", "ORGANISATION", "REASON"], &body);
    }
    Ok(())
}

/// How many rows of one kind of problem the summary names before "…".
const SUMMARY_ROWS: usize = 5;

/// What an import did or would do: the counts, what it creates, the unknown names
/// (each once, with its rows), the tracker rows matched to no one request, then the
/// problems grouped by kind (one line each with its count and first rows), or with
/// `all` every problem of every row.
pub fn import(r: &crate::service::import::ImportReport, all: bool, proposals_file: Option<&std::path::Path>) {
    use crate::interop::import::proposals::rows_text;
    let verb = if r.imported { "Imported" } else { "Would import" };
    say!(
        "{verb} from {}: {} requests and {} viewings; already present (skipped): {} requests, {} viewings.",
        s(&r.file),
        r.requests,
        r.viewings,
        r.requests_already_present,
        r.viewings_already_present
    );
    if !r.created.is_empty() {
        say!("{} ({}):", if r.imported { "Created" } else { "Would create" }, r.created.len());
        for c in &r.created {
            say!("  {}", s(c));
        }
    }
    let unresolved: Vec<_> = r.unresolved().collect();
    if !unresolved.is_empty() {
        say!(
            "Unknown names ({}): each is proposed once; --create-missing creates them, or review --write-proposals FILE and import with --proposals FILE:",
            unresolved.len()
        );
        for u in &unresolved {
            say!("  {} '{}': {} ({})", u.what.label(), s(&u.name), s(&u.proposal), rows_text(&u.rows, Some(8)));
        }
    }
    let lines = |title: &str, rows: &[crate::interop::import::Rejected]| {
        if rows.is_empty() {
            return;
        }
        let count: std::collections::BTreeSet<(&str, usize)> = rows.iter().map(|x| (x.sheet.as_str(), x.row)).collect();
        let n = |k: usize, what: &str| format!("{k} {what}{}", if k == 1 { "" } else { "s" });
        if all {
            say!("{title} ({}):", n(count.len(), "row"));
            for x in rows {
                say!("Rejected {} row {}: {}", s(&x.sheet), x.row, s(&x.reason));
            }
            return;
        }
        // One line per kind of problem: its count, its first rows and the first
        // row's words.
        let mut kinds: Vec<(String, Vec<&crate::interop::import::Rejected>)> = Vec::new();
        for x in rows {
            let k = x.kind();
            match kinds.iter_mut().find(|(kind, _)| *kind == k) {
                Some((_, v)) => v.push(x),
                None => kinds.push((k, vec![x])),
            }
        }
        say!("{title} ({}, {}):", n(count.len(), "row"), n(kinds.len(), "kind"));
        for (_, xs) in &kinds {
            let at: Vec<(String, usize)> = xs.iter().map(|x| (x.sheet.clone(), x.row)).collect();
            let first = xs[0];
            if xs.len() == 1 {
                say!("  {} row {}: {}", s(&first.sheet), first.row, s(&first.reason));
            } else {
                say!(
                    "  {} × {} (e.g. {} row {}: {})",
                    xs.len(),
                    rows_text(&at, Some(SUMMARY_ROWS)),
                    s(&first.sheet),
                    first.row,
                    s(&first.reason)
                );
            }
        }
    };
    lines("Tracker rows matched to no one request", &r.unmatched);
    if r.unmatched_waiting > 0 {
        say!(
            "{} tracker row(s) match no request yet: they are matched once the unknown names are resolved.",
            r.unmatched_waiting
        );
    }
    lines("Problems", &r.rejected);
    if !all && (!r.rejected.is_empty() || !r.unmatched.is_empty()) {
        say!("(--all-problems lists every problem of every row.)");
    }
    if let Some(f) = proposals_file {
        say!(
            "Proposals written to {} (mode 0600): review them, then import with --proposals {}.",
            f.display(),
            f.display()
        );
    }
    if r.dry_run {
        say!("Dry run: nothing was written. Import with --commit once this reads right.");
    }
}

/// What a step command says when it is done: the step, the status, the next step.
pub(super) fn done(what: &str, f: &RequestFile) {
    let next = crate::domain::checklist::next_step(f)
        .map(|s| format!("; next: step {} {}", s.number(), crate::domain::checklist::step_label(f, s)))
        .unwrap_or_default();
    say!("{}: {what}. Status: {}{next}", f.request.reference, f.request.status.label());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_then_the_terminal_then_no_limit() {
        assert_eq!(width_from(Some("72"), || Some((120, 40))), Some(72));
        assert_eq!(width_from(None, || Some((120, 40))), Some(120));
        assert_eq!(width_from(Some("wide"), || Some((100, 40))), Some(100), "a COLUMNS that is no number is ignored");
        assert_eq!(width_from(Some("0"), || None), None);
        assert_eq!(width_from(None, || None), None, "not a terminal: today's layout, whatever its width");
    }

    #[test]
    fn a_table_that_fits_is_aligned_by_display_width() {
        let rows = vec![
            vec!["テスト花子".to_string(), "Exampleshire County Council".to_string()],
            vec!["Pip Testcase".to_string(), "Fictional Borough Council".to_string()],
        ];
        let lines = table_lines(&["CHILD", "ORGANISATION"], &rows, Some(80));
        // Five wide characters take ten columns: the second column starts at 14 on every line.
        for l in &lines {
            let (child, _) = l.split_at(l.find(['E', 'F', 'O']).unwrap());
            assert_eq!(width(child), 14, "{lines:#?}");
        }
    }

    #[test]
    fn a_table_too_wide_becomes_one_field_per_line() {
        let rows = vec![
            vec!["REQ-2026-0001".to_string(), "テスト花子".to_string(), String::new()],
            vec!["REQ-2026-0002".to_string(), "Pip Testcase".to_string(), "Fictional Borough Council".to_string()],
        ];
        let lines = table_lines(&["REFERENCE", "CHILD", "ORGANISATION"], &rows, Some(30));
        assert_eq!(
            lines,
            [
                "REFERENCE     REQ-2026-0001",
                "CHILD         テスト花子",
                "",
                "REFERENCE     REQ-2026-0002",
                "CHILD         Pip Testcase",
                "ORGANISATION  Fictional",
                "              Borough Council",
            ]
        );
        assert_eq!(
            table_lines(&["REFERENCE", "CHILD", "ORGANISATION"], &rows, None).len(),
            3,
            "no limit: a row a line"
        );
    }
}
