//! A small SMTP server for tests, listening on loopback.
//!
//! It speaks enough of RFC 5321 for a client such as lettre (EHLO/HELO, MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT) and no more: no TLS and no authentication. A test decides how
//! it answers each message it receives: accept (250), a temporary failure (451), a permanent one
//! (550), or accept only after a pause (to catch the sender mid-send). It can be stopped and
//! started again on the same port, to play a mail server that is down for a while.
//!
//! Accepted messages are kept in memory and, when a folder is given, written there as `NNNNN.eml`
//! with a `NNNNN.json` beside it holding the parsed parts (subject, text, HTML, calendar
//! attachments) for tests that are not written in Rust.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use mail_parser::MimeHeaders;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How the sink answers the end of one message's DATA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `250`: accepted.
    Accept,
    /// `451`: try again later.
    Temporary,
    /// `550`: refused for good.
    Permanent,
    /// Wait this long, then accept.
    AcceptAfter(Duration),
}

/// A message the sink accepted.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent, after dot-unstuffing, with CRLF line ends.
    pub data: Vec<u8>,
    /// When the sink accepted it.
    pub at: std::time::Instant,
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    default: Option<Reply>,
    received: Vec<Received>,
    /// Every DATA the sink answered, accepted or not.
    attempts: usize,
    dir: Option<PathBuf>,
}

struct Shared {
    state: Mutex<State>,
    arrived: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock has failed already; go on with the data.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running SMTP sink. Dropping it stops listening.
pub struct Sink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: Option<JoinHandle<()>>,
}

impl Sink {
    /// Starts a sink on a free loopback port.
    pub async fn start() -> std::io::Result<Sink> {
        Self::start_on("127.0.0.1:0".parse().map_err(std::io::Error::other)?, None).await
    }

    /// Starts a sink on `addr`, writing what it accepts to `dir` when given.
    pub async fn start_on(addr: SocketAddr, dir: Option<&Path>) -> std::io::Result<Sink> {
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir)?;
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                dir: dir.map(Path::to_path_buf),
                ..State::default()
            }),
            arrived: Notify::new(),
        });
        let mut sink = Sink {
            addr,
            shared,
            server: None,
        };
        sink.listen().await?;
        Ok(sink)
    }

    async fn listen(&mut self) -> std::io::Result<()> {
        let listener = bind_retrying(self.addr).await?;
        self.addr = listener.local_addr()?;
        let shared = self.shared.clone();
        self.server = Some(tokio::spawn(async move {
            // The conversations belong to this task: aborting it ([`Sink::stop`]) drops them.
            let mut conversations = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { break };
                        let shared = shared.clone();
                        conversations.spawn(async move {
                            // A client that hangs up mid-conversation is its own business.
                            let _ = converse(stream, &shared).await;
                        });
                    }
                    Some(_) = conversations.join_next(), if !conversations.is_empty() => {}
                }
            }
        }));
        Ok(())
    }

    /// Where the sink listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops listening and drops open connections, as a mail server that goes down.
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }

    /// Starts listening again on the same port, keeping what was received.
    pub async fn restart(&mut self) -> std::io::Result<()> {
        self.stop();
        self.listen().await
    }

    /// Answers the next messages with `replies`, in order; after them, the default answer.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().script.extend(replies);
    }

    /// The answer once the script is used up (normally [`Reply::Accept`]).
    pub fn set_default(&self, reply: Reply) {
        self.shared.lock().default = Some(reply);
    }

    /// The messages accepted so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().received.clone()
    }

    /// How many messages were answered so far, accepted or not.
    pub fn attempts(&self) -> usize {
        self.shared.lock().attempts
    }

    /// Waits until at least `count` messages were accepted, or `timeout` passed; returns what
    /// was accepted by then.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.shared.arrived.notified();
            let now = self.received();
            if now.len() >= count {
                return now;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.received();
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds, retrying briefly: a port just given up by a stopped sink may still be in use.
async fn bind_retrying(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let mut tries = 0;
    loop {
        match TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) if tries < 50 && addr.port() != 0 => {
                tries += 1;
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

async fn converse(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    // Replies go out at once, as a real server's do (no waiting to fill a packet).
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 smtp-sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                write
                    .write_all(
                        b"250-smtp-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 26214400\r\n",
                    )
                    .await?
            }
            "HELO" => write.write_all(b"250 smtp-sink\r\n").await?,
            "MAIL" => {
                from = address_in(command);
                to.clear();
                write.write_all(b"250 2.1.0 OK\r\n").await?;
            }
            "RCPT" => {
                to.push(address_in(command));
                write.write_all(b"250 2.1.5 OK\r\n").await?;
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let data = read_data(&mut lines).await?;
                let reply = {
                    let mut state = shared.lock();
                    state.attempts += 1;
                    state
                        .script
                        .pop_front()
                        .or(state.default)
                        .unwrap_or(Reply::Accept)
                };
                let accepted = match reply {
                    Reply::Accept => true,
                    Reply::AcceptAfter(pause) => {
                        tokio::time::sleep(pause).await;
                        true
                    }
                    Reply::Temporary => {
                        write.write_all(b"451 4.3.0 Try again later\r\n").await?;
                        false
                    }
                    Reply::Permanent => {
                        write
                            .write_all(b"550 5.1.1 Mailbox unavailable\r\n")
                            .await?;
                        false
                    }
                };
                if accepted {
                    let received = Received {
                        from: from.clone(),
                        to: to.clone(),
                        data,
                        at: std::time::Instant::now(),
                    };
                    {
                        let mut state = shared.lock();
                        let number = state.received.len() + 1;
                        if let Some(dir) = state.dir.clone() {
                            write_to(&dir, number, &received)?;
                        }
                        state.received.push(received);
                    }
                    shared.arrived.notify_waiters();
                    write.write_all(b"250 2.0.0 Queued\r\n").await?;
                }
            }
            "RSET" => {
                from.clear();
                to.clear();
                write.write_all(b"250 2.0.0 OK\r\n").await?;
            }
            "NOOP" => write.write_all(b"250 2.0.0 OK\r\n").await?,
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"502 5.5.2 Not implemented\r\n").await?,
        }
    }
}

