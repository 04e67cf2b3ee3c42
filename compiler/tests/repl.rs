//! The REPL as people use it: scripted sessions (`vppl repl --echo < FILE`, each session file
//! in `tests/repl/` a snapshot of its transcript) and a session in a real pseudo-terminal
//! (prompt, an expression, a broken block then a good line, TAB completion, Ctrl-C, Ctrl-D).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn sessions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("repl")
}

/// What `vppl repl ARGS` does with `input` on its standard input, run in `dir`.
fn scripted(args: &[&str], dir: &Path, input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vppl"))
        .arg("repl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vppl runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("session written");
    child.wait_with_output().expect("vppl ends")
}

/// The transcript of one session file, run in its folder; `$TMP` in it is a fresh folder,
/// written back as `$TMP`; timings are replaced by `<time>`.
fn transcript(name: &str) -> String {
    let dir = sessions_dir();
    let tmp = std::env::temp_dir().join(format!("vppl-repl-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temporary folder");
    let text = std::fs::read_to_string(dir.join(format!("{name}.repl"))).expect("session file");
    let text = text.replace("$TMP", &tmp.display().to_string());
    let out = scripted(&["--echo"], &dir, &text);
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{name} wrote to stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).replace(&tmp.display().to_string(), "$TMP");
    stdout
        .lines()
        .map(|line| {
            if line.starts_with("Compiled the session's model in ") {
                "Compiled the session's model in <time>".to_string()
            } else if line.starts_with("Gradient evaluation took ") {
                "Gradient evaluation took <time>".to_string()
            } else if line.contains(" gradient and ") && line.ends_with(" seconds.") {
                line.rsplit_once(", ").map_or(line.to_string(), |(counts, _)| format!("{counts}, <time>"))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! sessions {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(concat!("repl_", stringify!($name)), transcript(stringify!($name)));
            }
        )*

        /// Every session file has its test above.
        #[test]
        fn every_session_is_tested() {
            let listed = [$(stringify!($name)),*];
            for entry in std::fs::read_dir(sessions_dir()).expect("sessions folder") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "repl") {
                    let stem = path.file_stem().expect("name").to_string_lossy().into_owned();
                    assert!(listed.contains(&stem.as_str()), "{stem}.repl has no test in tests/repl.rs");
                }
            }
        }
    };
}

sessions!(expressions, variables, blocks, errors, fit, comments, empty, compound, parameters);

