//! `hearth run` end to end: a real process, real HTTP and WebSocket clients.

mod support;

use support::hearth_process::{Hearth, command, write_files};
use support::*;

const HELLO: &str = r#"
import { greet } from "./lib.js";
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/throw") {
      throw new Error("boom");
    }
    if (url.pathname === "/loop") {
      for (;;) {}
    }
    if (url.pathname === "/slices") {
      // Never more than 100 ms at a time, but without end.
      for (;;) {
        const until = Date.now() + 100;
        while (Date.now() < until) {}
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    if (url.pathname === "/buffers") {
      // 60 MB more on every request, kept: past the 128 MiB limit on the third.
      globalThis.kept ??= [];
      globalThis.kept.push(new Uint8Array(60e6));
      return new Response(String(globalThis.kept.length));
    }
    if (url.pathname === "/big") {
      // One allocation of ~240 MB, nearly twice the heap limit at once.
      return new Response(String(new Array(3e7).fill(0.5).length));
    }
    if (url.pathname === "/hog") {
      const hoard = [];
      for (;;) hoard.push(new Array(1e5).fill(Math.random()));
    }
    return new Response(greet(env.NAME) + " auto=" + Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
  },
};
"#;

const LIB: &str = "export function greet(name) { return `hello ${name}`; }\n";

/// `HELLO` (with its import) under `hearth run`, flag date 2026-04-07, plus `args`.
fn serve_hello(args: &[&str]) -> (tempfile::TempDir, Hearth) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", HELLO), ("lib.js", LIB)]);
    let mut all = vec!["worker.js", "--compatibility-date", "2026-04-07"];
    all.extend_from_slice(args);
    let hearth = Hearth::start(dir.path(), &all);
    (dir, hearth)
}

#[tokio::test]
async fn serves_a_module_worker_with_imports_env_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("worker.js", HELLO),
            ("lib.js", LIB),
            (
                "wrangler.toml",
                "main = \"worker.js\"\ncompatibility_date = \"2026-04-06\"\n[vars]\nNAME = \"hearth\"\n",
            ),
        ],
    );
    let hearth = Hearth::start(dir.path(), &[]);
    assert_eq!(
        hearth.get("/").await,
        (200, "hello hearth auto=false".into())
    );
    hearth.stdout_line("GET / 200 OK");
    let hearth = Hearth::start(dir.path(), &["--compatibility-date", "2026-04-07"]);
    assert_eq!(
        hearth.get("/").await,
        (200, "hello hearth auto=true".into())
    );
}

#[tokio::test]
async fn an_exception_is_a_500_with_a_located_stack_and_the_server_keeps_serving() {
    let (_dir, hearth) = serve_hello(&[]);
    let (status, body) = hearth.get("/throw").await;
    assert_eq!(status, 500);
    assert!(body.contains("Error: boom"), "{body}");
    let logged = hearth.stderr_text("boom");
    assert!(logged.contains("GET /throw"), "{logged}");
    let at = hearth.stderr_text("worker.js:7:");
    assert!(at.contains("at "), "{at}");
    assert_eq!(hearth.get("/").await.0, 200);
}

#[tokio::test]
async fn a_syntax_error_stops_start_up_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "worker.js",
            "export default {\n  fetch() {\n    return new Response(;\n  },\n};\n",
        )],
    );
    let out = command(
        dir.path(),
        &[
            "worker.js",
            "--port",
            "0",
            "--compatibility-date",
            "2026-04-07",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SyntaxError"), "{stderr}");
    assert!(stderr.contains("worker.js:3:"), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).is_empty(),
        "never listened"
    );
}

#[tokio::test]
async fn a_worker_without_fetch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", "export default {};\n")]);
    let out = command(
        dir.path(),
        &["worker.js", "--compatibility-date", "2026-04-07"],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("has no default export with a fetch() handler")
    );
}

#[tokio::test]
async fn the_cpu_limit_ends_an_infinite_loop_and_other_requests_are_served() {
    let (_dir, hearth) = serve_hello(&["--cpu-limit", "300"]);
    let (looping, other) = tokio::join!(hearth.get("/loop"), hearth.get("/"));
    assert_eq!(looping.0, 500);
    assert!(
        looping.1.contains("Worker exceeded CPU time limit."),
        "{}",
        looping.1
    );
    assert_eq!(other.0, 200);
    assert_eq!(hearth.get("/").await.0, 200);
}

