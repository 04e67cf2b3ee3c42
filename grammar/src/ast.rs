//! The syntax tree of a Stan program. Every node carries the [`Span`] of its source text.
//!
//! Invariant: the AST knows nothing about types beyond what the user wrote; sema decides
//! what an expression means (a multi-index versus a single index, an `_lpdf` call versus a
//! user function, int versus real arithmetic).

pub mod pretty;

use crate::span::Span;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Program {
    pub functions: Option<ProgramBlock>,
    pub data: Option<ProgramBlock>,
    pub transformed_data: Option<ProgramBlock>,
    pub parameters: Option<ProgramBlock>,
    pub transformed_parameters: Option<ProgramBlock>,
    pub model: Option<ProgramBlock>,
    pub generated_quantities: Option<ProgramBlock>,
    /// Comments in source order (`//`, `/* */`), kept for the formatter.
    pub comments: Vec<Comment>,
    /// Byte offsets of the blank lines outside comments, kept so the formatter keeps the
    /// program's paragraphs.
    pub blank_lines: Vec<u32>,
}

impl Program {
    /// The blocks present, in program order.
    pub fn blocks(&self) -> impl Iterator<Item = &ProgramBlock> {
        [
            &self.functions,
            &self.data,
            &self.transformed_data,
            &self.parameters,
            &self.transformed_parameters,
            &self.model,
            &self.generated_quantities,
        ]
        .into_iter()
        .flatten()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKind {
    Functions,
    Data,
    TransformedData,
    Parameters,
    TransformedParameters,
    Model,
    GeneratedQuantities,
}

impl BlockKind {
    /// The block's keyword, as written: `transformed data`.
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Functions => "functions",
            BlockKind::Data => "data",
            BlockKind::TransformedData => "transformed data",
            BlockKind::Parameters => "parameters",
            BlockKind::TransformedParameters => "transformed parameters",
            BlockKind::Model => "model",
            BlockKind::GeneratedQuantities => "generated quantities",
        }
    }
}

/// One of the program's top-level blocks. In the `functions` block the statements are all
/// [`StmtKind::FunDef`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramBlock {
    pub kind: BlockKind,
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The comment's full text including its delimiters (`// note`, `/* note */`), without
    /// trailing whitespace.
    pub text: String,
    pub span: Span,
    /// Whether code precedes the comment on its line (`x = 1;  // note`); the formatter
    /// keeps such comments at the end of the line.
    pub trailing: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

// ---------------------------------------------------------------------------------------------
// Types

/// The shape keyword of a declared or unsized type. Sizes live beside it in [`DeclType`].
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Int,
    Real,
    Complex,
    Vector,
    RowVector,
    Matrix,
    ComplexVector,
    ComplexRowVector,
    ComplexMatrix,
    Simplex,
    Ordered,
    PositiveOrdered,
    UnitVector,
    SumToZeroVector,
    SumToZeroMatrix,
    CholeskyFactorCorr,
    CholeskyFactorCov,
    CorrMatrix,
    CovMatrix,
    ColumnStochasticMatrix,
    RowStochasticMatrix,
    Tuple(Vec<DeclType>),
}

impl TypeKind {
    /// The unconstrained kind that stores the same values (`simplex` → `vector`,
    /// `cov_matrix` → `matrix`); an unconstrained kind is its own.
    pub fn plain(&self) -> TypeKind {
        match self {
            TypeKind::Simplex
            | TypeKind::Ordered
            | TypeKind::PositiveOrdered
            | TypeKind::UnitVector
            | TypeKind::SumToZeroVector => TypeKind::Vector,
            TypeKind::SumToZeroMatrix
            | TypeKind::CholeskyFactorCorr
            | TypeKind::CholeskyFactorCov
            | TypeKind::CorrMatrix
            | TypeKind::CovMatrix
            | TypeKind::ColumnStochasticMatrix
            | TypeKind::RowStochasticMatrix => TypeKind::Matrix,
            other => other.clone(),
        }
    }

    /// Whether the kind itself constrains its values (`simplex`, not `vector`).
    pub fn is_constrained(&self) -> bool {
        self.plain() != *self
    }

