//! Syntax errors from habits brought from other languages (`and`, `**`, `elif`, `1..N`, …)
//! get a precise message and a hint, at the right place. The programs are in
//! `tests/syntax_hints/`; the first line of each says the mistake.

use grammar::span::line_col;
use grammar::{Diagnostic, parse};
use std::fs;
use std::path::PathBuf;

fn diagnostics(file: &str) -> (String, Vec<Diagnostic>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/syntax_hints").join(file);
    let source = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let diagnostics = parse(&source).expect_err(file);
    (source, diagnostics)
}

fn show(source: &str, d: &Diagnostic) -> String {
    let (line, col) = line_col(source, d.span.start);
    format!(
        "{} {line}:{col} [{}] {} | label: {} | hint: {}",
        d.code,
        &source[d.span.range()],
        d.message,
        d.label,
        d.hint.as_deref().unwrap_or("-")
    )
}

/// One line of the table: the file, the code, a piece of the message or hint, and the line of
/// the primary span.
struct Case {
    file: &'static str,
    code: &'static str,
    text: &'static str,
    line: usize,
}

const fn case(file: &'static str, code: &'static str, text: &'static str, line: usize) -> Case {
    Case { file, code, text, line }
}

const CASES: &[Case] = &[
    case("and_keyword.stan", "E0019", "`if (x > 0 && x < 1)`", 9),
    case("or_keyword.stan", "E0019", "`if (x < 0 || x > 1)`", 9),
    case("double_star_power.stan", "E0019", "`x ^ 2`", 9),
    case("implicit_multiplication.stan", "E0019", "`2 * mu`", 9),
    case("increment_operator.stan", "E0019", "`i += 1;`", 5),
    case("elif_keyword.stan", "E0019", "`} else if (x > 0) {`", 11),
    case("elsif_keyword.stan", "E0019", "`elsif` is not a Stan keyword", 11),
    case("do_while_loop.stan", "E0019", "`while (i < 10) { ... }`", 4),
    case("incomplete_exponent.stan", "E0020", "the exponent of this number has no digits", 6),
    case("incomplete_exponent.stan", "E0020", "`1e-3`", 6),
    case("dot_dot_range.stan", "E0019", "`1:N`", 10),
    case("truncation_parentheses.stan", "E0002", "`T[0, ]`", 9),
    case("single_quoted_string.stan", "E0021", "`\"mu = \"`", 6),
    case("assignment_in_condition.stan", "E0002", "`if (K == 1)`", 9),
    case("double_slash_division.stan", "E0019", "`N %/% 2`", 6),
    case("target_without_parentheses.stan", "E0002", "`target()`", 7),
    case("constraint_after_size.stan", "E0022", "`vector<lower=0>[N] sigma;`", 6),
    case("constraint_after_name.stan", "E0022", "`real<lower=0> sigma;`", 3),
    case("simplex_typo.stan", "E0023", "did you mean `simplex`?", 6),
    case("float_type.stan", "E0023", "`real x;`", 3),
    case("lower_typo.stan", "E0002", "did you mean `lower`?", 4),
];

fn line_of(source: &str, d: &Diagnostic) -> usize {
    line_col(source, d.span.start).0
}

/// The one diagnostic for `source`, which must have the given code, mention `text` in its
/// message or hint, and start on `line`.
fn check(name: &str, source: &str, diagnostics: &[Diagnostic], code: &str, text: &str, line: usize) {
    let shown: Vec<String> = diagnostics.iter().map(|d| show(source, d)).collect();
    assert_eq!(diagnostics.len(), 1, "{name}: one mistake, one diagnostic:\n{}", shown.join("\n"));
    let d = &diagnostics[0];
    assert_eq!(d.code, code, "{name}: {}", shown[0]);
    assert!(
        d.message.contains(text) || d.hint.as_deref().is_some_and(|h| h.contains(text)),
        "{name}: expected {text:?} in the message or hint: {}",
        shown[0]
    );
    assert_eq!(line_of(source, d), line, "{name}: {}", shown[0]);
}

#[test]
fn corpus_gets_hints() {
    for c in CASES {
        let (source, diagnostics) = diagnostics(c.file);
        check(c.file, &source, &diagnostics, c.code, c.text, c.line);
    }
}

