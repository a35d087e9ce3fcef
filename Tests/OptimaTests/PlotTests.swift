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
}
