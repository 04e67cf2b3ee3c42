//! Pictures of a fit (`vppl plot`): the marginal density of each chosen output, a Gaussian
//! kernel density estimate, in a grid of small panels with marks at its 5 %, 50 % and 95 %
//! quantiles; optionally a panel with the ELBO trace. Written as PNG or SVG.
//!
//! Text is drawn with DejaVu Sans embedded in the binary (`fonts/DejaVuSans.ttf`, its licence
//! beside it), so a picture looks the same on a machine without any system font.
//!
//! A picture is drawn in memory and then written to a temporary file renamed into place, so an
//! error never leaves half a picture behind.

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::output::{self, format_g};
use crate::summary::quantile_sorted;

/// A fit read back from a Stan CSV: its outputs in the file's order, draws only.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub columns: Vec<Column>,
}

/// One output of a fit: its name as Stan writes it (`theta[1,2]`) and its draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    pub draws: Vec<f64>,
}

/// What went wrong, as data; the command line words it, with the file names it knows.
#[derive(Debug)]
pub enum PlotError {
    /// The file is not a Stan CSV; the reason says what was found instead.
    NotStanCsv(String),
    /// The file is a Stan CSV with nothing to draw; the reason says what it lacks.
    NothingToPlot(String),
    /// A name in `--params` is no output of the fit. `known` holds every name the fit has, the
    /// base names (`theta`) first and then every element (`theta[1]`), for a suggestion.
    UnknownName { name: String, known: Vec<String> },
    /// `--params` named no quantity at all (an empty list).
    NoNames,
    /// More quantities were chosen than one picture holds.
    TooMany { chosen: usize },
    /// The diagnostic file is not an ELBO trace; the reason says what was found instead.
    NotElboTrace(String),
    /// plotters or the PNG encoder failed: a bug, since the font and the sizes are ours.
    Draw(String),
    /// The picture could not be written.
    Write(io::Error),
}

/// The picture formats, chosen by the output file's extension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ImageFormat {
    Png,
    Svg,
}

/// A kernel density estimate evaluated on an even grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub bandwidth: f64,
}

/// The probabilities of the quantiles marked in each panel.
pub const MARKED_QUANTILES: [f64; 3] = [0.05, 0.5, 0.95];

/// The most panels one picture holds.
pub const MAX_PANELS: usize = 48;

/// The size of one panel in pixels: legible at a glance, twelve fit on a laptop screen.
pub const PANEL_SIZE: (u32, u32) = (320, 240);

/// Grid points of each density curve.
const GRID_POINTS: usize = 200;

/// Reads the outputs of a Stan CSV (variational, as `vppl run` and CmdStan write it, or
/// sampling): the columns after `lp__` whose names do not end in `__`. A variational CSV's first
/// row is the mean of the approximation, not a draw, and is left out.
pub fn read_fit(text: &str) -> Result<Fit, PlotError> {
    let header = text.lines().find(|line| !line.starts_with('#') && !line.trim().is_empty());
    match header {
        None => return Err(PlotError::NotStanCsv("it has no header row".into())),
        Some(header) if header.split(',').next() != Some("lp__") => {
            return Err(PlotError::NotStanCsv(format!(
                "its header row should start with `lp__`, but it is `{}`",
                shorten(header)
            )));
        }
        Some(_) => {}
    }
    let csv = output::parse_stan_csv(text).map_err(|e| PlotError::NotStanCsv(shorten(&e)))?;
    let first_draw = usize::from(csv.columns.iter().any(|c| c == "log_p__"));
    let rows = csv.rows.get(first_draw..).unwrap_or(&[]);
    if rows.is_empty() {
        return Err(PlotError::NothingToPlot("it has no draws".into()));
    }
    let columns: Vec<Column> = csv
        .columns
        .iter()
        .enumerate()
        .filter(|(_, name)| !name.ends_with("__"))
        .map(|(index, name)| Column { name: stan_name(name), draws: rows.iter().map(|row| row[index]).collect() })
        .collect();
    if columns.is_empty() {
        return Err(PlotError::NothingToPlot("it has no outputs, only columns such as `lp__`".into()));
    }
    Ok(Fit { columns })
}

