//! Renders an outbox row into the e-mail a person gets: subject, text and HTML bodies, and for
//! seat changes an iCalendar invitation or cancellation.
//!
//! Rendering happens when the message is sent, not when it is queued: links carry fresh tokens
//! (only their hashes are stored), and conditions are checked again, so no reminder goes to
//! someone who has cancelled, no offer to someone whose offer has ended, and nothing to a
//! person who asked to be forgotten.
//!
//! Subjects and sender never name the course: a subject says what happened and which school it
//! is from; the course is named only inside the message. Calendar events are titled with the
//! school, not the course, because calendars are often shared at work.

use chrono::{DateTime, Utc};
use entity::{BookingStatus, WaitlistMode, access_token, booking, course, location, run, school};
use entity::{session, session_absence};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;

use super::compose::Body;
use super::ics::{self, Method, Party, SessionEvent};
pub use super::rendered::{MailContext, Outcome, Rendered, contact_line, short_name};
use crate::format;
use crate::i18n::Locale;
use crate::rules::time::to_local;
use crate::services::outbox::Kind;
use crate::services::query::AllInto;
use crate::services::tokens::{self, Purpose};
use crate::tr;

/// Everything a booking's messages talk about.
struct Facts {
    booking: booking::Model,
    run: run::Model,
    course: course::Model,
    school: school::Model,
    run_place: Option<location::Model>,
    places: Vec<location::Model>,
    sessions: Vec<session::Model>,
    afbud: Vec<i32>,
}

impl Facts {
    async fn load(
        db: &impl ConnectionTrait,
        booking: booking::Model,
    ) -> Result<Option<Facts>, DbErr> {
        let Some(run) = run::Entity::find_by_id(booking.run_id).one(db).await? else {
            return Ok(None);
        };
        let (Some(course), Some(school)) = (
            course::Entity::find_by_id(run.course_id).one(db).await?,
            school::Entity::find_by_id(run.school_id).one(db).await?,
        ) else {
            return Ok(None);
        };
        let sessions = session::Entity::find()
            .filter(session::Column::RunId.eq(run.id))
            .order_by_asc(session::Column::StartsAt)
            .all(db)
            .await?;
        let place_ids: Vec<i32> = sessions
            .iter()
            .filter_map(|s| s.location_id)
            .chain(run.location_id)
            .collect();
        let places = location::Entity::find()
            .filter(location::Column::Id.is_in(place_ids))
            .all(db)
            .await?;
        let run_place = run
            .location_id
            .and_then(|id| places.iter().find(|p| p.id == id).cloned());
        let afbud = session_absence::Entity::find()
            .filter(session_absence::Column::BookingId.eq(booking.id))
            .all_into(db, |a| a.session_id)
            .await?;
        Ok(Some(Facts {
            booking,
            run,
            course,
            school,
            run_place,
            places,
            sessions,
            afbud,
        }))
    }

    fn place_of(&self, s: &session::Model) -> Option<&location::Model> {
        s.location_id
            .and_then(|id| self.places.iter().find(|p| p.id == id))
            .or(self.run_place.as_ref())
    }

    fn first_start(&self) -> Option<DateTime<Utc>> {
        self.sessions
            .iter()
            .find(|s| !s.cancelled)
            .map(|s| s.starts_at)
    }

    fn session(&self, id: i32) -> Option<&session::Model> {
        self.sessions.iter().find(|s| s.id == id)
    }

    fn organizer(&self) -> Party {
        Party {
            name: self.school.name.clone(),
            email: self.school.email.clone(),
        }
    }

    fn attendee(&self) -> Party {
        Party {
            name: self.booking.name.clone(),
            email: self.booking.email.clone(),
        }
    }
}

/// "Huset, lokale 2, Vestergade 1, 8000 Aarhus C", or "Online".
pub fn place_line(l: Locale, p: &location::Model) -> String {
    if p.is_online {
        return match p
            .platform
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty())
        {
            Some(platform) => tr!(l, "mail.online_on", platform = platform),
            None => tr!(l, "mail.online"),
        };
    }
    let mut parts = vec![p.name.clone()];
    parts.extend(p.room.clone().filter(|r| !r.is_empty()));
    parts.extend(p.street.clone().filter(|s| !s.is_empty()));
    let town = [p.postal_code.as_deref(), p.city.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !town.is_empty() {
        parts.push(town);
    }
    parts.join(", ")
}

