// optima merge: joins the results files of a sharded sweep into one.
import Optima

private let mergeHeader = """
Usage: optima merge --out FILE [--json] SHARD.jsonl [SHARD.jsonl ...]

Joins results files (the shards of one sweep, run with --shard i/N on one or many
machines) into FILE: one line per grid point, sorted by grid index, written atomically.
Every record is checked as the command that wrote it checks it when it resumes (its
fields and their types), a grid point found twice must have identical records (a copy is
dropped), and a study's records must all name the same grid (study, scale, study version
and points); otherwise the merge stops with an error naming the file and line, and FILE
is left as it was. The merged file equals the file of
an unsharded run, and the experiment commands resume from it like from their own.
"""

private let mergeSection = FlagSection<String?>(title: "Merge", flags: [
    Flag("out", value: "FILE", help: "the merged results file (may be one of the inputs); required") { $0 = $1 },
])
private let jsonSection = outputSection.only(["json"])

private func mergeUsage() -> [UsageSection] { [mergeSection.usage(nil), jsonSection.usage(OutputFlags())] }

func mergeCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: mergeUsage(), command: "merge")
    if a.wantsHelp {
        print(commandHelp(mergeHeader, mergeUsage()))
        return
    }
    var out: String?
    try mergeSection.read(&a, into: &out)
    var output = OutputFlags()
    try jsonSection.read(&a, into: &output)
    try a.finish(command: "merge")
    guard let out else { throw UsageError("--out FILE is required (see 'optima merge --help')") }
    guard !a.positional.isEmpty else { throw UsageError("name at least one results file to merge") }
    var kinds = ResultRecordKinds()
    let count = try ExperimentRunner.merge(a.positional, into: out) { kinds.schema(of: $0) }
    if output.json {
        print(JSONValue.object(["records": JSONValue(count), "files": JSONValue(a.positional.count), "out": .string(out)]).jsonText)
    } else {
        print("merged \(count) records from \(a.positional.count) files into \(out)")
    }
}
