// The data flags every training command shares, and 'optima data describe'. Their
// defaults are the library's DataOptions().
import Optima

struct DataFlags {
    var spec = "xor"
    var options = DataOptions()
    var isBlindSpot: Bool { spec.lowercased() == "blindspot" }
    var isHypercube: Bool { spec.lowercased() == "hypercube" }
}

/// `--p` and `--n` size both generated sets; which one they set depends on --data, listed
/// above them, so the table reads it first.
let dataSection = FlagSection<DataFlags>(title: "Data", flags: [
    Flag("data", value: "NAME|FILE", help: "built-in set (see 'optima data list') or a CSV/TSV/whitespace file, "
         + "optionally gzip-compressed", shown: { $0.spec }) { $0.spec = $1 },
    Flag("k", value: "K", help: "XOR, hypercube: interaction order (hypercube: its informative features)",
         shown: { "\($0.options.xorK), hypercube \($0.options.hypercube.informative)" }) { d, s in
        if d.isHypercube {
            d.options.hypercube.informative = try parseInt("k", s, in: 1...HypercubeData.maxInformative)
        } else {
            d.options.xorK = try parseInt("k", s, in: 1...64)
        }
    },
    Flag("p", value: "P", help: "XOR: number of features, the first k relevant; hypercube: features in all; "
         + "blindspot: dimensions",
         shown: { "\($0.options.xorP), hypercube \($0.options.hypercube.features), "
             + "blindspot \($0.options.blindSpotDimensions)" }) { d, s in
        if d.isBlindSpot {
            d.options.blindSpotDimensions = try parseInt("p", s, in: 1...10_000)
        } else if d.isHypercube {
            d.options.hypercube.features = try parseInt("p", s, in: 1...100_000)
        } else {
            d.options.xorP = try parseInt("p", s, in: 1...XORData.masterColumns)
        }
    },
    Flag("n", value: "N", help: "XOR: training rows (the test set has \(XORData.masterTestRows)); hypercube: training "
         + "rows (the test set has \(HypercubeSettings().testRows)); blindspot: points",
         shown: { "\($0.options.xorN), hypercube \($0.options.hypercube.rows), "
             + "blindspot \($0.options.blindSpotPoints)" }) { d, s in
        if d.isBlindSpot {
            d.options.blindSpotPoints = try parseInt("n", s, in: 3...1_000_000)
        } else if d.isHypercube {
            d.options.hypercube.rows = try parseInt("n", s, in: 2...1_000_000)
        } else {
            d.options.xorN = try parseInt("n", s, in: 1...XORData.masterRows)
        }
    },
    .int("redundant", "R", "hypercube: linear combinations of the k informative features", \.options.hypercube.redundant,
         in: 0...100_000),
    Flag("vertex-labels", value: "parity|random", help: "hypercube: a vertex's class is its parity (k-D XOR), or "
         + "dealt at random, half the vertices each (MADELON's design)", shown: { $0.options.hypercube.labels.rawValue }) {
        d, s in
        guard let l = VertexLabels(rawValue: s.lowercased()) else {
            throw UsageError("--vertex-labels must be parity or random (got '\(s)')")
        }
        d.options.hypercube.labels = l
    },
    .seed("data-seed", "hypercube: seed of the vertices' classes, combinations, column scales and order", \.options.hypercube.seed),
    .seed("split-seed", "seed of the train/test split of data without a fixed test set", \.options.seed),
    .double("test-fraction", "F", "share of rows held out for testing, stratified by class (the papers' 4:1)",
            \.options.testFraction, in: 0.001...0.999),
    Flag("scaling", value: "minmax|standardize|none", aliases: ["scale"],
         help: "feature scaling fitted on the training part",
         shown: { $0.options.scaling?.rawValue ?? "by data set: minmax to [-1,1] for tabular data and user files; "
             + "standardize for hypercube; none for XOR, MNIST (pixels/255) and the tiny sets" }) { d, s in
        // "default" is the set's own choice, as when the flag is not given.
        guard s == "default" || Scaling(rawValue: s) != nil else {
            throw UsageError("--scaling: '\(s)' is not one of minmax, standardize, none")
        }
        d.options.scaling = Scaling(rawValue: s)
    }.renamed("the data's --scale is now --scaling, so that --scale means a study's size only"),
    Flag("standardize", value: nil, help: "same as --scaling standardize") { d, _ in
        if let s = d.options.scaling, s != .standardize { throw UsageError("--standardize contradicts --scaling \(s.rawValue)") }
        d.options.scaling = .standardize
    },
    .float("input-scale", "T", "multiply every feature by T after scaling (the counterexamples paper's τ)",
           \.options.inputScale, in: 1e-12...1e12),
    .choice("view", "mfeat: which feature set ("
            + UCIDatasets.mfeatViews.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            + " features; the papers use fac)", \.options.mfeatView,
            UCIDatasets.mfeatViews.keys.sorted().map { ($0, $0) }),
    .text("isolet-dir", "DIR", "isolet: folder with the UCI files "
          + UCIDatasets.isoletFiles.joined(separator: " and ") + " (or .gz)", \.options.isoletDirectory),
])

