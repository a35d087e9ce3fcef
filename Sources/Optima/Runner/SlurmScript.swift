// A study as a Slurm job array: a plain bash script with #SBATCH lines that runs each shard
// of the grid as one array task (`optima study --shard $SLURM_ARRAY_TASK_ID/N`), each into
// its own results folder, then a job that waits for them all (--dependency=afterok), merges
// their files and draws the figures and the report. The same script runs without Slurm, on
// one machine: every shard in turn, or all at once with --local-parallel.
import Foundation

public struct SlurmScript: Sendable {
    /// What `optima study` is given: a study "nsa/fig3", a paper "nsa", or "all".
    public var study: String
    /// The study size `optima study` is given (quick, paper or full).
    public var scale: String
    public var shards: Int
    public var cpusPerTask: Int
    /// nil: the cluster's default (the line is written commented out, ready to edit).
    public var partition: String?
    public var time: String?
    /// The results folder, absolute: every node and the merge job must see it.
    public var results: String
    /// The optima executable, absolute.
    public var optima: String
    /// The results files the shards write, as PAPER/ITEM (a table that reads a figure's file
    /// names the figure's); each is merged from the N shards. The Studies layer lists them
    /// (`SlurmScript(study:studies:…)`).
    public var files: [String]

    /// Checks the values that go into the script; throws a SettingsError naming the bad one.
    public init(study: String, files: [String], scale: String, shards: Int, cpusPerTask: Int,
                partition: String?, time: String?, results: String, optima: String) throws {
        guard shards >= 1 else { throw SettingsError("--shards must be at least 1") }
        guard cpusPerTask >= 1 else { throw SettingsError("--cpus-per-task must be at least 1") }
        for (flag, value) in [("partition", partition), ("time", time)] {
            if let v = value, v.isEmpty || !v.allSatisfy({ $0.isLetter || $0.isNumber || "_.,:-".contains($0) }) {
                throw SettingsError("--\(flag): '\(v)' is not a Slurm \(flag) (letters, digits and _.,:- only)")
            }
        }
        for (what, path) in [("--results", results), ("the optima executable's path", optima)] {
            guard path.hasPrefix("/"), !path.contains(where: { $0.isWhitespace || "'\"%\\$`".contains($0) }) else {
                throw SettingsError("\(what) '\(path)' must be an absolute path without spaces, quotes, % or $ "
                    + "(it goes into #SBATCH lines)")
            }
        }
        self.study = study
        self.scale = scale
        self.shards = shards
        self.cpusPerTask = cpusPerTask
        self.partition = partition
        self.time = time
        self.results = results
        self.optima = optima
        self.files = files
    }

    /// "nsa-fig3", "nsa", "all": the job's name and the script's, without the folder.
    public var name: String { study.replacingOccurrences(of: "/", with: "-") }

    /// Where the script and the tasks' logs go: RESULTS/slurm.
    public var logFolder: String { results + "/slurm" }

    /// The default place of the script: RESULTS/slurm/NAME.sh.
    public var defaultPath: String { logFolder + "/\(name).sh" }

    /// The #SBATCH lines, in the order the script has them.
    public var directives: [String] {
        ["#SBATCH --job-name=optima-\(name)",
         "#SBATCH --array=1-\(shards)",
         "#SBATCH --cpus-per-task=\(cpusPerTask)",
         partition.map { "#SBATCH --partition=\($0)" } ?? "##SBATCH --partition=PARTITION",
         time.map { "#SBATCH --time=\($0)" } ?? "##SBATCH --time=HH:MM:SS",
         "#SBATCH --requeue",
         "#SBATCH --open-mode=append",
         "#SBATCH --output=\(logFolder)/\(name)-%A_%a.out"]
    }

    /// The script's ways to be run, as its opening comment lists them.
    private var usage: String {
        let ways = [("submit", "submit the array, and the merge job after it"),
                    ("requeue ARRAY MERGE TASK...", "requeue failed or killed tasks, re-arm the merge job"),
                    ("", "without Slurm: each shard in turn on this machine, then the merge"),
                    ("--local-parallel", "without Slurm: the \(shards) shards at once, then the merge")]
        let width = ways.map(\.0.count).max()! + 2
        return ways.map { "#   bash \(name).sh " + $0.padding(toLength: width, withPad: " ", startingAt: 0) + $1 }
            .joined(separator: "\n")
    }