/// The address between `<` and `>` in `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address_in(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_string()
}

/// Reads the DATA section up to the lone dot, undoing dot-stuffing.
async fn read_data(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let body = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(body);
    }
}

/// Writes an accepted message as `NNNNN.eml` and its parsed parts as `NNNNN.json`.
fn write_to(dir: &Path, number: usize, m: &Received) -> std::io::Result<()> {
    let stem = format!("{number:05}");
    std::fs::write(dir.join(format!("{stem}.eml")), &m.data)?;
    let summary = summarise(m);
    // Written under a temporary name first, so a reader never sees half a file.
    let tmp = dir.join(format!("{stem}.json.tmp"));
    std::fs::write(&tmp, summary.to_string())?;
    std::fs::rename(tmp, dir.join(format!("{stem}.json")))
}

/// The parts of a message a test looks at, parsed with an independent MIME parser.
pub fn summarise(m: &Received) -> serde_json::Value {
    let parsed = mail_parser::MessageParser::default().parse(&m.data);
    let Some(p) = parsed else {
        return serde_json::json!({ "from": m.from, "to": m.to, "unparsed": true });
    };
    let calendars: Vec<String> = p
        .parts
        .iter()
        .filter(|part| {
            part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct
                        .subtype()
                        .is_some_and(|s| s.eq_ignore_ascii_case("calendar"))
            })
        })
        .filter_map(|part| part.text_contents().map(str::to_string))
        .collect();
    serde_json::json!({
        "envelope_from": m.from,
        "envelope_to": m.to,
        "message_id": p.message_id(),
        "subject": p.subject(),
        "from": p.from().and_then(|a| a.first()).and_then(|a| a.address()),
        "to": p.to().and_then(|a| a.first()).and_then(|a| a.address()),
        "text": p.body_text(0),
        "html": p.body_html(0),
        "calendars": calendars,
    })
}
