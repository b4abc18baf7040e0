//! Looking things up. Who-viewed lookups are themselves recorded, because knowing
//! who looked at a child's sharing history is part of the record.

use serde_json::json;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{Result, Service, ServiceError, load_or_not_found};
use chrono::NaiveDate;

use crate::domain::{Organisation, Refusal, RequestFile, Room, Rule, ServiceArea, Staff, casenote};
use crate::store::anchor::{self, Anchor, AnchorCheck};
use crate::store::events::{self, Event};
use crate::store::lists::{self, ListFilter, RequestSummary, ShareRow, TrackerFilter, TrackerRow};
use crate::store::reference;
use crate::store::verify::{self, VerifyReport};

/// The answer to "who has seen this child's file": supervised viewings, and copies
/// shared directly without one.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WhoViewed {
    pub viewings: Vec<TrackerRow>,
    pub direct_shares: Vec<ShareRow>,
}

/// How long a query typed in must stand, with no further key, to count as settled.
pub const IDLE: Duration = Duration::from_secs(1);

/// Whether the query a lookup shows is settled, as the face that shows it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Still being typed: recorded once it has stood for [`IDLE`] (see
    /// [`Service::settle_idle`]) or is left, not when the next key replaces it.
    Typing,
    /// Settled now, this way.
    Now(Settled),
    /// The same query shown again after someone else's change: not a new lookup
    /// (one still being typed stays pending as it was).
    Again,
}

/// How a lookup was settled, as its event says (`"settled"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Settled {
    /// Enter kept the search.
    Enter,
    /// Esc left the search typed (its results had been shown).
    Esc,
    /// A screen that shows a lookup was opened (the tracker: every child's viewings).
    Opened,
    /// The screen was left.
    Left,
    /// The app was closed.
    Quit,
    /// The query stood for [`IDLE`] with no further key.
    Idle,
    /// A command (the command line).
    Cli,
}

/// What one Service remembers of its lookups. A query is recorded once it is
/// settled, and once a session (one command; one run of the TUI): a reload of the
/// same query after another user's change, paging through it, or coming back to it
/// is not recorded again.
#[derive(Debug, Default)]
pub struct LookupSession {
    pending: Option<Pending>,
    recorded: HashSet<String>,
}

/// A lookup shown and not yet recorded.
#[derive(Debug)]
struct Shown {
    /// The query, for "the same query".
    key: String,
    op: &'static str,
    after: serde_json::Value,
}

#[derive(Debug)]
struct Pending {
    shown: Shown,
    /// When it was first shown.
    since: Instant,
}

/// The largest log the whole-log screen rebuilds the tables for before it is drawn
/// (about a second); beyond it the screen checks the chain and says to run
/// `caseshare verify` for the tables.
pub const SCREEN_REBUILD_EVENTS: i64 = 50_000;

/// What `verify` is asked to check.
#[derive(Debug, Clone, Default)]
pub struct VerifyCheck {
    /// Rebuild the tables from the log and compare (off: the chain and triggers only).
    pub rebuild: bool,
    /// An anchor file whose every anchor the log must still extend.
    pub anchors: Option<PathBuf>,
    /// Walk only what came after the last anchor (in `anchors`, or the anchor file).
    pub since_last_anchor: bool,
}

/// Where `caseshare anchor` records the head.
#[derive(Debug, Clone)]
pub enum AnchorTo {
    /// This file, or the configured anchor file.
    File(Option<PathBuf>),
    Syslog,
}

impl Service {
    /// One request, whole.
    pub fn request(&self, reference: &str) -> Result<RequestFile> {
        load_or_not_found(self.store.conn(), reference.trim())
    }

    /// The request list (triage order: overdue first, then oldest).
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<RequestSummary>> {
        if let Some(m) = self.store.search_matches(filter, self.today())? {
            let from = (filter.offset as usize).min(m.len());
            let to = filter.limit.map_or(m.len(), |l| (from + l as usize).min(m.len()));
            return Ok(lists::summaries_by_ids(self.store.conn(), &m[from..to])?);
        }
        let overdue = if filter.overdue { 0 } else { self.count(&ListFilter { overdue: true, ..filter.clone() })? };
        Ok(lists::requests_after(self.store.conn(), filter, self.today(), overdue)?)
    }

    /// Where a request stands in the list's order, if the filter includes it.
    pub fn position(&self, filter: &ListFilter, reference: &str) -> Result<Option<usize>> {
        if let Some(m) = self.store.search_matches(filter, self.today())? {
            let Some(id) = lists::id_of(self.store.conn(), reference)? else { return Ok(None) };
            return Ok(m.iter().position(|&x| x == id));
        }
        Ok(lists::position(self.store.conn(), filter, self.today(), reference)?)
    }

