//! The entry point [`parse`], the grammar actions that can fail or need more than a line, and
//! the translation of LALRPOP's errors into [`Diagnostic`]s.

// Grammar actions fail with a whole `Diagnostic`; errors are rare and end the parse, so the
// size of the `Err` variant does not matter.
#![allow(clippy::result_large_err)]

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{self, Spanned};
use crate::parser::ProgramParser;
use crate::span::Span;
use crate::token::Tok;
use lalrpop_util::{ErrorRecovery, ParseError};

type LalrpopError<'src> = ParseError<usize, Tok<'src>, Diagnostic>;

/// Parses a whole Stan program.
///
/// On failure returns, in source order: every lexical diagnostic; then, unless a lexical
/// error dropped text, the syntax errors. The parser resumes at the next statement after a
/// syntax error inside a block, so independent mistakes are reported together; errors that
/// look like consequences of an earlier one are left out.
pub fn parse(source: &str) -> Result<Program, Vec<Diagnostic>> {
    let lexed = lexer::lex(source);
    let mut diagnostics = lexed.diagnostics;
    if lexed.fatal {
        return Err(diagnostics);
    }
    let boundaries: Vec<usize> = lexed
        .tokens
        .iter()
        .filter(|(_, tok, _)| matches!(tok, Tok::Semi | Tok::LBrace | Tok::RBrace))
        .map(|&(start, _, _)| start)
        .collect();
    let context_tokens = lexed.tokens.clone();
    let tokens = lexed.tokens.into_iter().map(Ok::<_, Diagnostic>);
    let mut recovered = Vec::new();
    let result = ProgramParser::new().parse(&mut recovered, tokens);
    let mut errors: Vec<LalrpopError<'_>> = recovered.into_iter().map(|r| r.error).collect();
    let program = match result {
        Ok(program) => Some(program),
        Err(err) => {
            errors.push(err);
            None
        }
    };
    let context = Context { source, tokens: &context_tokens, comments: &lexed.comments };
    for diagnostic in without_cascades(errors, &boundaries, source).into_iter().map(|err| syntax_error(err, &context)) {
        // Two errors explained by the same mistake (a `//` that cut a statement) give it once.
        if !diagnostics.iter().any(|d| d.code == diagnostic.code && d.span == diagnostic.span) {
            diagnostics.push(diagnostic);
        }
    }
    match program {
        Some(mut program) if !diagnostics.iter().any(Diagnostic::is_error) => {
            program.comments = lexed.comments;
            program.blank_lines = lexed.blank_lines;
            Ok(program)
        }
        _ => Err(diagnostics),
    }
}

/// Drops syntax errors that are probably consequences of an earlier one: error recovery
/// skips tokens up to the next statement, and when the first error was a misplaced block
/// (or the skipped tokens held a `}`), what follows no longer lines up with the source's
/// structure. Recovery can also resume in the middle of the broken statement (at `mu` in
/// `2 * * mu;`), so an error with no `;`, `{` or `}` between it and the previous one is left
/// out too. The first error is always kept.
fn without_cascades<'src>(
    errors: Vec<LalrpopError<'src>>,
    boundaries: &[usize],
    source: &str,
) -> Vec<LalrpopError<'src>> {
    let mut kept: Vec<LalrpopError<'src>> = Vec::new();
    for err in errors {
        if let Some(previous) = kept.last() {
            let (from, to) = (error_start(previous), error_start(&err));
            // A boundary where the previous error stands counts, and so does a previous error
            // that is a missing `;` (the token it stopped at starts the next statement); a
            // boundary where this error stands does not: an error at the `;` that ends the
            // broken statement (`mu ~ normal(0, 1) + ;`) belongs to it. A grammar action's
            // error can point back before the previous error; it is kept.
            let previous_ended = missing_semicolon_at(previous, source);
            let same_statement =
                from == to || (from < to && !previous_ended && !boundaries.iter().any(|b| (from..to).contains(b)));
            if same_statement {
                continue;
            }
            // A `}` where a `;` was wanted is a statement missing its `;` at the end of a block:
            // recovery resumes cleanly there, so it is not structural.
            let structural = match &err {
                ParseError::UnrecognizedEof { .. } => true,
                ParseError::UnrecognizedToken { token: (_, Tok::RBrace, _), expected } => {
                    !expected.iter().any(|e| e == "\";\"")
                }
                ParseError::UnrecognizedToken { token: (_, tok, _), .. }
                | ParseError::ExtraToken { token: (_, tok, _) } => is_block_header(tok) || *tok == Tok::RBrace,
                _ => false,
            };
            if structural {
                break;
            }
        }
        let stop = matches!(
            &err,
            ParseError::UnrecognizedToken { token: (_, tok, _), .. } | ParseError::ExtraToken { token: (_, tok, _) }
                if is_block_header(tok)
        );
        kept.push(err);
        if stop {
            break;
        }
    }
    kept
}

/// Where an error is reported, for ordering errors against statement boundaries.
/// Whether `err` is a statement missing its `;`: a `;` was expected at a token that starts a
/// line.
fn missing_semicolon_at(err: &LalrpopError<'_>, source: &str) -> bool {
    match err {
        ParseError::UnrecognizedToken { token: (start, _, _), expected } => {
            expected.iter().any(|e| e == "\";\"")
                && source.get(..*start).is_some_and(|before| before.trim_end_matches([' ', '\t', '\r']).ends_with('\n'))
        }
        _ => false,
    }
}

fn error_start(err: &LalrpopError<'_>) -> usize {
    match err {
        ParseError::User { error } => error.span.start as usize,
        ParseError::UnrecognizedToken { token: (start, _, _), .. }
        | ParseError::ExtraToken { token: (start, _, _) } => *start,
        ParseError::UnrecognizedEof { location, .. } | ParseError::InvalidToken { location } => *location,
    }
}

/// Wraps a diagnostic from a grammar action as a LALRPOP error.
pub(crate) fn user<'src>(error: Diagnostic) -> LalrpopError<'src> {
    ParseError::User { error }
}

// ---------------------------------------------------------------------------------------------
// Literals

/// The largest integer literal Stan accepts: its `int` is 32 bits.
const MAX_INT: i64 = i32::MAX as i64;

pub(crate) fn int_lit(text: &str, span: Span) -> Result<Expr, Diagnostic> {
    match text.parse::<i64>() {
        Ok(value) if value <= MAX_INT => Ok(Expr { kind: ExprKind::Int(value), span }),
        _ => Err(Diagnostic::error("E0007", span, format!("integer literal `{text}` is too large"))
            .with_label("does not fit in 32 bits")
            .with_hint(format!("Stan integers are at most {MAX_INT}; write `{text}.0` for a real number"))),
    }
}

pub(crate) fn real_lit(text: &str, span: Span) -> Expr {
    // The lexer's patterns produce text that `f64` parses (a huge exponent gives infinity),
    // except `1e`, which comes with a lexical error (E0020) and is only kept to parse on.
    let value = text.parse::<f64>().unwrap_or(f64::NAN);
    Expr { kind: ExprKind::Real(value, text.to_string()), span }
}

