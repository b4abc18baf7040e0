//! The terminal: setup and restore (a panic or error restores the terminal before
//! printing), the event loop, and running the app's effects through the service.
//!
//! Keys → `app::keymap` → `Action` → `App::update` → `Effect`s → service → reload →
//! `ui::render`. Another user's commit is noticed within a second through SQLite's
//! `data_version` and the visible data is reloaded without losing the cursor.

mod admin;
mod effects;
mod retention;
pub mod submit;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::app::forms::Lookups;
use crate::app::{Action, App, Effect};
use crate::service::{Result, Service};
use crate::ui::{self, Theme};

pub use effects::{list_filter, run_effects, tracker_filter};

/// Reference data for the pickers.
pub fn lookups(svc: &Service) -> Result<Lookups> {
    let aliases = svc
        .organisations_with_aliases()?
        .into_iter()
        .flat_map(|(o, aliases)| aliases.into_iter().map(move |a| (o.id, a)))
        .collect();
    Ok(Lookups { orgs: svc.organisations()?, areas: svc.areas()?, staff: svc.staff()?, rooms: svc.rooms()?, aliases })
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
    // A search still being typed when the app closed was seen: settled.
    let _ = svc.settle_lookups(crate::service::lookup::Settled::Quit);
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
            if action == Some(Action::Suspend) {
                suspend(terminal)?;
                continue;
            }
            if let Some(a) = action {
                let effects = app.update(a);
                // Slow work (verify) is said on screen before it starts.
                if app.busy.is_some() {
                    terminal.draw(|f| ui::render(f, &app, &table, &theme))?;
                }
                run_effects(&mut app, svc, effects);
            }
        } else if let Err(e) = svc.settle_idle(Instant::now()) {
            // A search that has stood a second with no key is settled: recorded.
            let effects = app.update(Action::Failed(e.on_screen()));
            run_effects(&mut app, svc, effects);
        } else if let Err(e) = svc.warm_session_cache() {
            // Nothing typed for a moment: get the search ready for when it is.
            let effects = app.update(Action::Failed(e.on_screen()));
            run_effects(&mut app, svc, effects);
        }
        if last_poll.elapsed() >= Duration::from_millis(700) {
            last_poll = Instant::now();
            let now = svc.store().data_version()?;
            let new_day = svc.today() != app.today;
            if now != seen || new_day {
                seen = now;
                refresh_drawing(&mut app, svc, |app| {
                    let _ = terminal.draw(|f| ui::render(f, app, &table, &theme));
                });
            }
        }
    }
}

/// Ctrl-Z: gives the terminal back to the shell and stops the process (as a shell
/// would on SIGTSTP); on `fg`, takes the terminal again and redraws it whole.
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> anyhow::Result<()> {
    use ratatui::crossterm::{execute, terminal as term};
    ratatui::restore();
    nix::sys::signal::raise(nix::sys::signal::Signal::SIGSTOP)?;
    // Resumed.
    term::enable_raw_mode()?;
    execute!(std::io::stdout(), term::EnterAlternateScreen)?;
    terminal.clear()?;
    Ok(())
}

/// Reloads what is visible after someone else's change (or midnight).
pub fn refresh(app: &mut App, svc: &mut Service) {
    refresh_drawing(app, svc, |_| {})
}

/// As [`refresh`]; `draw` shows the screen first when the reload is slow (the whole
/// log's verify), so that it says so rather than freezing.
fn refresh_drawing(app: &mut App, svc: &mut Service, draw: impl FnOnce(&App)) {
    let action = match svc.reload() {
        Ok(()) => Action::Reloaded {
            today: svc.today(),
            settings: Box::new(svc.settings().clone()),
            lookups: lookups(svc).ok().map(Box::new),
        },
        Err(e) => Action::Failed(e.on_screen()),
    };
    let effects = app.update(action);
    if app.busy.is_some() {
        draw(app);
    }
    run_effects(app, svc, effects);
}
