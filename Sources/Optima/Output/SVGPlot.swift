// Line and scatter plots as SVG text, with no plotting package: the figures of the papers
// need lines (dashed or solid, with markers), translucent error bands, open markers for
// capped values, log axes, and several panels side by side.
//
// Everything is drawn in a fixed order (grid, bands, lines, points, frame, labels, legend)
// from plain numbers, so the same data always gives the same file.
import Foundation

public enum PlotMarker: String, Sendable {
    case circle, openCircle, square, triangle, cross
}

/// Where the legend goes. A corner is a preference: a legend never covers data, so when that
/// corner would, the first other corner that covers none is taken, else the strip outside on
/// the right.
public enum LegendPlacement: Sendable {
    /// The first corner that covers no data (top-right, top-left, bottom-right, bottom-left).
    case auto
    case topLeft, topRight, bottomLeft, bottomRight, outsideRight
    case none
}

public struct SVGPlot: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog: Bool
    public var yLog: Bool
    public var width: Double
    public var height: Double
    /// Forces an axis range (data outside it is clipped); nil fits the axis to the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var legend: LegendPlacement = .auto

    /// Ten colours that stay distinguishable (matplotlib's "tab10"); series take them in order.
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    enum Kind: Sendable {
        case line(dashed: Bool, markers: Bool)
        case points(PlotMarker)
        case band
    }

    struct Series: Sendable {
        var name: String?
        var x: [Double]
        var y: [Double]
        var lower: [Double] = []   // bands only; `y` holds the upper edge
        var kind: Kind
        var color: String
    }

    private(set) var series: [Series] = []
    private var colorsUsed = 0

    /// A function over the plane drawn as coloured cells under everything else.
    struct Heatmap: Sendable {
        var xs: [Double], ys: [Double], values: [Double]
        var range: ClosedRange<Double>
    }
    private(set) var heatmap: Heatmap?

    public init(title: String, xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false,
                width: Double = 480, height: Double = 360) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xLog = xLog
        self.yLog = yLog
        self.width = width
        self.height = height
    }

    /// The colour the next series gets when it names none.
    public var nextColor: String { SVGPlot.palette[colorsUsed % SVGPlot.palette.count] }

    /// Adds a line; returns its colour so that matching points or bands can reuse it.
    @discardableResult
    public mutating func addLine(name: String, x: [Double], y: [Double], dashed: Bool = false,
                                 color: String? = nil, markers: Bool = false) -> String {
        precondition(x.count == y.count, "addLine '\(name)': \(x.count) x values but \(y.count) y values")
        let c = takeColor(color)
        series.append(Series(name: name, x: x, y: y, kind: .line(dashed: dashed, markers: markers), color: c))
        return c
    }

    /// Adds unconnected points, e.g. open circles for values capped at a limit.
    @discardableResult
    public mutating func addPoints(name: String, x: [Double], y: [Double], marker: PlotMarker = .circle,
                                   color: String? = nil) -> String {
        precondition(x.count == y.count, "addPoints '\(name)': \(x.count) x values but \(y.count) y values")
        let c = takeColor(color)
        series.append(Series(name: name, x: x, y: y, kind: .points(marker), color: c))
        return c
    }

    /// Adds a translucent band between `lower` and `upper` (e.g. ± one standard deviation).
    /// Without a colour it takes the colour of the next line, so add a band just before its line.
    /// A band without a name has no legend entry.
    public mutating func addBand(x: [Double], lower: [Double], upper: [Double], color: String? = nil,
                                 name: String? = nil) {
        precondition(x.count == lower.count && x.count == upper.count, "addBand: x, lower and upper differ in length")
        series.append(Series(name: name, x: x, y: upper, lower: lower, kind: .band, color: color ?? nextColor))
    }

    /// Colours the plane by `values[j * xs.count + i]`, the value at (xs[i], ys[j]) on a regular
    /// grid (e.g. a network's output): blue at `range`'s lower end, white midway, red at the
    /// upper end. Drawn first, so lines and points stay on top.
    public mutating func addHeatmap(xs: [Double], ys: [Double], values: [Double], range: ClosedRange<Double>) {
        precondition(xs.count >= 2 && ys.count >= 2 && values.count == xs.count * ys.count, "addHeatmap: the grid and its values differ in size")
        heatmap = Heatmap(xs: xs, ys: ys, values: values, range: range)
    }

    /// The heat map's colour of `v`: a blue-white-red ramp over `range`.
    static func heatColor(_ v: Double, _ range: ClosedRange<Double>) -> String {
        let t = min(1, max(0, (v - range.lowerBound) / max(1e-300, range.upperBound - range.lowerBound)))
        let (lo, mid, hi) = ((59.0, 76.0, 192.0), (247.0, 247.0, 247.0), (180.0, 4.0, 38.0))
        let (a, b, u) = t < 0.5 ? (lo, mid, t * 2) : (mid, hi, t * 2 - 1)
        func c(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * u).rounded()) }
        return String(format: "#%02x%02x%02x", c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
    }

    private mutating func takeColor(_ c: String?) -> String {
        if let c { return c }
        defer { colorsUsed += 1 }
        return nextColor
    }

    /// The complete SVG document.
    public func render() -> String {
        svgDocument(width: layout().width, height: height, body: body(id: "p0"))
    }

    /// Writes the SVG atomically, creating the directory if needed.
    public func write(to path: String) throws {
        try writeFileAtomically(render(), to: path)
    }
}

