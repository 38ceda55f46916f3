//! An S3-compatible server (`s3s-fs`: objects as files under a directory) that
//! checks SigV4 signatures, so presigned URLs and credentials are tested for real.

use std::path::Path;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;

/// Serve S3 on `listener` from the directory `root`, accepting only requests signed
/// with `access_key`/`secret_key`. Runs until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    root: &Path,
    access_key: &str,
    secret_key: &str,
) -> std::io::Result<()> {
    let fs = s3s_fs::FileSystem::new(root).map_err(|e| std::io::Error::other(format!("{e:?}")))?;
    let service = {
        let mut b = S3ServiceBuilder::new(fs);
        b.set_auth(SimpleAuth::from_single(access_key, secret_key));
        b.build()
    };
    let http = ConnBuilder::new(TokioExecutor::new());
    loop {
        let (socket, _) = match listener.accept().await {
            Ok(conn) => conn,
            // Transient accept errors (e.g. too many open files) must not stop the server.
            Err(_) => continue,
        };
        let conn = http
            .serve_connection(TokioIo::new(socket), service.clone())
            .into_owned();
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
}
