//! A REPL session: its model's blocks, its variables and its last fit, and how one chunk of
//! input is evaluated.
//!
//! Every line is compiled as a small program by the whole compiler, never interpreted. An
//! expression `e` becomes `generated quantities { print(e); }`; statements go into the
//! generated quantities block as they are. Session variables reach that block as data under
//! hidden names (`x__s`), copied into locals of their own names first, so a statement can
//! read, assign or index them; one `write_array` runs the block, and every session variable
//! is read back from its outputs at full precision. The session's functions, and its data and
//! transformed data blocks once data are loaded, come with every line; a line that uses the
//! model's parameters comes with its parameters blocks too, and after a fit an expression of
//! them is evaluated at every draw.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use grammar::ast::{BlockKind, DeclType, StmtKind, TypeKind};
use grammar::{Diagnostic, Span};
use rand::SeedableRng as _;
use runtime::Model;
use runtime::app::Fitted;
use runtime::compiled::CompiledModel;
use runtime::data::DataFile;
use runtime::model::OutputName;
use serde_json::{Map, Value};

use crate::cli::report;
use crate::driver::{self, Source, Stages};

/// Each output of a line's program by name: its sizes and its values in output order.
type Outputs = BTreeMap<String, (Vec<usize>, Vec<f64>)>;

/// The hidden data name a session variable is passed under.
fn hidden(name: &str) -> String {
    format!("{name}__s")
}

/// A session variable: its name, its type with the sizes its declaration gave, and its value as
/// CmdStan JSON.
#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    shape: Shape,
    value: Value,
}

/// The type of a session variable with its sizes (constraints aside: a `simplex[3]` is kept as
/// a `vector[3]`). The sizes are kept beside the value because CmdStan JSON loses some: an
/// empty array cannot show the sizes of what it would hold (`matrix[0, 2]` is `[]`).
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// An `int`, `real`, `complex`, vector or matrix kind in `array_rank` levels of arrays;
    /// `dims` are the arrays' sizes, then its own.
    Value { kind: TypeKind, array_rank: usize, dims: Vec<usize> },
    /// Tuples in arrays of `array_dims`.
    Tuple { array_dims: Vec<usize>, components: Vec<Shape> },
}

/// Whether to go on reading after a chunk.
#[derive(PartialEq, Eq)]
pub enum Flow {
    Go,
    Quit,
}

/// Text assembled into a program, with where each piece of the user's chunk landed in it, so
/// a diagnostic is shown against the line typed.
#[derive(Default)]
pub(super) struct Assembly {
    text: String,
    /// The chunk the pieces come from.
    chunk_text: String,
    /// (start in `text`, start in the chunk, length).
    pieces: Vec<(usize, usize, usize)>,
}

impl Assembly {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push_user(&mut self, chunk: &str, range: Range<usize>) {
        if self.chunk_text.is_empty() {
            self.chunk_text = chunk.to_string();
        }
        self.pieces.push((self.text.len(), range.start, range.len()));
        self.text.push_str(&chunk[range]);
    }

    /// The chunk's range of a span of the program that starts in a piece of the chunk (cut
    /// at the piece's end), or, with `after`, only whitespace after one: what the program adds
    /// after a line goes on a line of its own, so that a trailing `//` comment cannot swallow
    /// it, and an error found there (a `)` where the line lacks an operand) is the line's.
    fn to_chunk(&self, span: Span, after: bool) -> Option<Span> {
        let (start, end) = (span.start as usize, span.end as usize);
        let (at, from, len) = self.pieces.iter().find(|(at, _, len)| {
            (*at..=at + len).contains(&start)
                || (after
                    && start > at + len
                    && self.text.get(at + len..start).is_some_and(|gap| gap.trim().is_empty()))
        })?;
        let start = start.min(at + len);
        Some(Span::new(start - at + from, end.clamp(start, at + len) - at + from))
    }

    /// A run-time error's message with its location `(at <session>:L:C)` in the program
    /// given in the chunk instead, when it lies there.
    fn locate(&self, message: &str) -> String {
        let tag = "(at <session>:";
        let Some(at) = message.rfind(tag) else { return message.to_string() };
        let place = &message[at + tag.len()..];
        let Some((line, rest)) = place.split_once(':') else { return message.to_string() };
        let column = rest.trim_end_matches(')');
        let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.parse::<usize>()) else {
            return message.to_string();
        };
        let Some(line_text) = self.text.split_inclusive('\n').nth(line.saturating_sub(1)) else {
            return message.to_string();
        };
        let line_start = self.text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
        let offset = line_start + line_text.char_indices().nth(column.saturating_sub(1)).map_or(0, |(i, _)| i);
        match self.to_chunk(Span::new(offset, offset), false) {
            Some(span) => {
                let chunk = &self.chunk_text;
                let (l, c) = grammar::span::line_col(chunk, span.start);
                format!("{}(at line {l}, column {c})", &message[..at])
            }
            None => message.to_string(),
        }
    }

    fn source(&self) -> Source {
        Source { name: "session".into(), path: "<session>".into(), text: self.text.clone() }
    }
}

/// The session.
#[derive(Default)]
pub struct Session {
    /// The function definitions, each with its name, in the order given.
    functions: Vec<(String, String)>,
    /// The body of every other block given.
    blocks: BTreeMap<BlockKind, String>,
    pub vars: Vec<Var>,
    /// The data file loaded and its variables.
    data: Option<(PathBuf, Map<String, Value>)>,
    /// The name of the model loaded (`:load`), for the fit's files.
    model_name: Option<String>,
    pub fit: Option<Fitted>,
    /// Lines evaluated so far: the seed of each line's `_rng` draws.
    lines: u64,
}