    /// The script.
    public var text: String {
        """
        #!/bin/bash
        # optima study \(study) --scale \(scale), as a Slurm job array of \(shards) shards, then a job
        # that merges them and draws the figures and the report. Written by 'optima slurm'.
        #
        \(usage)
        #
        # Each task writes its own results file, RESULTS/shards/i/PAPER/ITEM.jsonl, one line per
        # finished training; a task that is requeued (preempted, its node lost, 'scontrol requeue')
        # resumes from it. The #SBATCH lines are the array's; the merge job takes them too, as a
        # single task with one CPU. A line starting ## is off; remove one # to use it.
        \(directives.joined(separator: "\n"))
        set -euo pipefail

        OPTIMA=\(optima)
        STUDY=\(study)
        SCALE=\(scale)
        SHARDS=\(shards)
        RESULTS=\(results)   # on a file system every node sees
        FILES=(\(files.joined(separator: " ")))   # what the shards write, as PAPER/ITEM

        # Shard $1 of $SHARDS with $2 threads, into its own folder.
        shard() {
            "$OPTIMA" study "$STUDY" --scale "$SCALE" --shard "$1/$SHARDS" --threads "$2" --results "$RESULTS/shards/$1"
        }

        # Joins each file's shards into RESULTS/PAPER/ITEM.jsonl (shards of another grid or study
        # version are refused), then draws every figure, CSV and REPORT.md from them.
        merge() {
            for file in "${FILES[@]}"; do
                parts=()
                for i in $(seq 1 "$SHARDS"); do parts+=("$RESULTS/shards/$i/$file.jsonl"); done
                "$OPTIMA" merge --out "$RESULTS/$file.jsonl" "${parts[@]}"
            done
            "$OPTIMA" study "$STUDY" --scale "$SCALE" --results "$RESULTS"
        }

        # The array, then the merge job once every task has ended well.
        submit() {
            array=$(sbatch --parsable "$0")
            array=${array%%;*}
            merge_job=$(sbatch --parsable --dependency=afterok:"$array" --array=0 --cpus-per-task=1 \\
                --job-name=optima-\(name)-merge --output="\(logFolder)/\(name)-merge-%j.out" "$0" merge)
            merge_job=${merge_job%%;*}
            echo "array job $array ($SHARDS tasks), merge job $merge_job; logs in \(logFolder)/"
            echo "if a task fails or is killed: bash $0 requeue $array $merge_job TASK..."
        }

        # Slurm never revisits an afterok dependency that failed, so after requeueing a task that
        # failed or was killed the merge job waits on every task again, one by one (a whole-array
        # dependency keeps the failed task's exit code).
        requeue() {
            local array=$1 merge_job=$2 task deps=""
            shift 2
            for task in "$@"; do scontrol requeue "${array}_$task"; done
            for task in $(seq 1 "$SHARDS"); do deps+=":${array}_$task"; done
            scontrol update JobId="$merge_job" Dependency="afterok$deps"
        }

        case "${1:-}" in
            submit) submit ;;
            requeue) [ $# -ge 4 ] || { echo "usage: bash $0 requeue ARRAY_JOB MERGE_JOB TASK..." >&2; exit 2; }
                requeue "${@:2}" ;;
            merge) merge ;;
            "" | --local-parallel)
                if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
                    shard "$SLURM_ARRAY_TASK_ID" "${SLURM_CPUS_PER_TASK:-1}"
                elif [ "${1:-}" = --local-parallel ]; then
                    threads=$(( $(nproc) / SHARDS > 0 ? $(nproc) / SHARDS : 1 ))
                    pids=()
                    for i in $(seq 1 "$SHARDS"); do shard "$i" "$threads" & pids+=($!); done
                    failed=0
                    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
                    [ "$failed" = 0 ] || { echo "$0: a shard failed; run the script again to resume" >&2; exit 1; }
                    merge
                else
                    for i in $(seq 1 "$SHARDS"); do shard "$i" "$(nproc)"; done
                    merge
                fi ;;
            *) echo "usage: bash $0 [submit | requeue ARRAY_JOB MERGE_JOB TASK... | merge | --local-parallel]" >&2; exit 2 ;;
        esac

        """
    }
}