/// The changelog's two examples, as workers, under each flag setting.
const CHANGELOG: &str = r#"
export default {
  async fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    const halfOpen = new URL(request.url).pathname === "/half-open";
    server.accept(halfOpen ? { allowHalfOpen: true } : undefined);
    server.addEventListener("close", (event) => {
      const name = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"][server.readyState];
      console.log(`handler: WebSocket.${name} ${event.code} ${event.wasClean}`);
      if (halfOpen) server.close(event.code, "done");
      try { server.send("late"); console.log("send: ok"); }
      catch (e) { console.log(`send: ${e.constructor.name}: ${e.message}`); }
    });
    return new Response(null, { status: 101, webSocket: client });
  },
};
"#;

fn settings() -> Vec<(Vec<&'static str>, bool)> {
    vec![
        (vec!["--compatibility-date", "2026-04-06"], false),
        (vec!["--compatibility-date", "2026-04-07"], true),
        (
            vec![
                "--compatibility-date",
                "2026-04-06",
                "--compatibility-flags",
                "web_socket_auto_reply_to_close",
            ],
            true,
        ),
        (
            vec![
                "--compatibility-date",
                "2026-04-07",
                "--compatibility-flags",
                "web_socket_manual_reply_to_close",
            ],
            false,
        ),
    ]
}

#[tokio::test]
async fn changelog_example_1_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", CHANGELOG)]);
    for (args, auto) in settings() {
        let mut all = vec!["worker.js"];
        all.extend(args.iter().copied());
        let hearth = Hearth::start(dir.path(), &all);
        let mut client = RawClient::connect(hearth.addr).await;
        client.send_close(Some((1000, ""))).await;
        if auto {
            hearth.stdout_line("handler: WebSocket.CLOSED 1000 true");
            hearth.stdout_line("send: TypeError: Can't call WebSocket send() after close().");
            assert_eq!(
                client.read().await.close_code_reason(),
                Some((1000, String::new())),
                "{args:?}"
            );
            client.expect_eof().await;
        } else {
            hearth.stdout_line("handler: WebSocket.CLOSING 1000 true");
            hearth.stdout_line("send: ok");
            let late = client.read().await;
            assert_eq!(late.payload, b"late", "{args:?}");
            client.expect_quiet().await;
        }
    }
}

#[tokio::test]
async fn changelog_example_2_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", CHANGELOG)]);
    for (args, _) in settings() {
        let mut all = vec!["worker.js"];
        all.extend(args.iter().copied());
        let hearth = Hearth::start(dir.path(), &all);
        let mut client = RawClient::connect_path(hearth.addr, "/half-open").await;
        client.send_close(Some((1000, ""))).await;
        hearth.stdout_line("handler: WebSocket.CLOSING 1000 true");
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((1000, "done".into())),
            "{args:?}"
        );
        client.expect_eof().await;
    }
}

#[tokio::test]
async fn the_heap_limit_ends_a_runaway_allocation_and_the_worker_recovers() {
    let (_dir, hearth) = serve_hello(&[]);
    // Gradual growth and one allocation far past the limit, each twice:
    // the limit is restored after each, so the worker stays bounded.
    for path in ["/hog", "/hog", "/big", "/big"] {
        let (status, body) = hearth.get(path).await;
        assert_eq!(
            (status, body.as_str()),
            (500, "Worker exceeded memory limit.\n"),
            "{path}"
        );
        assert_eq!(hearth.get("/").await.0, 200);
    }
}

#[tokio::test]
async fn workers_start_from_the_snapshot_with_their_own_random_seed() {
    // The glue is evaluated at build time; nothing random may be baked in.
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "worker.js",
            "export default { fetch() { return new Response(String(Math.random())); } };\n",
        )],
    );
    let args = ["worker.js", "--compatibility-date", "2026-04-07"];
    let (a, b) = (
        Hearth::start(dir.path(), &args),
        Hearth::start(dir.path(), &args),
    );
    assert_ne!(a.get("/").await.1, b.get("/").await.1);
}

#[tokio::test]
async fn the_readme_example_worker_echoes_and_closes() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/echo");
    let hearth = Hearth::start(&example, &["--config", "wrangler.toml"]);
    assert_eq!(
        hearth.get("/").await,
        (
            200,
            "hello from hearth (auto reply to close: true)\n".into()
        )
    );
    let mut client = RawClient::connect(hearth.addr).await;
    client.send_text("hi").await;
    assert_eq!(client.read().await.payload, b"echo: hi");
    client.send_close(Some((1000, "bye"))).await;
    // 2026-04-07: the reply is automatic and the handler sees CLOSED.
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1000, "bye".into()))
    );
    hearth.stdout_line("close 3 1000 bye true");
    client.expect_eof().await;
}

