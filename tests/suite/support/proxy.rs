//! A loopback HTTP proxy in front of the emulator that adds latency and
//! faults on demand, and counts requests per API action.
//!
//! Each request is read whole, held for the configured delay in its own task
//! (so concurrent requests are delayed side by side, like network round trips,
//! not queued), then either answered with a fault or forwarded to the
//! upstream on a fresh connection. Faults apply to the next N requests or to
//! a share of them, drawn from a seeded generator so runs repeat. The proxy
//! listens on 127.0.0.1 only and stops when dropped.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The longest a fault may hold a request, so every test stops by itself.
const MAX_HOLD: Duration = Duration::from_secs(30);
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// A fault the proxy answers with instead of forwarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 400 with `ThrottlingException`, as SSM answers over its rate quota.
    Throttle,
    /// 500 `InternalServerError`.
    ServerError,
    /// The connection is reset without an answer.
    Reset,
    /// The request is held this long, then forwarded.
    Slow(Duration),
    /// The connection is accepted and the request read, and no answer ever
    /// comes (the connection is dropped after the proxy's longest hold, so
    /// a test still ends).
    Stall,
    /// 200 OK with this body, which does not parse as the action's answer:
    /// a truncated read, a proxy's page, a corrupted response.
    Unparsable(&'static str),
}

/// Which requests a fault hits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Share {
    /// The next N requests.
    Next(u64),
    /// This fraction of requests (0.0 to 1.0), drawn at random.
    Rate(f64),
}

/// Requests answered with `AccessDeniedException` because of what they ask.
#[derive(Debug, Clone)]
struct Denial {
    /// Text the request body holds (a parameter name).
    needle: String,
    /// Only when decrypting, with KMS's words; otherwise always, with SSM's.
    kms: bool,
}

#[derive(Default)]
struct Settings {
    delay: Duration,
    denials: Vec<Denial>,
    fault: Option<(Fault, Share)>,
    /// Requests per action, faulted ones included.
    requests: BTreeMap<String, u64>,
    /// Faults answered, per fault.
    faults: BTreeMap<String, u64>,
    rng: u64,
}

struct Shared {
    upstream: SocketAddr,
    settings: Mutex<Settings>,
    /// While set, every connection is reset as it is accepted.
    down: AtomicBool,
    /// Connections reset because the upstream was down.
    refused: AtomicU64,
    in_flight: AtomicU64,
}