    pub fn count(&self, filter: &ListFilter) -> Result<i64> {
        if let Some(m) = self.store.search_matches(filter, self.today())? {
            return Ok(m.len() as i64);
        }
        // Paging does not change the count: the key leaves limit and offset out.
        let today = self.today();
        let key = format!("{:?}", ListFilter { limit: None, offset: 0, ..filter.clone() });
        Ok(self.store.count(today, key, |conn| lists::count_requests(conn, filter, today))?)
    }

    /// Viewings and direct shares for `filter` as the tracker shows them: every
    /// child's when the filter is empty. What was shown is recorded once it is
    /// settled ([`Settle`]); see [`LookupSession`].
    pub fn viewings(&mut self, filter: &TrackerFilter, settle: Settle) -> Result<WhoViewed> {
        let viewings = lists::tracker(self.store.conn(), filter)?;
        // A copy sent without a viewing is also someone outside the council seeing the
        // file: the on-call answer includes it.
        let direct_shares = lists::direct_shares(self.store.conn(), filter)?;
        let query = serde_json::to_value(filter).expect("filters serialise");
        let shown = Shown {
            key: format!("who_viewed {query}"),
            op: "who_viewed",
            after: json!({ "query": query, "rows": viewings.len(), "direct_shares": direct_shares.len() }),
        };
        self.looked_up(shown, settle)?;
        Ok(WhoViewed { viewings, direct_shares })
    }

    /// "Who from which council saw this child's file, and when?" (the command line):
    /// recorded as an event at once.
    pub fn who_viewed(&mut self, filter: &TrackerFilter) -> Result<WhoViewed> {
        if filter.is_empty() {
            return Err(crate::domain::InputError::new(
                "who-viewed",
                "needs something to look for: --mosaic-id, --subject, --org, --viewer or a date range",
            )
            .into());
        }
        self.viewings(filter, Settle::Now(Settled::Cli))
    }

