import Testing
@testable import TutorUI
import CNNModel

/// Plain-text snapshots of every screen at 80×24 and 120×40.
@Suite struct ViewSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: sizes) func builder(_ size: (Int, Int)) {
        let state = Fixtures.seed(width: size.0, height: size.1)
        Snapshot.assert("builder-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func detail(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .select(1), .setDetail(true))
        Snapshot.assert("detail-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func compare(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .show(.compare))
        Snapshot.assert("compare-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func help(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .setHelp(true))
        Snapshot.assert("help-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: [(59, 24), (80, 17), (40, 10)]) func tooSmall(_ size: (Int, Int)) {
        let state = Fixtures.seed(width: size.0, height: size.1)
        Snapshot.assert("too-small-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func lessonPane(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .setLesson(LessonPane(
            title: "Flatten vs pooling",
            text: "**Flatten** lays the (53, 53, 64) map out as `179,776` values, and the first Dense needs a weight for each.\n\nPress **h** to end in `GlobalAveragePooling2D` instead.",
            keys: [KeyHint("n", "next"), KeyHint("p", "back")])))
        #expect(state.screen == .lesson)
        Snapshot.assert("lesson-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test func builderASCII() {
        let state = Fixtures.seed(caps: .ascii)
        Snapshot.assert("builder-ascii-80x24", Fixtures.render(state).plainText)
    }
}

/// The feature-maps screen after a real forward pass (random weights, seed 42).
@Suite struct FeatureMapsSnapshotTests {
    static let small = """
    model = keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        keras.layers.Conv2D(8, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(16, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation='softmax'),
    ])
    """

    /// Runs the forward pass the way the app's runner would, and feeds the results back.
    static func ran(width: Int, height: Int, caps: Capabilities = .full) -> AppState {
        var state = AppState(width: width, height: height, caps: caps)
        Fixtures.send(&state, .setSource(small), .show(.featureMaps))
        let effects = update(&state, .runFeatureMaps)
        for case .runForward(let request) in effects {
            let result = EffectRunner.forward(request) { _, _ in }
            _ = update(&state, .forwardFinished(generation: request.generation, result: result))
        }
        state.message = nil
        return state
    }

    @Test(arguments: ViewSnapshotTests.sizes) func featureMaps(_ size: (Int, Int)) {
        let state = Self.ran(width: size.0, height: size.1)
        #expect(state.features.status == .finished)
        Snapshot.assert("feature-maps-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test func featureMapsFallBackToShadesAndASCII() {
        let shades = Self.ran(width: 80, height: 24, caps: Capabilities(colors: .basic8, unicode: true))
        Snapshot.assert("feature-maps-shades-80x24", Fixtures.render(shades).plainText)
        let ascii = Self.ran(width: 80, height: 24, caps: .ascii)
        Snapshot.assert("feature-maps-ascii-80x24", Fixtures.render(ascii).plainText)
    }
}
