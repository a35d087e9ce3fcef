// What `optima select` writes: every feature's rank, selection frequency and final group
// norm as a table (CSV), the same with the run's settings and result (JSON), and a plot
// of the frequencies in rank order with the threshold (SVG).

public enum SelectionReport {
    /// One row per feature, in rank order.
    public static func csv(_ table: [FeatureStability]) -> CSVTable {
        var t = CSVTable(header: ["rank", "feature", "name", "frequency", "norm", "selected", "r2_on_selected", "copy"])
        for f in table.sorted(by: { $0.rank < $1.rank }) {
            t.addRow([String(f.rank), String(f.feature), f.name, CSVTable.cell(f.frequency), CSVTable.cell(f.norm),
                      f.selected ? "1" : "0", f.explained.map { CSVTable.cell($0) } ?? "", f.redundant ? "1" : "0"])
        }
        return t
    }

    /// The features in rank order, as JSON objects with the CSV's fields.
    public static func json(_ table: [FeatureStability]) -> JSONValue {
        .array(table.sorted { $0.rank < $1.rank }.map { f in
            .object(["rank": JSONValue(f.rank), "feature": JSONValue(f.feature), "name": .string(f.name),
                     "frequency": JSONValue(f.frequency), "norm": JSONValue(f.norm), "selected": .bool(f.selected),
                     "r2_on_selected": f.explained.map { JSONValue($0) } ?? .null, "copy": .bool(f.redundant)])
        })
    }

    /// Selection frequency against rank, selected features apart, and the threshold π.
    public static func plot(_ table: [FeatureStability], threshold: Double, title: String) -> SVGPlot {
        var p = SVGPlot(title: title, xLabel: "rank", yLabel: "selection frequency")
        p.yRange = 0...1
        let ranked = table.sorted { $0.rank < $1.rank }
        let chosen = ranked.filter(\.selected), copies = ranked.filter(\.redundant), rest = ranked.filter { !$0.kept }
        if !chosen.isEmpty {
            p.addPoints(name: "selected (\(chosen.count))", x: chosen.map { Double($0.rank) }, y: chosen.map(\.frequency))
        }
        if !copies.isEmpty {
            p.addPoints(name: "linear copies of them (\(copies.count))", x: copies.map { Double($0.rank) },
                        y: copies.map(\.frequency))
        }
        if !rest.isEmpty {
            p.addPoints(name: "not selected (\(rest.count))", x: rest.map { Double($0.rank) }, y: rest.map(\.frequency),
                        marker: .cross)
        }
        p.addLine(name: "threshold π = \(threshold)", x: [1, Double(max(ranked.count, 2))], y: [threshold, threshold],
                  dashed: true)
        return p
    }
}
