//! Fault injection for the fake platforms, without touching them: a loopback HTTP/1 proxy
//! in front of a fake (GitHub or GitLab) that forwards every request unchanged, except those
//! matched by a [`Rule`], which get a [`Fault`] instead: an error status with the platform's
//! headers (502/503 bursts, secondary and primary rate limits), an HTML error page, a delay
//! (timeouts), a dropped connection, a body cut short, or a body larger than any cap.
//! Answers that name the fake's origin (`Link`, `Location`) are rewritten to the proxy's, so
//! pagination and same-origin redirects keep going through it.

#![allow(dead_code)]

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::net::TcpListener;

type Body = BoxBody<Bytes, std::io::Error>;

/// What a matched request gets instead of the fake's answer.
#[derive(Debug, Clone)]
pub enum Fault {
    /// This status, headers and body.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Wait this long, then forward (longer than the client's timeout: a timeout).
    Delay(Duration),
    /// Close the connection without an answer (a connection reset).
    Reset,
    /// Forward, but cut the body in half and end the stream with an error.
    Truncate,
    /// `200` with a JSON-looking body of this many bytes that never completes a value.
    Huge(usize),
    /// Forward, and add these fields to the JSON object answered (to each object of an array):
    /// what a platform returns to some roles (a project's `runners_token`).
    Augment(serde_json::Value),
}

impl Fault {
    /// A status with a JSON `message` body and extra headers.
    pub fn status(status: u16, message: &str, headers: &[(&str, String)]) -> Fault {
        Fault::Answer {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .chain([("content-type".to_owned(), "application/json".to_owned())])
                .collect(),
            body: serde_json::json!({ "message": message }).to_string(),
        }
    }

    /// A proxy's HTML error page where JSON was expected, with this status.
    pub fn html(status: u16) -> Fault {
        Fault::Answer {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html><head><title>Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
                .into(),
        }
    }
}

/// Requests whose path contains `path` (and, when set, whose method is `method`) get `fault`,
/// the first `times` times (`usize::MAX`: always).
#[derive(Debug, Clone)]
pub struct Rule {
    pub path: String,
    pub method: Option<&'static str>,
    pub times: usize,
    pub fault: Fault,
}

impl Rule {
    pub fn new(path: &str, times: usize, fault: Fault) -> Rule {
        Rule {
            path: path.to_owned(),
            method: None,
            times,
            fault,
        }
    }
}

struct State {
    upstream: String,
    origin: Mutex<String>,
    rules: Mutex<Vec<Rule>>,
    served: AtomicU64,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
}

/// A running proxy; dropping it stops it.
pub struct FaultProxy {
    /// The URL to give posture instead of the fake's (same path prefix).
    pub url: String,
    state: Arc<State>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl FaultProxy {
    /// A proxy in front of the fake at `fake_url` (`http://127.0.0.1:PORT[/prefix]`).
    pub fn start(fake_url: &str) -> FaultProxy {
        let rest = fake_url.trim_start_matches("http://");
        let (host, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let state = Arc::new(State {
            upstream: format!("http://{host}"),
            origin: Mutex::new(String::new()),
            rules: Mutex::new(Vec::new()),
            served: AtomicU64::new(0),
            client: Client::builder(TokioExecutor::new()).build_http(),
        });
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (shutdown, mut shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("proxy runtime");
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                addr_tx.send(listener.local_addr().expect("addr")).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut shutdown_rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let state = serving.clone();
                            tokio::spawn(async move {
                                let service = hyper::service::service_fn(move |req| {
                                    let state = state.clone();
                                    async move { handle(&state, req).await }
                                });
                                let _ = hyper::server::conn::http1::Builder::new()
                                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                                    .await;
                            });
                        }
                    }
                }
            });
        });
        let addr = addr_rx.recv().expect("proxy address");
        let origin = format!("http://{addr}");
        *state.origin.lock().unwrap() = origin.clone();
        FaultProxy {
            url: format!("{origin}{prefix}"),
            state,
            _shutdown: shutdown,
        }
    }

    /// Add a rule (rules are tried in the order added).
    pub fn add(&self, rule: Rule) {
        self.state.rules.lock().unwrap().push(rule);
    }

    /// Faults served so far.
    pub fn served(&self) -> u64 {
        self.state.served.load(Ordering::SeqCst)
    }
}

