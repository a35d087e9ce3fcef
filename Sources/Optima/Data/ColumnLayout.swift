// How the columns of a delimited file became a data set's features and labels, kept so
// that new rows can be encoded exactly as the training rows were: the same columns, the
// same one-hot categories in the same order, the same class numbers. A saved model holds
// one, and prediction refuses a file whose columns do not match it rather than feeding
// the network misaligned features.

/// The columns of the training file, in file order, and how each was encoded.
public struct ColumnLayout: Equatable, Sendable {
    public enum Column: Equatable, Sendable {
        /// One feature, the value as read.
        case numeric(name: String)
        /// One indicator feature per value, in this order.
        case categorical(name: String, values: [String])
        /// The label column (absent when the labels came from a separate file).
        case label(name: String)

        public var name: String {
            switch self {
            case .numeric(let n), .categorical(let n, _), .label(let n): return n
            }
        }

        public var isLabel: Bool {
            if case .label = self { return true }
            return false
        }

        /// Features this column becomes.
        public var width: Int {
            switch self {
            case .numeric: return 1
            case .categorical(_, let v): return v.count
            case .label: return 0
            }
        }
    }

    public var columns: [Column]
    /// Whether the names came from a header row; without one they are only positions, and
    /// new files are matched by position.
    public var namedByHeader: Bool
    /// Classes keyed by numeric value ("1" and "1.0" are one class) rather than by text.
    public var numericClasses: Bool
    /// `--missing mean`: a missing cell is NaN in a numeric column (the transform fills it with
    /// the training rows' mean) and `TableEncoding.missingCategory` in a categorical one.
    /// false: a missing cell is an error.
    public var missingAllowed = false

    public init(columns: [Column], namedByHeader: Bool, numericClasses: Bool) {
        self.columns = columns
        self.namedByHeader = namedByHeader
        self.numericClasses = numericClasses
    }

    /// A layout for data that was not read from a delimited file (the generated sets, MNIST):
    /// one numeric column per feature, then the label, matched by position.
    public static func plain(featureNames: [String]) -> ColumnLayout {
        ColumnLayout(columns: featureNames.map { .numeric(name: $0) } + [.label(name: "label")],
                     namedByHeader: false, numericClasses: true)
    }

    public var featureColumns: [Column] { columns.filter { !$0.isLabel } }
    /// Width of the encoded feature vector.
    public var featureCount: Int { columns.reduce(0) { $0 + $1.width } }
    public var labelColumn: Column? { columns.first { $0.isLabel } }
}
