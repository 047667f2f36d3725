//! How every form, public and staff, says what was wrong: the one way of reporting a refused
//! form. A form declares its refusals once, with [`refusals!`](crate::refusals), each with the
//! word that travels in the address (`?fejl=pladser`) and the translation key of its message.
//! The server function that refuses redirects back with the word; the page reads it back into
//! the same type and shows the message (`components::form`). Nothing personal travels in the
//! address, it works the same with and without JavaScript, and a typo in a word is a compile
//! error rather than a silent missing message.
//!
//! Several refusals (a form with a message per field) travel together, joined by `.`.

/// The query parameter refusals travel in.
pub const PARAM: &str = "fejl";

/// A form's refusals: a closed set of words with messages.
pub trait Refusal: Copy + PartialEq + Sized + 'static {
    /// Every refusal of the form.
    const ALL: &'static [Self];

    /// The word in the address.
    fn code(self) -> &'static str;

    /// The translation key of the message shown to the person.
    fn message_key(self) -> &'static str;

    /// The refusal a word names, if it names one of this form's.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }
}

/// The value of [`PARAM`] for these refusals.
pub fn to_param<R: Refusal>(refusals: &[R]) -> String {
    refusals
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(".")
}

/// The refusals a value of [`PARAM`] names; words of other forms are passed over.
pub fn from_param<R: Refusal>(value: &str) -> Vec<R> {
    value.split('.').filter_map(R::from_code).collect()
}

/// The address that takes the browser back to a form's page (`page`, which may carry a query
/// of its own) with `refusals`, scrolled to `anchor`.
pub fn back_to<R: Refusal>(page: &str, refusals: &[R], anchor: &str) -> String {
    let sep = if page.contains('?') { '&' } else { '?' };
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    format!("{page}{sep}{PARAM}={}{anchor}", to_param(refusals))
}

/// Declares a form's refusals: an enum whose variants each have a word for the address and a
/// translation key for the message.
///
/// ```ignore
/// refusals! {
///     /// Why a run's settings were not saved.
///     pub enum RunRefusal {
///         Capacity => "pladser", "staff.runs.err.capacity";
///     }
/// }
/// ```
#[macro_export]
macro_rules! refusals {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident => $code:literal, $key:literal;)+
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::rules::forms::Refusal for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            fn message_key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::refusals! {
        enum Sample {
            One => "en", "sample.one";
            Two => "to", "sample.two";
        }
    }

    #[test]
    fn refusals_travel_as_words_and_come_back() {
        assert_eq!(to_param(&[Sample::One, Sample::Two]), "en.to");
        assert_eq!(
            from_param::<Sample>("en.to"),
            vec![Sample::One, Sample::Two]
        );
        assert_eq!(from_param::<Sample>("to.ukendt"), vec![Sample::Two]);
        assert_eq!(Sample::from_code("en"), Some(Sample::One));
        assert_eq!(Sample::Two.message_key(), "sample.two");
        assert_eq!(
            back_to("/side", &[Sample::One], "fejl"),
            "/side?fejl=en#fejl"
        );
        assert_eq!(
            back_to("/side?gemt=1", &[Sample::Two], ""),
            "/side?gemt=1&fejl=to"
        );
    }

    #[test]
    fn every_word_is_unique_within_each_form() {
        fn unique<R: Refusal>() -> bool {
            let mut codes: Vec<&str> = R::ALL.iter().map(|r| r.code()).collect();
            codes.sort_unstable();
            codes.windows(2).all(|w| w[0] != w[1]) && codes.iter().all(|c| !c.contains('.'))
        }
        assert!(unique::<Sample>());
    }
}
