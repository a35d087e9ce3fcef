// What each study costs at `--scale full`, for planning a cluster run (`optima study list
// --json`, docs/cluster.md). The jobs come from the study's own full grid; the core-hours are
// estimates from measured times, each with how it was made:
//   - where `full` is the paper scale (every item but three), the measured wall time of its
//     paper-scale run times the 2 threads it used on a shared 2-vCPU AMD EPYC: an upper
//     bound, since other builds shared the machine (docs/reproducing.md gives the times);
//   - where `full` is the paper's whole budget (counterexamples fig1, fig2, fig5), the
//     seconds per update measured for one training of a typical full-scale width (fig5: the
//     fastest of its full-scale jobs run so far), times the updates of every job: one training
//     uses one core. fig1 and fig2 were measured again on a quiet machine (below); fig5 on the
//     shared one, so on the high side.

public struct FullScaleCost: Sendable {
    /// Core-hours of the item at `--scale full` (beyond the results it shares with another item).
    public let coreHours: Double
    /// How the number was estimated.
    public let basis: String
}

public enum FullScaleCosts {
    /// Jobs of `study` at `--scale full`: its grid and its computations, less those of the item
    /// whose results file it shares. The real-data tables add their later stages (the chosen
    /// settings retrained) to these.
    public static func jobs(_ study: any Study) -> Int {
        var keys = Set(keys(study))
        if let from = study.resultsFrom, let source = StudyRegistry.all.first(where: { $0.id == from }) {
            keys.subtract(self.keys(source))
        }
        return keys.count
    }

    private static func keys(_ study: any Study) -> [String] {
        let s = study.scale(.full)
        return study.grid(s).map(\.key) + study.computations(s).map(\.key)
    }

    public static func of(_ id: StudyID) -> FullScaleCost? { table[id.description] }

    private static func wall(_ seconds: Double, threads: Double = 2, _ note: String = "") -> FullScaleCost {
        FullScaleCost(coreHours: seconds * threads / 3600,
                      basis: "paper scale (= full): \(Int(seconds)) s wall × \(Int(threads)) thread\(threads == 1 ? "" : "s") "
                          + "measured on a shared 2-vCPU machine" + note)
    }

    private static func perUpdate(_ seconds: Double, at width: String, updates: Double, jobs: Double) -> FullScaleCost {
        FullScaleCost(coreHours: seconds * updates * jobs / 3600,
                      basis: "the paper's budget: \(MarkdownReport.number(seconds * 1000, decimals: 3)) ms per update "
                          + "measured at \(width) × \(Int(updates)) updates × \(Int(jobs)) jobs, one core each")
    }

    private static let few = FullScaleCost(coreHours: 0.01, basis: "paper scale (= full): a few seconds; at most 0.01")
    private static let shared = FullScaleCost(coreHours: 0, basis: "draws from another item's results file; nothing of its own")

    private static let table: [String: FullScaleCost] = [
        "nsa/fig6": FullScaleCost(coreHours: 0, basis: "trains nothing: the schedules' formulas"),
        "nsa/fig1": wall(41), "nsa/table1": shared, "nsa/fig3": wall(27), "nsa/fig-hidden": wall(295),
        "nsa/fig2": FullScaleCost(coreHours: (558 * 2 + 338) / 3600,
                                  basis: "paper scale (= full): 558 s wall × 2 threads, then its flat-epoch arm 338 s × 1 thread"),
        "nsa/fig4": wall(134),
        "nsa/fig5": wall(167, ", together with nsa/fig6 and table1: at most this"),
        "nsa/table2": FullScaleCost(coreHours: 8335 / 3600,
                                    basis: "paper scale (= full): the summed training seconds of its four sets, each timed alone"),
        "nsa/fig7": wall(264, ", after table2's dense grid"),
        "cpna/fig8": few, "cpna/targets": wall(57), "cpna/targets-trace": few, "cpna/fig6": wall(605),
        "cpna/table1": wall(3972, ", with fig7's retrainings"), "cpna/fig7": shared, "cpna/fig4": wall(329),
        "cpna/fig1": wall(611), "cpna/fig2": wall(459), "cpna/fig3": wall(694),
        "cpna/table3": wall(318, ", after nsa/table2's dense grid"),
        "cpna/nodes": wall(101), "cpna/deep": wall(222),
        "counterexamples/prop1-3": few, "counterexamples/fig4": few, "counterexamples/remark1": few,
        "counterexamples/theorem1": few, "counterexamples/fig6-left": few, "counterexamples/fig6-middle": few,
        "counterexamples/prop5": few, "counterexamples/prop4": wall(13), "counterexamples/fig3": few,
        "counterexamples/table1": wall(85, threads: 1),
        "counterexamples/fig5": FullScaleCost(
            coreHours: 396 * (3.06 + 0.0149 * 1550) / 3600,
            basis: "the paper's budget: 3.06 s + 0.0149 s × h per job of 2 000 000 updates, the fastest of the 43 full-scale "
                + "jobs run here (h = 175…1971), at the mean h of 100…3000 × 396 jobs, one core each; the 3 redrawn τ = 0.01 "
                + "runs beside them are not counted"),
        // fig1 and fig2: one epoch of `optima train --data mnist --recipe counterexamples-mnist` (fig2: --batch 50)
        // at the width given, one thread, on a quiet 2-vCPU AMD EPYC Zen 5 (avx512) with the packed products
        // (docs/benchmarks.md: before them 20.0 and 63.5 ms for fig1; fig2's batch of 50 never packs).
        "counterexamples/fig2": perUpdate(1.14e-3, at: "h = 1050 (the middle of 100…2000), batch 50", updates: 1_200_000,
                                          jobs: 400),
        "counterexamples/fig1": FullScaleCost(
            coreHours: 400 * 1_000_000 * (0.0166 + 0.0512) / 3600,
            basis: "the paper's budget: 16.6 ms (2 hidden layers) and 51.2 ms (5) per update measured at h = 1185 (the root "
                + "mean square of 100…2000), batch 200, on a quiet machine × 1 000 000 updates × 400 jobs of each depth, "
                + "one core each"),
    ]
}
