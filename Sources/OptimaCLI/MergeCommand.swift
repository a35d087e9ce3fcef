// optima merge: joins the results files of a sharded sweep into one.
import Optima

let mergeHelp = """
Usage: optima merge --out FILE SHARD.jsonl [SHARD.jsonl ...]

Joins results files (the shards of one sweep, run with --shard i/N on one or many
machines) into FILE: one line per grid point, sorted by grid index, written atomically.
A grid point found in two files must have identical records there; otherwise the merge
stops with an error and FILE is left as it was. The merged file equals the file of
an unsharded run, and the experiment commands resume from it like from their own.

Flags:
  --out FILE      the merged results file (may be one of the inputs)
  --help          this text
"""

func mergeCommand(_ args: [String]) throws {
    var a = try Arguments(args, booleans: ["help"])
    if a.flag("help") {
        print(mergeHelp)
        return
    }
    guard let out = a.string("out") else { throw UsageError("--out FILE is required (see 'optima merge --help')") }
    try a.finish(command: "merge")
    guard !a.positional.isEmpty else { throw UsageError("name at least one results file to merge") }
    let count = try ExperimentRunner.merge(a.positional, into: out)
    print("merged \(count) records from \(a.positional.count) files into \(out)")
}