    /// The request list for `filter`, recorded as a lookup once settled when it
    /// searches for a child, Mosaic ID or organisation (a search by a request's own
    /// reference, as the tracker's jump to a request makes, is not a search for a
    /// person and is not recorded).
    pub fn search_list(&mut self, filter: &ListFilter, settle: Settle) -> Result<Vec<RequestSummary>> {
        let found = self.list(filter)?;
        let is_reference = |t: &str| t.trim().parse::<crate::domain::Reference>().is_ok();
        let searched: Vec<&str> = [&filter.subject, &filter.organisation, &filter.text]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty() && !is_reference(t))
            .collect();
        if !searched.is_empty() {
            let what = searched.join(" ");
            // Each field apart too, so that a search for a child and an organisation
            // at once is still known to name the child (the subject report, disposal).
            let shown = Shown {
                key: format!("lookup {what}"),
                op: "lookup",
                after: json!({ "search": what, "parts": searched }),
            };
            self.looked_up(shown, settle)?;
        } else if settle == Settle::Typing {
            // Typed back below a search (or cleared) before it settled: not a lookup.
            self.lookups.pending = None;
        }
        Ok(found)
    }

    /// A query still being typed that has stood for [`IDLE`] by `now` is settled:
    /// recorded. The TUI calls this when no key came for a moment.
    pub fn settle_idle(&mut self, now: Instant) -> Result<()> {
        match self.lookups.pending.take() {
            Some(p) if now.duration_since(p.since) >= IDLE => self.record_lookup(p.shown, Settled::Idle),
            other => {
                self.lookups.pending = other;
                Ok(())
            }
        }
    }

    /// The query on screen is left (the screen closed, the app quit): a query still
    /// being typed is settled now.
    pub fn settle_lookups(&mut self, how: Settled) -> Result<()> {
        match self.lookups.pending.take() {
            Some(p) => self.record_lookup(p.shown, how),
            None => Ok(()),
        }
    }

    /// The one place that decides whether a lookup shown is recorded.
    fn looked_up(&mut self, shown: Shown, settle: Settle) -> Result<()> {
        match settle {
            Settle::Typing => {
                let now = Instant::now();
                match self.lookups.pending.take() {
                    // The same query again (a reload while typing): it keeps its time.
                    Some(p) if p.shown.key == shown.key => self.lookups.pending = Some(p),
                    // The previous query stood long enough to be read: settled.
                    Some(p) if now.duration_since(p.since) >= IDLE => {
                        self.record_lookup(p.shown, Settled::Idle)?;
                        self.lookups.pending = Some(Pending { shown, since: now });
                    }
                    // Replaced before it settled: a step of the typing, not a lookup.
                    _ => self.lookups.pending = Some(Pending { shown, since: now }),
                }
                Ok(())
            }
            Settle::Now(how) => {
                // A query being typed and then left (Esc) was seen: settled too.
                if let Some(p) = self.lookups.pending.take()
                    && p.shown.key != shown.key
                {
                    self.record_lookup(p.shown, how)?;
                }
                self.record_lookup(shown, how)
            }
            Settle::Again => Ok(()),
        }
    }

    /// Records a settled lookup, unless this session recorded the same query already.
    fn record_lookup(&mut self, shown: Shown, how: Settled) -> Result<()> {
        if self.lookups.recorded.contains(&shown.key) {
            return Ok(());
        }
        let mut after = shown.after;
        after["settled"] = json!(how);
        self.record(shown.op, json!(null), after)?;
        self.lookups.recorded.insert(shown.key);
        Ok(())
    }

    /// The event log of one request (oldest first), or the latest of the whole log.
    pub fn log(&self, reference: Option<&str>, limit: u32) -> Result<Vec<Event>> {
        if let Some(r) = reference {
            load_or_not_found(self.store.conn(), r.trim())?;
        }
        Ok(events::list(self.store.conn(), reference.map(str::trim), limit)?)
    }

    /// Checks the append-only triggers, walks the event chain (all of it, or what
    /// came after the last anchor), rebuilds the tables from the log and compares
    /// them (unless `check.rebuild` is off), and checks the anchors when given.
    pub fn verify(&self, check: &VerifyCheck) -> Result<VerifyReport> {
        self.verify_with(check, &crate::progress::Silent)
    }

    /// [`Self::verify`], telling `tick` which stage it is at and how far it has got.
    pub fn verify_with(&self, check: &VerifyCheck, tick: &dyn crate::progress::Tick) -> Result<VerifyReport> {
        let conn = self.store.conn();
        let anchor_file = match (&check.anchors, check.since_last_anchor) {
            (Some(f), _) => Some(f.clone()),
            (None, true) => Some(self.anchor_file()?),
            (None, false) => None,
        };
        let anchors = match &anchor_file {
            // With nothing recorded yet there is nothing to check from.
            Some(f) if check.since_last_anchor && !f.exists() => None,
            Some(f) => Some(anchor::check(conn, f)?),
            None => None,
        };
        let since = match (check.since_last_anchor, &anchors) {
            (false, _) => None,
            (true, Some(AnchorCheck { last: Some(last), .. })) => Some(last.clone()),
            (true, _) => {
                let file = anchor_file.as_deref().unwrap_or(std::path::Path::new("")).display().to_string();
                return Err(Refusal::new(
                    Rule::EventLog,
                    format!("there are no anchors in {file} to check from"),
                    "leave out --since-last-anchor to check the whole log, or record an anchor first",
                )
                .hint("caseshare anchor")
                .into());
            }
        };
        let opts = verify::VerifyOptions { rebuild: check.rebuild, since: since.as_ref() };
        let mut report = self.store.with_large_cache(|conn| verify::verify_with(conn, opts, tick))??;
        report.anchors = anchors;
        Ok(report)
    }

    /// The anchor file: the `anchor_file` setting, else `anchors.jsonl` in this
    /// user's config folder.
    pub fn anchor_file(&self) -> Result<PathBuf> {
        match &self.settings().anchor_file {
            Some(f) => Ok(PathBuf::from(f)),
            None => crate::dirs::user_dirs()
                .map(|p| p.config_dir().join("anchors.jsonl"))
                .ok_or_else(|| ServiceError::Io("no home directory for the anchor file: give --file".into())),
        }
    }

    /// Records the log's head outside the database: appended to `file` (default:
    /// [`Self::anchor_file`]), or sent to syslog. Not itself an event (it would move
    /// the head it records).
    pub fn anchor(&self, to: AnchorTo) -> Result<Anchor> {
        let head = events::head(self.store.conn())?;
        let now = self.now();
        match to {
            AnchorTo::Syslog => Ok(anchor::to_syslog(&head, now)?),
            AnchorTo::File(file) => {
                let given = file.clone();
                let file = match file {
                    Some(f) => f,
                    None => self.anchor_file()?,
                };
                if anchor::in_database_folder(&file, self.store.path()) {
                    // Where the path came from is where it is changed: the
                    // configuration file wins over the setting.
                    let fix = if given.is_none() && self.site.anchor_file.is_some() {
                        format!("change anchor_file in {}, or give --file FILE", self.site.file)
                    } else {
                        "caseshare settings set anchor_file PATH, or --file FILE".to_string()
                    };
                    return Err(Refusal::new(
                        Rule::EventLog,
                        format!("the anchor file {} is in the database's own folder", file.display()),
                        "choose a file elsewhere",
                    )
                    .hint(fix)
                    .into());
                }
                Ok(anchor::append(&file, &head, now)?)
            }
        }
    }

    /// The whole-log screen's status: the chain and triggers, the tables rebuilt
    /// from the log while that is quick (up to [`SCREEN_REBUILD_EVENTS`] events; a
    /// real council's log is far smaller), and the last anchor in the anchor file if
    /// there is one.
    ///
    /// An anchor file this login cannot read (a service account's, say) does not
    /// stop the check: the screen says so on the anchor line instead.
    pub fn verify_for_screen(&self) -> Result<VerifyReport> {
        self.verify_for_screen_up_to(SCREEN_REBUILD_EVENTS)
    }

    /// [`Self::verify_for_screen`], rebuilding the tables only for a log of at most
    /// `rebuild_up_to` events.
    pub fn verify_for_screen_up_to(&self, rebuild_up_to: i64) -> Result<VerifyReport> {
        let rebuild = events::count(self.store.conn())? <= rebuild_up_to;
        let file = self.anchor_file()?;
        let readable = file.exists().then(|| std::fs::File::open(&file).map(drop));
        let (anchors, note) = match readable {
            None => (None, None),
            Some(Ok(())) => (Some(file), None),
            Some(Err(e)) => (None, Some(format!("the anchor file {} cannot be read here: {e}", file.display()))),
        };
        let mut report = self.verify(&VerifyCheck { rebuild, anchors, since_last_anchor: false })?;
        report.anchor_note = note;
        Ok(report)
    }

    /// The drafted Mosaic case note text.
    pub fn case_note_text(&self, reference: &str) -> Result<String> {
        let f = self.request(reference)?;
        Ok(match &f.request.case_note {
            Some(c) => c.text.clone(),
            None => casenote::draft(&f, self.settings.policy_document.as_deref()),
        })
    }

    pub fn staff(&self) -> Result<Vec<Staff>> {
        Ok(reference::all_staff(self.store.conn())?)
    }

    pub fn areas(&self) -> Result<Vec<ServiceArea>> {
        Ok(reference::all_areas(self.store.conn())?)
    }

    pub fn organisations(&self) -> Result<Vec<Organisation>> {
        Ok(reference::all_orgs(self.store.conn())?)
    }

    /// Every organisation with its aliases (sorted), for `org list`.
    pub fn organisations_with_aliases(&self) -> Result<Vec<(Organisation, Vec<String>)>> {
        let conn = self.store.conn();
        let aliases = reference::all_org_aliases(conn)?;
        Ok(reference::all_orgs(conn)?
            .into_iter()
            .map(|o| {
                let mine = aliases.iter().filter(|a| a.org_id == o.id).map(|a| a.alias.clone()).collect();
                (o, mine)
            })
            .collect())
    }

    pub fn rooms(&self) -> Result<Vec<Room>> {
        Ok(reference::all_rooms(self.store.conn())?)
    }

    pub fn holidays(&self) -> Result<Vec<(NaiveDate, String)>> {
        Ok(reference::holidays(self.store.conn())?)
    }

    /// Copies the database to `dest` (online, 0600) and checks the copy; recorded.
    ///
    /// Any registered login may make one, read-only included: the nightly job runs
    /// as a read-only service account (docs/deployment.md), and every backup is
    /// recorded with where it went. (Exports, which are for sending on, are not open
    /// to read-only logins.)
    pub fn backup(&mut self, dest: &std::path::Path) -> Result<crate::store::backup::BackupReport> {
        self.backup_with(dest, &crate::progress::Silent)
    }

    /// [`Self::backup`], telling `tick` how far the copy and its check have got.
    pub fn backup_with(
        &mut self,
        dest: &std::path::Path,
        tick: &dyn crate::progress::Tick,
    ) -> Result<crate::store::backup::BackupReport> {
        // Fold the write-ahead log in and cut it back first (never waiting): after a
        // disposal that could not do so, the nightly backup finishes the job.
        self.store.checkpoint()?;
        let mut report = crate::store::backup::backup_with(&self.store, dest, tick)?;
        // Recorded with its absolute path, so a later backup can tell whether it is
        // still on disk (and so still holds what a disposal since erased).
        let file = std::path::absolute(dest).unwrap_or_else(|_| dest.to_path_buf());
        report.predate_disposals = crate::store::backup::predating_disposals(self.store.conn())?
            .into_iter()
            .filter(|b| std::path::Path::new(&b.file).exists())
            .collect();
        self.record("backup", json!(null), json!({ "file": file.display().to_string(), "events": report.events }))?;
        Ok(report)
    }

    /// The service report for `[from, to]` (default: the last twelve months, a
    /// rolling year to `to`, today by default).
    pub fn report(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<crate::domain::report::Report> {
        let today = self.today();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| crate::domain::report::last_twelve_months(to));
        if from > to {
            return Err(crate::domain::InputError::new("from", "is after --to").into());
        }
        let conn = self.store.conn();
        let rows = lists::report_rows(conn, from, to)?;
        let incidents = lists::report_incidents(conn, from, to)?;
        Ok(crate::domain::report::compute(&rows, &incidents, from, to, today, &self.settings.holidays))
    }
}
