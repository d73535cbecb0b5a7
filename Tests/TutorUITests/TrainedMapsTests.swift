import CNNCompute
import CNNModel
import Testing
@testable import TutorUI

/// `w` on the feature maps: a model the synthetic shapes don't fit says why instead of training.
@Suite struct TrainedMapsTests {
    static let model = """
    model = keras.Sequential([
        keras.Input(shape=(16, 16, 1)),
        keras.layers.Conv2D(4, (3, 3), activation='relu'),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(10, activation='softmax'),
    ])
    """

    /// Carries out the effects with the app's own runner, feeding every message back until nothing is left to do.
    static func run(_ state: inout AppState, _ effects: [Effect]) {
        let runner = EffectRunner()
        var pending = effects
        while !pending.isEmpty {
            for effect in pending { runner.run(effect) }
            runner.waitUntilIdle()
            pending = []
            for msg in runner.takeMessages() { pending += update(&state, msg) }
        }
    }

    /// `w` through update and the app's effect runner: the model trains in the
    /// background, the maps are run again with the trained weights, the
    /// status line says so, and `w` again goes back to the initial weights.
    @Test func wTrainsAndShowsTheTrainedMaps() throws {
        var state = AppState(width: 80, height: 24, caps: .full)
        Fixtures.send(&state, .setSource(Self.model))
        Self.run(&state, update(&state, .key(.char("f"))))
        let initial = try #require(state.features.result)
        let pressed = update(&state, .key(.char("w")))
        #expect(pressed.contains { if case .trainModel = $0 { true } else { false } })
        #expect(state.features.shown == .trained)
        #expect(Fixtures.render(state).plainText.contains("training"), "no progress while training")
        Self.run(&state, pressed)
        #expect(state.features.training == .idle)
        let weights = try #require(state.features.trained)
        #expect(weights.origin.contains("\(featureTraining.steps) steps"), "\(weights.origin)")
        let trained = try #require(state.features.result)
        #expect(trained.outputs.first?.values != initial.outputs.first?.values, "the maps did not change")
        #expect(Fixtures.render(state).plainText.contains("TRAINED"))
        // w again: the initial weights, and the same maps as before.
        Self.run(&state, update(&state, .key(.char("w"))))
        #expect(state.features.shown == .initial)
        #expect(state.features.result?.outputs.first?.values == initial.outputs.first?.values)
        #expect(!Fixtures.render(state).plainText.contains("TRAINED"))
    }

    @Test func aModelTheShapesDontFitSaysWhy() {
        var state = AppState(width: 80, height: 24, caps: .full)
        Fixtures.send(&state, .setSource("keras.Sequential([keras.Input(shape=(16, 16, 4)), keras.layers.Conv2D(4, 3), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)])"))
        let opened = update(&state, .key(.char("f")))
        Self.run(&state, opened)
        #expect(update(&state, .key(.char("w"))).isEmpty)
        #expect(state.features.shown == .initial)
        #expect(state.message?.kind == .error && state.message?.text.contains("4 channels") == true)
    }
}
