// optima predict: a saved model (--save-model) applied to a file of new rows.
import Optima

private let predictHeader = """
Usage: optima predict --model FILE --data NEW.csv [--labels FILE] [--out PRED.csv]

Encodes the rows of NEW.csv as the model's training data was encoded (the same columns,
one-hot categories and scaling; only the features pruning kept reach the network) and
writes one CSV row per input row: the predicted class and one probability column per
class (p_CLASS), or the predicted value for regression. When this file and the
training file both have a header, columns are matched by name and may come in any
order, and the columns the model does not use (selection or pruning dropped them) may
be left out; a missing column it uses, or an extra or renamed one, is an error.
Otherwise they are taken by
position: the feature columns alone, or every training column with the label in its
place; another number of columns is an error. When the rows have labels (a label column
as in training, or --labels), the accuracy (binary: and AUC; regression: the squared
error and R2) is printed too. A model of several networks (optima select's ensemble)
predicts with their averaged outputs; a regression model trained on a standardised
target answers in the target's own units.

Example:
  optima fsa --data train.csv --hidden 64 --keep-nodes 16 --keep-features 5 --save-model model.json
  optima predict --model model.json --data new.csv --out predictions.csv
"""

struct PredictFlags {
    var model: String?
    var data: String?
    var out: String?
    var file = DataFlags()
}

private let predictSection = FlagSection<PredictFlags>(title: "Prediction", flags: [
    .text("model", "FILE", "a model written by --save-model (required)", \.model),
    .text("data", "FILE", "the new rows, a CSV/TSV/whitespace file laid out as the training file (required)", \.data),
    .text("labels", "FILE", "the rows' labels, one per line, when the file has no label column", \.file.options.labelsFile),
    .text("out", "FILE", "write the predictions here (default: standard output)", \.out),
])

/// How the file is read, as the training commands read theirs.
private let fileSection = userFileSection.only(["header", "separator"])

private var predictUsage: [UsageSection] {
    [predictSection.usage(PredictFlags()), fileSection.usage(DataFlags()), outputSection.only(["json"]).usage(OutputFlags())]
}

func predictCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: predictUsage, command: "predict")
    if a.wantsHelp { print(commandHelp(predictHeader, predictUsage)); return }
    var f = PredictFlags()
    try predictSection.read(&a, into: &f)
    try fileSection.read(&a, into: &f.file)
    var output = OutputFlags()
    try outputSection.only(["json"]).read(&a, into: &output)
    try a.finish(command: "predict")
    try a.noPositional()
    guard let modelPath = f.model else { throw UsageError("--model FILE is required: a model written by --save-model") }
    guard let dataPath = f.data else { throw UsageError("--data FILE is required: the rows to predict") }
    if output.json && f.out == nil {
        throw UsageError("--json needs --out FILE: without it the predictions themselves go to standard output")
    }

    let model = try ModelFile.read(modelPath)
    let predictions = try model.predict(file: dataPath, labelsFile: f.file.options.labelsFile, options: f.file.options.delimited)
    let csv = predictions.csv
    if let out = f.out { try csv.write(to: out) } else { print(csv.text, terminator: "") }

    let e = predictions.evaluation
    if output.json {
        var o: [String: JSONValue] = [
            "model": .string(modelPath), "data": .string(dataPath), "out": .string(f.out ?? ""),
            "rows": JSONValue(predictions.count),
            "kept_features": JSONValue(model.network.featureIndices),
            "kept_feature_names": .array(model.keptFeatureNames.map(JSONValue.string)),
        ]
        if let e {
            o["loss"] = JSONValue(e.loss)
            if let x = e.accuracy { o["accuracy"] = JSONValue(x) }
            if let x = e.auc { o["auc"] = JSONValue(x) }
            if let x = e.r2 { o["r2"] = JSONValue(x) }
        }
        o["networks"] = JSONValue(model.networks.count)
        print(JSONValue.object(o).jsonText)
        return
    }
    // The summary goes where the predictions do not.
    let say: (String) -> Void = f.out == nil ? printError : { print($0) }
    var line = "\(predictions.count) rows predicted with \(modelPath) (network \(model.network.shape)"
        + (model.networks.count > 1 ? ", \(model.networks.count) of them averaged)" : ")")
    if let out = f.out { line += ", written to \(out)" }
    say(line)
    if let e {
        var scores: [String] = []
        if let x = e.accuracy { scores.append("accuracy \(fmt(x))") }
        if let x = e.auc { scores.append("AUC \(fmt(x))") }
        if let x = e.r2 { scores.append("R2 \(fmt(x))") }
        if model.task.isRegression { scores.append("mean squared error \(fmt(e.loss))") } else { scores.append("loss \(fmt(e.loss))") }
        say(scores.joined(separator: "  "))
    }
}