pub(crate) fn imag_lit(text: &str, span: Span) -> Expr {
    let value = text.trim_end_matches('i').parse::<f64>().unwrap_or(f64::NAN);
    Expr { kind: ExprKind::Imag(value, text.to_string()), span }
}

/// The contents of a string literal token, without its quotes.
pub(crate) fn unquote(text: &str) -> String {
    text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text).to_string()
}

// ---------------------------------------------------------------------------------------------
// Expressions

pub(crate) fn binary(op: BinOp, lhs: Expr, rhs: Expr, span: Span) -> Expr {
    Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span }
}

pub(crate) fn call(name: Ident, args: Vec<Expr>, bar: Option<Span>, span: Span) -> Result<Expr, Diagnostic> {
    if name.name == "get_lp" {
        return Err(Diagnostic::error("E0014", name.span, "`get_lp()` was removed from Stan")
            .with_label("removed function")
            .with_hint("use `target()`"));
    }
    Ok(Expr { kind: ExprKind::Call { name, args, bar }, span })
}

/// `base.N`, where `text` is the `.N` token.
pub(crate) fn tuple_get(base: Expr, text: &str, span: Span) -> Result<Expr, Diagnostic> {
    let index_span = Span::new(span.end as usize - text.len(), span.end as usize);
    match text[1..].parse::<usize>() {
        Ok(index) if index >= 1 => Ok(Expr { kind: ExprKind::TupleGet { base: Box::new(base), index }, span }),
        Ok(_) => Err(Diagnostic::error("E0017", index_span, "tuple elements are numbered from 1")
            .with_label("there is no element 0")),
        Err(_) => Err(Diagnostic::error("E0017", index_span, format!("tuple index `{}` is too large", &text[1..]))
            .with_label("no tuple has this many elements")),
    }
}

/// `M'[1]`: Stan's grammar indexes before it transposes, so the transposed value must be
/// parenthesised to be indexed.
pub(crate) fn index_after_transpose(transposed: Span, index: Span) -> Diagnostic {
    Diagnostic::error("E0018", index, "a transposed expression cannot be indexed directly")
        .with_label("indexes the transpose")
        .with_secondary(transposed, "transposed here")
        .with_hint("put the transpose in parentheses, as in `(M')[1]`, or index first: `M[:, 1]'`")
}

/// Whether `e` can be assigned to: a variable, possibly indexed or projected.
/// The left side of a tuple unpacking `(a, (b, c[i])) = ...`: lvalues, possibly nested.
fn is_pattern(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::TupleLit(items) => items.iter().all(is_pattern),
        _ => is_lvalue(e),
    }
}

fn is_lvalue(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_) => true,
        ExprKind::Index { base, .. } | ExprKind::TupleGet { base, .. } => is_lvalue(base),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Statements

/// The head of a loop, whose body is parsed separately (see the dangling-`else` rules).
pub(crate) enum LoopHead {
    While(Expr),
    For(Ident, Expr, Expr),
    ForEach(Ident, Expr),
}

impl LoopHead {
    pub(crate) fn build(self, body: Stmt, span: Span) -> Stmt {
        let body = Box::new(body);
        let kind = match self {
            LoopHead::While(cond) => StmtKind::While { cond, body },
            LoopHead::For(var, lo, hi) => StmtKind::For { var, lo, hi, body },
            LoopHead::ForEach(var, container) => StmtKind::ForEach { var, container, body },
        };
        Stmt { kind, span }
    }
}

pub(crate) fn if_stmt(cond: Expr, then: Stmt, otherwise: Option<Stmt>, span: Span) -> Stmt {
    Stmt { kind: StmtKind::If { cond, then: Box::new(then), otherwise: otherwise.map(Box::new) }, span }
}

pub(crate) fn assign(lhs: Expr, op: AssignOp, rhs: Expr, span: Span) -> Result<Stmt, Diagnostic> {
    if let ExprKind::Var(name) = &lhs.kind
        && name.name == "jacobian"
        && op == AssignOp::Add
    {
        return Ok(Stmt { kind: StmtKind::JacobianPlus(rhs), span });
    }
    if let ExprKind::TupleLit(items) = &lhs.kind
        && items.iter().all(is_pattern)
    {
        if op != AssignOp::Assign {
            return Err(Diagnostic::error("E0013", lhs.span, "a tuple can only be unpacked with `=`")
                .with_label("unpacked here")
                .with_hint("unpack with `=` first, then update the variables one by one"));
        }
        return Ok(Stmt { kind: StmtKind::Assign { lhs, op, rhs }, span });
    }
    if !is_lvalue(&lhs) {
        return Err(Diagnostic::error("E0013", lhs.span, "cannot assign to this expression")
            .with_label("not a variable")
            .with_hint(
                "the left side of an assignment must be a variable, possibly indexed, such as `x` or `x[i, j]`",
            ));
    }
    Ok(Stmt { kind: StmtKind::Assign { lhs, op, rhs }, span })
}

/// An expression followed by `;`: only a function call is a statement.
pub(crate) fn expr_stmt(e: Expr, span: Span) -> Result<Stmt, Diagnostic> {
    match &e.kind {
        ExprKind::Call { name, args, .. } if name.name == "increment_log_prob" => {
            let args: Vec<String> = args.iter().map(ToString::to_string).collect();
            Err(Diagnostic::error("E0005", name.span, "`increment_log_prob` was removed from Stan")
                .with_label("removed statement")
                .with_hint(format!("write `target += {};`", args.join(", "))))
        }
        ExprKind::Call { .. } => Ok(Stmt { kind: StmtKind::Call(e), span }),
        ExprKind::Binary { op: BinOp::Eq, .. } => Err(expression_statement(&e).with_hint("did you mean `=`?")),
        _ => Err(expression_statement(&e)),
    }
}

fn expression_statement(e: &Expr) -> Diagnostic {
    Diagnostic::error("E0010", e.span, "an expression cannot be used as a statement")
        .with_label("this value is not used")
}

