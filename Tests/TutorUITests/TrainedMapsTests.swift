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
