//! A loopback HTTP/1 server for the fake platforms: binds 127.0.0.1 on a free port, serves
//! every connection with the fake's handler on its own runtime thread, stops when the returned
//! sender is dropped.

#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use hyper::body::{Body, Incoming};
use hyper::{Request, Response};
use tokio::net::TcpListener;

/// Serve `handle(state, request)` on a fresh loopback port; the address and the shutdown handle.
pub fn serve<S, B, F, Fut>(
    state: Arc<S>,
    handle: F,
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>)
where
    S: Send + Sync + 'static,
    F: Fn(Arc<S>, Request<Incoming>) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Response<B>> + Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (shutdown, mut shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("fake runtime");
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            addr_tx
                .send(listener.local_addr().expect("addr"))
                .expect("send addr");
            loop {
                tokio::select! {
                    _ = &mut shutdown_rx => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let state = state.clone();
                        tokio::spawn(async move {
                            let service = hyper::service::service_fn(move |req| {
                                let reply = handle(state.clone(), req);
                                async move { Ok::<_, Infallible>(reply.await) }
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
    (addr_rx.recv().expect("fake address"), shutdown)
}
