//! Checking text before it is stored, and making stored text safe to print.
//!
//! Control characters and terminal escape sequences never reach the database from
//! caseshare's own inputs, and whatever is in the database (an import, an edit made
//! behind the application's back) is drawn with controls made visible.

use std::borrow::Cow;

use super::InputError;

/// Longest single-line field, in characters.
pub const MAX_LINE: usize = 200;
/// Longest multi-line field (notes, reasons, case note text), in characters.
pub const MAX_TEXT: usize = 4000;

/// A required single-line field: trimmed, not empty, no control characters, not overlong.
pub fn line(field: &str, value: &str) -> Result<String, InputError> {
    let v = optional_line(field, value)?;
    if v.is_empty() {
        return Err(InputError::new(field, "is required"));
    }
    Ok(v)
}

/// An optional single-line field (may be empty).
pub fn optional_line(field: &str, value: &str) -> Result<String, InputError> {
    check(field, value.trim(), MAX_LINE, false)
}

/// A required multi-line field: newlines and tabs allowed, other controls refused.
pub fn text(field: &str, value: &str) -> Result<String, InputError> {
    let v = optional_text(field, value)?;
    if v.is_empty() {
        return Err(InputError::new(field, "is required"));
    }
    Ok(v)
}

/// An optional multi-line field.
pub fn optional_text(field: &str, value: &str) -> Result<String, InputError> {
    check(field, value.trim(), MAX_TEXT, true)
}

fn check(field: &str, v: &str, max: usize, multiline: bool) -> Result<String, InputError> {
    if let Some(c) = v.chars().find(|c| is_forbidden(*c) && !(multiline && (*c == '\n' || *c == '\t'))) {
        let what = if c == '\u{1b}' {
            "a terminal escape sequence".to_string()
        } else {
            format!("a control character (U+{:04X})", c as u32)
        };
        return Err(InputError::new(field, format!("contains {what}: remove it and try again")));
    }
    let n = v.chars().count();
    if n > max {
        return Err(InputError::new(field, format!("is too long ({n} characters; at most {max})")));
    }
    Ok(v.to_string())
}

/// C0 and C1 controls, DEL, and the Unicode bidi overrides that can disguise text.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Stored text made safe for a terminal: every control becomes a visible escape
/// (`\u{1b}`), so nothing stored can move the cursor, recolour or retitle the screen.
/// Newlines are kept only when `keep_newlines`.
pub fn safe(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(is_forbidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if keep_newlines && c == '\n' {
            out.push('\n');
        } else if is_forbidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_refuse_empty_and_controls_and_overlong() {
        assert_eq!(line("name", "  Ann Example ").unwrap(), "Ann Example");
        assert!(line("name", "   ").unwrap_err().to_string().contains("name is required"));
        let esc = line("name", "Ann\u{1b}[31mRed").unwrap_err().to_string();
        assert!(esc.contains("terminal escape sequence"), "{esc}");
        assert!(line("name", "a\u{7}b").unwrap_err().to_string().contains("U+0007"));
        assert!(line("name", &"x".repeat(201)).unwrap_err().to_string().contains("too long"));
        assert_eq!(text("notes", "one\ntwo").unwrap(), "one\ntwo");
        assert!(line("name", "one\ntwo").is_err());
        assert!(line("name", "abc\u{202e}cba").is_err());
    }

    #[test]
    fn stored_escapes_are_printed_visibly() {
        assert_eq!(safe("plain", false), "plain");
        assert_eq!(safe("a\u{1b}[2Jb", false), "a\\u{1b}[2Jb");
        assert_eq!(safe("a\nb", true), "a\nb");
        assert_eq!(safe("a\nb", false), "a\\u{a}b");
    }
}
