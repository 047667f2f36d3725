//! The embedded course list's colours: a school's colour as typed, and the text colour that
//! reads on it (at least 4.5:1, WCAG AA), and how tall the iframe must be for its runs.

/// A colour as `#rrggbb` in lower case, or `None`.
pub fn parse_colour(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_lowercase();
    let hex = s.strip_prefix('#')?;
    (hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("#{hex}"))
}

fn luminance(colour: &str) -> f64 {
    let channel = |i: usize| {
        let v = colour
            .get(1 + 2 * i..3 + 2 * i)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0);
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

/// The WCAG contrast ratio of two colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever reads better on `colour` (at least 4.5:1 for any colour).
pub fn text_on(colour: &str) -> &'static str {
    if contrast(colour, "#ffffff") >= contrast(colour, "#000000") {
        "#ffffff"
    } else {
        "#000000"
    }
}

/// A height that fits `runs` listed runs without a scrollbar, for the iframe snippet.
pub fn fitting_height(runs: usize) -> usize {
    150 + 190 * runs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_strictly() {
        assert_eq!(parse_colour(" #1F5F5B "), Some("#1f5f5b".into()));
        assert_eq!(parse_colour("1f5f5b"), None);
        assert_eq!(parse_colour("#fff"), None);
        assert_eq!(parse_colour("#12345g"), None);
    }

    #[test]
    fn text_on_any_colour_reads_at_aa() {
        for c in [
            "#1f5f5b", "#ffff00", "#777777", "#767676", "#808080", "#000000", "#ffffff", "#6b3d7a",
        ] {
            let t = text_on(c);
            assert!(contrast(c, t) >= 4.5, "{c} on {t}: {}", contrast(c, t));
        }
        assert_eq!(text_on("#1f5f5b"), "#ffffff");
        assert_eq!(text_on("#ffff00"), "#000000");
    }
}
