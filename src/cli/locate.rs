//! Which database file an invocation uses, and where that choice came from.
//!
//! First `--db`, then `CASESHARE_DB`, then the configuration file's `database`
//! ([`crate::config`]), then the per-user default in the platform data directory. The demonstration
//! (`--demo`, `caseshare demo`) follows only `--db`, never the variable or a
//! configuration file, which name the real database.

use std::path::{Path, PathBuf};

use super::*;
use crate::config::Config;

/// What named the database file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbSource {
    /// `--db PATH`.
    Flag,
    /// The `CASESHARE_DB` environment variable.
    Env,
    /// A configuration file's `database` key, on this line.
    Config(String, usize),
    /// The per-user default (nothing named one).
    Default,
    /// The demonstration database's default place.
    Demo,
}

/// The database an invocation uses, how it was chosen, and the configuration read.
#[derive(Debug, Clone)]
pub struct Located {
    pub path: PathBuf,
    pub source: DbSource,
    /// The configuration file that applies (never read for the demonstration).
    pub config: Option<Config>,
}

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

/// Which file this invocation uses (see the module docs). A configuration file that
/// cannot be used is an error even when `--db` wins over it: it is read for the
/// anchor file and the council's name too, and a broken one should be mended.
pub fn resolve_db(cli: &Cli) -> Result<Located, String> {
    let demo = cli.demo || matches!(cli.command, Some(Command::Demo { .. }));
    if demo {
        return Ok(match &cli.db {
            Some(p) => Located { path: p.clone(), source: DbSource::Flag, config: None },
            None => Located { path: demo_db()?, source: DbSource::Demo, config: None },
        });
    }
    let config = crate::config::load().map_err(|e| e.to_string())?;
    let env = std::env::var_os("CASESHARE_DB").filter(|v| !v.is_empty());
    let (path, source) = match (&cli.db, env, config.as_ref().and_then(|c| c.database.clone().map(|d| (c, d)))) {
        (Some(p), _, _) => (p.clone(), DbSource::Flag),
        (None, Some(env), _) => (PathBuf::from(env), DbSource::Env),
        (None, None, Some((c, (p, line)))) => (p, DbSource::Config(c.describe(), line)),
        (None, None, None) => (default_db()?, DbSource::Default),
    };
    Ok(Located { path, source, config })
}

impl Located {
    /// Where the path came from, as the "no database" line says it.
    fn named_by(&self) -> String {
        match &self.source {
            DbSource::Flag => "given with --db".into(),
            DbSource::Env => "named by CASESHARE_DB".into(),
            DbSource::Config(file, line) => format!("named on line {line} of {file}"),
            DbSource::Default => format!(
                "the personal default: no --db, CASESHARE_DB or configuration file ({}) names one",
                crate::config::SYSTEM_CONFIG
            ),
            DbSource::Demo => "the demonstration database".into(),
        }
    }

    /// What to do about a database that is not there, for where its path came from.
    fn what_to_do(&self) -> String {
        match &self.source {
            DbSource::Flag => "check the path, or run `caseshare init` with the same --db to create a database there".into(),
            DbSource::Env => "check CASESHARE_DB (or unset it), or ask your administrator for the shared database's path; `caseshare init` creates a new one".into(),
            DbSource::Config(..) => "ask your administrator: the shared database should be there (an administrator setting it up runs `caseshare init --shared`)".into(),
            DbSource::Default | DbSource::Demo => "on a shared server, ask your administrator for the shared database's path (or to name it in /etc/caseshare/config.toml); for a database of your own run `caseshare init` (or `caseshare demo` to try the tool)".into(),
        }
    }

    /// The one line for a database that cannot be found, saying which file was
    /// looked for, what named it and what to do; `None` when the file is there.
    /// A folder the user may not search is said so, not reported as "no database".
    pub fn missing(&self) -> Option<String> {
        match std::fs::metadata(&self.path) {
            Ok(_) => None,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                let folder = self.path.parent().unwrap_or(Path::new("/"));
                Some(format!(
                    "cannot look for the database at {} ({}): you may not open the folder {}; ask your administrator to add you to its group (check with `id`; log out and in again after being added)",
                    self.path.display(),
                    self.named_by(),
                    folder.display()
                ))
            }
            Err(_) => {
                Some(format!("no database at {} ({}): {}", self.path.display(), self.named_by(), self.what_to_do()))
            }
        }
    }

    /// The configuration file, when it describes the database in use
    /// ([`Config::describes`]): its anchor file and council name then apply.
    pub fn site(&self) -> Option<&Config> {
        self.config.as_ref().filter(|c| c.describes(&self.path))
    }
}
