//! The stdio framing in front of tower-lsp-server's, so that bad input
//! cannot end the session.
//!
//! tower-lsp-server reads stdin through tokio-util's `FramedRead`, whose
//! stream ends for good after the first frame its decoder rejects: one
//! malformed header, or one body that is not JSON, and the server stops
//! reading and exits. So the frames are read and checked here first:
//!
//! - a malformed header (no `Content-Length`, a length that is not a
//!   number, a line that is not `Name: value`, bytes that are not a header
//!   at all) is answered with a parse error (-32700, ID null) and skipped
//!   up to the next `Content-Length`;
//! - a body that is not JSON gets a parse error (-32700, ID null);
//! - JSON that is not a JSON-RPC 2.0 request, notification or response (an
//!   array, a number, an object without `"jsonrpc": "2.0"`, a `method` that
//!   is not a string, `params` that are neither an object nor an array, an
//!   ID that is neither a number nor a string) gets an invalid request
//!   error (-32600), with the message's ID when it can be read, else null,
//!   as JSON-RPC 2.0 asks.
//!
//! Only well-formed messages reach tower-lsp-server, through an in-memory
//! pipe. Its output goes through another pipe to a writer that sends these
//! error responses between its frames, never inside one.

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tower_lsp_server::jsonrpc::{Request, Response};

/// The size of the pipes to and from tower-lsp-server, and of each read.
const CHUNK: usize = 64 * 1024;

/// A header block longer than this without its blank line is malformed.
const MAX_HEADER: usize = 8 * 1024;

/// The name searched for when skipping bad bytes.
const CONTENT_LENGTH: &[u8] = b"content-length";

/// The transport's ends for tower-lsp-server, and the writer task, which
/// ends once everything the server wrote has reached `stdout`.
pub(crate) struct Pipes {
    pub(crate) input: DuplexStream,
    pub(crate) output: DuplexStream,
    pub(crate) writer: JoinHandle<()>,
}

/// Starts the reader and the writer tasks between the real stdin and
/// stdout and the pipes handed to tower-lsp-server.
pub(crate) fn spawn<R, W>(stdin: R, stdout: W) -> Pipes
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (input, to_server) = tokio::io::duplex(CHUNK);
    let (output, from_server) = tokio::io::duplex(CHUNK);
    let (errors_tx, errors_rx) = mpsc::unbounded_channel();
    tokio::spawn(read_loop(stdin, to_server, errors_tx));
    let writer = tokio::spawn(write_loop(from_server, errors_rx, stdout));
    Pipes {
        input,
        output,
        writer,
    }
}

/// Reads stdin, forwards each well-formed message to the server and hands
/// the answer to each bad one to the writer. Ends at the end of stdin,
/// which closes the server's input.
async fn read_loop<R: AsyncRead + Unpin>(
    mut stdin: R,
    mut to_server: DuplexStream,
    errors: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut framer = Framer::default();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match stdin.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) => {
                tracing::error!("cannot read stdin: {err}");
                break;
            }
        };
        framer.push(&chunk[..n]);
        while let Some(item) = framer.next_item() {
            match item {
                Item::Forward(body) => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let sent = async {
                        to_server.write_all(header.as_bytes()).await?;
                        to_server.write_all(&body).await?;
                        to_server.flush().await
                    };
                    if sent.await.is_err() {
                        // The server stopped reading (after `exit`).
                        return;
                    }
                }
                Item::Answer(response) => {
                    let _ = errors.send(frame(&response));
                }
            }
        }
    }
}