/// Reads CmdStan's ADVI diagnostic file (`iter,time_in_seconds,ELBO`) into (iteration, ELBO)
/// points, leaving out non-finite ELBOs.
pub fn read_elbo_trace(text: &str) -> Result<Vec<(f64, f64)>, PlotError> {
    let csv = output::parse_stan_csv(text).map_err(|e| PlotError::NotElboTrace(shorten(&e)))?;
    let position = |wanted: &str| csv.columns.iter().position(|c| c == wanted);
    let (Some(iter), Some(elbo)) = (position("iter"), position("ELBO")) else {
        return Err(PlotError::NotElboTrace(format!(
            "its header row should be `iter,time_in_seconds,ELBO`, but it is `{}`",
            shorten(&csv.columns.join(","))
        )));
    };
    let points: Vec<(f64, f64)> =
        csv.rows.iter().map(|row| (row[iter], row[elbo])).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    if points.is_empty() {
        return Err(PlotError::NotElboTrace("it has no ELBO values".into()));
    }
    Ok(points)
}

/// Splits a `--params` list at the commas outside brackets (`theta[1,2],mu` is two names),
/// without spaces or empty names.
pub fn split_names(list: &str) -> Vec<String> {
    let mut names = vec![String::new()];
    let mut depth = 0usize;
    for c in list.chars().filter(|c| !c.is_whitespace()) {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                names.push(String::new());
                continue;
            }
            _ => {}
        }
        names.last_mut().expect("names starts with one name").push(c);
    }
    names.retain(|name| !name.is_empty());
    names
}

/// The columns `names` choose, in their order, each once: a name is an output as Stan writes it
/// (`theta[1]`) or as the CSV does (`theta.1`), or a base name (`theta`) for all its elements.
pub fn select<'a>(fit: &'a Fit, names: &[String]) -> Result<Vec<&'a Column>, PlotError> {
    if names.is_empty() {
        return Err(PlotError::NoNames);
    }
    let mut chosen: Vec<usize> = Vec::new();
    for name in names {
        let name = if name.contains('[') { name.clone() } else { stan_name(name) };
        let exact = fit.columns.iter().position(|c| c.name == name);
        let matches: Vec<usize> = match exact {
            Some(index) => vec![index],
            None => (0..fit.columns.len()).filter(|&i| base_name(&fit.columns[i].name) == name).collect(),
        };
        if matches.is_empty() {
            return Err(PlotError::UnknownName { name, known: known_names(fit) });
        }
        chosen.extend(matches.into_iter().filter(|index| !chosen.contains(index)).collect::<Vec<_>>());
    }
    if chosen.len() > MAX_PANELS {
        return Err(PlotError::TooMany { chosen: chosen.len() });
    }
    Ok(chosen.into_iter().map(|index| &fit.columns[index]).collect())
}

/// The name before any index: `theta` for `theta[1,2]`.
pub fn base_name(name: &str) -> &str {
    name.split('[').next().unwrap_or(name)
}