/// A running proxy.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Proxy {
    /// Starts a proxy on a free loopback port in front of `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> Proxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .parse()
            .expect("the upstream is http://IP:PORT");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            upstream,
            settings: Mutex::new(Settings {
                rng: 0x9e37_79b9_7f4a_7c15,
                ..Settings::default()
            }),
            down: AtomicBool::new(false),
            refused: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        Proxy {
            addr,
            shared,
            accept,
        }
    }

    /// The endpoint URL to give an SDK client.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Holds every request this long before it goes on.
    pub fn set_delay(&self, delay: Duration) {
        self.settings().delay = delay;
    }

    /// Answers `share` of the requests from now on with `fault`.
    pub fn inject(&self, fault: Fault, share: Share) {
        if let Fault::Slow(hold) = fault {
            assert!(hold <= MAX_HOLD, "slow faults are bounded by {MAX_HOLD:?}");
        }
        self.settings().fault = Some((fault, share));
    }

    /// Denies, as IAM would, every `GetParameters` call that asks for
    /// `name`: SSM's `AccessDeniedException`.
    pub fn deny_reading(&self, name: &str) {
        self.settings().denials.push(Denial {
            needle: name.to_owned(),
            kms: false,
        });
    }

    /// Denies every call that asks for `name` with decryption, as KMS does
    /// when the key's policy leaves the caller out: readable, not
    /// decryptable.
    pub fn deny_decrypting(&self, name: &str) {
        self.settings().denials.push(Denial {
            needle: name.to_owned(),
            kms: true,
        });
    }

    /// Stops injecting faults.
    pub fn heal(&self) {
        self.settings().fault = None;
    }

    /// Makes the upstream unreachable (connections reset) or reachable again.
    pub fn set_down(&self, down: bool) {
        self.shared.down.store(down, Ordering::SeqCst);
    }

    /// Requests seen per API action (`GetParameters`, ...), faulted ones
    /// included.
    pub fn requests(&self) -> BTreeMap<String, u64> {
        self.settings().requests.clone()
    }

    /// Requests seen for one action.
    pub fn requests_for(&self, action: &str) -> u64 {
        self.settings().requests.get(action).copied().unwrap_or(0)
    }

    /// Faults answered, per kind.
    pub fn faults(&self) -> BTreeMap<String, u64> {
        self.settings().faults.clone()
    }

    /// Connections reset while the upstream was down: one per attempt.
    pub fn refused_connections(&self) -> u64 {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// Forgets the counts.
    pub fn reset_counts(&self) {
        let mut settings = self.settings();
        settings.requests.clear();
        settings.faults.clear();
        self.shared.refused.store(0, Ordering::SeqCst);
    }

    /// Requests being held or forwarded right now.
    pub fn in_flight(&self) -> u64 {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    fn settings(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.shared.settings.lock().unwrap()
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        if shared.down.load(Ordering::SeqCst) {
            shared.refused.fetch_add(1, Ordering::SeqCst);
            reset(stream);
            continue;
        }
        tokio::spawn(serve_connection(stream, shared.clone()));
    }
}

/// Closes with a TCP reset rather than an orderly shutdown.
fn reset(stream: TcpStream) {
    // A zero linger never blocks: the close sends a reset at once.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// One HTTP/1.1 message: the head as read, and the body.
struct Message {
    head: String,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }

    fn action(&self) -> String {
        match self.header("x-amz-target") {
            Some(target) => target.rsplit('.').next().unwrap_or(target).to_owned(),
            None => self
                .head
                .split_whitespace()
                .nth(1)
                .unwrap_or("?")
                .to_owned(),
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    loop {
        let Ok(Some(request)) = read_message(&mut read, true).await else {
            return;
        };
        if shared.down.load(Ordering::SeqCst) {
            shared.refused.fetch_add(1, Ordering::SeqCst);
            if let Ok(stream) = read.into_inner().reunite(write) {
                reset(stream);
            }
            return;
        }
        shared.in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = answer(&request, &shared).await;
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        let Some(response) = answer else {
            if let Ok(stream) = read.into_inner().reunite(write) {
                reset(stream);
            }
            return;
        };
        if write.write_all(&response).await.is_err() {
            return;
        }
    }
}

/// The bytes to answer `request` with, or `None` to reset the connection.
async fn answer(request: &Message, shared: &Shared) -> Option<Vec<u8>> {
    let (delay, fault) = {
        let mut settings = shared.settings.lock().unwrap();
        *settings.requests.entry(request.action()).or_default() += 1;
        if let Some(denial) = denied(request, &settings.denials) {
            return Some(denial);
        }
        let fault = draw_fault(&mut settings);
        if let Some(fault) = fault {
            *settings.faults.entry(format!("{fault:?}")).or_default() += 1;
        }
        (settings.delay, fault)
    };
    tokio::time::sleep(delay).await;
    match fault {
        Some(Fault::Throttle) => Some(error_response(
            400,
            "Bad Request",
            "ThrottlingException",
            "Rate exceeded",
        )),
        Some(Fault::ServerError) => Some(error_response(
            500,
            "Internal Server Error",
            "InternalServerError",
            "injected by the test proxy",
        )),
        Some(Fault::Unparsable(body)) => Some(response(200, "OK", &[], body)),
        Some(Fault::Reset) => None,
        Some(Fault::Stall) => {
            tokio::time::sleep(MAX_HOLD).await;
            None
        }
        Some(Fault::Slow(hold)) => {
            tokio::time::sleep(hold).await;
            forward(request, shared.upstream).await
        }
        None => forward(request, shared.upstream).await,
    }
}

/// The answer to a request a [`Denial`] covers.
fn denied(request: &Message, denials: &[Denial]) -> Option<Vec<u8>> {
    let body = String::from_utf8_lossy(&request.body);
    let quoted = |needle: &str| format!("\"{needle}\"");
    let decrypting = body.contains("\"WithDecryption\":true");
    let denial = denials
        .iter()
        .find(|d| body.contains(&quoted(&d.needle)) && (!d.kms || decrypting))?;
    let message = match denial.kms {
        true => "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access. (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)".to_owned(),
        false => format!(
            "User: arn:aws:sts::123456789012:assumed-role/app/i-0 is not authorized to perform: ssm:GetParameters on resource: {}",
            denial.needle
        ),
    };
    Some(error_response(
        400,
        "Bad Request",
        "AccessDeniedException",
        &message,
    ))
}

fn draw_fault(settings: &mut Settings) -> Option<Fault> {
    let (fault, share) = settings.fault?;
    match share {
        Share::Next(0) => {
            settings.fault = None;
            None
        }
        Share::Next(n) => {
            settings.fault = Some((fault, Share::Next(n - 1)));
            Some(fault)
        }
        Share::Rate(rate) => {
            // xorshift64: repeatable across runs, no dependency.
            let mut x = settings.rng;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            settings.rng = x;
            ((x >> 11) as f64 / (1u64 << 53) as f64 <= rate).then_some(fault)
        }
    }
}

fn error_response(status: u16, reason: &str, code: &str, message: &str) -> Vec<u8> {
    let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
    response(status, reason, &[("x-amzn-errortype", code)], &body)
}

/// An answer in SSM's JSON protocol.
fn response(status: u16, reason: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/x-amz-json-1.1\r\n{headers}content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Sends `request` upstream on its own connection and returns the response,
/// re-framed with a length so the client connection can stay open.
async fn forward(request: &Message, upstream: SocketAddr) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(upstream).await.ok()?;
    let mut head: Vec<&str> = request
        .head
        .lines()
        .filter(|line| {
            let key = line.split(':').next().unwrap_or("").trim();
            !key.eq_ignore_ascii_case("connection")
        })
        .collect();
    head.push("connection: close");
    let mut bytes = head.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(&request.body);
    stream.write_all(&bytes).await.ok()?;
    let mut read = BufReader::new(stream);
    let response = read_message(&mut read, false).await.ok()??;
    let mut out: Vec<&str> = response
        .head
        .lines()
        .filter(|line| {
            let key = line.split(':').next().unwrap_or("").trim();
            ![
                "connection",
                "content-length",
                "transfer-encoding",
                "keep-alive",
            ]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k))
        })
        .collect();
    let length = format!("content-length: {}", response.body.len());
    out.push(&length);
    let mut bytes = out.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(&response.body);
    Some(bytes)
}

/// Reads one message. A request's body is framed by its length; a
/// response's by its length, chunks, or the end of the stream.
async fn read_message<R: AsyncRead + Unpin>(
    read: &mut BufReader<R>,
    is_request: bool,
) -> std::io::Result<Option<Message>> {
    let mut head = Vec::new();
    loop {
        let byte = match read.read_u8().await {
            Ok(byte) => byte,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && head.is_empty() => {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        head.push(byte);
        if head.ends_with(b"\r\n\r\n") {
            break;
        }
        if head.len() > MAX_HEADER_BYTES {
            return Err(std::io::Error::other("header too large"));
        }
    }
    let head = String::from_utf8_lossy(&head[..head.len() - 4]).into_owned();
    let mut message = Message {
        head,
        body: Vec::new(),
    };
    if let Some(length) = message.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| std::io::Error::other("bad content-length"))?;
        message.body.resize(length, 0);
        read.read_exact(&mut message.body).await?;
    } else if message
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        message.body = read_chunks(read).await?;
    } else if !is_request {
        read.read_to_end(&mut message.body).await?;
    }
    Ok(Some(message))
}

async fn read_chunks<R: AsyncRead + Unpin>(read: &mut BufReader<R>) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncBufReadExt;
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        read.read_line(&mut line).await?;
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| std::io::Error::other("bad chunk size"))?;
        let mut chunk = vec![0; size + 2];
        read.read_exact(&mut chunk).await?;
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..size]);
    }
}