    /// The keyword that spells this type in Stan.
    pub fn keyword(&self) -> &'static str {
        match self {
            TypeKind::Int => "int",
            TypeKind::Real => "real",
            TypeKind::Complex => "complex",
            TypeKind::Vector => "vector",
            TypeKind::RowVector => "row_vector",
            TypeKind::Matrix => "matrix",
            TypeKind::ComplexVector => "complex_vector",
            TypeKind::ComplexRowVector => "complex_row_vector",
            TypeKind::ComplexMatrix => "complex_matrix",
            TypeKind::Simplex => "simplex",
            TypeKind::Ordered => "ordered",
            TypeKind::PositiveOrdered => "positive_ordered",
            TypeKind::UnitVector => "unit_vector",
            TypeKind::SumToZeroVector => "sum_to_zero_vector",
            TypeKind::SumToZeroMatrix => "sum_to_zero_matrix",
            TypeKind::CholeskyFactorCorr => "cholesky_factor_corr",
            TypeKind::CholeskyFactorCov => "cholesky_factor_cov",
            TypeKind::CorrMatrix => "corr_matrix",
            TypeKind::CovMatrix => "cov_matrix",
            TypeKind::ColumnStochasticMatrix => "column_stochastic_matrix",
            TypeKind::RowStochasticMatrix => "row_stochastic_matrix",
            TypeKind::Tuple(_) => "tuple",
        }
    }
}

/// `<lower=…, upper=…>` or `<offset=…, multiplier=…>`; all absent when unconstrained.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Constraint {
    pub lower: Option<Expr>,
    pub upper: Option<Expr>,
    pub offset: Option<Expr>,
    pub multiplier: Option<Expr>,
}

impl Constraint {
    pub fn is_empty(&self) -> bool {
        self.lower.is_none() && self.upper.is_none() && self.offset.is_none() && self.multiplier.is_none()
    }
}

/// A sized type as written in a variable declaration: `array[N, 2] vector<lower=0>[K]`.
///
/// `sizes` holds the bracketed sizes after the keyword in source order (`vector[K]` → `[K]`,
/// `matrix[N, M]` → `[N, M]`, `cholesky_factor_cov[M, N]` → `[M, N]`, `real` → `[]`).
/// For a tuple, `sizes` is empty and the element types are in `TypeKind::Tuple`.
#[derive(Clone, Debug, PartialEq)]
pub struct DeclType {
    pub array_dims: Vec<Expr>,
    pub kind: TypeKind,
    pub constraint: Constraint,
    pub sizes: Vec<Expr>,
    pub span: Span,
}

