//! The configuration file: which database, anchor file and council a login on this
//! machine uses, so that a shared server needs no environment variables
//! (`ssh host caseshare`). No terminal, no SQLite; the command line decides what
//! wins over it (`cli::locate`).
//!
//! One file is read, the first of:
//! 1. the file `CASESHARE_CONFIG` names (it must exist);
//! 2. this user's `~/.config/caseshare/config.toml` ([`crate::dirs`]), if it exists;
//! 3. the system's [`SYSTEM_CONFIG`], if it exists.
//!
//! A file someone else could have written is refused, as `sshd` refuses such an
//! `authorized_keys`: it must belong to root or to the user running caseshare and be
//! writable by nobody else, in a folder of which the same holds. Otherwise whoever
//! could write it could send everyone's records to a database of their choosing.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

/// The system-wide configuration file.
pub const SYSTEM_CONFIG: &str = "/etc/caseshare/config.toml";

/// The environment variable that names the one configuration file to read instead.
pub const CONFIG_ENV: &str = "CASESHARE_CONFIG";

/// Which file the configuration came from, and why that one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    /// Named by `CASESHARE_CONFIG`.
    Env,
    /// This user's own configuration file.
    User,
    /// [`SYSTEM_CONFIG`].
    System,
}

/// A configuration file as read: every setting is optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    pub origin: ConfigOrigin,
    /// The database file (`database = "/srv/caseshare/caseshare.sqlite3"`), with
    /// the line it is on.
    pub database: Option<(PathBuf, usize)>,
    /// Where `caseshare anchor` appends and `verify`, the whole-log screen and
    /// `--since-last-anchor` look (`anchor_file = …`).
    pub anchor_file: Option<PathBuf>,
    /// The council's name, for letters (`council_name = …`).
    pub council_name: Option<String>,
}

/// Why a configuration file cannot be used: one line, naming the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The file's layout; unknown keys are refused, so a misspelt one is not ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    database: Option<Spanned<String>>,
    anchor_file: Option<Spanned<String>>,
    council_name: Option<Spanned<String>>,
}

impl Config {
    /// Where the file is, as messages name it (`/etc/caseshare/config.toml`,
    /// `/tmp/x.toml, the file CASESHARE_CONFIG names`).
    pub fn describe(&self) -> String {
        match self.origin {
            ConfigOrigin::Env => format!("{}, the file {CONFIG_ENV} names", self.file.display()),
            _ => self.file.display().to_string(),
        }
    }

    /// Whether this file's `anchor_file` and `council_name` apply to the database
    /// at `db`: they describe the database the file names, so they apply to that one
    /// (however it was reached) or, in a file that names none, to any.
    pub fn describes(&self, db: &Path) -> bool {
        match &self.database {
            None => true,
            Some((own, _)) => same_file(own, db),
        }
    }
}

/// Reads the configuration that applies to this process: see the module docs.
/// `Ok(None)`: there is no configuration file, which is normal on a personal install.
pub fn load() -> Result<Option<Config>, ConfigError> {
    let user = crate::dirs::user_dirs().map(|d| d.config_dir().join("config.toml"));
    load_from(std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()).map(PathBuf::from), user, Path::new(SYSTEM_CONFIG))
}

/// [`load`] with its three places given.
pub fn load_from(env: Option<PathBuf>, user: Option<PathBuf>, system: &Path) -> Result<Option<Config>, ConfigError> {
    if let Some(file) = env {
        if !exists(&file)? {
            return Err(ConfigError(format!(
                "{} (named by {CONFIG_ENV}) does not exist: correct or unset {CONFIG_ENV}",
                file.display()
            )));
        }
        return read(&file, ConfigOrigin::Env).map(Some);
    }
    if let Some(file) = user.filter(|f| exists(f).unwrap_or(true)) {
        return read(&file, ConfigOrigin::User).map(Some);
    }
    if exists(system)? {
        return read(system, ConfigOrigin::System).map(Some);
    }
    Ok(None)
}

/// Whether `path` is there; a folder that cannot be searched is an error, not "no".
fn exists(path: &Path) -> Result<bool, ConfigError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ConfigError(format!("{}: {e}", path.display()))),
    }
}

fn read(file: &Path, origin: ConfigOrigin) -> Result<Config, ConfigError> {
    check_owner_and_mode(file)?;
    let text = std::fs::read_to_string(file).map_err(|e| ConfigError(format!("{}: {e}", file.display())))?;
    parse(&text, file, origin)
}

