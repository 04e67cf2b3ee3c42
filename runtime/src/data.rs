//! Data files in CmdStan's JSON format, read against the data block's declarations.
//!
//! The compiler describes each data variable with a [`DataSpec`] (element type, array rank and
//! shape); [`DataFile::get`] checks the JSON value against it and flattens it. CmdStan's rules:
//! a scalar is a number; an array is a nested JSON array, outermost dimension first; a vector or
//! row vector is an array of numbers; a `matrix[R, C]` is an array of R rows of C numbers; reals
//! may be written as integers, as the strings `"inf"`, `"-inf"`, `"Infinity"`, `"NaN"` (in any
//! case, with an optional `+`), and as the bare words `NaN`, `Infinity` and `-Infinity` that
//! Python's `json.dump` writes (not JSON, but CmdStan reads them); an int must be written as an
//! integer (`150.0` is refused, as CmdStan refuses it); arrays must be rectangular. Keys the model
//! does not declare are ignored.

use serde_json::Value;

/// The element type of a data variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ElemType {
    Int,
    Real,
    /// The real or the imaginary part of a complex variable: each element is written as the
    /// JSON pair `[re, im]` (CmdStan's form), and the part is taken from it.
    RealPart,
    ImagPart,
}

impl ElemType {
    fn is_part(self) -> bool {
        matches!(self, ElemType::RealPart | ElemType::ImagPart)
    }
}

/// The shape of one element of a (possibly zero-rank) array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shape {
    Scalar,
    Vector,
    RowVector,
    Matrix,
}

impl Shape {
    /// How many JSON array levels the shape adds below the array dimensions.
    fn rank(self) -> usize {
        match self {
            Shape::Scalar => 0,
            Shape::Vector | Shape::RowVector => 1,
            Shape::Matrix => 2,
        }
    }
}

/// The static description of one data variable, from the data block.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DataSpec {
    pub name: String,
    pub elem: ElemType,
    /// The array dimensions of the value read: for a component of a tuple, those of the
    /// arrays around each tuple on the way, then its own.
    pub array_rank: usize,
    pub shape: Shape,
    /// For a component of a tuple variable (the compiler reads each component on its own, an
    /// array of tuples as the arrays of each component): the way to it from the variable, as
    /// (array levels to go down, then the 1-based component of the tuple found there), one step
    /// per tuple. CmdStan writes a tuple as an object with the keys `"1"`, `"2"`, ….
    pub tuple_path: Vec<(usize, usize)>,
}

impl DataSpec {
    /// Stan's name of what the spec reads: `x`, or `x.2.1` for a component of a tuple.
    pub fn label(&self) -> String {
        let mut label = self.name.clone();
        for (_, k) in &self.tuple_path {
            label.push_str(&format!(".{k}"));
        }
        label
    }
}

/// Flat values of one data variable.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Int(Vec<i64>),
    Real(Vec<f64>),
}

/// One data variable's value.
///
/// `dims` is the array dimensions followed by `[len]` for a vector or row vector, or
/// `[rows, cols]` for a matrix. `values` is flat: array elements in row-major order (outermost
/// index slowest), each vector contiguous, each matrix in column-major order (as Stan stores
/// it). A dimension inside an empty array cannot be seen in the JSON and is reported as 0.
#[derive(Clone, Debug, PartialEq)]
pub struct DataValue {
    pub dims: Vec<usize>,
    pub values: Values,
}

/// A parsed data file.
#[derive(Clone, Debug, PartialEq)]
pub struct DataFile {
    fields: serde_json::Map<String, Value>,
}

