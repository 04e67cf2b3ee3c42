//! The catalog of Stan's built-in functions and distributions (Stan 2.37 Functions Reference):
//! every signature as data, and Stan's overload resolution over them.
//!
//! The table is written compactly, one family per line in Stan's own notation
//! (`real normal_lpdf(reals y | reals mu, reals sigma)`, `R exp(T x)`), with the vectorised
//! words of the Functions Reference (`reals`, `ints`, `vectors`, and `T`/`R` for element-wise
//! functions). [`Family::expand`] turns each family into concrete signatures, so lookups and
//! overload resolution only ever compare concrete types. Distributions are declared once with
//! their variate and parameters; their `_lpdf`/`_lpmf`, `_lupdf`/`_lupmf`, `_cdf`, `_lcdf`,
//! `_lccdf` and `_rng` functions are derived from that declaration.
//!
//! Each concrete signature records whether vppl compiles it today ([`Status::Implemented`]) or
//! whether only its type is known ([`Status::SignatureOnly`]).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

/// The deepest array nesting element-wise (vectorised) signatures are expanded to.
pub const MAX_ARRAY_DIMS: u8 = 7;

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/// The element type of a Stan value, without array dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BaseType {
    Int,
    Real,
    Complex,
    Vector,
    RowVector,
    Matrix,
    ComplexVector,
    ComplexRowVector,
    ComplexMatrix,
    /// A function argument of a higher-order function (its own signature is not recorded).
    Function,
}

impl BaseType {
    /// Every type a variable can have, in the order Stan's tables list them.
    pub const ALL_DATA: [BaseType; 9] = [
        BaseType::Int,
        BaseType::Real,
        BaseType::Complex,
        BaseType::Vector,
        BaseType::RowVector,
        BaseType::Matrix,
        BaseType::ComplexVector,
        BaseType::ComplexRowVector,
        BaseType::ComplexMatrix,
    ];

    /// The element and shape of the IR type that holds a value of this type (complex values
    /// are pairs of reals in the IR, but their type says complex); `None` for a function.
    pub fn ir_parts(self) -> Option<(crate::ir::Elem, crate::ir::Core)> {
        use crate::ir::{Core, Elem};
        Some(match self {
            BaseType::Int => (Elem::Int, Core::Scalar),
            BaseType::Real => (Elem::Real, Core::Scalar),
            BaseType::Complex => (Elem::Complex, Core::Scalar),
            BaseType::Vector => (Elem::Real, Core::Vector),
            BaseType::RowVector => (Elem::Real, Core::RowVector),
            BaseType::Matrix => (Elem::Real, Core::Matrix),
            BaseType::ComplexVector => (Elem::Complex, Core::Vector),
            BaseType::ComplexRowVector => (Elem::Complex, Core::RowVector),
            BaseType::ComplexMatrix => (Elem::Complex, Core::Matrix),
            BaseType::Function => return None,
        })
    }

    /// The Stan spelling.
    pub fn name(self) -> &'static str {
        match self {
            BaseType::Int => "int",
            BaseType::Real => "real",
            BaseType::Complex => "complex",
            BaseType::Vector => "vector",
            BaseType::RowVector => "row_vector",
            BaseType::Matrix => "matrix",
            BaseType::ComplexVector => "complex_vector",
            BaseType::ComplexRowVector => "complex_row_vector",
            BaseType::ComplexMatrix => "complex_matrix",
            BaseType::Function => "function",
        }
    }

    pub fn from_name(s: &str) -> Option<BaseType> {
        Some(match s {
            "int" => BaseType::Int,
            "real" => BaseType::Real,
            "complex" => BaseType::Complex,
            "vector" => BaseType::Vector,
            "row_vector" => BaseType::RowVector,
            "matrix" => BaseType::Matrix,
            "complex_vector" => BaseType::ComplexVector,
            "complex_row_vector" => BaseType::ComplexRowVector,
            "complex_matrix" => BaseType::ComplexMatrix,
            "function" => BaseType::Function,
            _ => return None,
        })
    }

    pub fn is_complex(self) -> bool {
        matches!(
            self,
            BaseType::Complex | BaseType::ComplexVector | BaseType::ComplexRowVector | BaseType::ComplexMatrix
        )
    }

    /// `int`, `real` or `complex`.
    pub fn is_scalar(self) -> bool {
        matches!(self, BaseType::Int | BaseType::Real | BaseType::Complex)
    }

    /// Dimensions of the base type itself: 0 for scalars, 1 for vectors, 2 for matrices.
    pub fn rank(self) -> u8 {
        match self {
            BaseType::Int | BaseType::Real | BaseType::Complex | BaseType::Function => 0,
            BaseType::Vector | BaseType::RowVector | BaseType::ComplexVector | BaseType::ComplexRowVector => 1,
            BaseType::Matrix | BaseType::ComplexMatrix => 2,
        }
    }

    /// The number of promotions that turn a `self` into a `to` (`int` → `real` → `complex`,
    /// and the real containers to their complex counterparts), if it can be promoted at all.
    pub fn promotion_cost(self, to: BaseType) -> Option<u32> {
        use BaseType::*;
        match (self, to) {
            (a, b) if a == b => Some(0),
            (Int, Real)
            | (Real, Complex)
            | (Vector, ComplexVector)
            | (RowVector, ComplexRowVector)
            | (Matrix, ComplexMatrix) => Some(1),
            (Int, Complex) => Some(2),
            _ => None,
        }
    }

    fn ints_to_real(self) -> BaseType {
        if self == BaseType::Int { BaseType::Real } else { self }
    }

    pub fn complex_to_real(self) -> BaseType {
        match self {
            BaseType::Complex => BaseType::Real,
            BaseType::ComplexVector => BaseType::Vector,
            BaseType::ComplexRowVector => BaseType::RowVector,
            BaseType::ComplexMatrix => BaseType::Matrix,
            x => x,
        }
    }

    fn real_to_complex(self) -> BaseType {
        match self {
            BaseType::Real => BaseType::Complex,
            BaseType::Vector => BaseType::ComplexVector,
            BaseType::RowVector => BaseType::ComplexRowVector,
            BaseType::Matrix => BaseType::ComplexMatrix,
            x => x,
        }
    }
}

/// The type of one argument: a base type in `array_dims` levels of arrays, possibly required
/// to be data only (for a parameter) or known to be data only (for an argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArgType {
    pub base: BaseType,
    pub array_dims: u8,
    pub data_only: bool,
}

impl ArgType {
    pub const INT: ArgType = ArgType::new(BaseType::Int, 0);
    pub const REAL: ArgType = ArgType::new(BaseType::Real, 0);
    pub const COMPLEX: ArgType = ArgType::new(BaseType::Complex, 0);
    pub const VECTOR: ArgType = ArgType::new(BaseType::Vector, 0);
    pub const ROW_VECTOR: ArgType = ArgType::new(BaseType::RowVector, 0);
    pub const MATRIX: ArgType = ArgType::new(BaseType::Matrix, 0);
    pub const FUNCTION: ArgType = ArgType::new(BaseType::Function, 0);

    pub const fn new(base: BaseType, array_dims: u8) -> ArgType {
        ArgType { base, array_dims, data_only: false }
    }

    /// The same type, data only.
    pub const fn data(self) -> ArgType {
        ArgType { data_only: true, ..self }
    }

    /// The same type, not data only.
    pub const fn autodiff(self) -> ArgType {
        ArgType { data_only: false, ..self }
    }

    /// `array[...] self` with `dims` more dimensions.
    pub const fn array(self, dims: u8) -> ArgType {
        ArgType { array_dims: self.array_dims + dims, ..self }
    }

    /// `int` or `real` (not in an array): what makes an `_rng` return a scalar.
    pub fn is_primitive(self) -> bool {
        self.array_dims == 0 && matches!(self.base, BaseType::Int | BaseType::Real)
    }

    /// Array dimensions plus the dimensions of the base type.
    pub fn rank(self) -> u8 {
        self.array_dims + self.base.rank()
    }

    fn map_base(self, f: impl Fn(BaseType) -> BaseType) -> ArgType {
        ArgType { base: f(self.base), ..self }
    }

    /// The promotions needed to pass an argument of type `self` where `param` is expected
    /// (data-only requirements are checked separately).
    pub fn promotion_cost(self, param: ArgType) -> Option<u32> {
        if self.array_dims != param.array_dims {
            return None;
        }
        self.base.promotion_cost(param.base)
    }
}

impl fmt::Display for ArgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.data_only {
            f.write_str("data ")?;
        }
        write_array_prefix(f, self.array_dims)?;
        f.write_str(self.base.name())
    }
}

/// `array[,] ` for two dimensions; nothing for none.
pub fn write_array_prefix(f: &mut fmt::Formatter<'_>, dims: u8) -> fmt::Result {
    if dims > 0 {
        f.write_str("array[")?;
        for _ in 1..dims {
            f.write_str(",")?;
        }
        f.write_str("] ")?;
    }
    Ok(())
}

/// `tuple(A, B, ...)` in Stan's notation.
pub fn write_tuple(f: &mut fmt::Formatter<'_>, elems: &[impl fmt::Display]) -> fmt::Result {
    f.write_str("tuple(")?;
    for (i, t) in elems.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{t}")?;
    }
    f.write_str(")")
}

/// What a function returns.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReturnType {
    Void,
    Type(ArgType),
    Tuple(Vec<ArgType>),
}

impl fmt::Display for ReturnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReturnType::Void => f.write_str("void"),
            ReturnType::Type(t) => write!(f, "{t}"),
            ReturnType::Tuple(ts) => write_tuple(f, ts),
        }
    }
}

/// Whether vppl compiles a signature today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Implemented,
    /// Type-checks, but compiling it for running gives a "not supported yet" diagnostic.
    SignatureOnly,
}

/// One concrete signature of a built-in function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<ArgType>,
    pub ret: ReturnType,
    pub status: Status,
    /// Takes any number of further arguments of any type after `args` (`reduce_sum`, the
    /// variadic ODE, DAE and algebraic solvers).
    pub variadic: bool,
    /// The index in [`families`] of the compact entry it was expanded from.
    pub family: usize,
}

impl Signature {
    /// The return type of a non-void, non-tuple signature.
    pub fn ret_type(&self) -> Option<ArgType> {
        match self.ret {
            ReturnType::Type(t) => Some(t),
            _ => None,
        }
    }

    /// The compact entry this signature was expanded from.
    pub fn family(&self) -> &'static Family {
        &families()[self.family]
    }
}

/// Stan's notation for an expanded signature: `real normal_lpdf(vector, real, row_vector)`.
impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}(", self.ret, self.name)?;
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{a}")?;
        }
        if self.variadic {
            f.write_str(if self.args.is_empty() { "..." } else { ", ..." })?;
        }
        f.write_str(")")
    }
}