/// Copies the server's frames to stdout whole, with the error responses
/// between them. Ends when the server closes its output.
async fn write_loop<W: AsyncWrite + Unpin>(
    mut from_server: DuplexStream,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
    mut stdout: W,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    let mut errors_open = true;
    loop {
        tokio::select! {
            read = from_server.read(&mut chunk) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    let mut written = 0;
                    while let Some(len) = complete_frame(&buf[written..]) {
                        written += len;
                    }
                    if written > 0 {
                        if write_flush(&mut stdout, &buf[..written]).await.is_err() {
                            return;
                        }
                        buf.drain(..written);
                    }
                }
            },
            error = errors.recv(), if errors_open => match error {
                Some(bytes) => {
                    if write_flush(&mut stdout, &bytes).await.is_err() {
                        return;
                    }
                }
                None => errors_open = false,
            },
        }
    }
    while let Ok(bytes) = errors.try_recv() {
        buf.extend_from_slice(&bytes);
    }
    let _ = write_flush(&mut stdout, &buf).await;
}

async fn write_flush<W: AsyncWrite + Unpin>(out: &mut W, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(bytes).await?;
    out.flush().await
}

/// The length of the first whole frame of the server's output in `buf`
/// (tower-lsp-server writes `Content-Length: N\r\n\r\n` and the body).
fn complete_frame(buf: &[u8]) -> Option<usize> {
    let end = find(buf, b"\r\n\r\n")?;
    let header = std::str::from_utf8(&buf[..end]).ok()?;
    let len: usize = header
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length:"))?
        .trim()
        .parse()
        .ok()?;
    let total = end + 4 + len;
    (buf.len() >= total).then_some(total)
}

/// What the framer makes of the next bytes.
#[derive(Debug, PartialEq)]
pub(crate) enum Item {
    /// A well-formed message, for the server.
    Forward(Vec<u8>),
    /// The error response to a bad frame.
    Answer(Value),
}

/// Splits a byte stream into frames and checks each one. It recovers from
/// any input: after a malformed header it skips to the next
/// `Content-Length`.
#[derive(Default)]
pub(crate) struct Framer {
    buf: Vec<u8>,
    /// Bytes of `buf` already consumed.
    start: usize,
    /// The length of the body whose header was read.
    body_len: Option<usize>,
    /// Skipping bad bytes up to the next `Content-Length`.
    skipping: bool,
}

enum Header {
    Partial,
    Complete { header_len: usize, body_len: usize },
    Malformed(String),
}

impl Framer {
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next message or error response, or `None` until more bytes come.
    pub(crate) fn next_item(&mut self) -> Option<Item> {
        loop {
            let avail = &self.buf[self.start..];
            if let Some(len) = self.body_len {
                if avail.len() < len {
                    return None;
                }
                let body = replace_lone_surrogates(avail[..len].to_vec());
                self.start += len;
                self.body_len = None;
                return Some(match check_message(&body) {
                    Ok(()) => Item::Forward(body),
                    Err(answer) => Item::Answer(answer),
                });
            }
            if self.skipping {
                match find_ignore_case(avail, CONTENT_LENGTH) {
                    Some(at) => {
                        self.start += at;
                        self.skipping = false;
                    }
                    None => {
                        // Keep what could be the start of the name.
                        self.start += avail.len().saturating_sub(CONTENT_LENGTH.len() - 1);
                        return None;
                    }
                }
                continue;
            }
            // Line breaks between messages are tolerated.
            let blank = avail
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            self.start += blank;
            match parse_header(&self.buf[self.start..]) {
                Header::Partial => return None,
                Header::Complete {
                    header_len,
                    body_len,
                } => {
                    self.start += header_len;
                    self.body_len = Some(body_len);
                }
                Header::Malformed(reason) => {
                    tracing::warn!("skipping a malformed message header: {reason}");
                    self.start += 1;
                    self.skipping = true;
                    return Some(Item::Answer(error_response(
                        Value::Null,
                        -32700,
                        format!("Parse error: malformed header: {reason}"),
                    )));
                }
            }
        }
    }
}

