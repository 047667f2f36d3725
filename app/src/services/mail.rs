//! E-mail and calendar content: message bodies ([`compose`]), the messages themselves
//! ([`messages`]), iCalendar invitations and feeds ([`ics`]), and the jobs that queue reminders
//! and evaluation invitations ([`schedule`]). Sending is the server's mail worker's job.

pub mod compose;
pub mod feeds;
pub mod ics;
pub mod messages;
pub mod rendered;
pub mod schedule;
pub mod watch;