/// A problem with the data file or with one variable in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// The data variable concerned; `None` for errors about the file as a whole.
    pub variable: Option<String>,
    pub message: String,
    /// 1-based position of a JSON syntax error.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.variable {
            Some(name) => write!(f, "data variable `{name}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DataError {}

/// Parses the text of a CmdStan JSON data file. The top level must be an object.
pub fn parse_data_file(text: &str) -> Result<DataFile, DataError> {
    // An empty file holds no variables, like `{}`: a model without data can be given one, and
    // a model with data then gets a "missing" error naming the first variable it needs.
    if text.trim().is_empty() {
        return Ok(DataFile::empty());
    }
    let text = quote_bare_non_finite(text);
    let value: Value = serde_json::from_str(&text).map_err(|err| {
        // serde_json's message ends in " at line L column C"; we report the position separately.
        let full = err.to_string();
        let message = match full.rfind(" at line ") {
            Some(at) => &full[..at],
            None => &full,
        };
        DataError {
            variable: None,
            message: format!(
                "invalid JSON in the data file at line {}, column {}: {message}",
                err.line(),
                err.column()
            ),
            line: Some(err.line()),
            column: Some(err.column()),
        }
    })?;
    match value {
        Value::Object(fields) => Ok(DataFile { fields }),
        other => Err(DataError {
            variable: None,
            message: format!(
                "the data file must hold a JSON object ({{\"name\": value, ...}}) at the top level, found {}",
                describe_found(&other)
            ),
            line: None,
            column: None,
        }),
    }
}

/// Puts quotes around the bare words `NaN`, `Infinity` and `-Infinity` outside strings, so
/// serde_json reads them as the strings CmdStan's spellings already are. Anything else is left
/// for the JSON parser to judge. The text is borrowed unchanged when it has none.
fn quote_bare_non_finite(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("NaN") && !text.contains("Infinity") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if let Some(word) = ["-Infinity", "Infinity", "NaN"].into_iter().find(|w| rest.starts_with(w)) {
            out.push('"');
            out.push_str(word);
            out.push('"');
            rest = &rest[word.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

impl DataFile {
    /// The data of a model without a data file: every declared variable is missing.
    pub fn empty() -> Self {
        DataFile { fields: serde_json::Map::new() }
    }

    /// Whether the file has a value for `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// Reads the variable `spec.name`, checking its structure and element type against `spec`.
    pub fn get(&self, spec: &DataSpec) -> Result<DataValue, DataError> {
        let error = |message: String| DataError { variable: Some(spec.label()), message, line: None, column: None };
        let value = self.fields.get(&spec.name).ok_or_else(|| {
            error(format!("missing from the data file (the model declares `{}` in the data block)", declaration(spec)))
        })?;
        let projected;
        let value = match spec.tuple_path.split_first() {
            None => value,
            Some(((levels, k), rest)) => {
                projected = component(value, *levels, *k, rest).map_err(error)?;
                &projected
            }
        };

        let depth = spec.array_rank + spec.shape.rank();
        // A complex element is one more level: its pair.
        let pair = usize::from(spec.elem.is_part());
        let found_depth = nesting_depth(value);
        // An empty array hides how deep its elements would have been, so `[]` fits any rank.
        let depth_fits = found_depth == depth + pair || (ends_in_empty_array(value) && found_depth < depth + pair);
        if !depth_fits || (depth + pair == 0 && !is_scalar_like(value)) {
            return Err(error(format!(
                "expected {}, found {}",
                describe_expected(spec.elem, depth),
                describe_found(value)
            )));
        }

        let dims = dimensions(value, depth);
        let mut reader = Reader { spec, dims: &dims, ints: Vec::new(), reals: Vec::new() };
        reader.check_rectangular(value, 0, &mut Vec::new()).map_err(error)?;
        reader.flatten_arrays(value, 0, &mut Vec::new()).map_err(error)?;

        let values = match spec.elem {
            ElemType::Int => Values::Int(reader.ints),
            ElemType::Real | ElemType::RealPart | ElemType::ImagPart => Values::Real(reader.reals),
        };
        Ok(DataValue { dims, values })
    }
}

/// Walks one variable's JSON in Stan's storage order, collecting its elements.
struct Reader<'a> {
    spec: &'a DataSpec,
    dims: &'a [usize],
    ints: Vec<i64>,
    reals: Vec<f64>,
}

impl Reader<'_> {
    /// Checks that every array at the same level has the size of the first one, naming the
    /// first element that differs. `path` holds the 1-based indices leading to `value`.
    fn check_rectangular(&self, value: &Value, level: usize, path: &mut Vec<usize>) -> Result<(), String> {
        if level == self.dims.len() {
            return Ok(());
        }
        let Value::Array(items) = value else {
            return Err(format!("expected an array at {}, found {}", self.element_name(path), describe_found(value)));
        };
        if level + 1 < self.dims.len() {
            let first_len = items.first().and_then(array_len);
            for (index, item) in items.iter().enumerate() {
                let Some(len) = array_len(item) else {
                    path.push(index + 1);
                    return Err(format!(
                        "expected an array at {}, found {}",
                        self.element_name(path),
                        describe_found(item)
                    ));
                };
                if Some(len) != first_len {
                    let location =
                        if path.is_empty() { String::new() } else { format!(" at {}", self.element_name(path)) };
                    // The level just below the array dimensions of a matrix holds its rows.
                    let (what, part) = if self.spec.shape == Shape::Matrix && level == self.spec.array_rank {
                        ("matrix", "row")
                    } else {
                        ("array", "element")
                    };
                    return Err(format!(
                        "ragged {what}{location}: {part} {} has {}, {part} 1 has {}",
                        index + 1,
                        entries(len),
                        first_len.unwrap_or(0)
                    ));
                }
            }
            for (index, item) in items.iter().enumerate() {
                path.push(index + 1);
                self.check_rectangular(item, level + 1, path)?;
                path.pop();
            }
        }
        Ok(())
    }

    /// Flattens the array dimensions in row-major order, then each vector or matrix element.
    fn flatten_arrays(&mut self, value: &Value, level: usize, path: &mut Vec<usize>) -> Result<(), String> {
        if level == self.spec.array_rank {
            return self.flatten_element(value, path);
        }
        let items = value.as_array().expect("checked by check_rectangular");
        for (index, item) in items.iter().enumerate() {
            path.push(index + 1);
            self.flatten_arrays(item, level + 1, path)?;
            path.pop();
        }
        Ok(())
    }

    /// One array element: a scalar, a vector (contiguous), or a matrix (transposed from JSON's
    /// rows into Stan's column-major order).
    fn flatten_element(&mut self, value: &Value, path: &mut Vec<usize>) -> Result<(), String> {
        match self.spec.shape {
            Shape::Scalar => self.push_number(value, path),
            Shape::Vector | Shape::RowVector => {
                let items = value.as_array().expect("checked by check_rectangular");
                for (index, item) in items.iter().enumerate() {
                    path.push(index + 1);
                    self.push_number(item, path)?;
                    path.pop();
                }
                Ok(())
            }
            Shape::Matrix => {
                let rows = value.as_array().expect("checked by check_rectangular");
                let n_cols = rows.first().and_then(array_len).unwrap_or(0);
                for col in 0..n_cols {
                    for (row_index, row) in rows.iter().enumerate() {
                        let item = &row.as_array().expect("checked by check_rectangular")[col];
                        path.push(row_index + 1);
                        path.push(col + 1);
                        self.push_number(item, path)?;
                        path.truncate(path.len() - 2);
                    }
                }
                Ok(())
            }
        }
    }

    fn push_number(&mut self, value: &Value, path: &[usize]) -> Result<(), String> {
        let at = if path.is_empty() { String::new() } else { format!(" at {}", self.element_name(path)) };
        match self.spec.elem {
            ElemType::Int => {
                let int = to_int(value).map_err(|found| format!("expected an int{at}, found {found}"))?;
                self.ints.push(int);
            }
            ElemType::Real => {
                let real = to_real(value).map_err(|found| format!("expected a real{at}, found {found}"))?;
                self.reals.push(real);
            }
            ElemType::RealPart | ElemType::ImagPart => {
                let expected = || format!("expected a complex number [re, im]{at}, found {}", describe_found(value));
                let pair = value.as_array().filter(|p| p.len() == 2).ok_or_else(expected)?;
                let k = usize::from(self.spec.elem == ElemType::ImagPart);
                let part = to_real(&pair[k]).map_err(|found| {
                    format!("expected a real as the {} part{at}, found {found}", ["real", "imaginary"][k])
                })?;
                self.reals.push(part);
            }
        }
        Ok(())
    }

    /// `y[2,3]`: the Stan spelling of the element at `path`.
    fn element_name(&self, path: &[usize]) -> String {
        let indices: Vec<String> = path.iter().map(usize::to_string).collect();
        format!("{}[{}]", self.spec.name, indices.join(","))
    }
}

/// An int must be written as an integer within Stan's 32-bit range. `3.0` is refused, as
/// CmdStan refuses it: it is a real in JSON, and a model that declares an int usually counts
/// with it, so a real there is more often a mistake (a column of the wrong variable) than a
/// writer's habit. The message says how to write it.
/// The value of one component of the tuples inside `levels` levels of arrays of `value`, the
/// arrays kept (then the rest of the way, the same from there).
fn component(value: &Value, levels: usize, k: usize, rest: &[(usize, usize)]) -> Result<Value, String> {
    if levels > 0 {
        let Value::Array(items) = value else {
            return Err(format!("expected an array of tuples, found {}", describe_found(value)));
        };
        let items = items.iter().map(|item| component(item, levels - 1, k, rest)).collect::<Result<_, _>>()?;
        return Ok(Value::Array(items));
    }
    let Value::Object(fields) = value else {
        return Err(format!(
            "expected a tuple (an object with the keys \"1\", \"2\", …), found {}",
            describe_found(value)
        ));
    };
    let inner = fields.get(&k.to_string()).ok_or_else(|| format!("the tuple has no element \"{k}\""))?;
    match rest.split_first() {
        None => Ok(inner.clone()),
        Some(((levels, k), rest)) => component(inner, *levels, *k, rest),
    }
}

fn to_int(value: &Value) -> Result<i64, String> {
    let out_of_range = |text: String| format!("{text} (outside the range of Stan's 32-bit int)");
    match value {
        Value::Number(number) => {
            if let Some(int) = number.as_i64() {
                if i32::try_from(int).is_ok() { Ok(int) } else { Err(out_of_range(int.to_string())) }
            } else if let Some(float) = number.as_f64() {
                if float.fract() == 0.0 && float.abs() <= i32::MAX as f64 {
                    Err(format!("the real {number} (write it as the integer {})", float as i64))
                } else {
                    Err(format!("the real {number}"))
                }
            } else {
                Err(out_of_range(number.to_string()))
            }
        }
        other => Err(describe_found(other)),
    }
}

fn to_real(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(number) => number.as_f64().ok_or_else(|| number.to_string()),
        Value::String(text) => match text.to_ascii_lowercase().as_str() {
            "inf" | "+inf" | "infinity" | "+infinity" => Ok(f64::INFINITY),
            "-inf" | "-infinity" => Ok(f64::NEG_INFINITY),
            "nan" | "+nan" | "-nan" => Ok(f64::NAN),
            _ => Err(describe_found(value)),
        },
        other => Err(describe_found(other)),
    }
}

/// How many array levels `value` has, following first elements (an empty array counts 1).
fn nesting_depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.first().map_or(0, nesting_depth),
        _ => 0,
    }
}

