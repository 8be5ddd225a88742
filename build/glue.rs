//! Running the `js/` glue files, for `build.rs`, which runs them once to
//! make the startup snapshot. Depends on nothing but `v8`.

/// Call each file as `(function (globalThis, ops, internals) { ... })`, in
/// order. On failure: "js/FILE:LINE: message".
pub fn run_glue(
    scope: &mut v8::PinScope,
    files: &[(String, String)],
    ops: v8::Local<v8::Object>,
    internals: v8::Local<v8::Object>,
) -> Result<(), String> {
    let global = scope.get_current_context().global(scope);
    for (name, source) in files {
        // Line offset -1: the wrapper's first line is not part of the file.
        let wrapped =
            format!("(function (globalThis, ops, internals) {{ \"use strict\";\n{source}\n}})");
        v8::tc_scope!(let tc, scope);
        let fail = |tc: &v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>| {
            let line = tc
                .message()
                .and_then(|m| m.get_line_number(tc))
                .unwrap_or(0);
            let text = tc
                .exception()
                .map(|e| e.to_rust_string_lossy(tc))
                .unwrap_or_default();
            format!("js/{name}:{line}: {text}")
        };
        let code = v8::String::new(tc, &wrapped).ok_or_else(|| format!("js/{name}: too large"))?;
        let resource = v8::String::new(tc, &format!("hearth:{name}")).unwrap();
        let origin = v8::ScriptOrigin::new(
            tc,
            resource.into(),
            -1,
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
            return Err(fail(tc));
        };
        let Some(function) = script.run(tc) else {
            return Err(fail(tc));
        };
        let function = v8::Local::<v8::Function>::try_from(function)
            .map_err(|_| format!("js/{name}: not a function"))?;
        let recv = v8::undefined(tc).into();
        if function
            .call(tc, recv, &[global.into(), ops.into(), internals.into()])
            .is_none()
        {
            return Err(fail(tc));
        }
    }
    Ok(())
}
