//! Start-up of a context: the `ops` object, then every `js/` glue file in
//! load order, each called as `(function (globalThis, ops, internals) {...})`.

use super::errors::JsError;
use super::ops;

mod glue {
    include!(concat!(env!("OUT_DIR"), "/js_glue.rs"));
}

/// Run the glue; returns the `internals` object the files filled in.
pub fn run<'s>(scope: &mut v8::PinScope<'s, '_>) -> Result<v8::Local<'s, v8::Object>, JsError> {
    let ops = ops::create(scope);
    let internals = v8::Object::new(scope);
    let global = scope.get_current_context().global(scope);
    for (name, source) in glue::GLUE {
        let wrapped =
            format!("(function (globalThis, ops, internals) {{ \"use strict\";\n{source}\n}})");
        let function = compile_and_run(scope, &wrapped, &format!("hearth:{name}"), -1)?;
        let function = v8::Local::<v8::Function>::try_from(function)
            .map_err(|_| internal(name, "did not evaluate to a function"))?;
        v8::tc_scope!(let tc, scope);
        let recv = v8::undefined(tc).into();
        if function
            .call(tc, recv, &[global.into(), ops.into(), internals.into()])
            .is_none()
        {
            return Err(JsError::from_try_catch(tc));
        }
    }
    Ok(internals)
}

fn internal(file: &str, what: &str) -> JsError {
    JsError {
        message: format!("hearth bug: js/{file} {what}"),
        location: None,
        stack: None,
    }
}

/// Compile and run a classic script; `line_offset` lines are subtracted from
/// reported lines (the glue wrapper adds one).
pub fn compile_and_run<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    source: &str,
    name: &str,
    line_offset: i32,
) -> Result<v8::Local<'s, v8::Value>, JsError> {
    v8::tc_scope!(let tc, scope);
    let code = v8::String::new(tc, source).ok_or_else(|| internal(name, "is too large"))?;
    let resource = v8::String::new(tc, name).unwrap();
    let origin = v8::ScriptOrigin::new(
        tc,
        resource.into(),
        line_offset,
        0,
        false,
        0,
        None,
        false,
        false,
        false,
        None,
    );
    let Some(script) = v8::Script::compile(tc, code, Some(&origin)) else {
        return Err(JsError::from_try_catch(tc));
    };
    match script.run(tc) {
        Some(value) => Ok(escape(value)),
        None => Err(JsError::from_try_catch(tc)),
    }
}

/// Locals made inside a `TryCatch` belong to the outer scope already (the
/// TryCatch is not a HandleScope), so this only restates the lifetime.
pub fn escape<'s>(value: v8::Local<'_, v8::Value>) -> v8::Local<'s, v8::Value> {
    // SAFETY: see above; the handle lives in the outer HandleScope.
    unsafe { std::mem::transmute(value) }
}
