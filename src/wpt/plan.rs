//! From a test file to its runs: read its META lines, load its helper
//! scripts, fill `.sub.` templates, decide its URL and timeout, and skip
//! what hearth cannot serve. One run per variant.
//!
//! Where `script=/abs/path.js` resolves: against the test root, the nearest
//! directory above the test file in which that path exists (a WPT checkout's
//! root for `/common/...`, `/websockets/...`). A relative `script=` resolves
//! against the test file's own directory. The test's URL path is relative to
//! the same root: the root found for the file's first absolute script, else
//! the nearest directory above it holding `resources/testharness.js` (a WPT
//! checkout), else the directory argument the file was found under.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::discover::{TestFile, display_path, io_reason};
use super::meta::{self, Meta, MetaValue};
use super::substitute::{self, Context};
use crate::compat::ResolvedFlags;
use crate::runtime::{ClassicScript, ScriptRunOptions};

/// The host tests see (`{{host}}`, `location.hostname`).
pub const HOST: &str = "127.0.0.1";

/// Helpers hearth provides itself: a `script=` naming one is not loaded.
const BUILT_IN: &[&str] = &[
    "/resources/testharness.js",
    "/resources/testharnessreport.js",
];

#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub flags: ResolvedFlags,
    /// The test server's port (`{{ports[ws][0]}}`, `location`).
    pub port: u16,
    /// A port nothing listens on (`{{ports[wss][0]}}`).
    pub closed_port: u16,
    pub timeout: Duration,
    /// For `// META: timeout=long`.
    pub long_timeout: Duration,
    pub heap_limit: usize,
    /// Script names in stacks are relative to it.
    pub cwd: PathBuf,
}

/// WPT's long timeout is 6 × the default (60 s against 10 s).
pub const LONG_FACTOR: u32 = 6;

impl PlanOptions {
    /// `// META: timeout=long` gets [`LONG_FACTOR`] × `timeout`.
    pub fn new(
        flags: ResolvedFlags,
        port: u16,
        timeout: Duration,
        heap_limit: usize,
        cwd: PathBuf,
    ) -> PlanOptions {
        PlanOptions {
            flags,
            port,
            closed_port: closed_port(),
            timeout,
            long_timeout: timeout * LONG_FACTOR,
            heap_limit,
            cwd,
        }
    }
}

/// A port nothing listens on, for `{{ports[wss][0]}}`: one the system just
/// handed out and took back. A test that connects there is refused at once.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(1)
}

/// One file × variant, ready to run (or not).
#[derive(Debug, Clone)]
pub struct Run {
    pub file: TestFile,
    /// `?query`, `#fragment` or empty.
    pub variant: String,
    pub title: Option<String>,
    pub work: Work,
}

#[derive(Debug, Clone)]
pub enum Work {
    Scripts(Box<ScriptRunOptions>),
    /// Not run, and why (a variant or global hearth cannot serve).
    Skip(String),
    /// Could not be set up (unreadable file, missing helper): an ERROR
    /// result without running anything.
    Error(String),
}

impl Run {
    /// The name reports use: the file's display path and its variant.
    pub fn name(&self) -> String {
        format!("{}{}", self.file.display, self.variant)
    }
}

/// A helper or the test itself, read from disk.
struct Source {
    path: PathBuf,
    text: String,
}

/// The runs of one file, and warnings (already prefixed `file:line:`).
pub fn plan_file(file: &TestFile, opts: &PlanOptions) -> (Vec<Run>, Vec<String>) {
    let run = |variant: &str, title: &Option<String>, work: Work| Run {
        file: file.clone(),
        variant: variant.to_owned(),
        title: title.clone(),
        work,
    };
    let text = match std::fs::read_to_string(&file.path) {
        Ok(text) => text,
        Err(e) => {
            let message = format!("{}: cannot read: {}", file.display, io_reason(&e));
            return (vec![run("", &None, Work::Error(message))], vec![]);
        }
    };
    let meta = meta::parse(&text);
    let mut warnings: Vec<String> = meta
        .warnings
        .iter()
        .map(|w| format!("{}:{}: {}", file.display, w.line, w.message))
        .collect();
    let variants = meta.runs();
    if let Some(reason) = meta::global_skip_reason(&meta.globals) {
        let runs = variants
            .iter()
            .map(|v| run(v, &meta.title, Work::Skip(reason.clone())))
            .collect();
        return (runs, warnings);
    }
    let loaded = load_scripts(file, &meta, opts);
    let mut unknown = BTreeSet::new();
    let runs = variants
        .iter()
        .map(|variant| {
            let work = if let Some(reason) = meta::variant_skip_reason(variant) {
                Work::Skip(reason)
            } else {
                match &loaded {
                    Err(message) => Work::Error(message.clone()),
                    Ok((root, helpers)) => {
                        let test = Source {
                            path: file.path.clone(),
                            text: text.clone(),
                        };
                        let scripts = helpers.iter().chain(std::iter::once(&test));
                        let options =
                            script_options(file, root, scripts, variant, &meta, opts, &mut unknown);
                        Work::Scripts(Box::new(options))
                    }
                }
            };
            run(variant, &meta.title, work)
        })
        .collect();
    warnings.extend(unknown);
    (runs, warnings)
}

