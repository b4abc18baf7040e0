//! The terminal: setup and restore (a panic or error restores the terminal before
//! printing), the event loop, and running the app's effects through the service.
//!
//! Keys → `app::keymap` → `Action` → `App::update` → `Effect`s → service → reload →
//! `ui::render`. Another user's commit is noticed within a second through SQLite's
//! `data_version` and the visible data is reloaded without losing the cursor.

pub mod submit;

use std::collections::VecDeque;
use std::io::Write;
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::Duration as Days;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::app::forms::Lookups;
use crate::app::{Action, App, Effect, Notice, View};
use crate::domain::Status;
use crate::domain::dates::parse_date;
use crate::service::{Result, Service, ServiceError};
use crate::store::lists::{ListFilter, TrackerFilter};
use crate::ui::{self, Theme};

/// Reference data for the pickers.
pub fn lookups(svc: &Service) -> Result<Lookups> {
    Ok(Lookups { orgs: svc.organisations()?, areas: svc.areas()?, staff: svc.staff()?, rooms: svc.rooms()? })
}

/// A fresh app for the acting user, with the list loaded.
pub fn start(svc: &mut Service, width: u16, height: u16) -> Result<App> {
    svc.keep_session_cache();
    let mut app = App::new(svc.actor().clone(), svc.today(), svc.settings().clone(), lookups(svc)?);
    let effects = app.update(Action::Resize(width, height));
    run_effects(&mut app, svc, effects);
    run_effects(&mut app, svc, vec![Effect::LoadList]);
    Ok(app)
}

/// Runs the full-screen application until the user quits.
pub fn run(mut svc: Service) -> anyhow::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut svc);
    ratatui::restore();
    // Leave the database file complete on its own where nobody else is busy.
    let _ = svc.store().fold_log();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, svc: &mut Service) -> anyhow::Result<()> {
    let table = crate::app::keymap::bindings();
    let theme = Theme::from_env();
    let size = terminal.size()?;
    let mut app = start(svc, size.width, size.height)?;
    let mut seen = svc.store().data_version()?;
    let mut last_poll = Instant::now();
    loop {
        terminal.draw(|f| ui::render(f, &app, &table, &theme))?;
        if app.quit {
            return Ok(());
        }
        if event::poll(Duration::from_millis(200))? {
            let action = match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    crate::app::keymap::resolve(&table, crate::app::keymap::mode_of(&app), k)
                }
                Event::Resize(w, h) => Some(Action::Resize(w, h)),
                _ => None,
            };
            if let Some(a) = action {
                let effects = app.update(a);
                run_effects(&mut app, svc, effects);
            }
        } else if let Err(e) = svc.warm_session_cache() {
            // Nothing typed for a moment: get the search ready for when it is.
            app.notice = Some(Notice::Error(e.on_screen()));
        }
        if last_poll.elapsed() >= Duration::from_millis(700) {
            last_poll = Instant::now();
            let now = svc.store().data_version()?;
            let new_day = svc.today() != app.today;
            if now != seen || new_day {
                seen = now;
                refresh(&mut app, svc);
            }
        }
    }
}

/// Reloads what is visible after someone else's change (or midnight).
pub fn refresh(app: &mut App, svc: &mut Service) {
    if let Err(e) = svc.reload() {
        app.notice = Some(Notice::Error(e.on_screen()));
        return;
    }
    app.today = svc.today();
    app.settings = svc.settings().clone();
    if let Ok(lk) = lookups(svc) {
        app.lookups = lk;
    }
    let mut effects = vec![Effect::FollowSelection, Effect::LoadList];
    match app.screen {
        crate::app::Screen::Tracker => effects.push(Effect::RefreshTracker),
        crate::app::Screen::Log => effects.push(Effect::LoadLog(app.log.reference.clone())),
        _ => {}
    }
    run_effects(app, svc, effects);
}

/// Shows a refused save under its form. A refusal for a stale version rebuilds the
/// form from the request as it now is (new items appear, unticked), keeping what was
/// typed, so that a second save is a decision on what is there now.
fn refused(
    app: &mut App,
    svc: &Service,
    kind: crate::app::form::FormKind,
    reference: Option<String>,
    e: ServiceError,
    queue: &mut VecDeque<Effect>,
) -> Result<()> {
    let conflict = matches!(&e, ServiceError::Refused(r) if r.rule == crate::domain::Rule::Conflict);
    app.update(Action::Refused(e.on_screen()));
    if conflict && let (Some(r), Some(old)) = (reference, app.form.take()) {
        let fresh = svc.request(&r)?;
        let mut form = crate::app::forms::for_kind(kind, &fresh, &app.lookups, app.today);
        form.refill_from(&old);
        form.error =
            old.error.map(|e| format!("{e}. The form now shows the request as it is: check it, then save again."));
        app.form = Some(form);
        queue.push_back(Effect::LoadDetail(r));
    }
    Ok(())
}

