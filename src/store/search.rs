//! Filter-as-you-type for a long-running session (the TUI): the searchable text of
//! every request held in memory, so that each keystroke is one scan of a few
//! megabytes rather than a trigram query per count and per page.
//!
//! The text is read from the same full-text table (`request_search`, kept by
//! triggers) that one-shot searches query, and matched the same way: a
//! case-insensitive substring of reference, organisation, requester, subject names
//! and Mosaic IDs, with the `%`/`_` wildcards dropped. Which requests the view
//! shows (open, mine, overdue, closed…) is still decided by the store's SQL; the
//! index only narrows it by text and keeps the triage order (overdue first, then
//! oldest received).
//!
//! The TUI builds the text while it waits for a key (about 0.1 s at 100,000
//! requests), so typing never waits for it.
//!
//! The same session also remembers the counts it has asked for ("1 of 42,994"), so
//! that paging through a long list does not count it again at every page.
//!
//! Everything is forgotten when what lists show may have changed: triggers move a
//! counter (`list_generation`) on every change to requests, subjects or bookings,
//! by this session, another user or any other path. Lookups and other writes that
//! only append events leave the cache alone.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::NaiveDate;
use memchr::memmem;
use rusqlite::Connection;

use super::Result;
use super::lists::{self, ListFilter};

/// The searchable text of every request, in received order.
struct Index {
    /// Every request's text, case-folded, each followed by a newline.
    haystack: Vec<u8>,
    /// Where each row's text starts in `haystack`.
    starts: Vec<usize>,
    /// Request ids in (received_on, id) order; row `i` is `ids[i]`.
    ids: Vec<i64>,
    /// Whether row `i` is past its target date.
    overdue: Vec<bool>,
    /// Row of each request id.
    row_of: HashMap<i64, usize>,
}

/// The matches of one (filter, text) pair in triage order.
pub type Matches = Rc<Vec<i64>>;

/// What one long-running session remembers between keystrokes.
#[derive(Default)]
pub struct SessionCache {
    /// The list generation and day everything below was read at.
    read_at: Option<(i64, NaiveDate)>,
    /// Counts by the query's key.
    counts: HashMap<String, i64>,
    index: Option<Index>,
    /// Which rows the view (the filter without its text) includes, by its key.
    view: Option<(String, Vec<bool>)>,
    /// The last answer, so count, page and position of one keystroke share a scan.
    last: Option<(String, Matches)>,
}

/// How typed text is matched: trimmed, wildcards dropped and ASCII letters folded,
/// exactly as the full-text query's `LIKE` does (which folds only A-Z: `É` and `é`
/// differ there, and so they do here).
pub fn needle(text: &str) -> String {
    text.trim().chars().filter(|c| !matches!(c, '%' | '_' | '\n')).collect::<String>().to_ascii_lowercase()
}

impl SessionCache {
    /// Forgets everything.
    fn clear(&mut self) {
        *self = SessionCache::default();
    }

    /// Forgets everything if the database or the day has changed since it was read.
    fn refresh(&mut self, conn: &Connection, today: NaiveDate) -> Result<()> {
        let version: i64 = conn.prepare_cached("SELECT n FROM list_generation")?.query_row([], |r| r.get(0))?;
        if self.read_at != Some((version, today)) {
            self.clear();
            self.read_at = Some((version, today));
        }
        Ok(())
    }

    /// A count, from memory when this query was counted since the last change.
    pub fn count(
        &mut self,
        conn: &Connection,
        today: NaiveDate,
        key: String,
        count: impl FnOnce(&Connection) -> Result<i64>,
    ) -> Result<i64> {
        self.refresh(conn, today)?;
        if let Some(&n) = self.counts.get(&key) {
            return Ok(n);
        }
        let n = count(conn)?;
        self.counts.insert(key, n);
        Ok(n)
    }

    /// Builds the search text now (when the session is idle) unless it is built and
    /// still current, so that the first search does not wait for it.
    pub fn warm(&mut self, conn: &Connection, today: NaiveDate) -> Result<()> {
        self.refresh(conn, today)?;
        if self.index.is_none() {
            self.index = Some(Index::build(conn, today)?);
        }
        Ok(())
    }

    /// The ids of the requests this filter (with its text) lists, in triage order.
    pub fn matches(&mut self, conn: &Connection, f: &ListFilter, today: NaiveDate, text: &str) -> Result<Matches> {
        self.warm(conn, today)?;
        let view = ListFilter { text: None, limit: None, offset: 0, ..f.clone() };
        let view_key = format!("{view:?}");
        let key = format!("{view_key}\u{0}{}", needle(text));
        if let Some((k, m)) = &self.last
            && *k == key
        {
            return Ok(m.clone());
        }
        let index = self.index.as_ref().expect("built above");
        if self.view.as_ref().is_none_or(|(k, _)| *k != view_key) {
            let mut member = vec![false; index.ids.len()];
            for id in lists::ids_matching(conn, &view, today)? {
                if let Some(&row) = index.row_of.get(&id) {
                    member[row] = true;
                }
            }
            self.view = Some((view_key, member));
        }
        let member = &self.view.as_ref().expect("set above").1;
        let rows = index.find(&needle(text));
        let (mut late, mut rest): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
        for row in rows.into_iter().filter(|&r| member[r]) {
            if index.overdue[row] { late.push(index.ids[row]) } else { rest.push(index.ids[row]) }
        }
        late.extend(rest);
        let m = Rc::new(late);
        self.last = Some((key, m.clone()));
        Ok(m)
    }
}

impl Index {
    fn build(conn: &Connection, today: NaiveDate) -> Result<Index> {
        let mut order: Vec<(NaiveDate, i64, bool)> = conn
            .prepare("SELECT received_on, id, due_on FROM requests")?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<NaiveDate>>(2)?.is_some_and(|d| d < today)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        order.sort_unstable();
        let row_of: HashMap<i64, usize> = order.iter().enumerate().map(|(row, &(_, id, _))| (id, row)).collect();
        let mut texts: Vec<String> = vec![String::new(); order.len()];
        let mut stmt = conn.prepare("SELECT rowid, text FROM request_search")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if let Some(&row) = row_of.get(&id) {
                // One line per request: a newline in the text could join two rows.
                texts[row] = r.get::<_, String>(1)?.replace('\n', " ").to_ascii_lowercase();
            }
        }
        let mut haystack = Vec::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
        let mut starts = Vec::with_capacity(texts.len());
        for t in &texts {
            starts.push(haystack.len());
            haystack.extend_from_slice(t.as_bytes());
            haystack.push(b'\n');
        }
        Ok(Index {
            haystack,
            starts,
            ids: order.iter().map(|&(_, id, _)| id).collect(),
            overdue: order.iter().map(|&(_, _, late)| late).collect(),
            row_of,
        })
    }

    /// Rows whose text contains `needle`, in row order, each once.
    fn find(&self, needle: &str) -> Vec<usize> {
        let mut rows = Vec::new();
        if needle.is_empty() {
            return (0..self.ids.len()).collect();
        }
        let finder = memmem::Finder::new(needle.as_bytes());
        let mut at = 0;
        while let Some(hit) = finder.find(&self.haystack[at..]) {
            let pos = at + hit;
            let row = self.starts.partition_point(|&s| s <= pos) - 1;
            rows.push(row);
            // On to the next row: one match is enough.
            at = self.starts.get(row + 1).copied().unwrap_or(self.haystack.len());
        }
        rows
    }
}
