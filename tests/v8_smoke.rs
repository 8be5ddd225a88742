//! The vendored V8 library links and runs: an isolate evaluates a script.
//! (Its own test binary: V8's platform is initialised once per process.)

#[test]
fn an_isolate_evaluates_a_script() {
    let platform = v8::new_default_platform(0, false).make_shared();
    v8::V8::initialize_platform(platform);
    v8::V8::initialize();
    let isolate = &mut v8::Isolate::new(Default::default());
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    let code = v8::String::new(scope, "'Hello V8 ' + (40 + 2)").unwrap();
    let script = v8::Script::compile(scope, code, None).unwrap();
    let result = script.run(scope).unwrap();
    assert_eq!(result.to_rust_string_lossy(scope), "Hello V8 42");
    assert!(
        v8::V8::get_version().starts_with("15."),
        "{}",
        v8::V8::get_version()
    );
}