/// Puts the selection on a request where it stands in the current view, for the
/// next page load to land on; false if the view does not list it.
fn select(app: &mut App, svc: &Service, reference: String) -> Result<bool> {
    let Some(pos) = svc.position(&list_filter(app), &reference)? else { return Ok(false) };
    let page = app.page();
    app.list.selected = pos;
    if pos < app.list.top || pos >= app.list.top + page {
        app.list.top = pos.saturating_sub(page / 2);
    }
    app.list.follow = Some(reference);
    Ok(true)
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

/// Runs effects (and the effects they lead to) through the service.
pub fn run_effects(app: &mut App, svc: &mut Service, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Err(e) = run_one(app, svc, effect, &mut queue) {
            app.notice = Some(Notice::Error(e.on_screen()));
        }
    }
}

fn run_one(app: &mut App, svc: &mut Service, effect: Effect, queue: &mut VecDeque<Effect>) -> Result<()> {
    match effect {
        Effect::LoadList => {
            let mut filter = list_filter(app);
            let total = svc.count(&filter)? as usize;
            let page = app.page();
            let top = app.list.top.min(total.saturating_sub(page));
            filter.limit = Some(page as u32);
            filter.offset = top as u32;
            let rows = svc.list(&filter)?;
            app.set_list(top, rows, total);
            match app.selected_reference() {
                Some(r) => queue.push_back(Effect::LoadDetail(r.to_string())),
                None => app.set_detail(None),
            }
        }
        Effect::LoadDetail(r) => app.set_detail(svc.request(&r).ok()),
        Effect::FollowSelection => {
            // Stay with the selected request wherever a change moved it in the order.
            if let Some(r) = app.selected_reference().map(str::to_string) {
                select(app, svc, r)?;
            }
        }
        Effect::Select(r) => {
            if select(app, svc, r)? {
                queue.push_back(Effect::LoadList);
            }
        }
        Effect::RefreshTracker => {
            let filter = tracker_filter(&app.tracker.search, app.today);
            let (was, at) = (app.tracker.selected_reference().map(str::to_string), app.tracker.selected);
            (app.tracker.rows, app.tracker.shares) = (svc.tracker(&filter)?, svc.direct_shares(&filter)?);
            // Stay on the same request's line where it is still listed.
            let refs =
                app.tracker.rows.iter().map(|r| &r.reference).chain(app.tracker.shares.iter().map(|r| &r.reference));
            let same = refs.enumerate().find(|(_, r)| Some(r.as_str()) == was.as_deref()).map(|(i, _)| i);
            app.tracker.selected = same.unwrap_or(at).min(app.tracker.len().saturating_sub(1));
        }
        Effect::LoadTracker => {
            let filter = tracker_filter(&app.tracker.search, app.today);
            (app.tracker.rows, app.tracker.shares) = if app.tracker.typing || filter.is_empty() {
                (svc.tracker(&filter)?, svc.direct_shares(&filter)?)
            } else {
                // A kept search is a lookup of who viewed what: recorded.
                let found = svc.who_viewed(&filter)?;
                (found.viewings, found.direct_shares)
            };
            app.tracker.selected = app.tracker.selected.min(app.tracker.len().saturating_sub(1));
        }
        Effect::LoadLog(r) => {
            app.log.events = svc.log(r.as_deref(), 1000)?;
            app.log.verify = if r.is_none() { Some(svc.verify_for_screen()?) } else { None };
            app.log.reference = r;
        }
        Effect::LoadLetter(r, kind) => {
            let text = match kind {
                // The case note is always shown: a draft until something is shared.
                crate::domain::LetterKind::CaseNote => svc.case_note_text(&r).map_err(|e| e.on_screen()),
                _ => svc.letter(&r, kind).map_err(|e| e.on_screen()),
            };
            app.letter = Some(crate::app::LetterView { reference: r, kind, text });
        }
        Effect::Submit(crate::app::Save { kind, reference, version, values }) => {
            match submit::submit(svc, kind, reference.as_deref(), version, &values) {
                Ok((msg, made)) => {
                    queue.extend(app.update(Action::Saved(msg)));
                    // A request just recorded is the one to work on next.
                    if let Some(r) = made {
                        queue.push_back(Effect::Select(r));
                    }
                }
                Err(e) => refused(app, svc, kind, reference, e, queue)?,
            }
        }
        Effect::Check(crate::app::Save { kind, reference, version, values }) => {
            match svc.rehearse(|svc| submit::submit(svc, kind, reference.as_deref(), version, &values)) {
                Ok(_) => queue.extend(app.update(Action::Checked)),
                Err(e) => refused(app, svc, kind, reference, e, queue)?,
            }
        }
        Effect::LoadReport => app.report = Some(svc.report(None, None)?),
        Effect::RecordSearch(text) => svc.record_search(&text)?,
        Effect::Clipboard(text) => {
            let mut out = std::io::stdout();
            let _ = write!(out, "\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text.as_bytes()));
            let _ = out.flush();
        }
        Effect::WriteFile { name, text } => {
            let written = crate::private_file::write(std::path::Path::new(&name), text.as_bytes());
            let full = std::env::current_dir().map(|d| d.join(&name).display().to_string()).unwrap_or(name.clone());
            app.notice = Some(match written {
                Ok(()) => Notice::Info(format!("Saved to {full} (mode 0600)")),
                Err(e) => Notice::Error(format!("could not save {name}: {e}")),
            });
        }
    }
    Ok(())
}