/// Whether following first elements ends at an empty array.
fn ends_in_empty_array(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.first().is_none_or(ends_in_empty_array),
        _ => false,
    }
}

/// Numbers and the special-value strings can stand where a scalar is expected; the element
/// check then says precisely what is wrong with anything else.
fn is_scalar_like(value: &Value) -> bool {
    matches!(value, Value::Number(_) | Value::String(_))
}

/// Sizes along the first `depth` levels, read from first elements; 0 below an empty array.
fn dimensions(value: &Value, depth: usize) -> Vec<usize> {
    let mut dims = Vec::with_capacity(depth);
    let mut current = Some(value);
    for _ in 0..depth {
        match current {
            Some(Value::Array(items)) => {
                dims.push(items.len());
                current = items.first();
            }
            _ => {
                dims.push(0);
                current = None;
            }
        }
    }
    dims
}

/// `1 entry`, `4 entries`.
fn entries(count: usize) -> String {
    if count == 1 { "1 entry".to_string() } else { format!("{count} entries") }
}

fn array_len(value: &Value) -> Option<usize> {
    value.as_array().map(Vec::len)
}

/// `an int`, `a real`, `an array of 2 dimensions of reals`.
fn describe_expected(elem: ElemType, depth: usize) -> String {
    let (single, plural) = match elem {
        ElemType::Int => ("an int", "ints"),
        ElemType::Real => ("a real", "reals"),
        ElemType::RealPart | ElemType::ImagPart => {
            ("a complex number (a pair [re, im])", "complex numbers (pairs [re, im])")
        }
    };
    match depth {
        0 => single.to_string(),
        1 => format!("an array of 1 dimension of {plural}"),
        _ => format!("an array of {depth} dimensions of {plural}"),
    }
}

