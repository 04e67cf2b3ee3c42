//! The adjoint of a scalar function of `stdlib::scalar`'s table, built from the partial
//! derivatives its entry writes as formulas.
//!
//! Operand i gets `g ∂f/∂xᵢ`, emitted so that it costs what a hand-written rule would: a
//! formula `N / D` becomes `(g N) / D` (just `g / D` when N is 1), `−Q` becomes `−(g Q)`, and a
//! partial that is the constant 0 contributes nothing.

use crate::ir::{Atom, Fun, Prim, Stmt};

use super::rules::{Emit, Sweep, op};

/// A parsed formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    Num(f64),
    /// The function's i-th parameter.
    Param(usize),
    /// The function's value, `f`.
    Value,
    Neg(Box<Formula>),
    Bin(Prim, Box<Formula>, Box<Formula>),
    Call(Prim, Vec<Formula>),
}

/// Adds `g ∂f/∂xᵢ` to the adjoint of each active operand of `f(args) = y`.
pub(super) fn adjoint(ad: &mut impl Sweep, f: Fun, args: &[Atom], y: Atom, g: Atom, out: &mut Vec<Stmt>) {
    for (i, &x) in args.iter().enumerate() {
        if !ad.atom_active(x) {
            continue;
        }
        let Some(text) = f.partials().get(i) else {
            panic!("compiler bug: `{}` is internal and never differentiated", f.name())
        };
        let formula = parse(f, text).unwrap_or_else(|e| panic!("stdlib::scalar: {}'s partial `{text}`: {e}", f.name()));
        if let Some(c) = contribution(ad, &formula, args, y, g, out) {
            ad.accumulate(x, c, out);
        }
    }
}

/// Operand i's part of the tangent of `f(args) = y`: its tangent `d` times ∂f/∂xᵢ, emitted as
/// the adjoint's `g ∂f/∂xᵢ` is; None when the partial is the constant 0.
pub(super) fn tangent(
    t: &mut impl Emit,
    f: Fun,
    i: usize,
    args: &[Atom],
    y: Atom,
    d: Atom,
    out: &mut Vec<Stmt>,
) -> Option<Atom> {
    let text = f.partials()[i];
    let formula = parse(f, text).unwrap_or_else(|e| panic!("stdlib::scalar: {}'s partial `{text}`: {e}", f.name()));
    contribution(t, &formula, args, y, d, out)
}

/// Whether ∂f/∂xᵢ can itself be differentiated: `f` has partials and every table function its
/// formula calls has partials of its own (an internal one without partials, such as
/// `gamma_p_da` in gamma_p's, has none). The Hessian needs it of every operand that depends on the parameters.
pub fn differentiable_twice(f: Fun, i: usize) -> bool {
    fn calls_internal(d: &Formula) -> bool {
        match d {
            Formula::Num(_) | Formula::Param(_) | Formula::Value => false,
            Formula::Neg(q) => calls_internal(q),
            Formula::Bin(_, a, b) => calls_internal(a) || calls_internal(b),
            Formula::Call(p, args) => {
                matches!(p, Prim::Call(g) if g.partials().is_empty()) || args.iter().any(calls_internal)
            }
        }
    }
    f.partials().get(i).and_then(|text| parse(f, text).ok()).is_some_and(|d| !calls_internal(&d))
}

/// `g` times the formula, or None when the formula is 0.
fn contribution(ad: &mut impl Emit, d: &Formula, args: &[Atom], y: Atom, g: Atom, out: &mut Vec<Stmt>) -> Option<Atom> {
    Some(match d {
        Formula::Num(z) if *z == 0.0 => return None,
        Formula::Num(o) if *o == 1.0 => g,
        Formula::Neg(q) => {
            let c = contribution(ad, q, args, y, g, out)?;
            op(ad, Prim::Neg, &[c], out)
        }
        Formula::Bin(Prim::Div, n, den) => {
            let c = contribution(ad, n, args, y, g, out)?;
            let den = emit(ad, den, args, y, out);
            op(ad, Prim::Div, &[c, den], out)
        }
        _ => {
            let v = emit(ad, d, args, y, out);
            op(ad, Prim::Mul, &[g, v], out)
        }
    })
}

/// The formula's value at the operands `args` and result `y`.
fn emit(ad: &mut impl Emit, d: &Formula, args: &[Atom], y: Atom, out: &mut Vec<Stmt>) -> Atom {
    match d {
        Formula::Num(x) => Atom::Real(*x),
        Formula::Param(i) => args[*i],
        Formula::Value => y,
        Formula::Neg(q) => {
            let v = emit(ad, q, args, y, out);
            op(ad, Prim::Neg, &[v], out)
        }
        Formula::Bin(p, a, b) => {
            let a = emit(ad, a, args, y, out);
            let b = emit(ad, b, args, y, out);
            op(ad, *p, &[a, b], out)
        }
        Formula::Call(p, call_args) => {
            let vals: Vec<Atom> = call_args.iter().map(|a| emit(ad, a, args, y, out)).collect();
            op(ad, *p, &vals, out)
        }
    }
}