/// Reads a header block: `Name: value` lines up to a blank line, with a
/// `Content-Length`. Lines may end with `\r\n` (as the LSP says) or `\n`.
fn parse_header(buf: &[u8]) -> Header {
    let mut content_length = None;
    let mut pos = 0;
    loop {
        let Some(newline) = buf[pos..].iter().position(|&b| b == b'\n') else {
            return if buf.len() > MAX_HEADER {
                Header::Malformed(format!("no blank line in the first {MAX_HEADER} bytes"))
            } else {
                Header::Partial
            };
        };
        let raw = &buf[pos..pos + newline];
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        pos += newline + 1;
        if line.is_empty() {
            return match content_length {
                Some(body_len) => Header::Complete {
                    header_len: pos,
                    body_len,
                },
                None => Header::Malformed("no Content-Length".to_string()),
            };
        }
        if pos > MAX_HEADER {
            return Header::Malformed(format!("a header longer than {MAX_HEADER} bytes"));
        }
        let Ok(line) = std::str::from_utf8(line) else {
            return Header::Malformed("a header line that is not UTF-8".to_string());
        };
        let Some((name, value)) = line.split_once(':') else {
            return Header::Malformed(format!("`{}` is not `Name: value`", shorten(line)));
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("Content-Length") {
            match value.parse::<usize>() {
                Ok(len) if content_length.is_none_or(|l| l == len) => content_length = Some(len),
                Ok(_) => return Header::Malformed("two different Content-Lengths".to_string()),
                Err(_) => {
                    return Header::Malformed(format!(
                        "Content-Length `{}` is not a length",
                        shorten(value)
                    ))
                }
            }
        } else if !name.eq_ignore_ascii_case("Content-Type") {
            tracing::debug!("ignoring the header `{}`", shorten(name));
        }
    }
}

/// The top level of a message, read without building its `params` or
/// `result` (a `didOpen` may hold megabytes of text). As a derived struct
/// it rejects a repeated field, as tower-lsp-server's types do.
#[derive(Deserialize)]
struct Shape {
    #[serde(default, deserialize_with = "present")]
    jsonrpc: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    method: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    params: Option<JsonKind>,
    #[serde(default, deserialize_with = "present")]
    result: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    error: Option<IgnoredAny>,
}

/// `Some` for a field that is there, even when it is `null`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The kind of a JSON value, its contents skipped.
#[derive(Debug, PartialEq)]
enum JsonKind {
    Structured,
    Null,
    Scalar,
}

impl<'de> Deserialize<'de> for JsonKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<JsonKind, D::Error> {
        struct KindVisitor;
        impl<'de> Visitor<'de> for KindVisitor {
            type Value = JsonKind;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonKind, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(JsonKind::Structured)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonKind, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonKind::Structured)
            }

            fn visit_unit<E>(self) -> Result<JsonKind, E> {
                Ok(JsonKind::Null)
            }

            fn visit_bool<E>(self, _: bool) -> Result<JsonKind, E> {
                Ok(JsonKind::Scalar)
            }

            fn visit_i64<E>(self, _: i64) -> Result<JsonKind, E> {
                Ok(JsonKind::Scalar)
            }

            fn visit_u64<E>(self, _: u64) -> Result<JsonKind, E> {
                Ok(JsonKind::Scalar)
            }

            fn visit_f64<E>(self, _: f64) -> Result<JsonKind, E> {
                Ok(JsonKind::Scalar)
            }

            fn visit_str<E>(self, _: &str) -> Result<JsonKind, E> {
                Ok(JsonKind::Scalar)
            }
        }
        d.deserialize_any(KindVisitor)
    }
}