/// Silverman's rule of thumb for a Gaussian kernel, `0.9 min(sd, IQR / 1.34) n^(-1/5)`, on
/// sorted finite values. When both spreads are zero (all draws equal) the bandwidth is a
/// thousandth of the value's size, so the curve is a narrow spike where the draws are.
pub fn bandwidth(sorted: &[f64]) -> f64 {
    let n = sorted.len() as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let sd = if sorted.len() > 1 {
        (sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let iqr = quantile_sorted(sorted, 0.75) - quantile_sorted(sorted, 0.25);
    let spread = match (sd > 0.0, iqr > 0.0) {
        (true, true) => sd.min(iqr / 1.34),
        (true, false) => sd,
        (false, _) => return 1e-3 * mean.abs().max(1.0),
    };
    0.9 * spread * n.powf(-0.2)
}

/// The Gaussian kernel density estimate of sorted finite values with [`bandwidth`], on
/// `n_points` even steps from three bandwidths below the least value to three above the
/// greatest (where the curve has fallen to about 1 % of a lone draw's peak).
pub fn kde(sorted: &[f64], n_points: usize) -> Density {
    let h = bandwidth(sorted);
    let (lo, hi) = (sorted[0] - 3.0 * h, sorted[sorted.len() - 1] + 3.0 * h);
    let step = (hi - lo) / (n_points - 1) as f64;
    let norm = 1.0 / (sorted.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    let xs: Vec<f64> = (0..n_points).map(|i| lo + step * i as f64).collect();
    let ys =
        xs.iter().map(|x| norm * sorted.iter().map(|v| (-0.5 * ((x - v) / h).powi(2)).exp()).sum::<f64>()).collect();
    Density { xs, ys, bandwidth: h }
}

/// The marked quantiles (5 %, 50 %, 95 %) of sorted values, as `vppl run`'s summary computes
/// them (type 7).
pub fn quantile_marks(sorted: &[f64]) -> [f64; 3] {
    MARKED_QUANTILES.map(|p| quantile_sorted(sorted, p))
}

impl ImageFormat {
    /// The format a file name asks for by its extension (in any case), if it is one we write.
    pub fn from_path(path: &Path) -> Option<ImageFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "png" => Some(ImageFormat::Png),
            "svg" => Some(ImageFormat::Svg),
            _ => None,
        }
    }
}

/// The picture's size in pixels for `n_densities` panels, and the ELBO panel if asked for: a
/// grid of at most six columns, as square as it can be, with the ELBO trace as a full-width row
/// below it.
pub fn picture_size(n_densities: usize, with_elbo: bool) -> (u32, u32) {
    let (columns, rows) = grid(n_densities);
    let (width, height) = PANEL_SIZE;
    (width * columns.max(1), height * (rows + u32::from(with_elbo)))
}

/// Draws the densities of `columns` (and the ELBO trace, if given) and writes the picture to
/// `path` in `format`.
pub fn write_picture(
    path: &Path,
    format: ImageFormat,
    columns: &[&Column],
    elbo: Option<&[(f64, f64)]>,
) -> Result<(), PlotError> {
    plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| PlotError::Draw("the embedded font is not a TrueType font".into()))?;
    let size = picture_size(columns.len(), elbo.is_some());
    let bytes = match format {
        ImageFormat::Png => {
            let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
                draw(&root, columns, elbo).map_err(|e| PlotError::Draw(e.to_string()))?;
            }
            encode_png(&pixels, size).map_err(|e| PlotError::Draw(e.to_string()))?
        }
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw(&root, columns, elbo).map_err(|e| PlotError::Draw(e.to_string()))?;
            }
            svg.into_bytes()
        }
    };
    output::write_atomically(path, |out| out.write_all(&bytes)).map_err(PlotError::Write)
}

static FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

const TITLE_SIZE: f64 = 20.0;
const LABEL_SIZE: f64 = 15.0;
const TICK_SIZE: f64 = 14.0;
/// The height of the title and the line of quantiles above each panel's axes.
const HEADER_HEIGHT: u32 = 48;
const CURVE: RGBColor = RGBColor(31, 119, 180);
const MARK: RGBColor = RGBColor(200, 40, 40);
const GRID_LINE: RGBColor = RGBColor(225, 225, 225);

/// Columns and rows of the grid of `n` panels.
fn grid(n: usize) -> (u32, u32) {
    let columns = ((n as f64).sqrt().ceil() as u32).clamp(1, 6);
    (columns, (n as u32).div_ceil(columns))
}

/// A panel's axes: both linear, in f64.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the whole picture on `root`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    columns: &[&Column],
    elbo: Option<&[(f64, f64)]>,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (columns_in_grid, rows) = grid(columns.len());
    let (densities, trace) = match elbo {
        Some(_) => {
            let (top, bottom) = root.split_vertically(PANEL_SIZE.1 * rows);
            (top, Some(bottom))
        }
        None => (root.clone(), None),
    };
    let panels = densities.split_evenly((rows as usize, columns_in_grid as usize));
    for (panel, column) in panels.iter().zip(columns) {
        draw_density(panel, column)?;
    }
    if let (Some(area), Some(points)) = (trace, elbo) {
        draw_elbo(&area, points)?;
    }
    root.present()
}

