import Testing
@testable import TutorUI
import CNNModel

/// The builder on a functional model: Keras' rows, "Connected to" where there's room, and edits it can make.
@Suite struct FunctionalBuilderTests {
    static let residual = """
    inputs = keras.Input(shape=(16, 16, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    y = layers.Conv2D(8, 3, padding="same")(x)
    x = layers.Add()([y, x])
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    """

    func state(width: Int, height: Int) -> AppState {
        var state = AppState(width: width, height: height, caps: .full)
        _ = update(&state, .setSource(Self.residual))
        return state
    }

    @Test func rowsAreKerasAndConnectedToShowsWhenWide() {
        let narrow = Fixtures.render(state(width: 80, height: 24)).plainText
        #expect(narrow.contains("(InputLayer)"))
        #expect(narrow.contains("add (Add)"))
        #expect(!narrow.contains("Connected to"))
        let wide = Fixtures.render(state(width: 120, height: 40)).plainText
        #expect(wide.contains("Connected to"))
        #expect(wide.contains("input_layer (InputLayer)"))
        #expect(wide.contains("conv2d_1[0][0], conv2d"))
    }

    @Test func structuralEditsAreRefusedWithTheReasonAndChangesInPlaceWork() {
        var s = state(width: 80, height: 24)
        let before = s.model
        removeLayer(&s, 1)
        #expect(s.model == before)
        #expect(s.message?.text.contains("functional model") == true)
        addLayer(&s, "Dense(4)", at: 1)
        #expect(s.model == before)
        moveLayer(&s, from: 1, to: 2)
        #expect(s.model == before)
        replaceLayer(&s, 1, "Conv2D(8, 5, padding='same')")
        #expect(s.model.layers.count == before.layers.count)
        #expect(s.derived.summary?.totalParams == 224 + 1_608 + 90)
        for key: Character in ["h", "c", "d", "x", "y", "K"] {
            Fixtures.send(&s, .key(.char(key)))
            _ = Fixtures.render(s)
        }
    }
}
