import ArgumentParser
import CNNCompute
import Race
import CNNModel
import Foundation

/// `cnn-tutor experiment`: race a Flatten head against a global-pooling head.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Race a Flatten head against a global-pooling head.",
        discussion: """
            Trains the article's backbone (scaled to 32×32 grayscale) with a Flatten head and with \
            a GlobalAveragePooling2D head on synthetic shapes, with Adam on the same batches, then tests \
            both on shapes near the edges and on larger images.
            """)

    @Option(help: "Epochs to train (1 to 1000).")
    var epochs = ExperimentConfiguration().epochs

    @Option(help: "The seed of the dataset, the initial weights, the dropout masks and the batch order.")
    var seed: UInt64 = ExperimentConfiguration().seed

    @Flag(help: "Print one JSON object; the measured times are under \"timings\".")
    var json = false

    /// The default settings with this command line's epochs and seed.
    private var configuration: ExperimentConfiguration {
        var configuration = ExperimentConfiguration()
        configuration.epochs = epochs
        configuration.seed = seed
        return configuration
    }

    func validate() throws {
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        try reportingErrors {
            let live = !json && isatty(STDERR_FILENO) != 0
            let result: ExperimentResult
            do {
                result = try ExperimentRun.run(configuration, onProgress: { progress in
                    if live { Self.report(progress) }
                })
            } catch {
                throw CLIError("error: \(error)")
            }
            if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(json ? result.json : result.text)
        }
    }

    /// A one-line progress note on standard error, rewritten in place when it's a terminal.
    private static func report(_ p: ExperimentProgress) {
        let losses = p.heads.map { "\($0.head.title) loss \(KerasFormat.fixed($0.runningLoss, decimals: 3))" }
        let line = "\r\u{1B}[Kepoch \(p.epoch)/\(p.epochs)  batch \(p.batch)/\(p.batchesPerEpoch)  "
            + losses.joined(separator: "  ")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
