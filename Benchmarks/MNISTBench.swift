// Task F: an MNIST MLP, the counterexamples paper's Fig. 1 and 2 workload. The vendored
// training images (pixels / 255), a 784-h-h-10 ReLU network, batch 200, Adam lr 1e-4,
// softmax cross-entropy: seconds per epoch at h = 256 and 1024, against a PyTorch peer
// (Benchmarks/peers/torch_mnist.py) that reads the same files in the same run. One thread
// each; each figure is the median over the epochs after the first. --threads N: also one
// training on N threads (`Trainer.threads`), ours against our one-thread time and torch's
// at N threads. --hidden a,b: other widths.
import Foundation
import Optima

func runMNISTBench() {
    let quick = benchFlag("quick")
    let epochs = quick ? 2 : 3
    let widths = benchOption("hidden").map { $0.split(separator: ",").compactMap { Int($0) } } ?? [256, 1024]
    let train: Dataset
    do { train = try DataSource.load("mnist", options: DataOptions()).train } catch { print("mnist: \(error)"); return }
    print("== Task F: MNIST 784-h-h-10, \(train.count) training rows, batch 200, Adam lr 1e-4, \(epochs) epochs; "
        + "s/epoch = median over epochs 2...\(epochs); one thread; kernels \(Kernels.path.rawValue) on \(cpuModelName())")
    let pixelSum = train.features.reduce(0.0) { $0 + Double($1) }
    let data = try? DataFiles.dataDirectory().appendingPathComponent("mnist").path
    let script = FileManager.default.currentDirectoryPath + "/Benchmarks/peers/torch_mnist.py"
    var csv = "task,hidden,implementation,epoch_s_median,ratio_vs_optima\n"
    let threads = max(1, Int(benchOption("threads") ?? "") ?? 1)
    for h in widths {
        var r = Recipe.counterexamplesMNIST(hidden: [h, h])   // batch 200, Adam lr 1e-4, no decay
        r.training.epochs = epochs
        /// Seconds per epoch (median after the first) and the final training loss.
        func timed(threads: Int) -> (Double, Double) {
            var times: [Double] = [], last = 0.0
            let outcome = r.run(train: train, test: nil, observe: { _, _, seconds in
                times.append(seconds - last)
                last = seconds
            }, threads: threads)
            return (median(Array(times.dropFirst())), outcome.train.loss)
        }
        let (ours, loss) = timed(threads: 1)
        let flops = 6.0 * Double(train.count) * Double(784 * h + h * h + h * 10)
        print(String(format: "h = %4d  optima %@  %.3f s/epoch  (%.1f GFLOP/s)  train loss %.4f", h, Kernels.path.rawValue,
                     ours, flops / ours / 1e9, loss))
        csv += "F,\(h),optima-\(Kernels.path.rawValue),\(ours),1\n"
        if threads > 1 {
            let (split, splitLoss) = timed(threads: threads)
            print(String(format: "h = %4d  optima %@, one training on %d threads  %.3f s/epoch  train loss %.4f; %.2fx its one-thread speed",
                         h, Kernels.path.rawValue, threads, split, splitLoss, ours / split))
            csv += "F,\(h),optima-\(Kernels.path.rawValue)-\(threads)threads,\(split),\(ours / split)\n"
        }
        guard Peers.available, let data else { continue }
        guard let p = Peers.run(script, ["--data", data, "--hidden", "\(h)", "--epochs", "\(epochs)", "--threads", "1"]),
              let torch = p["epoch_s_median"]?.double else {
            print("torch_mnist.py failed; comparison skipped")
            continue
        }
        let same = abs((p["train_pixel_sum"]?.double ?? .nan) - pixelSum) <= 1e-3 * pixelSum
        print(String(format: "h = %4d  torch (nn.Linear, Adam foreach)  %.3f s/epoch  train loss %.4f  %@; ratio torch / optima %.2fx",
                     h, torch, p["train_loss"]?.double ?? .nan, same ? "same training data" : "TRAINING DATA DIFFERS",
                     torch / ours))
        csv += "F,\(h),torch,\(torch),\(torch / ours)\n"
        if threads > 1, let p = Peers.run(script, ["--data", data, "--hidden", "\(h)", "--epochs", "\(epochs)", "--threads", "\(threads)"]),
           let torchN = p["epoch_s_median"]?.double {
            print(String(format: "h = %4d  torch on %d threads  %.3f s/epoch", h, threads, torchN))
            csv += "F,\(h),torch-\(threads)threads,\(torchN),\(torchN / ours)\n"
        }
    }
    if !Peers.available { print(Peers.explainMissing()) }
    if let path = benchOption("csv") {
        let file = path.hasSuffix(".csv") ? String(path.dropLast(4)) + "-F.csv" : path + "-F"
        try? writeFileAtomically(csv, to: file)
    }
}
