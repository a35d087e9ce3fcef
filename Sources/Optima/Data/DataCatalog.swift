// The built-in data sets with the figures the papers give for them; `optima data list` prints
// this table and the tests check that every loader reproduces it.

public struct CatalogEntry: Sendable {
    public let name: String
    /// Rows in all (train + test), features, classes (0 for regression).
    public let rows: Int
    public let features: Int
    public let classes: Int
    public let title: String
    /// Where it comes from and how it is split.
    public let note: String
}

public enum DataCatalog {
    public static let entries: [CatalogEntry] = [
        CatalogEntry(name: "xor", rows: 6000, features: 15, classes: 2, title: "k-D XOR (the cpna and nsa papers §2)",
                     note: "x uniform in [-1,1]^p, y = sign of the product of the first k; 3000 train + 3000 test by default (--k, --p, --n)"),
        CatalogEntry(name: "hypercube", rows: 4000, features: 100, classes: 2, title: "MADELON-like generated data",
                     note: "k-D XOR on hypercube vertices + redundant combinations + noise, columns rescaled and shuffled; "
                         + "2000 train + 2000 test by default (--k 3, --redundant 6, --p, --n)"),
        CatalogEntry(name: "car", rows: 1728, features: 21, classes: 4, title: "Car Evaluation (UCI)",
                     note: "6 categorical attributes one-hot encoded; stratified 4:1 split"),
        CatalogEntry(name: "segmentation", rows: 2310, features: 19, classes: 7, title: "Image Segmentation (UCI)",
                     note: ".data + .test merged, duplicate rows kept as in the papers; stratified 4:1 split"),
        CatalogEntry(name: "optdigits", rows: 5620, features: 64, classes: 10, title: "Optical Recognition of Handwritten Digits (UCI)",
                     note: ".tra + .tes merged; stratified 4:1 split"),
        CatalogEntry(name: "mfeat", rows: 2000, features: 216, classes: 10, title: "Multiple Features (UCI), view fac",
                     note: "--view fac|fou|kar|mor|pix|zer (216/76/64/6/240/47 features); stratified 4:1 split"),
        CatalogEntry(name: "isolet", rows: 7797, features: 617, classes: 26, title: "ISOLET (UCI), not vendored",
                     note: "needs --isolet-dir DIR with isolet1+2+3+4.data and isolet5.data; stratified 4:1 split"),
        CatalogEntry(name: "mnist", rows: 70000, features: 784, classes: 10, title: "MNIST (counterexamples)",
                     note: "the original 60000/10000 split, pixels / 255"),
        CatalogEntry(name: "xor4", rows: 4, features: 2, classes: 2, title: "4-point XOR (counterexamples Table 1)",
                     note: "corners of the unit square; train = test"),
        CatalogEntry(name: "jellyfish", rows: 4, features: 2, classes: 2, title: "Jellyfish (counterexamples Fig. 3)",
                     note: "+ [1,0], [0.2,0.6]; - [0,1], [0.6,0.2]; train = test"),
        CatalogEntry(name: "d1", rows: 5, features: 1, classes: 0, title: "D1 regression (counterexamples Prop. 1)",
                     note: "train = test, unscaled"),
        CatalogEntry(name: "d2", rows: 6, features: 1, classes: 0, title: "D2 regression (counterexamples Prop. 2)",
                     note: "train = test, unscaled"),
        CatalogEntry(name: "d3", rows: 6, features: 1, classes: 0, title: "D3 regression (counterexamples Prop. 3)",
                     note: "train = test, unscaled"),
        CatalogEntry(name: "zigzag", rows: 20, features: 1, classes: 0, title: "Zig-Zag regression (counterexamples Fig. 5)",
                     note: "x evenly spaced in [-1,1], y alternating +1/-1; train = test; --input-scale for τ"),
        CatalogEntry(name: "blindspot", rows: 50, features: 2, classes: 2, title: "Blind spot (counterexamples Prop. 4)",
                     note: "N-1 negative points near 0, one far positive point, standardised; --n N --p D; train = test"),
    ]

    public static func entry(_ name: String) -> CatalogEntry? {
        entries.first { $0.name == name.lowercased() }
    }

    public static var names: [String] { entries.map(\.name) }
}
