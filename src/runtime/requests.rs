//! Per-request CPU accounting. Every entry into JavaScript is charged to
//! the request whose work it is: the request's own `fetch` call, the
//! microtasks it queued, the timers it started and the events of the
//! sockets it created (each remembers the request current when it was
//! made). The watchdog then allows each entry only what its request has left.

use std::collections::HashMap;
use std::time::Duration;

pub type RequestId = u64;

#[derive(Default)]
pub struct Budgets {
    next: RequestId,
    used: HashMap<RequestId, Duration>,
}

impl Budgets {
    pub fn new_request(&mut self) -> RequestId {
        self.next += 1;
        self.used.insert(self.next, Duration::ZERO);
        self.next
    }

    /// What `request` may still spend of `limit` (work of no request gets
    /// the whole limit per entry).
    pub fn remaining(&self, request: Option<RequestId>, limit: Duration) -> Duration {
        let used = request
            .and_then(|r| self.used.get(&r))
            .copied()
            .unwrap_or_default();
        limit.saturating_sub(used).max(Duration::from_millis(1))
    }

    pub fn charge(&mut self, request: Option<RequestId>, spent: Duration) {
        if let Some(r) = request {
            *self.used.entry(r).or_default() += spent;
        }
    }

    pub fn forget(&mut self, request: RequestId) {
        self.used.remove(&request);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_spends_one_budget_across_entries() {
        let mut b = Budgets::default();
        let r = b.new_request();
        let limit = Duration::from_millis(100);
        b.charge(Some(r), Duration::from_millis(60));
        assert_eq!(b.remaining(Some(r), limit), Duration::from_millis(40));
        b.charge(Some(r), Duration::from_millis(60));
        assert_eq!(
            b.remaining(Some(r), limit),
            Duration::from_millis(1),
            "never zero: the watchdog ends it at once"
        );
        assert_eq!(b.remaining(None, limit), limit);
        b.forget(r);
        assert_eq!(b.remaining(Some(r), limit), limit);
    }
}
