//! The WebSocket core.
