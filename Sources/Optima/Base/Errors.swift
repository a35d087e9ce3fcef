// The errors the library throws for what a user can cause. Each prints as one line that
// says where and what (control characters from a file or a flag escaped, so it stays one
// line); the library never exits, and the command line turns both into exit status 2.

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
        let text = line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        return text.escapingControlCharacters
    }
}

/// A setting the library cannot use: a value out of range, or an impossible combination.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message.escapingControlCharacters }
}
