//! Running the app's effects through the service. Each effect reads the app (never
//! writes it) and comes back as an action for `App::update`: the loop feeds the
//! action in and runs the effects that leads to, until there are none.

use std::collections::VecDeque;
use std::io::Write;

use base64::Engine;
use chrono::Duration as Days;

use super::submit;
use crate::app::form::Values;
use crate::app::{Action, App, Effect, LetterView, ListPage, LogPage, Save, Settle, TrackerPage, View};
use crate::domain::dates::parse_date;
use crate::domain::{LetterKind, Rule, Status};
use crate::service::{Service, ServiceError};
use crate::store::lists::{ListFilter, TrackerFilter};

/// Runs effects, and the effects their results lead to, through the service.
pub fn run_effects(app: &mut App, svc: &mut Service, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Some(action) = run(app, svc, effect) {
            queue.extend(app.update(action));
        }
    }
}

/// One effect: what it found or did, as the action that tells `update`.
fn run(app: &App, svc: &mut Service, effect: Effect) -> Option<Action> {
    let shown = |e: ServiceError| e.on_screen();
    Some(match effect {
        Effect::LoadList => Action::ListLoaded(list_page(app, svc).map_err(shown)),
        Effect::LoadDetail(r) => Action::DetailLoaded(svc.request(&r).map(Box::new).map_err(shown)),
        Effect::FollowSelection => {
            // Stay with the selected request wherever a change moved it in the order.
            let r = app.selected_reference()?.to_string();
            positioned(app, svc, r)
        }
        Effect::Select(r) => positioned(app, svc, r),
        Effect::LoadTracker(settle) => {
            let filter = tracker_filter(&app.tracker.search, app.today);
            Action::TrackerLoaded { found: tracker_page(svc, &filter, settle).map_err(shown), follow: false }
        }
        Effect::RefreshTracker => {
            let filter = tracker_filter(&app.tracker.search, app.today);
            Action::TrackerLoaded { found: tracker_page(svc, &filter, Settle::Again).map_err(shown), follow: true }
        }
        Effect::SettleLookups(how) => return svc.settle_lookups(how).err().map(|e| Action::Failed(shown(e))),
        Effect::LoadLog(r) => {
            let found = (|| {
                let events = svc.log(r.as_deref(), 1000)?;
                let verify = if r.is_none() { Some(svc.verify_for_screen()?) } else { None };
                Ok(Box::new(LogPage { events, verify }))
            })();
            Action::LogLoaded { reference: r, found: found.map_err(shown) }
        }
        Effect::LoadLetter(r, kind) => {
            let text = match kind {
                // The case note is always shown: a draft until something is shared.
                LetterKind::CaseNote => svc.case_note_text(&r).map_err(shown),
                _ => svc.letter(&r, kind).map_err(shown),
            };
            Action::LetterLoaded(LetterView { reference: r, kind, text })
        }
        Effect::Submit(Save { reference, version, values, confirmed }) => {
            match submit::submit(svc, reference.as_deref(), version, &values, &confirmed) {
                Ok((message, made)) => Action::Saved { message, made },
                Err(e) => refused(svc, reference, e),
            }
        }
        // A disposal has a dry run of its own, whose counts the y/n question shows.
        Effect::Check(Save { reference, values: Values::Dispose(v), .. }) => {
            match super::retention::dry_run(svc, reference.as_deref().unwrap_or_default(), &v) {
                Ok(text) => Action::DisposalChecked(text),
                Err(e) => refused(svc, reference, e),
            }
        }
        Effect::Check(Save { reference, version, values, confirmed }) => {
            match svc.rehearse(|svc| submit::submit(svc, reference.as_deref(), version, &values, &confirmed)) {
                Ok(_) => Action::Checked,
                Err(e) => refused(svc, reference, e),
            }
        }
        Effect::LoadAdmin => Action::AdminLoaded(super::admin::page(svc).map(Box::new).map_err(shown)),
        Effect::LoadRetention => Action::RetentionLoaded(svc.retention_due().map(Box::new).map_err(shown)),
        Effect::LoadReport => Action::ReportLoaded(svc.report(None, None).map(Box::new).map_err(shown)),
        Effect::LoadSubject(query) => {
            let tz = svc.settings().timezone;
            Action::SubjectLoaded(
                svc.subject_report(&query).map(|r| crate::domain::subject::lines(&r, tz)).map_err(shown),
            )
        }
        Effect::Clipboard(text) => {
            let mut out = std::io::stdout();
            let _ = write!(out, "\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text.as_bytes()));
            let _ = out.flush();
            return None;
        }
        Effect::WriteFile { name, text } => {
            Action::Written(save_letter(&name, &text).map_err(|e| format!("could not save {name}: {e}")))
        }
    })
}

/// Writes a letter or case note as a private file (0600) in the `letters` folder
/// of caseshare's data folder (made 0700), or the current folder where there is no
/// home; returns the full path, for the status line to say.
fn save_letter(name: &str, text: &str) -> std::io::Result<String> {
    use std::os::unix::fs::DirBuilderExt;
    let folder = match crate::dirs::user_dirs() {
        Some(d) => d.data_dir().join("letters"),
        None => std::env::current_dir()?,
    };
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&folder)?;
    let path = folder.join(name);
    crate::private_file::write(&path, text.as_bytes()).map_err(std::io::Error::other)?;
    Ok(path.display().to_string())
}

