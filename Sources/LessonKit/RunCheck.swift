import CNNCompute
import Race
import CNNModel

/// Whether a `run` action can finish: the checks the app makes before it runs a model, in one place.
///
/// A `run` whose model the app refuses would leave playback waiting for a
/// forward pass or a training run that never starts; `lessons validate`
/// reports it instead.
public enum RunCheck {
    /// Why a forward pass on the sample image can't run on `model`; nil when it can.
    public static func forwardProblem(_ model: Model) -> String? {
        guard let shape = model.inputShape else { return "the model has no input" }
        let summary: ModelSummary
        do { summary = try model.summary() } catch { return "the model can't be built: \(error.description)" }
        if let why = RunBudget.featureMapRefusal(summary) { return "the model is " + why }
        guard shape.count == 3 else { return "feature maps need an image input (height, width, channels), not \(ShapeFormat.tuple(shape))" }
        guard !model.layers.isEmpty else { return "the model has no layers to run" }
        do { _ = try Network(model: model) } catch { return "the compute core can't run it: \(error.message)" }
        return nil
    }

    /// The layers the step-by-step view explains.
    public static let steppable = ["Conv2D", "MaxPooling2D", "GlobalAveragePooling2D", "Flatten"]

    /// Why the step-by-step view can't show `at` (row, column, channel) of `layer`; nil when it can.
    public static func stepProblem(_ model: Model, layer: String, at: [Int]) -> String? {
        guard let summary = try? model.summary() else { return "the model can't be built" }
        guard let row = summary.layers.first(where: { $0.name == layer }) else {
            return "no layer named '\(layer)'; the model has: " + summary.layers.map(\.name).joined(separator: ", ")
        }
        guard steppable.contains(row.typeName) else {
            return "'\(layer)' is a \(row.typeName); step by step explains " + steppable.joined(separator: ", ")
        }
        // Flatten and global pooling name a cell of their input; the others a cell of their output.
        let grid = row.typeName == "Flatten" || row.typeName == "GlobalAveragePooling2D" ? row.inputShape : row.outputShape
        guard grid.count == 3, at.count == 3, zip(at, grid).allSatisfy({ (0..<$1).contains($0) }) else {
            return "(\(at.map(String.init).joined(separator: ", "))) is outside \(layer)'s \(ShapeFormat.tuple(grid)) map"
        }
        return nil
    }

    /// Why the `run` the lesson asks for at this point can't finish; nil when it can.
    ///
    /// On the experiment screen it starts the race with the lesson's settings;
    /// anywhere else it is a forward pass of the current model.
    public static func problem(_ state: LessonState) -> String? {
        if state.view == "experiment" {
            do { try (state.experiment ?? ExperimentConfiguration()).validate() } catch { return "the experiment can't start: \(error.message)" }
            return nil
        }
        return forwardProblem(state.model)
    }
}
