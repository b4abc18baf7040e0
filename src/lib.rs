//! # caseshare
//!
//! Records and enforces the council's process for letting another local authority
//! view its children's social care files (see `SPEC.md`).
//!
//! The crate's map, from the inside out:
//! - [`domain`]: the rules, pure (no IO, no SQL, no terminal, no clock).
//! - [`store`]: the only code that touches SQLite: migrations, queries, the
//!   hash-chained event log.
//! - [`service`]: one function per operation; checks the rule in `domain`, writes
//!   the row and its event in one transaction, returns the new state or a refusal.
//! - [`interop`]: the council's spreadsheet in and out (.xlsx, .csv).
//! - [`identity`]: who is acting (the real uid's login, never `$USER`); [`config`]: the
//!   configuration file (database, anchor file, council); [`dirs`]: this
//!   user's caseshare folders.
//! - [`cli`]: the command-line face over `service`.
//! - [`app`]: the TUI's state and update logic (no terminal); [`ui`]: read-only
//!   drawing; [`tui`]: the terminal and event loop (the keymap is `app`'s).
//! - [`demo`]: the fictional demonstration database.
//! - [`private_file`]: every file written with personal data (letters, exports,
//!   backups, a database being built): a temporary file renamed into place, 0600.
//! - [`progress`]: progress on a terminal for the long commands ([`progress::Tick`],
//!   which the service reports to; silent off a terminal and with `-q`).
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod dirs;
pub mod domain;
pub mod identity;
pub mod interop;
pub mod private_file;
pub mod progress;
pub mod service;
pub mod store;
pub mod tui;
pub mod ui;
