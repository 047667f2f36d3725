//! The code a school pastes into its own site to show its courses: an iframe (works without
//! JavaScript) or a one-line script that keeps the iframe's height fitting.

use crate::i18n::Locale;
use crate::rules::embed::fitting_height;
use crate::services::mail::compose::escape as esc;
use crate::tr;

/// Runs listed when the snippet does not say.
pub const DEFAULT_RUNS: usize = 10;

/// The iframe snippet for a school, for pages without JavaScript.
pub fn iframe_snippet(base: &str, slug: &str, name: &str, runs: usize) -> String {
    format!(
        "<iframe src=\"{base}/indlejr/skoler/{slug}\" title=\"{}\" width=\"100%\" height=\"{}\" style=\"border:0\" loading=\"lazy\"></iframe>",
        esc(&tr!(Locale::Da, "embed.title", school = name)),
        fitting_height(runs.clamp(1, DEFAULT_RUNS)),
    )
}

/// The script snippet: inserts the iframe and keeps its height fitting.
pub fn script_snippet(base: &str, slug: &str) -> String {
    format!("<script src=\"{base}/indlejr/skoler/{slug}.js\" async></script>")
}