// MARK: - Drawing

extension SVGPlot {
    static let tickFont = 11.0, labelFont = 12.0, titleFont = 14.0, legendFont = 11.0
    /// Average glyph width of the sans-serif font, as a fraction of its size (for layout only).
    static let glyphWidth = 0.6

    /// Where everything goes: the axes, the plot area, the legend's place and box, and the
    /// width the plot takes. An outside legend adds its strip to `width` rather than narrowing
    /// the plot area, so a panel with one keeps the others' scale.
    struct Layout {
        var frame: Frame
        var place: LegendPlacement
        var entries: [Series]
        var legendSize: (w: Double, h: Double)
        var width: Double
    }

    func layout() -> Layout {
        let xAxis = axis(values: series.flatMap { $0.x } + (heatmap?.xs ?? []), log: xLog, forced: xRange)
        let yAxis = axis(values: series.flatMap { $0.y + $0.lower } + (heatmap?.ys ?? []), log: yLog, forced: yRange)
        // Margins fit the tick labels.
        let yTickChars = yAxis.labels.map { SVGPlot.visibleLength($0) }.max() ?? 1
        let left = 8 + SVGPlot.labelFont + 8 + Double(yTickChars) * SVGPlot.tickFont * SVGPlot.glyphWidth + 8
        let top = title.isEmpty ? 12 : 12 + SVGPlot.titleFont + 10
        let bottom = 6 + SVGPlot.tickFont + 8 + SVGPlot.labelFont + 10
        let entries = series.filter { !($0.name ?? "").isEmpty }
        let legendSize = legendBox(entries)
        let frame = Frame(left: left, top: top, right: width - 16, bottom: height - bottom, x: xAxis, y: yAxis)
        let place = entries.isEmpty ? .none : placement(frame: frame, size: legendSize)
        return Layout(frame: frame, place: place, entries: entries, legendSize: legendSize,
                      width: place == .outsideRight ? width + legendSize.w + 8 : width)
    }

