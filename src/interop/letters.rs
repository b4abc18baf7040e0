//! Letters from templates (minijinja). Defaults are built in; an administrator
//! overrides one by putting a file of the same name in the templates directory
//! (`caseshare letter --templates` says where).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use minijinja::{Environment, context};
use serde::Serialize;

use crate::domain::dates::uk;
use crate::domain::{LetterKind, RequestFile, Settings, Staff, Venue, casenote};

/// The built-in template for a kind.
pub fn built_in(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Acknowledgement => include_str!("templates/acknowledgement.txt"),
        LetterKind::Refusal => include_str!("templates/refusal.txt"),
        LetterKind::Confirmation => include_str!("templates/confirmation.txt"),
        LetterKind::CaseNote => include_str!("templates/case_note.txt"),
    }
}

/// The file name an override uses.
pub fn file_name(kind: LetterKind) -> String {
    format!("{}.txt", kind.as_code())
}

/// Where administrators put their own templates: the `templates_dir` setting, or
/// the user's config folder.
pub fn template_dir(settings: &Settings) -> Option<PathBuf> {
    settings
        .templates_dir
        .as_ref()
        .map(PathBuf::from)
        .or_else(|| crate::dirs::user_dirs().map(|p| p.config_dir().join("templates")))
}

/// The template text in use, and where it came from.
pub fn source(kind: LetterKind, dir: Option<&Path>) -> Result<(String, String), String> {
    if let Some(path) = dir.map(|d| d.join(file_name(kind)))
        && path.exists()
    {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok((text, path.display().to_string()));
    }
    Ok((built_in(kind).to_string(), "built in".to_string()))
}

#[derive(Serialize)]
struct Person {
    name: String,
    position: String,
}

/// Who the letter goes to: the requester, by role and organisation.
#[derive(Serialize)]
struct Recipient {
    name: String,
    role: String,
    organisation: String,
    email: String,
}

/// The width a letter's lines are wrapped to (as email and print both read well).
pub const WIDTH: usize = 72;

/// Renders a letter for a request, dated `today` and signed by `signed`. Lines
/// (but the case note's) longer than [`WIDTH`] are wrapped at words, a continuation indented as its line
/// (under the text of a "- " list item), so a template writes each paragraph as one
/// line and the names filled in never run past the margin.
pub fn render(
    kind: LetterKind,
    file: &RequestFile,
    signed: &Staff,
    settings: &Settings,
    dir: Option<&Path>,
    today: NaiveDate,
) -> Result<String, String> {
    let (text, origin) = source(kind, dir)?;
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template_owned("letter", text).map_err(|e| format!("template {origin}: {e}"))?;
    let r = &file.request;
    let item = |i: &crate::domain::ScopeItem| format!("{}. {}", i.number, i.description);
    let decision = file.latest_approval().map(|a| {
        context! {
            label => a.decision.label(),
            approver => a.approver.name.clone(),
            position => a.approver.position.clone(),
            date => uk(a.decided_on),
            reason => a.reason.clone(),
        }
    });
    let booking = file.bookings.last().map(|b| {
        context! {
            venue => b.venue.label(),
            room => b.room_name.clone(),
            location => b.room_location.clone().filter(|l| !l.is_empty()),
            // A Teams meeting has joining arrangements instead of the visit rules.
            teams_meeting => b.venue == Venue::TeamsMeeting,
            day => b.day.format("%A %-d %B %Y").to_string(),
            start => b.start.format("%H:%M").to_string(),
            end => b.end.format("%H:%M").to_string(),
        }
    });
    let ctx = context! {
        reference => r.reference.clone(),
        our_reference => r.reference.clone(),
        date => today.format("%-d %B %Y").to_string(),
        recipient => Recipient {
            name: r.requester.name.clone(),
            role: r.requester.role.clone(),
            organisation: r.organisation.name.clone(),
            email: r.requester.email.clone(),
        },
        received => uk(r.received_on),
        council => settings.council.clone(),
        requester => Person { name: r.requester.name.clone(), position: r.requester.role.clone() },
        organisation => r.organisation.name.clone(),
        subjects => file.subjects.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        purpose => r.purpose.clone(),
        // Another agency's material is only listed once that agency has consented.
        approved => file.approved_items().filter(|i| !i.needs_consent()).map(item).collect::<Vec<_>>(),
        awaiting_consent => file.approved_items().filter(|i| i.needs_consent()).map(item).collect::<Vec<_>>(),
        declined => file.items.iter().filter(|i| i.approved == Some(false)).map(item).collect::<Vec<_>>(),
        decision => decision,
        booking => booking,
        signed => Person { name: signed.name.clone(), position: signed.position.clone() },
        signed_email => signed.email.clone(),
        case_note => casenote::draft(file, settings.policy_document.as_deref()),
    };
    env.get_template("letter")
        .and_then(|t| t.render(ctx))
        // The case note is pasted into Mosaic, whose box wraps it: left as drafted.
        .map(|text| if kind == LetterKind::CaseNote { text } else { wrap(&text, WIDTH) })
        .map_err(|e| format!("template {origin} could not be filled in: {e}"))
}

/// Wraps each line longer than `width` at words; a continuation is indented as its
/// line is, and under the text of a `- ` list item.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if textwrap::core::display_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let body = line.trim_start();
        let lead = &line[..line.len() - body.len()];
        let (first, body) = match body.strip_prefix("- ") {
            Some(item) => (format!("{lead}- "), item),
            None => (lead.to_string(), body),
        };
        let hang = " ".repeat(textwrap::core::display_width(&first));
        // A long address or reference is moved whole to the next line, never split.
        let options = textwrap::Options::new(width).initial_indent(&first).subsequent_indent(&hang).break_words(false);
        out.push_str(&textwrap::fill(body, options));
    }
    out
}
