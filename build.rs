//! Builds the startup snapshot: the `js/` glue (numbered files, run in
//! file-name order) evaluated once here, so a worker starts from a context
//! that already has every web API. A glue file that throws fails the build.

use std::{env, fs, path::PathBuf};

#[path = "build/glue.rs"]
mod glue;

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("js");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=build/glue.rs");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "js"));
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(p).unwrap(),
            )
        })
        .collect();

    v8::V8::initialize_platform(v8::new_default_platform(0, false).make_shared());
    v8::V8::initialize();
    let mut creator = v8::Isolate::snapshot_creator(None, None);
    let (ops_index, internals_index) = {
        v8::scope!(let scope, &mut creator);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        // `ops` is filled with the native functions at start-up; the glue
        // looks its members up when called, never while loading.
        let ops = v8::Object::new(scope);
        let internals = v8::Object::new(scope);
        if let Err(e) = glue::run_glue(scope, &files, ops, internals) {
            panic!("the JavaScript glue failed while building the snapshot: {e}");
        }
        scope.set_default_context(context);
        (
            scope.add_context_data(context, ops),
            scope.add_context_data(context, internals),
        )
    };
    let blob = creator
        .create_blob(v8::FunctionCodeHandling::Keep)
        .expect("snapshot");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out.join("snapshot.bin"), &*blob).unwrap();
    fs::write(
        out.join("snapshot_layout.rs"),
        format!("pub const OPS_INDEX: usize = {ops_index};\npub const INTERNALS_INDEX: usize = {internals_index};\n"),
    )
    .unwrap();
}