    /// The plot's elements, without the <svg> wrapper; `id` keeps clip-path ids unique in a panel.
    func body(id: String) -> String {
        let l = layout()
        let (frame, place, entries, legendSize) = (l.frame, l.place, l.entries, l.legendSize)

        var out = ""
        // The clip reaches a few pixels past the frame so that markers on its edge stay whole.
        let m = 5.0
        out += "<clipPath id=\"clip-\(id)\"><rect x=\"\(svgNum(frame.left - m))\" y=\"\(svgNum(frame.top - m))\" width=\"\(svgNum(frame.width + 2 * m))\" height=\"\(svgNum(frame.height + 2 * m))\"/></clipPath>\n"
        out += gridAndTicks(frame)
        out += "<rect x=\"\(svgNum(frame.left))\" y=\"\(svgNum(frame.top))\" width=\"\(svgNum(frame.width))\" height=\"\(svgNum(frame.height))\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        out += "<g clip-path=\"url(#clip-\(id))\">\n"
        if let heatmap { out += heatCells(heatmap, frame) }
        for s in series where isBand(s) { out += bandPath(s, frame) }
        for s in series {
            if case .line(let dashed, let markers) = s.kind {
                out += linePath(s, dashed: dashed, frame)
                if markers { out += markerGroup(s, .circle, frame) }
            }
        }
        for s in series { if case .points(let m) = s.kind { out += markerGroup(s, m, frame) } }
        out += "</g>\n"
        out += axisLabels(frame)
        if place != .none { out += legendGroup(entries, at: legendOrigin(place, frame: frame, size: legendSize), size: legendSize) }
        return out
    }

    /// Plot-area geometry and the mapping from data to pixels.
    struct Frame {
        var left, top, right, bottom: Double
        var x, y: Axis
        var width: Double { right - left }
        var height: Double { bottom - top }
        func px(_ v: Double) -> Double { left + x.fraction(v) * width }
        func py(_ v: Double) -> Double { bottom - y.fraction(v) * height }
    }

    /// One rectangle per grid value, centred on its point, reaching halfway to its neighbours.
    private func heatCells(_ h: Heatmap, _ fr: Frame) -> String {
        func edges(_ v: [Double]) -> [Double] {
            [v[0] - (v[1] - v[0]) / 2] + zip(v, v.dropFirst()).map { ($0 + $1) / 2 } + [v[v.count - 1] + (v[v.count - 1] - v[v.count - 2]) / 2]
        }
        let ex = edges(h.xs).map(fr.px), ey = edges(h.ys).map(fr.py)
        var out = "<g shape-rendering=\"crispEdges\">\n"
        // Neighbours in a row with the same colour share one rectangle, which keeps saturated
        // regions from costing a rectangle per cell.
        for j in 0..<h.ys.count {
            let colors = (0..<h.xs.count).map { SVGPlot.heatColor(h.values[j * h.xs.count + $0], h.range) }
            var i = 0
            while i < colors.count {
                var end = i + 1
                while end < colors.count && colors[end] == colors[i] { end += 1 }
                let x0 = min(ex[i], ex[end]), y0 = min(ey[j], ey[j + 1])
                out += "<rect x=\"\(svgNum(x0))\" y=\"\(svgNum(y0))\" width=\"\(svgNum(abs(ex[end] - ex[i]) + 0.5))\" "
                    + "height=\"\(svgNum(abs(ey[j + 1] - ey[j]) + 0.5))\" fill=\"\(colors[i])\"/>\n"
                i = end
            }
        }
        return out + "</g>\n"
    }

    private func isBand(_ s: Series) -> Bool {
        if case .band = s.kind { return true }
        return false
    }

    /// A point can be drawn when it is finite and, on a log axis, positive.
    func drawable(_ x: Double, _ y: Double) -> Bool {
        x.isFinite && y.isFinite && (!xLog || x > 0) && (!yLog || y > 0)
    }

