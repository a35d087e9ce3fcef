// A bad command line: an unknown flag, a value that does not parse, a missing argument.
// The library's own errors (SettingsError, DataError) are separate; main.swift turns all
// three into one line on stderr and exit status 2.
import Optima

struct UsageError: Error, CustomStringConvertible, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
