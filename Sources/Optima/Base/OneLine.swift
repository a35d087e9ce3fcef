// Text from a file or a command line, made safe to print inside a one-line message: a
// results file or a data file may hold any bytes, and an escape sequence copied to a
// terminal can retitle its window or hide the error, and a newline would make a one-line
// error two. Control characters are written as escapes instead.

extension String {
    /// The text with every control character (C0, DEL, C1) written as an escape: a newline
    /// as \n, a carriage return as \r, the rest as \u{1B}. Tabs stay.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var out = ""
        for u in unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case _ where Self.isControl(u): out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// At most `limit` characters of the text, escaped as above, with "..." when cut: for
    /// quoting a line of a file in an error.
    public func quotedExcerpt(_ limit: Int = 80) -> String {
        let cut = count > limit ? String(prefix(limit)) + "..." : self
        return cut.escapingControlCharacters
    }

    private static func isControl(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\t") || (0x7F...0x9F).contains(u.value)
    }
}
