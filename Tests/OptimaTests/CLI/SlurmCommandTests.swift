import XCTest
@testable import Optima

/// `optima slurm` from the command line: more shards than the study has jobs leave no empty
/// array task (the array gets as many tasks as jobs, and says so), and the printed commands
/// quote a script path that needs it.
final class SlurmCommandTests: CommandTestCase {
    func testShardsBeyondTheGridAreCappedAndSaid() throws {
        let r = try runOptima(["slurm", "nsa/fig3", "--scale", "quick", "--shards", "10000", "--results", dir.path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let jobs = NSAFig3().grid(.quick).count + NSAFig3().computations(.quick).count
        XCTAssertEqual(try JSONValue.parse(r.stdout)["shards"]?.int, jobs)
        XCTAssertTrue(r.stderr.contains("--shards 10000 is more than the \(jobs) job(s)"), r.stderr)
        let script = try String(contentsOfFile: dir.path + "/slurm/nsa-fig3.sh", encoding: .utf8)
        XCTAssertTrue(script.contains("#SBATCH --array=1-\(jobs)\n"))
    }

    func testTheHintQuotesAScriptPathThatNeedsIt() throws {
        let path = dir.path + "/my jobs/it's.sh"
        let r = try runOptima(["slurm", "nsa/fig3", "--scale", "quick", "--results", dir.path, "--script", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let quoted = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        XCTAssertTrue(r.stdout.contains("bash \(quoted) submit\n"), r.stdout)
        XCTAssertEqual(shellWords("bash \(quoted) submit"), ["bash", path, "submit"], "the shell reads the path back")
        let plain = try runOptima(["slurm", "nsa/fig3", "--scale", "quick", "--results", dir.path])
        XCTAssertTrue(plain.stdout.contains("bash \(dir.path)/slurm/nsa-fig3.sh submit\n"), plain.stdout)
    }

    /// The words bash makes of `line` (via printf '%s\n').
    private func shellWords(_ line: String) -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "printf '%s\\n' " + line]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
