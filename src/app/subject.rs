//! The subject report on screen: the same lines the command line prints, wrapped to
//! the terminal's width, scrolled a wrapped line at a time. The form that asks for it
//! (Mosaic ID or name) is an ordinary form; its save is a lookup, not a change.

use super::Effect;
use super::form::Form;
use super::form::fields::{SubjectBy, SubjectReportValues, Values};
use crate::domain::subject::SubjectQuery;

/// The report's lines and how far down they are scrolled.
#[derive(Debug, Clone, Default)]
pub struct SubjectState {
    pub lines: Vec<String>,
    /// The first wrapped line on screen.
    pub scroll: usize,
}

/// Rows the report has on a terminal `height` rows high (header, frame, status, hints).
pub fn rows(height: u16) -> usize {
    usize::from(height.saturating_sub(5)).max(1)
}

/// Columns inside the report's frame.
pub fn columns(width: u16) -> usize {
    usize::from(width.saturating_sub(2)).max(10)
}

/// The lines wrapped to `width` columns (continuations indented), nothing cut off.
pub fn wrapped(lines: &[String], width: usize) -> Vec<String> {
    let opts = textwrap::Options::new(width).subsequent_indent("    ");
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.is_empty() {
            out.push(String::new());
        } else {
            out.extend(textwrap::wrap(line, &opts).into_iter().map(|l| l.into_owned()));
        }
    }
    out
}

impl SubjectState {
    /// Scrolls by `delta` wrapped lines, no further than the last screenful.
    pub fn scroll_by(&mut self, delta: isize, width: u16, height: u16) {
        let total = wrapped(&self.lines, columns(width)).len();
        let last = total.saturating_sub(rows(height));
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }
}

/// The form's question as the service asks it.
pub(super) fn ask(form: &Form) -> Effect {
    let Values::SubjectReport(SubjectReportValues { by, text }) = form.values() else {
        unreachable!("only the subject report's form asks for one")
    };
    Effect::LoadSubject(match by {
        Some(SubjectBy::Name) => SubjectQuery::Name(text),
        _ => SubjectQuery::MosaicId(text),
    })
}