/// `data` and `parameters` declare variables that are read from outside; they cannot be
/// given values in the program.
pub(crate) fn check_no_initial_values(stmts: &[Stmt], kind: BlockKind) -> Result<(), Diagnostic> {
    let block = match kind {
        BlockKind::Data => "data",
        _ => "parameters",
    };
    for stmt in stmts {
        if let StmtKind::Decl(VarDecl { name, init: Some(init), .. }) = &stmt.kind {
            return Err(Diagnostic::error(
                "E0015",
                init.span,
                format!("variables in the `{block}` block cannot be given a value"),
            )
            .with_label(format!("initial value for `{}`", name.name))
            .with_hint(format!("remove `= ...`, or declare `{}` in a `transformed {block}` block", name.name)));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Types and declarations

/// A key inside `<...>` of a declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConstraintKey {
    Lower,
    Upper,
    Offset,
    Multiplier,
}

impl ConstraintKey {
    fn name(self) -> &'static str {
        match self {
            ConstraintKey::Lower => "lower",
            ConstraintKey::Upper => "upper",
            ConstraintKey::Offset => "offset",
            ConstraintKey::Multiplier => "multiplier",
        }
    }
}

/// How many sizes a type keyword takes: `(fewest, most)`.
fn size_count(kind: &TypeKind) -> (usize, usize) {
    match kind {
        TypeKind::Int | TypeKind::Real | TypeKind::Complex | TypeKind::Tuple(_) => (0, 0),
        TypeKind::Vector
        | TypeKind::RowVector
        | TypeKind::ComplexVector
        | TypeKind::ComplexRowVector
        | TypeKind::Simplex
        | TypeKind::Ordered
        | TypeKind::PositiveOrdered
        | TypeKind::UnitVector
        | TypeKind::SumToZeroVector
        | TypeKind::CholeskyFactorCorr
        | TypeKind::CorrMatrix
        | TypeKind::CovMatrix => (1, 1),
        TypeKind::CholeskyFactorCov => (1, 2),
        TypeKind::Matrix
        | TypeKind::ComplexMatrix
        | TypeKind::SumToZeroMatrix
        | TypeKind::ColumnStochasticMatrix
        | TypeKind::RowStochasticMatrix => (2, 2),
    }
}

/// An example of the sizes a type takes, for hints.
fn size_example(kind: &TypeKind) -> &'static str {
    match size_count(kind) {
        (0, _) => "",
        (1, 1) => "[N]",
        (1, _) => "[M] or [M, N]",
        _ => "[M, N]",
    }
}

type Constraints = (Vec<(ConstraintKey, Expr, Span)>, Span);

/// A type keyword with its optional `<...>` and `[...]`, checked for the number of sizes and
/// for which constraints the type admits.
pub(crate) fn sized_type(
    kind: TypeKind,
    constraints: Option<Constraints>,
    sizes: Option<(Vec<Expr>, Span)>,
    span: Span,
) -> Result<DeclType, Diagnostic> {
    let keyword = TypeKind::keyword(&kind);
    let (fewest, most) = size_count(&kind);
    let (sizes, sizes_span) = match sizes {
        Some((sizes, sizes_span)) => (sizes, sizes_span),
        None => (Vec::new(), span),
    };
    if sizes.len() < fewest || sizes.len() > most {
        let message = match (fewest, most) {
            (0, 0) => format!("type `{keyword}` takes no size"),
            (1, 1) => format!("type `{keyword}` takes one size, found {}", sizes.len()),
            (1, _) => format!("type `{keyword}` takes one or two sizes, found {}", sizes.len()),
            _ => format!("type `{keyword}` takes two sizes, found {}", sizes.len()),
        };
        let diag = Diagnostic::error("E0009", sizes_span, message);
        return Err(if fewest == 0 {
            diag.with_label("unexpected size").with_hint(format!("for an array, write `array[N] {keyword}`"))
        } else {
            diag.with_label("wrong number of sizes").with_hint(format!("write `{keyword}{}`", size_example(&kind)))
        });
    }

    let mut constraint = Constraint::default();
    if let Some((items, constraint_span)) = constraints {
        let bounds_ok =
            matches!(kind, TypeKind::Int | TypeKind::Real | TypeKind::Vector | TypeKind::RowVector | TypeKind::Matrix);
        let affine_ok = matches!(kind, TypeKind::Real | TypeKind::Vector | TypeKind::RowVector | TypeKind::Matrix);
        if !bounds_ok {
            return Err(Diagnostic::error(
                "E0008",
                constraint_span,
                format!("type `{keyword}` cannot have `<...>` constraints"),
            )
            .with_label("constraint not allowed here")
            .with_hint("only `int`, `real`, `vector`, `row_vector` and `matrix` take bounds"));
        }
        let mut has_bounds = false;
        let mut has_affine = false;
        for (key, expr, key_span) in items {
            let slot = match key {
                ConstraintKey::Lower => &mut constraint.lower,
                ConstraintKey::Upper => &mut constraint.upper,
                ConstraintKey::Offset => &mut constraint.offset,
                ConstraintKey::Multiplier => &mut constraint.multiplier,
            };
            if slot.is_some() {
                return Err(Diagnostic::error("E0008", key_span, format!("`{}` is given twice", key.name()))
                    .with_label("repeated key"));
            }
            *slot = Some(expr);
            match key {
                ConstraintKey::Lower | ConstraintKey::Upper => has_bounds = true,
                ConstraintKey::Offset | ConstraintKey::Multiplier => {
                    has_affine = true;
                    if !affine_ok {
                        return Err(Diagnostic::error(
                            "E0008",
                            key_span,
                            format!("type `{keyword}` cannot have an `{}`", key.name()),
                        )
                        .with_label("not allowed for this type")
                        .with_hint("`offset` and `multiplier` apply to `real`, `vector`, `row_vector` and `matrix`"));
                    }
                }
            }
            if has_bounds && has_affine {
                return Err(Diagnostic::error(
                    "E0008",
                    constraint_span,
                    "a type cannot have both bounds and an offset or multiplier",
                )
                .with_label("conflicting constraints")
                .with_hint("use either `<lower=..., upper=...>` or `<offset=..., multiplier=...>`"));
            }
        }
    }
    Ok(DeclType { array_dims: Vec::new(), kind, constraint, sizes, span })
}

pub(crate) fn sized_tuple(elems: Vec<DeclType>, span: Span) -> Result<DeclType, Diagnostic> {
    if elems.len() < 2 {
        return Err(one_element_tuple(span));
    }
    Ok(DeclType {
        array_dims: Vec::new(),
        kind: TypeKind::Tuple(elems),
        constraint: Constraint::default(),
        sizes: Vec::new(),
        span,
    })
}

fn one_element_tuple(span: Span) -> Diagnostic {
    Diagnostic::error("E0016", span, "a tuple type needs at least two elements").with_label("one element")
}

/// A type keyword in a function signature: constrained types are not allowed there.
pub(crate) fn unsized_kind(kind: TypeKind, span: Span) -> Result<TypeKind, Diagnostic> {
    if !kind.is_constrained() {
        return Ok(kind);
    }
    let plain = kind.plain().keyword();
    Err(Diagnostic::error(
        "E0016",
        span,
        format!("constrained type `{}` cannot appear in a function signature", TypeKind::keyword(&kind)),
    )
    .with_label("constrained type")
    .with_hint(format!("use `{plain}`")))
}

/// `tuple(...)` in a function signature. [`TypeKind::Tuple`] holds [`DeclType`]s, so each
/// element is stored as a `DeclType` without sizes whose `array_dims` holds one placeholder
/// expression (`ExprKind::Int(0)`) per array dimension: only its length is meaningful.
pub(crate) fn unsized_tuple(elems: Vec<UnsizedType>, span: Span) -> Result<TypeKind, Diagnostic> {
    if elems.len() < 2 {
        return Err(one_element_tuple(span));
    }
    let elems = elems
        .into_iter()
        .map(|t| DeclType {
            array_dims: vec![Expr { kind: ExprKind::Int(0), span: t.span }; t.array_dims],
            kind: t.kind,
            constraint: Constraint::default(),
            sizes: Vec::new(),
            span: t.span,
        })
        .collect();
    Ok(TypeKind::Tuple(elems))
}

