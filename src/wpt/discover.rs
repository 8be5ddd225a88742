//! Which files are tests: the PATH arguments of `hearth test`, walked.
//!
//! A directory is walked recursively in name order, collecting `*.any.js`
//! and `*.worker.js` (the WPT file names that run in a worker-like global;
//! `*.window.js` and HTML tests need a document). `resources/`, `support/`
//! and `tools/` hold helpers, not tests, and dot-directories are never
//! tests, so they are not entered. A file named on the command line is
//! always a test, whatever its name: the user asked for it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// Directories whose files are helpers (WPT conventions), never tests.
const HELPER_DIRS: &[&str] = &["resources", "support", "tools"];

/// One test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestFile {
    /// Where to read it (the argument, joined with the walked part).
    pub path: PathBuf,
    /// How reports name it: relative to the current directory when it is
    /// under it, `/`-separated (so reports are the same on every OS and
    /// `--filter` and expectation keys can be written once).
    pub display: String,
    /// Where `/absolute` paths resolve when the file's own META lines give
    /// no better answer (see `plan::test_root`): the directory argument it
    /// was found under, or an explicit file's own directory.
    pub base: PathBuf,
}

/// Whether a file name is a test when met while walking a directory.
pub fn is_test_name(name: &str) -> bool {
    name.ends_with(".any.js") || name.ends_with(".worker.js")
}

fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || HELPER_DIRS.contains(&name)
}

/// The test files under `paths`, in argument order, each directory walked
/// in name order; a file reached twice (overlapping arguments) is kept once.
/// `filter` keeps files whose display path contains it.
///
/// Fails, naming the argument, when a path does not exist or cannot be read.
pub fn discover(
    paths: &[PathBuf],
    cwd: &Path,
    filter: Option<&str>,
) -> Result<Vec<TestFile>, String> {
    let mut found = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("{}: {}", path.display(), io_reason(&e)))?;
        if meta.is_dir() {
            walk(path, path, cwd, &mut found, &mut HashSet::new())?;
        } else {
            let base = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf();
            found.push(test_file(path.clone(), base, cwd));
        }
    }
    let mut seen = HashSet::new();
    found.retain(|f| seen.insert(std::fs::canonicalize(&f.path).unwrap_or(f.path.clone())));
    if let Some(text) = filter {
        found.retain(|f| f.display.contains(text));
    }
    Ok(found)
}

/// `visited` holds the canonical directories walked so far: a symlink back
/// to an ancestor (`ln -s . loop`) must not send the walk round forever.
fn walk(
    dir: &Path,
    base: &Path,
    cwd: &Path,
    found: &mut Vec<TestFile>,
    visited: &mut HashSet<PathBuf>,
) -> Result<(), String> {
    if !visited.insert(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())) {
        return Ok(());
    }
    let read_failed = |e: std::io::Error| format!("{}: {}", dir.display(), io_reason(&e));
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(read_failed)?
        .map(|entry| {
            let entry = entry.map_err(read_failed)?;
            Ok((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            ))
        })
        .collect::<Result<_, String>>()?;
    entries.sort();
    for (name, path) in entries {
        // metadata() follows symlinks: a linked directory of tests counts.
        // A dangling link is neither a directory nor a test: skip it.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if !is_skipped_dir(&name) {
                walk(&path, base, cwd, found, visited)?;
            }
        } else if is_test_name(&name) {
            found.push(test_file(path, base.to_path_buf(), cwd));
        }
    }
    Ok(())
}

fn test_file(path: PathBuf, base: PathBuf, cwd: &Path) -> TestFile {
    TestFile {
        display: display_path(&path, cwd),
        path,
        base,
    }
}

/// `path` as reports show it: relative paths as given (without `./`),
/// absolute ones relative to `cwd` when under it; `/` between components.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let parts: Vec<String> = shown
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    match parts.as_slice() {
        [] => ".".to_owned(),
        [root] if root.is_empty() => "/".to_owned(),
        _ => parts.join("/"),
    }
}

/// "No such file or directory" rather than "... (os error 2)": the message
/// names the path, the errno adds nothing a user can act on.
pub fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        dir
    }

    fn names(found: &[TestFile]) -> Vec<&str> {
        found.iter().map(|f| f.display.as_str()).collect()
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_walked_once() {
        let dir = tree(&["t/a.any.js", "t/sub/b.any.js"]);
        let t = dir.path().join("t");
        std::os::unix::fs::symlink(".", t.join("loop1")).unwrap();
        std::os::unix::fs::symlink("..", t.join("sub/up")).unwrap();
        let found = discover(&[t], dir.path(), None).unwrap();
        assert_eq!(names(&found), ["t/a.any.js", "t/sub/b.any.js"]);
    }

    #[test]
    fn walks_sorted_and_skips_helper_and_dot_dirs() {
        let dir = tree(&[
            "t/b.any.js",
            "t/a.worker.js",
            "t/a.window.js",
            "t/helper.js",
            "t/sub/c.any.js",
            "t/resources/r.any.js",
            "t/support/s.any.js",
            "t/tools/x.any.js",
            "t/.git/g.any.js",
            "t/sub/deeper/d.any.js",
        ]);
        // discover() reads relative paths against the process's own
        // directory, so the test passes absolute ones.
        let found = discover(&[dir.path().join("t")], dir.path(), None).unwrap();
        assert_eq!(
            names(&found),
            [
                "t/a.worker.js",
                "t/b.any.js",
                "t/sub/c.any.js",
                "t/sub/deeper/d.any.js"
            ]
        );
        assert!(found.iter().all(|f| f.base == dir.path().join("t")));
    }

    #[test]
    fn explicit_files_are_tests_and_duplicates_are_dropped() {
        let dir = tree(&["t/a.any.js", "t/helper.js"]);
        let t = dir.path().join("t");
        let found = discover(
            &[t.join("helper.js"), t.clone(), t.join("a.any.js")],
            dir.path(),
            None,
        )
        .unwrap();
        assert_eq!(names(&found), ["t/helper.js", "t/a.any.js"]);
        assert_eq!(found[0].base, t);
    }

    #[test]
    fn filter_matches_the_display_path() {
        let dir = tree(&["t/ws/a.any.js", "t/ws/b.any.js", "t/other/a.any.js"]);
        let found = discover(&[dir.path().join("t")], dir.path(), Some("ws/a")).unwrap();
        assert_eq!(names(&found), ["t/ws/a.any.js"]);
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let dir = tree(&[]);
        let missing = dir.path().join("nope");
        let err = discover(std::slice::from_ref(&missing), dir.path(), None).unwrap_err();
        assert_eq!(
            err,
            format!("{}: No such file or directory", missing.display())
        );
    }

    #[test]
    fn display_paths() {
        let cwd = Path::new("/work/x");
        assert_eq!(display_path(Path::new("./a/b.any.js"), cwd), "a/b.any.js");
        assert_eq!(
            display_path(Path::new("/work/x/a/b.any.js"), cwd),
            "a/b.any.js"
        );
        assert_eq!(
            display_path(Path::new("/other/b.any.js"), cwd),
            "/other/b.any.js"
        );
    }
}
