// Reading a data file safely, and finding the vendored Data/ folder at run time.
import Foundation

public enum DataFiles {
    /// The whole file as bytes, gunzipped when it is gzip data (by content, not by name).
    /// Only regular files are read, so a FIFO or a device can never make a command hang.
    public static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file")
        }
        if isDirectory.boolValue { throw DataError(file: path, "is a folder, not a data file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw DataError(file: path, "is not a regular file")
        }
        guard FileManager.default.isReadableFile(atPath: path),
              let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot be read (check its permissions)")
        }
        let bytes = [UInt8](data)
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x9d {
            throw DataError(file: path, "is in the old compress (.Z) format: decompress it first (uncompress or gzip -d)")
        }
        return Gzip.isGzip(bytes) ? try Gzip.inflate(bytes, file: path) : bytes
    }

    /// `name` in `folder`, or `name.gz` when only the compressed copy is there.
    public static func find(_ name: String, in folder: URL) throws -> String {
        let plain = folder.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: plain) { return plain }
        let zipped = plain + ".gz"
        if FileManager.default.fileExists(atPath: zipped) { return zipped }
        throw DataError(file: plain, "no such file (nor \(name).gz)")
    }

    /// The vendored data folder: `$OPTIMA_DATA`, else `Data/` in the current directory, else the
    /// first folder holding `Package.swift` and `Data/` above the executable or the current directory.
    public static func dataDirectory() throws -> URL {
        let fm = FileManager.default
        func isFolder(_ url: URL) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
        }
        if let env = ProcessInfo.processInfo.environment["OPTIMA_DATA"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            guard isFolder(url) else { throw DataError(file: env, "OPTIMA_DATA does not name a folder") }
            return url
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        if isFolder(cwd.appendingPathComponent("Data")) { return cwd.appendingPathComponent("Data") }
        var starts = [cwd]
        if let exe = Bundle.main.executableURL { starts.insert(exe.resolvingSymlinksInPath(), at: 0) }
        for start in starts {
            var dir = start
            while dir.path != "/" && !dir.path.isEmpty {
                let data = dir.appendingPathComponent("Data")
                if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) && isFolder(data) { return data }
                dir = dir.deletingLastPathComponent()
            }
        }
        throw DataError(file: "Data", "the data folder was not found: run from the repository or set OPTIMA_DATA to its Data/ folder")
    }
}