/// A type without sizes, as in function signatures: `data array[,] real`, `vector`.
///
/// For `tuple(...)` the elements are stored as [`DeclType`]s (that is what
/// [`TypeKind::Tuple`] holds) with no sizes and no constraint; since an unsized element has no
/// size expressions, its `array_dims` holds one placeholder `ExprKind::Int(0)` per array
/// dimension, and only the number of entries is meaningful (`array[,] real` → 2).
#[derive(Clone, Debug, PartialEq)]
pub struct UnsizedType {
    /// Number of array dimensions (`array[,] real` → 2).
    pub array_dims: usize,
    pub kind: TypeKind,
    /// Whether the argument was declared with the `data` qualifier.
    pub data_only: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ReturnType {
    Void(Span),
    Type(UnsizedType),
}

// ---------------------------------------------------------------------------------------------
// Expressions

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// Calls `f` on this expression and every expression inside it, parents first.
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Int(_) | ExprKind::Real(..) | ExprKind::Imag(..) | ExprKind::Str(_) | ExprKind::Var(_) => {}
            ExprKind::Unary { operand: e, .. } | ExprKind::TupleGet { base: e, .. } | ExprKind::Paren(e) => e.walk(f),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.walk(f);
                rhs.walk(f);
            }
            ExprKind::Cond { cond, then, otherwise } => {
                cond.walk(f);
                then.walk(f);
                otherwise.walk(f);
            }
            ExprKind::Call { args: items, .. }
            | ExprKind::ArrayLit(items)
            | ExprKind::RowVectorLit(items)
            | ExprKind::TupleLit(items) => items.iter().for_each(|e| e.walk(f)),
            ExprKind::Index { base, indices } => {
                base.walk(f);
                for i in indices {
                    match i {
                        Index::Single(e) => e.walk(f),
                        Index::Range { lo, hi, .. } => lo.iter().chain(hi).for_each(|e| e.walk(f)),
                        Index::All(_) => {}
                    }
                }
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal; the text is kept so the formatter prints it as written.
    Int(i64),
    /// A real literal with its source text (`1e-3`, `.5`).
    Real(f64, String),
    /// An imaginary literal such as `2i` or `1.5i`, with its source text.
    Imag(f64, String),
    /// A string literal (only valid in `print`, `reject`, `fatal_error`), without the quotes.
    Str(String),
    Var(Ident),
    Unary {
        op: UnOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `cond ? then : otherwise`
    Cond {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `f(a, b)`, or `f(a | b, c)`: `bar` is the span of the `|`, which comes after the first
    /// argument (Stan's conditional notation).
    Call {
        name: Ident,
        args: Vec<Expr>,
        bar: Option<Span>,
    },
    /// `base[i, j:k, :]`
    Index {
        base: Box<Expr>,
        indices: Vec<Index>,
    },
    /// `{a, b, c}`
    ArrayLit(Vec<Expr>),
    /// `[a, b, c]`
    RowVectorLit(Vec<Expr>),
    /// `(a, b)`: a tuple of at least two elements.
    TupleLit(Vec<Expr>),
    /// `base.1` (1-based tuple element).
    TupleGet {
        base: Box<Expr>,
        index: usize,
    },
    /// `(e)`: kept so the formatter reproduces the user's parentheses.
    Paren(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Plus,
    Not,
    /// Postfix `'`.
    Transpose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    /// `%`
    Mod,
    /// `%/%`
    IntDiv,
    /// `\`
    LeftDiv,
    /// `.*`
    EltMul,
    /// `./`
    EltDiv,
    /// `^`
    Pow,
    /// `.^`
    EltPow,
}

impl UnOp {
    /// The operator as written (`'` follows its operand, the others precede it).
    pub fn symbol(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Plus => "+",
            UnOp::Not => "!",
            UnOp::Transpose => "'",
        }
    }
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Neq => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::IntDiv => "%/%",
            BinOp::LeftDiv => "\\",
            BinOp::EltMul => ".*",
            BinOp::EltDiv => "./",
            BinOp::Pow => "^",
            BinOp::EltPow => ".^",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Index {
    /// `[e]`: a single index if `e` is an int, a multi-index if `e` is an int array.
    Single(Expr),
    /// `[lo:hi]`, `[lo:]`, `[:hi]`.
    Range { lo: Option<Expr>, hi: Option<Expr>, span: Span },
    /// `[:]` or an empty position in `[ , 2]`.
    All(Span),
}

// ---------------------------------------------------------------------------------------------
// Statements

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssignOp {
    Assign,
    Add,
    Sub,
    Mul,
    Div,
    EltMul,
    EltDiv,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    pub ty: DeclType,
    pub name: Ident,
    pub init: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub ty: UnsizedType,
    pub name: Ident,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunDef {
    pub return_type: ReturnType,
    pub name: Ident,
    pub params: Vec<Param>,
    /// `None` for a forward declaration (`real f(real x);`).
    pub body: Option<Box<Stmt>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Decl(VarDecl),
    FunDef(FunDef),
    /// `lhs op= rhs`; `lhs` is a variable, possibly indexed (checked by sema).
    Assign {
        lhs: Expr,
        op: AssignOp,
        rhs: Expr,
    },
    /// `lhs ~ dist(args) T[lower, upper]`
    Tilde {
        lhs: Expr,
        dist: Ident,
        args: Vec<Expr>,
        truncation: Option<Truncation>,
    },
    /// `target += e;`
    TargetPlus(Expr),
    /// `jacobian += e;`
    JacobianPlus(Expr),
    For {
        var: Ident,
        lo: Expr,
        hi: Expr,
        body: Box<Stmt>,
    },
    /// `for (x in container) body`
    ForEach {
        var: Ident,
        container: Expr,
        body: Box<Stmt>,
    },
    While {
        cond: Expr,
        body: Box<Stmt>,
    },
    If {
        cond: Expr,
        then: Box<Stmt>,
        otherwise: Option<Box<Stmt>>,
    },
    Block(Vec<Stmt>),
    Profile {
        name: String,
        body: Vec<Stmt>,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    /// `print(...)`; string literals appear as [`ExprKind::Str`].
    Print(Vec<Expr>),
    Reject(Vec<Expr>),
    FatalError(Vec<Expr>),
    /// A function call used as a statement (a `void` function).
    Call(Expr),
    /// A lone `;`.
    Empty,
}

/// `T[lo, hi]`, `T[lo, ]`, `T[, hi]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Truncation {
    pub lower: Option<Expr>,
    pub upper: Option<Expr>,
    pub span: Span,
}
