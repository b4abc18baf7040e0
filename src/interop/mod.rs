//! The council's spreadsheet and letters, in and out: export to .xlsx and .csv laid out like
//! the SharePoint spreadsheet (a Requests tab and a "tracker" tab of viewings).
//!
//! No SQL here: rows come from the service; files are written private (0600)
//! because they hold personal data.

pub mod export;
pub mod import;
pub mod letters;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates or replaces `path` with `bytes`, readable by its owner only.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut f: File = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path).map_err(err)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(err)?;
    f.write_all(bytes).map_err(err)?;
    f.sync_all().map_err(err)
}