/// The test root and the helpers in order, or an ERROR message naming the
/// test file, the META line and the path.
fn load_scripts(
    file: &TestFile,
    meta: &Meta,
    opts: &PlanOptions,
) -> Result<(PathBuf, Vec<Source>), String> {
    let dir = canonical_dir(&file.path);
    let mut root = None;
    let mut helpers = Vec::new();
    for MetaValue { line, value } in &meta.scripts {
        // A `?pipe=...` query only changes how wptserve serves the file.
        let target = value.split(['?', '#']).next().unwrap_or_default();
        if BUILT_IN.contains(&target) {
            continue;
        }
        let failed = |why: String| format!("{}:{line}: script={value}: {why}", file.display);
        let path = match target.strip_prefix('/') {
            Some(relative) => {
                let found = dir.ancestors().find(|a| a.join(relative).is_file());
                let found = found.ok_or_else(|| {
                    failed(format!(
                        "not found in {} or any directory above it",
                        display_path(&dir, &opts.cwd)
                    ))
                })?;
                root.get_or_insert_with(|| found.to_path_buf());
                found.join(relative)
            }
            None => dir.join(target),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            failed(format!(
                "{}: {}",
                display_path(&path, &opts.cwd),
                io_reason(&e)
            ))
        })?;
        helpers.push(Source { path, text });
    }
    let root = root.unwrap_or_else(|| default_root(&dir, &file.base));
    Ok((root, helpers))
}

/// The root when no absolute `script=` decided it (see the module comment).
fn default_root(dir: &Path, base: &Path) -> PathBuf {
    dir.ancestors()
        .find(|a| a.join("resources/testharness.js").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf()))
}

fn canonical_dir(file: &Path) -> PathBuf {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The test's URL path: `/` and its path below the root.
pub fn url_path(file: &Path, root: &Path) -> String {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let below = file
        .strip_prefix(root)
        .unwrap_or(Path::new(file.file_name().unwrap_or_default()));
    let parts: Vec<String> = below
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("/{}", parts.join("/"))
}

fn is_sub(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(".sub."))
}

fn script_options<'a>(
    file: &TestFile,
    root: &Path,
    sources: impl Iterator<Item = &'a Source>,
    variant: &str,
    meta: &Meta,
    opts: &PlanOptions,
    unknown: &mut BTreeSet<String>,
) -> ScriptRunOptions {
    let path = url_path(&file.path, root);
    let ctx = Context {
        host: HOST,
        port: opts.port,
        closed_port: opts.closed_port,
        path: &path,
        variant,
    };
    let scripts = sources
        .map(|source| {
            let name = display_path(&source.path, &opts.cwd);
            let text = if is_sub(&source.path) {
                let (text, missed) = substitute::substitute(&source.text, &ctx);
                unknown.extend(missed.into_iter().map(|u| {
                    format!(
                        "{name}:{}: unknown substitution {} left as is",
                        u.line, u.template
                    )
                }));
                text
            } else {
                source.text.clone()
            };
            ClassicScript { name, source: text }
        })
        .collect();
    ScriptRunOptions {
        scripts,
        flags: opts.flags.clone(),
        location: format!("http://{HOST}:{}{path}{variant}", opts.port),
        timeout: if meta.long_timeout {
            opts.long_timeout
        } else {
            opts.timeout
        },
        heap_limit: opts.heap_limit,
        trace: false,
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