/// Parses one partial of `f`: `+ - * /`, unary minus, parentheses, numbers, `f`'s parameters,
/// `f` itself, and calls of table functions, `sqrt` and `abs`.
pub fn parse(f: Fun, text: &str) -> Result<Formula, String> {
    let tokens = lex(text)?;
    let mut p = Parser { f, tokens, pos: 0 };
    let d = p.sum()?;
    match p.tokens.get(p.pos) {
        None => Ok(d),
        Some(t) => Err(format!("unexpected `{t}`")),
    }
}

fn lex(text: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let word = |pred: fn(char) -> bool, chars: &mut std::iter::Peekable<std::str::CharIndices>| {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !pred(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            text[i..end].to_string()
        };
        if c.is_ascii_digit() || c == '.' {
            tokens.push(word(|d| d.is_ascii_digit() || d == '.' || d == 'e', &mut chars));
        } else if c.is_alphabetic() || c == '_' {
            tokens.push(word(|d| d.is_alphanumeric() || d == '_', &mut chars));
        } else if "+-*/(),".contains(c) {
            tokens.push(c.to_string());
        } else {
            return Err(format!("unexpected character `{c}`"));
        }
    }
    Ok(tokens)
}

struct Parser {
    f: Fun,
    tokens: Vec<String>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn eat(&mut self, t: &str) -> bool {
        let hit = self.peek() == Some(t);
        self.pos += usize::from(hit);
        hit
    }

    fn sum(&mut self) -> Result<Formula, String> {
        self.left_assoc(&[("+", Prim::Add), ("-", Prim::Sub)], Self::product)
    }

    fn product(&mut self) -> Result<Formula, String> {
        self.left_assoc(&[("*", Prim::Mul), ("/", Prim::Div)], Self::unary)
    }

    /// `operand (op operand)*`, grouped to the left.
    fn left_assoc(
        &mut self,
        ops: &[(&str, Prim)],
        operand: fn(&mut Self) -> Result<Formula, String>,
    ) -> Result<Formula, String> {
        let mut d = operand(self)?;
        while let Some(&(_, p)) = ops.iter().find(|(t, _)| self.peek() == Some(*t)) {
            self.pos += 1;
            d = Formula::Bin(p, Box::new(d), Box::new(operand(self)?));
        }
        Ok(d)
    }

    fn unary(&mut self) -> Result<Formula, String> {
        if self.eat("-") {
            // A negative number is a constant, not a negation.
            return Ok(match self.unary()? {
                Formula::Num(x) => Formula::Num(-x),
                d => Formula::Neg(Box::new(d)),
            });
        }
        let Some(t) = self.peek().map(str::to_string) else { return Err("unexpected end".into()) };
        self.pos += 1;
        if t == "(" {
            let d = self.sum()?;
            return if self.eat(")") { Ok(d) } else { Err("missing `)`".into()) };
        }
        if let Ok(x) = t.parse::<f64>() {
            return Ok(Formula::Num(x));
        }
        if self.eat("(") {
            let callee = match t.as_str() {
                "sqrt" => Prim::Sqrt,
                "abs" => Prim::Fabs,
                name => Prim::Call(Fun::by_name(name).ok_or_else(|| format!("unknown function `{name}`"))?),
            };
            let mut args = vec![self.sum()?];
            while self.eat(",") {
                args.push(self.sum()?);
            }
            if !self.eat(")") {
                return Err("missing `)`".into());
            }
            if args.len() != callee.arity() {
                return Err(format!("`{t}` takes {} arguments", callee.arity()));
            }
            return Ok(Formula::Call(callee, args));
        }
        if t == "f" {
            return Ok(Formula::Value);
        }
        match self.f.params().iter().position(|p| *p == t) {
            Some(i) => Ok(Formula::Param(i)),
            None => Err(format!("unknown name `{t}`")),
        }
    }
}