/// Variants of the same mistakes, and look-alikes that must keep their old diagnostics.
#[test]
fn variants() {
    let cases: &[(&str, &str, &str, usize)] = &[
        ("model {\n  y = 1e-;\n}\n", "E0020", "`1e-3`", 2),
        ("model {\n  y = 2.5E+ * x;\n}\n", "E0020", "drop the `e`: `2.5`", 2),
        ("model {\n  y = 2exp(1);\n}\n", "E0019", "`2 * exp`", 2),
        ("model {\n  for (i in 1 .. N) {\n  }\n}\n", "E0019", "`1:N`", 2),
        ("model {\n  y = x[1..3];\n}\n", "E0019", "`1:3`", 2),
        ("transformed data {\n  int h = N // 2;\n}\n", "E0019", "`N %/% 2`", 2),
        ("model {\n  x = 1 // the mean\n  y = 2;\n}\n", "E0002", "expected `;`", 2),
        ("model {\n  b = x and y;\n}\n", "E0019", "`&&`", 2),
        ("model {\n  i--;\n}\n", "E0019", "`i -= 1;`", 2),
        ("model {\n  x[2]++;\n}\n", "E0019", "`x[2] += 1;`", 2),
        ("model {\n  f(n++);\n}\n", "E0019", "`n += 1;`", 2),
        ("data {\n  Real x;\n}\n", "E0023", "did you mean `real`?", 2),
        ("data {\n  double x;\n}\n", "E0023", "`real x;`", 2),
        ("model {\n  float x;\n}\n", "E0023", "`real x;`", 2),
        ("model {\n  simplx[K] theta;\n}\n", "E0023", "did you mean `simplex`?", 2),
        ("data {\n  foo x;\n}\n", "E0002", "expected a declaration", 2),
        ("model {\n  while (x = 1) {\n  }\n}\n", "E0002", "`while (x == 1)`", 2),
        ("data {\n  array[N] vector[K]<lower=0> v;\n}\n", "E0022", "`array[N] vector<lower=0>[K] v;`", 2),
        ("model {\n  y ~ normal(0, 1) T(, 5);\n}\n", "E0002", "`T[, 5]`", 2),
        ("model {\n  print(x, 'oops);\n}\n", "E0021", "double quotes", 2),
        ("model {\n  x = target + 1;\n}\n", "E0002", "`target()`", 2),
    ];
    for (source, code, text, line) in cases {
        let diagnostics = parse(source).expect_err(source);
        check(source, source, &diagnostics, code, text, *line);
    }
}

/// The new diagnostics replace one error each; recovery still reports a later, independent
/// mistake.
#[test]
fn recovery_goes_on_after_a_hint() {
    let source = "model {\n  if (x > 0 and x < 1) {\n  }\n  y = ;\n}\n";
    let diagnostics = parse(source).expect_err("two mistakes");
    let found: Vec<(&str, usize)> = diagnostics.iter().map(|d| (d.code, line_of(source, d))).collect();
    assert_eq!(found, [("E0019", 2), ("E0002", 4)]);

    let source = "model {\n  y = (N // 2);\n  z = ;\n}\n";
    let diagnostics = parse(source).expect_err("a cut statement");
    let found: Vec<(&str, usize)> = diagnostics.iter().map(|d| (d.code, line_of(source, d))).collect();
    assert_eq!(found, [("E0019", 2)]);

    let source = "model {\n  y = 1e;\n  z = ;\n}\n";
    let diagnostics = parse(source).expect_err("two mistakes");
    let found: Vec<(&str, usize)> = diagnostics.iter().map(|d| (d.code, line_of(source, d))).collect();
    assert_eq!(found, [("E0020", 2), ("E0002", 3)]);
}

/// The hints inspect tokens around the error; no prefix of these programs may make them
/// panic or point outside the source.
#[test]
fn prefixes_never_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/syntax_hints");
    for entry in fs::read_dir(dir).unwrap() {
        let source = fs::read_to_string(entry.unwrap().path()).unwrap();
        for end in (0..=source.len()).filter(|&i| source.is_char_boundary(i)) {
            let prefix = &source[..end];
            if let Err(diagnostics) = parse(prefix) {
                for d in diagnostics {
                    assert!(d.span.start <= d.span.end && d.span.end as usize <= prefix.len(), "{d:?}");
                }
            }
        }
    }
}
