//! `ArrayBuffer` memory counts against the worker's memory too: V8 allocates
//! buffer contents outside its heap, through this allocator, which refuses
//! past the limit (V8 then throws `RangeError: Array buffer allocation failed`).

use std::alloc::{Layout, alloc, alloc_zeroed, dealloc};
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct BufferBudget {
    used: AtomicUsize,
    limit: usize,
}

impl BufferBudget {
    fn reserve(&self, len: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(len).filter(|n| *n <= self.limit)
            })
            .is_ok()
    }

    fn release(&self, len: usize) {
        self.used.fetch_sub(len, Ordering::AcqRel);
    }
}

fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 16).ok()
}

unsafe fn allocate_with(budget: &BufferBudget, len: usize, zeroed: bool) -> *mut c_void {
    let Some(layout) = layout(len) else {
        return std::ptr::null_mut();
    };
    if !budget.reserve(len) {
        return std::ptr::null_mut();
    }
    // SAFETY: the layout has a non-zero size.
    let data = unsafe {
        if zeroed {
            alloc_zeroed(layout)
        } else {
            alloc(layout)
        }
    };
    if data.is_null() {
        budget.release(len);
    }
    data.cast()
}

unsafe extern "C" fn allocate(budget: &BufferBudget, len: usize) -> *mut c_void {
    unsafe { allocate_with(budget, len, true) }
}

unsafe extern "C" fn allocate_uninitialized(budget: &BufferBudget, len: usize) -> *mut c_void {
    unsafe { allocate_with(budget, len, false) }
}

unsafe extern "C" fn free(budget: &BufferBudget, data: *mut c_void, len: usize) {
    if data.is_null() {
        return;
    }
    if let Some(layout) = layout(len) {
        // SAFETY: V8 frees what `allocate` returned, with the same length.
        unsafe { dealloc(data.cast(), layout) };
        budget.release(len);
    }
}

unsafe extern "C" fn drop_budget(budget: *const BufferBudget) {
    // SAFETY: the pointer came from `Arc::into_raw` in `allocator`.
    drop(unsafe { Arc::from_raw(budget) });
}

static VTABLE: v8::RustAllocatorVtable<BufferBudget> = v8::RustAllocatorVtable {
    allocate,
    allocate_uninitialized,
    free,
    drop: drop_budget,
};

/// An allocator for one isolate's `ArrayBuffer`s, at most `limit` bytes.
pub fn allocator(limit: usize) -> v8::UniqueRef<v8::Allocator> {
    let budget = Arc::new(BufferBudget {
        used: AtomicUsize::new(0),
        limit,
    });
    // SAFETY: V8 keeps the handle until it calls `drop_budget`.
    unsafe { v8::new_rust_allocator(Arc::into_raw(budget), &VTABLE) }
}
