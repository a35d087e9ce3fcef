// What `optima select` writes: every feature's rank, selection frequency and final group
// norm as a table (CSV), the same with the run's settings and result (JSON), and a plot
// of the frequencies in rank order with the threshold (SVG).

public enum SelectionReport {
    /// One row per feature, in rank order.
    public static func csv(_ table: [FeatureStability]) -> CSVTable {
        var t = CSVTable(header: ["rank", "feature", "name", "frequency", "norm", "selected", "r2_on_selected", "copy", "held_out",
                                          "screened_out", "screen_score"])
        for f in table.sorted(by: { $0.rank < $1.rank }) {
            t.addRow([String(f.rank), String(f.feature), f.name, CSVTable.cell(f.frequency), CSVTable.cell(f.norm),
                      f.selected ? "1" : "0", f.explained.map { CSVTable.cell($0) } ?? "", f.redundant ? "1" : "0", f.heldOut?.rawValue ?? "",
                      f.screenedOut ? "1" : "0", f.screenScore.map { CSVTable.cell($0) } ?? ""])
        }
        return t
    }

    /// The features in rank order, as JSON objects with the CSV's fields.
    public static func json(_ table: [FeatureStability]) -> JSONValue {
        .array(table.sorted { $0.rank < $1.rank }.map { f in
            .object(["rank": JSONValue(f.rank), "feature": JSONValue(f.feature), "name": .string(f.name),
                     "frequency": JSONValue(f.frequency), "norm": JSONValue(f.norm), "selected": .bool(f.selected),
                     "r2_on_selected": f.explained.map { JSONValue($0) } ?? .null, "copy": .bool(f.redundant),
                     "held_out": f.heldOut.map { .string($0.rawValue) } ?? .null, "screened_out": .bool(f.screenedOut),
                     "screen_score": f.screenScore.map { JSONValue($0) } ?? .null])
        })
    }

    /// Two panels. Left: selection frequency against rank (log axis, so the few top ranks are
    /// not squeezed against the hundreds below), the threshold π dashed. Right, when the copies
    /// step ran: each feature's R² on the selected ones against its frequency, where the
    /// copies stand apart from the noise columns (R² near 1 against near 0) whatever their
    /// frequency.
    public static func plot(_ table: [FeatureStability], threshold: Double, title: String) -> SVGPanels {
        var left = SVGPlot(title: "selection frequency by rank", xLabel: "rank", yLabel: "selection frequency",
                           xLog: true)
        left.yRange = 0...1
        let ranked = table.sorted { $0.rank < $1.rank }
        let chosen = ranked.filter { $0.selected && $0.kept }, copies = ranked.filter(\.redundant)
        let added = ranked.filter { $0.heldOut == .added }, rest = ranked.filter { !$0.kept }
        // The same colour for each kind in both panels.
        let (selectedColor, copyColor, restColor) = (SVGPlot.palette[0], SVGPlot.palette[1], SVGPlot.palette[2])
        // Noise first, so the kept features are drawn on top of it.
        if !rest.isEmpty {
            left.addPoints(name: "not kept (\(rest.count))", x: rest.map { Double($0.rank) }, y: rest.map(\.frequency),
                           marker: .cross, color: restColor)
        }
        if !chosen.isEmpty {
            left.addPoints(name: "selected (\(chosen.count))", x: chosen.map { Double($0.rank) }, y: chosen.map(\.frequency),
                           color: selectedColor)
        }
        if !copies.isEmpty {
            left.addPoints(name: "linear copies of them (\(copies.count))", x: copies.map { Double($0.rank) },
                           y: copies.map(\.frequency), color: copyColor)
        }
        if !added.isEmpty {
            left.addPoints(name: "added on held-out rows (\(added.count))", x: added.map { Double($0.rank) },
                           y: added.map(\.frequency), color: SVGPlot.palette[4])
        }
        left.addLine(name: "threshold π = \(threshold)", x: [1, Double(max(ranked.count, 2))], y: [threshold, threshold],
                     dashed: true, color: SVGPlot.palette[3])
        guard ranked.contains(where: { $0.explained != nil }) else { return SVGPanels([left], title: title) }
        var right = SVGPlot(title: "R² on the selected features", xLabel: "selection frequency",
                            yLabel: "R² of a least-squares fit on the selected")
        right.xRange = 0...1
        right.yRange = 0...1
        let others = ranked.filter { !$0.selected }
        let noise = others.filter { !$0.redundant }
        if !noise.isEmpty {
            right.addPoints(name: "not kept", x: noise.map(\.frequency), y: noise.map { $0.explained ?? 0 }, marker: .cross,
                            color: restColor)
        }
        if !copies.isEmpty {
            right.addPoints(name: "copies", x: copies.map(\.frequency), y: copies.map { $0.explained ?? 0 }, color: copyColor)
        }
        return SVGPanels([left, right], title: title)
    }
}
