// Where and how a study runs. Its files are RESULTS/PAPER/ITEM.{jsonl,csv,svg} and the
// paper's RESULTS/PAPER/REPORT.md.
import Foundation

public struct StudyOptions: Sendable {
    public var scale: StudyScale
    public var threads: Int
    /// 0-based shard index and count; nil runs the whole grid.
    public var shard: (index: Int, count: Int)?
    /// The results folder (default "results").
    public var resultsDir: String
    public var quiet: Bool
    /// ISOLET's folder, for the real-data tables (ISOLET is not vendored).
    public var isoletDirectory: String?

    public init(scale: StudyScale = .paper, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                shard: (index: Int, count: Int)? = nil, resultsDir: String = "results", quiet: Bool = false) {
        self.scale = scale
        self.threads = threads
        self.shard = shard
        self.resultsDir = resultsDir
        self.quiet = quiet
    }

    /// RESULTS/PAPER
    public func folder(_ paper: Paper) -> String {
        (resultsDir as NSString).appendingPathComponent(paper.rawValue)
    }

    /// RESULTS/PAPER/ITEM.EXT, e.g. path(nsa/fig3, "csv").
    public func path(_ id: StudyID, _ ext: String) -> String {
        (folder(id.paper) as NSString).appendingPathComponent("\(id.item).\(ext)")
    }

    /// RESULTS/PAPER/REPORT.md
    public func reportPath(_ paper: Paper) -> String {
        (folder(paper) as NSString).appendingPathComponent("REPORT.md")
    }
}
