//! The REPL at a terminal: rustyline's line editing, history kept in the user's data directory,
//! TAB completion (commands, built-in names, the session's names, file paths after `:load` and
//! `:data`), Ctrl-C to clear the line, Ctrl-D to leave.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use super::session::{Flow, Session};
use super::{COMMANDS, CONTINUATION, PROMPT, evaluate, history_path, is_open};
use crate::cli::Failure;

/// What TAB completes from.
struct Completion {
    files: FilenameCompleter,
    /// The session's names (variables, functions, outputs of the last fit), refreshed after
    /// every chunk.
    session: Vec<String>,
}

/// Every name TAB offers for a word: built-in functions and distributions (with their
/// suffixes), then Stan's keywords.
fn builtin_names() -> Vec<String> {
    let mut names: Vec<String> = crate::catalog::all_names().iter().map(ToString::to_string).collect();
    for d in crate::catalog::distributions() {
        for suffix in ["_lpdf", "_lpmf", "_lupdf", "_lupmf", "_lcdf", "_lccdf", "_cdf", "_rng"] {
            let name = format!("{}{suffix}", d.name);
            if crate::catalog::is_builtin(&name) {
                names.push(name);
            }
        }
    }
    names.extend(grammar::TYPE_KEYWORDS.map(String::from));
    let words = "array tuple for in while if else return print reject target functions data parameters model \
                 transformed generated quantities lower upper offset multiplier";
    names.extend(words.split_whitespace().map(String::from));
    names.sort();
    names.dedup();
    names
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let trimmed = before.trim_start();
        if trimmed.starts_with(":load ") || trimmed.starts_with(":data ") || trimmed.starts_with(":save ") {
            return self.files.complete(line, pos, ctx);
        }
        let start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).map_or(0, |i| i + 1);
        let word = &before[start..];
        let pair = |s: &str| Pair { display: s.to_string(), replacement: s.to_string() };
        if word.starts_with(':') {
            let found = COMMANDS.iter().map(|(c, _, _)| *c).filter(|c| c.starts_with(word)).map(pair).collect();
            return Ok((start, found));
        }
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let found = self
            .session
            .iter()
            .cloned()
            .chain(builtin_names())
            .filter(|n| n.starts_with(word))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|n| pair(&n))
            .collect();
        Ok((start, found))
    }
}

impl Hinter for Completion {
    type Hint = String;
}
impl Highlighter for Completion {}
impl Validator for Completion {}
impl Helper for Completion {}

/// Whether a fit is running: Ctrl-C stops it.
pub static FITTING: AtomicBool = AtomicBool::new(false);
/// Whether Ctrl-C was pressed while the current line runs.
static PRESSED: AtomicBool = AtomicBool::new(false);

fn save_history(editor: &mut Editor<Completion, DefaultHistory>, path: Option<&Path>) {
    if let Some(path) = path
        && let Err(e) = editor.save_history(path)
    {
        super::error(&format!("cannot save the history to `{}`: {e}", path.display()));
    }
}

pub fn run(session: &mut Session) -> Result<(), Failure> {
    let config = rustyline::Config::builder()
        .auto_add_history(false)
        .completion_type(rustyline::CompletionType::List)
        .max_history_size(10_000)
        .map_err(|e| e.to_string())?
        .build();
    let mut editor: Editor<Completion, DefaultHistory> =
        Editor::with_config(config).map_err(|e| format!("cannot start the terminal's line editor: {e}"))?;
    editor.set_helper(Some(Completion { files: FilenameCompleter::new(), session: Vec::new() }));
    // At the prompt rustyline reads Ctrl-C as a key; while a line runs, the terminal turns it
    // into SIGINT, which stops a fit at its next step (checked by the fit's loops) instead of
    // ending the session. A line's own compiled code checks nothing (a `while (1)` runs on):
    // a second Ctrl-C while it runs leaves vppl.
    let _ = ctrlc::set_handler(|| {
        if FITTING.load(Ordering::Relaxed) {
            runtime::progress::interrupt();
        } else if PRESSED.swap(true, Ordering::Relaxed) {
            eprintln!("\nvppl: interrupted twice; leaving");
            std::process::exit(130);
        } else {
            eprintln!("\nvppl: a line cannot be stopped while it runs; Ctrl-C again leaves vppl");
        }
    });
    let history = history_path();
    if let Some(path) = &history {
        // No history yet is the first session, not an error.
        let _ = editor.load_history(path);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    outln!("vppl {}: Stan at a prompt. :help lists the commands; Ctrl-D leaves.", env!("CARGO_PKG_VERSION"));
    let mut chunk = String::new();
    loop {
        let prompt = if chunk.is_empty() { PROMPT } else { CONTINUATION };
        match editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                chunk.push_str(&line);
                chunk.push('\n');
                if is_open(&chunk) {
                    continue;
                }
                let text = std::mem::take(&mut chunk);
                let flow = evaluate(session, &text);
                PRESSED.store(false, Ordering::Relaxed);
                if let Some(helper) = editor.helper_mut() {
                    helper.session = session.names();
                }
                // Saved after every chunk: leaving by a second Ctrl-C keeps it too.
                save_history(&mut editor, history.as_deref());
                if flow == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C drops what was typed and keeps the session.
            Err(ReadlineError::Interrupted) => chunk.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                super::error(&format!("reading the terminal: {e}"));
                break;
            }
        }
    }
    save_history(&mut editor, history.as_deref());
    Ok(())
}