// ---------------------------------------------------------------------------------------------
// Compact families
// ---------------------------------------------------------------------------------------------

/// An argument pattern of a compact signature, in the words of the Functions Reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Exactly this type.
    Type(ArgType),
    /// `reals`: `real`, `array[] real`, `vector`, `row_vector` (ints are accepted by promotion).
    Reals,
    /// `ints`: `int`, `array[] int`.
    Ints,
    /// `vectors`: `vector`, `array[] vector`, `row_vector`, `array[] row_vector`.
    Vectors,
    /// `T` of an element-wise function: `int`, `real`, `vector`, `row_vector`, `matrix`, or an
    /// array of any of them.
    Deep,
    /// `T` of an element-wise complex function: `complex`, `complex_vector`,
    /// `complex_row_vector`, `complex_matrix`, or an array of any of them.
    DeepComplex,
    /// `array[] T`: an array of any dimension of `int`, `real`, `vector`, `row_vector` or
    /// `matrix` (the sliced argument of `reduce_sum`).
    AnyArray,
}

const DEEP_BASES: [BaseType; 5] =
    [BaseType::Int, BaseType::Real, BaseType::Vector, BaseType::RowVector, BaseType::Matrix];
const DEEP_COMPLEX_BASES: [BaseType; 4] =
    [BaseType::Complex, BaseType::ComplexVector, BaseType::ComplexRowVector, BaseType::ComplexMatrix];

impl Pattern {
    /// The concrete types this pattern stands for.
    pub fn expand(self) -> Vec<ArgType> {
        let deep = |bases: &[BaseType], dims: std::ops::RangeInclusive<u8>| -> Vec<ArgType> {
            bases.iter().flat_map(|b| dims.clone().map(move |d| ArgType::new(*b, d))).collect()
        };
        match self {
            Pattern::Type(t) => vec![t],
            Pattern::Reals => vec![ArgType::REAL, ArgType::REAL.array(1), ArgType::VECTOR, ArgType::ROW_VECTOR],
            Pattern::Ints => vec![ArgType::INT, ArgType::INT.array(1)],
            Pattern::Vectors => {
                vec![ArgType::VECTOR, ArgType::VECTOR.array(1), ArgType::ROW_VECTOR, ArgType::ROW_VECTOR.array(1)]
            }
            Pattern::Deep => deep(&DEEP_BASES, 0..=MAX_ARRAY_DIMS),
            Pattern::DeepComplex => deep(&DEEP_COMPLEX_BASES, 0..=MAX_ARRAY_DIMS),
            Pattern::AnyArray => deep(&DEEP_BASES, 1..=MAX_ARRAY_DIMS),
        }
    }

    fn is_discrete(self) -> bool {
        match self {
            Pattern::Ints => true,
            Pattern::Type(t) => t.base == BaseType::Int,
            _ => false,
        }
    }

    fn is_univariate(self) -> bool {
        match self {
            Pattern::Reals | Pattern::Ints => true,
            Pattern::Type(t) => t.is_primitive(),
            _ => false,
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Type(t) => write!(f, "{t}"),
            Pattern::Reals => f.write_str("reals"),
            Pattern::Ints => f.write_str("ints"),
            Pattern::Vectors => f.write_str("vectors"),
            Pattern::Deep | Pattern::DeepComplex => f.write_str("T"),
            Pattern::AnyArray => f.write_str("array[] T"),
        }
    }
}

/// One parameter of a compact signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub pattern: Pattern,
    pub data_only: bool,
    pub name: Option<&'static str>,
}

/// How a family's return type follows from its concrete arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetRule {
    Fixed(ReturnType),
    /// `R` of element-wise functions: the first argument's type with `int` made `real`.
    IntsToReals,
    /// `T`: the first argument's type.
    SameAsFirst,
    /// `R` of `get_real`, `get_imag` and complex `abs`: the first argument's type made real.
    ComplexToReals,
    /// `R` of an `_rng`: one draw of this base type when every argument is `int` or `real`,
    /// an array of draws otherwise.
    Rng(BaseType),
}

impl fmt::Display for RetRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetRule::Fixed(r) => write!(f, "{r}"),
            RetRule::SameAsFirst => f.write_str("T"),
            RetRule::IntsToReals | RetRule::ComplexToReals | RetRule::Rng(_) => f.write_str("R"),
        }
    }
}

/// The binary element-wise families, whose argument combinations are not a plain product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryKind {
    /// `R f(T1 x, T2 y)` over ints and reals: both scalars, both the same container, or a
    /// container with a scalar on either side (`pow`, `fmin`, `hypot`, …).
    IntsReals,
    /// As `IntsReals` but over reals only (`gamma_p`, `gamma_q`, `owens_t`).
    RealReal,
    /// As `RealReal` over complex types (`pow` of complex).
    ComplexComplex,
    /// As `RealReal`, returning the complex counterpart (`to_complex`).
    RealsToComplex,
    /// An int (or array of ints) with reals (`bessel_first_kind`, `lmgamma`, …).
    IntReal,
    /// Reals with an int (or array of ints) (`ldexp`, `falling_factorial`, …).
    RealInt,
    /// Ints with ints (`choose`, `falling_factorial`, …).
    IntInt,
}

/// How a family's concrete signatures are formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Every combination of the parameters' patterns.
    Product,
    /// A binary element-wise family.
    Binary(BinaryKind),
}

/// One compact entry of the table: a function (or one derived function of a distribution)
/// with argument patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    pub name: &'static str,
    pub params: Vec<Param>,
    pub ret: RetRule,
    pub shape: Shape,
    /// Written with `|` after the first argument (densities, mass functions and CDFs).
    pub conditional: bool,
    pub variadic: bool,
}

impl Family {
    /// The concrete argument lists and return types of this family.
    pub fn expand(&self) -> Vec<(Vec<ArgType>, ReturnType)> {
        match self.shape {
            Shape::Binary(kind) => binary_expansion(kind),
            Shape::Product => {
                let mut combos: Vec<Vec<ArgType>> = vec![vec![]];
                for p in &self.params {
                    let choices: Vec<ArgType> =
                        p.pattern.expand().into_iter().map(|t| if p.data_only { t.data() } else { t }).collect();
                    combos = combos
                        .into_iter()
                        .flat_map(|c| {
                            choices.iter().map(move |t| {
                                let mut c = c.clone();
                                c.push(*t);
                                c
                            })
                        })
                        .collect();
                }
                combos
                    .into_iter()
                    .map(|args| {
                        let first = args.first().map(|a| a.autodiff());
                        let ret = match &self.ret {
                            RetRule::Fixed(r) => r.clone(),
                            RetRule::IntsToReals => {
                                ReturnType::Type(first.expect("R needs an argument").map_base(BaseType::ints_to_real))
                            }
                            RetRule::SameAsFirst => ReturnType::Type(first.expect("T needs an argument")),
                            RetRule::ComplexToReals => ReturnType::Type(
                                first.expect("R needs an argument").map_base(BaseType::complex_to_real),
                            ),
                            RetRule::Rng(b) => {
                                let one = ArgType::new(*b, 0);
                                ReturnType::Type(if args.iter().all(|a| a.is_primitive()) { one } else { one.array(1) })
                            }
                        };
                        (args, ret)
                    })
                    .collect()
            }
        }
    }
}

/// The compact form in Stan's notation: `real normal_lpdf(reals y | reals mu, reals sigma)`.
impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Shape::Binary(_) = self.shape {
            return write!(f, "R {}(T1 x, T2 y)", self.name);
        }
        write!(f, "{} {}(", self.ret, self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            if i == 1 && self.conditional {
                f.write_str(" | ")?;
            } else if i > 0 {
                f.write_str(", ")?;
            }
            if p.data_only {
                f.write_str("data ")?;
            }
            write!(f, "{}", p.pattern)?;
            if let Some(n) = p.name {
                write!(f, " {n}")?;
            }
        }
        if self.variadic {
            f.write_str(if self.params.is_empty() { "..." } else { ", ..." })?;
        }
        f.write_str(")")
    }
}

/// The scalar types, the container types and the return type's base of a binary family.
type BinaryFamily = (Vec<ArgType>, Vec<ArgType>, fn(BaseType) -> BaseType);

