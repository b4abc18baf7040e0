//! In-process TUI benchmarks on the generated data set (100,000 requests unless
//! CASESHARE_BENCH_REQUESTS says otherwise): open → first frame, a filter keystroke
//! → frame, moving the selection → frame (criterion), then p50/p99 over 1,000
//! keystrokes and moves, and the peak resident memory, printed as a table.
//!
//! `cargo bench --bench tui`

mod support;

use std::time::{Duration, Instant};

use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use caseshare::app::keymap;
use caseshare::app::{Action, App};
use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use caseshare::tui;
use caseshare::ui::{self, Theme};

struct Session {
    svc: Service,
    app: App,
    terminal: Terminal<TestBackend>,
    table: Vec<keymap::Binding>,
}

fn open(path: &std::path::Path, login: &str) -> Session {
    let store = Store::open(path, OpenMode::Existing).unwrap();
    let mut svc = Service::open(store, login, Clock::System).unwrap();
    let app = tui::start(&mut svc, 120, 40).unwrap();
    let mut s =
        Session { svc, app, terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(), table: keymap::bindings() };
    s.draw();
    s
}

impl Session {
    fn draw(&mut self) {
        let (app, table) = (&self.app, &self.table);
        self.terminal.draw(|f| ui::render(f, app, table, &Theme { color: true })).unwrap();
    }
    /// What the event loop does while nobody is typing (the first 200 ms after the
    /// first frame): gets the in-memory search ready.
    fn idle(self) -> Self {
        self.svc.warm_session_cache().unwrap();
        self
    }
    /// One action, its effects, and the next frame: what a keypress costs.
    fn press(&mut self, action: Action) {
        let effects = self.app.update(action);
        tui::run_effects(&mut self.app, &mut self.svc, effects);
        self.draw();
    }
}

/// A word typed into the filter, a letter at a time, then erased.
fn typed_and_erased(word: &str) -> Vec<Action> {
    let typed = word.chars().map(|c| Action::Input(KeyEvent::from(KeyCode::Char(c))));
    let erased = word.chars().map(|_| Action::Input(KeyEvent::from(KeyCode::Backspace)));
    typed.chain(erased).collect()
}

/// The keys a person types into the filter: names, organisations, references and
/// Mosaic IDs (several matching a third of all requests), each erased again.
fn filter_keys() -> Vec<Action> {
    let words = ["kara", "exampleshire", "req-2025-1", "demo-10004", "madeup", "imaginary", "fictional"];
    let mut keys = Vec::new();
    for w in words.iter().cycle() {
        keys.extend(typed_and_erased(w));
        if keys.len() >= 1000 {
            break;
        }
    }
    keys.truncate(1000);
    keys
}

/// Moves through the list: mostly single steps, sometimes a page, to the end and back.
fn move_keys() -> Vec<Action> {
    (0..1000)
        .map(|i| match i % 50 {
            0..=9 => Action::PageDown,
            10..=29 => Action::Down,
            30..=39 => Action::Up,
            _ => Action::PageUp,
        })
        .collect()
}

fn timed(session: &mut Session, keys: Vec<Action>) -> Vec<Duration> {
    let mut times: Vec<Duration> = keys
        .into_iter()
        .map(|k| {
            let t = Instant::now();
            session.press(k);
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// One session in a process of its own (this bench, run again): open, filter
/// 1,000 keys, move 1,000 keys, then report the process's peak resident memory.
fn session_alone(path: &std::path::Path, login: &str) {
    let mut s = open(path, login).idle();
    s.press(Action::StartFilter);
    timed(&mut s, filter_keys());
    s.press(Action::Back);
    timed(&mut s, move_keys());
    println!("{:.1}", support::peak_rss_mb());
}

/// One line of the table: the median and p99 of some sorted timings.
fn row(what: &str, sorted: &[Duration], target: &str) {
    let (p50, p99) = (support::percentile(sorted, 50.0), support::percentile(sorted, 99.0));
    println!("{what:<44} {:>10} {:>10} {target:>10}", support::ms(p50), support::ms(p99));
}

fn main() {
    let n = support::size();
    let path = support::dataset(n);
    let login = caseshare::identity::current_login().unwrap();
    if std::env::var_os("CASESHARE_BENCH_SESSION").is_some() {
        return session_alone(&path, &login);
    }

    let mut c = Criterion::default().configure_from_args().sample_size(20);
    c.bench_function("tui: open database -> first frame", |b| b.iter(|| open(&path, &login)));
    // Criterion wants every iteration alike, so each is a whole gesture: a word
    // typed and erased again, or ten pages down and back. The per-keystroke
    // percentiles against the targets follow below.
    let mut s = open(&path, &login).idle();
    s.press(Action::StartFilter);
    let word = typed_and_erased("exampleshire");
    c.bench_function("tui: type 'exampleshire' and erase it (24 keys -> 24 frames)", |b| {
        b.iter(|| word.iter().for_each(|k| s.press(k.clone())))
    });
    let mut m = open(&path, &login).idle();
    let pages: Vec<Action> = (0..20).map(|i| if i < 10 { Action::PageDown } else { Action::PageUp }).collect();
    c.bench_function("tui: ten pages down and back (20 keys -> 20 frames)", |b| {
        b.iter(|| pages.iter().for_each(|k| m.press(k.clone())))
    });
    c.final_summary();

    // Percentiles over exactly 1,000 presses, from a fresh session each.
    let open_times: Vec<Duration> = {
        let mut v: Vec<Duration> = (0..10)
            .map(|_| {
                let t = Instant::now();
                let _ = open(&path, &login);
                t.elapsed()
            })
            .collect();
        v.sort();
        v
    };
    // Building the search text while idle (not on any keystroke), 5 runs.
    let mut idle_times: Vec<Duration> = (0..5)
        .map(|_| {
            let s = open(&path, &login);
            let t = Instant::now();
            let s = s.idle();
            let took = t.elapsed();
            drop(s);
            took
        })
        .collect();
    idle_times.sort();
    let mut s = open(&path, &login).idle();
    s.press(Action::StartFilter);
    let filter = timed(&mut s, filter_keys());
    let mut m = open(&path, &login).idle();
    let moves = timed(&mut m, move_keys());
    let whole = support::peak_rss_mb();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .env("CASESHARE_BENCH_SESSION", "1")
        .output()
        .expect("the session runs in a process of its own");
    assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stderr));
    let alone: f64 = String::from_utf8_lossy(&child.stdout).lines().last().and_then(|l| l.trim().parse().ok()).unwrap();
    println!();
    let build = if cfg!(debug_assertions) { "debug build: a smoke run, not a measurement" } else { "release build" };
    println!("TUI on {n} generated requests (120x40 TestBackend, in process, {build})");
    println!("{:<44} {:>10} {:>10} {:>10}", "measure", "median", "p99", "target");
    row("open database -> first frame (10 runs)", &open_times, "150 ms");
    row("  then, while idle: search text built (5 runs)", &idle_times, "");
    row("filter keystroke -> frame (1,000 keys)", &filter, "16 ms p99");
    row("move selection / page -> frame (1,000 keys)", &moves, "5 ms p99");
    println!("{:<44} {:>10.1} MB {:>18}", "peak resident memory, one session alone", alone, "64 MB");
    println!("{:<44} {:>10.1} MB {:>18}", "  (this whole bench process, for comparison)", whole, "");
}
