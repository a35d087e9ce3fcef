// The data flags every training command shares.
import Optima

/// Help text for the data flags, shown by every command that trains.
let dataFlagsHelp = """
  Data:
    --data NAME|FILE     built-in set (see 'optima data list') or a CSV/TSV/whitespace file,
                         optionally gzip-compressed (default xor)
    --k K                XOR: interaction order (default 3)
    --p P                XOR: number of features, the first k relevant (default 15);
                         blindspot: dimensions (default 2)
    --n N                XOR: training rows (default 3000; the test set has 3000);
                         blindspot: points (default 50)
    --split-seed S       seed of the train/test split of data without a fixed test set (default 1)
    --test-fraction F    share of rows held out for testing, stratified by class (default 0.2, the papers' 4:1)
    --scale minmax|standardize|none
                         feature scaling fitted on the training part (default: minmax to [-1,1] for
                         tabular data and user files; none for XOR, MNIST (pixels/255) and the tiny sets)
    --standardize        same as --scale standardize
    --input-scale T      multiply every feature by T after scaling (the counterexamples paper's τ; default 1)
    --view V             mfeat: fac|fou|kar|mor|pix|zer (default fac, the papers' p = 216)
    --isolet-dir DIR     isolet: folder with the UCI files isolet1+2+3+4.data and isolet5.data (or .gz)
  User files:
    --label-column C     label column by header name or 0-based index, negative from the end (default: last)
    --labels FILE        labels in a separate file, one per line (every data column is then a feature);
                         for IDX image files, the IDX label file
    --categorical C,...  columns to one-hot encode even if numeric (columns of words always are)
    --header yes|no|auto whether the first row names the columns (default auto)
    --separator comma|tab|whitespace|auto
                         field separator (default auto: tab, else comma, else runs of blanks)
    --task auto|classification|regression
                         default auto: words or integer labels are classes, other numbers regression
"""

/// Boolean data flags: every command that calls readDataFlags lists these among its switches.
let dataSwitches: Set<String> = ["standardize"]

/// Reads the data flags; returns the data spec and the options.
func readDataFlags(_ a: inout Arguments) throws -> (spec: String, options: DataOptions) {
    var o = DataOptions()
    let spec = a.string("data") ?? "xor"
    let isBlindSpot = spec.lowercased() == "blindspot"
    o.xorK = try a.int("k", default: 3, range: 1...64)
    if isBlindSpot {
        o.blindSpotDimensions = try a.int("p", default: 2, range: 1...10_000)
        o.blindSpotPoints = try a.int("n", default: 50, range: 3...1_000_000)
    } else {
        o.xorP = try a.int("p", default: 15, range: 1...XORData.masterColumns)
        o.xorN = try a.int("n", default: 3000, range: 1...XORData.masterRows)
    }
    o.seed = UInt64(try a.int("split-seed", default: 1, range: 0...Int.max))
    o.testFraction = try a.double("test-fraction", default: 0.2, range: 0.001...0.999)
    let scale = try a.choice("scale", default: "default", from: ["default", "minmax", "standardize", "none"])
    o.scaling = Scaling(rawValue: scale)
    if a.flag("standardize") {
        if o.scaling != nil && o.scaling != .standardize { throw UsageError("--standardize contradicts --scale \(scale)") }
        o.scaling = .standardize
    }
    o.inputScale = Float(try a.double("input-scale", default: 1, range: 1e-12...1e12))
    o.mfeatView = try a.choice("view", default: "fac", from: UCIDatasets.mfeatViews.keys.sorted())
    o.isoletDirectory = a.string("isolet-dir")

    if let c = a.string("label-column") { o.encoding.label = .named(c) }
    o.labelsFile = a.string("labels")
    if let c = a.string("categorical") {
        o.encoding.categorical = c.split(separator: ",").map { String($0.trimmingCharacters(in: " ")) }.filter { !$0.isEmpty }
    }
    switch try a.choice("header", default: "auto", from: ["auto", "yes", "no"]) {
    case "yes": o.delimited.header = true
    case "no": o.delimited.header = false
    default: o.delimited.header = nil
    }
    let sep = try a.choice("separator", default: "auto", from: ["auto", "comma", "tab", "whitespace"])
    o.delimited.separator = Separator(rawValue: sep)
    o.encoding.task = TaskChoice(rawValue: try a.choice("task", default: "auto", from: ["auto", "classification", "regression"]))!
    if o.labelsFile != nil && a.string("label-column") != nil {
        throw UsageError("--labels and --label-column exclude each other: with a labels file every data column is a feature")
    }
    return (spec, o)
}
