//! Start-up of a context: from the startup snapshot (made by `build.rs`
//! with every `js/` glue file already run), fill the `ops` object with the
//! native functions and run the per-worker `internals.init()`.

use super::errors::JsError;
use super::ops;

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/snapshot.bin"));

mod layout {
    include!(concat!(env!("OUT_DIR"), "/snapshot_layout.rs"));
}

/// Isolate parameters that start from the snapshot.
pub fn create_params() -> v8::CreateParams {
    v8::CreateParams::default().snapshot_blob(SNAPSHOT.into())
}

fn internal(what: &str) -> JsError {
    JsError {
        message: format!("hearth bug: {what}"),
        location: None,
        stack: None,
    }
}

/// Finish the snapshot's default context; returns `internals`.
pub fn run<'s>(scope: &mut v8::PinScope<'s, '_>) -> Result<v8::Local<'s, v8::Object>, JsError> {
    let ops = scope
        .get_context_data_from_snapshot_once::<v8::Object>(layout::OPS_INDEX)
        .map_err(|e| internal(&format!("no ops object in the snapshot: {e:?}")))?;
    let internals = scope
        .get_context_data_from_snapshot_once::<v8::Object>(layout::INTERNALS_INDEX)
        .map_err(|e| internal(&format!("no internals object in the snapshot: {e:?}")))?;
    ops::install(scope, ops);
    let key = v8::String::new(scope, "init").unwrap();
    let init = internals
        .get(scope, key.into())
        .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok())
        .ok_or_else(|| internal("internals.init is missing"))?;
    v8::tc_scope!(let tc, scope);
    if init.call(tc, internals.into(), &[]).is_none() {
        return Err(JsError::from_try_catch(tc));
    }
    Ok(internals)
}
