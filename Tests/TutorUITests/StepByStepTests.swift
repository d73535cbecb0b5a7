import CNNCompute
import CNNModel
import Foundation
import Testing
@testable import TutorUI

/// The step-by-step view: snapshots at 80×24 and 120×40 whose numbers are the
/// compute core's own for that cell, recomputed here from ``Network`` alone.
@Suite struct StepByStepTests {
    static let model = """
    model = keras.Sequential([
        keras.Input(shape=(16, 16, 3)),
        keras.layers.Conv2D(4, (3, 3), padding='same', activation='relu'),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(6, (3, 3), strides=(2, 2), activation='relu'),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(10, activation='softmax'),
    ])
    """
    static let flattenModel = """
    model = keras.Sequential([
        keras.Input(shape=(12, 12, 3)),
        keras.layers.Conv2D(4, (3, 3), activation='relu'),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation='softmax'),
    ])
    """

    static func ran(_ source: String, width: Int, height: Int) -> AppState {
        var state = AppState(width: width, height: height, caps: .full)
        Fixtures.send(&state, .setSource(source), .show(.featureMaps))
        for case .runForward(let request) in update(&state, .runFeatureMaps) {
            let result = EffectRunner.forward(request) { _, _ in }
            _ = update(&state, .forwardFinished(generation: request.generation, result: result))
        }
        state.message = nil
        return state
    }

    /// Every layer's output as the feature maps compute it, independently of
    /// the app: each layer its own network seeded 42 + its index, on the
    /// procedural scene centred to −1…1.
    static func coreOutputs(_ source: String) throws -> [Tensor] {
        let model = try KerasParser.parse(source)
        let summary = try model.summary()
        let shape = try #require(model.inputShape)
        let image = SampleImage.procedural().fitted(width: shape[1], height: shape[0], channels: shape[2])
        var x = Tensor(shape: [1] + shape, data: image.pixels.map { $0 * 2 - 1 })
        var outputs: [Tensor] = []
        for row in summary.layers {
            var spec = row.spec
            spec.name = row.name
            let net = try Network(model: Model(inputShape: row.inputShape, layers: [spec]), seed: 42 &+ UInt64(row.index))
            x = try net.forward(x).last!
            outputs.append(x)
        }
        return outputs
    }

    static func value(_ t: Tensor, _ r: Int, _ c: Int, _ ch: Int) -> Float {
        t.data[(r * t.shape[2] + c) * t.shape[3] + ch]
    }

    static func text(_ v: Float) -> String { String(format: "%.4f", v) }

    @Test(arguments: ViewSnapshotTests.sizes) func convolution(_ size: (Int, Int)) throws {
        var state = Self.ran(Self.model, width: size.0, height: size.1)
        // Row 0, col 0 of a 'same' convolution: the window hangs over the zeros.
        Fixtures.send(&state, .showStep(StepState(output: 0, row: 0, col: 0, channel: 0)))
        let screen = Fixtures.render(state).plainText
        Snapshot.assert("step-conv-\(size.0)x\(size.1)", screen)
        let expected = Self.value(try Self.coreOutputs(Self.model)[0], 0, 0, 0)
        #expect(screen.contains("the map holds \(Self.text(expected))"))
        #expect(screen.contains("pad"), "'same' padding shows its zeros")
    }

    @Test func arrowsSlideTheWindow() throws {
        var state = Self.ran(Self.model, width: 80, height: 24)
        Fixtures.send(&state, .select(0), .showStep(StepState(output: 2)))
        for key in [Key.right, .right, .down] { _ = update(&state, .key(key)) }
        #expect(state.features.step?.row == 1 && state.features.step?.col == 2)
        let screen = Fixtures.render(state).plainText
        // Stride 2: output (1, 2) reads input rows 2…4, cols 4…6.
        #expect(screen.contains("input rows 2…4, cols 4…6"))
        let expected = Self.value(try Self.coreOutputs(Self.model)[2], 1, 2, 0)
        #expect(screen.contains("the map holds \(Self.text(expected))"))
        _ = update(&state, .key(.escape))
        #expect(state.features.step == nil)
    }

    @Test(arguments: ViewSnapshotTests.sizes) func maxPooling(_ size: (Int, Int)) throws {
        var state = Self.ran(Self.model, width: size.0, height: size.1)
        Fixtures.send(&state, .showStep(StepState(output: 1, row: 2, col: 3, channel: 2)))
        let screen = Fixtures.render(state).plainText
        Snapshot.assert("step-maxpool-\(size.0)x\(size.1)", screen)
        let outputs = try Self.coreOutputs(Self.model)
        let expected = Self.value(outputs[1], 2, 3, 2)
        #expect(screen.contains("the map holds \(Self.text(expected))"))
        // The winner is the largest of the four inputs under the window.
        let window = [(4, 6), (4, 7), (5, 6), (5, 7)].map { Self.value(outputs[0], $0.0, $0.1, 2) }
        #expect(window.max() == expected)
    }

    @Test(arguments: ViewSnapshotTests.sizes) func globalAverage(_ size: (Int, Int)) throws {
        var state = Self.ran(Self.model, width: size.0, height: size.1)
        Fixtures.send(&state, .showStep(StepState(output: 3, channel: 4)))
        let screen = Fixtures.render(state).plainText
        Snapshot.assert("step-gap-\(size.0)x\(size.1)", screen)
        let outputs = try Self.coreOutputs(Self.model)
        #expect(screen.contains("the pooled vector holds \(Self.text(outputs[3].data[4]))"))
        _ = update(&state, .key(.right))
        #expect(state.features.step?.channel == 5)
    }

    @Test(arguments: ViewSnapshotTests.sizes) func flatten(_ size: (Int, Int)) throws {
        var state = Self.ran(Self.flattenModel, width: size.0, height: size.1)
        Fixtures.send(&state, .showStep(StepState(output: 1, row: 3, col: 5, channel: 2)))
        let screen = Fixtures.render(state).plainText
        Snapshot.assert("step-flatten-\(size.0)x\(size.1)", screen)
        // A (10, 10, 4) map: (3·10 + 5)·4 + 2 = 142; the cell below, 40 further, at 182.
        #expect(screen.contains("[142]") && screen.contains("[182]") && screen.contains("10·4 = 40 values further"))
        let flat = try Self.coreOutputs(Self.flattenModel)[1]
        #expect(screen.contains("which holds \(Self.text(flat.data[142]))"))
    }

    /// Without UTF-8 the view is plain ASCII.
    @Test func asciiTerminals() {
        var state = Self.ran(Self.model, width: 80, height: 24)
        Fixtures.send(&state, .setCapabilities(.ascii), .showStep(StepState(output: 0)))
        let screen = Fixtures.render(state).plainText
        #expect(screen.contains("3x3x3") && screen.contains("rows -1~1"))
        #expect(!screen.unicodeScalars.contains { !$0.isASCII }, "\(screen)")
    }

    @Test func otherLayersSayWhatIsExplained() {
        var state = Self.ran(Self.model, width: 80, height: 24)
        state.features.selected = 4
        _ = update(&state, .key(.char("s")))
        #expect(state.features.step == nil)
        #expect(state.message?.text.contains("Conv2D, MaxPooling2D") == true)
    }
}
