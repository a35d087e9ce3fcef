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
    /// Blind-spot set: points N and dimensions d.
    public var blindSpotPoints = 50
    public var blindSpotDimensions = 2
    /// User files: how to read them and which column is the label.
    public var delimited = DelimitedOptions()
    public var encoding = EncodingOptions()
    /// A separate file of labels, one per line, for a data file without a label column.
    public var labelsFile: String?
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
        guard (0.0..<1.0).contains(options.testFraction), options.testFraction > 0 else {
            throw UsageError("--test-fraction must be above 0 and below 1 (got \(options.testFraction))")
        }
        var train: Dataset, test: Dataset, scaling: Scaling
        switch try loadUnsplit(spec, options: options) {
        case let .whole(d, s):
            guard d.count >= 2 else { throw DataError(file: spec, "\(d.count) row(s): too few to split into training and test parts") }
            (train, test) = d.stratifiedSplit(testFraction: options.testFraction, seed: options.seed)
            scaling = s
        case let .fixed(a, b, s):
            (train, test, scaling) = (a, b, s)
        }
        switch options.scaling ?? scaling {
        case .minMax:
            let s = FeatureScaler.minMax(fittedOn: train)
            (train, test) = (s.apply(train), s.apply(test))
        case .standardize:
            let s = FeatureScaler.standardize(fittedOn: train)
            (train, test) = (s.apply(train), s.apply(test))
        case .none:
            break
        }
        return (train.scaledInputs(by: options.inputScale), test.scaledInputs(by: options.inputScale))
    }

    /// The data as read, unsplit and unscaled (what `optima data describe` shows).
    public static func loadUnsplit(_ spec: String, options: DataOptions) throws -> LoadedData {
        func tiny(_ d: Dataset) -> LoadedData { .fixed(train: d, test: d, defaultScaling: .none) }
        switch spec.lowercased() {
        case "xor":
            return .fixed(train: try XORData.make(k: options.xorK, p: options.xorP, n: options.xorN),
                          test: try XORData.make(k: options.xorK, p: options.xorP, n: XORData.masterTestRows, test: true),
                          defaultScaling: .none)
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
                throw UsageError("isolet is not vendored: download isolet1+2+3+4.data.Z and isolet5.data.Z from the UCI repository, decompress them, and pass their folder with --isolet-dir DIR")
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
                throw UsageError("unknown data set '\(path)' (built in: \(DataCatalog.names.joined(separator: ", "))), and no file of that name")
            }
            throw DataError(file: path, "no such file")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if IDXFile.looksLikeIDX(path) {
            guard let labels = options.labelsFile else {
                throw UsageError("\(path) is an IDX file: give its labels with --labels LABELS-IDX-FILE")
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
}
