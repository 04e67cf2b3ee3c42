//! Front-end tests: formatter snapshots, precedence, diagnostics, spans, round trips and
//! robustness on malformed input.

use grammar::ast::*;
use grammar::span::line_col;
use grammar::{Diagnostic, parse};
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A plain-text rendering of diagnostics: code, message, position, the source line with a
/// caret underline, label and hint.
fn render(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = line_col(source, d.span.start);
        out.push_str(&format!("{}: {}\n  --> {line}:{col}\n", d.code, d.message));
        let text = source.lines().nth(line - 1).unwrap_or("");
        let width = (d.span.end - d.span.start).max(1) as usize;
        let width = width.min(text.len().saturating_sub(col - 1).max(1));
        out.push_str(&format!("   | {text}\n   | {}{} {}\n", " ".repeat(col - 1), "^".repeat(width), d.label));
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  hint: {hint}\n"));
        }
    }
    out
}

fn format_source(source: &str) -> String {
    match parse(source) {
        Ok(program) => program.to_string(),
        Err(diagnostics) => panic!("parse failed:\n{}\n{source}", render(source, &diagnostics)),
    }
}

/// Formats `source`, checks that formatting the output again changes nothing, and returns it.
fn format_idempotent(source: &str) -> String {
    let once = format_source(source);
    let twice = format_source(&once);
    assert_eq!(once, twice, "formatting is not idempotent");
    once
}

fn stan_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(dir).map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "stan"));
    files.sort();
    files
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The expression `e` in `model { x = e; }`.
fn parse_expr(e: &str) -> Expr {
    let src = format!("model {{ x = {e}; }}");
    let program = parse(&src).unwrap_or_else(|d| panic!("{}", render(&src, &d)));
    match program.model.unwrap().stmts.remove(0).kind {
        StmtKind::Assign { rhs, .. } => rhs,
        other => panic!("not an assignment: {other:?}"),
    }
}

/// A fully parenthesised rendering that shows the tree's shape.
fn sexpr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Real(_, t) | ExprKind::Imag(_, t) => t.clone(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Var(id) => id.name.clone(),
        ExprKind::Unary { op, operand } => format!("({op:?} {})", sexpr(operand)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), sexpr(lhs), sexpr(rhs))
        }
        ExprKind::Cond { cond, then, otherwise } => {
            format!("(?: {} {} {})", sexpr(cond), sexpr(then), sexpr(otherwise))
        }
        ExprKind::Call { name, args, bar } => {
            let args: Vec<String> = args.iter().map(sexpr).collect();
            format!("(call{} {} {})", if bar.is_some() { "|" } else { "" }, name.name, args.join(" "))
        }
        ExprKind::Index { base, indices } => {
            let ix: Vec<String> = indices
                .iter()
                .map(|i| match i {
                    Index::Single(e) => sexpr(e),
                    Index::All(_) => ":".to_string(),
                    Index::Range { lo, hi, .. } => format!(
                        "{}:{}",
                        lo.as_ref().map_or(String::new(), sexpr),
                        hi.as_ref().map_or(String::new(), sexpr)
                    ),
                })
                .collect();
            format!("(index {} [{}])", sexpr(base), ix.join(", "))
        }
        ExprKind::ArrayLit(es) => {
            format!("{{{}}}", es.iter().map(sexpr).collect::<Vec<_>>().join(" "))
        }
        ExprKind::RowVectorLit(es) => {
            format!("[{}]", es.iter().map(sexpr).collect::<Vec<_>>().join(" "))
        }
        ExprKind::TupleLit(es) => format!("(tuple {})", es.iter().map(sexpr).collect::<Vec<_>>().join(" ")),
        ExprKind::TupleGet { base, index } => format!("(get {} {index})", sexpr(base)),
        ExprKind::Paren(inner) => format!("(paren {})", sexpr(inner)),
    }
}

// ---------------------------------------------------------------------------------------------
// Formatter snapshots

#[test]
fn formatted_programs() {
    let files = stan_files(&manifest_dir().join("tests/programs"));
    assert!(!files.is_empty());
    for path in files {
        let source = fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let formatted = format_idempotent(&source);
        insta::assert_snapshot!(format!("format_{name}"), formatted);
    }
}

/// Every model the other teams use must survive parse → print → parse unchanged.
#[test]
fn peer_models_round_trip() {
    let dir = manifest_dir().join("../../shared/peers/models");
    if !dir.is_dir() {
        return;
    }
    for path in stan_files(&dir) {
        let source = fs::read_to_string(&path).unwrap();
        let once = format_source(&source);
        let twice = format_source(&once);
        assert_eq!(once, twice, "{} does not round-trip", path.display());
        // The printed program must mean the same: equal ASTs once spans are ignored.
        let a = strip(&parse(&source).unwrap());
        let b = strip(&parse(&once).unwrap());
        assert_eq!(a, b, "{} changes meaning when printed", path.display());
    }
}

