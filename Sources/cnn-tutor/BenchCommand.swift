import ArgumentParser
import CNNCompute
import CNNModel
import Foundation
import TerminalBackend

/// `cnn-tutor bench`: Measure the compute core and the UI.
///
/// Each workload is a ``BenchWorkload``: the median of its repeats after a
/// warm-up. To add one, append it to ``BenchCommand/workloads``.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the compute core and the UI.",
        discussion: """
            The compute workloads are those of tf_baseline.py (same models, batch sizes and \
            steps), so the two can be compared in one run. Each figure is the median of at \
            least 5 repeats after a warm-up, on every core (up to 8; CNN_THREADS=1 for one).
            """)

    @Flag(help: "Print one JSON object: {\"name\": figure, …}.")
    var json = false

    @Option(help: "Run only the workloads whose name contains this text.")
    var only: String?

    /// Every workload, in the order they run.
    static var workloads: [BenchWorkload] {
        ComputeWorkloads.all + ModelWorkloads.all + UIWorkloads.all(executable: UIWorkloads.currentExecutable)
    }

    func run() throws {
        var results: [(BenchWorkload, Double)] = []
        for workload in Self.workloads where only.map({ workload.name.contains($0) }) ?? true {
            let figure: Double
            do {
                figure = try workload.measure()
            } catch {
                FileHandle.standardError.write(Data("\(workload.name): \(error)\n".utf8))
                throw ExitCode(1)
            }
            results.append((workload, figure))
            if !json {
                print(workload.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                      + KerasFormat.fixed(figure, decimals: 1).leftPadded(to: 10) + "  " + workload.unit)
            }
        }
        if json {
            let fields = results.map { "\"\($0.0.name)\":" + KerasFormat.fixed($0.1, decimals: 2) }
            print("{" + (fields + ["\"threads\":\(ComputeWorkloads.threads)"]).joined(separator: ",") + "}")
        }
    }
}