/// The list window for the current view, filter, size and scroll position.
/// A search typed in is recorded by the service once settled; a reload of the list
/// (paging, someone else's change) shows the same query again.
fn list_page(app: &App, svc: &mut Service) -> crate::service::Result<ListPage> {
    let mut filter = list_filter(app);
    let total = svc.count(&filter)? as usize;
    let page = app.page();
    let top = app.list.top.min(total.saturating_sub(page));
    filter.limit = Some(page as u32);
    filter.offset = top as u32;
    let settle = if app.filtering { Settle::Typing } else { Settle::Again };
    Ok(ListPage { top, rows: svc.search_list(&filter, settle)?, total })
}

fn tracker_page(svc: &mut Service, filter: &TrackerFilter, settle: Settle) -> crate::service::Result<TrackerPage> {
    let found = svc.viewings(filter, settle)?;
    Ok(TrackerPage { rows: found.viewings, shares: found.direct_shares })
}

/// Where a request stands in the current view, for the next page load to land on.
fn positioned(app: &App, svc: &Service, reference: String) -> Action {
    match svc.position(&list_filter(app), &reference) {
        Ok(at) => Action::Positioned { reference, at },
        Err(e) => Action::Failed(e.on_screen()),
    }
}

/// A refused save. One refused because the request changed since the form opened
/// comes back with the request as it now is, for the form to be rebuilt from.
fn refused(svc: &Service, reference: Option<String>, e: ServiceError) -> Action {
    let message = e.on_screen();
    if let ServiceError::Refused(r) = &e
        && let Some(confirm) = &r.confirm
    {
        return Action::Ask { message, confirm: confirm.clone() };
    }
    let conflict = matches!(&e, ServiceError::Refused(r) if r.rule == Rule::Conflict);
    match reference {
        Some(r) if conflict => match svc.request(&r) {
            Ok(now) => Action::Stale { message, now: Box::new(now) },
            Err(_) => Action::Refused(message),
        },
        _ => Action::Refused(message),
    }
}

/// The list query for the current view and filter.
pub fn list_filter(app: &App) -> ListFilter {
    let mut f = ListFilter { open_only: true, ..ListFilter::default() };
    match app.view {
        View::MyOpen => f.owner_id = Some(app.me.id),
        View::Overdue => f.overdue = true,
        View::AwaitingApproval => f.statuses = vec![Status::AwaitingApproval],
        View::ScheduledThisWeek => f.booked = Some((app.today, app.today + Days::days(6))),
        View::AllOpen => {}
        View::Closed => {
            f.open_only = false;
            f.statuses = vec![Status::Complete, Status::Refused, Status::Withdrawn, Status::Redirected];
        }
    }
    // Searches start at three characters: fewer match nearly everything, and the
    // trigram index answers three or more without reading every request.
    if app.filter.trim().chars().count() >= crate::app::MIN_SEARCH {
        f.text = Some(app.filter.clone());
        // A filter finds closed requests too: the on-call question is "any request".
        if app.view == View::AllOpen {
            f.open_only = false;
        }
    }
    f
}

/// The tracker query: words match child, Mosaic ID, organisation, viewer or
/// reference; `DD/MM/YYYY..DD/MM/YYYY` limits the dates.
pub fn tracker_filter(search: &str, today: chrono::NaiveDate) -> TrackerFilter {
    let mut f = TrackerFilter { limit: Some(500), ..TrackerFilter::default() };
    let mut words = Vec::new();
    for token in search.split_whitespace() {
        match token.split_once("..") {
            Some((a, b)) => {
                f.from = parse_date("from", a, today).ok();
                f.to = parse_date("to", b, today).ok();
            }
            None => words.push(token),
        }
    }
    if !words.is_empty() {
        f.text = Some(words.join(" "));
    }
    f
}
