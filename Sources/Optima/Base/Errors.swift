// The errors the library throws for what a user can cause. Each prints as one line that
// says where and what; the library never exits, and the command line turns both into exit
// status 2.

/// Bad input data: names the file, the line when there is one, and the problem.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// A setting the library cannot use: a value out of range, or an impossible combination.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
