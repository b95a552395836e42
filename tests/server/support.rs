//! A scratch team project on the test server, its members, and ways to reach it: the
//! `isnad` binary and `psql`, as any member.

#![allow(dead_code, reason = "each test uses a different subset")]

use std::path::PathBuf;
use std::process::Command;

use isnad::store::postgres::scratch::ScratchDatabase;

use crate::util::{Run, isnad_bin};

/// A project on the test server with members; dropped with its database.
pub struct Team {
    pub db: ScratchDatabase,
    pub dir: tempfile::TempDir,
}

impl Team {
    /// A new project, set up by `isnad server init` run as the superuser.
    pub fn new() -> Team {
        let db = ScratchDatabase::empty();
        let dir = tempfile::tempdir().unwrap();
        let team = Team { db, dir };
        team.isnad_admin(&["server", "init"]).expect_code(0);
        team
    }

    /// The superuser's URL of the project.
    pub fn admin_url(&self) -> String {
        match &self.db.location {
            isnad::store::Location::Postgres(url) => url.clone(),
            isnad::store::Location::Sqlite(_) => unreachable!(),
        }
    }

    /// A member's URL (password included).
    pub fn url(&self, name: &str) -> String {
        self.db.url_for(name, &password_of(name))
    }

    /// Adds a member with `isnad server add-user` (their password: [`password_of`]).
    pub fn add(&self, name: &str, role: &str) {
        let file = self.dir.path().join(format!("{name}.pw"));
        std::fs::write(&file, format!("{}\n", password_of(name))).unwrap();
        self.isnad_admin(&[
            "server",
            "add-user",
            name,
            "--role",
            role,
            "--password-file",
            file.to_str().unwrap(),
        ])
        .expect_code(0);
    }

    /// `isnad --db ADMIN_URL ARGS`.
    pub fn isnad_admin(&self, args: &[&str]) -> Run {
        isnad_at(&self.admin_url(), args)
    }

    /// `isnad --db MEMBER_URL ARGS`.
    pub fn isnad_as(&self, member: &str, args: &[&str]) -> Run {
        isnad_at(&self.url(member), args)
    }

    /// `psql` as a member (or the superuser, with `None`): one statement, tuples only,
    /// stopping at the first error.
    pub fn psql(&self, member: Option<&str>, sql: &str) -> Run {
        let url = member.map_or_else(|| self.admin_url(), |m| self.url(m));
        let output = Command::new(psql_bin())
            .args([
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &url,
                "-c",
                sql,
            ])
            .env_remove("PGPASSWORD")
            .output()
            .unwrap_or_else(|e| panic!("cannot run psql ({e}): install postgresql-client"));
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The trimmed output of a query the superuser runs (which must succeed).
    pub fn admin_value(&self, sql: &str) -> String {
        self.psql(None, sql).expect_code(0).stdout.trim().to_owned()
    }

    /// A fingerprint of every table's rows, to show that a refused statement changed
    /// nothing.
    pub fn fingerprint(&self) -> String {
        self.admin_value(
            "SELECT string_agg(t || ':' || h, ' ' ORDER BY t) FROM (
               SELECT 'documents' t, md5(coalesce(string_agg(d::text, '|' ORDER BY id), '')) h FROM documents d
               UNION ALL SELECT 'sentences', md5(coalesce(string_agg(s::text, '|' ORDER BY doc_id, idx), '')) FROM sentences s
               UNION ALL SELECT 'claims', md5(coalesce(string_agg(c::text, '|' ORDER BY id), '')) FROM claims c
               UNION ALL SELECT 'marks', md5(coalesce(string_agg(m::text, '|' ORDER BY doc_id, sentence_idx, annotator), '')) FROM sentence_marks m
               UNION ALL SELECT 'gold', md5(coalesce(string_agg(g::text, '|' ORDER BY id), '')) FROM gold_claims g
               UNION ALL SELECT 'meta', md5(coalesce(string_agg(p::text, '|' ORDER BY key), '')) FROM project_meta p
               UNION ALL SELECT 'users', md5(coalesce(string_agg(u::text, '|' ORDER BY name), '')) FROM project_users u
               UNION ALL SELECT 'assignments', md5(coalesce(string_agg(a::text, '|' ORDER BY doc_id, annotator), '')) FROM assignments a
               UNION ALL SELECT 'log', md5(coalesce(string_agg(l::text, '|' ORDER BY seq), '')) FROM action_log l
               UNION ALL SELECT 'entities', md5(coalesce(string_agg(e::text, '|' ORDER BY id), '')) FROM entities e
             ) x",
        )
    }
}

/// Each member's password in these tests.
pub fn password_of(name: &str) -> String {
    format!("pw-{name}-Zq7")
}

/// `isnad --db URL ARGS`, with no password in the environment.
pub fn isnad_at(url: &str, args: &[&str]) -> Run {
    let output = Command::new(isnad_bin())
        .arg("--db")
        .arg(url)
        .args(args)
        .env_remove("PGPASSWORD")
        .env_remove("ISNAD_DB")
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `psql`, which the tests need (postgresql-client).
pub fn psql_bin() -> PathBuf {
    PathBuf::from("psql")
}
