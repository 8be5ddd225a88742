//! What a new context runs first: a worker's module (its top level, then
//! its `fetch` handler is found), or, for a script run, only the glue with
//! the testharness installed.

use super::errors::JsError;
use super::js_runtime::{Globals, WorkerEntry};
use super::worker::{StartError, WorkerOptions};
use super::{bootstrap, modules};

/// Create the context, run the glue, load and evaluate the worker module.
pub fn start_worker(
    isolate: &mut v8::OwnedIsolate,
    options: &WorkerOptions,
) -> Result<Globals, StartError> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    let internals = bootstrap::run(scope).map_err(StartError::Glue)?;
    let main = options.main.canonicalize().map_err(|e| StartError::Read {
        path: options.main.clone(),
        error: e.to_string(),
    })?;
    let module = modules::load(scope, &main).map_err(StartError::Module)?;
    let namespace = {
        v8::tc_scope!(let tc, scope);
        if module.instantiate_module(tc, modules::resolve) != Some(true) {
            return Err(StartError::Module(JsError::from_try_catch(tc)));
        }
        let Some(result) = module.evaluate(tc) else {
            return Err(StartError::Module(JsError::from_try_catch(tc)));
        };
        tc.perform_microtask_checkpoint();
        if let Ok(promise) = v8::Local::<v8::Promise>::try_from(result)
            && promise.state() == v8::PromiseState::Pending
        {
            return Err(StartError::Module(JsError {
                message: format!(
                    "the top-level await of {} did not settle during start-up; a worker module must finish evaluating before it can serve",
                    main.display()
                ),
                location: None,
                stack: None,
            }));
        }
        if let Ok(promise) = v8::Local::<v8::Promise>::try_from(result)
            && promise.state() == v8::PromiseState::Rejected
        {
            let reason = promise.result(tc);
            let message = v8::Exception::create_message(tc, reason);
            return Err(StartError::Module(JsError::from_exception(
                tc,
                reason,
                Some(message),
            )));
        }
        module.get_module_namespace()
    };
    let namespace = namespace
        .to_object(scope)
        .expect("a module namespace is an object");
    let key = v8::String::new(scope, "default").unwrap();
    let handler = namespace
        .get(scope, key.into())
        .and_then(|d| d.to_object(scope))
        .filter(|d| {
            let fetch = v8::String::new(scope, "fetch").unwrap();
            d.get(scope, fetch.into()).is_some_and(|f| f.is_function())
        })
        .ok_or_else(|| StartError::NoFetchHandler {
            main: options.main.clone(),
        })?;
    let vars = serde_json::to_string(&options.vars).expect("vars are JSON");
    let vars = v8::String::new(scope, &vars).unwrap();
    let env = v8::json::parse(scope, vars).expect("valid JSON");
    let key = v8::String::new(scope, "executionContext").unwrap();
    let ctx = internals
        .get(scope, key.into())
        .filter(|c| c.is_object())
        .ok_or_else(|| {
            StartError::Glue(JsError {
                message: "internals.executionContext is missing".into(),
                location: None,
                stack: None,
            })
        })?;
    Ok(Globals {
        context: v8::Global::new(scope, context),
        internals: v8::Global::new(scope, internals),
        worker: Some(WorkerEntry {
            handler: v8::Global::new(scope, handler),
            env: v8::Global::new(scope, env),
            ctx: v8::Global::new(scope, ctx),
        }),
    })
}
