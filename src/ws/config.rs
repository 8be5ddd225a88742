//! The WebSocket core's settings, derived from the resolved compatibility flags.

/// 32 MiB: the production runtime's default message limit.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 32 << 20;
/// 128 MiB, with `increase_websocket_message_size`.
pub const INCREASED_MAX_MESSAGE_SIZE: usize = 128 << 20;

/// How one WebSocket end behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WsConfig {
    /// `web_socket_auto_reply_to_close`: reply to a peer Close at once.
    pub auto_reply_to_close: bool,
    /// `websocket_close_reason_byte_limit`: `close()` refuses reasons over 123 bytes.
    pub close_reason_byte_limit: bool,
    /// Largest message accepted from the peer (RFC 6455 §10.4), else Close 1009.
    pub max_message_size: usize,
}

impl WsConfig {
    /// Build the config from a flag lookup, e.g. `|f| resolved.is_enabled(f)`.
    ///
    /// ```
    /// let on = hearth::ws::WsConfig::from_flags(|f| f == "web_socket_auto_reply_to_close");
    /// assert!(on.auto_reply_to_close);
    /// assert_eq!(on.max_message_size, 32 << 20);
    /// ```
    pub fn from_flags(is_enabled: impl Fn(&str) -> bool) -> Self {
        WsConfig {
            auto_reply_to_close: is_enabled("web_socket_auto_reply_to_close"),
            close_reason_byte_limit: is_enabled("websocket_close_reason_byte_limit"),
            max_message_size: if is_enabled("increase_websocket_message_size") {
                INCREASED_MAX_MESSAGE_SIZE
            } else {
                DEFAULT_MAX_MESSAGE_SIZE
            },
        }
    }

    /// The config a worker gets from its resolved compatibility flags.
    pub fn from_resolved(flags: &crate::compat::ResolvedFlags) -> Self {
        Self::from_flags(|name| flags.is_enabled(name))
    }

    /// Everything a current compatibility date turns on, with the given auto-reply setting.
    pub fn current(auto_reply_to_close: bool) -> Self {
        WsConfig {
            auto_reply_to_close,
            close_reason_byte_limit: true,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }
}
