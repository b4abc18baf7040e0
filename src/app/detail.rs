//! The requests screen's layout and the detail pane's lines, as data: which width the
//! list takes, whether its rows take two lines (the child and the organisation under
//! the reference, in a narrow window), and every line of the selected request's
//! details already wrapped to the pane, so that nothing (a Mosaic ID, a basis) is cut
//! off and the pane scrolls a line at a time. `ui` styles the lines by their [`Tone`].

use super::{App, Detail};
use crate::domain::dates::uk;
use crate::domain::text;
use crate::domain::{StepState, StepState as S};

/// Columns the request list takes in a window `width` columns wide (its frame included).
pub fn list_width(width: u16) -> u16 {
    if width >= 140 {
        72
    } else if width >= 110 {
        60
    } else {
        42
    }
}

/// Whether each request takes two lines in the list: unless the list is wide enough
/// for the reference, status and target and then the child and organisation in full
/// (90 columns; the list is at most 72 wide today, so at every width), the child and
/// the organisation go on a line of their own rather than being cut off.
pub fn two_line_rows(width: u16) -> bool {
    list_width(width) < 90
}

/// Rows of the detail pane's text on a terminal `height` rows high (header, frame,
/// status, hints), as the list's page counts them.
pub fn pane_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(5)).max(1)
}

