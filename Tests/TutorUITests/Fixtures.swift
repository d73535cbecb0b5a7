@testable import TutorUI
import CNNModel

/// Models and states shared by the UI tests.
enum Fixtures {
    /// The seed article's model: 11,574,090 parameters, 192 of them non-trainable.
    static let seedSource = SeedArticle.model(head: .flatten).kerasCode

    /// A state with the seed model loaded, at a size and with capabilities.
    static func seed(width: Int = 80, height: Int = 24, caps: Capabilities = .full) -> AppState {
        var state = AppState(width: width, height: height, caps: caps)
        _ = update(&state, .setSource(seedSource))
        _ = update(&state, .select(0))
        state.message = nil
        return state
    }

    /// Renders a state and returns the buffer.
    static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        view(state, into: &buffer)
        return buffer
    }

    /// Sends messages in order, ignoring effects.
    static func send(_ state: inout AppState, _ msgs: Msg...) {
        for m in msgs { _ = update(&state, m) }
    }

    /// Sends each character of `text` as a key press, and `\n` as Enter.
    static func typeKeys(_ state: inout AppState, _ text: String) {
        for ch in text { _ = update(&state, .key(ch == "\n" ? .enter : .char(ch))) }
    }
}