/// One statement per declared name; they share the type and the span of the declaration.
pub(crate) fn decls(ty: DeclType, vars: Vec<(Ident, Option<Expr>)>, span: Span) -> Vec<Stmt> {
    vars.into_iter()
        .map(|(name, init)| Stmt { kind: StmtKind::Decl(VarDecl { ty: ty.clone(), name, init }), span })
        .collect()
}

/// The removed declaration syntax `real x[N];`, with the modern spelling as a hint.
pub(crate) fn old_array_decl(
    ty: DeclType,
    name: Ident,
    dims: Vec<Expr>,
    init: Option<&Expr>,
    span: Span,
) -> Diagnostic {
    let mut modern = ty;
    let mut all_dims = dims;
    all_dims.append(&mut modern.array_dims);
    modern.array_dims = all_dims;
    let init = init.map_or(String::new(), |e| format!(" = {e}"));
    Diagnostic::error("E0006", span, "this array declaration syntax was removed from Stan")
        .with_label("old array syntax")
        .with_hint(format!("write `{modern} {}{init};`", name.name))
}

/// A grammar action's diagnostic for a construct the parser can read past (removed syntax,
/// an out-of-range literal, an expression used as a statement): recorded like a recovered
/// syntax error, so every such place in a file is reported in one run.
pub(crate) fn recovered<'src>(error: Diagnostic) -> ErrorRecovery<usize, Tok<'src>, Diagnostic> {
    ErrorRecovery { error: ParseError::User { error }, dropped_tokens: Vec::new() }
}

/// `result`'s value, or `fallback()` after recording its diagnostic (see [`recovered`]).
pub(crate) fn recover<'src, T>(
    errors: &mut Vec<ErrorRecovery<usize, Tok<'src>, Diagnostic>>,
    result: Result<T, Diagnostic>,
    fallback: impl FnOnce() -> T,
) -> T {
    result.unwrap_or_else(|d| {
        errors.push(recovered(d));
        fallback()
    })
}

/// The statement a refused one is replaced by while parsing goes on.
pub(crate) fn empty(span: Span) -> Stmt {
    Stmt { kind: StmtKind::Empty, span }
}

