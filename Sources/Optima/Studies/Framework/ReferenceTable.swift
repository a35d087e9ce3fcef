// The numbers the independent PyTorch reference found on the papers' contested cells, as
// the reports quote them. `make reference-cells` writes them to docs/reference/*.csv
// (docs/reference.md); each file's text is copied into the study that quotes it, and
// ReferenceTableTests checks the copy against the committed file, so a re-run that changes
// the numbers fails the tests until the copy follows.

public struct ReferenceTable: Sendable {
    /// The file's name under docs/reference.
    public let file: String
    /// The file's text, verbatim.
    public let text: String

    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    /// One dictionary per data row, keyed by the header's names.
    public var rows: [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// The rows whose `column` equals each given value.
    public func rows(where match: [String: String]) -> [[String: String]] {
        rows.filter { row in match.allSatisfy { row[$0.key] == $0.value } }
    }
}

extension Dictionary where Key == String, Value == String {
    /// A numeric cell; NaN where it is missing or not a number.
    func number(_ column: String) -> Double { self[column].flatMap(Double.init) ?? .nan }
}
