//! Writing the files that hold personal data: letters (CLI `letter --out`, the TUI's
//! save), exports (.xlsx, .csv), backups, and a new database while `init` or `demo`
//! builds it. Every such file is written here and nowhere else.
//!
//! Each is written to a temporary file in the destination's own folder (hidden,
//! `.NAME.caseshare-PID-XXXXXX`, created 0600, or 0660 for a shared database, whatever
//! the umask) and renamed into place once complete and synced. So:
//! - nobody ever sees half a file at the destination;
//! - a link at the destination is replaced itself: the file it pointed at is never
//!   written through, and never chmod-ed;
//! - the file ends with the temporary's mode, never an existing file's looser one.
//!
//! A process killed part way leaves its temporary file behind (0600, hidden). The next
//! write to the same destination removes those of processes that no longer run
//! ([`tidy`]); one still running is left alone.
//!
//! No SQL and no rules here: only files.

use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

/// Creates or replaces `dest` with `bytes`, mode 0600, replacing (never following) a
/// link there.
pub fn write(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let (dir, name) = split(dest)?;
    let mut temp = builder(dir, name, 0o600)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(dest).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// A file written bit by bit (an export streamed row by row): a 0600 temporary file
/// beside `dest`, put in place by [`Pending::commit`], replacing (never following) a
/// link there, as [`write`] does. Dropped without a commit, it is removed and `dest`
/// is left as it was.
#[derive(Debug)]
pub struct Pending {
    temp: NamedTempFile,
    dest: PathBuf,
}

impl Pending {
    /// An empty private file beside `dest`.
    pub fn create(dest: &Path) -> io::Result<Pending> {
        let (dir, name) = split(dest)?;
        Ok(Pending { temp: builder(dir, name, 0o600)?, dest: dest.to_path_buf() })
    }

    /// A handle to write through (the same open file).
    pub fn file(&self) -> io::Result<fs::File> {
        self.temp.as_file().try_clone()
    }

    /// Synced and moved into place.
    pub fn commit(self) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        let (dir, _) = split(&self.dest)?;
        let dir = dir.to_path_buf();
        self.temp.persist(&self.dest).map_err(|e| e.error)?;
        sync_dir(&dir)
    }
}

/// A temporary file beside `dest` for a writer that needs a path rather than a file
/// handle (SQLite's backup, a database being built). Removed when dropped, with the
/// `-wal`, `-shm` and `-journal` files SQLite may have made beside it, unless
/// [`Beside::keep_new`] put it in place.
#[derive(Debug)]
pub struct Beside {
    temp: Option<TempPath>,
    path: PathBuf,
    dest: PathBuf,
}

impl Beside {
    /// An empty file with exactly `bits` (0600, or 0660 for a shared database).
    pub fn create(dest: &Path, bits: u32) -> io::Result<Beside> {
        let (dir, name) = split(dest)?;
        let temp = builder(dir, name, bits)?.into_temp_path();
        let path = temp.to_path_buf();
        Ok(Beside { temp: Some(temp), path, dest: dest.to_path_buf() })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where it goes.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Moves the file (closed, and complete on its own) into place, only if nothing is
    /// at the destination, not even a link: `AlreadyExists` if something is.
    pub fn keep_new(mut self) -> io::Result<()> {
        let temp = self.temp.take().expect("kept only once");
        fs::File::open(&self.path)?.sync_all()?;
        if let Err(e) = temp.persist_noclobber(&self.dest) {
            self.temp = Some(e.path);
            return Err(e.error);
        }
        sync_dir(split(&self.dest)?.0)
    }
}

impl Drop for Beside {
    fn drop(&mut self) {
        if self.temp.is_some() {
            for suffix in ["-wal", "-shm", "-journal"] {
                let _ = fs::remove_file(format!("{}{suffix}", self.path.display()));
            }
        }
    }
}

/// The folder and file name of a destination.
fn split(dest: &Path) -> io::Result<(&Path, &str)> {
    let name = dest.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, format!("{} does not name a file", dest.display()))
    })?;
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok((dir, name))
}

/// What every temporary file for `name` starts with, before the pid.
fn stem(name: &str) -> String {
    format!(".{name}.caseshare-")
}

fn builder(dir: &Path, name: &str, bits: u32) -> io::Result<NamedTempFile> {
    tidy(dir, name);
    let temp = tempfile::Builder::new()
        .prefix(&format!("{}{}-", stem(name), std::process::id()))
        .permissions(Permissions::from_mode(bits))
        .tempfile_in(dir)?;
    // The umask may have taken bits away; set exactly what was asked.
    temp.as_file().set_permissions(Permissions::from_mode(bits))?;
    Ok(temp)
}

/// Removes the temporary files for `name` in `dir` that were left by processes of this
/// user that no longer run (killed part way). Best effort: what cannot be removed
/// stays, and never blocks a write (each temporary name is unique).
pub fn tidy(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let stem = stem(name);
    let me = nix::unistd::geteuid().as_raw();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file.to_str().and_then(|f| f.strip_prefix(stem.as_str())).and_then(|rest| {
            let digits = rest.split('-').next()?;
            digits.parse::<i32>().ok().filter(|p| *p > 0)
        }) else {
            continue;
        };
        let ours = entry.metadata().map(|m| m.uid() == me && m.is_file()).unwrap_or(false);
        if ours && !running(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id exists (of any user).
fn running(pid: i32) -> bool {
    !matches!(nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None), Err(nix::errno::Errno::ESRCH))
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_processs_leftovers_go_and_a_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".out.txt.caseshare-4194399-abc123");
        let live = dir.path().join(format!(".out.txt.caseshare-{}-abc123", std::process::id()));
        let other = dir.path().join(".other.txt.caseshare-4194399-abc123");
        for f in [&dead, &live, &other] {
            fs::write(f, b"x").unwrap();
        }
        tidy(dir.path(), "out.txt");
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(other.exists(), "another destination's files are its own business");
    }

    #[test]
    fn a_new_file_is_private_whatever_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("letter.txt");
        fs::write(&dest, b"old").unwrap();
        fs::set_permissions(&dest, Permissions::from_mode(0o666)).unwrap();
        write(&dest, b"new").unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"new");
        assert_eq!(fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn keep_new_never_replaces_anything_and_a_dropped_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("copy.db");
        fs::write(&dest, b"there").unwrap();
        let b = Beside::create(&dest, 0o600).unwrap();
        fs::write(format!("{}-wal", b.path().display()), b"log").unwrap();
        assert_eq!(b.keep_new().unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&dest).unwrap(), b"there");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "temporary file and its log removed");
    }
}
