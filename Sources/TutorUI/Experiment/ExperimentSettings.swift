import Race

/// The experiment's training settings as the screen changes them, one key
/// a step, as TensorFlow Playground does: each takes effect on the next start.
enum ExperimentSettings {
    /// The learning rates the `[` and `]` keys step through: 1, 3, 10, … per decade.
    static let learningRates: [Float] = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]
    /// The momenta `m` cycles through for SGD.
    static let momenta: [Float] = [0.9, 0.99, 0, 0.5]
    /// The GAP head's canvases `g` and `G` step through; nil is the images' own size.
    static let gapInputs: [Int?] = [nil, 32, 40, 48, 64, 80, 96]
    static let epochs = 1...50
    static let batchSizes = 1...1024
    /// Where `w` saves the race's weights, under the folder the app was started in.
    static let weightsFolder = "race-weights"

    /// The next learning rate on the ladder above (`up`) or below the current one.
    static func step(_ rate: Float, up: Bool) -> Float {
        up ? learningRates.first { $0 > rate * 1.0001 } ?? rate
            : learningRates.last { $0 < rate * 0.9999 } ?? rate
    }

    /// Applies a settings key to the configuration the next start trains with.
    static func apply(_ action: ExperimentAction, to c: inout ExperimentConfiguration) {
        switch action {
        case .learningRateDown: c.learningRate = step(c.learningRate, up: false)
        case .learningRateUp: c.learningRate = step(c.learningRate, up: true)
        case .batchDown: c.batchSize = max(batchSizes.lowerBound, c.batchSize / 2)
        case .batchUp: c.batchSize = min(batchSizes.upperBound, c.batchSize * 2)
        case .epochsDown: c.epochs = max(epochs.lowerBound, c.epochs - 1)
        case .epochsUp: c.epochs = min(epochs.upperBound, c.epochs + 1)
        case .optimizer:
            c.optimizer = c.optimizer == .adam ? .sgd : .adam
            // Each optimizer's own usual rate: Keras' defaults, 0.001 for Adam and 0.01 for SGD.
            c.learningRate = c.optimizer == .adam ? 1e-3 : 0.01
        case .momentum:
            let i = momenta.firstIndex(of: c.momentum) ?? -1
            c.momentum = momenta[(i + 1) % momenta.count]
        case .gapDown, .gapUp:
            let i = gapInputs.firstIndex(of: c.gapInput) ?? 0
            c.gapInput = gapInputs[max(0, min(gapInputs.count - 1, i + (action == .gapUp ? 1 : -1)))]
        default: break
        }
    }

    /// The settings as short phrases, each with the keys that change it.
    static func phrases(_ c: ExperimentConfiguration, times: String) -> [(keys: String, text: String)] {
        var list: [(String, String)] = [
            ("o", c.optimizer == .adam ? "Adam" : "SGD"),
            ("[ ]", "lr \(c.learningRate)"),
        ]
        if c.optimizer == .sgd { list.append(("m", "mom. \(c.momentum)")) }
        list += [
            (", .", "batch \(c.batchSize)"),
            ("e E", "\(c.epochs) epoch" + (c.epochs == 1 ? "" : "s")),
            ("g G", "GAP " + (c.gapInput.map { "\($0)\(times)\($0)" } ?? "as images")),
        ]
        return list
    }

    /// `shapes`, or the dataset folder's last path component.
    static func dataName(_ c: ExperimentConfiguration) -> String {
        guard let path = c.dataPath else { return "synthetic shapes" }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.isEmpty ? path : name
    }
}

/// `:data PATH`: the dataset the next race reads (``DataFolder``); `:data`
/// alone, or `:data shapes`, goes back to the synthetic shapes.
func setExperimentData(_ state: inout AppState, _ argument: String) -> [Effect] {
    let path = argument.trimmingCharacters(in: .whitespaces)
    if path.isEmpty || path == "shapes" || path == "synthetic" {
        state.experiment.configuration.dataPath = nil
        state.experiment.configuration.trainCount = ExperimentConfiguration().trainCount
        state.message = StatusMessage("the next race uses the synthetic shapes; Enter starts it")
    } else {
        state.experiment.configuration.dataPath = path
        state.experiment.configuration.trainCount = ExperimentConfiguration.realDataTrainCount
        state.message = StatusMessage("the next race reads \(path) (MNIST, Fashion-MNIST, CIFAR-10 or class folders); Enter starts it")
    }
    show(&state, .experiment)
    return []
}
