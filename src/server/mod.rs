//! HTTP server with WebSocket upgrades.
