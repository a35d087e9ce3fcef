// Turns a `--data NAME|FILE` specification into a training and a test set.
import Foundation

/// How features are rescaled after the split (fitted on the training part only).
public enum Scaling: String, Sendable {
    /// Each feature's training range onto [-1, 1] (the cpna and nsa papers); constant features to 0.
    case minMax = "minmax"
    /// Mean 0 and unit variance on the training part.
    case standardize
    /// Leave the values as loaded.
    case none
}

/// Everything a data source may need from the command line.
public struct DataOptions: Sendable {
    /// k-D XOR: interaction order, features and training rows (test set: 3000 rows).
    public var xorK = 3
    public var xorP = 15
    public var xorN = 3000
    /// Seed of the train/test split for data without a fixed test set.
    public var seed: UInt64 = 1
    /// Share of the rows held out for testing (the papers' 4:1 split).
    public var testFraction = 0.2
    /// nil: the set's own default (min-max for tabular data, none for XOR and the tiny sets,
    /// pixels / 255 only for MNIST).
    public var scaling: Scaling?
    /// Every feature multiplied by this after scaling (the counterexamples paper's τ, Fig. 2 and 5).
    public var inputScale: Float = 1
    /// Multiple Features view.
    public var mfeatView = "fac"
    /// Folder with the ISOLET files.
    public var isoletDirectory: String?
    /// The generated MADELON-like set (--k, --p, --n and --redundant set it with --data hypercube).
    public var hypercube = HypercubeSettings()
    /// Blind-spot set: points N and dimensions d.
    public var blindSpotPoints = 50
    public var blindSpotDimensions = 2
    /// User files: how to read them and which column is the label.
    public var delimited = DelimitedOptions()
    public var encoding = EncodingOptions()
    /// A separate file of labels, one per line, for a data file without a label column.
    public var labelsFile: String?
    /// The user's own test file, in the layout of the training file; every row of the
    /// training file then trains. With `labelsFile`, its labels are in `testLabelsFile`.
    public var testFile: String?
    public var testLabelsFile: String?
    public init() {}
}

/// A data set as loaded, before any split: either all rows (split later by the papers'
/// protocol) or a set that comes with its own test set.
public enum LoadedData: Sendable {
    case whole(Dataset, defaultScaling: Scaling)
    case fixed(train: Dataset, test: Dataset, defaultScaling: Scaling)
}

public enum DataSource {
    /// Loads a built-in set or a user's file, split into training and test parts and scaled
    /// with statistics of the training part.
    public static func load(_ spec: String, options: DataOptions) throws -> (train: Dataset, test: Dataset) {
        let (train, test, _) = try loadTransformed(spec, options: options)
        return (train, test)
    }

    /// The same, with the transform fitted on the training part (what a saved model keeps).
    public static func loadTransformed(_ spec: String, options: DataOptions)
        throws -> (train: Dataset, test: Dataset, transform: InputTransform) {
        let (train, test, scaling) = try loadUnscaled(spec, options: options)
        let t = InputTransform.fit(scaling, on: train, inputScale: options.inputScale)
        return (t.apply(train), t.apply(test), t)
    }

    /// The training and test parts before any scaling, and the scaling they take (the
    /// flag's, else the set's own). Cross-validation splits the training part further and
    /// scales each fold itself.
    public static func loadUnscaled(_ spec: String, options: DataOptions) throws -> (train: Dataset, test: Dataset, scaling: Scaling) {
        guard (0.0..<1.0).contains(options.testFraction), options.testFraction > 0 else {
            throw SettingsError("--test-fraction must be above 0 and below 1 (got \(options.testFraction))")
        }
        switch try loadUnsplit(spec, options: options) {
        case let .whole(d, s):
            guard d.count >= 2 else { throw DataError(file: spec, "\(d.count) row(s): too few to split into training and test parts") }
            let (train, test) = d.stratifiedSplit(testFraction: options.testFraction, seed: options.seed)
            // A score on no rows would print as 0; the split is refused instead.
            guard test.count > 0 else { throw DataError(file: spec, noTestRows(d)) }
            return (train, test, options.scaling ?? s)
        case let .fixed(a, b, s):
            return (a, b, options.scaling ?? s)
        }
    }