/// One density panel: the name as title, the quantiles in words below it, then the curve with
/// dashed marks at 5 % and 95 % and a solid one at 50 %.
fn draw_density<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, column: &Column) -> DrawResult<DB> {
    let mut sorted: Vec<f64> = column.draws.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let (header, body) = area.split_vertically(HEADER_HEIGHT);
    if sorted.is_empty() {
        return draw_header(&header, &column.name, "no finite draws");
    }
    let marks = quantile_marks(&sorted);
    let words: Vec<String> =
        MARKED_QUANTILES.iter().zip(marks).map(|(p, q)| format!("{}% {}", p * 100.0, format_g(q, 3))).collect();
    draw_header(&header, &column.name, &words.join("   "))?;
    let density = kde(&sorted, GRID_POINTS);
    let top = density.ys.iter().copied().fold(0.0, f64::max) * 1.08;
    let x_range = density.xs[0]..density.xs[density.xs.len() - 1];
    let mut chart = axes(&body, x_range, 0.0..top)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_label_formatter(&|v| format_g(*v, 4))
        .y_label_formatter(&|v| format_g(*v, 2))
        .label_style(("sans-serif", TICK_SIZE))
        .bold_line_style(GRID_LINE)
        .light_line_style(TRANSPARENT)
        .draw()?;
    let points = density.xs.iter().copied().zip(density.ys.iter().copied());
    chart.draw_series(AreaSeries::new(points, 0.0, CURVE.mix(0.2)).border_style(CURVE.stroke_width(2)))?;
    for (index, x) in marks.into_iter().enumerate() {
        let line = [(x, 0.0), (x, top)];
        if MARKED_QUANTILES[index] == 0.5 {
            chart.draw_series(LineSeries::new(line, MARK.stroke_width(2)))?;
        } else {
            chart.draw_series(DashedLineSeries::new(line, 6, 4, MARK.stroke_width(1)))?;
        }
    }
    Ok(())
}

/// The ELBO panel: the trace by iteration, a point at each evaluation.
fn draw_elbo<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, points: &[(f64, f64)]) -> DrawResult<DB> {
    let (header, body) = area.split_vertically(HEADER_HEIGHT);
    let last = points[points.len() - 1];
    draw_header(&header, "ELBO", &format!("by iteration; last {} at iteration {}", format_g(last.1, 5), last.0))?;
    let (x_lo, x_hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (y_lo, y_hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    // A flat trace (or one point) still gets an axis of some width.
    let pad = ((y_hi - y_lo) * 0.05).max(1e-3 * y_hi.abs().max(1.0));
    let x_hi = if x_hi > x_lo { x_hi } else { x_lo + 1.0 };
    let mut chart = axes(&body, x_lo..x_hi, (y_lo - pad)..(y_hi + pad))?;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(4)
        .x_desc("iteration")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format_g(*v, 5))
        .label_style(("sans-serif", TICK_SIZE))
        .axis_desc_style(("sans-serif", TICK_SIZE))
        .bold_line_style(GRID_LINE)
        .light_line_style(TRANSPARENT)
        .draw()?;
    chart.draw_series(LineSeries::new(points.iter().copied(), CURVE.stroke_width(2)))?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, CURVE.filled())))?;
    Ok(())
}

/// A panel's title and, below it, one line of smaller text in the marks' colour.
fn draw_header<DB: DrawingBackend>(header: &DrawingArea<DB, Shift>, title: &str, words: &str) -> DrawResult<DB> {
    let centre = header.dim_in_pixel().0 as i32 / 2;
    let top = Pos::new(HPos::Center, VPos::Top);
    header.draw(&Text::new(title, (centre, 8), ("sans-serif", TITLE_SIZE).into_font().color(&BLACK).pos(top)))?;
    header.draw(&Text::new(words, (centre, 31), ("sans-serif", LABEL_SIZE).into_font().color(&MARK).pos(top)))
}

/// The axes of a panel's body: room for tick labels on the left and below.
fn axes<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    x_range: std::ops::Range<f64>,
    y_range: std::ops::Range<f64>,
) -> Result<Chart<'_, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(body)
        .margin_top(6)
        .margin_left(4)
        .margin_right(16)
        .margin_bottom(4)
        .x_label_area_size(34)
        .y_label_area_size(52)
        .build_cartesian_2d(x_range, y_range)
}

fn encode_png(pixels: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// Stan's spelling of a CSV column name: `theta.1.2` is `theta[1,2]`.
fn stan_name(csv_name: &str) -> String {
    match csv_name.split_once('.') {
        Some((base, indices)) => format!("{base}[{}]", indices.replace('.', ",")),
        None => csv_name.to_string(),
    }
}

/// Every name `select` accepts for `fit`: the base names, then each output.
fn known_names(fit: &Fit) -> Vec<String> {
    let mut known: Vec<String> = Vec::new();
    for column in &fit.columns {
        let base = base_name(&column.name);
        if !known.iter().any(|k| k == base) {
            known.push(base.to_string());
        }
    }
    known.extend(fit.columns.iter().map(|c| c.name.clone()).filter(|name| base_name(name) != name));
    known
}

/// A line of a file cut to a length that fits in an error message.
fn shorten(line: &str) -> String {
    const LIMIT: usize = 60;
    match line.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
