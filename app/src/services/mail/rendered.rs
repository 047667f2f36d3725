//! What every rendered mail is made of, whichever kind: the configuration the renderer needs,
//! the finished message, whether to send it, and the school's lines every mail ends with.

use entity::school;

use super::ics::{Method, Party};
use crate::i18n::Locale;
use crate::tr;

/// What the renderer needs from the configuration.
#[derive(Clone, Debug)]
pub struct MailContext {
    /// Where people reach the site, without a trailing slash, e.g. `https://skolebaenk.dk`.
    pub public_url: String,
}

impl MailContext {
    /// The host name used in calendar UIDs.
    pub fn host(&self) -> &str {
        let rest = self
            .public_url
            .split_once("://")
            .map_or(self.public_url.as_str(), |(_, r)| r);
        let end = rest.find(['/', ':']).unwrap_or(rest.len());
        &rest[..end]
    }
}

/// A rendered message.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Shown as the sender's name: the school, never the course.
    pub from_name: String,
    /// Replies go to the school.
    pub reply_to: Option<Party>,
    pub calendar: Option<(Method, String)>,
}

/// What to do with an outbox row.
#[derive(Clone, Debug)]
pub enum Outcome {
    Send(Box<Rendered>),
    /// Not wanted any more; the reason is recorded on the row.
    Skip(&'static str),
}

/// "Har du spørgsmål, så ring på … eller skriv til …" (without the phone when it has none).
pub fn contact_line(l: Locale, s: &school::Model) -> String {
    match s.phone.trim() {
        "" => tr!(l, "mail.contact_email", email = s.email),
        phone => tr!(l, "mail.contact", phone = phone, email = s.email),
    }
}

/// The school's short name for subjects and calendars, or its name when it has none.
pub fn short_name(s: &school::Model) -> &str {
    match s.short_name.trim() {
        "" => &s.name,
        short => short,
    }
}