/// Whether a chunk starts with a block's keyword and its brace.
pub fn is_block(text: &str) -> bool {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == '{').filter(|w| !w.is_empty()).take(2).collect();
    let after_keyword = |n: usize| {
        // The text after the first n words must start with `{`.
        let mut rest = text;
        for _ in 0..n {
            rest = rest.trim_start();
            let end = rest.find(|c: char| c.is_whitespace() || c == '{').unwrap_or(rest.len());
            rest = &rest[end..];
        }
        rest.trim_start().starts_with('{')
    };
    match words.as_slice() {
        ["functions" | "data" | "parameters" | "model", ..] => after_keyword(1),
        ["transformed", "data" | "parameters"] | ["generated", "quantities"] => after_keyword(2),
        _ => false,
    }
}

/// Prints diagnostics: against the chunk when they lie in it, else against the program.
pub(super) fn report_diagnostics(diags: &[Diagnostic], chunk: &str, assembly: Option<&Assembly>) {
    let color = std::io::stdout().is_terminal();
    for d in diags {
        let mapped = match assembly {
            None => Some(d.clone()),
            Some(a) => a.to_chunk(d.span, true).map(|span| {
                let mut d = d.clone();
                d.span = span;
                d.secondary =
                    d.secondary.iter().filter_map(|(s, label)| Some((a.to_chunk(*s, false)?, label.clone()))).collect();
                d
            }),
        };
        match (mapped, assembly) {
            (Some(d), _) => out!("{}", report::render(&d, "<repl>", chunk, color)),
            (None, Some(a)) => out!("{}", report::render(d, "<session>", &a.text, color)),
            (None, None) => {}
        }
    }
}