/// Checks that `body` is a JSON-RPC 2.0 message tower-lsp-server can read,
/// else returns the error response it deserves.
pub(crate) fn check_message(body: &[u8]) -> Result<(), Value> {
    let parse_error =
        |why: String| error_response(Value::Null, -32700, format!("Parse error: {why}"));
    let invalid =
        |id: Value, why: &str| error_response(id, -32600, format!("Invalid request: {why}"));
    // tower-lsp-server checks the whole body's UTF-8 first.
    std::str::from_utf8(body).map_err(|err| parse_error(err.to_string()))?;
    let shape = match serde_json::from_slice::<Shape>(body) {
        Ok(shape) => Some(shape),
        Err(err) if err.is_data() => {
            // Valid JSON of the wrong shape, or not JSON at all?
            serde_json::from_slice::<IgnoredAny>(body)
                .map_err(|err| parse_error(err.to_string()))?;
            return Err(invalid(Value::Null, &err.to_string()));
        }
        Err(err) => return Err(parse_error(err.to_string())),
    };
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let (Some(shape), Some(b'{')) = (shape, first) else {
        return Err(invalid(Value::Null, "a message must be a JSON object"));
    };
    let id_valid = match &shape.id {
        None | Some(Value::Null | Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64(),
        Some(_) => false,
    };
    let reply_id = match &shape.id {
        Some(id) if id_valid => id.clone(),
        _ => Value::Null,
    };
    if shape.jsonrpc.as_ref().and_then(Value::as_str) != Some("2.0") {
        return Err(invalid(reply_id, "`jsonrpc` must be \"2.0\""));
    }
    if !id_valid {
        return Err(invalid(reply_id, "`id` must be an integer or a string"));
    }
    // What tower-lsp-server reads must parse as its own types, or its
    // reader stops: the last word is theirs.
    let parsed = match &shape.method {
        Some(Value::String(_)) => {
            if shape.params == Some(JsonKind::Scalar) {
                return Err(invalid(reply_id, "`params` must be an object or an array"));
            }
            serde_json::from_slice::<Request>(body).map(drop)
        }
        Some(_) => return Err(invalid(reply_id, "`method` must be a string")),
        None if shape.id.is_some() && (shape.result.is_some() || shape.error.is_some()) => {
            serde_json::from_slice::<Response>(body).map(drop)
        }
        None => {
            return Err(invalid(
                reply_id,
                "neither a request (no `method`) nor a response (no `result` or `error`)",
            ))
        }
    };
    parsed.map_err(|err| invalid(reply_id, &err.to_string()))
}

/// Replaces each `\uXXXX` escape of a lone UTF-16 surrogate with `\uFFFD`
/// (the same length), as a lossy UTF-16 decoder would: some clients'
/// `JSON.stringify` emits them for a document cut inside an emoji, and
/// serde_json refuses the whole message, which would drop the document.
fn replace_lone_surrogates(mut body: Vec<u8>) -> Vec<u8> {
    let surrogate_at = |body: &[u8], at: usize| -> Option<u16> {
        let escape = body.get(at..at + 6)?;
        if escape[0] != b'\\' || escape[1] != b'u' {
            return None;
        }
        let hex = std::str::from_utf8(&escape[2..]).ok()?;
        let unit = u16::from_str_radix(hex, 16).ok()?;
        (0xD800..=0xDFFF).contains(&unit).then_some(unit)
    };
    if find_ignore_case(&body, b"\\ud").is_none() {
        return body;
    }
    let mut at = 0;
    while at < body.len() {
        if body[at] != b'\\' {
            at += 1;
            continue;
        }
        match surrogate_at(&body, at) {
            // A high surrogate followed by a low one is a proper pair.
            Some(0xD800..=0xDBFF)
                if surrogate_at(&body, at + 6).is_some_and(|low| low >= 0xDC00) =>
            {
                at += 12
            }
            Some(_) => {
                body[at..at + 6].copy_from_slice(b"\\uFFFD");
                at += 6;
            }
            // Any other escape is two bytes (`\\`, `\"`, `\n`...) or a
            // `\u` escape of six that needs no change.
            None => at += 2,
        }
    }
    body
}

fn error_response(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// At most 60 characters of `s`, for messages.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((end, _)) => format!("{}...", &s[..end]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(input: &[u8]) -> Vec<Item> {
        let mut framer = Framer::default();
        let mut out = Vec::new();
        // Byte by byte, as the worst case of split reads.
        for &b in input {
            framer.push(&[b]);
            while let Some(item) = framer.next_item() {
                out.push(item);
            }
        }
        out
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const STATUS: &str = r#"{"jsonrpc":"2.0","id":1,"method":"planmark/status"}"#;

    fn code(item: &Item) -> i64 {
        match item {
            Item::Answer(v) => v["error"]["code"].as_i64().unwrap(),
            Item::Forward(_) => 0,
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let fixed = |body: &str| String::from_utf8(replace_lone_surrogates(body.into())).unwrap();
        assert_eq!(fixed(r#""a\ud83d b""#), r#""a\uFFFD b""#);
        assert_eq!(fixed(r#""\uDE00\ud83d""#), r#""\uFFFD\uFFFD""#);
        // Pairs, escaped backslashes and other escapes stay as they are.
        assert_eq!(fixed(r#""\ud83d\ude00""#), r#""\ud83d\ude00""#);
        assert_eq!(fixed(r#""\\ud83d \n""#), r#""\\ud83d \n""#);
        let value: serde_json::Value = serde_json::from_str(&fixed(r#""x\ud83d""#)).unwrap();
        assert_eq!(value, "x\u{fffd}");
    }

    #[test]
    fn well_formed_messages_pass_through() {
        let input = format!(
            "{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\n\r\n{STATUS}\r\n{}",
            framed(STATUS),
            STATUS.len(),
            framed(r#"{"jsonrpc":"2.0","id":"x","result":null}"#),
        );
        let got = items(input.as_bytes());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|i| matches!(i, Item::Forward(_))), "{got:?}");
    }

    #[test]
    fn bad_headers_are_answered_and_skipped() {
        for bad in [
            "Content-Length: abc\r\n\r\n{}".to_string(),
            "Content-Length: -5\r\n\r\n".to_string(),
            "Garbage\r\n\r\n".to_string(),
            "Content-Type: text/plain\r\n\r\n{}".to_string(),
            "\0\u{1}binary noise".to_string(),
            format!("X-Long: {}\r\n", "y".repeat(MAX_HEADER)),
        ] {
            let input = format!("{bad}{}", framed(STATUS));
            let got = items(input.as_bytes());
            assert_eq!(code(&got[0]), -32700, "{bad:?}: {got:?}");
            assert_eq!(
                got.last(),
                Some(&Item::Forward(STATUS.as_bytes().to_vec())),
                "{bad:?}: {got:?}"
            );
        }
    }

    #[test]
    fn bodies_that_are_not_json_rpc_are_answered() {
        let cases: &[(&str, i64, Value)] = &[
            ("{not json", -32700, Value::Null),
            ("", -32700, Value::Null),
            ("[]", -32600, Value::Null),
            ("42", -32600, Value::Null),
            (r#"{"id":3,"method":"x"}"#, -32600, json!(3)),
            (
                r#"{"jsonrpc":"1.0","id":"a","method":"x"}"#,
                -32600,
                json!("a"),
            ),
            (r#"{"jsonrpc":"2.0","id":4}"#, -32600, json!(4)),
            (r#"{"jsonrpc":"2.0","id":5,"method":7}"#, -32600, json!(5)),
            (
                r#"{"jsonrpc":"2.0","id":6,"method":"x","params":1}"#,
                -32600,
                json!(6),
            ),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":7,"error":{"code":"x"}}"#,
                -32600,
                json!(7),
            ),
        ];
        for (body, want, id) in cases {
            let got = items(framed(body).as_bytes());
            assert_eq!(got.len(), 1, "{body}: {got:?}");
            let Item::Answer(answer) = &got[0] else {
                panic!("{body} was forwarded");
            };
            assert_eq!(answer["error"]["code"], *want, "{body}: {answer}");
            assert_eq!(answer["id"], *id, "{body}: {answer}");
        }
        let mut bytes = b"Content-Length: 3\r\n\r\n".to_vec();
        bytes.extend_from_slice(b"\"\xff\"");
        assert_eq!(code(&items(&bytes)[0]), -32700);
    }
}