fn binary_expansion(kind: BinaryKind) -> Vec<(Vec<ArgType>, ReturnType)> {
    use BaseType::*;
    let t = ArgType::new;
    let mut out = Vec::new();
    let mut push = |args: Vec<ArgType>, ret: ArgType| {
        if args.iter().chain([&ret]).all(|a| a.array_dims <= MAX_ARRAY_DIMS) {
            out.push((args, ReturnType::Type(ret)));
        }
    };
    match kind {
        BinaryKind::IntsReals | BinaryKind::RealReal | BinaryKind::ComplexComplex | BinaryKind::RealsToComplex => {
            let (scalars, containers, ret): BinaryFamily = match kind {
                BinaryKind::IntsReals => (
                    vec![t(Int, 0), t(Real, 0)],
                    vec![t(Int, 1), t(Real, 1), t(Vector, 0), t(RowVector, 0), t(Matrix, 0)],
                    BaseType::ints_to_real,
                ),
                BinaryKind::RealReal => {
                    (vec![t(Real, 0)], vec![t(Real, 1), t(Vector, 0), t(RowVector, 0), t(Matrix, 0)], |b| b)
                }
                BinaryKind::ComplexComplex => (
                    vec![t(Complex, 0)],
                    vec![t(Complex, 1), t(ComplexVector, 0), t(ComplexRowVector, 0), t(ComplexMatrix, 0)],
                    |b| b,
                ),
                _ => (
                    vec![t(Real, 0)],
                    vec![t(Real, 1), t(Vector, 0), t(RowVector, 0), t(Matrix, 0)],
                    BaseType::real_to_complex,
                ),
            };
            for a in &scalars {
                for b in &scalars {
                    push(vec![*a, *b], a.map_base(ret));
                }
            }
            for d in 0..=MAX_ARRAY_DIMS {
                for c in &containers {
                    let c = c.array(d);
                    push(vec![c, c], c.map_base(ret));
                    for s in &scalars {
                        push(vec![c, *s], c.map_base(ret));
                        push(vec![*s, c], c.map_base(ret));
                    }
                }
            }
        }
        BinaryKind::IntReal | BinaryKind::RealInt => {
            let mut pairs = Vec::new();
            for d in 0..=MAX_ARRAY_DIMS {
                for c in [t(Real, 1), t(Vector, 0), t(RowVector, 0), t(Matrix, 0)] {
                    pairs.push((t(Int, 0), c.array(d), c.array(d)));
                }
                for c in [t(Real, 1), t(Vector, 0), t(RowVector, 0)] {
                    pairs.push((t(Int, d + 1), c.array(d), c.array(d)));
                }
                pairs.push((t(Int, d + 2), t(Matrix, d), t(Matrix, d)));
                pairs.push((t(Int, d), t(Real, 0), t(Real, d)));
            }
            for (i, r, ret) in pairs {
                if kind == BinaryKind::IntReal { push(vec![i, r], ret) } else { push(vec![r, i], ret) }
            }
        }
        BinaryKind::IntInt => {
            for d in 0..=MAX_ARRAY_DIMS {
                push(vec![t(Int, d), t(Int, 0)], t(Int, d));
                if d > 0 {
                    push(vec![t(Int, 0), t(Int, d)], t(Int, d));
                    push(vec![t(Int, d), t(Int, d)], t(Int, d));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The table's notation
// ---------------------------------------------------------------------------------------------

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Splits at top-level commas (not the ones inside `array[,]` or `tuple(…)`).
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = s[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    out
}

/// `array[,] real`, `real`, or a pattern word, with the rest of the text (the parameter name).
fn parse_pattern(s: &'static str) -> (Pattern, &'static str) {
    let s = s.trim();
    let (dims, rest) = if let Some(r) = s.strip_prefix("array[") {
        let close = r.find(']').unwrap_or_else(|| panic!("unclosed array in `{s}`"));
        (r[..close].matches(',').count() as u8 + 1, r[close + 1..].trim_start())
    } else {
        (0, s)
    };
    let (word, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let pattern = match (word, dims) {
        ("reals", 0) => Pattern::Reals,
        ("ints", 0) => Pattern::Ints,
        ("vectors", 0) => Pattern::Vectors,
        ("T", 0) => Pattern::Deep,
        ("Tz", 0) => Pattern::DeepComplex,
        ("T", 1) => Pattern::AnyArray,
        (w, d) => Pattern::Type(ArgType::new(
            BaseType::from_name(w).unwrap_or_else(|| panic!("unknown type `{w}` in `{s}`")),
            d,
        )),
    };
    (pattern, rest.trim())
}

fn parse_type(s: &'static str) -> ArgType {
    match parse_pattern(s) {
        (Pattern::Type(t), "") => t,
        _ => panic!("not a type: `{s}`"),
    }
}

/// Parses one line of the table: `RET NAME(ARG, ARG | ARG, …)`, each argument
/// `[data] TYPE-OR-PATTERN [name]`, a final `...` for variadic functions. `RET` is a type,
/// `void`, `tuple(…)`, or `R` / `T` / `Rz` (see [`RetRule`]).
fn parse_family(src: &'static str) -> Family {
    let src = src.trim();
    assert!(src.ends_with(')'), "no argument list in `{src}`");
    let mut depth = 0;
    let mut open = None;
    for (i, c) in src.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open.unwrap_or_else(|| panic!("unbalanced `{src}`"));
    let head = src[..open].trim();
    let (ret_src, name) = head.rsplit_once(' ').unwrap_or_else(|| panic!("no return type in `{src}`"));
    let ret_src = ret_src.trim();
    let ret = match ret_src {
        "void" => RetRule::Fixed(ReturnType::Void),
        "R" => RetRule::IntsToReals,
        "T" => RetRule::SameAsFirst,
        "Rz" => RetRule::ComplexToReals,
        r if r.starts_with("tuple(") => {
            let inner = &r["tuple(".len()..r.len() - 1];
            RetRule::Fixed(ReturnType::Tuple(split_top(inner).into_iter().map(parse_type).collect()))
        }
        r => RetRule::Fixed(ReturnType::Type(parse_type(r))),
    };
    let args_src = &src[open + 1..src.len() - 1];
    let conditional = args_src.contains('|');
    let mut params = Vec::new();
    let mut variadic = false;
    let pieces: Vec<&'static str> = args_src.split('|').flat_map(split_top).collect();
    for piece in pieces {
        if piece == "..." {
            variadic = true;
            continue;
        }
        assert!(!variadic, "`...` must come last in `{src}`");
        let (data_only, rest) = match piece.strip_prefix("data ") {
            Some(r) => (true, r),
            None => (false, piece),
        };
        let (pattern, pname) = parse_pattern(rest);
        params.push(Param { pattern, data_only, name: (!pname.is_empty()).then_some(pname) });
    }
    Family { name, params, ret, shape: Shape::Product, conditional, variadic }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const LPDF: u8 = 1;
const RNG: u8 = 2;
const CDF: u8 = 4;
const LCDF: u8 = 8;
const LCCDF: u8 = 16;
const FULL: u8 = LPDF | RNG | CDF | LCDF | LCCDF;

struct Table {
    families: Vec<Family>,
}

impl Table {
    fn add(&mut self, src: &'static str) {
        self.families.push(parse_family(src));
    }

    fn adds(&mut self, srcs: &[&'static str]) {
        for s in srcs {
            self.add(s);
        }
    }

    fn add_string(&mut self, src: String) {
        self.add(leak(src));
    }

    /// `template` once for each type, `$` standing for it.
    fn each(&mut self, types: &[&str], template: &str) {
        for t in types {
            self.add_string(template.replace('$', t));
        }
    }

    fn unary(&mut self, ret: &str, pattern: &str, names: &[&str]) {
        for n in names {
            self.add_string(format!("{ret} {n}({pattern} x)"));
        }
    }

    fn binary(&mut self, kind: BinaryKind, names: &[&'static str]) {
        for n in names {
            self.families.push(Family {
                name: n,
                params: vec![],
                ret: RetRule::Fixed(ReturnType::Void),
                shape: Shape::Binary(kind),
                conditional: false,
                variadic: false,
            });
        }
    }

    /// A distribution: `sig` is its variate and parameters, `y | a, b`; `flags` which of its
    /// functions exist besides the density (whose `_lupdf` twin is added for every `_lpdf`).
    fn dist(&mut self, name: &str, sig: &'static str, flags: u8) {
        let (variate, params) = match sig.split_once('|') {
            Some((v, p)) => (v.trim(), p.trim()),
            None => (sig.trim(), ""),
        };
        let (vpat, _) = parse_pattern(variate);
        let discrete = vpat.is_discrete();
        let density = if discrete { "lpmf" } else { "lpdf" };
        let mut suffixes = vec![];
        if flags & LPDF != 0 {
            suffixes.push(density);
        }
        if flags & CDF != 0 {
            suffixes.push("cdf");
        }
        if flags & LCDF != 0 {
            suffixes.push("lcdf");
        }
        if flags & LCCDF != 0 {
            suffixes.push("lccdf");
        }
        for sfx in suffixes {
            self.add_string(format!("real {name}_{sfx}({sig})"));
        }
        if flags & RNG != 0 {
            assert!(vpat.is_univariate(), "derived `_rng` for a multivariate `{name}`");
            let mut fam = parse_family(leak(format!("R {name}_rng({params})")));
            fam.ret = RetRule::Rng(if discrete { BaseType::Int } else { BaseType::Real });
            self.families.push(fam);
        }
    }
}

fn arr(dims: u8, t: &str) -> String {
    if dims == 0 { t.to_string() } else { format!("array[{}] {t}", ",".repeat(dims as usize - 1)) }
}

const BARE: [&str; 9] = [
    "int",
    "real",
    "complex",
    "vector",
    "row_vector",
    "matrix",
    "complex_vector",
    "complex_row_vector",
    "complex_matrix",
];
const CONTAINERS: [&str; 6] =
    ["vector", "row_vector", "matrix", "complex_vector", "complex_row_vector", "complex_matrix"];

fn build_table() -> Vec<Family> {
    let mut t = Table { families: Vec::new() };
    distributions_table(&mut t);
    scalar_functions(&mut t);
    container_functions(&mut t);
    matrix_functions(&mut t);
    transform_functions(&mut t);
    higher_order_functions(&mut t);
    embedded_laplace(&mut t);
    // `_lupdf` / `_lupmf`: the same signatures as `_lpdf` / `_lpmf`, dropping constants.
    let unnormalised: Vec<Family> = t
        .families
        .iter()
        .filter_map(|f| {
            let name = if let Some(b) = f.name.strip_suffix("_lpdf") {
                format!("{b}_lupdf")
            } else if let Some(b) = f.name.strip_suffix("_lpmf") {
                format!("{b}_lupmf")
            } else {
                return None;
            };
            Some(Family { name: leak(name), ..f.clone() })
        })
        .collect();
    t.families.extend(unnormalised);
    t.families
}

fn distributions_table(t: &mut Table) {
    // Discrete.
    t.dist("bernoulli", "ints n | reals theta", FULL);
    t.dist("bernoulli_logit", "ints n | reals alpha", LPDF | RNG);
    t.dist("bernoulli_logit_glm", "ints y | matrix x, real alpha, vector beta", LPDF);
    t.adds(&[
        "real bernoulli_logit_glm_lpmf(array[] int y | matrix x, vector alpha, vector beta)",
        "real bernoulli_logit_glm_lpmf(int y | matrix x, vector alpha, vector beta)",
        "real bernoulli_logit_glm_lpmf(array[] int y | row_vector x, real alpha, vector beta)",
        "real bernoulli_logit_glm_lpmf(array[] int y | row_vector x, vector alpha, vector beta)",
        "array[] int bernoulli_logit_glm_rng(matrix x, vector alpha, vector beta)",
        "array[] int bernoulli_logit_glm_rng(row_vector x, vector alpha, vector beta)",
    ]);
    t.dist("binomial", "ints n | ints N, reals theta", FULL);
    t.dist("binomial_logit", "ints n | ints N, reals alpha", LPDF);
    t.dist("binomial_logit_glm", "ints n | ints N, matrix x, real alpha, vector beta", LPDF);
    t.adds(&[
        "real binomial_logit_glm_lpmf(array[] int n | array[] int N, matrix x, vector alpha, vector beta)",
        "real binomial_logit_glm_lpmf(int n | int N, matrix x, vector alpha, vector beta)",
        "real binomial_logit_glm_lpmf(array[] int n | array[] int N, row_vector x, real alpha, vector beta)",
        "real binomial_logit_glm_lpmf(array[] int n | array[] int N, row_vector x, vector alpha, vector beta)",
    ]);
    t.dist("beta_binomial", "ints n | ints N, reals alpha, reals beta", FULL);
    t.dist("beta_neg_binomial", "ints n | reals r, reals alpha, reals beta", FULL);
    t.dist("hypergeometric", "int n | int N, int a, int b", LPDF | RNG);
    t.dist("categorical", "ints y | vector theta", LPDF);
    t.add("int categorical_rng(vector theta)");
    t.dist("categorical_logit", "ints y | vector beta", LPDF);
    t.add("int categorical_logit_rng(vector beta)");
    t.dist("categorical_logit_glm", "ints y | matrix x, vector alpha, matrix beta", LPDF);
    t.adds(&[
        "real categorical_logit_glm_lpmf(array[] int y | row_vector x, vector alpha, matrix beta)",
        "real categorical_logit_glm_lpmf(int y | row_vector x, vector alpha, matrix beta)",
    ]);
    t.dist("discrete_range", "ints y | ints lower, ints upper", FULL);
    t.dist("ordered_logistic", "int k | real eta, vector c", LPDF);
    t.adds(&[
        "real ordered_logistic_lpmf(array[] int k | vector eta, vector c)",
        "real ordered_logistic_lpmf(array[] int k | vector eta, array[] vector c)",
        "int ordered_logistic_rng(real eta, vector c)",
    ]);
    t.dist("ordered_logistic_glm", "ints y | matrix x, vector beta, vector c", LPDF);
    t.adds(&[
        "real ordered_logistic_glm_lpmf(array[] int y | row_vector x, vector beta, vector c)",
        "real ordered_logistic_glm_lpmf(int y | row_vector x, vector beta, vector c)",
    ]);
    t.dist("ordered_probit", "int k | real eta, vector c", LPDF);
    t.adds(&[
        "real ordered_probit_lpmf(array[] int k | real eta, vector c)",
        "real ordered_probit_lpmf(array[] int k | real eta, array[] vector c)",
        "real ordered_probit_lpmf(array[] int k | vector eta, vector c)",
        "real ordered_probit_lpmf(array[] int k | vector eta, array[] vector c)",
        "int ordered_probit_rng(real eta, vector c)",
    ]);
    t.dist("neg_binomial", "ints n | reals alpha, reals beta", FULL);
    t.dist("neg_binomial_2", "ints n | reals mu, reals phi", FULL);
    t.dist("neg_binomial_2_log", "ints n | reals eta, reals phi", LPDF | RNG);
    t.dist("neg_binomial_2_log_glm", "ints y | matrix x, real alpha, vector beta, real phi", LPDF);
    t.adds(&[
        "real neg_binomial_2_log_glm_lpmf(array[] int y | matrix x, vector alpha, vector beta, real phi)",
        "real neg_binomial_2_log_glm_lpmf(int y | matrix x, vector alpha, vector beta, real phi)",
        "real neg_binomial_2_log_glm_lpmf(array[] int y | row_vector x, real alpha, vector beta, real phi)",
        "real neg_binomial_2_log_glm_lpmf(array[] int y | row_vector x, vector alpha, vector beta, real phi)",
    ]);
    t.dist("poisson", "ints n | reals lambda", FULL);
    t.dist("poisson_log", "ints n | reals alpha", LPDF | RNG);
    t.dist("poisson_log_glm", "ints y | matrix x, real alpha, vector beta", LPDF);
    t.adds(&[
        "real poisson_log_glm_lpmf(array[] int y | matrix x, vector alpha, vector beta)",
        "real poisson_log_glm_lpmf(int y | matrix x, vector alpha, vector beta)",
        "real poisson_log_glm_lpmf(array[] int y | row_vector x, real alpha, vector beta)",
        "real poisson_log_glm_lpmf(array[] int y | row_vector x, vector alpha, vector beta)",
    ]);
    t.dist("multinomial", "array[] int y | vector theta", LPDF);
    t.add("array[] int multinomial_rng(vector theta, int N)");
    t.dist("multinomial_logit", "array[] int y | vector gamma", LPDF);
    t.add("array[] int multinomial_logit_rng(vector gamma, int N)");
    t.dist("dirichlet_multinomial", "array[] int y | vector alpha", LPDF);
    t.add("array[] int dirichlet_multinomial_rng(vector alpha, int N)");

    // Continuous, unbounded.
    t.dist("normal", "reals y | reals mu, reals sigma", FULL);
    t.dist("std_normal", "reals y", FULL);
    t.dist("normal_id_glm", "vector y | matrix x, real alpha, vector beta, real sigma", LPDF);
    t.adds(&[
        "real normal_id_glm_lpdf(vector y | matrix x, vector alpha, vector beta, real sigma)",
        "real normal_id_glm_lpdf(real y | matrix x, real alpha, vector beta, real sigma)",
        "real normal_id_glm_lpdf(real y | matrix x, vector alpha, vector beta, real sigma)",
        "real normal_id_glm_lpdf(real y | matrix x, real alpha, vector beta, vector sigma)",
        "real normal_id_glm_lpdf(real y | matrix x, vector alpha, vector beta, vector sigma)",
        "real normal_id_glm_lpdf(vector y | row_vector x, real alpha, vector beta, vector sigma)",
        "real normal_id_glm_lpdf(vector y | row_vector x, vector alpha, vector beta, real sigma)",
        "real normal_id_glm_lpdf(vector y | row_vector x, vector alpha, vector beta, vector sigma)",
        "real normal_id_glm_lpdf(vector y | row_vector x, real alpha, vector beta, real sigma)",
        "real normal_id_glm_lpdf(vector y | matrix x, real alpha, vector beta, vector sigma)",
        "real normal_id_glm_lpdf(vector y | matrix x, vector alpha, vector beta, vector sigma)",
    ]);
    t.dist("exp_mod_normal", "reals y | reals mu, reals sigma, reals lambda", FULL);
    t.dist("skew_normal", "reals y | reals xi, reals omega, reals alpha", FULL);
    t.dist("student_t", "reals y | reals nu, reals mu, reals sigma", FULL);
    t.dist("cauchy", "reals y | reals mu, reals sigma", FULL);
    t.dist("double_exponential", "reals y | reals mu, reals sigma", FULL);
    t.dist("logistic", "reals y | reals mu, reals sigma", FULL);
    t.dist("gumbel", "reals y | reals mu, reals beta", FULL);
    t.dist("skew_double_exponential", "reals y | reals mu, reals sigma, reals tau", FULL);

    // Continuous, positive.
    t.dist("lognormal", "reals y | reals mu, reals sigma", FULL);
    t.dist("chi_square", "reals y | reals nu", FULL);
    t.dist("inv_chi_square", "reals y | reals nu", FULL);
    t.dist("scaled_inv_chi_square", "reals y | reals nu, reals sigma", FULL);
    t.dist("exponential", "reals y | reals beta", FULL);
    t.dist("gamma", "reals y | reals alpha, reals beta", FULL);
    t.dist("inv_gamma", "reals y | reals alpha, reals beta", FULL);
    t.dist("weibull", "reals y | reals alpha, reals sigma", FULL);
    t.dist("frechet", "reals y | reals alpha, reals sigma", FULL);
    t.dist("rayleigh", "reals y | reals sigma", FULL);
    // Stan Math has no `loglogistic_lcdf` or `_lccdf`.
    t.dist("loglogistic", "reals y | reals alpha, reals beta", LPDF | RNG | CDF);
    t.dist("pareto", "reals y | reals y_min, reals alpha", FULL);
    t.dist("pareto_type_2", "reals y | reals mu, reals lambda, reals alpha", FULL);
    t.dist("wiener", "reals y | reals alpha, reals tau, reals beta, reals delta", LPDF);
    t.adds(&[
        "real wiener_lpdf(real y | real a, real t0, real w, real v, real sv)",
        "real wiener_lpdf(real y | real a, real t0, real w, real v, real sv, real sw, real st0)",
        "real wiener_lpdf(vector y | vector a, vector t0, vector w, vector v, vector sv)",
        "real wiener_lpdf(vector y | vector a, vector t0, vector w, vector v, vector sv, vector sw, vector st0)",
    ]);

    // Continuous, bounded.
    t.dist("uniform", "reals y | reals alpha, reals beta", FULL);
    t.dist("beta", "reals theta | reals alpha, reals beta", FULL);
    // Stan Math has no `beta_proportion_cdf`.
    t.dist("beta_proportion", "reals theta | reals mu, reals kappa", LPDF | RNG | LCDF | LCCDF);
    t.dist("von_mises", "reals y | reals mu, reals kappa", FULL);

    // Simplex, correlation, covariance, multivariate.
    t.dist("dirichlet", "vectors theta | vectors alpha", LPDF);
    t.add("vector dirichlet_rng(vector alpha)");
    t.dist("lkj_corr", "matrix y | real eta", LPDF);
    t.add("matrix lkj_corr_rng(int K, real eta)");
    t.dist("lkj_corr_cholesky", "matrix L | real eta", LPDF);
    t.add("matrix lkj_corr_cholesky_rng(int K, real eta)");
    t.dist("lkj_cov", "matrix y | vector mu, vector sigma, real eta", LPDF);
    t.dist("wishart", "matrix W | real nu, matrix Sigma", LPDF);
    t.add("matrix wishart_rng(real nu, matrix Sigma)");
    t.dist("wishart_cholesky", "matrix L_W | real nu, matrix L_S", LPDF);
    t.add("matrix wishart_cholesky_rng(real nu, matrix L_S)");
    t.dist("inv_wishart", "matrix W | real nu, matrix Sigma", LPDF);
    t.add("matrix inv_wishart_rng(real nu, matrix Sigma)");
    t.dist("inv_wishart_cholesky", "matrix L_W | real nu, matrix L_S", LPDF);
    t.add("matrix inv_wishart_cholesky_rng(real nu, matrix L_S)");
    t.dist("multi_normal", "vectors y | vectors mu, matrix Sigma", LPDF);
    t.dist("multi_normal_prec", "vectors y | vectors mu, matrix Omega", LPDF);
    t.dist("multi_normal_cholesky", "vectors y | vectors mu, matrix L", LPDF);
    for (name, cov) in [("multi_normal", "Sigma"), ("multi_normal_cholesky", "L")] {
        t.add_string(format!("vector {name}_rng(vector mu, matrix {cov})"));
        t.add_string(format!("array[] vector {name}_rng(array[] vector mu, matrix {cov})"));
        t.add_string(format!("vector {name}_rng(row_vector mu, matrix {cov})"));
        t.add_string(format!("array[] vector {name}_rng(array[] row_vector mu, matrix {cov})"));
    }
    t.dist("multi_gp", "matrix y | matrix Sigma, vector w", LPDF);
    t.dist("multi_gp_cholesky", "matrix y | matrix L, vector w", LPDF);
    t.dist("multi_student_t", "vectors y | real nu, vectors mu, matrix Sigma", LPDF);
    t.dist("multi_student_t_cholesky", "vectors y | real nu, vectors mu, matrix L", LPDF);
    for (name, cov) in [("multi_student_t", "Sigma"), ("multi_student_t_cholesky", "L")] {
        t.add_string(format!("vector {name}_rng(real nu, vector mu, matrix {cov})"));
        t.add_string(format!("array[] vector {name}_rng(real nu, array[] vector mu, matrix {cov})"));
        t.add_string(format!("vector {name}_rng(real nu, row_vector mu, matrix {cov})"));
        t.add_string(format!("array[] vector {name}_rng(real nu, array[] row_vector mu, matrix {cov})"));
    }
    t.dist("gaussian_dlm_obs", "matrix y | matrix F, matrix G, matrix V, matrix W, vector m0, matrix C0", LPDF);
    t.add("real gaussian_dlm_obs_lpdf(matrix y | matrix F, matrix G, vector V, matrix W, vector m0, matrix C0)");
    // Hidden Markov models.
    t.add("real hmm_marginal(matrix log_omega, matrix Gamma, vector rho)");
    t.add("array[] int hmm_latent_rng(matrix log_omega, matrix Gamma, vector rho)");
    t.add("matrix hmm_hidden_state_prob(data matrix log_omega, data matrix Gamma, data vector rho)");
}

fn scalar_functions(t: &mut Table) {
    // Element-wise functions of one argument.
    t.unary(
        "R",
        "T",
        &[
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "cbrt",
            "ceil",
            "cos",
            "cosh",
            "digamma",
            "erf",
            "erfc",
            "exp",
            "exp2",
            "expm1",
            "floor",
            "inv",
            "inv_cloglog",
            "inv_erfc",
            "inv_logit",
            "inv_Phi",
            "inv_sqrt",
            "inv_square",
            "lambert_w0",
            "lambert_wm1",
            "lgamma",
            "log",
            "log10",
            "log1m",
            "log1m_exp",
            "log1m_inv_logit",
            "log1p",
            "log1p_exp",
            "log2",
            "log_inv_logit",
            "logit",
            "Phi",
            "Phi_approx",
            "round",
            "sin",
            "sinh",
            "sqrt",
            "square",
            "std_normal_qf",
            "std_normal_log_qf",
            "tan",
            "tanh",
            "tgamma",
            "trunc",
            "trigamma",
        ],
    );
    t.unary("T", "T", &["abs", "minus"]);
    t.unary("T", "Tz", &["minus", "conj"]);
    t.unary("Rz", "Tz", &["abs", "get_real", "get_imag"]);
    t.adds(&["real step(real x)", "int int_step(int x)", "int int_step(real x)"]);
    t.adds(&["int is_inf(real x)", "int is_nan(real x)"]);
    // Complex scalar overloads of the real functions.
    for n in [
        "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "exp", "log", "log10", "sin", "sinh", "sqrt",
        "tan", "tanh", "proj",
    ] {
        t.add_string(format!("complex {n}(complex z)"));
    }
    t.adds(&["real arg(complex z)", "real norm(complex z)", "complex polar(real r, real theta)"]);
    t.adds(&["complex to_complex()", "complex to_complex(real re)"]);
    t.binary(BinaryKind::RealsToComplex, &["to_complex"]);
    // Constants.
    for n in [
        "e",
        "pi",
        "sqrt2",
        "log2",
        "log10",
        "not_a_number",
        "positive_infinity",
        "negative_infinity",
        "machine_precision",
    ] {
        t.add_string(format!("real {n}()"));
    }
    t.add("real target()");
    // Element-wise functions of two arguments.
    t.binary(
        BinaryKind::IntsReals,
        &[
            "atan2",
            "beta",
            "fdim",
            "fmax",
            "fmin",
            "fmod",
            "hypot",
            "lbeta",
            "lchoose",
            "lmultiply",
            "log_diff_exp",
            "log_falling_factorial",
            "log_inv_logit_diff",
            "log_modified_bessel_first_kind",
            "log_rising_factorial",
            "log_sum_exp",
            "pow",
        ],
    );
    t.binary(BinaryKind::ComplexComplex, &["pow"]);
    t.binary(BinaryKind::RealReal, &["gamma_p", "gamma_q", "owens_t"]);
    t.binary(
        BinaryKind::IntReal,
        &[
            "bessel_first_kind",
            "bessel_second_kind",
            "binary_log_loss",
            "lmgamma",
            "modified_bessel_first_kind",
            "modified_bessel_second_kind",
        ],
    );
    t.binary(BinaryKind::RealInt, &["falling_factorial", "ldexp", "rising_factorial"]);
    t.binary(BinaryKind::IntInt, &["choose", "falling_factorial", "rising_factorial"]);
    // Special functions of three or more arguments.
    t.adds(&[
        "real inc_beta(real alpha, real beta, real x)",
        "real inv_inc_beta(real alpha, real beta, real p)",
        "real log_mix(real theta, real lp1, real lp2)",
        "real hypergeometric_1F0(real a, real z)",
        "real hypergeometric_2F1(real a, real b, real c, real z)",
    ]);
    for a in ["vector", "row_vector", "array[] real"] {
        for b in ["vector", "row_vector", "array[] real"] {
            t.add_string(format!("real hypergeometric_3F2({a} a, {b} b, real z)"));
            t.add_string(format!("real hypergeometric_pFq({a} a, {b} b, real z)"));
        }
    }
    for v in ["vector", "row_vector", "array[] real"] {
        for lp in ["vector", "row_vector", "array[] real", "array[] vector", "array[] row_vector"] {
            t.add_string(format!("real log_mix({v} theta, {lp} lp)"));
        }
    }
    t.add("real fma(real x, real y, real z)");
    for v in ["vector", "row_vector", "matrix"] {
        for (a, b, c) in [("$", "real", "real"), ("$", "$", "real"), ("$", "real", "$"), ("$", "$", "$")] {
            t.add_string(format!("$ fma({a} x, {b} y, {c} z)").replace('$', v));
        }
        for (a, b, c) in [("real", "$", "real"), ("real", "$", "$"), ("real", "real", "$")] {
            t.add_string(format!("$ fma({a} x, {b} y, {c} z)").replace('$', v));
        }
    }
    // Integer functions and the functions behind the operators.
    t.adds(&[
        "int min(int x, int y)",
        "int max(int x, int y)",
        "int modulus(int x, int y)",
        "int logical_and(int x, int y)",
        "int logical_or(int x, int y)",
        "int logical_negation(int x)",
    ]);
    for op in ["logical_eq", "logical_neq", "logical_lt", "logical_lte", "logical_gt", "logical_gte"] {
        for a in ["int", "real"] {
            for b in ["int", "real"] {
                t.add_string(format!("int {op}({a} x, {b} y)"));
            }
        }
    }
    for op in ["logical_eq", "logical_neq"] {
        t.add_string(format!("int {op}(complex x, real y)"));
        t.add_string(format!("int {op}(complex x, complex y)"));
    }
    t.each(&["int", "real", "complex", "vector", "row_vector", "matrix"], "$ plus($ x)");
    for d in 0..=MAX_ARRAY_DIMS {
        for b in ["int", "real"] {
            t.add_string(format!("{} to_int(data {} x)", arr(d, "int"), arr(d, b)));
        }
    }
}

fn container_functions(t: &mut Table) {
    // Reductions.
    for n in ["sum", "prod"] {
        t.add_string(format!("int {n}(array[] int x)"));
        t.add_string(format!("complex {n}(array[] complex x)"));
        t.each(&["array[] real", "vector", "row_vector", "matrix"], &format!("real {n}($ x)"));
        t.each(&["complex_vector", "complex_row_vector", "complex_matrix"], &format!("complex {n}($ x)"));
    }
    for n in ["min", "max"] {
        t.add_string(format!("int {n}(array[] int x)"));
        t.each(&["array[] real", "vector", "row_vector", "matrix"], &format!("real {n}($ x)"));
    }
    for n in ["mean", "variance", "sd", "log_sum_exp"] {
        t.each(&["array[] real", "vector", "row_vector", "matrix"], &format!("real {n}($ x)"));
    }
    for n in ["norm1", "norm2"] {
        t.each(&["array[] real", "vector", "row_vector"], &format!("real {n}($ x)"));
    }
    t.each(&["array[] real", "vector", "row_vector"], "real quantile(data $ x, data real p)");
    t.each(&["array[] real", "vector", "row_vector"], "array[] real quantile(data $ x, data array[] real p)");
    t.each(&["array[] int", "array[] real", "vector", "row_vector"], "int rank($ v, int s)");
    // Sizes.
    for b in BARE {
        t.add_string(format!("int size({b} x)"));
        t.add_string(format!("array[] int dims({b} x)"));
    }
    t.each(&CONTAINERS, "int num_elements($ x)");
    t.each(&CONTAINERS, "int rows($ x)");
    t.each(&CONTAINERS, "int cols($ x)");
    for d in 1..=MAX_ARRAY_DIMS {
        for b in BARE {
            let a = arr(d, b);
            t.add_string(format!("int size({a} x)"));
            t.add_string(format!("array[] int dims({a} x)"));
            t.add_string(format!("int num_elements({a} x)"));
            t.add_string(format!("{a} reverse({a} x)"));
            t.add_string(format!("{a} append_array({a} x, {a} y)"));
            t.add_string(format!("{a} head({a} x, int n)"));
            t.add_string(format!("{a} tail({a} x, int n)"));
            t.add_string(format!("{a} segment({a} x, int i, int n)"));
        }
    }
    // Array building.
    for b in BARE {
        for d in 0..MAX_ARRAY_DIMS {
            let x = arr(d, b);
            for k in 1..=3u8 {
                if d + k > MAX_ARRAY_DIMS {
                    break;
                }
                let ints = (0..k).map(|i| ["m", "n", "o"][i as usize].to_string()).map(|n| format!("int {n}"));
                let ints: Vec<String> = ints.collect();
                t.add_string(format!("{} rep_array({x} x, {})", arr(d + k, b), ints.join(", ")));
            }
        }
    }
    t.adds(&[
        "array[] int linspaced_int_array(data int n, data int lower, data int upper)",
        "array[] real linspaced_array(data int n, data real lower, data real upper)",
        "row_vector linspaced_row_vector(data int n, data real lower, data real upper)",
        "vector linspaced_vector(data int n, data real lower, data real upper)",
        "array[] int one_hot_int_array(int n, int k)",
        "array[] real one_hot_array(int n, int k)",
        "row_vector one_hot_row_vector(int n, int k)",
        "vector one_hot_vector(int n, int k)",
        "array[] int ones_int_array(int n)",
        "array[] real ones_array(int n)",
        "row_vector ones_row_vector(int n)",
        "vector ones_vector(int n)",
        "array[] int zeros_int_array(int n)",
        "array[] real zeros_array(int n)",
        "row_vector zeros_row_vector(int n)",
        "vector zeros_vector(int n)",
        "vector uniform_simplex(int n)",
    ]);
    // Sorting.
    for n in ["sort_asc", "sort_desc"] {
        t.each(&["array[] int", "array[] real", "vector", "row_vector"], &format!("$ {n}($ v)"));
    }
    for n in ["sort_indices_asc", "sort_indices_desc"] {
        t.each(&["array[] int", "array[] real", "vector", "row_vector"], &format!("array[] int {n}($ v)"));
    }
    t.each(
        &[
            "array[] int",
            "array[] real",
            "vector",
            "row_vector",
            "array[] complex",
            "complex_vector",
            "complex_row_vector",
        ],
        "$ cumulative_sum($ x)",
    );
    t.each(&["vector", "row_vector", "complex_vector", "complex_row_vector"], "$ reverse($ x)");
    // Conversions.
    for (m, v, r, s) in [
        ("matrix", "vector", "row_vector", "real"),
        ("complex_matrix", "complex_vector", "complex_row_vector", "complex"),
    ] {
        for x in [m, v, r] {
            t.add_string(format!("{v} to_vector({x} x)"));
            t.add_string(format!("{r} to_row_vector({x} x)"));
            t.add_string(format!("array[] {s} to_array_1d({x} x)"));
            t.add_string(format!("{m} to_matrix({x} x)"));
            t.add_string(format!("{m} to_matrix({x} x, int m, int n)"));
            t.add_string(format!("{m} to_matrix({x} x, int m, int n, int col_major)"));
        }
        t.add_string(format!("{v} to_vector(array[] {s} x)"));
        t.add_string(format!("{r} to_row_vector(array[] {s} x)"));
        t.add_string(format!("{m} to_matrix(array[] {r} x)"));
        t.add_string(format!("{m} to_matrix(array[] {s} x, int m, int n)"));
        t.add_string(format!("{m} to_matrix(array[] {s} x, int m, int n, int col_major)"));
        t.add_string(format!("{m} to_matrix(array[,] {s} x)"));
        t.add_string(format!("array[,] {s} to_array_2d({m} x)"));
    }
    t.adds(&[
        "vector to_vector(array[] int x)",
        "row_vector to_row_vector(array[] int x)",
        "matrix to_matrix(array[] int x, int m, int n)",
        "matrix to_matrix(array[] int x, int m, int n, int col_major)",
        "matrix to_matrix(array[,] int x)",
    ]);
    for d in 1..=MAX_ARRAY_DIMS {
        t.add_string(format!("array[] real to_array_1d({} x)", arr(d, "real")));
        t.add_string(format!("array[] int to_array_1d({} x)", arr(d, "int")));
    }
}

fn matrix_functions(t: &mut Table) {
    let real_and_complex = [
        ("real", "vector", "row_vector", "matrix"),
        ("complex", "complex_vector", "complex_row_vector", "complex_matrix"),
    ];
    // Arithmetic written as functions.
    for n in ["add", "subtract", "elt_multiply", "elt_divide"] {
        t.each(&BARE, &format!("$ {n}($ x, $ y)"));
        for (s, v, r, m) in real_and_complex {
            for c in [v, r, m] {
                t.add_string(format!("{c} {n}({c} x, {s} y)"));
                t.add_string(format!("{c} {n}({s} x, {c} y)"));
            }
        }
    }
    t.adds(&["int divide(int x, int y)", "real divide(real x, real y)", "complex divide(complex x, complex y)"]);
    for (s, v, r, m) in real_and_complex {
        for c in [v, r, m] {
            t.add_string(format!("{c} divide({c} x, {s} y)"));
            t.add_string(format!("{c} divide({s} x, {c} y)"));
        }
    }
    t.adds(&["int multiply(int x, int y)", "real multiply(real x, real y)", "complex multiply(complex x, complex y)"]);
    for (s, v, r, m) in real_and_complex {
        for c in [v, r, m] {
            t.add_string(format!("{c} multiply({c} x, {s} y)"));
            t.add_string(format!("{c} multiply({s} x, {c} y)"));
        }
        t.add_string(format!("{s} multiply({r} x, {v} y)"));
        t.add_string(format!("{m} multiply({v} x, {r} y)"));
        t.add_string(format!("{v} multiply({m} x, {v} y)"));
        t.add_string(format!("{r} multiply({r} x, {m} y)"));
        t.add_string(format!("{m} multiply({m} x, {m} y)"));
    }
    t.adds(&[
        "row_vector transpose(vector x)",
        "vector transpose(row_vector x)",
        "matrix transpose(matrix x)",
        "complex_row_vector transpose(complex_vector x)",
        "complex_vector transpose(complex_row_vector x)",
        "complex_matrix transpose(complex_matrix x)",
    ]);
    // Dot products and norms.
    for (s, v, r, m) in real_and_complex {
        for a in [v, r] {
            for b in [v, r] {
                t.add_string(format!("{s} dot_product({a} x, {b} y)"));
            }
            t.add_string(format!("{s} dot_self({a} x)"));
        }
        t.add_string(format!("{s} dot_product(array[] {s} x, array[] {s} y)"));
        for x in [v, r, m] {
            t.add_string(format!("{r} columns_dot_product({x} x, {x} y)"));
            t.add_string(format!("{v} rows_dot_product({x} x, {x} y)"));
            t.add_string(format!("{r} columns_dot_self({x} x)"));
            t.add_string(format!("{v} rows_dot_self({x} x)"));
        }
    }
    for a in ["vector", "row_vector"] {
        for b in ["vector", "row_vector"] {
            t.add_string(format!("real distance({a} x, {b} y)"));
            t.add_string(format!("real squared_distance({a} x, {b} y)"));
        }
    }
    t.add("real squared_distance(real x, real y)");
    t.adds(&[
        "matrix tcrossprod(matrix x)",
        "matrix crossprod(matrix x)",
        "matrix multiply_lower_tri_self_transpose(matrix x)",
        "real quad_form(matrix A, vector B)",
        "matrix quad_form(matrix A, matrix B)",
        "real quad_form_sym(matrix A, vector B)",
        "matrix quad_form_sym(matrix A, matrix B)",
        "matrix quad_form_diag(matrix m, vector v)",
        "matrix quad_form_diag(matrix m, row_vector v)",
        "real trace_quad_form(matrix A, vector B)",
        "real trace_quad_form(matrix A, matrix B)",
        "real trace_gen_quad_form(matrix D, matrix A, matrix B)",
        "matrix diag_pre_multiply(vector v, matrix m)",
        "matrix diag_pre_multiply(row_vector v, matrix m)",
        "matrix diag_post_multiply(matrix m, vector v)",
        "matrix diag_post_multiply(matrix m, row_vector v)",
        "complex_matrix diag_pre_multiply(complex_vector v, complex_matrix m)",
        "complex_matrix diag_pre_multiply(complex_row_vector v, complex_matrix m)",
        "complex_matrix diag_post_multiply(complex_matrix m, complex_vector v)",
        "complex_matrix diag_post_multiply(complex_matrix m, complex_row_vector v)",
        "vector softmax(vector x)",
        "vector log_softmax(vector x)",
    ]);
    // Building, slicing and joining.
    for (s, v, r, m) in real_and_complex {
        t.add_string(format!("{v} rep_vector({s} x, int m)"));
        t.add_string(format!("{r} rep_row_vector({s} x, int n)"));
        t.add_string(format!("{m} rep_matrix({s} x, int m, int n)"));
        t.add_string(format!("{m} rep_matrix({v} v, int n)"));
        t.add_string(format!("{m} rep_matrix({r} rv, int m)"));
        t.add_string(format!("{m} add_diag({m} m, {s} d)"));
        t.add_string(format!("{m} add_diag({m} m, {v} d)"));
        t.add_string(format!("{m} add_diag({m} m, {r} d)"));
        t.add_string(format!("{v} diagonal({m} x)"));
        t.add_string(format!("{m} diag_matrix({v} x)"));
        t.add_string(format!("{v} col({m} x, int n)"));
        t.add_string(format!("{r} row({m} x, int m)"));
        t.add_string(format!("{m} block({m} x, int i, int j, int n_rows, int n_cols)"));
        t.add_string(format!("{v} sub_col({m} x, int i, int j, int n_rows)"));
        t.add_string(format!("{r} sub_row({m} x, int i, int j, int n_cols)"));
        for x in [v, r] {
            t.add_string(format!("{x} head({x} v, int n)"));
            t.add_string(format!("{x} tail({x} v, int n)"));
            t.add_string(format!("{x} segment({x} v, int i, int n)"));
        }
        for (a, b, ret) in [(m, m, m), (v, m, m), (m, v, m), (v, v, m), (r, r, r), (s, r, r), (r, s, r)] {
            t.add_string(format!("{ret} append_col({a} x, {b} y)"));
        }
        for (a, b, ret) in [(m, m, m), (r, m, m), (m, r, m), (r, r, m), (v, v, v), (s, v, v), (v, s, v)] {
            t.add_string(format!("{ret} append_row({a} x, {b} y)"));
        }
        t.add_string(format!("{m} symmetrize_from_lower_tri({m} A)"));
        t.add_string(format!("{s} trace({m} A)"));
    }
    t.add("matrix identity_matrix(int k)");
    // Linear algebra.
    t.adds(&[
        "vector mdivide_left(matrix A, vector b)",
        "matrix mdivide_left(matrix A, matrix B)",
        "vector mdivide_left_spd(matrix A, vector b)",
        "matrix mdivide_left_spd(matrix A, matrix B)",
        "vector mdivide_left_tri_low(matrix A, vector b)",
        "matrix mdivide_left_tri_low(matrix A, matrix B)",
        "row_vector mdivide_right(row_vector b, matrix A)",
        "matrix mdivide_right(matrix B, matrix A)",
        "complex_row_vector mdivide_right(complex_row_vector b, complex_matrix A)",
        "complex_matrix mdivide_right(complex_matrix B, complex_matrix A)",
        "row_vector mdivide_right_spd(row_vector b, matrix A)",
        "matrix mdivide_right_spd(matrix B, matrix A)",
        "row_vector mdivide_right_tri_low(row_vector b, matrix A)",
        "matrix mdivide_right_tri_low(matrix B, matrix A)",
        "real determinant(matrix A)",
        "real log_determinant(matrix A)",
        "real log_determinant_spd(matrix A)",
        "matrix inverse(matrix A)",
        "matrix inverse_spd(matrix A)",
        "matrix chol2inv(matrix L)",
        "matrix generalized_inverse(matrix A)",
        "matrix matrix_exp(matrix A)",
        "matrix matrix_exp_multiply(matrix A, matrix B)",
        "matrix scale_matrix_exp_multiply(real t, matrix A, matrix B)",
        "matrix matrix_power(matrix A, int B)",
        "matrix cholesky_decompose(matrix A)",
        "tuple(complex_matrix, complex_vector) eigendecompose(matrix A)",
        "tuple(complex_matrix, complex_vector) eigendecompose(complex_matrix A)",
        "complex_vector eigenvalues(matrix A)",
        "complex_vector eigenvalues(complex_matrix A)",
        "complex_matrix eigenvectors(matrix A)",
        "complex_matrix eigenvectors(complex_matrix A)",
        "tuple(matrix, vector) eigendecompose_sym(matrix A)",
        "tuple(complex_matrix, complex_vector) eigendecompose_sym(complex_matrix A)",
        "vector eigenvalues_sym(matrix A)",
        "complex_vector eigenvalues_sym(complex_matrix A)",
        "matrix eigenvectors_sym(matrix A)",
        "complex_matrix eigenvectors_sym(complex_matrix A)",
        "tuple(matrix, matrix) qr(matrix A)",
        "matrix qr_Q(matrix A)",
        "matrix qr_R(matrix A)",
        "tuple(matrix, matrix) qr_thin(matrix A)",
        "matrix qr_thin_Q(matrix A)",
        "matrix qr_thin_R(matrix A)",
        "vector singular_values(matrix A)",
        "vector singular_values(complex_matrix A)",
        "tuple(matrix, vector, matrix) svd(matrix A)",
        "tuple(complex_matrix, vector, complex_matrix) svd(complex_matrix A)",
        "matrix svd_U(matrix A)",
        "complex_matrix svd_U(complex_matrix A)",
        "matrix svd_V(matrix A)",
        "complex_matrix svd_V(complex_matrix A)",
        "tuple(complex_matrix, complex_matrix) complex_schur_decompose(matrix A)",
        "tuple(complex_matrix, complex_matrix) complex_schur_decompose(complex_matrix A)",
        "complex_matrix complex_schur_decompose_t(matrix A)",
        "complex_matrix complex_schur_decompose_t(complex_matrix A)",
        "complex_matrix complex_schur_decompose_u(matrix A)",
        "complex_matrix complex_schur_decompose_u(complex_matrix A)",
        "complex_vector fft(complex_vector v)",
        "complex_vector inv_fft(complex_vector u)",
        "complex_matrix fft2(complex_matrix m)",
        "complex_matrix inv_fft2(complex_matrix u)",
    ]);
    // Sparse matrices (compressed row storage).
    t.adds(&[
        "tuple(vector, array[] int, array[] int) csr_extract(matrix a)",
        "vector csr_extract_w(matrix a)",
        "array[] int csr_extract_v(matrix a)",
        "array[] int csr_extract_u(matrix a)",
        "matrix csr_to_dense_matrix(int m, int n, vector w, array[] int v, array[] int u)",
        "vector csr_matrix_times_vector(int m, int n, vector w, array[] int v, array[] int u, vector b)",
    ]);
    // Gaussian process covariance functions.
    for n in ["gp_exp_quad_cov", "gp_matern32_cov", "gp_matern52_cov", "gp_exponential_cov"] {
        t.add_string(format!("matrix {n}(array[] real x, real sigma, real length_scale)"));
        t.add_string(format!("matrix {n}(array[] real x1, array[] real x2, real sigma, real length_scale)"));
        t.add_string(format!("matrix {n}(array[] vector x, real sigma, real length_scale)"));
        t.add_string(format!("matrix {n}(array[] vector x1, array[] vector x2, real sigma, real length_scale)"));
        t.add_string(format!("matrix {n}(array[] vector x, real sigma, array[] real length_scale)"));
        t.add_string(format!(
            "matrix {n}(array[] vector x1, array[] vector x2, real sigma, array[] real length_scale)"
        ));
    }
    t.adds(&[
        "matrix gp_dot_prod_cov(array[] real x, real sigma)",
        "matrix gp_dot_prod_cov(array[] real x1, array[] real x2, real sigma)",
        "matrix gp_dot_prod_cov(array[] vector x, real sigma)",
        "matrix gp_dot_prod_cov(array[] vector x1, array[] vector x2, real sigma)",
        "matrix gp_periodic_cov(array[] real x, real sigma, real length_scale, real period)",
        "matrix gp_periodic_cov(array[] real x1, array[] real x2, real sigma, real length_scale, real period)",
        "matrix gp_periodic_cov(array[] vector x, real sigma, real length_scale, real period)",
        "matrix gp_periodic_cov(array[] vector x1, array[] vector x2, real sigma, real length_scale, real period)",
    ]);
}

/// Stan 2.37's functions of the constraining transforms (the Functions Reference's "Variable
/// Transformation Functions"): for each transform, `_constrain` (free values to constrained
/// ones), `_jacobian` (the same, adding the log-Jacobian to the target, as `jacobian +=` does)
/// and `_unconstrain` (back to free values).
fn transform_functions(t: &mut Table) {
    const SUFFIXES: [&str; 3] = ["constrain", "jacobian", "unconstrain"];
    // Scalars, element-wise: `y` is `reals`, each bound a `real` or of `y`'s type.
    for y in ["real", "array[] real", "vector", "row_vector"] {
        let bounds: &[&str] = if y == "real" { &["real"] } else { &["real", y] };
        for sfx in SUFFIXES {
            for (name, params) in [("lower_bound", ["lb"].as_slice()), ("upper_bound", &["ub"])] {
                for b in bounds {
                    t.add_string(format!("{y} {name}_{sfx}({y} y, {b} {})", params[0]));
                }
            }
            for (name, params) in [("lower_upper_bound", ["lb", "ub"]), ("offset_multiplier", ["offset", "mult"])] {
                for b1 in bounds {
                    for b2 in bounds {
                        t.add_string(format!("{y} {name}_{sfx}({y} y, {b1} {}, {b2} {})", params[0], params[1]));
                    }
                }
            }
        }
    }
    // Vectors, matrices and arrays of them (each element transformed alike).
    for d in 0..=MAX_ARRAY_DIMS {
        let (v, m) = (arr(d, "vector"), arr(d, "matrix"));
        for n in ["ordered", "positive_ordered", "simplex", "sum_to_zero", "unit_vectors"] {
            t.add_string(format!("{v} {n}_constrain({v} y)"));
            t.add_string(format!("{v} {n}_jacobian({v} y)"));
            t.add_string(format!("{v} {n}_unconstrain({v} x)"));
        }
        for (n, sizes) in [
            ("cholesky_factor_corr", "int K"),
            ("cholesky_factor_cov", "int M, int N"),
            ("corr_matrix", "int K"),
            ("cov_matrix", "int K"),
        ] {
            t.add_string(format!("{m} {n}_constrain({v} y, {sizes})"));
            t.add_string(format!("{m} {n}_jacobian({v} y, {sizes})"));
            t.add_string(format!("{v} {n}_unconstrain({m} x)"));
        }
        for n in ["stochastic_column", "stochastic_row", "sum_to_zero"] {
            t.add_string(format!("{m} {n}_constrain({m} y)"));
            t.add_string(format!("{m} {n}_jacobian({m} y)"));
            t.add_string(format!("{m} {n}_unconstrain({m} x)"));
        }
    }
}

/// Stan 2.37's embedded Laplace approximation. Their arguments after the function ones are
/// tuples of the functions' own arguments (and, for `_tol`, the solver's controls), which the
/// table writes as `...`.
fn embedded_laplace(t: &mut Table) {
    t.adds(&[
        "real laplace_marginal(function likelihood_function, ...)",
        "real laplace_marginal_tol(function likelihood_function, ...)",
        "vector laplace_latent_rng(function likelihood_function, ...)",
        "vector laplace_latent_tol_rng(function likelihood_function, ...)",
        "tuple(vector, real, int, int, int, int, int) generate_laplace_options(int theta_size)",
    ]);
    for (likelihood, extra) in [("poisson_log", ""), ("neg_binomial_2_log", "real eta, "), ("bernoulli_logit", "")] {
        for tol in ["", "_tol"] {
            t.add_string(format!(
                "real laplace_marginal{tol}_{likelihood}_lpmf(array[] int y | array[] int y_index, {extra}vector m, function covariance_function, ...)"
            ));
            t.add_string(format!(
                "vector laplace_latent{tol}_{likelihood}_rng(array[] int y, array[] int y_index, {extra}vector m, function covariance_function, ...)"
            ));
        }
    }
}

fn higher_order_functions(t: &mut Table) {
    t.adds(&[
        // The function arguments' own signatures are in the comments of the Functions Reference;
        // here they are only `function`.
        "real reduce_sum(function f, array[] T x, int grainsize, ...)",
        "real reduce_sum_static(function f, array[] T x, int grainsize, ...)",
        "vector map_rect(function f, vector phi, array[] vector thetas, data array[,] real x_rs, data array[,] int x_is)",
        "real integrate_1d(function integrand, real a, real b, array[] real theta, data array[] real x_r, data array[] int x_i)",
        "real integrate_1d(function integrand, real a, real b, array[] real theta, data array[] real x_r, data array[] int x_i, data real relative_tolerance)",
        "vector algebra_solver(function algebra_system, vector y_guess, vector theta, data array[] real x_r, data array[] int x_i)",
        "vector algebra_solver(function algebra_system, vector y_guess, vector theta, data array[] real x_r, data array[] int x_i, data real rel_tol, data real f_tol, data real max_steps)",
        "vector algebra_solver_newton(function algebra_system, vector y_guess, vector theta, data array[] real x_r, data array[] int x_i)",
        "vector algebra_solver_newton(function algebra_system, vector y_guess, vector theta, data array[] real x_r, data array[] int x_i, data real rel_tol, data real f_tol, data real max_steps)",
        "vector solve_newton(function algebra_system, vector y_guess, ...)",
        "vector solve_powell(function algebra_system, vector y_guess, ...)",
        "vector solve_newton_tol(function algebra_system, vector y_guess, data real scaling_step, data real f_tol, data int max_steps, ...)",
        "vector solve_powell_tol(function algebra_system, vector y_guess, data real rel_tol, data real f_tol, data int max_steps, ...)",
        "array[] vector dae(function residual, vector yy0, vector yp0, data real t0, data array[] real ts, ...)",
        "array[] vector dae_tol(function residual, vector yy0, vector yp0, data real t0, data array[] real ts, data real rtol, data real atol, data int max_num_steps, ...)",
        "array[] vector ode_adjoint_tol_ctl(function ode, vector initial_state, real initial_time, array[] real times, data real rel_tol_forward, data vector abs_tol_forward, data real rel_tol_backward, data vector abs_tol_backward, data real rel_tol_quadrature, data real abs_tol_quadrature, data int max_num_steps, data int num_steps_between_checkpoints, data int interpolation_polynomial, data int solver_forward, data int solver_backward, ...)",
    ]);
    for n in ["ode_rk45", "ode_ckrk", "ode_adams", "ode_bdf"] {
        t.add_string(format!(
            "array[] vector {n}(function ode, vector initial_state, real initial_time, array[] real times, ...)"
        ));
        t.add_string(format!(
            "array[] vector {n}_tol(function ode, vector initial_state, real initial_time, array[] real times, data real rel_tol, data real abs_tol, data int max_num_steps, ...)"
        ));
    }
    // Deprecated, still accepted.
    for n in ["integrate_ode", "integrate_ode_rk45", "integrate_ode_adams", "integrate_ode_bdf"] {
        t.add_string(format!("array[,] real {n}(function ode, array[] real initial_state, real initial_time, array[] real times, array[] real theta, data array[] real x_r, data array[] int x_i)"));
        t.add_string(format!("array[,] real {n}(function ode, array[] real initial_state, real initial_time, array[] real times, array[] real theta, data array[] real x_r, data array[] int x_i, data real rel_tol, data real abs_tol, data real max_num_steps)"));
    }
}

// ---------------------------------------------------------------------------------------------
// What vppl compiles today (compiler/src/sema/builtins.rs)
// ---------------------------------------------------------------------------------------------

/// Whether vppl compiles this concrete signature: for a function, what its entry in
/// `sema::builtins::functions` accepts; for distributions, the densities' own rules (still
/// written here, next to the lowering's list of them, until distributions get a table of their
/// own). `compiler/tests/catalog_agreement.rs` compiles a call of every signature and fails on
/// any disagreement.
fn vppl_status(name: &str, args: &[ArgType]) -> Status {
    let args: Vec<ArgType> = args.iter().map(|a| a.autodiff()).collect();
    // A complex argument is the complex table's alone; it also compiles some functions of
    // real arguments with a complex result (`to_complex`, `eigenvalues`).
    let yes = crate::sema::builtins::complex::accepts(name, &args)
        || (!args.iter().any(|a| a.base.is_complex()) && vppl_accepts(name, &args));
    if yes { Status::Implemented } else { Status::SignatureOnly }
}

fn vppl_accepts(name: &str, args: &[ArgType]) -> bool {
    let one_dim = |a: &ArgType| a.is_primitive() || a.rank() == 1;
    if crate::sema::builtins::is_higher_order(name) {
        return crate::sema::builtins::higher_order::implemented(name);
    }
    if let Some(f) = crate::sema::builtins::functions::function(name) {
        return (f.accepts)(args);
    }
    for sfx in ["_lpdf", "_lpmf", "_lupdf", "_lupmf"] {
        if let Some(base) = name.strip_suffix(sfx) {
            return crate::sema::builtins::distributions::density_accepts(base, args);
        }
    }
    if let Some(base) = name.strip_suffix("_rng") {
        if let Some(c) = crate::sema::builtins::random::composite(base) {
            return (c.accepts)(args);
        }
        return crate::ir::RngDist::by_name(base).is_some_and(|d| d.arity() == args.len()) && args.iter().all(one_dim);
    }
    ["_lcdf", "_lccdf", "_cdf"].iter().any(|sfx| {
        name.strip_suffix(sfx).is_some_and(|base| crate::sema::builtins::distributions::cdf_accepts(base, args))
    })
}

// ---------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------

/// Whether a distribution's density is over reals or ints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DensityKind {
    /// `_lpdf` / `_lupdf`.
    Pdf,
    /// `_lpmf` / `_lupmf`.
    Pmf,
}

/// A distribution and which of its derived functions exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    pub name: &'static str,
    pub kind: DensityKind,
    pub has_cdf: bool,
    pub has_lcdf: bool,
    pub has_lccdf: bool,
    pub has_rng: bool,
}

impl Distribution {
    /// `normal_lpdf` or `poisson_lpmf`.
    pub fn density_name(&self) -> String {
        format!("{}_{}", self.name, if self.kind == DensityKind::Pdf { "lpdf" } else { "lpmf" })
    }
}

struct Catalog {
    families: Vec<Family>,
    families_by_name: HashMap<&'static str, Vec<usize>>,
    /// Every name, sorted.
    names: Vec<&'static str>,
    /// The signatures of `names[i]`, expanded from its families the first time it is looked
    /// up: expanding the whole table (25 000 signatures) takes longer than compiling a model.
    expanded: Vec<OnceLock<Vec<Signature>>>,
    distributions: Vec<Distribution>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(build_catalog)
}

fn build_catalog() -> Catalog {
    let families = build_table();
    let mut families_by_name: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (i, f) in families.iter().enumerate() {
        families_by_name.entry(f.name).or_default().push(i);
    }
    let mut names: Vec<&'static str> = families_by_name.keys().copied().collect();
    names.sort_unstable();
    let mut distributions = Vec::new();
    for n in &names {
        let (base, kind) = if let Some(b) = n.strip_suffix("_lpdf") {
            (b, DensityKind::Pdf)
        } else if let Some(b) = n.strip_suffix("_lpmf") {
            (b, DensityKind::Pmf)
        } else {
            continue;
        };
        let has = |sfx: &str| families_by_name.contains_key(format!("{base}_{sfx}").as_str());
        distributions.push(Distribution {
            name: base,
            kind,
            has_cdf: has("cdf"),
            has_lcdf: has("lcdf"),
            has_lccdf: has("lccdf"),
            has_rng: has("rng"),
        });
    }
    distributions.sort_by_key(|d| d.name);
    let expanded = names.iter().map(|_| OnceLock::new()).collect();
    Catalog { families, families_by_name, names, expanded, distributions }
}

/// The concrete signatures of one function, in table order, each argument list once.
fn expand_name(c: &Catalog, name: &'static str) -> Vec<Signature> {
    let mut out = Vec::new();
    let mut seen: HashSet<Vec<ArgType>> = HashSet::new();
    for &i in c.families_by_name.get(name).into_iter().flatten() {
        let fam = &c.families[i];
        for (args, ret) in fam.expand() {
            if seen.insert(args.clone()) {
                let status = vppl_status(fam.name, &args);
                out.push(Signature { name: fam.name, args, ret, status, variadic: fam.variadic, family: i });
            }
        }
    }
    out
}

/// Every concrete signature, grouped by name (names sorted).
pub fn signatures() -> &'static [Signature] {
    static ALL: OnceLock<Vec<Signature>> = OnceLock::new();
    ALL.get_or_init(|| all_names().iter().flat_map(|n| lookup(n).cloned()).collect())
}

/// The compact table the signatures were expanded from.
pub fn families() -> &'static [Family] {
    &catalog().families
}

/// The concrete signatures of one function.
pub fn lookup(name: &str) -> impl Iterator<Item = &'static Signature> {
    let c = catalog();
    let sigs: &'static [Signature] = match c.names.binary_search(&name) {
        Ok(i) => c.expanded[i].get_or_init(|| expand_name(c, c.names[i])),
        Err(_) => &[],
    };
    sigs.iter()
}

/// The compact entries of one function, for "candidate signatures" hints.
pub fn lookup_families(name: &str) -> impl Iterator<Item = &'static Family> {
    let c = catalog();
    c.families_by_name.get(name).into_iter().flatten().map(move |i| &c.families[*i])
}

/// Whether `name` is a built-in function (including every derived distribution function).
pub fn is_builtin(name: &str) -> bool {
    catalog().names.binary_search(&name).is_ok()
}

/// Every built-in name, sorted, for did-you-mean suggestions.
pub fn all_names() -> &'static [&'static str] {
    &catalog().names
}

/// Every distribution (everything with an `_lpdf` or `_lpmf`), sorted by name.
pub fn distributions() -> &'static [Distribution] {
    &catalog().distributions
}