/// A `#` comment typed at the prompt gets the diagnostic `vppl check` gives for the same text in
/// a file, and its bracket does not keep the block open.
#[test]
fn hash_comment_is_diagnosed_as_check_does() {
    let block = "model {\n  target += 1; # a note (left open in prose\n}\n";
    let dir = std::env::temp_dir().join(format!("vppl-repl-hash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let file = dir.join("hash.stan");
    std::fs::write(&file, block).expect("model written");
    let check = Command::new(env!("CARGO_BIN_EXE_vppl")).arg("check").arg(&file).output().expect("vppl runs");
    let repl = scripted(&[], &dir, block);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(check.status.code(), Some(1));
    let check = String::from_utf8_lossy(&check.stderr).replace(&file.display().to_string(), "<repl>");
    assert!(check.contains("[E0003]"), "{check}");
    assert_eq!(String::from_utf8_lossy(&repl.stdout), check);
}

/// Types `keys` and waits until `then` shows. Each line waits for its prompt before the next
/// is typed: keys typed while no line is being read may be dropped.
fn type_and_wait(p: &mut rexpect::session::PtySession, keys: &str, then: &[&str]) {
    p.send(keys).unwrap_or_else(|e| panic!("typing {keys:?}: {e}"));
    p.flush().unwrap_or_else(|e| panic!("typing {keys:?}: {e}"));
    for text in then {
        p.exp_string(text).unwrap_or_else(|e| panic!("after {keys:?}, waiting for {text:?}: {e}"));
    }
}

/// A session in a pseudo-terminal: the prompt, an expression, a broken block then a good line,
/// TAB completion of a built-in and of a session variable, Ctrl-C clearing an open block and
/// stopping a fit, the history written to the data directory, and Ctrl-D leaving with status 0.
#[test]
fn terminal_session() {
    let data_home = std::env::temp_dir().join(format!("vppl-repl-home-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_home);
    std::fs::create_dir_all(&data_home).expect("temporary folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_vppl"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).env("XDG_DATA_HOME", &data_home).env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(20_000)).expect("vppl starts in a pseudo-terminal");
    let p = &mut p;
    p.exp_string("vppl> ").expect("a prompt");
    type_and_wait(p, "1 + 2\r", &["3", "vppl> "]);
    // A broken block: its diagnostic, then the session goes on.
    type_and_wait(p, "model {\r", &["... "]);
    type_and_wait(p, "  target += ;\r", &["... "]);
    type_and_wait(p, "}\r", &["E0002", "vppl> "]);
    type_and_wait(p, "real seventeen = 17;\r", &["vppl> "]);
    // TAB completes a session variable and a built-in function.
    type_and_wait(p, "sevent\t", &["seventeen"]);
    type_and_wait(p, " + inv_log\t", &["inv_logit"]);
    type_and_wait(p, "(0)\r", &["17.5", "vppl> "]);
    // Ctrl-C drops an open block; the next line stands alone.
    type_and_wait(p, "data {\r", &["... "]);
    type_and_wait(p, "\x03", &["vppl> "]);
    type_and_wait(p, "seventeen * 2\r", &["34", "vppl> "]);
    // Ctrl-C during a fit stops the fit, not the session (Stan's ADVI on this model takes
    // seconds).
    // TAB completes a command, and a file's path after :load.
    type_and_wait(p, ":lo\t", &[":load"]);
    let folder = Path::new("..").join("examples").join("diamonds-d");
    type_and_wait(p, &format!(" {}\t", folder.display()), &["diamonds-diamonds/"]);
    type_and_wait(p, "model.vppl\r", &["Loaded", "vppl> "]);
    let csv = data_home.join("fit.csv");
    // All 10000 iterations of four gradient draws: seconds, whatever the tolerance would say.
    type_and_wait(
        p,
        &format!(":fit --stan-compatible --tol-rel-obj 1e-9 --grad-samples 4 --output {}\r", csv.display()),
        &["EXPERIMENTAL ALGORITHM"],
    );
    type_and_wait(p, "\x03", &["the fit was interrupted", "vppl> "]);
    type_and_wait(p, "seventeen + 1\r", &["18", "vppl> "]);
    type_and_wait(p, "\x04", &[]);
    p.exp_eof().expect("vppl leaves");
    let status = p.process_mut().wait().expect("exit status");
    assert!(matches!(status, rexpect::process::wait::WaitStatus::Exited(_, 0)), "{status:?}");
    let history = std::fs::read_to_string(data_home.join("vppl").join("history")).expect("history written");
    assert!(history.contains("seventeen * 2"), "{history}");
    let _ = std::fs::remove_dir_all(&data_home);
}

/// A line's compiled code cannot be stopped; Ctrl-C says so, and a second Ctrl-C leaves vppl
/// (status 130) rather than leaving the terminal to a loop that never ends.
#[test]
fn two_ctrl_c_leave_a_line_that_never_ends() {
    let data_home = std::env::temp_dir().join(format!("vppl-repl-loop-{}", std::process::id()));
    let mut command = Command::new(env!("CARGO_BIN_EXE_vppl"));
    command.env("XDG_DATA_HOME", &data_home).env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(20_000)).expect("vppl starts in a pseudo-terminal");
    let p = &mut p;
    p.exp_string("vppl> ").expect("a prompt");
    type_and_wait(p, "while (1) { }\r", &["while (1) { }"]);
    // The line is read and runs once the terminal is given back; Ctrl-C before that would be
    // the editor's.
    std::thread::sleep(std::time::Duration::from_millis(500));
    type_and_wait(p, "\x03", &["Ctrl-C again leaves vppl"]);
    type_and_wait(p, "\x03", &["interrupted twice"]);
    p.exp_eof().expect("vppl leaves");
    let status = p.process_mut().wait().expect("exit status");
    assert!(matches!(status, rexpect::process::wait::WaitStatus::Exited(_, 130)), "{status:?}");
    let _ = std::fs::remove_dir_all(&data_home);
}
