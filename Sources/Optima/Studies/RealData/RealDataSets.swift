// The real data sets of nsa Table 2 and cpna Table 3, with the paper's row for each. Both
// papers print the same numbers (cpna Table 3 repeats nsa Table 2 cell for cell), so one
// list serves both tables.

public struct RealDataSet: Sendable, Equatable {
    /// The built-in set's name (`--data NAME`).
    public var name: String
    public var title: String
    /// Features after encoding, rows, classes, as the papers state them.
    public var p: Int, n: Int, classes: Int
    /// The paper's weight counts as printed: NN(best), NN(equivalent), the sparse network.
    public var paperWeights: [String]
    /// The paper's test accuracy (%), mean and sd, in the same three columns.
    public var paperAccuracy: [Double]
    public var paperSD: [Double]

    public static func == (a: RealDataSet, b: RealDataSet) -> Bool { a.name == b.name }
}

public enum RealDataSets {
    public static let car = RealDataSet(
        name: "car", title: "Car Evaluation", p: 21, n: 1728, classes: 4,
        paperWeights: ["21×64+64×4 = 1600 (64)", "21×6+6×4 = 150 (6)", "120+32 = 152"],
        paperAccuracy: [100.0, 98.23, 100.0], paperSD: [0.00, 0.06, 0.00])
    public static let segmentation = RealDataSet(
        name: "segmentation", title: "Image Segmentation", p: 19, n: 2310, classes: 7,
        paperWeights: ["19×256+256×7 = 6656 (256)", "19×14+14×7 = 364 (14)", "266+98 = 364"],
        paperAccuracy: [96.87, 96.27, 98.40], paperSD: [0.72, 0.58, 0.32])
    public static let optdigits = RealDataSet(
        name: "optdigits", title: "Optical Recognition of Handwritten Digits", p: 64, n: 5620, classes: 10,
        paperWeights: ["64×512+512×10 = 37888 (512)", "64×27+27×10 = 1998 (27)", "1792+160 = 1952"],
        paperAccuracy: [98.80, 98.25, 99.01], paperSD: [0.29, 0.19, 0.20])
    public static let mfeat = RealDataSet(
        name: "mfeat", title: "Multiple Features (fac, p = 216)", p: 216, n: 2000, classes: 10,
        paperWeights: ["216×64+64×10 = 14464 (64)", "216×4+4×10 = 904 (4)", "583+320 = 903"],
        paperAccuracy: [97.85, 95.45, 98.15], paperSD: [0.80, 0.98, 0.82])
    public static let isolet = RealDataSet(
        name: "isolet", title: "ISOLET", p: 617, n: 7797, classes: 26,
        paperWeights: ["617×64+64×26 = 41152 (64)", "617×9+9×26 = 5787 (9)", "4683+1118 = 5801"],
        paperAccuracy: [96.73, 94.31, 96.91], paperSD: [0.50, 0.61, 0.54])

    /// The sets that ship with the project, in the papers' order.
    public static let vendored = [car, segmentation, optdigits, mfeat]

    /// ISOLET is not vendored: its folder, when the user gives one (`optima study
    /// nsa/table2 --isolet-dir DIR`), adds it to the tables. Set once, before a study runs.
    nonisolated(unsafe) public static var isoletDirectory: String?

    /// The sets a paper-scale table covers: the vendored ones, and ISOLET when its folder is known.
    public static var available: [RealDataSet] { vendored + (isoletDirectory == nil ? [] : [isolet]) }

    /// The sentence a table's report gives when ISOLET was left out.
    public static var isoletNote: String {
        isoletDirectory == nil
            ? "ISOLET was skipped: it is not vendored. Download isolet1+2+3+4.data.Z and isolet5.data.Z from the UCI "
                + "repository (id 54), decompress them into a folder and add `--isolet-dir DIR` to the study command."
            : "ISOLET was read from the folder given with --isolet-dir."
    }
}
