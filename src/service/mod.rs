//! One function per operation, shared by the CLI and the TUI.
//!
//! Each change: checks the acting login may change things, opens one write
//! transaction, loads the request, refuses a stale version, asks `domain` whether
//! the step is allowed, writes the rows, re-derives the status, appends the event
//! (before → after) and commits — or writes nothing at all.
//!
//! Forms arrive as text (what a person typed, in the CLI or a TUI form); this layer
//! parses them with `domain::text` and `domain::dates`, so both faces refuse the
//! same input with the same message.

pub mod admin;
pub mod forms;
pub mod import;
pub mod interop;
pub mod lookup;
pub mod op;
pub mod retention;
pub mod steps;
pub mod subject;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Transaction;
use serde_json::Value;

use crate::domain::rules::{self, Ctx};
use crate::domain::{DomainError, InputError, Refusal, RequestFile, Rule, Settings, Staff, Step};
use crate::store::{Store, StoreError, events, reference, requests};

/// Why an operation did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A value typed in cannot be accepted (exit code 2).
    #[error("{0}")]
    Input(#[from] InputError),
    /// A rule refused the operation (exit code 1).
    #[error("refused ({}): {}; {}{}", .0.rule, .0.message, .0.fix, .0.hint_suffix())]
    Refused(#[from] Refusal),
    /// A reference that does not exist (exit code 2).
    #[error("{0}")]
    NotFound(String),
    /// The database failed (exit code 2).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The terminal or a file could not be used (exit code 2).
    #[error("{0}")]
    Io(String),
}

impl ServiceError {
    /// The one-line message as the TUI shows it: a refusal without its
    /// command-line hint (the form's fields and keys say the same).
    pub fn on_screen(&self) -> String {
        match self {
            ServiceError::Refused(r) => r.on_screen(),
            other => other.to_string(),
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Input(i) => ServiceError::Input(i),
            DomainError::Refused(r) => ServiceError::Refused(r),
        }
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(e: rusqlite::Error) -> Self {
        ServiceError::Store(StoreError::Sqlite(e))
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

/// Where the time comes from: the system clock, or a fixed instant (tests, demo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// An open database, acted on by one staff member.
#[derive(Debug)]
pub struct Service {
    store: Store,
    actor: Staff,
    settings: Settings,
    clock: Clock,
    /// The lookups this session has shown and recorded ([`lookup::LookupSession`]).
    lookups: lookup::LookupSession,
    /// What the configuration file sets for this database ([`Service::use_site`]).
    site: SiteSettings,
}

/// Settings a configuration file gives for the database in use
/// ([`crate::config`]): each set one wins over the database's setting of the same
/// name, since it is kept by the server's administrator outside the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSettings {
    /// The file they come from, as messages name it.
    pub file: String,
    pub council_name: Option<String>,
    pub anchor_file: Option<PathBuf>,
}

impl SiteSettings {
    fn apply(&self, settings: &mut Settings) {
        if let Some(c) = &self.council_name {
            settings.council = c.clone();
        }
        if let Some(a) = &self.anchor_file {
            settings.anchor_file = Some(a.display().to_string());
        }
    }
}

fn not_registered(login: &str) -> Refusal {
    Refusal::new(
        Rule::Permission,
        format!("login '{login}' is not registered in caseshare"),
        format!("an administrator registers it with: caseshare staff add {login} --name \"Full Name\" --roles bsa"),
    )
}

impl Service {
    /// Acts as `login` (the real uid's account, from [`crate::identity`]).
    pub fn open(store: Store, login: &str, clock: Clock) -> Result<Service> {
        let actor = reference::staff_by_login(store.conn(), login)?.ok_or_else(|| not_registered(login))?;
        if !actor.active {
            return Err(Refusal::new(
                Rule::Permission,
                format!("login '{login}' is deactivated"),
                "ask an administrator to reactivate it",
            )
            .hint(format!("caseshare staff activate {login}"))
            .into());
        }
        let settings = reference::settings(store.conn())?;
        Ok(Service {
            store,
            actor,
            settings,
            clock,
            lookups: lookup::LookupSession::default(),
            site: Default::default(),
        })
    }

    /// Uses what the configuration file sets for this database, over the
    /// database's own settings of the same names, for the rest of the session.
    pub fn use_site(&mut self, site: SiteSettings) {
        site.apply(&mut self.settings);
        self.site = site;
    }

    /// What the configuration file sets for this database (nothing by default).
    pub fn site(&self) -> &SiteSettings {
        &self.site
    }

    pub fn actor(&self) -> &Staff {
        &self.actor
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Filter-as-you-type and list counts from memory for the rest of this session
    /// (the TUI), each forgotten as soon as the database changes.
    pub fn keep_session_cache(&mut self) {
        self.store.keep_session_cache();
    }

    /// Uses idle time to get the session's search ready (or ready again after a change).
    pub fn warm_session_cache(&self) -> Result<()> {
        Ok(self.store.warm_session_cache(self.today())?)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in the configured zone.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.settings.timezone).date_naive()
    }

    /// Acts as another registered login from now on. Only the demo builder and
    /// tests use this; the CLI and TUI act as the real uid's login.
    pub fn switch_actor(&mut self, login: &str) -> Result<()> {
        self.actor = reference::staff_by_login(self.store.conn(), login)?.ok_or_else(|| not_registered(login))?;
        Ok(())
    }

    /// Re-reads settings and the acting staff record (after another user's change).
    pub fn reload(&mut self) -> Result<()> {
        self.settings = reference::settings(self.store.conn())?;
        self.site.apply(&mut self.settings);
        if let Some(me) = reference::staff_by_id(self.store.conn(), self.actor.id)? {
            self.actor = me;
        }
        Ok(())
    }

    /// The one path every request change takes: see the module docs.
    fn change(
        &mut self,
        reference: &str,
        expected_version: Option<i64>,
        op: &str,
        step: Option<Step>,
        apply: impl FnOnce(&Transaction, &RequestFile, Ctx) -> Result<()>,
    ) -> Result<RequestFile> {
        rules::may_edit(&self.actor)?;
        let now = self.now();
        let today = self.today();
        let Service { store, actor, settings, .. } = self;
        let (tx, rehearsal) = store.write_or_rehearse()?;
        let before = load_or_not_found(&tx, reference)?;
        rules::not_disposed(&before)?;
        if let Some(v) = expected_version
            && v != before.request.version
        {
            let at = before.request.updated_at.with_timezone(&settings.timezone).format("%d/%m/%Y %H:%M");
            return Err(Refusal::new(
                Rule::Conflict,
                format!("{reference} was changed by {} at {at} since you opened it", before.request.updated_by),
                "reload it and make your change again",
            )
            .into());
        }
        let ctx = Ctx { actor, today, settings };
        apply(&tx, &before, ctx)?;
        if let Some(step) = step {
            requests::insert_tick(&tx, before.request.id, step, actor.id, now)?;
        }
        let after = finish(&tx, reference, &before, settings, &actor.login, now, op)?;
        if rehearsal {
            // Every rule has passed; the transaction is dropped, so nothing is kept.
            return Ok(after);
        }
        tx.commit()?;
        Ok(after)
    }

    /// Runs `op` with every request change checked in full and then rolled back: the
    /// answer a save would get, without saving. Any other write is refused meanwhile.
    pub fn rehearse<T>(&mut self, op: impl FnOnce(&mut Service) -> Result<T>) -> Result<T> {
        self.store.set_rehearsing(true);
        let out = op(self);
        self.store.set_rehearsing(false);
        out
    }

    /// Appends an event that is not about one request (admin changes, lookups).
    fn record(&mut self, op: &str, before: Value, after: Value) -> Result<()> {
        let now = self.now();
        let tx = self.store.write()?;
        events::append(&tx, now, &self.actor.login, op, None, &before, &after)?;
        tx.commit()?;
        Ok(())
    }
}

/// Loads the request or says it does not exist. A reference typed in lower case is
/// found by its canonical form; text that is no reference at all is an input error
/// saying what a reference looks like (a reference stored before references were
/// checked is still found as it is).
fn load_or_not_found(tx: &rusqlite::Connection, reference: &str) -> Result<RequestFile> {
    if let Some(file) = requests::load(tx, reference)? {
        return Ok(file);
    }
    let canonical = reference.parse::<crate::domain::Reference>()?.to_string();
    let found = if canonical == reference { None } else { requests::load(tx, &canonical)? };
    found.ok_or_else(|| {
        ServiceError::NotFound(format!("no request {canonical}: check the reference (caseshare request list --all)"))
    })
}

/// The request as its rows now stand, with its status, next step and due date
/// derived and stored and its version bumped: what every change's event records.
fn rederive(
    tx: &rusqlite::Connection,
    reference: &str,
    settings: &Settings,
    login: &str,
    now: DateTime<Utc>,
) -> Result<RequestFile> {
    let mut after = load_or_not_found(tx, reference)?;
    requests::set_derived(tx, &after, settings, login, now)?;
    after.request.status = crate::domain::derive_status(&after);
    after.request.version += 1;
    after.request.updated_by = login.to_string();
    after.request.updated_at = now;
    Ok(after)
}

/// Re-derives status, bumps the version and appends the event with what changed.
fn finish(
    tx: &rusqlite::Connection,
    reference: &str,
    before: &RequestFile,
    settings: &Settings,
    login: &str,
    now: DateTime<Utc>,
    op: &str,
) -> Result<RequestFile> {
    let after = rederive(tx, reference, settings, login, now)?;
    let before_json = serde_json::to_value(before).expect("requests serialise");
    let after_json = serde_json::to_value(&after).expect("requests serialise");
    let (b, a) = events::diff(&before_json, &after_json);
    // The reference as stored, however it was typed.
    events::append(tx, now, login, op, Some(&after.request.reference), &b, &a)?;
    Ok(after)
}