    /// Why a stratified split of `d` leaves no test rows: it holds one row of each class.
    public static func noTestRows(_ d: Dataset) -> String {
        "each of its \(d.count) rows is a class of its own, so a stratified split leaves no test rows (give more rows "
            + "of each class, or --test-data" + (d.count > 2 ? "; --task regression reads a numeric label as a target)" : ")")
    }

    /// Scales both parts with statistics of `train` only, then multiplies every feature by
    /// `inputScale`.
    public static func prepare(train: Dataset, test: Dataset, scaling: Scaling, inputScale: Float) -> (train: Dataset, test: Dataset) {
        let t = InputTransform.fit(scaling, on: train, inputScale: inputScale)
        return (t.apply(train), t.apply(test))
    }

    /// The data as read, unsplit and unscaled (what `optima data describe` shows).
    public static func loadUnsplit(_ spec: String, options: DataOptions) throws -> LoadedData {
        func tiny(_ d: Dataset) -> LoadedData { .fixed(train: d, test: d, defaultScaling: .none) }
        if options.testFile != nil || options.testLabelsFile != nil {
            let (train, test) = try userFiles(spec, options: options)
            return .fixed(train: train, test: test, defaultScaling: .minMax)
        }
        switch spec.lowercased() {
        case "xor":
            return .fixed(train: try XORData.make(k: options.xorK, p: options.xorP, n: options.xorN),
                          test: try XORData.make(k: options.xorK, p: options.xorP, n: XORData.masterTestRows, test: true),
                          defaultScaling: .none)
        case "hypercube":
            let (train, test, _, _) = try HypercubeData.make(options.hypercube)
            return .fixed(train: train, test: test, defaultScaling: .standardize)
        case "xor4": return tiny(CounterexamplesData.xor4())
        case "jellyfish": return tiny(CounterexamplesData.jellyfish())
        case "d1": return tiny(CounterexamplesData.d1())
        case "d2": return tiny(CounterexamplesData.d2())
        case "d3": return tiny(CounterexamplesData.d3())
        case "zigzag": return tiny(CounterexamplesData.zigzag())
        case "blindspot":
            return tiny(try CounterexamplesData.blindSpot(points: options.blindSpotPoints, dimensions: options.blindSpotDimensions))
        case "car": return .whole(try UCIDatasets.car(in: try DataFiles.dataDirectory()), defaultScaling: .minMax)
        case "segmentation": return .whole(try UCIDatasets.segmentation(in: try DataFiles.dataDirectory()), defaultScaling: .minMax)
        case "optdigits": return .whole(try UCIDatasets.optdigits(in: try DataFiles.dataDirectory()), defaultScaling: .minMax)
        case "mfeat":
            return .whole(try UCIDatasets.mfeat(view: options.mfeatView, in: try DataFiles.dataDirectory()), defaultScaling: .minMax)
        case "isolet":
            guard let folder = options.isoletDirectory else {
                throw SettingsError("isolet is not vendored: download isolet1+2+3+4.data.Z and isolet5.data.Z from the UCI repository, decompress them, and pass their folder with --isolet-dir DIR")
            }
            return .whole(try UCIDatasets.isolet(folder: folder), defaultScaling: .minMax)
        case "mnist":
            let (train, test) = try UCIDatasets.mnist(in: try DataFiles.dataDirectory())
            return .fixed(train: train, test: test, defaultScaling: .none)
        default:
            return .whole(try userFile(spec, options: options), defaultScaling: .minMax)
        }
    }