/// Prints an error message.
pub fn error(message: &str) {
    outln!("error: {message}");
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// The session's program (its blocks), with `replace` given instead of the stored blocks
    /// of their kinds and `functions` added (pieces of `chunk`); and where those landed.
    fn assemble_model(
        &self,
        chunk: &str,
        replace: &[(BlockKind, Range<usize>)],
        functions: &[(String, Range<usize>)],
    ) -> Assembly {
        let mut a = Assembly::default();
        let kept: Vec<&(String, String)> =
            self.functions.iter().filter(|(name, _)| !functions.iter().any(|(n, _)| n == name)).collect();
        if !kept.is_empty() || !functions.is_empty() {
            a.push("functions {\n");
            for (_, text) in kept {
                a.push(text);
                a.push("\n");
            }
            for (_, range) in functions {
                a.push_user(chunk, range.clone());
                a.push("\n");
            }
            a.push("}\n");
        }
        let mut kinds: Vec<BlockKind> = self.blocks.keys().copied().collect();
        kinds.extend(replace.iter().map(|(k, _)| *k));
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            a.push(&format!("{} {{\n", kind.keyword()));
            match replace.iter().find(|(k, _)| *k == kind) {
                Some((_, range)) => a.push_user(chunk, range.clone()),
                None => a.push(&self.blocks[&kind]),
            }
            a.push("\n}\n");
        }
        a
    }

    /// The session's model as a program, formatted; `None` when it has no blocks.
    pub fn model_text(&self) -> Option<String> {
        if self.functions.is_empty() && self.blocks.is_empty() {
            return None;
        }
        let text = self.assemble_model("", &[], &[]).text;
        // Formatted as `vppl format` does; the blocks were checked when given.
        Some(grammar::parse(&text).map(|p| p.to_string()).unwrap_or(text))
    }

    /// The session's model compiled to IR, its diagnostics printed; `None` when it fails or
    /// there is no model.
    pub fn model_stages(&self) -> Option<(Source, Stages)> {
        let Some(text) = self.model_text() else {
            error("the session has no model yet: give its blocks (`parameters { … }`, `model { … }`) or :load one");
            return None;
        };
        let name = self.model_name.clone().unwrap_or_else(|| "session".into());
        let source = Source { name, path: "<session>".into(), text };
        match driver::compile_ir(&source) {
            Ok(stages) => Some((source, stages)),
            Err(diags) => {
                report_diagnostics(&diags, &source.text, None);
                None
            }
        }
    }

    /// The names TAB completes from the session: variables, functions, the model's variables
    /// and the last fit's outputs.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.iter().map(|v| v.name.clone()).collect();
        names.extend(self.functions.iter().map(|(n, _)| n.clone()));
        if let Some(fit) = &self.fit {
            names.extend(fit.names.iter().map(|n| n.name.clone()));
        }
        if let Some(Ok(program)) = self.model_text().map(|t| grammar::parse(&t)) {
            for block in program.blocks() {
                for stmt in &block.stmts {
                    if let StmtKind::Decl(d) = &stmt.kind {
                        names.push(d.name.name.clone());
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    pub fn model_name(&self) -> String {
        self.model_name.clone().unwrap_or_else(|| "session".into())
    }

    /// The data the session's model is fitted with: the file loaded, if any.
    pub fn data_file(&self) -> (DataFile, String) {
        match &self.data {
            Some((path, map)) => (data_file(map), path.display().to_string()),
            None => (DataFile::empty(), String::new()),
        }
    }

    /// One chunk of program blocks: each replaces the session's block of its kind (functions
    /// are added, replacing those of the same name), if the program they make is valid.
    pub fn blocks(&mut self, chunk: &str) {
        let program = match grammar::parse(chunk) {
            Ok(p) => p,
            Err(diags) => return report_diagnostics(&diags, chunk, None),
        };
        let mut replace = Vec::new();
        let mut functions = Vec::new();
        for block in program.blocks() {
            if block.kind == BlockKind::Functions {
                for stmt in &block.stmts {
                    if let StmtKind::FunDef(f) = &stmt.kind {
                        functions.push((f.name.name.clone(), stmt.span.range()));
                    }
                }
            } else {
                replace.push((block.kind, body(chunk, block.span.range())));
            }
        }
        let assembly = self.assemble_model(chunk, &replace, &functions);
        let diags = driver::check(&assembly.source());
        report_diagnostics(&diags, chunk, Some(&assembly));
        if diags.iter().any(Diagnostic::is_error) {
            return;
        }
        for (name, range) in functions {
            let text = chunk[range].to_string();
            match self.functions.iter_mut().find(|(n, _)| *n == name) {
                Some(f) => f.1 = text,
                None => self.functions.push((name, text)),
            }
        }
        for (kind, range) in replace {
            self.blocks.insert(kind, chunk[range].to_string());
        }
        // A fit of another model no longer describes this one.
        self.fit = None;
    }

    /// Replaces the session's model with the program in `path`, and loads the data file beside
    /// it as `vppl run` finds it.
    pub fn load(&mut self, path: &Path) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return error(&format!("cannot read model `{}`: {e}", path.display())),
        };
        let source = Source { name: "model".into(), path: path.display().to_string(), text };
        let diags = driver::check(&source);
        let file = path.display().to_string();
        let color = std::io::stdout().is_terminal();
        for d in &diags {
            out!("{}", report::render(d, &file, &source.text, color));
        }
        if diags.iter().any(Diagnostic::is_error) {
            return;
        }
        let Ok(program) = grammar::parse(&source.text) else { return };
        self.functions.clear();
        self.blocks.clear();
        self.fit = None;
        for block in program.blocks() {
            if block.kind == BlockKind::Functions {
                for stmt in &block.stmts {
                    if let StmtKind::FunDef(f) = &stmt.kind {
                        self.functions.push((f.name.name.clone(), source.text[stmt.span.range()].to_string()));
                    }
                }
            } else {
                self.blocks.insert(block.kind, source.text[body(&source.text, block.span.range())].to_string());
            }
        }
        self.model_name = Some(super::super::model_name(path));
        let args = super::super::ModelArgs { model: path.to_path_buf(), data: None };
        match super::super::data_path(&args) {
            Some(data) => {
                self.load_data(&data);
                outln!("Loaded {} with data {}", path.display(), data.display());
            }
            None => {
                self.data = None;
                outln!("Loaded {}", path.display());
            }
        }
    }

    /// Loads a data file (CmdStan JSON) for the session's model.
    pub fn load_data(&mut self, path: &Path) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return error(&format!("cannot read data file `{}`: {e}", path.display())),
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => self.data = Some((path.to_path_buf(), map)),
            Ok(_) => error(&format!("data file `{}` is not a JSON object", path.display())),
            Err(e) => error(&format!("in data file `{}`: {e}", path.display())),
        }
    }

    /// The program that evaluates `user` (statements of the generated quantities block) after
    /// the session's variables are copied into locals, with what `sees` says.
    fn assemble_line(&self, chunk: &str, user: Range<usize>, prefix: &str, suffix: &str, sees: Sees) -> Assembly {
        let Sees { shadowed, model, fixed } = sees;
        let mut a = Assembly::default();
        if !self.functions.is_empty() {
            a.push("functions {\n");
            for (_, text) in &self.functions {
                a.push(text);
                a.push("\n");
            }
            a.push("}\n");
        }
        let seen =
            [BlockKind::Data, BlockKind::TransformedData, BlockKind::Parameters, BlockKind::TransformedParameters];
        let hidden_by_model: Vec<String> = if model {
            self.model_names().into_iter().filter(|(k, _)| seen.contains(k)).flat_map(|(_, n)| n).collect()
        } else {
            vec![]
        };
        let vars: Vec<&Var> =
            self.vars.iter().filter(|v| !shadowed.contains(&v.name) && !hidden_by_model.contains(&v.name)).collect();
        // The model's data come along once they are loaded, so lines can use them.
        let with_data = model || self.data.is_some();
        a.push("data {\n");
        if with_data && let Some(body) = self.blocks.get(&BlockKind::Data) {
            a.push(body);
            a.push("\n");
        }
        for v in &vars {
            a.push(&format!("  {} {};\n", v.shape.declaration(true), hidden(&v.name)));
        }
        a.push("}\n");
        let mut kinds = vec![BlockKind::TransformedData];
        if model {
            kinds.extend([BlockKind::Parameters, BlockKind::TransformedParameters]);
        }
        let (fixed, copied): (Vec<&Var>, Vec<&Var>) = vars.into_iter().partition(|v| fixed.contains(&v.name));
        for kind in kinds {
            let body = if with_data { self.blocks.get(&kind) } else { None };
            if kind == BlockKind::TransformedData && !fixed.is_empty() {
                a.push("transformed data {\n");
                for v in &fixed {
                    a.push(&format!("  {}\n", v.copy()));
                }
                a.push(&format!("{}\n}}\n", body.map_or("", String::as_str)));
            } else if let Some(body) = body {
                a.push(&format!("{} {{\n{body}\n}}\n", kind.keyword()));
            }
        }
        a.push("generated quantities {\n");
        for v in &copied {
            a.push(&format!("  {}\n", v.copy()));
        }
        a.push(prefix);
        a.push_user(chunk, user);
        a.push(suffix);
        a.push("\n}\n");
        a
    }

    /// The data of a line's program: the file loaded and the session variables.
    fn line_data(&self) -> DataFile {
        let mut map = self.data.as_ref().map(|(_, m)| m.clone()).unwrap_or_default();
        for v in &self.vars {
            map.insert(hidden(&v.name), v.value.clone());
        }
        data_file(&map)
    }

    /// An expression: its value printed as Stan's `print` prints it. One of the model's
    /// parameters has values after a fit, one per draw: the expression is then evaluated at
    /// every draw and its summary over them printed, as a generated quantity's.
    pub fn expression(&mut self, chunk: &str) {
        let range = trimmed(chunk);
        let assembly = self.assemble_line(chunk, range.clone(), "  print(", "\n);", Sees::default());
        match self.run(chunk, &assembly) {
            Ok((text, _)) => out!("{text}"),
            Err(Failed::Said) => {}
            Err(Failed::Sizes(_)) => error("a size uses what is not data (a bug in vppl)"),
            Err(Failed::Model { parameters, .. }) if !parameters.is_empty() && self.fit.is_some() => {
                self.over_draws(chunk, range);
            }
            Err(Failed::Model { parameters, data }) => say_model_values(&parameters, &data, false),
        }
    }

    /// The Stan type of an expression (which may use the model's variables).
    pub fn type_of(&self, chunk: &str) {
        let range = trimmed(chunk);
        let mut with_model = false;
        loop {
            let assembly = self.assemble_line(
                chunk,
                range.clone(),
                "  print(",
                "\n);",
                Sees { model: with_model, ..Sees::default() },
            );
            let typed = match self.typecheck(chunk, &assembly, !with_model) {
                Ok(typed) => typed,
                Err(true) => {
                    with_model = true;
                    continue;
                }
                Err(false) => return,
            };
            match typed {
                Some(ty) => outln!("{ty}"),
                None => error("the type of this expression is not known"),
            }
            return;
        }
    }

    /// The Stan type of the expression a line's program prints: `Err(true)` when it fails
    /// only for the model's variables it uses and `model_retry` (nothing said), else
    /// `Err(false)` (said).
    fn typecheck(&self, chunk: &str, assembly: &Assembly, model_retry: bool) -> Result<Option<String>, bool> {
        let program = match grammar::parse(&assembly.text) {
            Ok(p) => p,
            Err(diags) => {
                report_diagnostics(&diags, chunk, Some(assembly));
                return Err(false);
            }
        };
        let (diags, typed) = crate::sema::typeck::check(&program);
        let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
        if model_retry && self.model_uses(&errors, assembly).is_some() {
            return Err(true);
        }
        if !errors.is_empty() {
            report_diagnostics(&errors, chunk, Some(assembly));
            return Err(false);
        }
        let args = program.generated_quantities.as_ref().and_then(|b| b.stmts.last()).and_then(|s| match &s.kind {
            StmtKind::Print(args) => Some(args),
            _ => None,
        });
        match args.map(Vec::as_slice) {
            Some([e]) => Ok(typed.stan_type(e.span).map(|t| t.to_string())),
            _ => {
                error(":type takes one expression");
                Err(false)
            }
        }
    }

    /// The names each block of the session's model declares, in order.
    fn model_names(&self) -> Vec<(BlockKind, Vec<String>)> {
        let Some(Ok(program)) = self.model_text().map(|t| grammar::parse(&t)) else { return vec![] };
        let declared = |stmts: &[grammar::ast::Stmt]| {
            stmts
                .iter()
                .filter_map(|s| match &s.kind {
                    StmtKind::Decl(d) => Some(d.name.name.clone()),
                    _ => None,
                })
                .collect()
        };
        program.blocks().map(|b| (b.kind, declared(&b.stmts))).collect()
    }

    /// Of the names a line's program does not know (`E1001`), the model's parameters and
    /// transformed parameters, and its data (not loaded yet); `None` when there are none.
    fn model_uses(&self, diags: &[Diagnostic], assembly: &Assembly) -> Option<(Vec<String>, Vec<String>)> {
        let names = self.model_names();
        let in_blocks = |kinds: &[BlockKind], name: &str| {
            names.iter().any(|(k, n)| kinds.contains(k) && n.iter().any(|n| n == name))
        };
        let (mut parameters, mut data) = (Vec::new(), Vec::new());
        for d in diags.iter().filter(|d| d.code == "E1001") {
            let Some(name) = assembly.text.get(d.span.range()) else { continue };
            let name = name.to_string();
            if in_blocks(&[BlockKind::Parameters, BlockKind::TransformedParameters], &name) {
                parameters.push(name);
            } else if in_blocks(&[BlockKind::Data, BlockKind::TransformedData], &name) {
                data.push(name);
            }
        }
        for list in [&mut parameters, &mut data] {
            list.sort();
            list.dedup();
        }
        (!parameters.is_empty() || !data.is_empty()).then_some((parameters, data))
    }

    /// The session's variables that sizes said not to be data (`E1047`) use.
    fn sizes_using_vars(&self, diags: &[Diagnostic], assembly: &Assembly) -> Vec<String> {
        let mut names: Vec<String> = diags
            .iter()
            .filter(|d| d.code == "E1047")
            .filter_map(|d| assembly.text.get(d.span.range()))
            .flat_map(|size| grammar::lexer::lex(size).tokens)
            .filter_map(|(_, tok, _)| match tok {
                grammar::token::Tok::Ident(name) => Some(name.to_string()),
                _ => None,
            })
            .filter(|name| self.vars.iter().any(|v| v.name == *name))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// An expression of the model's parameters at every draw of the last fit: the summary of
    /// each of its elements. A container's sizes are data (Stan's sizes cannot depend on
    /// parameters): they are found at the first draw, so that the value can be declared with
    /// them.
    fn over_draws(&mut self, chunk: &str, range: Range<usize>) {
        let typing = self.assemble_line(chunk, range.clone(), "  print(", "\n);", Sees::MODEL);
        let ty = match self.typecheck(chunk, &typing, false) {
            Ok(Some(ty)) => ty,
            Ok(None) => return error("the type of this expression is not known"),
            Err(_) => return,
        };
        let Some((array_rank, kind)) = real_type(&ty) else {
            return error(&format!(
                "this expression of the model's parameters is a `{ty}`: a summary over the draws is given for ints, \
                 reals, vectors, matrices and arrays of them"
            ));
        };
        let rank = array_rank + own_rank(&kind);
        let dims = if rank == 0 {
            vec![]
        } else {
            let prefix = format!("  array[{rank}] int {VALUE} = dims(");
            let assembly = self.assemble_line(chunk, range.clone(), &prefix, "\n);", Sees::MODEL);
            let Some((_, rows)) = self.at_draws(chunk, &assembly, Some(1)) else { return };
            rows.get(1).map(|r| r.iter().map(|&d| d as usize).collect()).unwrap_or_default()
        };
        let shape = Shape::Value { kind, array_rank, dims };
        let prefix = format!("  {} {VALUE} = ", shape.declaration(false));
        let assembly = self.assemble_line(chunk, range.clone(), &prefix, "\n;", Sees::MODEL);
        let Some((names, rows)) = self.at_draws(chunk, &assembly, None) else { return };
        // An element's name is the expression indexed: in parentheses when the index would
        // seem to belong to its last operand (`(theta - mu)[1]`).
        let text = &chunk[range];
        let operators = |c: char| c.is_whitespace() || "+-*/^'<>=!&|?:%\\.".contains(c);
        let text = if rank > 0 && text.contains(operators) { format!("({text})") } else { text.to_string() };
        let names: Vec<OutputName> = names.into_iter().map(|n| OutputName { name: text.clone(), ..n }).collect();
        let summaries = match self.fit.as_ref().and_then(|f| f.weights.as_ref()) {
            Some(w) => runtime::summary::summarize_weighted(&names, &rows, w),
            None => runtime::summary::summarize(&names, &rows),
        };
        let mut out = Vec::new();
        let _ = runtime::summary::print_summary(&mut out, &summaries, 3);
        out!("{}", String::from_utf8_lossy(&out));
    }

    /// The line's value (`VALUE`) at each of the first `n` (or all) draws of the last fit: its
    /// columns' names, and a row of its columns per draw after an empty row (the summaries'
    /// mean row, left out). What the model's blocks print at every draw is left out.
    fn at_draws(
        &mut self,
        chunk: &str,
        assembly: &Assembly,
        n: Option<usize>,
    ) -> Option<(Vec<OutputName>, Vec<Vec<f64>>)> {
        let fit = self.fit.as_ref()?;
        let columns: Vec<String> = fit.names.iter().map(|n| n.csv()).collect();
        let draws: Vec<Vec<f64>> = fit.draws.iter().take(n.unwrap_or(usize::MAX)).cloned().collect();
        let result = self.with_model(chunk, assembly, |model, rng| {
            let value = model.output_vars().iter().find(|o| o.name == VALUE);
            let value = value.ok_or("the line's value is not among its outputs (a bug in vppl)")?.columns.clone();
            let mut values = vec![0.0; model.output_names().len()];
            let mut rows = vec![Vec::new()];
            for row in &draws {
                let json = runtime::methods::parameters_json(model, &columns, row)?;
                let inits = runtime::data::parse_data_file(&json).map_err(|e| e.to_string())?;
                let theta = model.unconstrain(&inits, rng).map_err(|e| e.message)?;
                model.write_array(&theta, rng, &mut values).map_err(|e| e.to_string())?;
                rows.push(values[value.clone()].to_vec());
            }
            Ok((model.output_names()[value].to_vec(), rows))
        });
        result.ok().map(|(_, names_rows)| names_rows)
    }

    /// Statements: declarations bind session variables, assignments change them.
    pub fn statements(&mut self, chunk: &str) {
        let range = trimmed(chunk);
        // The declarations the chunk makes, from its syntax alone: they replace session
        // variables of the same names.
        let mut alone = Assembly::default();
        alone.push("generated quantities {\n");
        alone.push_user(chunk, range.clone());
        alone.push("\n}\n");
        let program = match grammar::parse(&alone.text) {
            Ok(p) => p,
            Err(diags) => return report_diagnostics(&diags, chunk, Some(&alone)),
        };
        let mut declared = Vec::new();
        for stmt in program.generated_quantities.iter().flat_map(|b| &b.stmts) {
            let StmtKind::Decl(d) = &stmt.kind else { continue };
            declared.push((d.name.name.clone(), d.ty.clone()));
        }
        let shadowed: Vec<String> = declared.iter().map(|(name, _)| name.clone()).collect();
        let mut fixed = Vec::new();
        let (text, outputs) = loop {
            let sees = Sees { shadowed: &shadowed, model: false, fixed: &fixed };
            let assembly = self.assemble_line(chunk, range.clone(), "", "", sees);
            match self.run(chunk, &assembly) {
                Ok(result) => break result,
                Err(Failed::Said) if fixed.is_empty() => return,
                Err(Failed::Said) => {
                    let names: Vec<String> = fixed.iter().map(|n| format!("`{n}`")).collect();
                    return outln!(
                        "note: the sizes declared in this line use {}, so this line saw them as data, which it \
                         cannot change; change them on a line of their own",
                        names.join(", ")
                    );
                }
                Err(Failed::Model { parameters, data }) => return say_model_values(&parameters, &data, true),
                // Declared sizes must be data: the session's variables they use are given as
                // data (this line cannot change them), and the line is compiled again.
                Err(Failed::Sizes(names)) if fixed.is_empty() => fixed = names,
                Err(Failed::Sizes(_)) => return error("a size uses what is not data (a bug in vppl)"),
            }
        };
        out!("{text}");
        let mut vars: Vec<Var> = self.vars.iter().filter(|v| !shadowed.contains(&v.name)).cloned().collect();
        for (name, ty) in &declared {
            // A declaration's sizes are known once the line ran: the outputs' sizes.
            let Some((sizes, _)) = outputs.get(name) else { continue };
            match Shape::of(ty, &mut sizes.iter().copied()) {
                Some(shape) => vars.push(Var { name: name.clone(), shape, value: Value::Null }),
                None => error(&format!("the sizes of `{name}` could not be read back (a bug in vppl)")),
            }
        }
        for v in &mut vars {
            let Some((_, values)) = outputs.get(&v.name) else { continue };
            match v.shape.json(&mut values.iter().copied()) {
                Ok(value) => v.value = value,
                // The line's changes are kept all or none.
                Err(x) => {
                    return error(&format!(
                        "`{}` holds {}, outside the range of Stan's 32-bit int; the session's variables are as \
                         they were before this line",
                        v.name,
                        runtime::output::format_g(x, 10)
                    ));
                }
            }
        }
        self.vars = vars;
    }

    /// Compiles and runs a line's program: what it printed and each output's sizes and values
    /// (in output order), by name.
    fn run(&mut self, chunk: &str, assembly: &Assembly) -> Result<(String, Outputs), Failed> {
        self.with_model(chunk, assembly, |model, rng| {
            let mut values = vec![0.0; model.output_names().len()];
            model.write_array(&[], rng, &mut values).map_err(|e| e.to_string())?;
            Ok(model
                .output_vars()
                .iter()
                .map(|o| (o.name.clone(), (o.sizes.clone(), values[o.columns.clone()].to_vec())))
                .collect())
        })
    }

    /// Compiles a line's program, loads it with the line's data and gives it to `evaluate`
    /// (with the line's random numbers): what it printed and what `evaluate` returned. A
    /// failure is said, but for the model's variables the line uses (the caller's to say).
    fn with_model<T>(
        &mut self,
        chunk: &str,
        assembly: &Assembly,
        evaluate: impl FnOnce(&CompiledModel, &mut rand_chacha::ChaCha8Rng) -> Result<T, String>,
    ) -> Result<(String, T), Failed> {
        let source = assembly.source();
        let mut stages = match driver::compile_ir(&source) {
            Ok(s) => s,
            Err(diags) => {
                if let Some((parameters, data)) = self.model_uses(&diags, assembly) {
                    return Err(Failed::Model { parameters, data });
                }
                let sizes = self.sizes_using_vars(&diags, assembly);
                if !sizes.is_empty() {
                    return Err(Failed::Sizes(sizes));
                }
                report_diagnostics(&diags, chunk, Some(assembly));
                return Err(Failed::Said);
            }
        };
        // The session's own hidden names never warn; the user's line may.
        report_diagnostics(&stages.warnings, chunk, Some(assembly));
        let native = match driver::compile_native(&source, &mut stages) {
            Ok(n) => n,
            Err(e) => {
                error(&e);
                return Err(Failed::Said);
            }
        };
        let printed = Arc::new(Mutex::new(String::new()));
        let sink = printed.clone();
        let printer: runtime::compiled::Printer = Arc::new(move |text: &str| {
            if let Ok(mut s) = sink.lock() {
                s.push_str(text);
            }
        });
        let result = CompiledModel::with_printer(native.entries, native.meta, &self.line_data(), printer)
            .map_err(|e| e.message)
            .and_then(|model| {
                self.lines += 1;
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(self.lines);
                evaluate(&model, &mut rng)
            });
        // Safety: the model made from this code was dropped above.
        unsafe { native.jit.free() };
        let printed = printed.lock().map(|s| s.clone()).unwrap_or_default();
        match result {
            Ok(values) => Ok((printed, values)),
            Err(e) => {
                out!("{printed}");
                error(&assembly.locate(&e));
                Err(Failed::Said)
            }
        }
    }
}

