//! Mailer backends: SMTP (lettre) and a folder of `.eml` files (the demo default, so the demo
//! works with no mail server). Tests use SMTP, to a sink on loopback.
//!
//! A failed send is either temporary (try again later: 4xx replies, refused connections,
//! timeouts, a full disk) or permanent (5xx replies, an address that cannot be written): the
//! worker retries the first kind with backoff and gives up on the second at once.

use std::path::PathBuf;

use app::services::mail::ics::Method;
use app::services::mail::messages::Rendered;
use lettre::message::header::{self, ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailBackend, MailConfig, SmtpTls};

/// Why a message did not go out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("temporary: {0}")]
    Temporary(String),
    #[error("permanent: {0}")]
    Permanent(String),
}

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(PathBuf),
}

impl Mailer {
    /// The backend the configuration names.
    pub fn from_config(config: &MailConfig) -> Result<Mailer, String> {
        match &config.backend {
            MailBackend::File { dir } => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    format!("could not create the mail folder {}: {e}", dir.display())
                })?;
                Ok(Mailer::File(dir.clone()))
            }
            MailBackend::Smtp(smtp) => {
                let builder = match smtp.tls {
                    SmtpTls::StartTls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                            .map_err(|e| format!("SMTP host {}: {e}", smtp.host))?
                    }
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                        .map_err(|e| format!("SMTP host {}: {e}", smtp.host))?,
                    SmtpTls::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                };
                let mut builder = builder.port(smtp.port).timeout(Some(smtp.timeout));
                if let Some((user, password)) = &smtp.credentials {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Ok(Mailer::Smtp(builder.build()))
            }
        }
    }

    /// Sends one message. `name` names the file for the file backend.
    pub async fn send(&self, message: &Message, name: &str) -> Result<(), SendError> {
        match self {
            Mailer::Smtp(transport) => match transport.send(message.clone()).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                Err(e) => Err(SendError::Temporary(e.to_string())),
            },
            Mailer::File(dir) => {
                let path = dir.join(format!("{name}.eml"));
                let tmp = dir.join(format!("{name}.eml.tmp"));
                // Written under a temporary name first, so the folder never shows half a message.
                tokio::fs::write(&tmp, message.formatted())
                    .await
                    .map_err(|e| SendError::Temporary(format!("{}: {e}", tmp.display())))?;
                tokio::fs::rename(&tmp, &path)
                    .await
                    .map_err(|e| SendError::Temporary(format!("{}: {e}", path.display())))
            }
        }
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office replies should not answer it.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// Builds the MIME message: text and HTML as alternatives, and for calendar messages the
/// calendar as a third alternative (`text/calendar; method=…`, which calendar programs act on)
/// and as an `invitation.ics` attachment (which people can open by hand).
pub fn build(
    rendered: &Rendered,
    recipient: &str,
    from_address: &str,
    message_id: &str,
) -> Result<Message, SendError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| SendError::Permanent(format!("{what}: {e}"));
    let from = Mailbox::new(
        Some(rendered.from_name.clone()),
        from_address
            .parse()
            .map_err(|e| bad("sender address", &e))?,
    );
    let to: Mailbox = recipient
        .parse()
        .map_err(|e| bad("recipient address", &e))?;
    let mut builder = Message::builder()
        .message_id(Some(message_id.to_string()))
        .from(from)
        .to(to)
        .subject(rendered.subject.clone())
        .header(AutoSubmitted);
    if let Some(reply) = &rendered.reply_to
        && let Ok(address) = reply.email.parse()
    {
        builder = builder.reply_to(Mailbox::new(Some(reply.name.clone()), address));
    }
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(rendered.text.clone()))
        .singlepart(SinglePart::html(rendered.html.clone()));
    let body = match &rendered.calendar {
        None => alternative,
        Some((method, ics)) => {
            let method = method.as_str().unwrap_or("PUBLISH");
            let calendar_type =
                ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                    .map_err(|e| bad("calendar type", &e))?;
            let attachment_type =
                ContentType::parse("application/ics").map_err(|e| bad("attachment type", &e))?;
            let name = if rendered.calendar.as_ref().map(|c| c.0) == Some(Method::Cancel) {
                "cancellation.ics"
            } else {
                "invitation.ics"
            };
            MultiPart::mixed()
                .multipart(
                    alternative.singlepart(
                        SinglePart::builder()
                            .header(calendar_type)
                            .header(header::ContentTransferEncoding::Base64)
                            .body(ics.clone()),
                    ),
                )
                .singlepart(Attachment::new(name.into()).body(ics.clone(), attachment_type))
        }
    };
    builder
        .multipart(body)
        .map_err(|e| SendError::Permanent(format!("could not build the message: {e}")))
}
