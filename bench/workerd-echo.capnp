# workerd config for `cargo bench --bench worker_echo`: serves
# bench/echo-worker.js on the socket "http". The address below is a default;
# the benchmark overrides it with `--socket-addr http=127.0.0.1:PORT`.
#
#   bench/node_modules/.bin/workerd serve bench/workerd-echo.capnp \
#       --socket-addr http=127.0.0.1:8788
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "echo", worker = .echoWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "echo") ],
);

const echoWorker :Workerd.Worker = (
  modules = [ (name = "echo-worker.js", esModule = embed "echo-worker.js") ],
  compatibilityDate = "2026-11-17",
);