/// The AST's printout with spans and comments removed, for comparing meaning.
fn strip(program: &Program) -> String {
    let p = Program { comments: Vec::new(), blank_lines: Vec::new(), ..program.clone() };
    let debug = format!("{p:?}");
    // Remove every `span: Span { start: .., end: .. }` so positions do not matter.
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        let close = rest[i..].find('}').unwrap();
        rest = &rest[i + close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn printing_keeps_meaning_of_test_programs() {
    for path in stan_files(&manifest_dir().join("tests/programs")) {
        let source = fs::read_to_string(&path).unwrap();
        let printed = format_source(&source);
        assert_eq!(strip(&parse(&source).unwrap()), strip(&parse(&printed).unwrap()), "{}", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// Precedence

#[test]
fn precedence() {
    let cases = [
        "-a^b",
        "a ? b : c ? d : e",
        "a - b - c",
        "x'*y",
        "a .* b ./ c",
        "a^b^c",
        "a^-b",
        "-a'",
        "a + b * c",
        "a * b \\ c",
        "a * b %/% c",
        "a || b && c == d < e + f",
        "!a && b",
        "a < b == c > d",
        "(a + b) * c",
        "x[1, 2:3, :, 4:, :5, ]",
        "x[i][j]'",
        "f(a | b, c)",
        "f(y | )",
        "t.1.2",
        "(1, 2.5).2",
        "{1, 2}[1]",
        "[1, 2]'",
        ".5 + 1. + 1e-3 + 2E+5 + 2i + 1.5i",
        "a ? b || c : d ? e : f",
        "-2^2",
        "target()",
        "lower + upper * T",
        "x[a ? b : c : d]",
        "a ? b : c || d",
        "!a'",
        "a % b .* c / d",
        "x[:][1:]",
    ];
    let mut out = String::new();
    for case in cases {
        let e = parse_expr(case);
        out.push_str(&format!("{case}  =>  {}  =>  {e}\n", sexpr(&e)));
    }
    insta::assert_snapshot!("precedence", out);
}

#[test]
fn unary_minus_pow_ast() {
    insta::assert_debug_snapshot!("neg_pow_ast", parse_expr("-a^b"));
}

// ---------------------------------------------------------------------------------------------
// Spans

/// Checks every expression's span against the source text it should cover.
fn check_expr_spans(src: &str, e: &Expr) {
    let text = &src[e.span.range()];
    match &e.kind {
        ExprKind::Var(id) => assert_eq!(text, id.name),
        ExprKind::Int(v) => assert_eq!(text.parse::<i64>().unwrap(), *v),
        ExprKind::Real(_, t) | ExprKind::Imag(_, t) => assert_eq!(text, t),
        ExprKind::Paren(inner) => {
            assert!(text.starts_with('(') && text.ends_with(')'), "{text}");
            check_expr_spans(src, inner);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            assert_eq!((e.span.start, e.span.end), (lhs.span.start, rhs.span.end));
            check_expr_spans(src, lhs);
            check_expr_spans(src, rhs);
        }
        ExprKind::Unary { op, operand } => {
            if *op == UnOp::Transpose {
                assert!(text.ends_with('\''), "{text}");
            }
            check_expr_spans(src, operand);
        }
        ExprKind::Call { name, args, .. } => {
            assert!(text.starts_with(&name.name) && text.ends_with(')'), "{text}");
            assert_eq!(&src[name.span.range()], name.name);
            args.iter().for_each(|a| check_expr_spans(src, a));
        }
        ExprKind::Index { base, indices } => {
            assert!(text.ends_with(']'), "{text}");
            assert_eq!(e.span.start, base.span.start);
            check_expr_spans(src, base);
            for i in indices {
                match i {
                    Index::Single(e) => check_expr_spans(src, e),
                    Index::Range { lo, hi, span } => {
                        assert!(src[span.range()].contains(':'));
                        lo.iter().chain(hi).for_each(|e| check_expr_spans(src, e));
                    }
                    Index::All(_) => {}
                }
            }
        }
        ExprKind::Cond { cond, then, otherwise } => {
            assert_eq!((e.span.start, e.span.end), (cond.span.start, otherwise.span.end));
            [cond, then, otherwise].iter().for_each(|e| check_expr_spans(src, e));
        }
        ExprKind::ArrayLit(es) | ExprKind::RowVectorLit(es) | ExprKind::TupleLit(es) => {
            es.iter().for_each(|e| check_expr_spans(src, e));
        }
        ExprKind::TupleGet { base, index } => {
            assert!(text.ends_with(&format!(".{index}")), "{text}");
            check_expr_spans(src, base);
        }
        ExprKind::Str(s) => assert_eq!(text, format!("\"{s}\"")),
    }
}

fn check_stmt_spans(src: &str, s: &Stmt) {
    let text = &src[s.span.range()];
    assert!(text.ends_with(';') || text.ends_with('}'), "statement span `{text}`");
    match &s.kind {
        StmtKind::Decl(d) => {
            assert_eq!(&src[d.name.span.range()], d.name.name);
            d.ty.array_dims.iter().chain(&d.ty.sizes).chain(&d.init).for_each(|e| check_expr_spans(src, e));
        }
        StmtKind::Assign { lhs, rhs, .. } => {
            check_expr_spans(src, lhs);
            check_expr_spans(src, rhs);
        }
        StmtKind::Tilde { lhs, args, .. } => {
            check_expr_spans(src, lhs);
            args.iter().for_each(|a| check_expr_spans(src, a));
        }
        StmtKind::TargetPlus(e) | StmtKind::JacobianPlus(e) | StmtKind::Call(e) => check_expr_spans(src, e),
        StmtKind::For { lo, hi, body, .. } => {
            check_expr_spans(src, lo);
            check_expr_spans(src, hi);
            check_stmt_spans(src, body);
        }
        StmtKind::ForEach { container, body, .. } => {
            check_expr_spans(src, container);
            check_stmt_spans(src, body);
        }
        StmtKind::While { cond, body } => {
            check_expr_spans(src, cond);
            check_stmt_spans(src, body);
        }
        StmtKind::If { cond, then, otherwise } => {
            check_expr_spans(src, cond);
            check_stmt_spans(src, then);
            otherwise.iter().for_each(|o| check_stmt_spans(src, o));
        }
        StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => {
            stmts.iter().for_each(|s| check_stmt_spans(src, s));
        }
        StmtKind::FunDef(def) => {
            assert_eq!(&src[def.name.span.range()], def.name.name);
            def.body.iter().for_each(|b| check_stmt_spans(src, b));
        }
        StmtKind::Print(args) | StmtKind::Reject(args) | StmtKind::FatalError(args) => {
            args.iter().for_each(|a| check_expr_spans(src, a));
        }
        _ => {}
    }
}

#[test]
fn spans_are_exact() {
    for path in stan_files(&manifest_dir().join("tests/programs")) {
        let src = fs::read_to_string(&path).unwrap();
        let program = parse(&src).unwrap();
        for block in program.blocks() {
            assert!(src[block.span.range()].ends_with('}'));
            block.stmts.iter().for_each(|s| check_stmt_spans(&src, s));
        }
        for c in &program.comments {
            assert_eq!(&src[c.span.range()].trim_end(), &c.text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

#[test]
fn syntax_error_diagnostics() {
    let cases: &[(&str, &str)] = &[
        ("missing_semicolon", "model {\n  x = 1\n}\n"),
        ("missing_semicolon_before_statement", "model {\n  x = 1\n  y = 2;\n}\n"),
        ("unexpected_eof", "model {\n  x ~ normal(0, 1);\n"),
        ("arrow_assignment", "transformed data {\n  real x;\n  x <- 3;\n}\n"),
        ("increment_log_prob", "model {\n  increment_log_prob(normal_lpdf(y | 0, 1));\n}\n"),
        ("old_array_syntax", "data {\n  int N;\n  real y[N];\n}\n"),
        ("old_unsized_array", "functions {\n  real f(real[] x) {\n    return 1;\n  }\n}\n"),
        ("hash_comment", "data {\n  int N; # the size\n}\n"),
        ("bad_character", "model {\n  x = 1 @ 2;\n}\n"),
        ("integer_overflow", "transformed data {\n  int n = 3000000000;\n}\n"),
        ("blocks_out_of_order", "model {\n}\ndata {\n}\n"),
        ("expression_statement", "model {\n  x == 1;\n}\n"),
        ("assign_to_call", "model {\n  f(x) = 1;\n}\n"),
        ("bound_needs_parentheses", "data {\n  real<lower=a < b> x;\n}\n"),
        ("matrix_one_size", "data {\n  matrix[3] m;\n}\n"),
        ("constraint_on_simplex", "parameters {\n  simplex<lower=0>[3] s;\n}\n"),
        ("mixed_constraints", "parameters {\n  real<lower=0, offset=1> s;\n}\n"),
        ("data_initial_value", "data {\n  real x = 1;\n}\n"),
        ("unterminated_comment", "model {\n  /* no end\n}\n"),
        ("unterminated_string", "model {\n  print(\"abc);\n}\n"),
        ("missing_paren", "model {\n  for (i in 1:N {\n  }\n}\n"),
        ("keyword_as_name", "data {\n  real for;\n}\n"),
        ("tuple_index_zero", "model {\n  x = t.0;\n}\n"),
        ("get_lp", "model {\n  print(get_lp());\n}\n"),
        ("statement_in_data", "data {\n  int N;\n  N = 3;\n}\n"),
        ("include", "#include foo.stan\nmodel {\n}\n"),
        ("garbage", "}}} ))) model"),
        ("missing_operand", "model {\n  x = 1 + ;\n}\n"),
        ("missing_declaration_semicolon", "data {\n  real x\n  real y;\n}\n"),
        ("unclosed_call", "model {\n  y ~ normal(0, 1;\n}\n"),
        ("else_without_if", "model {\n  else x = 1;\n}\n"),
        ("leading_underscore", "data {\n  real _x;\n}\n"),
        ("several_errors", "model {\n  x = 1\n  y = ;\n  z ~ normal(0, 1;\n  w = 4;\n}\n"),
        ("error_in_data_then_model", "data {\n  int N\n}\nmodel {\n  x = ;\n}\n"),
        ("constrained_param_type", "functions {\n  real f(simplex x) {\n    return 1;\n  }\n}\n"),
    ];
    let mut out = String::new();
    for (name, source) in cases {
        let diagnostics = parse(source).expect_err(name);
        out.push_str(&format!("=== {name}\n{}\n", render(source, &diagnostics)));
    }
    insta::assert_snapshot!("syntax_errors", out);
}

// ---------------------------------------------------------------------------------------------
// Robustness

/// Every prefix and a batch of deterministic mutations of the test programs must give `Ok`
/// or `Err`, never a panic, and every diagnostic span must lie on character boundaries.
#[test]
fn never_panics() {
    let mut sources = Vec::new();
    for path in stan_files(&manifest_dir().join("tests/programs")) {
        sources.push(fs::read_to_string(&path).unwrap());
    }
    let check = |src: &str| {
        if let Err(diagnostics) = parse(src) {
            assert!(!diagnostics.is_empty());
            for d in diagnostics {
                assert!(d.span.start <= d.span.end && d.span.end as usize <= src.len(), "{d:?}");
                assert!(src.is_char_boundary(d.span.start as usize) && src.is_char_boundary(d.span.end as usize));
                let _ = line_col(src, d.span.start);
            }
        }
    };
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<char> = "{}()[]<>;,=+-*/.^'|~:?!&\"#@é0123456789 \nTaxlowerint".chars().collect();
    for src in &sources {
        for end in (0..src.len()).filter(|&i| src.is_char_boundary(i)) {
            check(&src[..end]);
        }
        for _ in 0..300 {
            let mut chars: Vec<char> = src.chars().collect();
            for _ in 0..3 {
                let pos = (next() as usize) % chars.len();
                match next() % 3 {
                    0 => {
                        chars.remove(pos);
                    }
                    1 => chars.insert(pos, alphabet[(next() as usize) % alphabet.len()]),
                    _ => chars[pos] = alphabet[(next() as usize) % alphabet.len()],
                }
            }
            check(&chars.into_iter().collect::<String>());
        }
    }
    check("");
    check("99999999999999999999999999");
    check("model { x = 99999999999999999999999999; }");
    check("model { x = t.99999999999999999999999; }");
}

#[test]
fn empty_program() {
    let program = parse("").unwrap();
    assert_eq!(program, Program::default());
    assert_eq!(program.to_string(), "");
    let only_comment = parse("// nothing here\n").unwrap();
    assert_eq!(only_comment.to_string(), "// nothing here\n");
}

#[test]
fn soft_keywords_are_names() {
    let src = "data {\n  real lower;\n  real upper;\n  real offset;\n  real multiplier;\n  int T;\n}\nmodel {\n  y ~ normal(lower, upper) T[offset, multiplier * T];\n  jacobian += 1;\n}\n";
    let program = parse(src).unwrap();
    assert_eq!(program.to_string(), src);
    let model = program.model.unwrap();
    assert!(matches!(model.stmts[1].kind, StmtKind::JacobianPlus(_)));
}
