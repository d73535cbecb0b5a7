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
            a GlobalAveragePooling2D head on synthetic shapes, or on MNIST, Fashion-MNIST, CIFAR-10 or a \
            folder of PGM/PPM images (--data), with the same optimizer on the same batches, then tests \
            both on images moved towards the edges and on larger images. A loss that stops being a \
            number stops the run (exit status 1) and says what to change.
            """)

    @Option(help: "Epochs to train (1 to 1000).")
    var epochs = ExperimentConfiguration().epochs

    @Option(help: "The seed of the dataset, the initial weights, the dropout masks and the batch order.")
    var seed: UInt64 = ExperimentConfiguration().seed

    @Option(help: ArgumentHelp("A dataset folder: MNIST/Fashion-MNIST IDX files (.gz too), CIFAR-10 binary batches, "
        + "or one sub-folder of PGM/PPM images per class.", valueName: "path"))
    var data: String?

    @Option(name: .customLong("lr"), help: "The learning rate.")
    var learningRate = ExperimentConfiguration().learningRate

    @Option(help: "Images per training batch.")
    var batchSize = ExperimentConfiguration().batchSize

    @Option(help: "adam or sgd.")
    var optimizer: RaceOptimizer = .adam

    @Option(help: "SGD's momentum (0 for plain SGD).")
    var momentum = ExperimentConfiguration().momentum

    @Option(help: ArgumentHelp("The GAP head trains on an N×N canvas with the image in its middle.", valueName: "N"))
    var gapInput: Int?

    @Option(name: .customLong("train"), help: ArgumentHelp(
        "Training images (default: \(ExperimentConfiguration().trainCount) synthetic, or a seeded subset of "
        + "\(ExperimentConfiguration.realDataTrainCount) of a real dataset).", valueName: "train"))
    var trainCount: Int?

    @Option(name: .customLong("test"), help: "Test images (and as many shifted ones).")
    var testCount = ExperimentConfiguration().testCount

    @Option(help: ArgumentHelp("Save each head's trained weights (safetensors, Keras names) and its model "
        + "as Keras code in this folder.", valueName: "dir"))
    var saveWeights: String?

    @Flag(help: "Print one JSON object; the measured times are under \"timings\".")
    var json = false

    /// The default settings with this command line's choices.
    private var configuration: ExperimentConfiguration {
        var c = ExperimentConfiguration()
        c.epochs = epochs
        c.seed = seed
        c.dataPath = data
        c.learningRate = learningRate
        c.batchSize = batchSize
        c.optimizer = optimizer
        c.momentum = momentum
        c.gapInput = gapInput
        c.trainCount = trainCount ?? (data == nil ? c.trainCount : ExperimentConfiguration.realDataTrainCount)
        c.testCount = testCount
        c.shiftedCount = testCount
        return c
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
            let run: ExperimentRun
            do {
                run = try ExperimentRun(configuration)
            } catch {
                throw CLIError("error: \(error)")
            }
            while run.progress.phase == .training {
                run.step()
                if live { Self.report(run.progress) }
            }
            let result = run.finish()
            if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(json ? result.json : result.text)
            if let divergence = result.divergence {
                throw CLIError("error: " + divergence.text)
            }
            if let saveWeights {
                do {
                    let files = try run.saveWeights(to: saveWeights)
                    if !json { print("\nSaved " + files.joined(separator: ", ")) }
                } catch {
                    throw CLIError("error: \(error)")
                }
            }
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

extension RaceOptimizer: ExpressibleByArgument {}
