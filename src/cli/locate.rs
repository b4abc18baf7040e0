//! Which database file an invocation uses.

use std::path::PathBuf;

use super::*;

/// The default database, in the platform data directory.
pub fn default_db() -> Result<PathBuf, String> {
    data_dir().map(|d| d.join("caseshare.sqlite3"))
}

/// The demonstration database, beside the real one but never the same file.
pub fn demo_db() -> Result<PathBuf, String> {
    data_dir().map(|d| d.join("demo.sqlite3"))
}

fn data_dir() -> Result<PathBuf, String> {
    crate::dirs::user_dirs()
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| "no home directory to keep the database in: give --db PATH".to_string())
}

/// Which file this invocation uses: `--db`/`CASESHARE_DB`, else the demo or default
/// path. `caseshare demo` without `--db` builds the demo database, never the real one.
pub fn resolve_db(cli: &Cli) -> Result<PathBuf, String> {
    let demo = cli.demo || matches!(cli.command, Some(Command::Demo { .. }));
    // CASESHARE_DB names the real database, so the demo never follows it.
    match (&cli.db, demo, std::env::var_os("CASESHARE_DB").filter(|v| !v.is_empty())) {
        (Some(p), _, _) => Ok(p.clone()),
        (None, true, _) => demo_db(),
        (None, false, Some(env)) => Ok(PathBuf::from(env)),
        (None, false, None) => default_db(),
    }
}