    private func gridAndTicks(_ fr: Frame) -> String {
        var grid = "", ticks = "", labels = ""
        for (v, label) in zip(fr.x.major, fr.x.labels) {
            let x = fr.px(v)
            grid += "M\(svgNum(x)) \(svgNum(fr.top))V\(svgNum(fr.bottom))"
            ticks += "M\(svgNum(x)) \(svgNum(fr.bottom))v5"
            labels += svgText(label, x: x, y: fr.bottom + 7 + SVGPlot.tickFont, size: SVGPlot.tickFont, anchor: "middle")
        }
        for v in fr.x.minor { ticks += "M\(svgNum(fr.px(v))) \(svgNum(fr.bottom))v3" }
        for (v, label) in zip(fr.y.major, fr.y.labels) {
            let y = fr.py(v)
            grid += "M\(svgNum(fr.left)) \(svgNum(y))H\(svgNum(fr.right))"
            ticks += "M\(svgNum(fr.left)) \(svgNum(y))h-5"
            labels += svgText(label, x: fr.left - 8, y: y + SVGPlot.tickFont * 0.35, size: SVGPlot.tickFont, anchor: "end")
        }
        for v in fr.y.minor { ticks += "M\(svgNum(fr.left)) \(svgNum(fr.py(v)))h-3" }
        return "<path class=\"grid\" d=\"\(grid)\" stroke=\"#e5e5e5\" stroke-width=\"1\" fill=\"none\"/>\n"
            + "<path class=\"ticks\" d=\"\(ticks)\" stroke=\"#333\" stroke-width=\"1\" fill=\"none\"/>\n"
            + labels
    }

    private func axisLabels(_ fr: Frame) -> String {
        var out = svgText(xLabel, x: (fr.left + fr.right) / 2, y: height - 10, size: SVGPlot.labelFont, anchor: "middle")
        let cy = (fr.top + fr.bottom) / 2
        out += "<text transform=\"translate(\(svgNum(8 + SVGPlot.labelFont)),\(svgNum(cy))) rotate(-90)\" font-size=\"\(svgNum(SVGPlot.labelFont))\" text-anchor=\"middle\">\(svgEscape(yLabel))</text>\n"
        if !title.isEmpty {
            out += "<text x=\"\(svgNum((fr.left + fr.right) / 2))\" y=\"\(svgNum(8 + SVGPlot.titleFont))\" font-size=\"\(svgNum(SVGPlot.titleFont))\" font-weight=\"bold\" text-anchor=\"middle\">\(svgEscape(title))</text>\n"
        }
        return out
    }

    /// One path per line; a missing point (NaN, or ≤ 0 on a log axis) starts a new piece.
    private func linePath(_ s: Series, dashed: Bool, _ fr: Frame) -> String {
        var d = "", penDown = false
        for (x, y) in zip(s.x, s.y) {
            guard drawable(x, y) else { penDown = false; continue }
            d += (penDown ? "L" : "M") + "\(svgNum(fr.px(x))) \(svgNum(fr.py(y)))"
            penDown = true
        }
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        return "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.8\" stroke-linejoin=\"round\"\(dash)/>\n"
    }

    /// A band is drawn as closed pieces over the runs of points where all three values exist.
    private func bandPath(_ s: Series, _ fr: Frame) -> String {
        var d = "", run: [(Double, Double, Double)] = []
        func flush() {
            if run.count >= 2 {
                d += "M" + run.map { "\(svgNum(fr.px($0.0))) \(svgNum(fr.py($0.2)))" }.joined(separator: "L")
                d += "L" + run.reversed().map { "\(svgNum(fr.px($0.0))) \(svgNum(fr.py($0.1)))" }.joined(separator: "L") + "Z"
            }
            run = []
        }
        for i in s.x.indices {
            if drawable(s.x[i], s.lower[i]) && drawable(s.x[i], s.y[i]) { run.append((s.x[i], s.lower[i], s.y[i])) } else { flush() }
        }
        flush()
        return "<path class=\"band\" d=\"\(d)\" fill=\"\(s.color)\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
    }

    private func markerGroup(_ s: Series, _ m: PlotMarker, _ fr: Frame) -> String {
        var out = "<g class=\"points\">"
        for (x, y) in zip(s.x, s.y) where drawable(x, y) {
            out += marker(m, x: fr.px(x), y: fr.py(y), color: s.color)
        }
        return out + "</g>\n"
    }

