// --save-model on every training command: the trained network, with what prediction needs
// to repeat the training rows' path, in one versioned file for 'optima predict'.
import Optima

struct ModelFlags {
    var saveModel: String?
}

let modelSection = FlagSection<ModelFlags>(title: "Model", flags: [
    .text("save-model", "FILE", "write the trained network (after pruning: the compact one, not a --retrain one) "
          + "with the data's columns and their encoding, the fitted scaling, the kept features, the class names, "
          + "the settings and the seed, as one JSON file for 'optima predict'", \.saveModel),
])

/// Writes the model of `network`, trained on `train` (as loaded, before pruning) whose rows
/// went through `transform`. The settings are read through the flag tables, so they name
/// every value the run used, defaults included, as the help spells them.
func saveModel(to path: String, network: Network, train: Dataset, transform: InputTransform, data: String,
               recipe: Recipe, command: String, arguments: [String], pruning: [String: JSONValue] = [:]) throws {
    try saveModel(to: path, networks: [network], targetScaling: nil, train: train, transform: transform, data: data,
                  recipe: recipe, command: command, arguments: arguments,
                  extra: pruning.isEmpty ? [:] : ["pruning": .object(pruning)])
}

/// The same for an ensemble (`networks`, averaged) and a regression target's scaling;
/// `extra` joins the settings.
func saveModel(to path: String, networks: [Network], targetScaling: TargetScaling?, train: Dataset,
               transform: InputTransform, data: String, recipe: Recipe, command: String, arguments: [String],
               extra: [String: JSONValue]) throws {
    let settings: [String: JSONValue] = [
        "command": .string(command),
        "arguments": .array(arguments.map(JSONValue.string)),
        "recipe": .object(shownValues(networkSection.flags + trainingSection.flags, recipe)),
    ].merging(extra) { _, new in new }
    let model = SavedModel(networks: networks, targetScaling: targetScaling, train: train, transform: transform,
                           data: data, settings: settings, seed: recipe.seed)
    try ModelFile.write(model, to: path)
}

/// Each flag's value in `settings`, as its help shows it; flags without one are left out.
func shownValues<S>(_ flags: [Flag<S>], _ settings: S) -> [String: JSONValue] {
    var out: [String: JSONValue] = [:]
    for f in flags where f.value != nil {
        if let v = f.shown(settings) { out[f.name] = .string(v) }
    }
    return out
}
