//! The TUI's state and its update logic, with no terminal and no database:
//! `update(action)` changes the state and returns the [`Effect`]s for the loop
//! (in `tui/`) to run through the service. Everything here is testable by feeding
//! actions and reading the state.

pub mod action;
pub mod admin;
pub mod detail;
pub mod form;
mod form_update;
pub mod forms;
pub mod keymap;
pub mod letter;
mod requests;
mod results;
pub mod retention;
pub mod state;
pub mod subject;
mod typing;
mod update;
pub mod width;

pub use action::{Action, Effect, ListPage, LogPage, Save, Settle, Settled, TrackerPage};
pub use retention::RetentionState;
pub use state::*;

/// Characters a search needs before it filters.
pub const MIN_SEARCH: usize = 3;

#[cfg(test)]
mod retention_tests;
#[cfg(test)]
mod tests;