/// The formula's value at `x` (the parameters) and `value` (f), in f64: for tests that hold
/// each partial to finite differences of the function.
pub fn eval(d: &Formula, x: &[f64], value: f64) -> f64 {
    let num = |p: Prim, a: &[f64]| match p {
        Prim::Add => a[0] + a[1],
        Prim::Sub => a[0] - a[1],
        Prim::Mul => a[0] * a[1],
        Prim::Div => a[0] / a[1],
        Prim::Sqrt => a[0].sqrt(),
        Prim::Fabs => a[0].abs(),
        Prim::Call(f) => f.native().eval(a),
        _ => f64::NAN,
    };
    match d {
        Formula::Num(c) => *c,
        Formula::Param(i) => x[*i],
        Formula::Value => value,
        Formula::Neg(q) => -eval(q, x, value),
        Formula::Bin(p, a, b) => num(*p, &[eval(a, x, value), eval(b, x, value)]),
        Formula::Call(p, args) => num(*p, &args.iter().map(|a| eval(a, x, value)).collect::<Vec<_>>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every partial of every table function parses and agrees with central finite
    /// differences of the function's own implementation, wherever the function is smooth at
    /// the points below (a jump shows as differences that change with the step). A partial in
    /// an int parameter is written `0` and not checked: the function is defined at ints only.
    #[test]
    fn every_partial_matches_finite_differences() {
        let base = [-1.3, -0.4, 0.3, 0.7, 1.6, 2.5];
        let mut checked = 0;
        for &f in Fun::ALL {
            let native = f.native();
            let points: Vec<f64> = base.iter().chain(extra_points(f)).copied().collect();
            let xs: Vec<Vec<f64>> = match listed_points(f) {
                [] => grid(&points, f.arity()),
                listed => listed.iter().map(|x| x.to_vec()).collect(),
            };
            for (i, text) in f.partials().iter().enumerate() {
                let formula = parse(f, text).unwrap_or_else(|e| panic!("{}: `{text}`: {e}", f.name()));
                let mut f_checked = 0;
                for x in &xs {
                    let difference = |h: f64| {
                        let shifted = |d: f64| {
                            let mut y = x.clone();
                            y[i] += d;
                            native.eval(&y)
                        };
                        (shifted(h) - shifted(-h)) / (2.0 * h)
                    };
                    let h = 1e-6 * x[i].abs().max(1.0);
                    let (fd, fd_quarter, value) = (difference(h), difference(h / 4.0), native.eval(x));
                    let smooth = (fd - fd_quarter).abs() <= 1e-3 * fd.abs().max(1.0);
                    if [fd, fd_quarter, value].iter().all(|v| v.is_finite()) && smooth {
                        let got = eval(&formula, x, value);
                        assert!(
                            (got - fd).abs() <= 1e-5 * fd.abs().max(1.0),
                            "∂{}/∂{} at {x:?}: formula {got}, finite differences {fd}",
                            f.name(),
                            f.params()[i]
                        );
                        f_checked += 1;
                    }
                }
                let int_partial = formula == Formula::Num(0.0) && f.name() != "round" && f.name() != "trunc";
                assert!(int_partial || f_checked > 0, "{}: no point of the grid is in its domain", f.name());
                checked += f_checked;
            }
        }
        assert!(checked > 100);
    }

    /// Every point with each coordinate one of `points`.
    fn grid(points: &[f64], n: usize) -> Vec<Vec<f64>> {
        (0..n).fold(vec![vec![]], |xs, _| {
            xs.iter().flat_map(|x| points.iter().map(move |&p| [x.as_slice(), &[p]].concat())).collect()
        })
    }

    /// Further points a function's domain needs: ints for int parameters, −1/e < x < 0 for
    /// the lower branch of Lambert W.
    fn extra_points(f: Fun) -> &'static [f64] {
        match f {
            Fun::LambertWm1 => &[-0.3, -0.1, -0.01],
            Fun::BinaryLogLoss => &[0.0, 1.0],
            Fun::BesselFirstKind
            | Fun::BesselSecondKind
            | Fun::ModifiedBesselFirstKind
            | Fun::ModifiedBesselSecondKind
            | Fun::FallingFactorial
            | Fun::RisingFactorial
            | Fun::Lmgamma
            | Fun::LmgammaDx
            | Fun::Ldexp => &[0.0, 1.0, 2.0, 3.0],
            // Short standardized times (the small-time series) and starts near either end.
            Fun::WienerLogStd => &[0.02, 0.1, 0.2, 0.95],
            _ => &[],
        }
    }

    /// The points at which a function of many parameters is checked instead of the grid (whose
    /// 6⁷ points would take minutes of quadrature and mostly miss the domain).
    fn listed_points(f: Fun) -> &'static [&'static [f64]] {
        match f {
            // (t, a, β, δ, sv, sw, st0): both widths, each alone, neither; st0 past t.
            Fun::WienerFull => &[
                &[0.8, 2.1, 0.55, 0.4, 0.5, 0.2, 0.15],
                &[0.35, 1.0, 0.4, 1.5, 0.0, 0.3, 0.5],
                &[0.7, 1.5, 0.5, -0.5, 0.3, 0.0, 0.2],
                &[0.7, 1.5, 0.5, -0.5, 0.3, 0.4, 0.0],
                &[0.25, 0.7, 0.3, 2.0, 1.0, 0.5, 0.1],
            ],
            _ => &[],
        }
    }

    #[test]
    fn formulas_parse_with_precedence() {
        let f = Fun::Pow;
        assert_eq!(
            parse(f, "-0.5 * (x * x) + y / f").unwrap(),
            Formula::Bin(
                Prim::Add,
                Box::new(Formula::Bin(
                    Prim::Mul,
                    Box::new(Formula::Num(-0.5)),
                    Box::new(Formula::Bin(Prim::Mul, Box::new(Formula::Param(0)), Box::new(Formula::Param(0))))
                )),
                Box::new(Formula::Bin(Prim::Div, Box::new(Formula::Param(1)), Box::new(Formula::Value)))
            )
        );
        assert_eq!(parse(f, "z").unwrap_err(), "unknown name `z`");
        assert_eq!(parse(f, "nope(x)").unwrap_err(), "unknown function `nope`");
        assert_eq!(parse(f, "log(x, y)").unwrap_err(), "`log` takes 1 arguments");
        assert_eq!(parse(f, "(x").unwrap_err(), "missing `)`");
    }
}
