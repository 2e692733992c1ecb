//! The octocrab transport. Without a proxy, octocrab's own client (rustls with the platform's
//! roots, so `SSL_CERT_FILE` is honoured). When `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` applies
//! to the API origin (and `NO_PROXY` does not exclude it), requests go through a `CONNECT`
//! tunnel to the proxy (with its basic auth when the proxy URL carries one), TLS inside it.

use std::sync::Arc;
use std::time::Duration;

use octocrab::service::middleware::base_uri::BaseUriLayer;
use octocrab::{AuthState, Octocrab, OctocrabBuilder};

/// An octocrab client for `origin` (`scheme://host[:port]`).
pub fn octocrab_for(origin: &str) -> Result<Octocrab, String> {
    let uri: http::Uri = origin
        .parse()
        .map_err(|e| format!("cannot use the API URL {origin}: {e}"))?;
    let matcher = hyper_util::client::proxy::matcher::Matcher::from_env();
    let Some(intercept) = matcher.intercept(&uri) else {
        return Octocrab::builder()
            .base_uri(origin)
            .map_err(|e| format!("cannot use the API URL {origin}: {e}"))?
            .set_connect_timeout(Some(Duration::from_secs(20)))
            .set_read_timeout(Some(Duration::from_secs(60)))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"));
    };
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.set_connect_timeout(Some(Duration::from_secs(20)));
    let mut tunnel =
        hyper_util::client::legacy::connect::proxy::Tunnel::new(intercept.uri().clone(), http);
    if let Some(auth) = intercept.basic_auth() {
        tunnel = tunnel.with_auth(auth.clone());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| format!("cannot load the TLS roots: {e}"))?
        .https_or_http()
        .enable_http1()
        .wrap_connector(tunnel);
    let client = hyper_util::client::legacy::Client::builder(
        hyper_util::rt::TokioExecutor::new(),
    )
    .build(https);
    OctocrabBuilder::new_empty()
        .with_service(client)
        .with_layer(&BaseUriLayer::new(uri))
        .with_auth(AuthState::None)
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}