    func marker(_ m: PlotMarker, x: Double, y: Double, color: String) -> String {
        switch m {
        case .circle:
            return "<circle cx=\"\(svgNum(x))\" cy=\"\(svgNum(y))\" r=\"3\" fill=\"\(color)\"/>"
        case .openCircle:
            return "<circle cx=\"\(svgNum(x))\" cy=\"\(svgNum(y))\" r=\"3.5\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        case .square:
            return "<rect x=\"\(svgNum(x - 3))\" y=\"\(svgNum(y - 3))\" width=\"6\" height=\"6\" fill=\"\(color)\"/>"
        case .triangle:
            return "<polygon points=\"\(svgNum(x)),\(svgNum(y - 4)) \(svgNum(x - 3.5)),\(svgNum(y + 3)) \(svgNum(x + 3.5)),\(svgNum(y + 3))\" fill=\"\(color)\"/>"
        case .cross:
            return "<path class=\"marker\" d=\"M\(svgNum(x - 3)) \(svgNum(y - 3))l6 6m0 -6l-6 6\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        }
    }
}

// MARK: - Legend

extension SVGPlot {
    static let legendRow = 16.0

    func legendBox(_ entries: [Series]) -> (w: Double, h: Double) {
        let chars = entries.map { ($0.name ?? "").count }.max() ?? 0
        return (36 + Double(chars) * SVGPlot.legendFont * SVGPlot.glyphWidth + 8, Double(entries.count) * SVGPlot.legendRow + 8)
    }

    func legendOrigin(_ place: LegendPlacement, frame fr: Frame, size: (w: Double, h: Double)) -> (x: Double, y: Double) {
        let inset = 8.0
        switch place {
        case .topLeft: return (fr.left + inset, fr.top + inset)
        case .bottomLeft: return (fr.left + inset, fr.bottom - inset - size.h)
        case .bottomRight: return (fr.right - inset - size.w, fr.bottom - inset - size.h)
        case .outsideRight: return (fr.right + 12, fr.top)
        default: return (fr.right - inset - size.w, fr.top + inset)
        }
    }

    /// Where the legend goes in `fr`: the asked corner if it covers no data, else the first
    /// corner that covers none, else outside on the right (see LegendPlacement).
    func placement(frame fr: Frame, size: (w: Double, h: Double)) -> LegendPlacement {
        let corners: [LegendPlacement] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
        switch legend {
        case .none, .outsideRight: return legend
        case .auto: return bestCorner(frame: fr, size: size, trying: corners) ?? .outsideRight
        default: return bestCorner(frame: fr, size: size, trying: [legend] + corners.filter { $0 != legend }) ?? .outsideRight
        }
    }

    /// The first corner of `trying` whose box covers no data. A heat map covers every corner.
    func bestCorner(frame fr: Frame, size: (w: Double, h: Double),
                    trying: [LegendPlacement] = [.topRight, .topLeft, .bottomRight, .bottomLeft]) -> LegendPlacement? {
        guard heatmap == nil else { return nil }
        let samples = samplePoints(fr)
        for place in trying {
            let o = legendOrigin(place, frame: fr, size: size)
            let pad = 3.0
            let hit = samples.contains { p in
                p.x >= o.x - pad && p.x <= o.x + size.w + pad && p.y >= o.y - pad && p.y <= o.y + size.h + pad
            }
            if !hit { return place }
        }
        return nil
    }

