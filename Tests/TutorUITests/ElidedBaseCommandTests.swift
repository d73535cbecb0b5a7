import CNNModel
import Testing
@testable import TutorUI

/// The article's head blocks (`#...` then the head): the builder says the base is left out and
/// `:base H,W,C [N]` builds the head on the shape the learner chooses.
@Suite struct ElidedBaseCommandTests {
    static let vggHead = """
        #...
        model.add(keras.layers.Flatten())
        model.add(keras.layers.Dense(4096, activation='relu'))
        model.add(keras.layers.Dense(4096, activation='relu'))
        model.add(keras.layers.Dense(n_classes, activation='softmax'))
        """

    @Test func pastedHeadIsBuiltOnTheChosenShape() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .paste(Self.vggHead + "\n"))
        #expect(state.message?.kind == .error)
        #expect(state.message?.text.contains(":base 7,7,512 builds the head") == true)
        WriteCommandTests.command(&state, "base 7,7,512")
        #expect(state.model.inputShape == [7, 7, 512])
        #expect(state.derived.summary?.totalParams == 119_586_826)
        #expect(state.message?.text.contains("10 classes assumed") == true)
        // At 80 columns the note wraps rather than losing its end.
        let screen = Fixtures.render(state).plainText.split(separator: "\n").joined(separator: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(screen.contains("10 classes assumed (add n_classes = … to change it)"))
        WriteCommandTests.command(&state, "base (14, 14, 512) 5")
        #expect(state.model.inputShape == [14, 14, 512])
        #expect(state.model.layers.last.map { if case .dense(let d) = $0.kind { d.units } else { 0 } } == 5)
    }

    @Test func baseWithoutAPastedHeadSaysWhy() {
        var state = Fixtures.seed()
        WriteCommandTests.command(&state, "base 7,7,512")
        #expect(state.message?.kind == .error)
        #expect(state.message?.text.contains("#...") == true)
    }
}
