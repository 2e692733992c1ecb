//! The octocrab transport: octocrab's service stack on our own hyper client, so that nothing
//! but the API origin is ever contacted. No redirect is followed here (the client follows
//! same-origin ones itself); rustls with the platform's roots (`SSL_CERT_FILE` is honoured);
//! when `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` applies to the API origin (and `NO_PROXY` does
//! not exclude it), a `CONNECT` tunnel to the proxy (with its basic auth when the proxy URL
//! carries one), TLS inside it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};

use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use octocrab::service::middleware::base_uri::BaseUriLayer;
use octocrab::{AuthState, Octocrab, OctocrabBuilder};

/// An octocrab client for `origin` (`scheme://host[:port]`).
pub fn octocrab_for(origin: &str) -> Result<Octocrab, String> {
    let uri: http::Uri = origin
        .parse()
        .map_err(|e| format!("cannot use the API URL {origin}: {e}"))?;
    let mut http = HttpConnector::new();
    http.set_connect_timeout(Some(Duration::from_secs(20)));
    http.enforce_http(false);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| format!("cannot load the TLS roots: {e}"))?
        .https_or_http()
        .enable_http1();
    let proxy = hyper_util::client::proxy::matcher::Matcher::from_env().intercept(&uri);
    match proxy {
        None => build(uri, tls.wrap_connector(http)),
        Some(intercept) => {
            let mut tunnel = hyper_util::client::legacy::connect::proxy::Tunnel::new(
                intercept.uri().clone(),
                http,
            );
            if let Some(auth) = intercept.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            build(uri, tls.wrap_connector(tunnel))
        }
    }
}

fn build<C>(uri: http::Uri, connector: C) -> Result<Octocrab, String>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector);
    OctocrabBuilder::new_empty()
        .with_service(client)
        .with_layer(&BaseUriLayer::new(uri))
        .with_auth(AuthState::None)
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

/// Why an exchange gave no answer, and whether asking again may help.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NoAnswer {
    /// One line for the user (never the token).
    pub why: String,
    /// Transient (reset, timeout, cut body): worth a retry. A body over its cap is not.
    pub retry: bool,
}

impl NoAnswer {
    pub(crate) fn transient(why: String) -> Self {
        Self { why, retry: true }
    }
}

/// How long one request may take, body included: 60 s, or `POSTURE_HTTP_TIMEOUT_SECS`
/// (1 to 600) for a slow proxy, or for tests of the timeout path.
pub fn request_timeout() -> Duration {
    std::env::var("POSTURE_HTTP_TIMEOUT_SECS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| (1..=600).contains(s))
        .map_or(Duration::from_secs(60), Duration::from_secs)
}

const MIB: usize = 1024 * 1024;

/// The most posture reads of one answer from `path` (`POST` is GraphQL): GraphQL batches of
/// 25 repositories with their workflow files 64 MiB, listing pages 16 MiB, a file's content
/// 8 MiB, any other single object 4 MiB. A larger body is abandoned as it streams in, never
/// buffered whole, and the fact it answers becomes unknown with that reason.
pub fn body_cap(post: bool, path: &str) -> usize {
    if post {
        64 * MIB
    } else if path.contains("per_page=") || path.contains("/repository/tree") {
        16 * MIB
    } else if path.contains("/repository/files/") || path.contains("/contents/") {
        8 * MIB
    } else {
        4 * MIB
    }
}

/// Read a response body of at most `cap` bytes (a `Content-Length` over the cap is refused
/// before reading). `label` (`GET /path`) names the read in the error.
pub(crate) async fn read_capped<B>(
    headers: &http::HeaderMap,
    body: B,
    cap: usize,
    label: &str,
) -> Result<Bytes, NoAnswer>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let too_large = || NoAnswer {
        why: format!(
            "{label}: the answer is larger than the {} MiB posture reads from this endpoint; not read",
            cap / MIB
        ),
        retry: false,
    };
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(too_large());
    }
    match Limited::new(body, cap).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(e) => Err(NoAnswer::transient(format!(
            "truncated body: {}",
            super::headers::error_chain(e.as_ref())
        ))),
    }
}
