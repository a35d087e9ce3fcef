import XCTest
@testable import Optima

/// The job array script 'optima slurm' writes: its #SBATCH lines, what each task and the
/// merge job run, and the values it refuses. (Tests/slurm/run.sh runs it under a real Slurm.)
final class SlurmScriptTests: XCTestCase {
    private func script(_ name: String = "nsa/fig3", scale: StudyScale = .quick, shards: Int = 4, cpus: Int = 2,
                        partition: String? = "compute", time: String? = "1:30:00",
                        results: String = "/shared/results") throws -> SlurmScript {
        try SlurmScript(study: name, studies: try StudyRegistry.select(name), scale: scale, shards: shards,
                        cpusPerTask: cpus, partition: partition, time: time, results: results,
                        optima: "/opt/optima/bin/optima")
    }

    func testDirectivesAreTheArrayTheRequeueAndTheLog() throws {
        let s = try script()
        XCTAssertEqual(s.directives, [
            "#SBATCH --job-name=optima-nsa-fig3",
            "#SBATCH --array=1-4",
            "#SBATCH --cpus-per-task=2",
            "#SBATCH --partition=compute",
            "#SBATCH --time=1:30:00",
            "#SBATCH --requeue",
            "#SBATCH --open-mode=append",
            "#SBATCH --output=/shared/results/slurm/nsa-fig3-%A_%a.out",
        ])
        // Every directive is in the script, before its first command (sbatch stops reading there).
        let lines = s.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "#!/bin/bash")
        let firstCommand = lines.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") }!
        XCTAssertEqual(lines[..<firstCommand].filter { $0.hasPrefix("#SBATCH") || $0.hasPrefix("##SBATCH") }, s.directives)

        // Without a partition or a time limit, those lines are written switched off, ready to edit.
        let plain = try script("nsa", shards: 16, cpus: 8, partition: nil, time: nil)
        XCTAssertTrue(plain.directives.contains("##SBATCH --partition=PARTITION"))
        XCTAssertTrue(plain.directives.contains("##SBATCH --time=HH:MM:SS"))
        XCTAssertTrue(plain.directives.contains("#SBATCH --array=1-16"))
        XCTAssertEqual(plain.directives.first, "#SBATCH --job-name=optima-nsa")
    }

    func testTasksRunTheirShardAndTheMergeJobWaitsForThemAll() throws {
        let text = try script().text
        for expected in [
            "OPTIMA=/opt/optima/bin/optima", "STUDY=nsa/fig3", "SCALE=quick", "SHARDS=4", "RESULTS=/shared/results",
            // A task: its shard, with the CPUs Slurm gave it, into its own folder.
            #"shard "$SLURM_ARRAY_TASK_ID" "${SLURM_CPUS_PER_TASK:-1}""#,
            #""$OPTIMA" study "$STUDY" --scale "$SCALE" --shard "$1/$SHARDS" --threads "$2" --results "$RESULTS/shards/$1""#,
            // The merge job: after the whole array ended well, as one task on one CPU.
            #"sbatch --parsable --dependency=afterok:"$array" --array=0 --cpus-per-task=1"#,
            #""$OPTIMA" merge --out "$RESULTS/$file.jsonl" "${parts[@]}""#,
            #""$OPTIMA" study "$STUDY" --scale "$SCALE" --results "$RESULTS""#,
            // A requeue re-arms the merge job's dependency on every task.
            #"scontrol requeue "${array}_$task""#, #"scontrol update JobId="$merge_job" Dependency="afterok$deps""#,
            // Without Slurm: in turn, or all at once.
            #"for i in $(seq 1 "$SHARDS"); do shard "$i" "$(nproc)"; done"#, "--local-parallel)",
        ] {
            XCTAssertTrue(text.contains(expected), "the script lacks: \(expected)")
        }
    }

    func testMergedFilesAreEachResultsFileOnce() throws {
        // nsa: fig6 trains nothing, table1 reads fig1's file, fig7 (and cpna/table3) table2's.
        XCTAssertEqual(try script("nsa").files, ["nsa/fig1", "nsa/fig3", "nsa/fig-hidden", "nsa/fig2", "nsa/fig4", "nsa/fig5",
                                                 "nsa/table2"])
        XCTAssertEqual(try script("nsa/table1").files, ["nsa/fig1"])
        XCTAssertEqual(try script("cpna/table3").files, ["nsa/table2"])
        XCTAssertEqual(try script("nsa/fig6").files, [])
        // A study with computations and no grid has a results file; one that only computes in its rows has none.
        XCTAssertEqual(try script("counterexamples/prop4").files, ["counterexamples/prop4"])
        XCTAssertEqual(try script("counterexamples/fig6-middle").files, [])
        XCTAssertEqual(try script("all").name, "all")
    }

    func testBadValuesAreUsageErrors() throws {
        for make in [{ try self.script(shards: 0) }, { try self.script(cpus: 0) },
                     { try self.script(partition: "a b") }, { try self.script(time: "1:00\n#SBATCH --x") },
                     { try self.script(results: "relative/results") }, { try self.script(results: "/with space") },
                     { try self.script(results: "/per%cent") }, { try self.script("nsa/nosuch") }] {
            XCTAssertThrowsError(try make()) { XCTAssertTrue($0 is SettingsError, "\($0)") }
        }
    }

    func testGridIdentityNamesTheFileOwnerScaleVersionAndGrid() throws {
        let quick = GridIdentity.of(NSAFig3(), scale: .quick)
        XCTAssertTrue(quick.hasPrefix("nsa/fig3 scale=quick version=1 points=\(NSAFig3().grid(.quick).count) hash="), quick)
        XCTAssertEqual(quick, GridIdentity.of(NSAFig3(), scale: .quick), "the identity is a fixed function of the grid")
        XCTAssertNotEqual(quick, GridIdentity.of(NSAFig3(), scale: .paper))
        XCTAssertEqual(GridIdentity.of(NSATable1(), scale: .quick), GridIdentity.of(NSAFig1(), scale: .quick),
                       "a table drawn from a figure's file writes the figure's identity")
        XCTAssertNotEqual(GridIdentity.of(NSAFig1(), scale: .quick), GridIdentity.of(NSAFig2(), scale: .quick))
    }
}