/// The removed unsized array syntax `real[]`.
pub(crate) fn old_unsized_array(kind: TypeKind, dims: usize, span: Span) -> Diagnostic {
    let modern = UnsizedType { array_dims: dims, kind, data_only: false, span };
    Diagnostic::error("E0006", span, "this array type syntax was removed from Stan")
        .with_label("old array syntax")
        .with_hint(format!("write `{modern}`"))
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

/// Turns a LALRPOP error into a diagnostic with a readable list of what was expected, or, for
/// mistakes that habits from other languages explain, a message naming the habit and a hint.
fn syntax_error(err: LalrpopError<'_>, context: &Context<'_, '_>) -> Diagnostic {
    let source = context.source;
    let diagnostic = match err {
        ParseError::User { error } => return old_arrow(context, &error).unwrap_or(error),
        ParseError::UnrecognizedToken { token: (start, tok, end), expected } => {
            let at = context.index_of(start);
            if let Some(diagnostic) = foreign_syntax(context, at, &expected) {
                return diagnostic;
            }
            if (is_block_header(&tok) || tok == Tok::RBrace)
                && expected.iter().any(|e| e == "\"}\"")
                && let Some(diagnostic) =
                    unclosed_brace(context, at, unexpected_token(&tok, Span::new(start, end), Some(&expected)))
            {
                return diagnostic;
            }
            if expected.iter().any(|e| e == "\";\"")
                && !expected.iter().any(|e| e == "\"for\"")
                && !expected.iter().any(|e| e == "\"}\"")
                && source[..start].trim_end_matches([' ', '\t', '\r']).ends_with('\n')
            {
                missing_semicolon(&tok, Span::new(start, end), source)
            } else {
                let diagnostic = unexpected_token(&tok, Span::new(start, end), Some(&expected));
                match misspelled_constraint_key(&tok, &expected) {
                    Some(key) => diagnostic.with_hint(format!("did you mean `{key}`?")),
                    None => diagnostic,
                }
            }
        }
        ParseError::ExtraToken { token: (start, tok, end) } => unexpected_token(&tok, Span::new(start, end), None),
        ParseError::UnrecognizedEof { expected, .. } => {
            let span = Span::new(source.len(), source.len());
            let d = Diagnostic::error(
                "E0002",
                span,
                format!("expected {}, found end of file", describe_expected(&expected)),
            )
            .with_label("the file ends here");
            if expected.iter().any(|e| e == "\"}\"") {
                unclosed_brace(context, context.tokens.len(), d.clone()).unwrap_or(d)
            } else {
                d
            }
        }
        ParseError::InvalidToken { location } => {
            Diagnostic::error("E0002", Span::new(location, location), "invalid token").with_label("here")
        }
    };
    cut_by_comment(context, diagnostic)
}

/// `x <- e;`, read as the comparison `x < -e` used as a statement: the removed assignment
/// operator, reported at the `<-`.
fn old_arrow(context: &Context<'_, '_>, error: &Diagnostic) -> Option<Diagnostic> {
    if error.code != "E0010" {
        return None;
    }
    let first = context.index_of(error.span.start as usize);
    let arrow = (first..context.tokens.len()).take_while(|&i| context.span(i).start < error.span.end).find(|&i| {
        context.tok(i) == Some(&Tok::Lt)
            && context.tok(i + 1) == Some(&Tok::Minus)
            && context.span(i).end == context.span(i + 1).start
    })?;
    let span = context.span(arrow).to(context.span(arrow + 1));
    let lhs = context.source[error.span.start as usize..span.start as usize].trim();
    let rhs = context.source[span.end as usize..error.span.end as usize].trim();
    Some(
        Diagnostic::error("E0004", span, "the `<-` assignment operator was removed from Stan")
            .with_label("old assignment")
            .with_hint(format!("write `{lhs} = {rhs};` (`<-` elsewhere compares with a negative number)")),
    )
}

/// A block that is still open where the parser wants its `}`: point at the brace that is
/// probably unclosed. Braces pair up by nesting, so the pair that looks wrong is the one whose
/// `}` is indented unlike the line of its `{` (the `}` meant for an outer brace); without such a
/// pair, the innermost brace left open.
fn unclosed_brace(context: &Context<'_, '_>, at: usize, d: Diagnostic) -> Option<Diagnostic> {
    let line_start = |offset: u32| context.source[..offset as usize].rfind('\n').map_or(0, |i| i + 1);
    let indent = |offset: u32| {
        let line = &context.source[line_start(offset)..];
        line.len() - line.trim_start_matches([' ', '\t']).len()
    };
    let starts_line = |offset: u32| context.source[line_start(offset)..offset as usize].trim().is_empty();
    let mut open: Vec<Span> = Vec::new();
    let mut suspect: Option<(Span, Span)> = None;
    for i in 0..at.min(context.tokens.len()) {
        match context.tok(i) {
            Some(Tok::LBrace) => open.push(context.span(i)),
            Some(Tok::RBrace) => {
                let close = context.span(i);
                if let Some(opening) = open.pop()
                    && suspect.is_none()
                    && starts_line(close.start)
                    && indent(close.start) < indent(opening.start)
                {
                    suspect = Some((opening, close));
                }
            }
            _ => {}
        }
    }
    let innermost = *open.last()?;
    let d = match suspect {
        Some((opening, close)) => d
            .with_secondary(opening, "this `{` may be the one left open")
            .with_secondary(close, "this `}` closes it, but is indented like an outer block")
            .with_hint("add the missing `}` where the inner block ends"),
        None => d.with_secondary(innermost, "this `{` is not closed").with_hint("add the missing `}`"),
    };
    Some(d)
}

/// A statement that ends without `;`: like rustc, point just after the statement, where the
/// semicolon belongs, and name what came instead.
fn missing_semicolon(tok: &Tok<'_>, found: Span, source: &str) -> Diagnostic {
    let before = source[..found.start as usize].trim_end();
    let end = before.len();
    let start = before.char_indices().next_back().map_or(0, |(i, _)| i);
    Diagnostic::error("E0002", Span::new(start, end), format!("expected `;`, found {}", tok.describe()))
        .with_label("expected `;` after this")
        .with_secondary(found, "unexpected token")
        .with_hint("end the statement with `;`")
}

fn is_block_header(tok: &Tok<'_>) -> bool {
    matches!(
        tok,
        Tok::Functions
            | Tok::Data
            | Tok::TransformedData
            | Tok::Parameters
            | Tok::TransformedParameters
            | Tok::Model
            | Tok::GeneratedQuantities
    )
}

const BLOCK_HEADERS: [&str; 7] = [
    "\"functions\"",
    "\"data\"",
    "\"transformed data\"",
    "\"parameters\"",
    "\"transformed parameters\"",
    "\"model\"",
    "\"generated quantities\"",
];

fn unexpected_token(tok: &Tok<'_>, span: Span, expected: Option<&[String]>) -> Diagnostic {
    let at_top_level = expected.is_none_or(|exp| exp.iter().all(|e| BLOCK_HEADERS.contains(&e.as_str())));
    if is_block_header(tok) && at_top_level {
        return Diagnostic::error("E0012", span, format!("the `{tok}` block is out of place"))
            .with_label("block out of order or repeated")
            .with_hint(
                "blocks appear at most once, in the order functions, data, transformed data, parameters, \
                 transformed parameters, model, generated quantities",
            );
    }
    let what = tok.describe();
    let comparison = matches!(
        tok,
        Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge | Tok::EqEq | Tok::NotEq | Tok::AndAnd | Tok::OrOr | Tok::Question
    );
    if comparison && expected.is_some_and(|exp| exp.iter().any(|e| e == "\">\"")) {
        return Diagnostic::error("E0002", span, format!("expected `>` or `,`, found {what}"))
            .with_label(format!("unexpected {what}"))
            .with_hint(
                "a bound inside `<...>` cannot contain comparisons or logical operators; wrap it in parentheses",
            );
    }
    let message = match expected {
        Some(expected) => format!("expected {}, found {what}", describe_expected(expected)),
        None => format!("unexpected {what} after the end of the program"),
    };
    Diagnostic::error("E0002", span, message).with_label(format!("unexpected {what}"))
}

/// Terminals that start an expression (besides names, which [`is_name`] covers).
const EXPR_START: [&str; 12] = [
    "IntLit",
    "RealLit",
    "DotInt",
    "ImagLit",
    "\"(\"",
    "\"[\"",
    "\"{\"",
    "\"-\"",
    "\"+\"",
    "\"!\"",
    "\"target\"",
    "StrLit",
];

/// Terminals that only continue an expression: binary and postfix operators, and `(` after a
/// name (a call).
const CONTINUATIONS: [&str; 25] = [
    "\"+\"", "\"-\"", "\"*\"", "\"/\"", "\"%\"", "\"%/%\"", "\"\\\\\"", "\"^\"", "\".^\"", "\".*\"", "\"./\"", "\"'\"",
    "\"?\"", "\"||\"", "\"&&\"", "\"==\"", "\"!=\"", "\"<\"", "\"<=\"", "\">\"", "\">=\"", "\"[\"", "DotInt", "\"(\"",
    "\"|\"",
];

/// Keywords that start a statement.
const STMT_START: [&str; 12] = [
    "\"for\"",
    "\"while\"",
    "\"if\"",
    "\"break\"",
    "\"continue\"",
    "\"return\"",
    "\"print\"",
    "\"reject\"",
    "\"fatal_error\"",
    "\"profile\"",
    "\";\"",
    "\"{\"",
];

fn is_type_start(e: &str) -> bool {
    let word = e.trim_matches('"');
    e.starts_with('"') && (TYPE_KEYWORDS.contains(&word) || word == "array" || word == "tuple")
}

/// Renders LALRPOP's list of expected terminals as a short English list, collapsing families
/// of tokens ("an expression", "a statement", "a type") and dropping operators when something
/// else could also have come.
fn describe_expected(expected: &[String]) -> String {
    let has = |name: &str| expected.iter().any(|e| e == name);
    let mut rest: Vec<&str> = expected.iter().map(String::as_str).collect();
    let mut categories: Vec<&str> = Vec::new();

    if has("\"for\"") {
        categories.push("a statement");
        if has("\"real\"") {
            categories.push("a declaration");
        }
        rest.retain(|e| !STMT_START.contains(e) && !EXPR_START.contains(e) && !is_type_start(e) && !is_name(e));
    } else {
        if has("\"real\"") {
            if has("\"}\"") {
                // Inside `data { ... }` or `parameters { ... }`; `;` is the empty declaration.
                categories.push("a declaration");
                rest.retain(|e| *e != "\";\"");
            } else {
                categories.push("a type");
            }
            rest.retain(|e| !is_type_start(e));
        }
        if has("IntLit") {
            categories.push("an expression");
            rest.retain(|e| !EXPR_START.contains(e) && !is_name(e));
        } else if has("Ident") {
            categories.push("an identifier");
            rest.retain(|e| !is_name(e));
        }
    }
    if has("\"*\"") {
        // After a complete expression: an operator could always follow, so only mention
        // operators when nothing else could.
        let before = rest.len();
        rest.retain(|e| !CONTINUATIONS.contains(e));
        if rest.is_empty() && before > 0 {
            categories.push("an operator");
        }
    }
    if has("\"model\"") {
        rest.retain(|e| !BLOCK_HEADERS.contains(e));
        categories.push("a program block");
    }
    // `;` reads best first ("expected `;` or ..."), then the families, then closing tokens.
    rest.sort_by_key(|e| match *e {
        "\")\"" | "\"]\"" | "\"}\"" | "\">\"" => 0,
        _ => 1,
    });
    let mut words: Vec<String> = Vec::new();
    if rest.contains(&"\";\"") {
        words.push("`;`".to_string());
        rest.retain(|e| *e != "\";\"");
    }
    words.extend(categories.iter().map(|c| c.to_string()));
    words.extend(rest.iter().map(|e| terminal_name(e)));
    words.dedup();
    join_or(&words)
}

fn is_name(e: &str) -> bool {
    matches!(e, "Ident" | "\"lower\"" | "\"upper\"" | "\"offset\"" | "\"multiplier\"" | "\"T\"")
}

/// Every type keyword, as written.
pub const TYPE_KEYWORDS: [&str; 21] = [
    "int",
    "real",
    "complex",
    "vector",
    "row_vector",
    "matrix",
    "complex_vector",
    "complex_row_vector",
    "complex_matrix",
    "simplex",
    "ordered",
    "positive_ordered",
    "unit_vector",
    "sum_to_zero_vector",
    "sum_to_zero_matrix",
    "cholesky_factor_corr",
    "cholesky_factor_cov",
    "corr_matrix",
    "cov_matrix",
    "column_stochastic_matrix",
    "row_stochastic_matrix",
];

/// How one terminal of the grammar is named in a message.
fn terminal_name(terminal: &str) -> String {
    match terminal {
        "Ident" => "an identifier".to_string(),
        "IntLit" => "an integer".to_string(),
        "RealLit" | "DotInt" => "a number".to_string(),
        "ImagLit" => "an imaginary number".to_string(),
        "StrLit" => "a string".to_string(),
        quoted => {
            // Terminals are written as Rust string literals in the grammar: `"\";\""`.
            let inner = quoted.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(quoted);
            format!("`{}`", inner.replace("\\\\", "\\"))
        }
    }
}

/// "a", "a or b", "a, b or c"; long lists are cut after five items.
fn join_or(words: &[String]) -> String {
    const MAX: usize = 5;
    match words {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        _ if words.len() > MAX => format!("{}, …", words[..MAX].join(", ")),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// Habits from other languages
//
// LALRPOP reports where the parse failed and what could have come there. For the common
// mistakes below that is far from the cause or says nothing useful, so the tokens around the
// failure are inspected and, when they match the mistake, the error is replaced by one that
// names it and shows the Stan spelling.

/// What the translation of a syntax error can look at besides the error itself.
struct Context<'a, 'src> {
    source: &'a str,
    tokens: &'a [Spanned<'src>],
    comments: &'a [Comment],
}

impl<'src> Context<'_, 'src> {
    /// The index of the token that starts at `offset` (or of the first one after it).
    fn index_of(&self, offset: usize) -> usize {
        self.tokens.partition_point(|(start, _, _)| *start < offset)
    }

    fn tok(&self, i: usize) -> Option<&Tok<'src>> {
        self.tokens.get(i).map(|(_, tok, _)| tok)
    }

    fn span(&self, i: usize) -> Span {
        let (start, _, end) = self.tokens[i];
        Span::new(start, end)
    }

    fn text(&self, span: Span) -> &str {
        &self.source[span.range()]
    }

    /// Whether token `i` starts right where token `i - 1` ends.
    fn adjacent(&self, i: usize) -> bool {
        i > 0 && i < self.tokens.len() && self.tokens[i - 1].2 == self.tokens[i].0
    }

    /// The first token of the statement that token `i` belongs to: the one after the last
    /// `;`, `{` or `}` before it.
    fn statement_start(&self, i: usize) -> usize {
        self.tokens[..i.min(self.tokens.len())]
            .iter()
            .rposition(|(_, tok, _)| matches!(tok, Tok::Semi | Tok::LBrace | Tok::RBrace))
            .map_or(0, |j| j + 1)
    }

    /// The `)`, `]` or `}` that closes the bracket at `open`, if the file has it.
    fn closing(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (j, (_, tok, _)) in self.tokens.iter().enumerate().skip(open) {
            match tok {
                Tok::LParen | Tok::LBracket | Tok::LBrace => depth += 1,
                Tok::RParen | Tok::RBracket | Tok::RBrace => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(j);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The unclosed `(` that token `i` is inside of, within its statement.
    fn enclosing_paren(&self, i: usize) -> Option<usize> {
        let mut depth = 0usize;
        for j in (self.statement_start(i)..i).rev() {
            match self.tokens[j].1 {
                Tok::RParen | Tok::RBracket => depth += 1,
                Tok::LParen | Tok::LBracket if depth > 0 => depth -= 1,
                Tok::LParen => return Some(j),
                _ => {}
            }
        }
        None
    }

    /// The source text of the parenthesised group opened at `open`, with the token `i` in it
    /// replaced by `replacement`, when the group is closed on the same line.
    fn group_with(&self, open: usize, i: usize, replacement: &str) -> Option<String> {
        let close = self.closing(open)?;
        let (start, end) = (self.span(open).start as usize, self.span(close).end as usize);
        let span = self.span(i);
        let text = format!(
            "{}{replacement}{}",
            &self.source[start..span.start as usize],
            &self.source[span.end as usize..end]
        );
        (!text.contains('\n')).then_some(text)
    }

    /// The text of token `i` when it is a name or a number, which can stand for an operand
    /// in a hint.
    fn operand(&self, i: usize) -> Option<&str> {
        match self.tok(i)? {
            Tok::Ident(text) | Tok::IntLit(text) | Tok::RealLit(text) => Some(text),
            _ => None,
        }
    }
}

/// A diagnostic for a mistake that comes from another language's syntax, when the tokens
/// around the error at token `at` show one.
fn foreign_syntax(context: &Context<'_, '_>, at: usize, expected: &[String]) -> Option<Diagnostic> {
    let expects = |name: &str| expected.iter().any(|e| e == name);
    let tok = context.tok(at)?;
    let span = context.span(at);
    let previous = at.checked_sub(1).and_then(|i| context.tok(i));
    let start = context.statement_start(at);

    // `x > 0 and x < 1`
    if let Tok::Ident(word @ ("and" | "or")) = tok
        && expects("\"&&\"")
    {
        let (op, meaning) = if *word == "and" { ("&&", "logical and") } else { ("||", "logical or") };
        let example = context.enclosing_paren(at).and_then(|open| {
            let group = context.group_with(open, at, op)?;
            Some(match open.checked_sub(1).and_then(|k| context.tok(k)) {
                Some(keyword @ (Tok::If | Tok::While)) => format!("{keyword} {group}"),
                _ => group,
            })
        });
        let hint = match example {
            Some(example) => format!("{meaning} is written `{op}`: `{example}`"),
            None => format!("{meaning} is written `{op}`, as in `a {op} b`"),
        };
        return Some(
            Diagnostic::error("E0019", span, format!("`{word}` is not an operator in Stan"))
                .with_label(format!("Stan writes `{op}`"))
                .with_hint(hint),
        );
    }

    // `x ** 2`
    if *tok == Tok::Star && previous == Some(&Tok::Star) && context.adjacent(at) {
        let stars = context.span(at - 1).to(span);
        let hint = match (context.operand(at.wrapping_sub(2)), context.operand(at + 1)) {
            (Some(base), Some(exponent)) => format!("powers are written with `^`: `{base} ^ {exponent}`"),
            _ => "powers are written with `^`, as in `x ^ 2`".to_string(),
        };
        return Some(
            Diagnostic::error("E0019", stars, "`**` is not an operator in Stan")
                .with_label("power written with `**`")
                .with_hint(hint),
        );
    }

    // `2mu`
    if let (Tok::Ident(name), Some(Tok::IntLit(number) | Tok::RealLit(number))) = (tok, previous)
        && context.adjacent(at)
        && expects("\"*\"")
    {
        return Some(
            Diagnostic::error("E0019", context.span(at - 1).to(span), "a number followed by a name is not a product")
                .with_label("no operator between them")
                .with_hint(format!("Stan has no implicit multiplication: write `{number} * {name}`")),
        );
    }

    // `i++;`
    if matches!(tok, Tok::Semi | Tok::RParen)
        && at >= 2
        && let Some(op @ (Tok::Plus | Tok::Minus)) = previous
        && context.tok(at - 2) == Some(op)
        && context.adjacent(at - 1)
    {
        let ops = context.span(at - 2).to(context.span(at - 1));
        let (twice, compound) = if *op == Tok::Plus { ("++", "+=") } else { ("--", "-=") };
        // The incremented variable: the statement before the operator (`x[2]++;`), or inside
        // parentheses (`for (...; i++)`) the name just before it.
        let statement = &context.source[context.tokens.get(start).map_or(0, |t| t.0)..ops.start as usize];
        let target = match tok {
            Tok::Semi if start < at - 2 && !statement.contains('\n') => Some(statement.trim()),
            _ => context.operand(at.wrapping_sub(3)),
        };
        let hint = format!("write `{} {compound} 1;`", target.unwrap_or("i"));
        return Some(
            Diagnostic::error("E0019", ops, format!("Stan has no `{twice}` operator"))
                .with_label(if twice == "++" { "increment" } else { "decrement" })
                .with_hint(hint),
        );
    }

    // `} elif (x > 0) {`: read as a call to a function `elif`.
    if let Some(Tok::Ident(word @ ("elif" | "elsif" | "elseif"))) = context.tok(start)
        && context.tok(start + 1) == Some(&Tok::LParen)
        && at > start
    {
        let condition =
            context.closing(start + 1).map(|close| context.text(context.span(start + 1).to(context.span(close))));
        let hint = match condition {
            Some(condition) if !condition.contains('\n') => format!("write `else if`: `}} else if {condition} {{`"),
            _ => "write `else if (...)`".to_string(),
        };
        return Some(
            Diagnostic::error("E0019", context.span(start), format!("`{word}` is not a Stan keyword"))
                .with_label("Stan writes `else if`")
                .with_hint(hint),
        );
    }

    // `do { ... } while (cond);`
    if let Some(Tok::Ident("do")) = context.tok(start)
        && at == start + 1
        && *tok == Tok::LBrace
    {
        // The condition after the body, to show the loop as Stan writes it.
        let condition = context
            .closing(at)
            .filter(|&close| {
                context.tok(close + 1) == Some(&Tok::While) && context.tok(close + 2) == Some(&Tok::LParen)
            })
            .and_then(|close| context.closing(close + 2).map(|end| context.span(close + 2).to(context.span(end))))
            .map(|span| context.text(span))
            .filter(|text| !text.contains('\n'))
            .unwrap_or("(condition)");
        return Some(
            Diagnostic::error("E0019", context.span(start), "Stan has no `do ... while` loop")
                .with_label("`do` is not a Stan keyword")
                .with_hint(format!(
                    "Stan only has `while {condition} {{ ... }}`, which tests the condition before each pass; to \
                     run the body at least once, make the condition true on entry"
                )),
        );
    }

    // `T(0, )`
    if *tok == Tok::LParen && previous == Some(&Tok::Truncate) && expects("\"[\"") {
        let close = context.closing(at);
        let whole = close.map_or(span, |close| context.span(at - 1).to(context.span(close)));
        let hint = match close {
            Some(close) if !context.text(whole).contains('\n') => {
                let bounds = &context.source[span.end as usize..context.span(close).start as usize];
                format!("write `T[{bounds}]`")
            }
            _ => "write `T[lower, upper]`; either bound may be left out, as in `T[0, ]`".to_string(),
        };
        return Some(
            Diagnostic::error("E0002", whole, "truncation bounds are written in square brackets")
                .with_label("truncation with parentheses")
                .with_hint(hint),
        );
    }

    // `print('mu = ', mu)`: `'` is the transposition operator.
    if *tok == Tok::Quote && expects("IntLit") {
        let line_end =
            context.source[span.end as usize..].find('\n').map_or(context.source.len(), |n| n + span.end as usize);
        let close = (at + 1..context.tokens.len())
            .take_while(|&j| (context.tokens[j].0) < line_end)
            .find(|&j| context.tokens[j].1 == Tok::Quote);
        let (whole, hint) = match close {
            Some(close) => {
                let whole = span.to(context.span(close));
                let inner = &context.source[span.end as usize..whole.end as usize - 1];
                (whole, format!("write `\"{inner}\"`"))
            }
            None => (span, "write strings in double quotes, as in `\"text\"`".to_string()),
        };
        return Some(
            Diagnostic::error("E0021", whole, "strings are written in double quotes")
                .with_label("single-quoted string")
                .with_hint(hint),
        );
    }

    // `if (K = 1)`
    if *tok == Tok::Assign
        && expects("\")\"")
        && let Some(open) = context.enclosing_paren(at)
        && let Some(keyword @ (Tok::If | Tok::While)) = open.checked_sub(1).and_then(|k| context.tok(k))
    {
        let hint = match context.group_with(open, at, "==") {
            Some(condition) => format!("to compare, write `==`: `{keyword} {condition}`"),
            None => "to compare, write `==`".to_string(),
        };
        return Some(
            Diagnostic::error("E0002", span, "a condition cannot contain an assignment")
                .with_label("`=` assigns")
                .with_hint(hint),
        );
    }

    // `print(target)`
    if previous == Some(&Tok::Target) && expects("\"(\"") && !expects("\"+=\"") {
        return Some(
            Diagnostic::error("E0002", context.span(at - 1), "`target` is not a variable")
                .with_label("the log density so far is `target()`")
                .with_hint("write `target()` to read the accumulated log density"),
        );
    }

    // `vector[N]<lower=0> v;` and `real x<lower=0>;`
    if *tok == Tok::Lt
        && let Some(diagnostic) = misplaced_constraint(context, at, start)
    {
        return Some(diagnostic);
    }

    unknown_type(context, at, start, expects("\"real\""))
}

/// A constraint `<...>` after the size or after the name of a declaration, at token `at`.
fn misplaced_constraint(context: &Context<'_, '_>, at: usize, start: usize) -> Option<Diagnostic> {
    let starts_decl =
        |tok: &Tok<'_>| matches!(tok, Tok::Array | Tok::Tuple) || TYPE_KEYWORDS.contains(&&*tok.to_string());
    if !starts_decl(context.tok(start)?) {
        return None;
    }
    let after_size = context.tok(at - 1) == Some(&Tok::RBracket);
    let after_name = matches!(context.tok(at - 1), Some(Tok::Ident(_)))
        && at >= 2
        && (context.tok(at - 2) == Some(&Tok::RBracket)
            || context.tok(at - 2).is_some_and(|t| TYPE_KEYWORDS.contains(&&*t.to_string())));
    if !after_size && !after_name {
        return None;
    }
    // The last type keyword before the `<`: the constraint belongs right after it.
    let keyword =
        (start..at).rev().find(|&j| context.tok(j).is_some_and(|t| TYPE_KEYWORDS.contains(&&*t.to_string())))?;
    let mut depth = 0usize;
    let mut close = None;
    for j in at + 1..context.tokens.len() {
        match context.tokens[j].1 {
            Tok::LParen | Tok::LBracket => depth += 1,
            Tok::RParen | Tok::RBracket => depth = depth.saturating_sub(1),
            Tok::Gt if depth == 0 => {
                close = Some(j);
                break;
            }
            Tok::Semi | Tok::LBrace | Tok::RBrace => break,
            _ => {}
        }
    }
    let constraint = context.span(at).to(context.span(close?));
    let semi = (close? + 1..context.tokens.len())
        .find(|&j| matches!(context.tokens[j].1, Tok::Semi | Tok::LBrace | Tok::RBrace))?;
    let source = context.source;
    let keyword_end = context.span(keyword).end as usize;
    let fixed = format!(
        "{}{}{}{}",
        &source[context.span(start).start as usize..keyword_end],
        context.text(constraint),
        &source[keyword_end..constraint.start as usize],
        &source[constraint.end as usize..context.span(semi).end as usize],
    );
    let (message, label) = if after_size {
        ("a constraint must come before the size", "constraint after the size")
    } else {
        ("a constraint must come right after the type, before the name", "constraint after the name")
    };
    let hint = if fixed.contains('\n') {
        "write the constraint right after the type keyword, as in `vector<lower=0>[N] v;`".to_string()
    } else {
        format!("write the constraint right after the type keyword: `{fixed}`")
    };
    Some(Diagnostic::error("E0022", constraint, message).with_label(label).with_hint(hint))
}

/// A declaration that starts with a name that is not a type but looks like one: `float x;`,
/// `simplx[K] theta;`. In `data` and `parameters` the parser fails at the name itself
/// (`at == start`, where a type is expected); in the other blocks it reads `float` as an
/// expression and fails at the declared name.
fn unknown_type(context: &Context<'_, '_>, at: usize, start: usize, type_expected: bool) -> Option<Diagnostic> {
    let Some(Tok::Ident(word)) = context.tok(start) else {
        return None;
    };
    let declared_name = matches!(context.tok(at), Some(Tok::Ident(_)))
        && (at == start + 1
            || (at > start + 1
                && context.tok(start + 1) == Some(&Tok::LBracket)
                && context.closing(start + 1) == Some(at - 1)));
    let type_at_error = at == start && type_expected;
    if !type_at_error && !declared_name {
        return None;
    }
    let span = context.span(start);
    // The declaration with `word` replaced, when it is on one line.
    let fixed = |replacement: &str| {
        let semi = (start..context.tokens.len()).find(|&j| matches!(context.tokens[j].1, Tok::Semi | Tok::LBrace))?;
        let rest = &context.source[span.end as usize..context.span(semi).end as usize];
        (!rest.contains('\n') && context.tokens[semi].1 == Tok::Semi).then(|| format!(": `{replacement}{rest}`"))
    };
    let (message, hint) = match *word {
        "float" | "double" => (
            "is not a Stan type",
            format!("Stan's type for real numbers is `real`{}", fixed("real").unwrap_or_default()),
        ),
        "bool" | "boolean" => (
            "is not a Stan type",
            format!("Stan has no boolean type; use `int`, with 0 for false{}", fixed("int").unwrap_or_default()),
        ),
        "integer" | "long" => {
            ("is not a Stan type", format!("Stan's integer type is `int`{}", fixed("int").unwrap_or_default()))
        }
        _ => {
            let candidates = TYPE_KEYWORDS.iter().chain(&["array", "tuple"]).copied();
            ("is not a type", format!("did you mean `{}`?", closest(word, candidates)?))
        }
    };
    Some(Diagnostic::error("E0023", span, format!("`{word}` {message}")).with_label("unknown type").with_hint(hint))
}

/// `real<lowr=0>`: the constraint key that the identifier at the error is a misspelling of.
fn misspelled_constraint_key(tok: &Tok<'_>, expected: &[String]) -> Option<&'static str> {
    let Tok::Ident(word) = tok else {
        return None;
    };
    if !expected.iter().any(|e| e == "\"lower\"") || expected.iter().any(|e| e == "IntLit") {
        return None;
    }
    closest(word, ["lower", "upper", "offset", "multiplier"].into_iter())
}

/// The candidate nearest to `word`, if it is near enough to be a typo of it: one edit for
/// words of up to four letters, two for longer ones.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .map(|c| (edit_distance(&word.to_lowercase(), c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, with swapping two neighbouring characters counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// `(N // 2);`: in Python `//` divides integers, in Stan it starts a comment, so the rest of
/// the line is gone and the parser fails later, often on the next line. When a line comment
/// inside the failed statement comes right after an operand and reads like the rest of the
/// statement (it ends with `;`, `)` or `{`), the error is moved to the `//`.
fn cut_by_comment(context: &Context<'_, '_>, diagnostic: Diagnostic) -> Diagnostic {
    if diagnostic.code != "E0002" {
        return diagnostic;
    }
    let error = diagnostic.span.start as usize;
    let at = context.index_of(error);
    let statement = context.tokens.get(context.statement_start(at)).map_or(0, |t| t.0);
    let source = context.source;
    let cut = context.comments.iter().find(|c| {
        let body = c.text.strip_prefix("//").unwrap_or("").trim();
        let start = c.span.start as usize;
        c.trailing
            && (statement..error).contains(&start)
            && source[..start]
                .trim_end()
                .ends_with(|ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '_' | ')' | ']'))
            && body.starts_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '(')
            && body.ends_with([';', ')', '{'])
    });
    let Some(comment) = cut else {
        return diagnostic;
    };
    let slashes = Span::new(comment.span.start as usize, comment.span.start as usize + 2);
    let left = source[..slashes.start as usize].trim_end();
    let left: &str = &left[left.rfind(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).map_or(0, |i| i + 1)..];
    let body = comment.text[2..].trim_start();
    let right: &str =
        &body[..body.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.')).unwrap_or(body.len())];
    let example =
        if left.is_empty() || right.is_empty() { "`a %/% b`".to_string() } else { format!("`{left} %/% {right}`") };
    Diagnostic::error("E0019", slashes, "`//` starts a comment in Stan; the rest of this line is ignored")
        .with_label("comment starts here")
        .with_secondary(diagnostic.span, diagnostic.message)
        .with_hint(format!("integer division is written `%/%`: {example}"))
}
