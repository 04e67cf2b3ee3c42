//! `vppl repl`: write, evaluate, fit and inspect a model at a prompt.
//!
//! Input is read in chunks: lines until the braces, brackets and parentheses they open are
//! closed (counted in the lexer's tokens, so strings and comments are what they are to
//! the compiler). A chunk is a command (`:fit`), program blocks, a name
//! of the last fit's outputs, statements (ending in `;` or `}`) or an expression; `session.rs`
//! evaluates it. With standard input a terminal, `terminal.rs` reads it with line editing,
//! history and completion; otherwise lines are read as they come (scripted sessions).

mod session;
mod terminal;

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::ValueEnum as _;
use grammar::token::Tok;

use super::{Cli, Command, Failure};
use crate::driver;
use runtime::app;
use runtime::model::OutputName;
pub use session::Session;
pub use session::{Flow, error};

pub const PROMPT: &str = "vppl> ";
pub const CONTINUATION: &str = "  ... ";

#[derive(clap::Args, Default)]
pub struct ReplArgs {
    /// Print each chunk read after its prompt, so the output of a scripted session reads as a
    /// transcript.
    #[arg(long)]
    echo: bool,
}

/// The commands, with what `:help` says of each.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (":load", "FILE", "the model in FILE (and its data file beside it) becomes the session's"),
    (":data", "FILE", "data for the session's model (CmdStan JSON)"),
    (":fit", "[OPTIONS]", "fit the session's model (the options of `vppl run`)"),
    (":summary", "", "the last fit's summary"),
    (":elbo", "", "the last fit's ELBO, k̂ and log evidence"),
    (":draws", "NAME [N]", "the first N draws (10) of an output of the last fit"),
    (":type", "EXPR", "the Stan type of an expression"),
    (":model", "", "the session's model, formatted"),
    (":ir", "[STAGE]", "a stage of the compiled model: ast, ir (the default), ad, opt, clif, asm"),
    (":save", "FILE", "write the session's model to FILE"),
    (":vars", "", "the session's variables and their types"),
    (":reset", "", "forget the model, the data, the variables and the fit"),
    (":help", "", "this list"),
    (":quit", "", "leave (Ctrl-D too)"),
];

pub fn repl(a: ReplArgs) -> Result<(), Failure> {
    let mut session = Session::new();
    if std::io::stdin().is_terminal() {
        return terminal::run(&mut session);
    }
    let mut chunk = String::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if a.echo {
            outln!("{}{line}", if chunk.is_empty() { PROMPT } else { CONTINUATION });
        }
        chunk.push_str(&line);
        chunk.push('\n');
        if is_open(&chunk) {
            continue;
        }
        let text = std::mem::take(&mut chunk);
        if evaluate(&mut session, &text) == Flow::Quit {
            return Ok(());
        }
    }
    // A chunk left open at the end: evaluated, so its syntax error is said.
    if !chunk.trim().is_empty() {
        evaluate(&mut session, &chunk);
    }
    Ok(())
}

/// Whether a chunk leaves a brace, bracket or parenthesis (or a block comment) open; a command
/// is never continued. The brackets are counted in the lexer's tokens, so what is a comment or a
/// string here is what it is to the compiler: `//` and `/* */` comments, strings on one line,
/// and the removed `#` comment, which the lexer reads to the end of its line and reports
/// (E0003) once the chunk is evaluated, as `vppl check` does; a bracket in its prose does not
/// keep the chunk open.
pub fn is_open(text: &str) -> bool {
    if text.trim_start().starts_with(':') {
        return false;
    }
    let lexed = grammar::lexer::lex(text);
    let open_comment = lexed.diagnostics.iter().any(|d| text.get(d.span.range()).is_some_and(|t| t.starts_with("/*")));
    let depth: i64 = lexed
        .tokens
        .iter()
        .map(|(_, tok, _)| match tok {
            Tok::LParen | Tok::LBracket | Tok::LBrace => 1,
            Tok::RParen | Tok::RBracket | Tok::RBrace => -1,
            _ => 0,
        })
        .sum();
    open_comment || depth > 0
}

/// Evaluates one chunk; nothing it does may end the session but `:quit`: a panic is caught
/// and said.
pub fn evaluate(session: &mut Session, chunk: &str) -> Flow {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(session, chunk)));
    result.unwrap_or_else(|_| {
        error("internal error while evaluating this line (a bug in vppl; please report it); the session goes on");
        Flow::Go
    })
}