/// What the JSON holds, in the words of the messages: `a number`, `an array of 2 dimensions`.
fn describe_found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(_) => "a number".to_string(),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Object(_) => "an object".to_string(),
        Value::Array(_) => match nesting_depth(value) {
            1 => "an array of 1 dimension".to_string(),
            depth => format!("an array of {depth} dimensions"),
        },
    }
}

/// The declaration as the user would recognise it, sizes left out: `array[,] vector y`.
fn declaration(spec: &DataSpec) -> String {
    let base = match (spec.shape, spec.elem) {
        (Shape::Scalar, ElemType::Int) => "int",
        (Shape::Scalar, ElemType::Real) => "real",
        (Shape::Scalar, ElemType::RealPart | ElemType::ImagPart) => "complex",
        (Shape::Vector, ElemType::RealPart | ElemType::ImagPart) => "complex_vector",
        (Shape::RowVector, ElemType::RealPart | ElemType::ImagPart) => "complex_row_vector",
        (Shape::Matrix, ElemType::RealPart | ElemType::ImagPart) => "complex_matrix",
        (Shape::Vector, _) => "vector",
        (Shape::RowVector, _) => "row_vector",
        (Shape::Matrix, _) => "matrix",
    };
    if spec.array_rank == 0 {
        format!("{base} {}", spec.label())
    } else {
        format!("array[{}] {base} {}", ",".repeat(spec.array_rank - 1), spec.label())
    }
}
