// What a record of one kind must hold: its fields, each with its type, required or not.
// Each kind of record (a study's training, a sweep's initialisation, a cv fold, a select
// trial) declares its schema once, beside the code that reads it back, and the runner and
// `optima merge` check every record they read against it. A results file can be edited,
// cut or forged; a record that fails is refused with the file and the line, never read
// as NaN or left out.

public struct RecordSchema: Sendable {
    /// The type a field must have.
    public enum Value: Sendable {
        /// A number; NaN and the infinities as the writer spells them ("NaN", "Infinity").
        case number
        /// A finite JSON number.
        case finite
        /// A number from 0 to 1 (an AUC, an accuracy), or NaN where it does not apply.
        case fraction
        /// A number, 0 or more (a loss, seconds), or NaN or infinity where a training diverged.
        case nonNegative
        /// A whole number, 0 or more.
        case count
        /// A whole number.
        case integer
        case text
        case flag
        /// A list of numbers (NaN as above), of whole numbers 0 or more, of whole numbers.
        case numbers, counts, integers
        /// A list of JSON objects.
        case objects

        var name: String {
            switch self {
            case .number: return "a number"
            case .finite: return "a finite number"
            case .fraction: return "a number from 0 to 1"
            case .nonNegative: return "a number, 0 or more"
            case .count: return "a whole number, 0 or more"
            case .integer: return "a whole number"
            case .text: return "text"
            case .flag: return "true or false"
            case .numbers: return "a list of numbers"
            case .counts: return "a list of whole numbers, 0 or more"
            case .integers: return "a list of whole numbers"
            case .objects: return "a list of objects"
            }
        }

        func accepts(_ v: JSONValue) -> Bool {
            switch self {
            case .number: return v.double != nil
            case .finite: if case .number(let x) = v { return x.isFinite } else { return false }
            case .fraction: return v.double.map { $0.isNaN || (0...1).contains($0) } ?? false
            case .nonNegative: return v.double.map { $0.isNaN || $0 >= 0 } ?? false
            case .count: return (v.int ?? -1) >= 0
            case .integer: return v.int != nil
            case .text: return v.string != nil
            case .flag: return v.bool != nil
            case .numbers: return v.array?.allSatisfy { Value.number.accepts($0) } ?? false
            case .counts: return v.array?.allSatisfy { Value.count.accepts($0) } ?? false
            case .integers: return v.array?.allSatisfy { Value.integer.accepts($0) } ?? false
            case .objects: return v.array?.allSatisfy { $0.object != nil } ?? false
            }
        }
    }

    public struct Field: Sendable {
        public let name: String
        public let value: Value
        public let isRequired: Bool

        public static func required(_ name: String, _ value: Value) -> Field { Field(name: name, value: value, isRequired: true) }
        public static func optional(_ name: String, _ value: Value) -> Field { Field(name: name, value: value, isRequired: false) }
    }

    public let fields: [Field]
    /// A check across fields, e.g. that every row of a trace has an epoch; returns the problem.
    private let rule: (@Sendable (ResultRecord) -> String?)?

    public init(_ fields: [Field], rule: (@Sendable (ResultRecord) -> String?)? = nil) {
        self.fields = fields
        self.rule = rule
    }

    /// Any fields: for records whose reader checks each field as it reads it.
    public static let any = RecordSchema([])

    /// This schema with more fields (a field named again takes the new type) and, if given, a further rule.
    public func adding(_ more: [Field], rule extra: (@Sendable (ResultRecord) -> String?)? = nil) -> RecordSchema {
        let names = Set(more.map(\.name))
        let kept = fields.filter { !names.contains($0.name) }
        guard let extra else { return RecordSchema(kept + more, rule: rule) }
        guard let rule else { return RecordSchema(kept + more, rule: extra) }
        return RecordSchema(kept + more) { r in rule(r) ?? extra(r) }
    }

    /// This schema, and `name` must hold `value`: a field the record's key already fixes
    /// (a sweep's initialisation, a cv fold), so a record cannot claim another.
    public func requiring(_ name: String, equals value: JSONValue) -> RecordSchema {
        adding([]) { r in
            r[name] == value ? nil : "field \"\(name)\" is \(r[name]?.jsonText.quotedExcerpt(40) ?? "missing"), "
                + "but its key says \(value.jsonText.quotedExcerpt(40))"
        }
    }

    /// What is wrong with `record`, in words ("field \"train_loss\" is missing"), or nil.
    public func problem(in record: ResultRecord) -> String? {
        for f in fields {
            guard let v = record[f.name] else {
                if f.isRequired { return "field \"\(f.name)\" is missing" }
                continue
            }
            if !f.value.accepts(v) {
                return "field \"\(f.name)\" is \(v.jsonText.quotedExcerpt(40)), not \(f.value.name)"
            }
        }
        return rule?(record)
    }
}