    /// Pixel positions along every drawn series, and over the inside of every band, dense
    /// enough that a line crossing a box is caught.
    func samplePoints(_ fr: Frame) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        func trace(_ xs: [Double], _ ys: [Double], connected: Bool) {
            var prev: (x: Double, y: Double)?
            for (x, y) in zip(xs, ys) {
                guard drawable(x, y) else { prev = nil; continue }
                let p = (x: fr.px(x), y: fr.py(y))
                if connected, let q = prev {
                    let steps = max(1, Int((abs(p.x - q.x) + abs(p.y - q.y)) / 3))
                    for k in 1..<steps {
                        let t = Double(k) / Double(steps)
                        out.append((q.x + t * (p.x - q.x), q.y + t * (p.y - q.y)))
                    }
                }
                out.append(p)
                prev = connected ? p : nil
            }
        }
        // A band's inside: vertical strokes every 3 pixels between its edges.
        func fill(_ s: Series) {
            for (i, j) in zip(s.x.indices, s.x.indices.dropFirst()) {
                guard drawable(s.x[i], s.y[i]), drawable(s.x[i], s.lower[i]), drawable(s.x[j], s.y[j]),
                      drawable(s.x[j], s.lower[j]) else { continue }
                let (x0, x1) = (fr.px(s.x[i]), fr.px(s.x[j]))
                let steps = max(1, Int(abs(x1 - x0) / 3))
                for k in 0...steps {
                    let t = Double(k) / Double(steps)
                    let top = fr.py(s.y[i]) + t * (fr.py(s.y[j]) - fr.py(s.y[i]))
                    let bottom = fr.py(s.lower[i]) + t * (fr.py(s.lower[j]) - fr.py(s.lower[i]))
                    let n = max(1, Int(abs(bottom - top) / 3))
                    for m in 0...n { out.append((x0 + t * (x1 - x0), top + Double(m) / Double(n) * (bottom - top))) }
                }
            }
        }
        for s in series {
            switch s.kind {
            case .line: trace(s.x, s.y, connected: true)
            case .points: trace(s.x, s.y, connected: false)
            case .band:
                trace(s.x, s.y, connected: true)
                trace(s.x, s.lower, connected: true)
                fill(s)
            }
        }
        return out
    }

    func legendGroup(_ entries: [Series], at o: (x: Double, y: Double), size: (w: Double, h: Double)) -> String {
        var out = "<g class=\"legend\">\n"
        out += "<rect x=\"\(svgNum(o.x))\" y=\"\(svgNum(o.y))\" width=\"\(svgNum(size.w))\" height=\"\(svgNum(size.h))\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n"
        for (i, s) in entries.enumerated() {
            let cy = o.y + 4 + SVGPlot.legendRow * (Double(i) + 0.5)
            let x0 = o.x + 6, x1 = o.x + 28
            switch s.kind {
            case .line(let dashed, let markers):
                let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
                out += "<line x1=\"\(svgNum(x0))\" y1=\"\(svgNum(cy))\" x2=\"\(svgNum(x1))\" y2=\"\(svgNum(cy))\" stroke=\"\(s.color)\" stroke-width=\"1.8\"\(dash)/>"
                if markers { out += marker(.circle, x: (x0 + x1) / 2, y: cy, color: s.color) }
            case .points(let m):
                out += marker(m, x: (x0 + x1) / 2, y: cy, color: s.color)
            case .band:
                out += "<rect x=\"\(svgNum(x0))\" y=\"\(svgNum(cy - 5))\" width=\"\(svgNum(x1 - x0))\" height=\"10\" fill=\"\(s.color)\" fill-opacity=\"0.2\"/>"
            }
            out += svgText(s.name ?? "", x: x1 + 6, y: cy + SVGPlot.legendFont * 0.35, size: SVGPlot.legendFont, anchor: "start")
        }
        return out + "</g>\n"
    }
}

// MARK: - Axes and ticks

/// An axis: its range in data units, where the ticks go and what they read.
struct Axis {
    var lo: Double
    var hi: Double
    var log: Bool
    var major: [Double] = []
    var minor: [Double] = []
    var labels: [String] = []

    /// Position of `v` along the axis, 0 at `lo` and 1 at `hi`.
    func fraction(_ v: Double) -> Double {
        if log { return (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo)) }
        return (v - lo) / (hi - lo)
    }
}

extension SVGPlot {
    /// Fits an axis to the drawable values (or to `forced`).
    func axis(values: [Double], log: Bool, forced: ClosedRange<Double>?) -> Axis {
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
        if log { return SVGPlot.logAxis(min: usable.min() ?? 1, max: usable.max() ?? 10, forced: forced) }
        return SVGPlot.linearAxis(min: usable.min() ?? 0, max: usable.max() ?? 1, forced: forced)
    }

