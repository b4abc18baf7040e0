//! The council's spreadsheet and letters, in and out: export to .xlsx and .csv laid out like
//! the SharePoint spreadsheet (a Requests tab and a "tracker" tab of viewings).
//!
//! No SQL here: rows come from the service; files are written private (0600)
//! because they hold personal data, through [`crate::private_file`].

pub mod audit;
pub mod export;
pub mod import;
pub mod letters;

use std::path::Path;

/// Creates or replaces `path` with `bytes`, readable by its owner only (see
/// [`crate::private_file`]).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::private_file::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