let userFileSection = FlagSection<DataFlags>(title: "User files", flags: [
    Flag("label-column", value: "C", help: "label column by header name or 0-based index, negative from the end",
         shown: { $0.options.encoding.label == .last ? "last" : nil }) { $0.options.encoding.label = .named($1) },
    .text("labels", "FILE", "labels in a separate file, one per line (every data column is then a feature); "
          + "for IDX image files, the IDX label file", \.options.labelsFile),
    Flag("categorical", value: "C,...", help: "columns to one-hot encode even if numeric (columns of words always are)") {
        $0.options.encoding.categorical = $1.split(separator: ",").map { String($0.trimmingCharacters(in: " ")) }.filter { !$0.isEmpty }
    },
    .text("test-data", "FILE", "test on this file (same layout as --data) instead of a split: every row of --data "
          + "trains; the encoding (categories, classes) and the scaling come from them only", \.options.testFile),
    .text("test-labels", "FILE", "the test file's labels, one per line, when --labels gives the training labels",
          \.options.testLabelsFile),
    .choice("header", "whether the first row names the columns", \.options.delimited.header,
            [("auto", nil), ("yes", true), ("no", false)]),
    .choice("separator", "field separator; auto: tab, else comma, else runs of blanks", \.options.delimited.separator,
            [("auto", nil), ("comma", .comma), ("tab", .tab), ("whitespace", .whitespace)]),
    .choice("task", "auto: words or integer labels are classes, other numbers regression", \.options.encoding.task,
            [("auto", .auto), ("classification", .classification), ("regression", .regression)]),
    .choice("missing", "a missing feature value (an empty cell, or ?, NA, N/A, null, None, -): an error naming "
            + "its line, or mean: the training rows' mean in a numeric column (a saved model keeps it for "
            + "predict) and a category of its own, (missing), in a categorical one. A missing label is "
            + "always an error", \.options.encoding.fillMissing, [("error", false), ("mean", true)]),
])

/// Reads the data flags; returns the data spec and the options.
/// `spec` names the data where the command takes it as an argument rather than --data, so
/// that flags whose meaning depends on the data (--p for XOR or hypercube) read it right.
/// `defaults` are the command's own starting values where they differ from the library's
/// (select standardises); its help shows the same ones (`dataUsage(defaults:)`).
func readDataFlags(_ a: inout Arguments, without: Set<String> = [], spec: String? = nil,
                   defaults: DataFlags = DataFlags()) throws -> (spec: String, options: DataOptions) {
    var d = defaults
    if let spec { d.spec = spec }
    try dataSection.excluding(without).read(&a, into: &d)
    try userFileSection.read(&a, into: &d)
    if d.options.labelsFile != nil && a.given("label-column") {
        throw UsageError("--labels and --label-column exclude each other: with a labels file every data column is a feature")
    }
    if d.options.testFile != nil && a.given("test-fraction") {
        throw UsageError("--test-fraction does not apply with --test-data: the test rows are the test file's")
    }
    return (d.spec, d.options)
}

/// The data sections' help.
func dataUsage(without: Set<String> = [], defaults: DataFlags = DataFlags()) -> [UsageSection] {
    [dataSection.excluding(without).usage(defaults), userFileSection.usage(defaults)]
}