/// What an online place tells participants about taking part ("Du kan have kameraet slukket").
pub fn online_guidance(p: &location::Model) -> Option<&str> {
    Some(p.directions.trim()).filter(|d| p.is_online && !d.is_empty())
}

/// "Tirsdag 8. december 2026, kl. 17.00–20.00", for a line of its own.
fn when(l: Locale, s: &session::Model) -> String {
    format::session_when(l, to_local(s.starts_at), to_local(s.ends_at))
}

/// The same inside a sentence: Danish weekdays are written in lower case there.
fn when_in_text(l: Locale, s: &session::Model) -> String {
    let text = when(l, s);
    match l {
        Locale::Da => {
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        Locale::En => text,
    }
}

fn when_at(l: Locale, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    format::session_when(l, to_local(start), to_local(end))
}

fn payload_time(p: &Value, key: &str) -> Option<DateTime<Utc>> {
    p.get(key)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn payload_i32(p: &Value, key: &str) -> Option<i32> {
    p.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

/// Adds the school's own words about a change, when it gave any.
fn school_note(body: &mut Body, l: Locale, payload: &Value) {
    if let Some(note) = payload
        .get("note")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    {
        body.text(tr!(l, "mail.body.note", note = note));
    }
}

/// Renders `m`. May mint link tokens, so call it once per send.
pub async fn render(
    db: &DatabaseConnection,
    m: &entity::outbox_message::Model,
    ctx: &MailContext,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    let Some(kind) = Kind::parse(&m.kind) else {
        return Ok(Outcome::Skip("unknown kind of message"));
    };
    let l = Locale::parse(&m.locale).unwrap_or_default();
    let payload: Value = serde_json::from_str(&m.payload).unwrap_or(Value::Null);

    if kind == Kind::ManageLink {
        let Some(key) = payload.get("email_key").and_then(Value::as_str) else {
            return Ok(Outcome::Skip("no address in the message"));
        };
        let token = tokens::issue_manage_token(db, key, now).await?;
        let mut body = Body {
            lang: l.code(),
            greeting: tr!(l, "mail.greeting_plain"),
            signature: vec![tr!(l, "mail.regards"), tr!(l, "site.name")],
            ..Body::default()
        };
        body.text(tr!(l, "mail.body.manage_link"))
            .button(
                tr!(l, "mail.body.manage_link_button"),
                format!("{}/mine-tilmeldinger/{token}", ctx.public_url),
            )
            .small(tr!(
                l,
                "mail.body.link_valid",
                days = crate::rules::retention::MANAGE_LINK_DAYS
            ));
        body.title = tr!(l, "mail.subject.manage_link");
        return Ok(Outcome::Send(Box::new(Rendered {
            subject: body.title.clone(),
            text: body.to_text(),
            html: body.to_html(),
            from_name: tr!(l, "site.name"),
            reply_to: None,
            calendar: None,
        })));
    }

    if matches!(kind, Kind::StaffInvite | Kind::StaffReset) {
        return staff_link(db, kind, l, &payload, ctx, now).await;
    }

    if kind == Kind::WebhookDisabled {
        let address = payload
            .get("url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut body = Body {
            lang: l.code(),
            greeting: tr!(l, "mail.greeting_plain"),
            signature: vec![tr!(l, "mail.regards"), tr!(l, "site.name")],
            ..Body::default()
        };
        body.text(tr!(l, "staff.hooks.mail_body", url = address))
            .button(
                tr!(l, "staff.hooks.mail_button"),
                format!("{}/personale/integrationer", ctx.public_url),
            );
        body.title = tr!(l, "staff.hooks.mail_subject");
        return Ok(Outcome::Send(Box::new(Rendered {
            subject: body.title.clone(),
            text: body.to_text(),
            html: body.to_html(),
            from_name: tr!(l, "site.name"),
            reply_to: None,
            calendar: None,
        })));
    }

    if matches!(kind, Kind::WatchReceipt | Kind::NewRun) {
        return super::watch::render(db, kind, l, &payload, ctx).await;
    }

    let Some(booking_id) = m.booking_id else {
        return Ok(Outcome::Skip("no booking on the message"));
    };
    let Some(b) = booking::Entity::find_by_id(booking_id).one(db).await? else {
        return Ok(Outcome::Skip("the booking is gone"));
    };
    if b.email.is_empty() {
        return Ok(Outcome::Skip("the person asked to be forgotten"));
    }
    let Some(f) = Facts::load(db, b).await? else {
        return Ok(Outcome::Skip("the run is gone"));
    };
    compose(db, kind, l, &payload, &f, ctx, now).await
}

/// A staff invitation or password reset: a single-use link minted now.
async fn staff_link(
    db: &DatabaseConnection,
    kind: Kind,
    l: Locale,
    payload: &Value,
    ctx: &MailContext,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    use crate::services::staff::auth::{self, LinkPurpose};
    let Some(account) = match payload_i32(payload, "account_id") {
        Some(id) => {
            entity::staff_account::Entity::find_by_id(id)
                .one(db)
                .await?
        }
        None => None,
    }
    .filter(|a| a.disabled_at.is_none()) else {
        return Ok(Outcome::Skip("the account is gone"));
    };
    let (purpose, path, subject, text, button, valid) = if kind == Kind::StaffInvite {
        (
            LinkPurpose::Invite,
            "invitation",
            tr!(l, "staff.mail.invite_subject"),
            tr!(
                l,
                "staff.mail.invite_body",
                by = payload
                    .get("by")
                    .and_then(Value::as_str)
                    .unwrap_or("Skolebænk")
            ),
            tr!(l, "staff.mail.invite_button"),
            tr!(
                l,
                "staff.mail.invite_valid",
                days = crate::rules::retention::INVITE_DAYS
            ),
        )
    } else {
        (
            LinkPurpose::Reset,
            "nulstil",
            tr!(l, "staff.mail.reset_subject"),
            tr!(l, "staff.mail.reset_body"),
            tr!(l, "staff.mail.reset_button"),
            tr!(
                l,
                "staff.mail.reset_valid",
                hours = crate::rules::retention::RESET_HOURS
            ),
        )
    };
    let token = auth::issue_link(db, account.id, purpose, now).await?;
    let mut body = Body {
        lang: l.code(),
        greeting: tr!(l, "mail.greeting", name = account.name.clone()),
        signature: vec![tr!(l, "mail.regards"), tr!(l, "site.name")],
        ..Body::default()
    };
    body.text(text)
        .button(
            button,
            format!("{}/personale/{path}/{token}", ctx.public_url),
        )
        .small(valid);
    if kind == Kind::StaffReset {
        body.small(tr!(l, "staff.mail.reset_ignore"));
    }
    body.title = subject;
    Ok(Outcome::Send(Box::new(Rendered {
        subject: body.title.clone(),
        text: body.to_text(),
        html: body.to_html(),
        from_name: tr!(l, "site.name"),
        reply_to: None,
        calendar: None,
    })))
}

/// The calendar events of `sessions` for this booking.
fn events<'a>(
    f: &Facts,
    l: Locale,
    ctx: &MailContext,
    sessions: impl Iterator<Item = &'a session::Model>,
    manage_url: &str,
) -> Vec<SessionEvent> {
    let seat = crate::rules::online::sees_links(
        f.booking.status == BookingStatus::Confirmed,
        f.run.status == entity::RunStatus::Cancelled,
    );
    sessions
        .map(|s| {
            let place = f.place_of(s);
            let link = s.online_url.as_deref().filter(|_| seat);
            let mut description = f.course.title.clone();
            if let Some(link) = link {
                description.push_str(&format!(
                    "\n\n{}",
                    tr!(l, "mail.body.online_link", url = link)
                ));
                if let Some(guide) = place.and_then(online_guidance) {
                    description.push_str(&format!("\n{guide}"));
                }
            }
            description.push_str(&format!(
                "\n\n{}: {manage_url}",
                tr!(l, "mail.manage_button")
            ));
            SessionEvent {
                uid: ics::uid("invite", s.id, ctx.host()),
                sequence: u32::try_from(s.sequence + f.booking.calendar_seq).unwrap_or(0),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                summary: tr!(l, "calendar.event_title", school = short_name(&f.school)),
                location: match link {
                    Some(link) => link.to_string(),
                    None => place.map(|p| place_line(l, p)).unwrap_or_default(),
                },
                description,
                url: Some(link.unwrap_or(manage_url).to_string()),
                cancelled: s.cancelled,
            }
        })
        .collect()
}

/// What one kind of message decided: the translation key of its subject, and the calendar to
/// attach, if any.
struct Part {
    subject_key: &'static str,
    calendar: Option<(Method, Vec<SessionEvent>)>,
}

impl Part {
    fn plain(subject_key: &'static str) -> Result<Step, DbErr> {
        Ok(Step::Part(Part {
            subject_key,
            calendar: None,
        }))
    }
}

/// A message part, or the reason the message is no longer to be sent.
enum Step {
    Part(Part),
    Skip(&'static str),
}

/// Writes one message to a booking's person: the body so far, and the "Mine tilmeldinger" link
/// once minted (most messages carry it; it is minted only when used).
struct Writer<'a> {
    db: &'a DatabaseConnection,
    l: Locale,
    payload: &'a Value,
    f: &'a Facts,
    ctx: &'a MailContext,
    now: DateTime<Utc>,
    body: Body,
    manage_url: Option<String>,
}

impl<'a> Writer<'a> {
    fn course(&self) -> &str {
        self.f.course.title.as_str()
    }

    /// The person's "Mine tilmeldinger" link, minted on first use.
    async fn manage(&mut self) -> Result<String, DbErr> {
        if let Some(u) = &self.manage_url {
            return Ok(u.clone());
        }
        let token =
            tokens::issue_manage_token(self.db, &self.f.booking.email_key, self.now).await?;
        let url = format!("{}/mine-tilmeldinger/{token}", self.ctx.public_url);
        self.manage_url = Some(url.clone());
        Ok(url)
    }

    /// The run's sessions that take place, with a place where it is not the run's own.
    fn session_lines(&self) -> Vec<String> {
        let f = self.f;
        f.sessions
            .iter()
            .filter(|s| !s.cancelled)
            .map(|s| {
                let mut line = when(self.l, s);
                if s.location_id.is_some()
                    && s.location_id != f.run_place.as_ref().map(|p| p.id)
                    && let Some(p) = f.place_of(s)
                {
                    line.push_str(&format!(" · {}", place_line(self.l, p)));
                }
                line
            })
            .collect()
    }

    /// The meeting links of `sessions` (those the person takes part in) with the online place's
    /// guidance; for an online class whose link is not set yet, that it will come. Only a seat
    /// holder on a live run gets any of it.
    fn online(&mut self, sessions: &[&session::Model]) {
        use crate::rules::online::{self, Links};
        let (f, l) = (self.f, self.l);
        if !online::sees_links(
            f.booking.status == BookingStatus::Confirmed,
            f.run.status == entity::RunStatus::Cancelled,
        ) {
            return;
        }
        let facts: Vec<online::Session<'_>> = sessions
            .iter()
            .map(|s| online::Session {
                id: s.id,
                cancelled: s.cancelled,
                link: s.online_url.as_deref(),
            })
            .collect();
        let place = sessions
            .iter()
            .filter_map(|s| f.place_of(s))
            .find(|p| p.is_online);
        match online::links(&facts) {
            Links::None => {
                if place.is_some() {
                    self.body.text(tr!(l, "mail.body.online_pending"));
                }
                return;
            }
            Links::One(url) => {
                self.body
                    .text(tr!(l, "mail.body.online_intro"))
                    .button(tr!(l, "mail.body.online_button"), &url)
                    .text(tr!(l, "mail.body.online_link", url = url));
            }
            Links::PerSession(list) => {
                let lines = list
                    .iter()
                    .filter_map(|(id, url)| {
                        f.session(*id).map(|s| format!("{}: {url}", when(l, s)))
                    })
                    .collect();
                self.body
                    .text(tr!(l, "mail.body.online_intro_each"))
                    .list(lines);
            }
        }
        if let Some(guide) = place.and_then(online_guidance) {
            self.body.text(guide.to_string());
        }
        self.body.small(tr!(l, "mail.body.online_private"));
    }

    /// A class's meeting link was set, changed or taken off: the new links and an updated
    /// calendar entry for the sessions it changed that the person takes part in.
    async fn online_link(&mut self) -> Result<Step, DbErr> {
        let f = self.f;
        if f.booking.status != BookingStatus::Confirmed {
            return Ok(Step::Skip("the booking has no seat"));
        }
        let ids: Vec<i32> = self
            .payload
            .get("session_ids")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_i64)
                    .filter_map(|n| i32::try_from(n).ok())
                    .collect()
            })
            .unwrap_or_default();
        let changed: Vec<&session::Model> = f
            .sessions
            .iter()
            .filter(|s| ids.contains(&s.id) && !s.cancelled && !f.afbud.contains(&s.id))
            .filter(|s| s.ends_at > self.now)
            .collect();
        if changed.is_empty() {
            return Ok(Step::Skip("no session to come is changed"));
        }
        let (l, course) = (self.l, self.course().to_string());
        if changed.iter().all(|s| s.online_url.is_none()) {
            self.body
                .text(tr!(l, "mail.body.online_removed", course = course));
        } else {
            self.body
                .text(tr!(l, "mail.body.online_changed", course = course));
            let lines = changed.iter().map(|s| when(l, s)).collect();
            self.body.list(lines);
            self.online(&changed);
        }
        let url = self.manage().await?;
        self.body.button(tr!(l, "mail.manage_button"), &url);
        self.body.small(tr!(l, "mail.calendar_updated"));
        let calendar = Some((Method::Request, self.events(changed.into_iter(), &url)));
        Ok(Step::Part(Part {
            subject_key: "mail.subject.online_link",
            calendar,
        }))
    }

    /// The session a payload names, if it still exists.
    fn session(&self) -> Option<&'a session::Model> {
        let f: &'a Facts = self.f;
        payload_i32(self.payload, "session_id").and_then(|id| f.session(id))
    }

    fn events<'s>(
        &self,
        sessions: impl Iterator<Item = &'s session::Model>,
        url: &str,
    ) -> Vec<SessionEvent> {
        events(self.f, self.l, self.ctx, sessions, url)
    }

    /// A seat: confirmed at sign-up, from an offer, or promoted from the waiting list.
    async fn seat(&mut self, promoted: bool) -> Result<Step, DbErr> {
        let (l, course) = (self.l, self.course().to_string());
        let lead = if promoted {
            tr!(l, "mail.body.promoted", course = course)
        } else if self.payload.get("from_offer").and_then(Value::as_bool) == Some(true) {
            tr!(l, "mail.body.confirmed_offer", course = course)
        } else {
            tr!(l, "mail.body.confirmed", course = course)
        };
        self.body.text(lead);
        if let Some(booker) = &self.f.booking.booked_by_name {
            self.body
                .text(tr!(l, "mail.body.on_behalf", booker = booker));
        }
        let lines = self.session_lines();
        self.body.text(tr!(l, "mail.body.meets")).list(lines);
        if let Some(p) = &self.f.run_place {
            self.body
                .text(tr!(l, "mail.place", place = place_line(l, p)));
        }
        let f = self.f;
        let taking_part = |s: &&session::Model| !s.cancelled && !f.afbud.contains(&s.id);
        let taken: Vec<&session::Model> = f.sessions.iter().filter(taking_part).collect();
        self.online(&taken);
        let url = self.manage().await?;
        self.body
            .button(tr!(l, "mail.manage_button"), &url)
            .text(tr!(l, "mail.body.cant_come"));
        let evs = self.events(f.sessions.iter().filter(taking_part), &url);
        let calendar = (!evs.is_empty()).then(|| {
            self.body.small(tr!(l, "mail.calendar_attached"));
            (Method::Request, evs)
        });
        Ok(Step::Part(Part {
            subject_key: if promoted {
                "mail.subject.waitlist_promoted"
            } else {
                "mail.subject.booking_confirmed"
            },
            calendar,
        }))
    }

    async fn waitlisted(&mut self) -> Result<Step, DbErr> {
        let (l, course) = (self.l, self.course().to_string());
        self.body.text(match payload_i32(self.payload, "position") {
            Some(p) => tr!(l, "mail.body.waitlisted", course = course, position = p),
            None => tr!(l, "mail.body.waitlisted_plain", course = course),
        });
        self.body
            .text(if self.f.run.waitlist_mode == WaitlistMode::Offer {
                tr!(l, "mail.body.waitlist_offer")
            } else {
                tr!(l, "mail.body.waitlist_auto")
            });
        let lines = self.session_lines();
        self.body.text(tr!(l, "mail.body.meets")).list(lines);
        let url = self.manage().await?;
        self.body.button(tr!(l, "mail.manage_button"), url);
        Part::plain("mail.subject.booking_waitlisted")
    }

    async fn offer(&mut self) -> Result<Step, DbErr> {
        let b = &self.f.booking;
        if b.status != BookingStatus::Offered {
            return Ok(Step::Skip("the offer has ended"));
        }
        let Some(until) = b.offer_expires_at.filter(|u| *u > self.now) else {
            return Ok(Step::Skip("the offer has ended"));
        };
        let (l, course) = (self.l, self.course().to_string());
        self.body.text(tr!(
            l,
            "mail.body.offer",
            course = course,
            until = format::date_time(l, to_local(until))
        ));
        let lines = self.session_lines();
        self.body.text(tr!(l, "mail.body.meets")).list(lines);
        let url = self.manage().await?;
        self.body
            .button(tr!(l, "mail.body.offer_button"), url)
            .text(tr!(l, "mail.body.offer_after"));
        Part::plain("mail.subject.waitlist_offer")
    }

    fn offer_expired(&mut self) -> Result<Step, DbErr> {
        let (l, course) = (self.l, self.course().to_string());
        self.body
            .text(tr!(l, "mail.body.offer_expired", course = course))
            .text(tr!(l, "mail.body.sign_up_again"));
        Part::plain("mail.subject.offer_expired")
    }

    async fn cancelled(&mut self) -> Result<Step, DbErr> {
        let (l, course) = (self.l, self.course().to_string());
        let had_seat = self.payload.get("was").and_then(Value::as_str) == Some("confirmed");
        let mut part = Part {
            subject_key: "mail.subject.waitlist_left",
            calendar: None,
        };
        if had_seat {
            part.subject_key = "mail.subject.booking_cancelled";
            self.body
                .text(tr!(l, "mail.body.cancelled_seat", course = course));
            let url = self.manage().await?;
            let evs = self.events(self.f.sessions.iter().filter(|s| !s.cancelled), &url);
            if !evs.is_empty() {
                self.body.small(tr!(l, "mail.calendar_removed"));
                part.calendar = Some((Method::Cancel, evs));
            }
        } else {
            self.body
                .text(tr!(l, "mail.body.cancelled_wait", course = course));
        }
        self.body.text(tr!(l, "mail.body.sign_up_again"));
        Ok(Step::Part(part))
    }

    /// Afbud for one session, or taking it back.
    async fn session_afbud(&mut self, given: bool) -> Result<Step, DbErr> {
        let Some(s) = self.session() else {
            return Ok(Step::Skip("the session is gone"));
        };
        let (l, course) = (self.l, self.course().to_string());
        let url = self.manage().await?;
        let (subject_key, text, method, note) = if given {
            (
                "mail.subject.session_afbud",
                "mail.body.session_afbud",
                Method::Cancel,
                "mail.calendar_removed",
            )
        } else {
            (
                "mail.subject.session_return",
                "mail.body.session_return",
                Method::Request,
                "mail.calendar_updated",
            )
        };
        self.body
            .text(tr!(l, text, when = when_in_text(l, s), course = course))
            .button(tr!(l, "mail.manage_button"), &url);
        let calendar = (self.f.booking.status == BookingStatus::Confirmed).then(|| {
            self.body.small(tr!(l, note));
            (method, self.events(std::iter::once(s), &url))
        });
        Ok(Step::Part(Part {
            subject_key,
            calendar,
        }))
    }

    async fn already_booked(&mut self) -> Result<Step, DbErr> {
        let (l, course) = (self.l, self.course().to_string());
        self.body.text(tr!(l, "mail.body.already", course = course));
        let url = self.manage().await?;
        self.body.button(tr!(l, "mail.manage_button"), url);
        Part::plain("mail.subject.already_booked")
    }

    async fn session_changed(&mut self) -> Result<Step, DbErr> {
        let Some(s) = self.session() else {
            return Ok(Step::Skip("the session is gone"));
        };
        let (l, course, payload) = (self.l, self.course().to_string(), self.payload);
        self.body
            .text(tr!(l, "mail.body.session_changed", course = course));
        let mut lines = Vec::new();
        if let (Some(start), Some(end)) = (
            payload_time(payload, "old_start"),
            payload_time(payload, "old_end"),
        ) {
            lines.push(tr!(l, "mail.body.was", when = when_at(l, start, end)));
        }
        let mut now_line = when(l, s);
        if let Some(p) = self.f.place_of(s) {
            now_line.push_str(&format!(" · {}", place_line(l, p)));
        }
        lines.push(tr!(l, "mail.body.now", when = now_line));
        self.body.list(lines);
        school_note(&mut self.body, l, payload);
        let url = self.manage().await?;
        self.body.button(tr!(l, "mail.manage_button"), &url);
        let f = self.f;
        let calendar = (f.booking.status == BookingStatus::Confirmed
            && !f.afbud.contains(&s.id)
            && !s.cancelled)
            .then(|| {
                self.body.small(tr!(l, "mail.calendar_updated"));
                (Method::Request, self.events(std::iter::once(s), &url))
            });
        Ok(Step::Part(Part {
            subject_key: "mail.subject.session_changed",
            calendar,
        }))
    }

    async fn session_cancelled(&mut self) -> Result<Step, DbErr> {
        let Some(s) = self.session() else {
            return Ok(Step::Skip("the session is gone"));
        };
        let (l, course) = (self.l, self.course().to_string());
        self.body.text(tr!(
            l,
            "mail.body.session_cancelled",
            when = when_in_text(l, s),
            course = course
        ));
        school_note(&mut self.body, l, self.payload);
        let url = self.manage().await?;
        self.body.button(tr!(l, "mail.manage_button"), &url);
        let calendar = (self.f.booking.status == BookingStatus::Confirmed).then(|| {
            self.body.small(tr!(l, "mail.calendar_removed"));
            (Method::Cancel, self.events(std::iter::once(s), &url))
        });
        Ok(Step::Part(Part {
            subject_key: "mail.subject.session_cancelled",
            calendar,
        }))
    }

    async fn run_cancelled(&mut self) -> Result<Step, DbErr> {
        let (l, course) = (self.l, self.course().to_string());
        self.body
            .text(tr!(l, "mail.body.run_cancelled", course = course));
        school_note(&mut self.body, l, self.payload);
        let mut calendar = None;
        if self.payload.get("had_seat").and_then(Value::as_bool) == Some(true) {
            let url = self.manage().await?;
            calendar = Some((Method::Cancel, self.events(self.f.sessions.iter(), &url)));
            self.body.small(tr!(l, "mail.calendar_removed"));
        }
        Ok(Step::Part(Part {
            subject_key: "mail.subject.run_cancelled",
            calendar,
        }))
    }

    /// "Kommer du?" before the first session, with one-click answers.
    async fn reminder(&mut self) -> Result<Step, DbErr> {
        let (f, now) = (self.f, self.now);
        let b = &f.booking;
        let about = payload_time(self.payload, "first_start");
        let first = f.first_start();
        if b.status != BookingStatus::Confirmed {
            return Ok(Step::Skip("the booking is no longer active"));
        }
        if about.is_none() || about != first || first.is_none_or(|t| t <= now) {
            return Ok(Step::Skip("the first session has moved or passed"));
        }
        let Some(s) = f.sessions.iter().find(|s| !s.cancelled) else {
            return Ok(Step::Skip("no session to come"));
        };
        let l = self.l;
        let reply = tokens::issue(self.db, Purpose::Reply, &b.email_key, Some(b.id), now).await?;
        let reply_url = format!("{}/kommer/{reply}", self.ctx.public_url);
        self.body.text(tr!(
            l,
            "mail.body.reminder",
            course = f.course.title,
            when = when_in_text(l, s)
        ));
        if let Some(p) = f.place_of(s) {
            self.body
                .text(tr!(l, "mail.place", place = place_line(l, p)));
        }
        self.online(&[s]);
        self.body
            .text(tr!(l, "mail.body.reminder_ask"))
            .button(
                tr!(l, "mail.body.reminder_yes"),
                format!("{reply_url}?svar=ja"),
            )
            .button(
                tr!(l, "mail.body.reminder_no"),
                format!("{reply_url}?svar=nej"),
            )
            .small(tr!(l, "mail.body.reminder_no_hint"));
        Part::plain("mail.subject.reminder")
    }

    /// The evaluation link, or its reminder: one live link per person. The reminder goes to
    /// everyone who was invited, answered or not, so nothing kept about the mail says who
    /// answered: a spent link no longer knows its booking, so a person who answered finds no
    /// live link and gets the reminder's thanks without a button.
    async fn evaluation(&mut self, reminder: bool) -> Result<Step, DbErr> {
        let (db, b, now) = (self.db, &self.f.booking, self.now);
        let live: Vec<i32> = access_token::Entity::find()
            .filter(access_token::Column::BookingId.eq(b.id))
            .filter(access_token::Column::Purpose.eq(Purpose::Evaluation.as_str()))
            .filter(access_token::Column::UsedAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let token = if reminder && live.is_empty() {
            None
        } else {
            let live = &live;
            // A reminder's link replaces the invitation's.
            Some(
                crate::services::transaction::write(db, |txn| async move {
                    access_token::Entity::delete_many()
                        .filter(access_token::Column::Id.is_in(live.iter().copied()))
                        .exec(&txn)
                        .await?;
                    tokens::issue(&txn, Purpose::Evaluation, &b.email_key, Some(b.id), now).await
                })
                .await?,
            )
        };
        let (subject_key, text) = if reminder {
            (
                "mail.subject.evaluation_reminder",
                "mail.body.evaluation_reminder",
            )
        } else {
            ("mail.subject.evaluation_invitation", "mail.body.evaluation")
        };
        let l = self.l;
        self.body.text(tr!(l, text, course = self.f.course.title));
        if reminder {
            self.body
                .text(tr!(l, "mail.body.evaluation_reminder_thanks"));
        }
        if let Some(token) = token {
            self.body
                .button(
                    tr!(l, "mail.body.evaluation_button"),
                    format!("{}/evaluering/{token}", self.ctx.public_url),
                )
                .small(tr!(
                    l,
                    "mail.body.evaluation_once",
                    days = crate::rules::retention::EVALUATION_LINK_DAYS
                ));
        }
        Part::plain(subject_key)
    }

    /// A message from the school to everyone on the run.
    fn run_message(&mut self) -> Result<Step, DbErr> {
        let f = self.f;
        if !f.booking.status.is_active() {
            return Ok(Step::Skip("the booking is no longer active"));
        }
        let l = self.l;
        let from = self
            .payload
            .get("from")
            .and_then(Value::as_str)
            .unwrap_or(&f.school.name);
        self.body.text(tr!(
            l,
            "staff.mail.run_message_body",
            from = from,
            course = f.course.title
        ));
        let text = self
            .payload
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("");
        for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            self.body.text(paragraph.to_string());
        }
        self.body.small(tr!(l, "staff.mail.run_message_reply"));
        Part::plain("staff.mail.run_message_subject")
    }
}