/// The distribution `y ~ name(...)` refers to.
/// The suffixes of the functions written with Stan's conditional notation, `f(y | theta)`:
/// only they may use the `|`, and with more than one argument they must (built-in or not).
pub const CONDITIONAL_SUFFIXES: [&str; 7] = ["_lpdf", "_lupdf", "_lpmf", "_lupmf", "_cdf", "_lcdf", "_lccdf"];

/// Whether a call of `name` is written `name(y | ...)`.
pub fn is_conditional(name: &str) -> bool {
    CONDITIONAL_SUFFIXES.iter().any(|s| name.ends_with(s))
}

pub fn distribution(name: &str) -> Option<&'static Distribution> {
    let ds = distributions();
    ds.binary_search_by(|d| d.name.cmp(name)).ok().map(|i| &ds[i])
}

// ---------------------------------------------------------------------------------------------
// Overload resolution
// ---------------------------------------------------------------------------------------------

/// The outcome of resolving a call against a set of signatures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// The one signature needing the fewest promotions.
    Match { signature: &'a Signature, promotions: u32 },
    /// The best signature requires argument `arg` to be data only, and it is not.
    NeedsData { signature: &'a Signature, arg: usize },
    /// Several signatures need the same, fewest, promotions.
    Ambiguous(Vec<&'a Signature>),
    /// No signature accepts the arguments; every candidate, for the hint.
    NoMatch(Vec<&'a Signature>),
    /// No function has this name.
    UnknownName,
}

/// The promotions a call with `args` needs to match `sig` (`None` if it cannot). A
/// data-only parameter is not checked here (see [`Resolution::NeedsData`]).
pub fn match_cost(sig: &Signature, args: &[ArgType]) -> Option<u32> {
    let arity_ok = if sig.variadic { args.len() >= sig.args.len() } else { args.len() == sig.args.len() };
    if !arity_ok {
        return None;
    }
    sig.args.iter().zip(args).map(|(p, a)| a.promotion_cost(*p)).sum()
}

/// Resolves a call to the built-in `name` with arguments of types `args` (their `data_only`
/// saying whether each argument is data).
pub fn resolve(name: &str, args: &[ArgType]) -> Resolution<'static> {
    let candidates: Vec<&'static Signature> = lookup(name).collect();
    if candidates.is_empty() {
        return Resolution::UnknownName;
    }
    resolve_among(candidates, args)
}

/// Stan's overload resolution over any set of signatures (built-in or user-defined): the
/// signatures the arguments can be promoted to, the one needing the fewest promotions wins,
/// a tie is ambiguous.
pub fn resolve_among<'a>(candidates: impl IntoIterator<Item = &'a Signature>, args: &[ArgType]) -> Resolution<'a> {
    let candidates: Vec<&'a Signature> = candidates.into_iter().collect();
    if candidates.is_empty() {
        return Resolution::UnknownName;
    }
    let mut best: Vec<&'a Signature> = Vec::new();
    let mut best_cost = u32::MAX;
    for s in &candidates {
        if let Some(c) = match_cost(s, args) {
            if c < best_cost {
                best_cost = c;
                best.clear();
            }
            if c == best_cost {
                best.push(s);
            }
        }
    }
    match best.len() {
        0 => Resolution::NoMatch(candidates),
        1 => {
            let signature = best[0];
            for (i, (p, a)) in signature.args.iter().zip(args).enumerate() {
                if p.data_only && !a.data_only {
                    return Resolution::NeedsData { signature, arg: i };
                }
            }
            Resolution::Match { signature, promotions: best_cost }
        }
        _ => Resolution::Ambiguous(best),
    }
}
