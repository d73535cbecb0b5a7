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
            least 5 repeats after a warm-up, on every core (up to 8; CNN_THREADS=1 for one). \
            fma_peak_gflops is the machine's own peak (register-only FMAs at its widest vector \
            width on every core); each X_gflops is also given as X_efficiency, its share of \
            that peak: the median over the repeats of each one's share of a peak measured \
            right before it. GFLOP/s count the direct convolution's flops: a 3×3 stride-1 layer \
            on Winograd's transforms does fewer, so its share can exceed 1. CNN_SIMD=16|8|4 \
            forces the kernels' vector width.
            """)

    @Flag(help: "Print one JSON object: {\"name\": figure, …}.")
    var json = false

    @Option(help: "Run only the workloads whose name contains this text.")
    var only: String?

    /// Every workload, in the order they run.
    static var workloads: [BenchWorkload] {
        // The memory figures first, while this process is small (see UIWorkloads.memory).
        UIWorkloads.memory(executable: UIWorkloads.currentExecutable) + [FMAPeak.workload] + ComputeWorkloads.all
            + ModelWorkloads.all + UIWorkloads.all(executable: UIWorkloads.currentExecutable)
    }

    func run() throws {
        var results: [(name: String, unit: String, figure: Double)] = []
        let chosen = Self.workloads.filter { only.map($0.name.contains) ?? true }
        // The peak is printed beside the shares, whatever `--only` chose.
        let needsPeak = chosen.contains { $0.name.hasSuffix("_gflops") }
        for workload in Self.workloads
        where chosen.contains(where: { $0.name == workload.name }) || (needsPeak && workload.name == FMAPeak.workload.name) {
            var rows: [(String, String, Double)]
            do {
                if workload.name.hasSuffix("_gflops"), workload.name != FMAPeak.workload.name {
                    // Each repeat's share of a peak measured right before it.
                    let (figure, share) = try workload.measure(sharing: FMAPeak.workload)
                    rows = [(workload.name, workload.unit, figure),
                            (String(workload.name.dropLast("gflops".count)) + "efficiency", "of peak", share)]
                } else {
                    rows = [(workload.name, workload.unit, try workload.measure())]
                }
            } catch {
                FileHandle.standardError.write(Data("\(workload.name): \(error)\n".utf8))
                throw ExitCode(1)
            }
            for row in rows {
                results.append(row)
                if !json {
                    let decimals = row.1 == "of peak" ? 3 : 1
                    print(row.0.padding(toLength: 34, withPad: " ", startingAt: 0)
                          + KerasFormat.fixed(row.2, decimals: decimals).leftPadded(to: 10) + "  " + row.1)
                }
            }
        }
        if json {
            let fields = results.map { "\"\($0.name)\":" + KerasFormat.fixed($0.figure, decimals: $0.unit == "of peak" ? 4 : 2) }
            print("{" + (fields + ["\"threads\":\(ComputeWorkloads.threads)",
                                   "\"simd_width\":\(KernelWidth.current.rawValue)"]).joined(separator: ",") + "}")
        }
    }
}