fn dispatch(session: &mut Session, chunk: &str) -> Flow {
    let text = chunk.trim();
    // Nothing but comments is nothing to do, but a removed `#` comment is said.
    let lexed = grammar::lexer::lex(chunk);
    if lexed.tokens.is_empty() {
        session::report_diagnostics(&lexed.diagnostics, chunk, None);
        return Flow::Go;
    }
    if let Some(command) = text.strip_prefix(':') {
        return self::command(session, command);
    }
    if session::is_block(text) {
        session.blocks(chunk);
    } else if let Some(names) = fitted(session, text) {
        print_summaries(session, &names);
    } else if is_statements(text) {
        session.statements(chunk);
    } else {
        session.expression(chunk);
    }
    Flow::Go
}

/// Whether a chunk is statements rather than an expression: it ends in `;`, or in `}` after a
/// `;` (a loop or a block, not an array `{1, 2}`), or it starts with a type or a statement's
/// keyword (`while (1) {}`, or a declaration that lacks its `;`, which its diagnostic then
/// says).
fn is_statements(text: &str) -> bool {
    let first = text.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
    text.ends_with(';')
        || (text.ends_with('}') && text.contains(';'))
        || ["array", "for", "while", "if", "print", "reject", "fatal_error", "target"].contains(&first)
        || grammar::TYPE_KEYWORDS.contains(&first)
}

/// The output columns of the last fit that a name alone means (`theta`, `theta[2]`), unless a
/// session variable has that name.
fn fitted(session: &Session, text: &str) -> Option<Vec<usize>> {
    let fit = session.fit.as_ref()?;
    let base = text.split('[').next().unwrap_or(text).trim();
    if session.vars.iter().any(|v| v.name == base) {
        return None;
    }
    let wanted = text.replace(' ', "");
    let columns: Vec<usize> = fit
        .names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.name == wanted || n.display() == wanted)
        .map(|(i, _)| i)
        .collect();
    (!columns.is_empty()).then_some(columns)
}

fn print_summaries(session: &Session, columns: &[usize]) {
    let Some(fit) = &session.fit else { return };
    let rows: Vec<runtime::summary::ParamSummary> = columns.iter().map(|&i| fit.summaries[i].clone()).collect();
    let mut text = Vec::new();
    let _ = runtime::summary::print_summary(&mut text, &rows, 3);
    out!("{}", String::from_utf8_lossy(&text));
}

fn command(session: &mut Session, command: &str) -> Flow {
    let (name, rest) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
    let rest = rest.trim();
    match name {
        "q" | "quit" | "exit" => return Flow::Quit,
        "h" | "help" | "?" => {
            outln!("Type Stan: an expression prints its value; `real x = 1;` keeps a variable; a block");
            outln!("(`data {{ … }}`, `parameters {{ … }}`, `model {{ … }}`, `functions {{ … }}`, …) adds to the");
            outln!("session's model. After :fit, an output's name prints its summary, and an expression of the");
            outln!("parameters its summary over the draws. Commands:");
            for (name, args, help) in COMMANDS {
                outln!("  {:<18}{help}", format!("{name} {args}"));
            }
        }
        "load" => match rest {
            "" => error(":load takes a model file"),
            file => session.load(Path::new(file)),
        },
        "data" => match rest {
            "" => error(":data takes a data file (CmdStan JSON)"),
            file => session.load_data(Path::new(file)),
        },
        "type" | "t" => match rest {
            "" => error(":type takes an expression"),
            _ => session.type_of(rest),
        },
        "model" => match session.model_text() {
            Some(text) => out!("{text}"),
            None => outln!("(no model yet)"),
        },
        "save" => save(session, rest),
        "ir" => ir(session, rest),
        "fit" => fit(session, rest),
        "summary" => match &session.fit {
            Some(fit) => print_summaries(session, &(0..fit.summaries.len()).collect::<Vec<_>>()),
            None => error("no fit yet: :fit first"),
        },
        "elbo" => match &session.fit {
            Some(fit) => {
                outln!(
                    "ELBO {}, k̂ {:.2}: {}",
                    runtime::output::format_g(fit.elbo, 6),
                    fit.khat,
                    runtime::psis::khat_verdict(fit.khat)
                );
                if let Some(evidence) = &fit.evidence {
                    outln!("{}", evidence.line());
                }
            }
            None => error("no fit yet: :fit first"),
        },
        "draws" => draws(session, rest),
        "vars" => {
            for v in &session.vars {
                outln!("{} {}", v.declaration(), v.name);
            }
        }
        "reset" => {
            *session = Session::new();
            outln!("Session reset.");
        }
        other => error(&format!("no command `:{other}`; :help lists them")),
    }
    Flow::Go
}

