// How one network of a study is trained: plainly, or pruned while it trains (NSA, FSA+NSA,
// CPNA, CPA), or the sub-network a pruning run found, retrained from a fresh or from its
// original initialisation. The point's `hidden` is always the starting width.

public enum RetrainingFrom: String, CaseIterable, Sendable {
    /// A new random initialisation (the cpna paper's CPNA(random)).
    case fresh
    /// The weights the pruning run started from (CPNA(init)).
    case original
}

public indirect enum Method: Equatable, Sendable {
    /// A dense network trained from a random initialisation.
    case plain
    /// NSA (nsa Alg. 1): the hidden layer anneals down to `keepNodes` nodes.
    case nsa(keepNodes: Int)
    /// FSA+NSA (nsa Alg. 2): down to `keepNodes` nodes and `keepFeatures` features
    /// (nil: the XOR data's k).
    case fsa(keepNodes: Int, keepFeatures: Int?)
    /// CPNA, or CPA when `settings.normalize` is false (cpna Alg. 1).
    case cpna(ConnectionPruningSettings)
    /// CPNA's node form (end of cpna §3.1): after a quarter of the epochs dense, normalise and
    /// keep the M_e nodes of each hidden layer with the largest outgoing weights, M_e
    /// annealing to `keepNodes` (μ = 30) and counted in epochs or in Adam steps.
    case cpnaNodes(keepNodes: Int, clock: PruningClock)
    /// The sub-network `of` found, trained again from `from`.
    case retrain(from: RetrainingFrom, of: Method)

    /// The method's name in records and tables.
    public var name: String {
        switch self {
        case .plain: return "plain"
        case .nsa: return "nsa"
        case .fsa: return "fsa+nsa"
        case .cpna(let s): return s.normalize ? "cpna" : "cpa"
        case .cpnaNodes: return "cpna-nodes"
        case let .retrain(from, of): return "\(of.name)+retrain-\(from.rawValue)"
        }
    }

    /// Names the method and the network in a training's key. Plain and FSA+NSA keep the
    /// form the XOR study has always used ("h=20,method=plain", "h=128,method=fsa+nsa,H=1024"),
    /// so their seeds, and every number they gave, stay the same.
    func keyPart(hidden H: Int) -> String {
        switch self {
        case .plain: return "h=\(H),method=plain"
        case let .nsa(h): return "h=\(h),method=nsa,H=\(H)"
        case let .fsa(h, k): return "h=\(h),method=fsa+nsa,H=\(H)" + (k.map { ",keep_features=\($0)" } ?? "")
        case let .cpna(s):
            // Settings left at their defaults stay out of the key, so adding a knob keeps old keys.
            // "hidden_target", "layers=hidden" and "order=hidden-first" are the key's words for
            // the flags' output group (--keep-output-connections, --layers output, --order
            // output-first): a key seeds its training, so renaming them would change every number.
            return "H=\(H),method=\(name),layers=\(s.layers.rawValue),order=\(s.order.rawValue),"
                + "hidden_target=\(s.outputTarget),input_target=\(s.inputTarget)"
                + (s.pretrainEpochs.map { ",pretrain=\($0)" } ?? "")
                + (s.clock == .epoch ? "" : ",clock=\(s.clock.rawValue)")
                + (s.inputRanking == .layer ? "" : ",input_ranking=\(s.inputRanking.rawValue)")
                + (s.middleTarget.map { ",middle_target=\($0)" } ?? "")
        case let .cpnaNodes(h, clock): return "h=\(h),method=\(name),H=\(H),clock=\(clock.rawValue)"
        case let .retrain(from, of): return of.keyPart(hidden: H) + ",retrain=\(from.rawValue)"
        }
    }

    /// The method's parameters as fields of a result record.
    func recordFields(hidden H: Int) -> ResultRecord {
        switch self {
        case .plain: return ["h": JSONValue(H)]
        case let .nsa(h): return ["h": JSONValue(h), "H": JSONValue(H)]
        case let .fsa(h, k):
            var r: ResultRecord = ["h": JSONValue(h), "H": JSONValue(H)]
            if let k { r["keep_features"] = JSONValue(k) }
            return r
        case let .cpna(s):
            return ["H": JSONValue(H), "layers": .string(s.layers.rawValue),
                    "hidden_target": JSONValue(s.outputTarget), "input_target": JSONValue(s.inputTarget),
                    "clock": .string(s.clock.rawValue), "input_ranking": .string(s.inputRanking.rawValue)]
        case let .cpnaNodes(h, clock): return ["h": JSONValue(h), "H": JSONValue(H), "clock": .string(clock.rawValue)]
        case let .retrain(from, of):
            var r = of.recordFields(hidden: H)
            r["retrain"] = .string(from.rawValue)
            return r
        }
    }

    /// True for the methods that remove features, nodes or connections.
    var prunes: Bool { self != .plain }
}

extension Method {
    /// The pruning this method trains with, over `epochs`; FSA+NSA's feature target defaults
    /// to the XOR data's k (`xorK`). A retraining trains plainly and has none to give.
    func pruning(xorK: Int?, epochs: Int) throws -> PruningMethod {
        switch self {
        case .plain: return .none
        case let .nsa(h): return .nsa(keepNodes: h)
        case let .fsa(h, k): return try .fsa(keepNodes: h, keepFeatures: k, xorK: xorK)
        case let .cpna(s): return .connections(s)
        case let .cpnaNodes(h, clock):
            var s = NodeSelectionSettings.cpnaNodes(targets: [h], pretrain: ConnectionPruningSettings().pretrain(epochs: epochs),
                                                    epochs: epochs)
            s.clock = clock
            return .nodes(s)
        case .retrain: throw SettingsError("retraining needs a pruning method to retrain, not another retraining")
        }
    }
}