/// The fault for this request, if a rule with uses left matches (and one use is spent).
fn take_fault(state: &State, method: &str, path: &str) -> Option<Fault> {
    let mut rules = state.rules.lock().unwrap();
    let rule = rules
        .iter_mut()
        .find(|r| r.times > 0 && path.contains(&r.path) && r.method.is_none_or(|m| m == method))?;
    if rule.times != usize::MAX {
        rule.times -= 1;
    }
    state.served.fetch_add(1, Ordering::SeqCst);
    Some(rule.fault.clone())
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

async fn handle(state: &State, req: Request<Incoming>) -> Result<Response<Body>, std::io::Error> {
    let method = req.method().as_str().to_owned();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let fault = take_fault(state, &method, &path);
    match &fault {
        Some(Fault::Answer {
            status,
            headers,
            body,
        }) => {
            let mut response = Response::builder().status(*status);
            for (k, v) in headers {
                response = response.header(k.as_str(), v.as_str());
            }
            return Ok(response.body(full(body.clone())).unwrap());
        }
        Some(Fault::Reset) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected reset",
            ));
        }
        Some(Fault::Huge(size)) => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let chunks = size / chunk.len() + 1;
            let head = Bytes::from_static(b"[{\"a\":\"");
            let frames = std::iter::once(Ok::<_, std::io::Error>(Frame::data(head)))
                .chain((0..chunks).map(move |_| Ok(Frame::data(chunk.clone()))));
            let body = StreamBody::new(stream::iter(frames)).boxed();
            return Ok(Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(body)
                .unwrap());
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(*delay).await,
        Some(Fault::Truncate) | Some(Fault::Augment(_)) | None => {}
    }
    // Forward.
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut forward = Request::builder()
        .method(parts.method.clone())
        .uri(format!("{}{path}", state.upstream));
    for (name, value) in &parts.headers {
        if name != hyper::header::HOST {
            forward = forward.header(name, value);
        }
    }
    let forward = forward.body(Full::new(body)).unwrap();
    let answer = state
        .client
        .request(forward)
        .await
        .map_err(std::io::Error::other)?;
    let (mut parts, body) = answer.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let origin = state.origin.lock().unwrap().clone();
    for value in parts.headers.values_mut() {
        if let Ok(text) = value.to_str()
            && text.contains(&state.upstream)
        {
            *value = text.replace(&state.upstream, &origin).parse().unwrap();
        }
    }
    if let Some(Fault::Augment(extra)) = &fault
        && let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes)
    {
        let add = |object: &mut serde_json::Value| {
            if let (Some(object), Some(extra)) = (object.as_object_mut(), extra.as_object()) {
                object.extend(extra.clone());
            }
        };
        match &mut value {
            serde_json::Value::Array(items) => items.iter_mut().for_each(add),
            other => add(other),
        }
        parts.headers.remove(hyper::header::CONTENT_LENGTH);
        // A new body is a new version: a fresh ETag, so a cache keyed on it stores this one.
        parts.headers.remove(hyper::header::ETAG);
        parts
            .headers
            .insert(hyper::header::ETAG, "W/\"augmented\"".parse().unwrap());
        return Ok(Response::from_parts(parts, full(value.to_string())));
    }
    if matches!(fault, Some(Fault::Truncate)) && bytes.len() > 1 {
        let half = bytes.slice(..bytes.len() / 2);
        let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
            Ok(Frame::data(half)),
            Err(std::io::Error::other("injected cut")),
        ];
        parts.headers.remove(hyper::header::CONTENT_LENGTH);
        let body = StreamBody::new(stream::iter(frames)).boxed();
        return Ok(Response::from_parts(parts, body));
    }
    Ok(Response::from_parts(parts, full(bytes)))
}
