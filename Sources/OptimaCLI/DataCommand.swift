// optima data: list the built-in data sets, or describe one (or a user's file) as it loads.
import Optima

private let dataHeader = """
Usage: optima data list [--json]
       optima data describe NAME|FILE [--json] [data flags]

list      the built-in data sets with rows (train + test), features and classes
describe  rows, features, classes and their counts, feature ranges and constant columns,
          as loaded (before the train/test split and before scaling); the data flags
          below (--label-column, --labels, --view, ...) apply as in training commands
"""

/// `describe` names the data as its argument, so it has no --data.
private let describeUsage = dataUsage(without: ["data"])
private let jsonSection = outputSection.only(["json"])

func dataCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: describeUsage + [jsonSection.usage(OutputFlags())], command: "data")
    if a.wantsHelp || a.positional.isEmpty {
        print(commandHelp(dataHeader, describeUsage + [jsonSection.usage(OutputFlags())]))
        if !a.wantsHelp { throw UsageError("say 'list' or 'describe NAME|FILE'") }
        return
    }
    var output = OutputFlags()
    try jsonSection.read(&a, into: &output)
    switch a.positional[0] {
    case "list":
        try a.finish(command: "data list")
        guard a.positional.count == 1 else { throw UsageError("data list takes no argument (got '\(a.positional[1])')") }
        printCatalog(json: output.json)
    case "describe":
        guard a.positional.count == 2 else { throw UsageError("data describe takes one NAME or FILE") }
        let (_, options) = try readDataFlags(&a, without: ["data"], spec: a.positional[1])
        try a.finish(command: "data describe")
        try describe(a.positional[1], options: options, json: output.json)
    default:
        throw UsageError("unknown subcommand '\(a.positional[0])' (list or describe)")
    }
}

func printCatalog(json: Bool) {
    if json {
        let sets: [JSONValue] = DataCatalog.entries.map { e in
            .object(["name": .string(e.name), "rows": JSONValue(e.rows), "features": JSONValue(e.features),
                     "classes": JSONValue(e.classes), "title": .string(e.title), "note": .string(e.note)])
        }
        print(JSONValue.object(["datasets": .array(sets)]).jsonText)
        return
    }
    print("name          rows  features  classes  description")
    for e in DataCatalog.entries {
        let classes = e.classes == 0 ? "regr." : String(e.classes)
        print(pad(e.name, 12) + padLeft(String(e.rows), 6) + padLeft(String(e.features), 10) + padLeft(classes, 9) + "  " + e.title)
        print(String(repeating: " ", count: 39) + e.note)
    }
}

func describe(_ spec: String, options: DataOptions, json: Bool) throws {
    var parts: [(String, Dataset)] = []
    var splitNote: String?
    switch try DataSource.loadUnsplit(spec, options: options) {
    case let .whole(d, _):
        parts = [("all", d)]
        let split = Splits.stratified(labels: d.classLabels, count: d.count, testFraction: options.testFraction, seed: options.seed)
        splitNote = split.test.isEmpty ? "training commands refuse it: " + DataSource.noTestRows(d)
            : "training commands split it \(split.train.count) train / \(split.test.count) test "
                + "(stratified, test fraction \(options.testFraction), --split-seed \(options.seed))"
    case let .fixed(train, test, _):
        parts = train.features == test.features && train.count == test.count ? [("train = test", train)] : [("train", train), ("test", test)]
    }
    if json {
        // One object whether the set comes whole or as a fixed train and test part.
        var o: [String: JSONValue] = ["data": .string(spec), "parts": .array(parts.map { part, d in
            var p = DataSummary(d).json
            p["part"] = .string(part)
            return .object(p)
        })]
        if let splitNote { o["split"] = .string(splitNote) }
        if spec.lowercased() == "hypercube" {
            let (_, _, informative, redundant) = try HypercubeData.make(options.hypercube)
            o["informative"] = JSONValue(informative)
            o["redundant"] = JSONValue(redundant)
        }
        print(JSONValue.object(o).jsonText)
        return
    }
    for (part, d) in parts {
        let s = DataSummary(d)
        print("\(s.name) (\(part)): \(s.rows) rows, \(s.features) features, \(s.task)")
        if !s.classNames.isEmpty {
            print("  classes (\(s.classNames.count)): " + zip(s.classNames, s.classCounts).map { "\($0) \($1)" }.joined(separator: ", "))
        }
        let shown = min(s.features, 24)
        print("  feature ranges (min .. max)\(shown < s.features ? ", first \(shown) of \(s.features) (--json for all)" : ""):")
        for c in 0..<shown {
            print("    " + pad(s.featureNames[c], 28) + " \(s.minimum[c]) .. \(s.maximum[c])")
        }
        if s.features > 0 {
            print("  all features: \(s.minimum.min()!) .. \(s.maximum.max()!)")
        }
        let constant = s.constantColumns
        print("  constant columns: " + (constant.isEmpty ? "none"
            : "\(constant.count): " + constant.prefix(20).map { s.featureNames[$0] }.joined(separator: ", ") + (constant.count > 20 ? ", …" : "")))
        let missing = (0..<s.features).filter { s.missing[$0] > 0 }
        if !missing.isEmpty {
            print("  missing values (filled by --missing mean): " + missing.prefix(20).map { "\(s.featureNames[$0]) \(s.missing[$0])" }
                .joined(separator: ", ") + (missing.count > 20 ? ", … (\(missing.count) features)" : ""))
        }
    }
    if let splitNote { print(splitNote) }
    if spec.lowercased() == "hypercube" {
        let (_, _, informative, redundant) = try HypercubeData.make(options.hypercube)
        print("relevant columns (0-based): informative \(informative.map(String.init).joined(separator: " ")); "
            + "redundant \(redundant.map(String.init).joined(separator: " "))")
    }
}

private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
private func padLeft(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
