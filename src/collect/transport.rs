//! The octocrab transport: octocrab's service stack on our own hyper client, so that nothing
//! but the API origin is ever contacted. No redirect is followed here (the client follows
//! same-origin ones itself); rustls with the platform's roots (`SSL_CERT_FILE` is honoured);
//! when `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` applies to the API origin (and `NO_PROXY` does
//! not exclude it), a `CONNECT` tunnel to the proxy (with its basic auth when the proxy URL
//! carries one), TLS inside it.

use std::sync::Arc;
use std::time::Duration;

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