fn save(session: &Session, file: &str) {
    if file.is_empty() {
        return error(":save takes a file name");
    }
    match session.model_text() {
        None => error("the session has no model yet"),
        Some(text) => match std::fs::write(file, text) {
            Ok(()) => outln!("Wrote {file}"),
            Err(e) => error(&format!("cannot write `{file}`: {e}")),
        },
    }
}

fn ir(session: &Session, stage: &str) {
    let stage = if stage.is_empty() { "ir" } else { stage };
    let Ok(stage) = super::Stage::from_str(stage, true) else {
        return error(&format!("no stage `{stage}`: ast, ir, ad, opt, clif, asm or hessian"));
    };
    let Some((_, mut stages)) = session.model_stages() else { return };
    if let Err(Failure::Message(m)) = super::print_stage(&mut stages, stage) {
        error(&m);
    }
}

/// `:fit [options]`: the session's model fitted as `vppl run` fits a model file, printing what
/// it prints.
fn fit(session: &mut Session, options: &str) {
    let mut argv = vec!["vppl".to_string(), "run".to_string(), "<session>".to_string()];
    argv.extend(options.split_whitespace().map(str::to_string));
    let args = match <Cli as clap::Parser>::try_parse_from(argv) {
        Ok(Cli { command: Command::Run(a) }) => a,
        Ok(_) => return,
        // clap's usage line names `vppl run <MODEL>`; here the model is the session's.
        Err(e) => return out!("{}", e.to_string().replace("vppl run <MODEL>", ":fit")),
    };
    let result = (|| -> Result<app::Fitted, Failure> {
        let mut settings = super::fit_settings(&args, session.model_name())?;
        let start = Instant::now();
        let Some((source, mut stages)) = session.model_stages() else { return Err(Failure::Reported) };
        let native = driver::compile_native(&source, &mut stages)?;
        let compile_ms = start.elapsed().as_secs_f64() * 1e3;
        let (data, data_name) = match &args.model.data {
            Some(path) => (app::read_data_file(path)?, path.display().to_string()),
            None => session.data_file(),
        };
        settings.data_file = data_name.clone();
        settings.compile_ms = compile_ms;
        let model = app::with_data(native.entries, native.meta, &data, &data_name);
        let fitted = model.and_then(|model| {
            outln!("Compiled the session's model in {compile_ms:.1} ms ({})", super::timings_line(&stages));
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            // A Ctrl-C from before this fit does not stop it; one during it does.
            runtime::progress::clear_interrupt();
            terminal::FITTING.store(true, std::sync::atomic::Ordering::Relaxed);
            let fitted = app::fit(&model, &settings, &mut out);
            terminal::FITTING.store(false, std::sync::atomic::Ordering::Relaxed);
            fitted
        });
        // Safety: the model made from this code is dropped.
        unsafe { native.jit.free() };
        Ok(fitted?)
    })();
    match result {
        Ok(fitted) => session.fit = Some(fitted),
        Err(Failure::Message(m)) => error(&m),
        Err(Failure::Reported) => {}
    }
}

/// `:draws NAME [N]`: the first N draws of each column of an output.
fn draws(session: &Session, args: &str) {
    let Some(fit) = &session.fit else { return error("no fit yet: :fit first") };
    let mut words = args.split_whitespace();
    let Some(name) = words.next() else { return error(":draws takes an output's name (and how many draws)") };
    let n = match words.next().map(str::parse::<usize>) {
        None => 10,
        Some(Ok(n)) => n,
        Some(Err(_)) => return error(":draws NAME N: N is a number of draws"),
    };
    let columns: Vec<(usize, &OutputName)> =
        fit.names.iter().enumerate().filter(|(_, o)| o.name == name || o.display() == name).collect();
    if columns.is_empty() {
        return error(&format!("the last fit has no output `{name}`"));
    }
    let cells: Vec<Vec<String>> = fit
        .draws
        .iter()
        .take(n)
        .map(|row| columns.iter().map(|(i, _)| runtime::output::format_g(row[*i], 6)).collect())
        .collect();
    let heads: Vec<String> = columns.iter().map(|(_, o)| o.display()).collect();
    let widths: Vec<usize> = heads
        .iter()
        .enumerate()
        .map(|(j, h)| cells.iter().map(|r| r[j].len()).chain([h.len()]).max().unwrap_or(0))
        .collect();
    let line =
        |items: &[String]| items.iter().zip(&widths).map(|(s, w)| format!("{s:>w$}")).collect::<Vec<_>>().join("  ");
    outln!("{}", line(&heads));
    for row in &cells {
        outln!("{}", line(row));
    }
}

/// The user's data directory's history file: `$XDG_DATA_HOME/vppl/history`, else
/// `~/.local/share/vppl/history`.
pub fn history_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".local").join("share"),
    };
    Some(base.join("vppl").join("history"))
}