/// Why a line was not evaluated.
enum Failed {
    /// Its mistakes were said.
    Said,
    /// It uses the model's parameters (or transformed parameters) or its data not loaded yet,
    /// which it does not see (and nothing else kept it from compiling).
    Model { parameters: Vec<String>, data: Vec<String> },
    /// A size it declares uses these session variables, which are not data where it runs.
    Sizes(Vec<String>),
}

/// What a line's program holds besides the session's functions and variables.
#[derive(Clone, Copy, Default)]
struct Sees<'a> {
    /// Session variables the line declares anew: left out.
    shadowed: &'a [String],
    /// The model's data, transformed data, parameters and transformed parameters blocks, as a
    /// generated quantities statement of the model sees them (the session's variables of the
    /// same names are left out).
    model: bool,
    /// Session variables given in transformed data rather than as locals of the generated
    /// quantities, so that the sizes of its declarations may use them (it cannot change them).
    fixed: &'a [String],
}

impl Sees<'_> {
    const MODEL: Sees<'static> = Sees { shadowed: &[], model: true, fixed: &[] };
}

/// The name a line's value is kept under when it is evaluated at every draw of a fit.
const VALUE: &str = "line__value";

/// Says why a line that uses the model's variables has no value to give.
fn say_model_values(parameters: &[String], data: &[String], statement: bool) {
    // "`mu` is a parameter", "`mu` and `tau` are parameters".
    let are = |names: &[String], what: &str| {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        match quoted.split_last() {
            Some((last, [])) => format!("{last} is a {what}"),
            Some((last, rest)) => format!("{} and {last} are {what}s", rest.join(", ")),
            None => String::new(),
        }
    };
    if !data.is_empty() {
        error(&format!("{} of the session's model: load its data first (:data FILE)", are(data, "data variable")));
    }
    if parameters.is_empty() {
        return;
    }
    let first = &parameters[0];
    let subject = are(parameters, "parameter");
    if statement {
        error(&format!(
            "{subject} of the session's model, with a value at each draw of a fit: a statement cannot use it; after \
             :fit an expression of it prints its summary over the draws"
        ));
    } else {
        error(&format!(
            "{subject} of the session's model: it has values after :fit; then `{first}` alone prints its summary, and \
             an expression its summary over the draws"
        ));
    }
}

