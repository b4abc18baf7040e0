//! A table read in request id order, a request's rows at a time, beside the other
//! tables read the same way: how `verify`'s rebuild ([`super::rebuild`],
//! [`super::canonical`]) reads every request in one pass instead of loading each
//! on its own ([`super::requests::load`], a dozen indexed queries a request).

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::{Row, Rows, Statement};

use super::Result;

/// One table read in request order: the rows of one request taken at a time.
pub(super) struct ByRequest<'s> {
    rows: Rows<'s>,
    /// The column holding the request id.
    key: usize,
}

impl<'s> ByRequest<'s> {
    /// Runs `stmt` (ordered by the request id in column `key`, without parameters).
    pub(super) fn new(stmt: &'s mut Statement<'_>, key: usize) -> Result<Self> {
        let mut rows = stmt.query([])?;
        rows.advance()?;
        Ok(ByRequest { rows, key })
    }

    /// Calls `f` for each row of request `id`, in the query's order. Rows of a
    /// request before `id` that was not asked for (no row in `requests`) are passed
    /// over.
    pub(super) fn each(&mut self, id: i64, mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        while let Some(r) = self.rows.get() {
            let at: i64 = r.get(self.key)?;
            if at > id {
                break;
            }
            if at == id {
                f(r)?;
            }
            self.rows.advance()?;
        }
        Ok(())
    }
}

/// Runs `stmt` with `params` and hands each row, as `map` reads it, to `each`, one
/// at a time (nothing is collected: an export of every request holds one row);
/// returns how many rows there were. `each` may fail with the caller's own error
/// (a file that cannot be written), which ends the query.
pub(in crate::store) fn each_row<T, E: From<super::StoreError>>(
    stmt: &mut Statement<'_>,
    params: &[&dyn rusqlite::types::ToSql],
    mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    each: &mut impl FnMut(T) -> std::result::Result<(), E>,
) -> std::result::Result<u64, E> {
    let mut rows = stmt.query(params).map_err(super::StoreError::from)?;
    let mut n = 0;
    while let Some(r) = rows.next().map_err(super::StoreError::from)? {
        each(map(r).map_err(super::StoreError::from)?)?;
        n += 1;
    }
    Ok(n)
}
