import CNNCompute
import CNNModel
import Foundation

/// A head's trained weights on disk: `<head>.safetensors` under Keras'
/// names and layouts (`conv2d/kernel` as (kh, kw, in, out)), and `<head>.py`,
/// the model as Keras code, so that
/// `cnn-tutor forward gap.py --weights gap.safetensors` predicts as the race did.
extension ExperimentRun {
    /// The files `saveWeights(to:)` writes for `head`, without the folder.
    public static func weightFiles(_ head: ExperimentHead) -> (weights: String, model: String) {
        (head.rawValue + ".safetensors", head.rawValue + ".py")
    }

    /// Writes every head's weights and model into `folder` (made if missing); returns the paths written.
    @discardableResult
    public func saveWeights(to folder: String) throws(ExperimentError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError("\(folder): can't make the folder (\(error.localizedDescription))")
        }
        var written: [String] = []
        for (head, network, model) in headNetworks {
            let names = ExperimentRun.weightFiles(head)
            let weightsPath = (folder as NSString).appendingPathComponent(names.weights)
            let modelPath = (folder as NSString).appendingPathComponent(names.model)
            do throws(SafeTensorsError) {
                try SafeTensors.write(network.weights.mapValues { .f32($0) }, to: weightsPath)
            } catch {
                throw ExperimentError(error.message)
            }
            var trained = model
            trained.inputShape = network.inputShape
            let code = "# The race's \(head.title), trained: \(configuration.optimizerText), \(configuration.epochs) epochs, "
                + "seed \(configuration.seed).\n# cnn-tutor forward \(names.model) --weights \(names.weights) --input X.safetensors "
                + "--out OUT.safetensors\nimport keras\n\n" + trained.kerasCode + "\n"
            do {
                try code.write(toFile: modelPath, atomically: true, encoding: .utf8)
            } catch {
                throw ExperimentError("\(modelPath): can't write (\(error.localizedDescription))")
            }
            written += [weightsPath, modelPath]
        }
        return written
    }
}
