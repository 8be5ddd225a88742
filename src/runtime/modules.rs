//! ES module loading: the worker's file and its relative imports, read from
//! disk, compiled once each, linked by V8 through [`resolve`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::errors::JsError;

/// Modules by file, and files by module identity (for the resolve callback).
#[derive(Default)]
pub struct ModuleMap {
    by_path: HashMap<PathBuf, v8::Global<v8::Module>>,
    /// Identity hashes are not unique: each bucket is checked by identity.
    paths: HashMap<i32, Vec<(v8::Global<v8::Module>, PathBuf)>>,
}

pub type SharedModuleMap = Rc<RefCell<ModuleMap>>;

fn error(message: String) -> JsError {
    JsError {
        message,
        location: None,
        stack: None,
    }
}

/// Where a script or module came from, for stacks and error locations:
/// its file name (line and column offsets 0).
pub fn script_origin<'s>(
    scope: &v8::PinScope<'s, '_>,
    name: &str,
    is_module: bool,
) -> v8::ScriptOrigin<'s> {
    // A name too long for a JS string (it is a path) is shown empty.
    let name = v8::String::new(scope, name).unwrap_or_else(|| v8::String::empty(scope));
    v8::ScriptOrigin::new(
        scope,
        name.into(),
        0,
        0,
        false,
        0,
        None,
        false,
        false,
        is_module,
        None,
    )
}

/// The specifier as a file path, relative to the importing file.
fn resolve_path(specifier: &str, referrer: &Path) -> Result<PathBuf, String> {
    let spec = specifier.strip_prefix("file://").unwrap_or(specifier);
    if !(spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/')) {
        return Err(format!(
            "Relative import path \"{specifier}\" not prefixed with / or ./ or ../ (imported from {})",
            referrer.display()
        ));
    }
    let base = referrer.parent().unwrap_or(Path::new("/"));
    let path = base.join(spec);
    path.canonicalize().map_err(|e| {
        format!(
            "Cannot load module \"{specifier}\" (imported from {}): {e}",
            referrer.display()
        )
    })
}

/// Load `path` and, recursively, everything it imports.
pub fn load<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    path: &Path,
) -> Result<v8::Local<'s, v8::Module>, JsError> {
    let map = scope
        .get_slot::<SharedModuleMap>()
        .expect("module map")
        .clone();
    if let Some(module) = map.borrow().by_path.get(path) {
        return Ok(v8::Local::new(scope, module));
    }
    let source = std::fs::read_to_string(path)
        .map_err(|e| error(format!("Cannot read {}: {e}", path.display())))?;
    let module = {
        v8::tc_scope!(let tc, scope);
        let code = v8::String::new(tc, &source)
            .ok_or_else(|| error(format!("{} is too large", path.display())))?;
        let origin = script_origin(tc, &path.display().to_string(), true);
        let mut source = v8::script_compiler::Source::new(code, Some(&origin));
        match v8::script_compiler::compile_module(tc, &mut source) {
            Some(m) => v8::Global::new(tc, m),
            None => return Err(JsError::from_try_catch(tc)),
        }
    };
    let local = v8::Local::new(scope, &module);
    {
        let mut m = map.borrow_mut();
        m.paths
            .entry(local.get_identity_hash().get())
            .or_default()
            .push((module.clone(), path.to_owned()));
        m.by_path.insert(path.to_owned(), module);
    }
    let requests = local.get_module_requests();
    for i in 0..requests.length() {
        let Some(request) = requests.get(scope, i) else {
            continue;
        };
        let Ok(request) = v8::Local::<v8::ModuleRequest>::try_from(request) else {
            continue;
        };
        let specifier = request.get_specifier().to_rust_string_lossy(scope);
        let target = resolve_path(&specifier, path).map_err(|message| {
            let loc = local.source_offset_to_location(request.get_source_offset());
            JsError {
                message,
                location: Some(format!(
                    "{}:{}:{}",
                    path.display(),
                    loc.get_line_number() + 1,
                    loc.get_column_number() + 1
                )),
                stack: None,
            }
        })?;
        load(scope, &target)?;
    }
    Ok(local)
}

/// V8's resolve callback: every import was loaded by [`load`] already.
pub fn resolve<'s>(
    context: v8::Local<'s, v8::Context>,
    specifier: v8::Local<'s, v8::String>,
    _attributes: v8::Local<'s, v8::FixedArray>,
    referrer: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Module>> {
    v8::callback_scope!(unsafe scope, context);
    let map = scope.get_slot::<SharedModuleMap>()?.clone();
    let map = map.borrow();
    let bucket = map.paths.get(&referrer.get_identity_hash().get())?;
    let referrer_path = bucket
        .iter()
        .find(|(m, _)| v8::Local::new(scope, m) == referrer)
        .map(|(_, p)| p)?;
    let specifier = specifier.to_rust_string_lossy(scope);
    let module = resolve_path(&specifier, referrer_path)
        .ok()
        .and_then(|path| map.by_path.get(&path));
    match module {
        Some(module) => Some(v8::Local::new(scope, module)),
        None => {
            // `load` resolved every import already; say so rather than fail silently.
            let message = v8::String::new(
                scope,
                &format!("hearth bug: module \"{specifier}\" was not loaded"),
            )?;
            let error = v8::Exception::error(scope, message);
            scope.throw_exception(error);
            None
        }
    }
}
