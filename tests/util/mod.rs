//! Helpers for integration tests that run the real `isnad` binary on real files.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder with a database path, and a way to run `isnad` against it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Path of the binary under test.
pub fn isnad_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_isnad"))
}

/// The repository's seed folder.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A test fixture path.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("test.db");
        Sandbox { dir, db }
    }

    /// A path inside the sandbox.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the sandbox and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Runs `isnad --db <sandbox db> ARGS`.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.run_with_db(&self.db, args)
    }

    /// Runs `isnad --db DB ARGS`.
    pub fn run_with_db<I, S>(&self, db: &Path, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let output = Command::new(isnad_bin())
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("ISNAD_DB")
            .current_dir(self.dir.path())
            .output()
            .expect("run isnad");
        Run::from(output)
    }

    /// Runs the binary with stdin.
    pub fn run_stdin<I, S>(&self, args: I, stdin: &str) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        use std::io::Write;
        let mut child = Command::new(isnad_bin())
            .args(args)
            .env_remove("ISNAD_DB")
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn isnad");
        // The program may exit before reading everything (e.g. on a usage error).
        let written = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes());
        if let Err(e) = written {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
        Run::from(child.wait_with_output().expect("wait"))
    }

    /// Everything in the database that a user can see, as exported JSONL (documents then
    /// sentences), to compare "before" and "after".
    pub fn content_snapshot(&self) -> String {
        if !self.db.exists() {
            return String::new();
        }
        let docs = self
            .run(["export", "--what", "documents"])
            .expect_code(0)
            .stdout;
        let sentences = self
            .run(["export", "--what", "sentences"])
            .expect_code(0)
            .stdout;
        // imported_at differs between runs of the same content; drop it.
        let docs: Vec<String> = docs
            .lines()
            .map(|line| {
                let mut value: serde_json::Value = serde_json::from_str(line).expect("json");
                value.as_object_mut().expect("object").remove("imported_at");
                value.to_string()
            })
            .collect();
        format!("{}\n{}", docs.join("\n"), sentences)
    }
}

/// Parses JSON Lines.
pub fn jsonl(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// `text[start:end]` in code points, like Python.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}