/// Writes a message about a booking: its body as the kind of message says, then the subject,
/// the calendar and the sender.
async fn compose(
    db: &DatabaseConnection,
    kind: Kind,
    l: Locale,
    payload: &Value,
    f: &Facts,
    ctx: &MailContext,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    let mut w = Writer {
        db,
        l,
        payload,
        f,
        ctx,
        now,
        body: Body {
            lang: l.code(),
            greeting: tr!(l, "mail.greeting", name = f.booking.name),
            signature: vec![
                tr!(l, "mail.regards"),
                f.school.name.clone(),
                contact_line(l, &f.school),
            ],
            ..Body::default()
        },
        manage_url: None,
    };
    let step = match kind {
        Kind::BookingConfirmed => w.seat(false).await?,
        Kind::WaitlistPromoted => w.seat(true).await?,
        Kind::BookingWaitlisted => w.waitlisted().await?,
        Kind::WaitlistOffer => w.offer().await?,
        Kind::OfferExpired => w.offer_expired()?,
        Kind::BookingCancelled => w.cancelled().await?,
        Kind::SessionAfbud => w.session_afbud(true).await?,
        Kind::SessionReturn => w.session_afbud(false).await?,
        Kind::AlreadyBooked => w.already_booked().await?,
        Kind::SessionChanged => w.session_changed().await?,
        Kind::SessionCancelled => w.session_cancelled().await?,
        Kind::RunCancelled => w.run_cancelled().await?,
        Kind::Reminder => w.reminder().await?,
        Kind::EvaluationInvitation => w.evaluation(false).await?,
        Kind::EvaluationReminder => w.evaluation(true).await?,
        Kind::RunMessage => w.run_message()?,
        Kind::OnlineLink => w.online_link().await?,
        Kind::ManageLink
        | Kind::StaffInvite
        | Kind::StaffReset
        | Kind::WebhookDisabled
        | Kind::WatchReceipt
        | Kind::NewRun => Step::Skip("handled above"),
    };
    let part = match step {
        Step::Part(part) => part,
        Step::Skip(reason) => return Ok(Outcome::Skip(reason)),
    };
    let mut body = w.body;
    let organizer = f.organizer();
    let attendee = f.attendee();
    let calendar = part.calendar.map(|(method, evs)| {
        let text = ics::calendar(method, None, &evs, Some(&organizer), Some(&attendee), now);
        (method, text)
    });
    let subject = tr!(l, part.subject_key, school = short_name(&f.school));
    body.title = subject.clone();
    Ok(Outcome::Send(Box::new(Rendered {
        subject,
        text: body.to_text(),
        html: body.to_html(),
        from_name: f.school.name.clone(),
        reply_to: Some(organizer),
        calendar,
    })))
}
