// The real data sets of Table 2 in the cpna and nsa papers, read from their original UCI files.
// Each loader merges the parts of a data set, as the papers do before their own 4:1 split.
import Foundation

public enum UCIDatasets {
    /// Car Evaluation: 6 categorical attributes one-hot encoded (4+4+4+3+3+3 = 21), 1728 rows, 4 classes.
    public static func car(in data: URL) throws -> Dataset {
        let table = try DelimitedFile.load(try DataFiles.find("car/car.data", in: data), options: DelimitedOptions(separator: .comma, header: false))
        var o = EncodingOptions()
        o.allCategorical = true
        let names = ["buying", "maint", "doors", "persons", "lug_boot", "safety"]
        var d = try TableEncoding.dataset([table], name: "car", options: o)
        // The file has no header; give the indicator columns the attribute names of car.names.
        d.featureNames = d.featureNames.map { f in
            guard let eq = f.firstIndex(of: "="), let i = Int(f.dropFirst().prefix(upTo: eq)) else { return f }
            return names[i] + f[eq...]
        }
        // The same names in the layout a saved model keeps (car.data has no header, so new
        // files are still matched by position).
        if var layout = d.layout {
            layout.columns = layout.columns.enumerated().map { i, c in
                switch c {
                case .categorical(_, let values) where i < names.count: return .categorical(name: names[i], values: values)
                case .label: return .label(name: "class")
                default: return c
                }
            }
            d.layout = layout
        }
        return d
    }

    /// Image Segmentation: segmentation.data (210) + segmentation.test (2100) = 2310 rows, 19 features,
    /// 7 classes, class name in the first column. Every row is kept, duplicates included, as the
    /// papers did (see Data/README.md for the duplicate-row caveat).
    public static func segmentation(in data: URL) throws -> Dataset {
        let parts = try ["segmentation.data", "segmentation.test"].map {
            try DelimitedFile.load(try DataFiles.find("segmentation/" + $0, in: data), options: DelimitedOptions(separator: .comma, header: true))
        }
        var o = EncodingOptions()
        o.label = .first
        return try TableEncoding.dataset(parts, name: "segmentation", options: o)
    }

    /// Optical Recognition of Handwritten Digits: optdigits.tra (3823) + optdigits.tes (1797) = 5620 rows,
    /// 64 features, classes 0...9 in the last column.
    public static func optdigits(in data: URL) throws -> Dataset {
        let parts = try ["optdigits.tra", "optdigits.tes"].map {
            try DelimitedFile.load(try DataFiles.find("optdigits/" + $0, in: data), options: DelimitedOptions(separator: .comma, header: false))
        }
        var o = EncodingOptions()
        o.task = .classification
        return try TableEncoding.dataset(parts, name: "optdigits", options: o)
    }

    /// The six views of Multiple Features and their widths; the papers use `fac` (p = 216).
    public static let mfeatViews: [String: Int] = ["fac": 216, "fou": 76, "kar": 64, "mor": 6, "pix": 240, "zer": 47]

    /// Multiple Features, one view: 2000 rows, no label column: rows 200k...200k+199 are digit k.
    public static func mfeat(view: String = "fac", in data: URL) throws -> Dataset {
        guard let p = mfeatViews[view] else {
            throw SettingsError("--view: '\(view)' is not one of \(mfeatViews.keys.sorted().joined(separator: ", "))")
        }
        let path = try DataFiles.find("mfeat/mfeat-" + view, in: data)
        let table = try DelimitedFile.load(path, options: DelimitedOptions(separator: .whitespace, header: false))
        guard table.rowCount == 2000, table.columnCount == p else {
            throw DataError(file: path, "expected 2000 rows of \(p) values, found \(table.rowCount) of \(table.columnCount)")
        }
        var x = [Float](repeating: 0, count: 2000 * p)
        for r in 0..<2000 {
            for c in 0..<p {
                guard table.kind(r, c) == .number else {
                    throw DataError(file: path, line: table.line(r), "'\(table.text(r, c))' is not a finite number")
                }
                x[r * p + c] = table.value(r, c)
            }
        }
        let y = (0..<2000).map { Float($0 / 200) }
        return Dataset(name: "mfeat-" + view, features: x, targets: y, count: 2000, featureCount: p,
                       task: .multiclass(classes: 10), featureNames: (0..<p).map { "\(view)\($0)" })
    }

    /// The ISOLET file names in their UCI folder (decompressed from .Z, or re-gzipped as .gz).
    public static let isoletFiles = ["isolet1+2+3+4.data", "isolet5.data"]

    /// ISOLET: isolet1+2+3+4.data (6238) + isolet5.data (1559) = 7797 rows, 617 features, 26 classes
    /// (labels 1...26 in the last column, written like "1."; class names are the letters A...Z).
    /// Not vendored: `folder` is where the user keeps the UCI files.
    public static func isolet(folder: String) throws -> Dataset {
        let url = URL(fileURLWithPath: folder)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataError(file: folder, "no such folder (give the folder holding \(isoletFiles.joined(separator: " and ")))")
        }
        let parts = try isoletFiles.map {
            try DelimitedFile.load(try DataFiles.find($0, in: url), options: DelimitedOptions(separator: .comma, header: false))
        }
        var o = EncodingOptions()
        o.task = .classification
        var d = try TableEncoding.dataset(parts, name: "isolet", options: o)
        let letters = (0..<26).map { String(UnicodeScalar(UInt8(65 + $0))) }
        d.classNames = d.classNames.map { Int($0).flatMap { (1...26).contains($0) ? letters[$0 - 1] : nil } ?? $0 }
        return d
    }

    /// MNIST as distributed: 60000 training and 10000 test images of 28×28, pixels / 255.
    public static func mnist(in data: URL) throws -> (train: Dataset, test: Dataset) {
        func part(_ prefix: String) throws -> Dataset {
            try IDXFile.dataset(images: try DataFiles.find("mnist/\(prefix)-images-idx3-ubyte.gz", in: data),
                                labels: try DataFiles.find("mnist/\(prefix)-labels-idx1-ubyte.gz", in: data), name: "mnist")
        }
        var train = try part("train"), test = try part("t10k")
        // Both parts report 10 classes even if a subset lacked digit 9.
        train.task = .multiclass(classes: 10); test.task = .multiclass(classes: 10)
        train.classNames = (0..<10).map(String.init); test.classNames = train.classNames
        return (train, test)
    }
}
