//! Reading the mail the app sent, as a person's mail program would: each message the SMTP sink
//! received, parsed with an independent MIME parser (`mail-parser`), its links, and its
//! invitation parsed with an independent iCalendar parser (`ical`).

use std::time::Duration as StdDuration;

use ical::parser::ical::component::IcalCalendar;
use ical::property::Property;
use mail_parser::{MessageParser, MimeHeaders};
use smtp_sink::{Received, Sink};

/// Longest a test waits for mail to arrive.
pub const WAIT: StdDuration = StdDuration::from_secs(20);

/// A received message as a reader sees it.
#[derive(Debug)]
pub struct Mail {
    pub subject: String,
    pub from_name: String,
    pub from_address: String,
    pub to: String,
    pub message_id: String,
    pub auto_submitted: Option<String>,
    pub reply_to: Option<String>,
    pub text: String,
    pub html: String,
    /// The `text/calendar` alternative: its `method` parameter and content.
    pub calendar: Option<(String, String)>,
    pub attachments: Vec<String>,
}

pub fn read(r: &Received) -> Mail {
    let m = MessageParser::default()
        .parse(&r.data)
        .expect("a parsable message");
    let from = m.from().and_then(|a| a.first()).expect("From");
    let calendar = m.parts.iter().find_map(|p| {
        let ct = p.content_type()?;
        (ct.ctype() == "text" && ct.subtype() == Some("calendar")).then(|| {
            (
                ct.attribute("method").unwrap_or_default().to_string(),
                p.text_contents().unwrap_or_default().to_string(),
            )
        })
    });
    Mail {
        subject: m.subject().unwrap_or_default().to_string(),
        from_name: from.name().unwrap_or_default().to_string(),
        from_address: from.address().unwrap_or_default().to_string(),
        to: m
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_string(),
        message_id: m.message_id().unwrap_or_default().to_string(),
        auto_submitted: m
            .header("Auto-Submitted")
            .and_then(|h| h.as_text())
            .map(str::to_string),
        reply_to: m
            .reply_to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_string),
        text: m.body_text(0).unwrap_or_default().to_string(),
        html: m.body_html(0).unwrap_or_default().to_string(),
        calendar,
        attachments: m
            .attachments()
            .filter_map(|a| a.attachment_name().map(str::to_string))
            .collect(),
    }
}

/// The messages that arrived for `to`, in order.
pub fn mails_to(sink: &Sink, to: &str) -> Vec<Mail> {
    sink.received()
        .iter()
        .map(read)
        .filter(|m| m.to == to)
        .collect()
}

/// Waits until `to` has received `count` messages.
pub async fn wait_for_mail(sink: &Sink, to: &str, count: usize) -> Vec<Mail> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let mails = mails_to(sink, to);
        if mails.len() >= count {
            return mails;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{to} got {} of {count} messages in time: {:?}",
            mails.len(),
            mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
        sink.wait_for(sink.received().len() + 1, StdDuration::from_millis(200))
            .await;
    }
}

/// The first link in `text` that contains `part`.
pub fn link(text: &str, part: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(part))
        .unwrap_or_else(|| panic!("a link with {part} in:\n{text}"))
        .to_string()
}

/// The path of a link on the app, for the test client.
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/".into(), |i| rest[i..].to_string())
}

/// The token in a reminder's answer link.
pub fn reply_token(url: &str) -> String {
    path_of(url)
        .trim_start_matches("/kommer/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub fn parse_ics(text: &str) -> IcalCalendar {
    ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .next()
        .expect("one calendar")
        .expect("a valid calendar")
}

pub fn prop<'a>(props: &'a [Property], name: &str) -> Option<&'a Property> {
    props.iter().find(|p| p.name == name)
}

pub fn value(props: &[Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("{name} missing"))
}
