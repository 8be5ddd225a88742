//! SIGTERM ends a server gracefully: open sockets get Close 1001.
//! (Its own test binary: a signal is delivered to the whole process.)

mod support;

use hearth::server::ShutdownSignal;
use support::*;

#[tokio::test]
async fn sigterm_closes_open_sockets_with_1001() {
    let mut srv = TestServer::start(true, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    srv.socket().await;
    let server = srv.server;
    let mut signal = ShutdownSignal::install().unwrap();
    let serving = tokio::spawn(async move {
        signal.recv().await;
        server.shutdown().await;
    });
    let status = std::process::Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1001, "Server is shutting down.".into()))
    );
    client.send_close(Some((1001, ""))).await;
    client.expect_eof().await;
    serving.await.unwrap();
}