impl Var {
    /// Its declaration with its sizes: `array[2] vector[3]`.
    pub fn declaration(&self) -> String {
        self.shape.declaration(false)
    }

    /// The statements that declare it in a line's program and give it its value, kept as data
    /// under its hidden name: declared and assigned at once, unless its JSON hides a size; then
    /// its parts that hold elements are copied one by one (what has no elements has no value).
    fn copy(&self) -> String {
        let declaration = format!("{} {}", self.shape.declaration(false), self.name);
        if self.shape.declaration(true) == self.shape.declaration(false) {
            return format!("{declaration} = {};", hidden(&self.name));
        }
        format!("{declaration};\n{}", self.shape.copy(&self.name, &hidden(&self.name), 0))
    }
}

impl Shape {
    /// The shape of a declared type, its sizes taken from `sizes` in the order the runtime's
    /// `OutputShape` gives them (a tuple's arrays, then each component's own); `None` if they
    /// do not fit.
    fn of(ty: &DeclType, sizes: &mut impl Iterator<Item = usize>) -> Option<Shape> {
        let array_rank = ty.array_dims.len();
        if let TypeKind::Tuple(components) = &ty.kind {
            let array_dims: Vec<usize> = sizes.by_ref().take(array_rank).collect();
            let components = components.iter().map(|c| Shape::of(c, sizes)).collect::<Option<Vec<_>>>()?;
            return (array_dims.len() == array_rank).then_some(Shape::Tuple { array_dims, components });
        }
        let kind = ty.kind.plain();
        let rank = array_rank + own_rank(&kind);
        let dims: Vec<usize> = sizes.by_ref().take(rank).collect();
        (dims.len() == rank).then_some(Shape::Value { kind, array_rank, dims })
    }

