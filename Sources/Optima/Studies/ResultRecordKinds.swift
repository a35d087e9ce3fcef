// Which kind a record of a results file is, for `optima merge`, which joins the files of
// every command: a study's record ("grid" names the study and scale), a select stage's
// ("grid" is "select-tune hash=..."), a sweep's or a cv grid's (no grid; their keys have a
// form of their own). Merge checks each record against its kind's schema, as the command
// that wrote it checks it when it reads the file back. A record of no kind known here is
// checked as any record of the runner (key, index, grid).

public struct ResultRecordKinds {
    /// The computations' keys of each study grid met so far: a study's records are its
    /// trainings' except these.
    private var computationKeys: [String: Set<String>] = [:]

    public init() {}

    public mutating func schema(of record: ResultRecord) -> RecordSchema {
        let key = record["key"]?.string ?? ""
        guard let grid = record["grid"]?.string else {
            if Sweep.isKey(key) { return Sweep.recordSchema }
            if CrossValidation.isKey(key) { return CrossValidation.recordSchema }
            return .any
        }
        if let stage = ResumableSelectionStages.schema(forGrid: grid) { return stage }
        guard let computed = computations(ofGrid: grid) else { return .any }
        return computed.contains(key) ? .any : StudyResult.recordSchema
    }

    /// The computations' keys of the study whose grid identity is `grid` (GridIdentity:
    /// "PAPER/ITEM scale=S ..."), with those of every study that reads its file; nil when
    /// no study has that id.
    private mutating func computations(ofGrid grid: String) -> Set<String>? {
        if let known = computationKeys[grid] { return known }
        let words = grid.split(separator: " ")
        guard let id = words.first, let scaleWord = words.first(where: { $0.hasPrefix("scale=") }),
              let scale = StudyScale(rawValue: String(scaleWord.dropFirst(6))) else { return nil }
        let sharing = StudyRegistry.all.filter { ($0.resultsFrom ?? $0.id).description == id }
        guard !sharing.isEmpty else { return nil }
        let keys = Set(sharing.flatMap { $0.computations(scale).map(\.key) })
        computationKeys[grid] = keys
        return keys
    }
}