    /// Ticks at 1, 2 or 5 × 10^k, about five intervals. A fitted range gets 4 % margins so that
    /// no data sits on the frame (the end ticks then fall inside, as in matplotlib).
    static func linearAxis(min lo0: Double, max hi0: Double, forced: ClosedRange<Double>?) -> Axis {
        var lo = forced?.lowerBound ?? lo0, hi = forced?.upperBound ?? hi0
        if hi <= lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        } else if forced == nil {
            let pad = (hi - lo) * 0.04
            lo -= pad; hi += pad
        }
        let step = niceStep((hi - lo) / 5)
        var a = Axis(lo: lo, hi: hi, log: false)
        let decimals = max(0, -Int((Foundation.log10(step) + 1e-9).rounded(.down)))
        var k = (lo / step - 1e-9).rounded(.up)
        while k * step <= hi + step * 1e-9 {
            let v = k * step
            a.major.append(v)
            var label = String(format: "%.\(decimals)f", v)
            if label.hasPrefix("-"), Double(label) == 0 { label.removeFirst() }
            a.labels.append(label)
            k += 1
        }
        return a
    }

    static func niceStep(_ raw: Double) -> Double {
        let mag = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let n = raw / mag
        return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag
    }

    /// Major ticks at powers of ten (every second or third one when there are many decades),
    /// minor ticks at 2…9 × 10^k while they are not too crowded. A fitted range is the data's
    /// with 4 % margins, as on a linear axis: widening it to whole decades could leave most of
    /// a decade empty (data up to 2048 on an axis to 10^4).
    static func logAxis(min lo0: Double, max hi0: Double, forced: ClosedRange<Double>?) -> Axis {
        var a0 = Foundation.log10(forced?.lowerBound ?? lo0), b0 = Foundation.log10(forced?.upperBound ?? hi0)
        if forced == nil {
            if b0 <= a0 { a0 -= 0.5; b0 += 0.5 }   // a single value: half a decade either side
            let pad = (b0 - a0) * 0.04
            a0 -= pad; b0 += pad
        }
        if b0 <= a0 { b0 = a0 + 1 }
        var a = Axis(lo: Foundation.pow(10, a0), hi: Foundation.pow(10, b0), log: true)
        let first = Int((a0 - 1e-9).rounded(.up)), last = Int((b0 + 1e-9).rounded(.down))
        let every = max(1, Int((Double(last - first) / 8).rounded(.up)))
        let exponents = first <= last ? (first...last).filter { $0 % every == 0 } : []   // a forced range may hold no power of ten
        // Plain numbers while they all stay short, otherwise 10^k throughout (never a mix).
        let plain = exponents.allSatisfy { (-2...3).contains($0) }
        for e in exponents {
            a.major.append(Foundation.pow(10, Double(e)))
            a.labels.append(plain ? powerOfTenLabel(e) : "10^\(e)")
        }
        // Fewer than three decades labelled: 2 and 5 × 10^k get labels too, or the axis would
        // read "100 … 1000" only.
        let labelTwoAndFive = b0 - a0 <= 1.5 || exponents.count < 3
        if labelTwoAndFive {
            for e in (first - 1)...last {
                for m in [2.0, 5.0] {
                    let v = m * Foundation.pow(10, Double(e))
                    if v >= a.lo * (1 - 1e-9) && v <= a.hi * (1 + 1e-9) {
                        a.major.append(v)
                        a.labels.append(String(format: "%g", v))
                    }
                }
            }
            let order = a.major.indices.sorted { a.major[$0] < a.major[$1] }
            (a.major, a.labels) = (order.map { a.major[$0] }, order.map { a.labels[$0] })
        }
        if b0 - a0 <= 6 {
            for e in (first - 1)...last {
                for m in 2...9 where !(labelTwoAndFive && (m == 2 || m == 5)) {
                    let v = Double(m) * Foundation.pow(10, Double(e))
                    if v >= a.lo * (1 - 1e-9) && v <= a.hi * (1 + 1e-9) { a.minor.append(v) }
                }
            }
        }
        return a
    }

    /// "0.01" … "1000" as plain numbers, beyond that 10 with a superscript exponent.
    static func powerOfTenLabel(_ e: Int) -> String {
        switch e {
        case 0...3: return "1" + String(repeating: "0", count: e)
        case -2 ... -1: return "0." + String(repeating: "0", count: -e - 1) + "1"
        default: return "10^\(e)"
        }
    }

    /// Characters a tick label takes on screen (a superscript counts as a small character).
    static func visibleLength(_ label: String) -> Int {
        label.contains("^") ? label.count - 1 : label.count
    }
}

