import ArgumentParser
import CNNCompute
import CNNModel
import TutorUI

/// `cnn-tutor build`: the builder sandbox, optionally starting from a model file.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Open the builder sandbox, optionally starting from a model file.",
        discussion: """
            MODEL.py holds keras.Sequential([...]) or model.add(...) lines, as tutorials write them. \
            `:w model.py` saves it as Keras code, `:w model.pt.py` as PyTorch code. With --weights, \
            the feature maps (f) run the file's weights, named `<layer>/<weight>` in Keras' layouts.
            """)

    @Argument(help: "A Python file with a Keras Sequential model.")
    var model: String?

    @Option(help: "Start with this input shape instead of the file's, such as 128,128,3.")
    var inputShape: String?

    @Option(help: "A safetensors file of the model's weights (Keras names and layouts) for the feature maps.")
    var weights: String?

    func run() throws {
        try reportingErrors {
            var state = AppState()
            let shape = try inputShape.map(parseShapeOption)
            if let path = model {
                let source = try ModelSource(path: path)
                // A block whose base is left out (`#...`) is its head, built on the given shape.
                var m = try source.model(inputShape: shape)
                if m.inputShape == nil { m.inputShape = [224, 224, 3] }
                state = AppState(model: m, fileName: path)
            }
            if let shape {
                _ = update(&state, .setInputShape(shape))
            }
            if let weights {
                guard model != nil else { throw CLIError("--weights needs a model file: cnn-tutor build model.py --weights \(weights)") }
                let tensors = try readWeights(weights, for: state.model, named: model ?? "")
                _ = update(&state, .setWeights(WeightSet(tensors: tensors, origin: "from \(weights)", revision: state.revision)))
            }
            try launchApp(state)
        }
    }

    /// The file's weights, checked against the model: every weight present, with its shape.
    func readWeights(_ path: String, for model: Model, named modelPath: String) throws -> [String: Tensor] {
        let file: [String: SafeTensor]
        do { file = try SafeTensors.read(contentsOf: path) } catch { throw CLIError("\(path): \(error.message)") }
        let tensors = file.mapValues(\.floatTensor)
        let network: Network
        do { network = try Network(model: model) } catch { throw CLIError("\(modelPath): \(error.message)") }
        for p in network.parameters where tensors[p.key] == nil {
            throw CLIError("\(path): has no '\(p.key)' (layer '\(p.layerName)' needs shape \(p.value.shape)); "
                + "its tensors are " + tensors.keys.sorted().prefix(6).map { "'\($0)'" }.joined(separator: ", "))
        }
        do { try network.load(tensors) } catch { throw CLIError("\(path): \(error.message)") }
        return tensors
    }
}