/// Columns inside the detail pane's frame.
pub fn pane_columns(width: u16) -> usize {
    usize::from(width.saturating_sub(list_width(width)).saturating_sub(2)).max(10)
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// The reference at the top.
    Title,
    /// A field: its label (the first [`LABEL`] columns) dim, its value plain.
    Field,
    Dim,
    Done,
    Overdue,
    /// The step under the cursor, in full.
    Key,
    /// The checklist line under the cursor.
    Selected(&'static Tone),
    /// What Enter does on the step under the cursor (dim), the foot's last line.
    Foot,
}

/// Columns of a field's label.
pub const LABEL: usize = 13;

fn safe(s: &str) -> String {
    text::safe(s, false).into_owned()
}

/// `text` wrapped to `width` columns (by display width), continuations indented by `indent`.
fn wrap(text: &str, width: usize, indent: usize, tone: Tone, out: &mut Vec<(Tone, String)>) {
    let pad = " ".repeat(indent.min(width.saturating_sub(1)));
    let opts = textwrap::Options::new(width.max(1)).subsequent_indent(&pad);
    for l in textwrap::wrap(text, &opts) {
        out.push((tone, l.into_owned()));
    }
}

impl App {
    /// Every line of the detail pane, wrapped to `width` columns.
    pub fn detail_lines(&self, width: usize) -> Vec<(Tone, String)> {
        let Some(d) = &self.detail else { return vec![] };
        let focused = self.focus == super::Focus::Checklist && self.form.is_none();
        let mut v = header_lines(d, width);
        v.push((Tone::Plain, String::new()));
        // Wide panes show each step's full state; narrow ones a short one, with the
        // full state of the step under the cursor at the foot.
        let wide = width >= 70;
        let label_width = if wide { 34 } else { width.saturating_sub(12).min(30) };
        for (i, l) in d.lines.iter().enumerate() {
            let (symbol, tone) = match &l.state {
                S::Done { .. } => ("✓", &Tone::Done),
                S::Pending { .. } => ("·", &Tone::Plain),
                S::Overdue { .. } => ("!", &Tone::Overdue),
                S::Blocked { .. } => ("✗", &Tone::Dim),
                S::Refused { .. } => ("✗", &Tone::Plain),
                S::Closed { .. } | S::NotRequired => ("–", &Tone::Dim),
            };
            let label = format!("{symbol} {:>2}. {}", l.number, l.label);
            let state = if wide { safe(&l.describe()) } else { short_state(&l.state) };
            let text = super::width::pad(&super::width::fit(&label, label_width), label_width);
            let text = super::width::fit(&format!("{text} {state}"), width);
            let tone = if focused && i == d.cursor { Tone::Selected(tone) } else { *tone };
            v.push((tone, text));
        }
        // A due date counted into a year the holiday list does not cover rests on the
        // rule, as `request show` says too. Wrapped, not cut: the year it names is the point.
        if let Some(note) = &d.due_note {
            wrap(&format!("({note})"), width, 0, Tone::Dim, &mut v);
        }
        v.push((Tone::Plain, String::new()));
        match d.lines.get(d.cursor).filter(|_| focused) {
            Some(l) => {
                wrap(&format!("{}. {}: {}", l.number, l.label, safe(&l.describe())), width, 0, Tone::Key, &mut v);
                let hint = match l.state {
                    S::Blocked { .. } | S::Closed { .. } | S::NotRequired => "Esc back to the list",
                    _ => "Enter opens the step's form; Esc back to the list",
                };
                wrap(hint, width, 0, Tone::Foot, &mut v);
            }
            None => wrap("Enter or Tab: work on the checklist; J/K scroll", width, 0, Tone::Dim, &mut v),
        }
        scope_lines(d, width, &mut v);
        v
    }

    /// The first line of the detail pane shown: as scrolled, and on the checklist far
    /// enough down that the step under the cursor shows (at most the last screenful).
    pub fn detail_top(&self, lines: &[(Tone, String)], rows: usize) -> usize {
        let Some(d) = &self.detail else { return 0 };
        let last = lines.len().saturating_sub(rows);
        let mut top = d.scroll.min(last);
        if let Some(at) = lines.iter().position(|(t, _)| matches!(t, Tone::Selected(_))) {
            // The step under the cursor shows, and below it (where the pane has room)
            // its full state and what Enter does.
            let foot = lines.iter().rposition(|(t, _)| *t == Tone::Foot).unwrap_or(at);
            if foot >= top + rows {
                top = foot + 1 - rows;
            }
            if at < top {
                top = at;
            } else if at >= top + rows {
                top = at + 1 - rows;
            }
        }
        top.min(last)
    }

    /// Scrolls the detail pane by `delta` lines, no further than its last screenful.
    pub(super) fn scroll_detail(&mut self, delta: isize) {
        let lines = self.detail_lines(pane_columns(self.width));
        let rows = pane_rows(self.height);
        let top = self.detail_top(&lines, rows);
        let last = lines.len().saturating_sub(rows);
        if let Some(d) = &mut self.detail {
            d.scroll = top.saturating_add_signed(delta).min(last);
        }
    }
}

/// The request's fields, each wrapped under its label.
fn header_lines(d: &Detail, width: usize) -> Vec<(Tone, String)> {
    let r = &d.file.request;
    let mut v = Vec::new();
    let head = format!("{}  {}  ({}, v{})", r.reference, r.status.label(), r.kind.label(), r.version);
    wrap(&head, width, 2, Tone::Title, &mut v);
    let mut row = |label: &str, value: String| {
        let first = format!("{label:<LABEL$}{value}");
        wrap(&first, width, LABEL, Tone::Field, &mut v);
    };
    row("Organisation", format!("{} ({})", safe(&r.organisation.name), r.organisation.kind.label()));
    if let Some(route) = &r.redirect_route {
        row("Redirected", safe(route));
    }
    if !r.requester.name.is_empty() {
        let role = if r.requester.role.is_empty() { String::new() } else { format!(", {}", safe(&r.requester.role)) };
        row("Requester", format!("{}{role}", safe(&r.requester.name)));
    }
    for s in &d.file.subjects {
        let dob = s.dob.map(|x| format!(", born {}", uk(x))).unwrap_or_default();
        row("Subject", format!("{} (Mosaic ID {}{dob})", safe(&s.name), safe(&s.mosaic_id)));
    }
    if let Some(a) = &r.service_area {
        row("Service area", format!("{} — owner {}", safe(&a.name), safe(&a.asset_owner.name)));
    }
    let format = r.format.map(|f| f.label()).unwrap_or("-");
    row("BSA / format", format!("{} / {format}", safe(&r.owner.login)));
    v
}

/// The items asked for (with each one's decision and any consent still needed) and
/// the viewings recorded.
fn scope_lines(d: &Detail, width: usize, v: &mut Vec<(Tone, String)>) {
    let f = &d.file;
    // Long, and read less often than the checklist: below it.
    if f.request.basis.is_complete() {
        v.push((Tone::Plain, String::new()));
        wrap(&format!("{:<LABEL$}{}", "Lawful basis", safe(&f.request.basis.summary())), width, LABEL, Tone::Field, v);
    }
    if !f.items.is_empty() {
        v.push((Tone::Plain, String::new()));
        v.push((Tone::Dim, "Items in scope".into()));
        for i in &f.items {
            let agency = || safe(i.third_party.as_deref().unwrap_or("the agency"));
            let state = match i.approved {
                // Approved, but another agency's material is not shown until it agrees.
                Some(true) if i.needs_consent() => format!("approved; needs {}'s consent", agency()),
                Some(true) => "approved".to_string(),
                Some(false) => "not approved".to_string(),
                None if i.needs_consent() => format!("needs {}'s consent", agency()),
                None => "awaiting approval".to_string(),
            };
            let tone = if i.approved == Some(true) { Tone::Done } else { Tone::Plain };
            wrap(&format!("{:>3}. {}  — {state}", i.number, safe(&i.description)), width, 5, tone, v);
        }
    }
    if let Some(last) = f.viewings.iter().max_by_key(|x| (x.day, x.start)) {
        let text = format!(
            "Viewings: {} — last {} by {} ({}), supervised by {}",
            f.viewings.len(),
            last.day.format("%d/%m/%Y"),
            safe(&last.viewers),
            safe(&last.viewer_org),
            safe(&last.supervisor.name)
        );
        v.push((Tone::Plain, String::new()));
        wrap(&text, width, 2, Tone::Plain, v);
    }
}

fn short_state(state: &StepState) -> String {
    match state {
        S::Done { on: Some(d), .. } => d.format("%d/%m/%Y").to_string(),
        S::Done { .. } => "done".into(),
        S::Pending { due: Some(d) } => format!("due {}", d.format("%d/%m/%Y")),
        S::Pending { .. } => String::new(),
        S::Overdue { .. } => "OVERDUE".into(),
        S::Blocked { .. } => "blocked".into(),
        S::Refused { .. } => "refused".into(),
        S::Closed { .. } => "closed".into(),
        S::NotRequired => "n/a".into(),
    }
}

/// The checklist line to land on when the checklist is entered: the first step still
/// to do (pending or overdue), else the first line.
pub fn next_to_do(d: &Detail) -> usize {
    d.lines.iter().position(|l| matches!(l.state, S::Pending { .. } | S::Overdue { .. })).unwrap_or(0)
}