    /// Its declaration: with `as_json` the sizes its JSON shows, every size after an empty
    /// array's 0 (`matrix[0, 2]` is `[]`, read as `matrix[0, 0]`).
    fn declaration(&self, as_json: bool) -> String {
        self.declare(as_json, false)
    }

    fn declare(&self, as_json: bool, hidden_sizes: bool) -> String {
        let mut hidden_sizes = hidden_sizes;
        let mut shown = |d: usize| {
            let shown = if as_json && hidden_sizes { 0 } else { d };
            hidden_sizes |= d == 0;
            shown.to_string()
        };
        let (array_dims, own) = match self {
            Shape::Value { kind, array_rank, dims } => {
                let dims: Vec<String> = dims.iter().map(|&d| shown(d)).collect();
                let (arrays, own) = dims.split_at(*array_rank);
                let keyword = kind.keyword();
                let own = if own.is_empty() { keyword.to_string() } else { format!("{keyword}[{}]", own.join(", ")) };
                (arrays.to_vec(), own)
            }
            Shape::Tuple { array_dims, components } => {
                let arrays: Vec<String> = array_dims.iter().map(|&d| shown(d)).collect();
                let inner = hidden_sizes;
                let components: Vec<String> = components.iter().map(|c| c.declare(as_json, inner)).collect();
                (arrays, format!("tuple({})", components.join(", ")))
            }
        };
        if array_dims.is_empty() { own } else { format!("array[{}] {own}", array_dims.join(", ")) }
    }

