import CNNModel
import TutorUI

/// What the app prints instead of its screen when curses can't run.
public enum PlainTextReport {
    /// The reason, then the model's summary table and totals (or why it can't be built).
    public static func text(for state: AppState, reason: String) -> String {
        var out = "cnn-tutor: not starting the full-screen app because \(reason).\n"
        out += "Run it in a terminal (TERM=xterm-256color) for the live builder. Plain summary:\n\n"
        guard state.model.inputShape != nil else { return out + "(no model)\n" }
        if let s = state.derived.summary {
            if s.layers.isEmpty {
                out += "input \(ShapeFormat.tuple(s.inputShape)), no layers yet.\n"
            } else {
                out += s.table + "\n"
            }
        } else if let e = state.derived.error {
            out += "the model can't be built: \(e.description)\n"
        }
        return out
    }
}
