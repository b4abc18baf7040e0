//! The event log of one request, or of the whole database with `verify` at the top;
//! newest first, narrowed by `/`.

use chrono::DateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use serde_json::Value;

use super::{Theme, fit, pad, safe};
use crate::app::App;

/// Fields shown, a line each, for one change.
const MAX_FIELDS: usize = 8;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let shown = app.log.shown();
    let title = if app.log.search.is_empty() {
        format!(" {} events, newest first ", app.log.events.len())
    } else {
        format!(" {} of {} events hold “{}”, newest first ", shown.len(), app.log.events.len(), safe(&app.log.search))
    };
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if app.log.typing || !app.log.search.is_empty() {
        let cursor = if app.log.typing { "▏" } else { "" };
        block = block.title_bottom(Span::styled(
            format!(" Search: {}{cursor}  (Enter keeps it, Esc clears it) ", safe(&app.log.search)),
            theme.key(),
        ));
    } else {
        block = block.title_bottom(Span::styled(" / search · ↓/PgDn older · Home newest ", theme.dim()));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if let Some(v) = &app.log.verify {
        let (status, style) = if v.ok() {
            let what = if v.rebuilt {
                format!("verify: OK — {} events; chain, triggers and tables all match the log", v.events)
            } else {
                format!(
                    "verify: chain and triggers OK — {} events; tables not compared here (too large to wait for): run caseshare verify",
                    v.events
                )
            };
            (what, theme.done())
        } else {
            let why = match (&v.first_broken, v.differences.first(), &v.anchors) {
                (_, _, Some(a)) if a.contradicted.is_some() => {
                    a.contradicted.as_ref().map(|c| c.why.clone()).unwrap_or_default()
                }
                (Some(b), _, _) => format!("event {} is the first broken link: {}", b.id, b.why),
                (None, Some(d), _) => d.clone(),
                (None, None, _) => {
                    format!("append-only triggers missing or altered: {}", v.missing_triggers.join(", "))
                }
            };
            (format!("verify: FAILED — {why}"), theme.error())
        };
        let (anchor, anchor_style) = match v.anchors.as_ref().and_then(|a| a.last.as_ref().map(|l| (a, l))) {
            Some((a, last)) if a.contradicted.is_none() => (
                format!("anchor: the chain extends the last anchor ({} events, {})", last.events, last.at),
                theme.done(),
            ),
            Some((_, last)) => (
                format!("anchor: the chain does NOT extend the anchors (last: {} events, {})", last.events, last.at),
                theme.error(),
            ),
            None => match &v.anchor_note {
                Some(note) => (format!("anchor: {note}"), Style::default()),
                None => ("anchor: none recorded yet (caseshare anchor)".to_string(), Style::default()),
            },
        };
        // Wrapped, so that at 80 columns nothing of why it failed is cut off.
        for (text, style) in [(status, style), (anchor, anchor_style)] {
            lines.extend(wrap_words(&safe(&text), width).into_iter().map(|l| Line::styled(l, style)));
        }
        lines.push(Line::from(""));
    }
    let tz = app.settings.timezone;
    // From the scroll position (0: the newest), or nearer the newest if the oldest
    // events would leave the window half empty (End shows a full page of the oldest).
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let mut start = shown.len();
    let mut used = 0;
    while start > 0 {
        let h = 1 + detail(shown[start - 1]).len();
        if used + h > room {
            break;
        }
        used += h;
        start -= 1;
    }
    let start = app.log.scroll.min(start);
    if shown.is_empty() && !app.log.events.is_empty() {
        lines.push(Line::styled("No event holds every word of the search.", theme.dim()));
    }
    for e in shown.iter().skip(start) {
        let when = DateTime::parse_from_rfc3339(&e.at)
            .map(|t| t.with_timezone(&tz).format("%d/%m/%Y %H:%M:%S").to_string())
            .unwrap_or_else(|_| safe(&e.at));
        lines.push(Line::from(vec![
            Span::styled(format!("#{:<6} {when} ", e.id), theme.dim()),
            Span::styled(format!("{} ", pad(&safe(&e.login), 14)), theme.key()),
            Span::raw(format!("{} {}", safe(&e.op), e.reference.as_deref().map(safe).unwrap_or_default())),
        ]));
        for text in detail(e) {
            let style = if text.starts_with("   … and ") { theme.dim() } else { Style::default() };
            lines.push(Line::styled(fit(&safe(&text), width), style));
        }
        if lines.len() > usize::from(inner.height) {
            break;
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The lines under an event's heading: something new on one line of what it holds;
/// a change a field a line ("requester.email: old → new").
fn detail(e: &crate::store::events::Event) -> Vec<String> {
    if e.erased {
        return vec!["   (what changed was erased by a disposal)".to_string()];
    }
    let changes = changes(&e.before, &e.after);
    let shown = |v: &str| !matches!(v, "" | "[]" | "{}" | "—");
    if changes.iter().all(|(_, before, _)| before.is_none()) {
        let all: Vec<String> = changes
            .iter()
            .filter(|(_, _, after)| shown(after))
            .map(|(path, _, after)| format!("{path}: {after}"))
            .collect();
        return if all.is_empty() { vec![] } else { vec![format!("   {}", all.join(" · "))] };
    }
    let mut out: Vec<String> = changes
        .iter()
        .take(MAX_FIELDS)
        .map(|(path, before, after)| match before {
            Some(b) => format!("   {path}: {b} → {after}"),
            None => format!("   {path}: {after}"),
        })
        .collect();
    if changes.len() > MAX_FIELDS {
        out.push(format!("   … and {} more fields", changes.len() - MAX_FIELDS));
    }
    out
}

/// The fields an event changed, each as (path, before, after), from its before and
/// after JSON (which hold only what changed). Objects are walked; anything else
/// (text, numbers, lists) is shown whole.
fn changes(before: &str, after: &str) -> Vec<(String, Option<String>, String)> {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or_else(|_| Value::String(s.to_string()));
    let (before, after) = (parse(before), parse(after));
    let mut out = Vec::new();
    // Inside a change, a record that is new is one entry; a whole new record (nothing
    // before) is listed field by field.
    let group = !before.is_null();
    walk("", Some(&before), Some(&after), group, &mut out);
    // A request's own fields read without the "request." every one of them carries.
    for (path, _, _) in &mut out {
        if let Some(rest) = path.strip_prefix("request.") {
            *path = rest.to_string();
        }
    }
    out
}

fn walk(
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    group: bool,
    out: &mut Vec<(String, Option<String>, String)>,
) {
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "—".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    // A record that is new inside a change (an item added, a booking made): one
    // entry of what it holds, rather than a line for each of its fields.
    let was_nothing = before.is_none_or(|b| b.is_null() || b.as_array().is_some_and(Vec::is_empty));
    if group
        && !path.is_empty()
        && was_nothing
        && let Some(new) = after.and_then(Value::as_object)
    {
        // A set of new records (items by number): an entry for each.
        if !new.is_empty() && new.values().all(Value::is_object) {
            for (k, v) in new {
                walk(&format!("{path}.{k}"), None, Some(v), group, out);
            }
            return;
        }
        let mut inner = Vec::new();
        walk("", None, Some(&Value::Object(new.clone())), false, &mut inner);
        let held: Vec<String> = inner
            .into_iter()
            .filter(|(_, _, v)| !matches!(v.as_str(), "" | "[]" | "{}" | "—"))
            .map(|(k, _, v)| format!("{k}: {v}"))
            .collect();
        out.push((path.to_string(), None, held.join(", ")));
        return;
    }
    let objects = (before.and_then(Value::as_object), after.and_then(Value::as_object));
    if let (None, None) = objects {
        if before.is_some_and(|b| !b.is_null()) || after.is_some_and(|a| !a.is_null()) {
            let was = before.filter(|b| !b.is_null()).map(|b| show(Some(b)));
            out.push((path.to_string(), was, show(after)));
        }
        return;
    }
    let mut keys: Vec<&String> = objects.0.into_iter().chain(objects.1).flat_map(|o| o.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
        walk(&child, objects.0.and_then(|o| o.get(k)), objects.1.and_then(|o| o.get(k)), group, out);
    }
}

#[cfg(test)]
mod tests {
    use super::changes;

    #[test]
    fn an_events_changes_read_a_field_a_line() {
        let c = changes(
            r#"{"request":{"requester":{"email":"someone@example.invalid"}}}"#,
            r#"{"request":{"requester":{"email":"rita.new@example.invalid"}}}"#,
        );
        assert_eq!(
            c,
            vec![(
                "requester.email".to_string(),
                Some("someone@example.invalid".to_string()),
                "rita.new@example.invalid".to_string()
            )]
        );
        // Something new has no "before"; lists are shown whole.
        let c = changes("null", r#"{"day":"2027-03-01","name":"Extra day","items":[1,2]}"#);
        assert_eq!(c[0], ("day".to_string(), None, "2027-03-01".to_string()));
        assert_eq!(c[1], ("items".to_string(), None, "[1,2]".to_string()));
        assert_eq!(c.len(), 3);
        // An item added within a change is one entry of what it holds.
        let c = changes(
            r#"{"items":[]}"#,
            r##"{"items":{"#32":{"description":"Chronology","number":1,"third_party":null}}}"##,
        );
        assert_eq!(c, vec![("items.#32".to_string(), None, "description: Chronology, number: 1".to_string())]);
        // A removed field shows what it was.
        let c = changes(r#"{"day":"2027-03-01"}"#, "null");
        assert_eq!(c, vec![("day".to_string(), Some("2027-03-01".to_string()), "—".to_string())]);
    }
}

/// Splits `text` into lines of at most `width` characters, at spaces where it can.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            out.push(head);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod wrap_tests {
    #[test]
    fn long_status_lines_wrap_at_words_and_keep_every_character() {
        let text = "verify: FAILED — request REQ-2026-0006: request.requester.name is \"Mallory\" in the tables";
        let lines = super::wrap_words(text, 30);
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(super::wrap_words("abcdefgh", 3), ["abc", "def", "gh"]);
    }
}