    /// Whether it holds no elements at all.
    fn is_empty(&self) -> bool {
        match self {
            Shape::Value { dims, .. } => dims.contains(&0),
            Shape::Tuple { array_dims, components } => {
                array_dims.contains(&0) || components.iter().all(Shape::is_empty)
            }
        }
    }

    /// Statements copying `from` into `to` (both of this shape), leaving out the parts that
    /// hold no elements; `depth` numbers the loops' indices.
    fn copy(&self, to: &str, from: &str, depth: usize) -> String {
        if self.is_empty() {
            return String::new();
        }
        if self.declaration(true) == self.declaration(false) {
            return format!("{to} = {from};");
        }
        let Shape::Tuple { array_dims, components } = self else { return String::new() };
        match array_dims.split_first() {
            None => components
                .iter()
                .enumerate()
                .map(|(k, c)| c.copy(&format!("{to}.{}", k + 1), &format!("{from}.{}", k + 1), depth))
                .collect::<Vec<_>>()
                .join(" "),
            Some((n, rest)) => {
                let i = format!("i__{depth}");
                let element = Shape::Tuple { array_dims: rest.to_vec(), components: components.clone() };
                let body = element.copy(&format!("{to}[{i}]"), &format!("{from}[{i}]"), depth + 1);
                format!("for ({i} in 1:{n}) {{ {body} }}")
            }
        }
    }

