/// The app's top-level screens. Each has a number key and a letter key.
///
/// `.lesson` shows the builder beside the text of a lesson step
/// (``AppState/lesson``); the lesson engine drives it through ``Msg``s.
public enum Screen: String, Hashable, Sendable, CaseIterable {
    case builder
    case compare
    case featureMaps
    case lesson
    case experiment

    /// The name in the title bar.
    public var title: String {
        switch self {
        case .builder: return "Builder"
        case .compare: return "Compare heads"
        case .featureMaps: return "Feature maps"
        case .lesson: return "Lesson"
        case .experiment: return "Experiment"
        }
    }
}

/// What the command line is for while it is open.
public enum Prompt: Hashable, Sendable {
    /// Add layers after the selected row; stays open after each layer.
    case add
    /// Replace the layer at this index.
    case edit(Int)
    /// Set the input shape.
    case input
    /// A command, a layer, or a whole pasted model.
    case command

    /// The text before the cursor.
    public var label: String {
        switch self {
        case .add: return "add"
        case .edit: return "edit"
        case .input: return "input"
        case .command: return ":"
        }
    }
}

/// Which ending the model has, or should have.
public enum HeadKind: String, Hashable, Sendable {
    case flatten
    case globalAverage = "gap"
    case globalMax = "gmp"

    /// Reads `flatten`, `gap`, `avg`, `average`, `max`, `gmp`.
    public init?(word: String) {
        switch word.lowercased() {
        case "flatten", "flat": self = .flatten
        case "gap", "avg", "average", "globalaveragepooling", "globalaveragepooling2d": self = .globalAverage
        case "gmp", "max", "globalmaxpooling", "globalmaxpooling2d": self = .globalMax
        default: return nil
        }
    }
}

/// A status message shown above the command line.
public struct StatusMessage: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case info, error }
    public var kind: Kind
    /// One or more lines; a parse error has the source line and a caret.
    public var text: String
    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// The text a lesson shows beside the builder on the `.lesson` screen.
public struct LessonPane: Hashable, Sendable {
    public var title: String
    /// Marked-up text: `**bold**`, `` `code` ``, blank lines between paragraphs; wrapped to the pane.
    public var text: String
    /// The first wrapped line in view.
    public var scroll: Int
    /// The status line's keys for the lesson, as (key, what it does).
    public var keys: [KeyHint]
    /// True while the model takes the whole screen and the text waits (Tab swaps back).
    public var showsModel: Bool

    public init(title: String, text: String, scroll: Int = 0, keys: [KeyHint] = [], showsModel: Bool = false) {
        self.title = title
        self.text = text
        self.scroll = scroll
        self.keys = keys
        self.showsModel = showsModel
    }
}
