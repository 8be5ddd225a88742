//! Resource limits: a CPU-time watchdog per JavaScript entry, and the heap
//! limit. Both end the running script with `terminate_execution`; the loop
//! then cancels the termination and keeps serving.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Arms a deadline around each entry into JavaScript; a watcher thread
/// terminates the isolate if the deadline passes while armed.
pub struct Watchdog {
    shared: Arc<Shared>,
}

struct Shared {
    deadline: Mutex<Option<(u64, Instant)>>,
    wake: Condvar,
    generation: AtomicU64,
    fired: AtomicBool,
    /// Set (under the `deadline` lock) when the owner goes away, so the
    /// watcher ends at once instead of at its next idle timeout: a test run
    /// makes one runtime per file.
    closed: AtomicBool,
    handle: v8::IsolateHandle,
}

impl Watchdog {
    pub fn new(handle: v8::IsolateHandle) -> Self {
        let shared = Arc::new(Shared {
            deadline: Mutex::new(None),
            wake: Condvar::new(),
            generation: AtomicU64::new(0),
            fired: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            handle,
        });
        let watcher = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("hearth-watchdog".into())
            .spawn(move || watch(watcher))
            .expect("spawning the watchdog thread");
        Watchdog { shared }
    }

    /// Start counting `limit` for the entry about to run.
    pub fn arm(&self, limit: Duration) {
        let generation = self.shared.generation.fetch_add(1, Ordering::AcqRel) + 1;
        let mut deadline = self.shared.deadline.lock().unwrap();
        self.shared.fired.store(false, Ordering::Release);
        *deadline = Some((generation, Instant::now() + limit));
        drop(deadline);
        self.shared.wake.notify_one();
    }

    /// The entry returned; true if the watchdog ended it.
    pub fn disarm(&self) -> bool {
        let mut deadline = self.shared.deadline.lock().unwrap();
        *deadline = None;
        self.shared.fired.swap(false, Ordering::AcqRel)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let _guard = self.shared.deadline.lock().unwrap();
        self.shared.closed.store(true, Ordering::Release);
        self.shared.wake.notify_one();
    }
}

fn watch(shared: std::sync::Weak<Shared>) {
    loop {
        let Some(s) = shared.upgrade() else { return };
        // Everything under the one lock `disarm` takes too: a termination is
        // either seen by `disarm` or never happens.
        let mut guard = s.deadline.lock().unwrap();
        if s.closed.load(Ordering::Acquire) {
            return;
        }
        let Some((_, deadline)) = *guard else {
            // Idle: wait for an arm (or the owner to go away, checked above).
            let _unused = s
                .wake
                .wait_timeout(guard, Duration::from_millis(500))
                .unwrap();
            continue;
        };
        let now = Instant::now();
        if now < deadline {
            let _unused = s.wake.wait_timeout(guard, deadline - now).unwrap();
            continue;
        }
        s.fired.store(true, Ordering::Release);
        s.handle.terminate_execution();
        *guard = None;
    }
}