/// Parses the text of a configuration file; errors name the file and line.
pub fn parse(text: &str, file: &Path, origin: ConfigOrigin) -> Result<Config, ConfigError> {
    let at = |offset: usize, message: &str| {
        let line = text[..offset.min(text.len())].matches('\n').count() + 1;
        ConfigError(format!("{} line {line}: {}", file.display(), message.trim()))
    };
    let raw: Raw = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => at(span.start, e.message()),
        None => ConfigError(format!("{}: {}", file.display(), e.message().trim())),
    })?;
    let path = |key: &str, v: Option<Spanned<String>>| -> Result<Option<(PathBuf, usize)>, ConfigError> {
        let Some(v) = v else { return Ok(None) };
        let line = text[..v.span().start].matches('\n').count() + 1;
        let p = PathBuf::from(v.get_ref());
        if !p.is_absolute() {
            return Err(at(
                v.span().start,
                &format!("{key} must be an absolute path (one starting with /), not \"{}\"", v.get_ref()),
            ));
        }
        Ok(Some((p, line)))
    };
    let database = path("database", raw.database)?;
    let anchor_file = path("anchor_file", raw.anchor_file)?.map(|(p, _)| p);
    let council_name = match raw.council_name {
        None => None,
        Some(v) => {
            let name = v.get_ref().trim();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(at(v.span().start, "council_name must be a name on one line"));
            }
            Some(name.to_string())
        }
    };
    Ok(Config { file: file.to_path_buf(), origin, database, anchor_file, council_name })
}

/// The file and its folder must belong to root or to the real uid, and be writable
/// by nobody else.
fn check_owner_and_mode(file: &Path) -> Result<(), ConfigError> {
    let me = nix::unistd::getuid().as_raw();
    let meta = std::fs::metadata(file).map_err(|e| ConfigError(format!("{}: {e}", file.display())))?;
    if !meta.is_file() {
        return Err(ConfigError(format!("{} is not a file", file.display())));
    }
    // A link is judged by what it leads to too: the real file's folder, as well as
    // the folder the link is in, must be closed to others.
    let real = std::fs::canonicalize(file).map_err(|e| ConfigError(format!("{}: {e}", file.display())))?;
    let parent = |p: &Path| p.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let mut checked = vec![(file.to_path_buf(), meta)];
    let mut folders = vec![parent(file)];
    if parent(&real) != parent(file) {
        folders.push(parent(&real));
    }
    for folder in folders {
        let m = std::fs::metadata(&folder).map_err(|e| ConfigError(format!("{}: {e}", folder.display())))?;
        checked.push((folder, m));
    }
    for (path, meta) in checked.iter().map(|(p, m)| (p.as_path(), m)) {
        if meta.uid() != 0 && meta.uid() != me {
            return Err(ConfigError(format!(
                "{} belongs to uid {}, not to root or you, so it is not used (it could send you to someone else's database): run `chown root {}` as root, or remove it",
                path.display(),
                meta.uid(),
                path.display()
            )));
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o022 != 0 {
            return Err(ConfigError(format!(
                "{} can be written by other users (mode {mode:04o}), so it is not used (it could send you to someone else's database): run `chmod go-w {}` as its owner",
                path.display(),
                path.display()
            )));
        }
    }
    Ok(())
}

/// Whether two paths name the same file (by device and inode when both exist).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("/etc/caseshare/config.toml"), ConfigOrigin::System)
    }

    #[test]
    fn every_key_is_read() {
        let c = p("# the shared install\ndatabase = \"/srv/caseshare/caseshare.sqlite3\"\nanchor_file = \"/var/lib/a/anchors.jsonl\"\ncouncil_name = \"Exampleshire County Council\"\n").unwrap();
        assert_eq!(c.database, Some((PathBuf::from("/srv/caseshare/caseshare.sqlite3"), 2)));
        assert_eq!(c.anchor_file, Some(PathBuf::from("/var/lib/a/anchors.jsonl")));
        assert_eq!(c.council_name.as_deref(), Some("Exampleshire County Council"));
        assert_eq!(p("").unwrap().database, None);
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let e = p("council_name = \"Exampleshire County Council\"\ndatabse = \"/srv/x\"\n").unwrap_err().0;
        assert!(e.starts_with("/etc/caseshare/config.toml line 2: unknown field `databse`"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn bad_toml_is_named_with_its_line() {
        let e = p("database = \"/srv/x\"\n\ncouncil_name = Exampleshire\n").unwrap_err().0;
        assert!(e.starts_with("/etc/caseshare/config.toml line 3: "), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn a_relative_path_or_a_blank_name_is_refused() {
        let e = p("\ndatabase = \"caseshare.sqlite3\"\n").unwrap_err().0;
        assert!(e.starts_with("/etc/caseshare/config.toml line 2: database must be an absolute path"), "{e}");
        let e = p("council_name = \"  \"\n").unwrap_err().0;
        assert!(e.contains("line 1: council_name must be a name on one line"), "{e}");
    }

    #[test]
    fn the_file_describes_its_own_database_or_any() {
        let c = p("database = \"/srv/caseshare/caseshare.sqlite3\"\n").unwrap();
        assert!(c.describes(Path::new("/srv/caseshare/caseshare.sqlite3")));
        assert!(!c.describes(Path::new("/home/b/other.sqlite3")));
        assert!(p("council_name = \"X\"\n").unwrap().describes(Path::new("/home/b/other.sqlite3")));
    }
}