// MARK: - SVG text helpers

/// Two decimals are far below a pixel and keep files small and stable.
fileprivate func svgNum(_ v: Double) -> String {
    let s = String(format: "%.2f", v)
    return s.hasSuffix(".00") ? String(s.dropLast(3)) : s
}

fileprivate func svgEscape(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

/// A text element; a label "10^k" is drawn as 10 with a raised k.
fileprivate func svgText(_ s: String, x: Double, y: Double, size: Double, anchor: String) -> String {
    var content = svgEscape(s)
    if let caret = s.firstIndex(of: "^"), s.hasPrefix("10^") {
        content = "10<tspan dy=\"-\(svgNum(size * 0.4))\" font-size=\"\(svgNum(size * 0.75))\">\(svgEscape(String(s[s.index(after: caret)...])))</tspan>"
    }
    return "<text x=\"\(svgNum(x))\" y=\"\(svgNum(y))\" font-size=\"\(svgNum(size))\" text-anchor=\"\(anchor)\">\(content)</text>\n"
}

fileprivate func svgDocument(width: Double, height: Double, body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(svgNum(width))" height="\(svgNum(height))" viewBox="0 0 \(svgNum(width)) \(svgNum(height))" font-family="Helvetica, Arial, sans-serif" fill="#222">
    <rect width="100%" height="100%" fill="white"/>
    \(body)</svg>

    """
}

// MARK: - Panels

/// Several plots in one SVG, in rows of `columns` (the papers' figures: k = 3, 4, 5 side by side).
public struct SVGPanels: Sendable {
    public var plots: [SVGPlot]
    public var columns: Int
    public var title: String?

    public init(_ plots: [SVGPlot], columns: Int? = nil, title: String? = nil) {
        self.plots = plots
        self.columns = max(1, columns ?? plots.count)
        self.title = title
    }

    public func render() -> String {
        // Each column is as wide as its widest plot (a plot with its legend outside is wider).
        let widths = plots.map { $0.layout().width }, cellH = plots.map(\.height).max() ?? 0
        let used = min(columns, plots.count)
        let columnWidth = (0..<used).map { c in stride(from: c, to: plots.count, by: columns).map { widths[$0] }.max() ?? 0 }
        let columnX = columnWidth.indices.map { columnWidth.prefix($0).reduce(0, +) }
        let total = columnWidth.reduce(0, +)
        let rows = (plots.count + columns - 1) / columns
        let top = (title ?? "").isEmpty ? 0.0 : 30.0
        var body = ""
        if let title, !title.isEmpty {
            body += "<text x=\"\(svgNum(total / 2))\" y=\"20\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">\(svgEscape(title))</text>\n"
        }
        for (i, p) in plots.enumerated() {
            let x = columnX[i % columns], y = top + Double(i / columns) * cellH
            body += "<g transform=\"translate(\(svgNum(x)),\(svgNum(y)))\">\n\(p.body(id: "p\(i)"))</g>\n"
        }
        return svgDocument(width: total, height: top + cellH * Double(rows), body: body)
    }

    public func write(to path: String) throws {
        try writeFileAtomically(render(), to: path)
    }
}