    /// Its value as CmdStan JSON from its outputs in output order (array elements and matrices
    /// column-major, a complex as its real then imaginary part, a tuple's components in
    /// order): nested arrays outermost index first, a matrix as its rows, a complex as
    /// `[re, im]`, a tuple as `{"1": …, "2": …}`, ints as integers, non-finite reals as
    /// CmdStan's strings.
    fn json(&self, values: &mut impl Iterator<Item = f64>) -> Result<Value, f64> {
        let mut elements = Vec::new();
        let dims = match self {
            Shape::Value { kind, dims, .. } => {
                let complex = matches!(
                    kind,
                    TypeKind::Complex | TypeKind::ComplexVector | TypeKind::ComplexRowVector | TypeKind::ComplexMatrix
                );
                let mut number = || number(values.next().unwrap_or(f64::NAN), *kind == TypeKind::Int);
                for _ in 0..dims.iter().product() {
                    elements.push(if complex { Value::Array(vec![number()?, number()?]) } else { number()? });
                }
                dims
            }
            Shape::Tuple { array_dims, components } => {
                for _ in 0..array_dims.iter().product() {
                    let mut fields = Map::new();
                    for (k, c) in components.iter().enumerate() {
                        fields.insert((k + 1).to_string(), c.json(values)?);
                    }
                    elements.push(Value::Object(fields));
                }
                array_dims
            }
        };
        Ok(nest(dims, &elements, 0, 1))
    }
}

/// The array rank and kind of a Stan type of reals or ints (`array[,] vector` is 2 and
/// `vector`); `None` for a complex or tuple type.
fn real_type(ty: &str) -> Option<(usize, TypeKind)> {
    let (array_rank, base) = match ty.strip_prefix("array[") {
        Some(rest) => {
            let (commas, base) = rest.split_once("] ")?;
            (commas.matches(',').count() + 1, base)
        }
        None => (0, ty),
    };
    let kind = match base {
        "int" => TypeKind::Int,
        "real" => TypeKind::Real,
        "vector" => TypeKind::Vector,
        "row_vector" => TypeKind::RowVector,
        "matrix" => TypeKind::Matrix,
        _ => return None,
    };
    Some((array_rank, kind))
}

/// How many sizes a plain kind has of its own.
fn own_rank(kind: &TypeKind) -> usize {
    match kind {
        TypeKind::Vector | TypeKind::RowVector | TypeKind::ComplexVector | TypeKind::ComplexRowVector => 1,
        TypeKind::Matrix | TypeKind::ComplexMatrix => 2,
        _ => 0,
    }
}

/// The elements given in column-major order (the first index fastest) as nested arrays of
/// `dims`, outermost first; `offset` and `stride` place the part being built.
fn nest(dims: &[usize], elements: &[Value], offset: usize, stride: usize) -> Value {
    match dims.split_first() {
        None => elements.get(offset).cloned().unwrap_or(Value::Null),
        Some((&n, rest)) => {
            Value::Array((0..n).map(|i| nest(rest, elements, offset + i * stride, stride * n)).collect())
        }
    }
}

/// A real (or an int's) value as CmdStan JSON: non-finite reals as CmdStan's strings. An int
/// never set is Stan's `int` never set (compiled code marks it with `i32::MIN`, as Stan does);
/// an int outside Stan's 32-bit range is the error.
fn number(x: f64, int: bool) -> Result<Value, f64> {
    if int {
        return match x {
            _ if x >= f64::from(i32::MIN) && x <= f64::from(i32::MAX) => Ok(Value::from(x as i64)),
            _ => Err(x),
        };
    }
    Ok(if x.is_finite() {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    } else if x.is_nan() {
        Value::String("NaN".into())
    } else {
        Value::String(if x > 0.0 { "inf" } else { "-inf" }.into())
    })
}

/// The text inside a block's braces.
fn body(text: &str, block: Range<usize>) -> Range<usize> {
    let inner = &text[block.clone()];
    match (inner.find('{'), inner.rfind('}')) {
        (Some(open), Some(close)) if open < close => block.start + open + 1..block.start + close,
        _ => block,
    }
}

/// The chunk without surrounding whitespace.
fn trimmed(chunk: &str) -> Range<usize> {
    let start = chunk.len() - chunk.trim_start().len();
    let end = chunk.trim_end().len();
    start..end.max(start)
}

/// A data file of the given variables.
fn data_file(map: &Map<String, Value>) -> DataFile {
    // The map is JSON already; the runtime reads it as it reads a file.
    runtime::data::parse_data_file(&Value::Object(map.clone()).to_string()).unwrap_or_else(|_| DataFile::empty())
}
