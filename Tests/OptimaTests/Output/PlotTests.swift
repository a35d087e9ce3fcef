import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Optima

/// The SVG plots: well-formed, labelled, one path per series, NaN skipped, log ticks at decades.
final class PlotTests: XCTestCase {

    /// Parses the document and returns every element name with its attributes and text.
    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        /// The text of each element, one entry per element (the parser may deliver a text
        /// in pieces around entities such as &amp;).
        var texts: [String] = []
        private var current = ""
        var text: String { texts.joined(separator: "\n") }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            flush()
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { flush() }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        private func flush() {
            let t = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty { texts.append(t) }
            current = ""
        }
    }

    private func parse(_ svg: String) throws -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let c = Collector()
        parser.delegate = c
        XCTAssertTrue(parser.parse(), "SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return c
    }

    func testLinePlotIsWellFormedAndLabelled() throws {
        var plot = SVGPlot(title: "Loss & AUC <test>", xLabel: "hidden nodes h", yLabel: "training loss")
        plot.addLine(name: "k = 3", x: [1, 2, 4, 8], y: [0.7, 0.5, 0.3, 0.2])
        plot.addLine(name: "k = 4", x: [1, 2, 4, 8], y: [0.69, 0.6, 0.4, 0.35], dashed: true)
        plot.addBand(x: [1, 2, 4, 8], lower: [0.6, 0.4, 0.2, 0.1], upper: [0.8, 0.6, 0.4, 0.3])
        let svg = plot.render()
        let doc = try parse(svg)
        XCTAssertEqual(doc.elements.first?.name, "svg")
        for label in ["hidden nodes h", "training loss", "k = 3", "k = 4", "Loss & AUC <test>"] {
            XCTAssertTrue(doc.text.contains(label), "missing text '\(label)'")
        }
        XCTAssertFalse(svg.contains("NaN") || svg.contains("nan") || svg.contains("inf"))
    }

    func testNonFinitePointsAreSkipped() throws {
        var plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        plot.addLine(name: "s", x: [1, 2, 3, 4], y: [1, .nan, .infinity, 2])
        let svg = plot.render()
        _ = try parse(svg)
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertFalse(svg.lowercased().contains("inf"))
    }

    func testLogAxisTicksArePowersOfTen() throws {
        var plot = SVGPlot(title: "hit time", xLabel: "p", yLabel: "initialisations", yLog: true)
        plot.addLine(name: "k = 3", x: [3, 10, 30], y: [1, 20, 700])
        let doc = try parse(plot.render())
        let labels = doc.texts
        XCTAssertTrue(labels.contains("1") && labels.contains("10") && labels.contains("100"), "decade ticks missing: \(labels)")
        XCTAssertFalse(labels.contains("50"), "a log axis labels decades, not linear steps")
    }

    func testPanelsHoldEveryPlot() throws {
        var a = SVGPlot(title: "left", xLabel: "n", yLabel: "loss")
        a.addLine(name: "a", x: [1, 2], y: [1, 2])
        var b = SVGPlot(title: "right", xLabel: "n", yLabel: "AUC")
        b.addLine(name: "b", x: [1, 2], y: [0.5, 0.9])
        let doc = try parse(SVGPanels([a, b], title: "both").render())
        for t in ["left", "right", "both", "loss", "AUC"] { XCTAssertTrue(doc.text.contains(t), "missing '\(t)'") }
    }

    func testWriteIsAtomicAndLeavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optima-plot-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        plot.addLine(name: "s", x: [0, 1], y: [0, 1])
        let path = dir.appendingPathComponent("sub/plot.svg").path
        try plot.write(to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), plot.render())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sub").path), ["plot.svg"])
    }

    func testOnePathPerSeriesAndLineBreaksAtMissingPoints() throws {
        var plot = SVGPlot(title: "t", xLabel: "h", yLabel: "AUC", xLog: true)
        plot.addBand(x: [2, 4, 8], lower: [0.5, 0.6, 0.7], upper: [0.6, 0.7, 0.8])
        plot.addLine(name: "train", x: [2, 4, 8], y: [0.55, 0.65, 0.75], markers: true)
        plot.addLine(name: "test", x: [2, 4, 8, 16, 32], y: [0.5, .nan, 0.6, 0.7, 0.8], dashed: true)
        plot.addPoints(name: "capped", x: [16], y: [0.9], marker: .openCircle)
        let doc = try parse(plot.render())
        let series = doc.elements.filter { $0.name == "path" && $0.attributes["class"] == "series" }
        XCTAssertEqual(series.count, 2)
        XCTAssertEqual(series[1].attributes["d"]?.filter { $0 == "M" }.count, 2, "the NaN splits the line in two pieces")
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "band" }.count, 1)
        for name in ["train", "test", "capped"] { XCTAssertTrue(doc.texts.contains(name), "legend lacks '\(name)'") }
    }

    func testAxisTicks() {
        let log = SVGPlot.logAxis(min: 3, max: 20_000, forced: nil)
        XCTAssertTrue(log.lo < 3 && log.lo > 2 && log.hi > 20_000 && log.hi < 30_000, "the range is the data's with a margin: \(log.lo)…\(log.hi)")
        XCTAssertEqual(log.labels, ["10^1", "10^2", "10^3", "10^4"], "10^k throughout once one label would be long")
        XCTAssertTrue(log.minor.contains { abs($0 - 20) < 1e-9 })
        XCTAssertEqual(SVGPlot.logAxis(min: 0.5, max: 2e9, forced: nil).major, [1, 100, 1e4, 1e6, 1e8], "many decades: every second one")
        // Data up to 2048 on an axis that ends near 2048, not at 10^4; two decades labelled get 2 and 5 × 10^k too.
        let short = SVGPlot.logAxis(min: 16, max: 2048, forced: nil)
        XCTAssertTrue(short.hi > 2048 && short.hi < 3000, "\(short.hi)")
        XCTAssertEqual(short.labels, ["20", "50", "100", "200", "500", "1000", "2000"])
        XCTAssertEqual(SVGPlot.logAxis(min: 0.7, max: 12, forced: 0.7...12).labels, ["1", "2", "5", "10"], "one decade: 2 and 5 labelled")
        XCTAssertEqual(SVGPlot.logAxis(min: 2, max: 8, forced: 2...8).labels, ["2", "5"])
        for (lo, hi) in [(0.52, 0.98), (0.0, 1.0), (500.0, 10_000.0), (-3.0, 7.0), (5.0, 5.0)] {
            let a = SVGPlot.linearAxis(min: lo, max: hi, forced: nil)
            XCTAssertGreaterThanOrEqual(a.major.count, 3)
            XCTAssertTrue(a.lo <= lo && a.hi >= hi && a.major.allSatisfy { $0 >= a.lo && $0 <= a.hi })
            let step = a.major[1] - a.major[0]
            let mantissa = step / pow(10, log10(step).rounded(.down))
            XCTAssertTrue([1, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
        }
        XCTAssertEqual(SVGPlot.linearAxis(min: 0.5, max: 1, forced: 0.5...1).labels, ["0.5", "0.6", "0.7", "0.8", "0.9", "1.0"])
    }

    func testLegendAvoidsTheData() {
        var p = SVGPlot(title: "", xLabel: "x", yLabel: "y")
        p.addLine(name: "rising", x: [0, 1], y: [0, 1])   // crosses the top-right and bottom-left corners
        let frame = SVGPlot.Frame(left: 60, top: 20, right: 460, bottom: 320,
                                  x: SVGPlot.linearAxis(min: 0, max: 1, forced: nil),
                                  y: SVGPlot.linearAxis(min: 0, max: 1, forced: nil))
        XCTAssertEqual(p.bestCorner(frame: frame, size: p.legendBox(p.series)), .topLeft)
    }

    /// The legend goes to the asked corner only where it covers no data; with data in every
    /// corner it goes outside.
    func testALegendMovesOffTheData() throws {
        func placed(_ legend: LegendPlacement, _ build: (inout SVGPlot) -> Void) -> LegendPlacement {
            var p = SVGPlot(title: "", xLabel: "x", yLabel: "y")
            p.legend = legend
            build(&p)
            let frame = SVGPlot.Frame(left: 60, top: 20, right: 460, bottom: 320, x: SVGPlot.linearAxis(min: 0, max: 1, forced: 0...1),
                                      y: SVGPlot.linearAxis(min: 0, max: 1, forced: 0...1))
            return p.placement(frame: frame, size: p.legendBox(p.series.filter { !($0.name ?? "").isEmpty }))
        }
        // Asked for bottom-right, where the line ends: moved to the first free corner.
        XCTAssertEqual(placed(.bottomRight) { $0.addLine(name: "falling", x: [0, 1], y: [1, 0]) }, .topRight)
        XCTAssertEqual(placed(.bottomRight) { $0.addLine(name: "rising", x: [0, 1], y: [0, 1]) }, .bottomRight)
        // A band's inside is data too.
        XCTAssertEqual(placed(.topRight) { $0.addBand(x: [0, 1], lower: [0.5, 0.5], upper: [1, 1], name: "band") }, .bottomRight)
        // Data in every corner: outside.
        XCTAssertEqual(placed(.topLeft) { $0.addPoints(name: "corners", x: [0.02, 0.98, 0.02, 0.98], y: [0.02, 0.02, 0.98, 0.98]) },
                       .outsideRight)
    }

    /// A legend outside adds its strip to the plot's width instead of narrowing the plot area,
    /// and a column of panels is as wide as its widest plot.
    func testAnOutsideLegendWidensThePlot() throws {
        var p = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        p.legend = .outsideRight
        p.addLine(name: "a long series name", x: [0, 1], y: [0, 1])
        let l = p.layout()
        XCTAssertEqual(l.frame.right, p.width - 16)
        XCTAssertGreaterThan(l.width, p.width + 100)
        var q = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        q.addLine(name: "b", x: [0, 1], y: [0, 1])
        let doc = try parse(SVGPanels([p, q, q, q], columns: 2).render())
        XCTAssertEqual(Double(doc.elements.first!.attributes["width"]!)!, l.width + q.width, accuracy: 0.01)
    }

    /// On random data and every asked place, the rendered legend box holds no drawn point and
    /// no piece of a drawn line.
    func testALegendNeverOverlapsADataPoint() throws {
        var g = Xoshiro256(seed: 7)
        let places: [LegendPlacement] = [.auto, .topLeft, .topRight, .bottomLeft, .bottomRight]
        for trial in 0..<60 {
            var p = SVGPlot(title: "t", xLabel: "x", yLabel: "y", xLog: trial % 3 == 0)
            p.legend = places[trial % places.count]
            for line in 0..<(1 + g.index(below: 3)) {
                let n = 2 + g.index(below: 12)
                let x = (0..<n).map { Double($0 + 1) * (1 + Double(g.unitDouble())) }
                let y = (0..<n).map { _ in g.unitDouble() }
                p.addLine(name: "series \(line) of trial \(trial)", x: x, y: y, markers: true)
            }
            if trial % 2 == 0 {
                p.addPoints(name: "points", x: (0..<8).map { _ in 1 + 20 * g.unitDouble() }, y: (0..<8).map { _ in g.unitDouble() })
            }
            let doc = try parse(p.render())
            guard let start = doc.elements.firstIndex(where: { $0.attributes["class"] == "legend" }),
                  let box = doc.elements[start...].first(where: { $0.name == "rect" })?.attributes else {
                return XCTFail("trial \(trial): no legend")
            }
            let (bx, by) = (Double(box["x"]!)!, Double(box["y"]!)!), (bw, bh) = (Double(box["width"]!)!, Double(box["height"]!)!)
            func inside(_ x: Double, _ y: Double) -> Bool { x > bx && x < bx + bw && y > by && y < by + bh }
            // The data are drawn before the legend (whose own entries have markers too).
            let data = doc.elements[..<start]
            for e in data where e.name == "circle" {
                let (x, y) = (Double(e.attributes["cx"]!)!, Double(e.attributes["cy"]!)!)
                XCTAssertFalse(inside(x, y), "trial \(trial): a point at (\(x), \(y)) under the legend")
            }
            for e in data where e.attributes["class"] == "series" {
                var pieces: [[(Double, Double)]] = []
                let tokens = e.attributes["d"]!.replacingOccurrences(of: "M", with: " M ").replacingOccurrences(of: "L", with: " L ")
                    .split(separator: " ").map(String.init)
                var i = 0
                while i < tokens.count {
                    if tokens[i] == "M" { pieces.append([]) }
                    pieces[pieces.count - 1].append((Double(tokens[i + 1])!, Double(tokens[i + 2])!))
                    i += 3
                }
                for piece in pieces {
                    for (a, b) in zip(piece, piece.dropFirst()) {
                        for k in 0...20 {
                            let t = Double(k) / 20
                            XCTAssertFalse(inside(a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)), "trial \(trial): a line under the legend")
                        }
                    }
                }
            }
        }
    }

    func testPanelClipIdsAreDistinct() throws {
        var a = SVGPlot(title: "a", xLabel: "n", yLabel: "loss")
        a.addLine(name: "a", x: [1, 2], y: [1, 2])
        let doc = try parse(SVGPanels([a, a, a]).render())
        let ids = doc.elements.filter { $0.name == "clipPath" }.compactMap { $0.attributes["id"] }
        XCTAssertEqual(Set(ids).count, 3)
        XCTAssertEqual(doc.elements.first?.attributes["width"], "1440")
    }

    func testMarkdownSectionsAndCSV() throws {
        var md = MarkdownReport()
        md.heading("Figure 3")
        md.table(header: ["k", "paper", "ours | note"], rows: [["3", "0.95", "0.94 ± 0.01"], ["4", "–", "a|b"]])
        md.verdict(.reproduced, "same shape.")
        XCTAssertTrue(md.text.contains("| k | paper | ours \\| note |\n|---:|---:|---|\n| 3 | 0.95 | 0.94 ± 0.01 |"), md.text)
        XCTAssertTrue(md.text.hasSuffix("**Verdict: reproduced.** same shape.\n"))

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("optima-report-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try MarkdownReport.updateSection(id: "fig1", with: "one", inFile: path)
        try MarkdownReport.updateSection(id: "fig2", with: "two", inFile: path)
        try MarkdownReport.updateSection(id: "fig1", with: "uno", inFile: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8),
                       "# Results\n\n<!-- begin fig1 -->\nuno\n<!-- end fig1 -->\n\n<!-- begin fig2 -->\ntwo\n<!-- end fig2 -->\n")

        var t = CSVTable(header: ["name", "loss"])
        t.addRow(["a, \"b\"", CSVTable.cell(0.25)])
        t.addRow(["plain", CSVTable.cell(.nan)])
        t.addRow([" edge", CSVTable.cell(3)])
        XCTAssertEqual(t.text, "name,loss\n\"a, \"\"b\"\"\",0.25\nplain,NaN\n\" edge\",3\n")
    }
}
