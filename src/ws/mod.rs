//! The WebSocket core: one close-handshake state machine ([`Machine`]) used
//! by every transport — the network ([`net`]) and the in-process pair
//! ([`pair()`]) — behind one handle, [`WebSocket`].
//!
//! The rules come from `shared/spec/websocket-close.md` (measured on the
//! production runtime), RFC 6455 and the WHATWG WebSockets standard.

pub mod close;
mod config;
mod error;
mod event;
pub(crate) mod link;
mod machine;
pub mod net;
pub(crate) mod pair;
mod socket;
pub mod tap;

pub use close::CloseFrame;
pub use config::{DEFAULT_MAX_MESSAGE_SIZE, INCREASED_MAX_MESSAGE_SIZE, WsConfig};
pub use error::{ErrorClass, WsError};
pub use event::{Event, Message, Outgoing, PeerInput};
pub use machine::{Action, Machine, Mode, ReadyState};
pub use pair::pair;
pub use socket::{SocketInfo, WeakWebSocket, WebSocket};
pub use tap::{FrameTap, Tapped};
