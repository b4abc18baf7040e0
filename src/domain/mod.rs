//! Pure rules of the sharing process: no IO, no SQL, no terminal, no clock.
//!
//! Everything here takes its inputs (the request as loaded, the acting staff
//! member, today's date, the settings) as values and returns either a plan for the
//! store to write or a [`Refusal`] naming the rule and the fix. The service layer
//! is the only caller that turns these into writes.

pub mod basis;
pub mod casenote;
pub mod checklist;
pub mod dates;
pub mod lookups;
pub mod process;
pub mod reference;
pub mod report;
pub mod request;
pub mod retention;
pub mod rules;
pub mod settings;
pub mod subject;
pub mod text;
pub mod types;

pub use basis::*;
pub use checklist::{StepLine, StepState, checklist, derive_status, due_date, due_note};
pub use reference::Reference;
pub use request::*;
pub use settings::Settings;
pub use types::*;

use std::fmt;

/// A value typed by a person that cannot be accepted as it is (bad date, empty
/// required field, control characters, overlong text). Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {message}")]
pub struct InputError {
    /// The field, in the words of the form ("date received").
    pub field: String,
    /// What is wrong and how to put it right.
    pub message: String,
}

impl InputError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        InputError { field: field.to_string(), message: message.into() }
    }
}

/// The rule a refusal comes from; shown first so people learn the rules by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Steps happen in order (SPEC section 3).
    StepOrder,
    /// A step that is already recorded is not recorded again.
    AlreadyDone,
    /// The step does not apply to this request's format or path.
    NotApplicable,
    /// A closed request (complete, refused, withdrawn, redirected) takes no more steps.
    Closed,
    /// Principle 1: lawful basis recorded before approval.
    LawfulBasis,
    /// The decision record the ICO's data sharing form expects (necessity, security…).
    DecisionRecord,
    /// Only the asset owner of the service area decides.
    AssetOwner,
    /// The BSA who records a request never approves it.
    SeparationOfDuties,
    /// Principle 2: only approved items are shown.
    MinimumNecessary,
    /// Another agency's material needs that agency's consent first.
    ThirdPartyConsent,
    /// Principle 3: an LCC staff member supervises every viewing.
    Supervision,
    /// An unsupervised viewing must be referred to information governance.
    Incident,
    /// Principle 4: a case note for every request that shared anything.
    CaseNote,
    /// Dates in order and not in the future.
    DateOrder,
    /// A room is not booked twice at once.
    DoubleBooking,
    /// Venues must be fit for a supervised viewing.
    Venue,
    /// CAFCASS and non-local-authority requests follow another route.
    Route,
    /// What a login's role allows.
    Permission,
    /// Someone else changed the request since it was opened.
    Conflict,
    /// A referenced record (staff, room, item...) must exist and be usable.
    Reference,
    /// The event log is intact: append-only and its hash chain unbroken.
    EventLog,
    /// The same thing recorded twice needs a person to say it happened twice.
    Duplicate,
    /// Principle 3: LCC devices and logins only, and what left the screen recorded.
    Security,
    /// Personal data kept only as long as the retention schedule says, and a
    /// disposed request's details gone for good.
    Retention,
    /// A retired organisation, service area or room is kept for the records that
    /// name it and offered for no new one.
    Retired,
}

impl Rule {
    pub fn label(self) -> &'static str {
        match self {
            Rule::StepOrder => "step order",
            Rule::AlreadyDone => "already recorded",
            Rule::NotApplicable => "not applicable",
            Rule::Closed => "request closed",
            Rule::LawfulBasis => "lawful basis",
            Rule::DecisionRecord => "decision record",
            Rule::AssetOwner => "asset owner",
            Rule::SeparationOfDuties => "separation of duties",
            Rule::MinimumNecessary => "minimum necessary",
            Rule::ThirdPartyConsent => "third-party consent",
            Rule::Supervision => "supervision",
            Rule::Incident => "incident",
            Rule::CaseNote => "case note",
            Rule::DateOrder => "date order",
            Rule::DoubleBooking => "double booking",
            Rule::Venue => "venue",
            Rule::Route => "route",
            Rule::Permission => "permission",
            Rule::Conflict => "conflict",
            Rule::Reference => "unknown record",
            Rule::EventLog => "event log integrity",
            Rule::Duplicate => "possible duplicate",
            Rule::Security => "security",
            Rule::Retention => "retention",
            Rule::Retired => "retired",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A rule said no. One line: which rule, what is wrong, what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{rule}: {message}; {fix}{}", self.hint_suffix())]
pub struct Refusal {
    /// The rule that said no.
    pub rule: Rule,
    /// What is wrong, in the council's words.
    pub message: String,
    /// What to do about it, for either face.
    pub fix: String,
    /// The command (or options) that does it, for the command line; the TUI's
    /// forms and keys say the same, so it leaves this out.
    pub hint: Option<String>,
    /// A refusal a person may overrule by saying yes to a question (a second viewing
    /// with the same viewers and times, a lawful basis that is questioned): the CLI's
    /// hint names the flag that says yes, the TUI asks the question as y/n.
    pub confirm: Option<Confirm>,
}

/// The question that overrules a refusal, and the input that carries the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The name the TUI's save sends as confirmed (see `Save::confirmed`).
    pub field: &'static str,
    /// Asked as y/n under the form.
    pub question: String,
}

impl Refusal {
    pub fn new(rule: Rule, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Refusal { rule, message: message.into(), fix: fix.into(), hint: None, confirm: None }
    }

    /// Lets a person overrule this refusal by answering yes to `question`; a save
    /// with `field` confirmed goes ahead.
    pub fn confirm(mut self, field: &'static str, question: impl Into<String>) -> Self {
        self.confirm = Some(Confirm { field, question: question.into() });
        self
    }

    /// Names the command or options that carry out the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The hint as the command line prints it after the fix: ` (caseshare …)`.
    pub fn hint_suffix(&self) -> String {
        self.hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    }

    /// The refusal as the TUI shows it: rule, message and fix, without the
    /// command-line hint.
    pub fn on_screen(&self) -> String {
        format!("refused ({}): {}; {}", self.rule, self.message, self.fix)
    }
}

/// Either kind of "no" from the domain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod rules_tests;
