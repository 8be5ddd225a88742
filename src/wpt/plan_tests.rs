//! Planning on real files in a temporary tree: where helpers resolve, the
//! URL, substitution, timeouts, skips and the errors that name file:line.

use super::*;
use crate::compat::Registry;

struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new(files: &[(&str, &str)]) -> Tree {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Tree { dir }
    }

    fn root(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap()
    }

    /// `name` as discovery would hand it over when `base` was the argument.
    fn file(&self, name: &str, base: &str) -> TestFile {
        let root = self.root();
        TestFile {
            path: root.join(name),
            display: name.to_owned(),
            base: root.join(base),
        }
    }

    fn options(&self) -> PlanOptions {
        let registry = Registry::builtin();
        PlanOptions {
            flags: registry.flags_at(registry.newest_supported_date()),
            port: 8001,
            closed_port: 9,
            timeout: Duration::from_secs(10),
            long_timeout: Duration::from_secs(60),
            heap_limit: 1 << 27,
            cwd: self.root(),
        }
    }

    fn plan(&self, name: &str, base: &str) -> (Vec<Run>, Vec<String>) {
        plan_file(&self.file(name, base), &self.options())
    }
}

fn scripts(run: &Run) -> &ScriptRunOptions {
    match &run.work {
        Work::Scripts(options) => options,
        other => panic!("{} did not plan to run: {other:?}", run.name()),
    }
}

#[test]
fn helpers_resolve_against_the_root_and_the_file() {
    let tree = Tree::new(&[
        ("wpt/common/util.js", "const UTIL = 1;"),
        (
            "wpt/websockets/constants.sub.js",
            "const PORT = {{ports[ws][0]}}; // {{location[query]}}",
        ),
        ("wpt/websockets/close/local.js", "const LOCAL = 1;"),
        (
            "wpt/websockets/close/a.any.js",
            "// META: script=/common/util.js\n// META: script=/websockets/constants.sub.js\n\
             // META: script=local.js\n// META: script=/resources/testharness.js\n\
             // META: timeout=long\n// META: variant=?default\n// META: variant=?wss\ntest();\n",
        ),
    ]);
    let (runs, warnings) = tree.plan("wpt/websockets/close/a.any.js", "wpt/websockets");
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(runs.len(), 2);
    let options = scripts(&runs[0]);
    let names: Vec<&str> = options.scripts.iter().map(|s| s.name.as_str()).collect();
    // testharness.js is hearth's own, not loaded from the tree.
    assert_eq!(
        names,
        [
            "wpt/common/util.js",
            "wpt/websockets/constants.sub.js",
            "wpt/websockets/close/local.js",
            "wpt/websockets/close/a.any.js",
        ]
    );
    assert_eq!(options.scripts[1].source, "const PORT = 8001; // ?default");
    // The root is where /common/util.js was found, not the PATH argument.
    assert_eq!(
        options.location,
        "http://127.0.0.1:8001/websockets/close/a.any.js?default"
    );
    assert_eq!(options.timeout, Duration::from_secs(60));
    assert_eq!(runs[0].name(), "wpt/websockets/close/a.any.js?default");
    match &runs[1].work {
        Work::Skip(reason) => assert!(reason.starts_with("variant ?wss needs"), "{reason}"),
        other => panic!("?wss should be skipped: {other:?}"),
    }
}

#[test]
fn without_absolute_helpers_the_root_is_a_wpt_checkout_or_the_argument() {
    let tree = Tree::new(&[
        ("suite/resources/testharness.js", ""),
        ("suite/ws/a.any.js", "test();"),
        ("plain/ws/b.any.js", "test();"),
    ]);
    let (runs, _) = tree.plan("suite/ws/a.any.js", "suite/ws");
    assert_eq!(
        scripts(&runs[0]).location,
        "http://127.0.0.1:8001/ws/a.any.js"
    );
    assert_eq!(scripts(&runs[0]).timeout, Duration::from_secs(10));
    let (runs, _) = tree.plan("plain/ws/b.any.js", "plain");
    assert_eq!(
        scripts(&runs[0]).location,
        "http://127.0.0.1:8001/ws/b.any.js"
    );
}

#[test]
fn a_missing_helper_is_an_error_naming_file_line_and_path() {
    let tree = Tree::new(&[
        (
            "t/a.any.js",
            "// META: title=x\n// META: script=/nowhere/x.js\ntest();\n",
        ),
        (
            "t/b.any.js",
            "// META: script=gone.js\n// META: variant=?1\n// META: variant=?2\n",
        ),
    ]);
    let (runs, _) = tree.plan("t/a.any.js", "t");
    match &runs[0].work {
        Work::Error(message) => assert_eq!(
            message,
            "t/a.any.js:2: script=/nowhere/x.js: not found in t or any directory above it"
        ),
        other => panic!("{other:?}"),
    }
    let (runs, _) = tree.plan("t/b.any.js", "t");
    assert_eq!(runs.len(), 2, "one error per variant");
    for run in &runs {
        match &run.work {
            Work::Error(message) => assert_eq!(
                message,
                "t/b.any.js:1: script=gone.js: t/gone.js: No such file or directory"
            ),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn sub_files_are_substituted_per_variant_with_warnings_once() {
    let tree = Tree::new(&[
        ("t/h.sub.js", "x('{{GET[mode]}}', '{{nope}}');"),
        ("t/plain.js", "y('{{GET[mode]}}');"),
        (
            "t/a.sub.any.js",
            "// META: script=h.sub.js\n// META: script=plain.js\n// META: variant=?mode=a\n\
             // META: variant=?mode=b\n// META: flavor=mint\nz('{{host}}', '{{also_unknown}}');\n",
        ),
    ]);
    let (runs, warnings) = tree.plan("t/a.sub.any.js", "t");
    let sources = |i: usize| -> Vec<String> {
        scripts(&runs[i])
            .scripts
            .iter()
            .map(|s| s.source.clone())
            .collect()
    };
    assert_eq!(sources(0)[0], "x('a', '{{nope}}');");
    assert_eq!(sources(1)[0], "x('b', '{{nope}}');");
    assert_eq!(sources(0)[1], "y('{{GET[mode]}}');", "only .sub. files");
    assert!(sources(0)[2].ends_with("z('127.0.0.1', '{{also_unknown}}');\n"));
    assert_eq!(
        warnings,
        [
            "t/a.sub.any.js:5: unknown META key `flavor` is ignored",
            "t/a.sub.any.js:6: unknown substitution {{also_unknown}} left as is",
            "t/h.sub.js:1: unknown substitution {{nope}} left as is",
        ]
    );
}

#[test]
fn window_only_files_and_unreadable_files() {
    let tree = Tree::new(&[
        (
            "t/w.any.js",
            "// META: global=window\n// META: variant=?a\n// META: variant=?b\n",
        ),
        ("t/bin.any.js", ""),
    ]);
    std::fs::write(tree.root().join("t/bin.any.js"), [0xff, 0xfe, 0x00]).unwrap();
    let (runs, _) = tree.plan("t/w.any.js", "t");
    assert_eq!(runs.len(), 2);
    assert!(
        runs.iter()
            .all(|r| matches!(&r.work, Work::Skip(why) if why.starts_with("global=window")))
    );
    let (runs, _) = tree.plan("t/bin.any.js", "t");
    assert!(
        matches!(&runs[0].work, Work::Error(m) if m.starts_with("t/bin.any.js: cannot read: ")),
        "{:?}",
        runs[0].work
    );
}