#[tokio::test]
async fn wait_until_work_runs_after_the_response_and_handler_attributes_work() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "worker.js",
            r#"export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/later") {
      ctx.waitUntil(new Promise((resolve) => setTimeout(() => { console.log("waitUntil: done"); resolve(); }, 5)));
      return new Response("sent first");
    }
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.onmessage = (event) => server.send(`onmessage: ${event.data}`);
    server.onclose = (event) => console.log(`onclose: ${event.code} ${server.readyState}`);
    return new Response(null, { status: 101, webSocket: client });
  },
};
"#,
        )],
    );
    let hearth = Hearth::start(
        dir.path(),
        &["worker.js", "--compatibility-date", "2026-04-07"],
    );
    assert_eq!(hearth.get("/later").await, (200, "sent first".into()));
    hearth.stdout_line("waitUntil: done");
    let mut client = RawClient::connect(hearth.addr).await;
    client.send_text("x").await;
    assert_eq!(client.read().await.payload, b"onmessage: x");
    client.send_close(Some((4000, ""))).await;
    hearth.stdout_line("onclose: 4000 3");
}

const ODD: &str = r#"
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/throw-null") throw null;
    if (path === "/never") return new Promise(() => {});
    if (path === "/unhandled") {
      Promise.reject(new Error("nobody listens"));
      return new Response("ok");
    }
    return new Response("fine");
  },
};
"#;

#[tokio::test]
async fn odd_failures_are_answered_and_the_worker_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", ODD)]);
    let hearth = Hearth::start(
        dir.path(),
        &["worker.js", "--compatibility-date", "2026-04-07"],
    );
    // A thrown non-Error has no location; it is still a 500, not a crash.
    assert_eq!(
        hearth.get("/throw-null").await,
        (500, "Uncaught null\n".into())
    );
    // Nothing left could settle the promise: answered, not left hanging.
    assert_eq!(
        hearth.get("/never").await,
        (500, "The script will never generate a response.\n".into())
    );
    // An unhandled rejection is reported with its stack.
    assert_eq!(hearth.get("/unhandled").await, (200, "ok".into()));
    hearth.stderr_text("Uncaught (in promise) Error: nobody listens");
    assert_eq!(hearth.get("/").await, (200, "fine".into()));
}

#[tokio::test]
async fn start_up_is_limited_and_must_settle() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "spin.js",
                "for (;;) {}\nexport default { fetch() { return new Response(''); } };\n",
            ),
            (
                "wait.js",
                "await new Promise(() => {});\nexport default { fetch() { return new Response(''); } };\n",
            ),
            ("null.js", "throw null;\n"),
        ],
    );
    let run = |file: &str| {
        let out = command(
            dir.path(),
            &[
                file,
                "--compatibility-date",
                "2026-04-07",
                "--cpu-limit",
                "300",
            ],
        )
        .output()
        .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = run("spin.js");
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("spin.js exceeded the CPU time limit while starting"),
        "{stderr}"
    );
    let (code, stderr) = run("wait.js");
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("did not settle during start-up"),
        "{stderr}"
    );
    let (code, stderr) = run("null.js");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("error: null"), "{stderr}");
}

#[tokio::test]
async fn the_cpu_limit_counts_all_of_a_requests_slices() {
    let (_dir, hearth) = serve_hello(&["--cpu-limit", "450"]);
    let (status, body) = hearth.get("/slices").await;
    assert_eq!(
        (status, body.as_str()),
        (500, "Worker exceeded CPU time limit.\n")
    );
    // Its timers were stopped with it: the worker is free again.
    assert_eq!(hearth.get("/").await.0, 200);
}

#[tokio::test]
async fn array_buffer_memory_counts_against_the_limit() {
    let (_dir, hearth) = serve_hello(&[]);
    assert_eq!(hearth.get("/buffers").await, (200, "1".into()));
    assert_eq!(hearth.get("/buffers").await, (200, "2".into()));
    let (status, body) = hearth.get("/buffers").await;
    assert_eq!(status, 500);
    // Refused by hearth's allocator, or counted by V8's heap limit: either
    // way a clean 500, and the worker goes on.
    assert!(
        body.starts_with("Uncaught RangeError: Array buffer allocation failed")
            || body == "Worker exceeded memory limit.\n",
        "{body}"
    );
    assert_eq!(hearth.get("/").await.0, 200);
}

#[tokio::test]
async fn async_webassembly_compiles_on_v8_threads_and_resolves() {
    // (module (func (export "add") (param i32 i32) (result i32)
    //   local.get 0 local.get 1 i32.add))
    let worker = r#"
const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
export default {
  async fetch() {
    const { instance } = await WebAssembly.instantiate(bytes);
    return new Response(String(instance.exports.add(2, 40)));
  },
};
"#;
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", worker)]);
    let hearth = Hearth::start(
        dir.path(),
        &["worker.js", "--compatibility-date", "2026-04-07"],
    );
    assert_eq!(hearth.get("/").await, (200, "42".into()));
}
