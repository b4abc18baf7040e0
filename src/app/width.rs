//! Text fitted to terminal columns by display width (a wide character, as in
//! "测试", takes two columns; an emoji usually two), never by character count, so
//! that columns of names in any script stay aligned.

pub use textwrap::core::display_width;

/// Cuts `s` to `width` columns, with an ellipsis when cut.
pub fn fit(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `s` padded with spaces to `width` columns (left-aligned); as it is if wider.
pub fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// `s` padded with spaces on the left to `width` columns (right-aligned).
pub fn pad_left(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_fitted_by_display_width() {
        assert_eq!(fit("Exampleshire", 20), "Exampleshire");
        assert_eq!(fit("Exampleshire", 6), "Examp…");
        // Each of these takes two columns: three and the ellipsis fit in seven.
        assert_eq!(fit("日本語の町", 7), "日本語…");
        assert_eq!(display_width(&pad("测试 Testcase", 16)), 16);
        assert_eq!(display_width(&pad(&fit("测试 Testcase 🙂 Example", 10), 10)), 10);
        assert_eq!(pad_left("3d", 5), "   3d");
    }
}
