import ArgumentParser
import CNNCompute
import CNNModel
import Foundation

/// `cnn-tutor forward`: Run a model on inputs and write every layer's output.
struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Run a model on inputs and write every layer's output.",
        discussion: """
            Writes each layer's inference-mode output under its layer name. With --gradients, \
            also writes `loss` (shape [1]) and `grad/<layer>/<weight>` for every trainable weight, \
            from a training-mode pass (batch statistics in BatchNormalization) on the input \
            file's `labels`.
            """)

    @Argument(help: "A Python file with a keras.Sequential model.")
    var model: String

    @Option(help: "Weights as <layer>/<weight> in Keras' layouts (safetensors).")
    var weights: String?

    @Option(help: "A safetensors file with `input` (batch first) and, for --gradients, integer `labels`.")
    var input: String

    @Option(help: "Where to write the outputs (safetensors).")
    var out: String

    @Flag(help: "Also write the loss and the gradient of every trainable weight.")
    var gradients = false

    @Flag(help: "Start from Keras-style random weights where the weights file has none.")
    var `init` = false

    @Option(help: "The seed for --init and dropout.")
    var seed: UInt64 = 0

    func run() throws {
        try reportingErrors {
            let source = try ModelSource(path: model)
            var parsed = try source.model()
            // Before reading anything large: a model too big for one sample is refused at once.
            if parsed.inputShape != nil { try checkBudget(try source.summary(of: parsed), batch: 1) }
            let inputs = try readSafeTensors(input)
            guard let x = inputs["input"] else {
                throw CLIError("\(input): no tensor named 'input'")
            }
            guard case .f32(let tensor) = x else {
                throw CLIError("\(input): 'input' must be F32, not \(x.dtype)")
            }
            if parsed.inputShape == nil { parsed.inputShape = Array(tensor.shape.dropFirst()) }
            try checkBudget(try source.summary(of: parsed), batch: tensor.shape.first ?? 1)
            let network = try compute { () throws(NetworkError) in try Network(model: parsed, seed: seed) }

            if let weights {
                let stored = try readSafeTensors(weights)
                var floats: [String: Tensor] = [:]
                for (name, value) in stored { floats[name] = value.floatTensor }
                try compute { () throws(NetworkError) in try network.load(floats, allowMissing: self.`init`) }
            } else if !self.`init` {
                throw CLIError("no weights: pass --weights W.safetensors, or --init for random weights")
            }

            var output: [String: SafeTensor] = [:]
            let maps = try compute { () throws(NetworkError) in try network.forward(tensor) }
            for (name, map) in zip(network.layerNames, maps) { output[name] = .f32(map) }

            if gradients {
                guard let labelTensor = inputs["labels"], let labels = labelTensor.integers else {
                    throw CLIError("\(input): --gradients needs an integer tensor named 'labels'")
                }
                let result = try compute { () throws(NetworkError) in try network.gradients(tensor, labels: labels) }
                output["loss"] = .f32(Tensor(shape: [1], data: [result.step.loss]))
                for (key, grad) in result.gradients { output["grad/\(key)"] = .f32(grad) }
            }
            do throws(SafeTensorsError) {
                try SafeTensors.write(output, to: out)
            } catch {
                throw CLIError(error.message)
            }
        }
    }

    /// Refuses, before allocating, a pass that needs more memory than there is.
    private func checkBudget(_ summary: ModelSummary, batch: Int) throws {
        let hint = "; try a smaller input or a pooled head"
        if let why = RunBudget.inferenceRefusal(summary, batchSize: batch) { throw CLIError(why + hint) }
        if gradients, let why = RunBudget.trainingRefusal(summary, batchSize: batch) { throw CLIError(why + hint) }
    }

    private func readSafeTensors(_ path: String) throws -> [String: SafeTensor] {
        do throws(SafeTensorsError) {
            return try SafeTensors.read(contentsOf: path)
        } catch {
            throw CLIError(error.message)
        }
    }

    private func compute<T>(_ body: () throws(NetworkError) -> T) throws -> T {
        do throws(NetworkError) {
            return try body()
        } catch {
            throw CLIError(error.message)
        }
    }
}