    /// A user's CSV/TSV/whitespace file (optionally with a separate labels file), or an IDX
    /// image file with `--labels` pointing to its IDX label file.
    public static func userFile(_ path: String, options: DataOptions) throws -> Dataset {
        guard FileManager.default.fileExists(atPath: path) else {
            if !path.contains("/") && !path.contains(".") {
                throw SettingsError("unknown data set '\(path)' (built in: \(DataCatalog.names.joined(separator: ", "))), and no file of that name")
            }
            throw DataError(file: path, "no such file")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if IDXFile.looksLikeIDX(path) {
            guard let labels = options.labelsFile else {
                throw SettingsError("\(path) is an IDX file: give its labels with --labels LABELS-IDX-FILE")
            }
            return try IDXFile.dataset(images: path, labels: labels, name: name, pixelScale: 1)
        }
        let table = try DelimitedFile.load(path, options: options.delimited)
        var labels: TextTable?
        if let l = options.labelsFile {
            var o = options.delimited
            o.header = o.header ?? false
            o.separator = nil
            labels = try DelimitedFile.load(l, options: o)
        }
        return try TableEncoding.dataset([table], labels: labels, name: name, options: options.encoding,
                                         valueLimit: options.delimited.valueLimit)
    }

    /// A user's training file and test file (`testFile`). The training file alone decides the
    /// encoding (columns, one-hot categories, class numbers, the task), and the test file is
    /// encoded with it as `optima predict` encodes new rows: matched by name or position, and a
    /// category or class the training file never had is an error, never a new column.
    public static func userFiles(_ path: String, options: DataOptions) throws -> (train: Dataset, test: Dataset) {
        guard let testPath = options.testFile else {
            throw SettingsError("--test-labels needs --test-data: it gives the labels of the test file")
        }
        if DataCatalog.names.contains(path.lowercased()) && !FileManager.default.fileExists(atPath: path) {
            throw SettingsError("--test-data needs --data FILE, a file of your own in the same layout, not the built-in set '\(path)'")
        }
        switch (options.labelsFile, options.testLabelsFile) {
        case (nil, .some): throw SettingsError("--test-labels goes with --labels: the training file has its labels in a column")
        case (.some, nil): throw SettingsError("--test-data with --labels needs --test-labels, the test file's labels")
        default: break
        }
        for f in [path, testPath] + [options.labelsFile, options.testLabelsFile].compactMap({ $0 })
        where !FileManager.default.fileExists(atPath: f) {
            throw DataError(file: f, "no such file")
        }
        if IDXFile.looksLikeIDX(path) || IDXFile.looksLikeIDX(testPath) {
            throw SettingsError("--test-data reads delimited text files, not IDX image files")
        }
        let train = try DelimitedFile.load(path, options: options.delimited)
        let test = try DelimitedFile.load(testPath, options: options.delimited)
        var labels: [TextTable] = []
        if let l = options.labelsFile, let t = options.testLabelsFile {
            var o = options.delimited
            o.header = o.header ?? false
            o.separator = nil
            labels = [try DelimitedFile.load(l, options: o), try DelimitedFile.load(t, options: o)]
            guard labels[0].rowCount == train.rowCount else {
                throw DataError(file: l, "\(labels[0].rowCount) labels for \(train.rowCount) data rows in \(path)")
            }
            guard labels[1].rowCount == test.rowCount else {
                throw DataError(file: t, "\(labels[1].rowCount) labels for \(test.rowCount) data rows in \(testPath)")
            }
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let a = try TableEncoding.dataset([train], labelParts: Array(labels.prefix(1)), name: name,
                                          options: options.encoding, valueLimit: options.delimited.valueLimit)
        let layout = a.layout ?? .plain(featureNames: a.featureNames)
        let encoded = try layout.encode(test, labels: labels.count > 1 ? labels[1] : nil, task: a.task,
                                        classNames: a.classNames)
        guard encoded.labelled else {
            throw DataError(file: testPath, line: test.headerLine,
                            "no label column '\(layout.labelColumn?.name ?? "label")': a test file needs its labels")
        }
        var b = encoded.data
        b.name = name
        b.layout = a.layout
        return (a, b)
    }
}
