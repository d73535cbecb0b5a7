/// A key and what it does, as the status line and the help show it.
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var what: String
    public init(_ key: String, _ what: String) {
        self.key = key
        self.what = what
    }
}

/// Keys bound to one action, with the text the status line and the help show for them.
struct KeyBinding<Action: Sendable & Hashable>: Sendable {
    let keys: [Key]
    let action: Action
    /// How the keys are written: `a`, `↑ ↓`, `C-r`.
    let label: String
    /// The help's line for it.
    let help: String
    /// The status line's hint for it; nil keeps it out of the status line.
    let hint: KeyHint?

    /// - Parameters:
    ///   - short: the status line's word; the hint's key is the label's first key unless `shortKey` says otherwise.
    init(_ keys: [Key], _ action: Action, _ label: String, _ help: String, short: String? = nil, shortKey: String? = nil) {
        self.keys = keys
        self.action = action
        self.label = label
        self.help = help
        self.hint = short.map { KeyHint(shortKey ?? String(label.split(separator: " ").first ?? ""), $0) }
    }
}

/// A named list of bindings: one place for what a key does, its status-line hint and its help line.
struct KeySection<Action: Sendable & Hashable>: Sendable {
    let title: String
    let bindings: [KeyBinding<Action>]

    /// The action bound to `key`, if any.
    func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// The status line's hints, in order.
    var hints: [KeyHint] {
        bindings.compactMap(\.hint)
    }
}

/// What the app's keys do outside a prompt and the help.
enum AppAction: Sendable, Hashable {
    case quit, help, show(Screen), command, inputUp, inputDown, inputPrompt, toggleHead, undo, redo, escape
    // The builder's table
    case up, down, pageUp, pageDown, top, bottom, add, edit, detail, delete, duplicate, moveUp, moveDown, freeze
    // The compare screen
    case togglePooling
    // The feature maps
    case run, nextChannel, previousChannel, openImage, toggleWeights, saveWeights, stepByStep
}

/// What the keys do in the step-by-step view of one output cell.
enum StepAction: Sendable, Hashable {
    case up, down, left, right, nextChannel, previousChannel, nextInputChannel, close
}

/// The answers to "save the changes before quitting?".
enum ConfirmAction: Sendable, Hashable {
    case save, discard, stay
}

/// The app's one key map: update dispatches through it, and the status line and the help are drawn from it.
enum KeyMap {
    static let global = KeySection<AppAction>(title: "Everywhere", bindings: [
        KeyBinding([.char("?"), .function(1)], .help, "?", "this help", short: "help"),
        KeyBinding([.char("q")], .quit, "q", "quit", short: "quit"),
        KeyBinding([.char("+"), .char("=")], .inputUp, "+ -", "input size up / down", short: "size", shortKey: "+/-"),
        KeyBinding([.char("-"), .char("_")], .inputDown, "-", "input size down"),
        KeyBinding([.char("i")], .inputPrompt, "i", "type the input shape"),
        KeyBinding([.char("h")], .toggleHead, "h", "switch the head: Flatten or global pooling", short: "head"),
        KeyBinding([.char("1"), .char("b")], .show(.builder), "1 b", "the builder", short: "builder", shortKey: "b"),
        KeyBinding([.char("2"), .char("c")], .show(.compare), "2 c", "compare Flatten with global pooling", short: "compare", shortKey: "c"),
        KeyBinding([.char("3"), .char("f")], .show(.featureMaps), "3 f", "feature maps: run the model on an image", short: "maps", shortKey: "f"),
        KeyBinding([.char("4"), .char("t")], .show(.experiment), "4 t", "the experiment: train both heads"),
        KeyBinding([.char(":")], .command, ":", "command line; paste a keras.Sequential block"),
        KeyBinding([.char("u"), .ctrl("z")], .undo, "u", "undo", short: "undo"),
        KeyBinding([.ctrl("r"), .char("U")], .redo, "C-r", "redo"),
        KeyBinding([.escape], .escape, "Esc", "back to the builder; close the detail pane"),
    ])

    static let builder = KeySection<AppAction>(title: "Builder", bindings: [
        KeyBinding([.char("a"), .char("o")], .add, "a", "add layers after the selected row", short: "add"),
        KeyBinding([.char("e"), .enter], .edit, "e Enter", "edit the selected layer", short: "edit"),
        KeyBinding([.char("x"), .delete, .backspace], .delete, "x Del", "delete the selected layer", short: "del"),
        KeyBinding([.char("d"), .char(" ")], .detail, "d Space", "detail pane: the formulas with your numbers", short: "detail"),
        KeyBinding([.up, .char("k")], .up, "↑ ↓ j k", "select a row (mouse: click, wheel, tabs)"),
        KeyBinding([.down, .char("j")], .down, "↓", "select the next row"),
        KeyBinding([.pageUp], .pageUp, "PgUp", "ten rows up"),
        KeyBinding([.pageDown], .pageDown, "PgDn", "ten rows down"),
        KeyBinding([.home, .char("g")], .top, "g Home", "the input row"),
        KeyBinding([.end, .char("G")], .bottom, "G End", "the last layer"),
        KeyBinding([.char("y")], .duplicate, "y", "duplicate the selected layer"),
        KeyBinding([.char("F")], .freeze, "F", "freeze the selected layer (trainable=False) or not"),
        KeyBinding([.char("K")], .moveUp, "K J", "move the selected layer up / down"),
        KeyBinding([.char("J")], .moveDown, "J", "move the selected layer down"),
    ])

    static let compare = KeySection<AppAction>(title: "Compare", bindings: [
        KeyBinding([.char("g"), .char("m"), .tab], .togglePooling, "g", "average or max pooling", short: "avg/max"),
        KeyBinding([.up, .char("k")], .up, "↑ ↓", "select a row"),
        KeyBinding([.down, .char("j")], .down, "↓", "select the next row"),
    ])

    static let featureMaps = KeySection<AppAction>(title: "Feature maps", bindings: [
        KeyBinding([.char("r"), .enter], .run, "r", "run the model on the image", short: "run"),
        KeyBinding([.up, .char("k")], .up, "↑ ↓", "the layer above / below", short: "layer", shortKey: "↑↓"),
        KeyBinding([.down, .char("j")], .down, "↓", "the layer below"),
        KeyBinding([.right, .char("l"), .pageDown], .nextChannel, "← →", "more channels", short: "channels", shortKey: "←→"),
        KeyBinding([.left, .pageUp], .previousChannel, "←", "earlier channels"),
        KeyBinding([.char("w")], .toggleWeights, "w", "trained / initial weights (trains first)", short: "trained"),
        KeyBinding([.char("s")], .stepByStep, "s", "step by step: how one value is computed", short: "step"),
        KeyBinding([.char("W")], .saveWeights, "W", "save the trained weights (:w W.safetensors)"),
        KeyBinding([.char("o")], .openImage, "o", "open a PGM/PPM image"),
    ])

    static let stepByStep = KeySection<StepAction>(title: "Step by step", bindings: [
        KeyBinding([.up, .char("k")], .up, "← ↑ → ↓", "slide the window to another output cell", short: "slide", shortKey: "←↑→↓"),
        KeyBinding([.down, .char("j")], .down, "↓", "the cell below"),
        KeyBinding([.left, .char("h")], .left, "←", "the cell to the left"),
        KeyBinding([.right, .char("l")], .right, "→", "the cell to the right"),
        KeyBinding([.char("]"), .char(">"), .pageDown], .nextChannel, "] [", "the next / previous output channel", short: "channel", shortKey: "[]"),
        KeyBinding([.char("["), .char("<"), .pageUp], .previousChannel, "[", "the previous output channel"),
        KeyBinding([.tab], .nextInputChannel, "Tab", "a convolution's next input channel", short: "input ch"),
        KeyBinding([.char("s"), .escape, .char("q")], .close, "s Esc", "back to the feature maps", short: "back", shortKey: "Esc"),
    ])

    static let confirmQuit = KeySection<ConfirmAction>(title: "Unsaved changes", bindings: [
        KeyBinding([.char("y"), .char("Y")], .save, "y", "save, then quit", short: "save and quit"),
        KeyBinding([.char("n"), .char("N")], .discard, "n", "quit without saving", short: "quit, don't save"),
        KeyBinding([.escape, .ctrl("c"), .ctrl("g")], .stay, "Esc", "stay (C-c too)", short: "stay"),
    ])

    static let experiment = KeySection<ExperimentAction>(title: "Experiment", bindings: [
        KeyBinding([.enter, .char("s"), .char("r")], .start, "Enter r", "start the race (again)", short: "start"),
        KeyBinding([.char(" "), .char("p")], .pause, "Space", "pause / resume", short: "pause"),
        KeyBinding([.char("x")], .cancel, "x", "cancel the run", short: "cancel"),
        KeyBinding([.tab, .right, .char("l"), .char("v")], .nextPage, "Tab ← →", "curves, results, examples", short: "page", shortKey: "Tab"),
        KeyBinding([.left, .backTab], .previousPage, "←", "the page before"),
        KeyBinding([.down, .char("j")], .scrollDown, "j k", "scroll the notes", short: "scroll", shortKey: "j/k"),
        KeyBinding([.up, .char("k")], .scrollUp, "k", "scroll the notes up"),
        KeyBinding([.char("[")], .learningRateDown, "[ ]", "next run: learning rate down / up", short: "lr", shortKey: "[]"),
        KeyBinding([.char("]")], .learningRateUp, "]", "next run: learning rate up"),
        KeyBinding([.char(","), .char("<")], .batchDown, ", .", "next run: batch size halved / doubled"),
        KeyBinding([.char("."), .char(">")], .batchUp, ".", "next run: batch size doubled"),
        KeyBinding([.char("e")], .epochsDown, "e E", "next run: one epoch fewer / more"),
        KeyBinding([.char("E")], .epochsUp, "E", "next run: one epoch more"),
        KeyBinding([.char("o")], .optimizer, "o", "next run: Adam or SGD"),
        KeyBinding([.char("m")], .momentum, "m", "next run: SGD's momentum (0.9, 0.99, 0, 0.5)"),
        KeyBinding([.char("g")], .gapDown, "g G", "next run: the GAP head's input size down / up"),
        KeyBinding([.char("G")], .gapUp, "G", "next run: the GAP head's input size up"),
        KeyBinding([.char("w")], .saveWeights, "w", "save both heads' weights and models to race-weights/", short: "save"),
    ])

    /// The bindings of a screen, after the global ones.
    static func section(for screen: Screen) -> KeySection<AppAction>? {
        switch screen {
        case .builder, .lesson: return builder
        case .compare: return compare
        case .featureMaps: return featureMaps
        case .experiment: return nil
        }
    }

    /// What `key` does on `screen`: the screen's own binding first, then the global one.
    static func action(for key: Key, on screen: Screen) -> AppAction? {
        section(for: screen)?.action(for: key) ?? global.action(for: key)
    }

    /// The status line's hints on a screen: help and quit first, since a narrow terminal cuts the end.
    static func hints(on screen: Screen, stepByStep: Bool = false) -> [KeyHint] {
        if screen == .featureMaps, stepByStep {
            return Array(global.hints.prefix(1)) + KeyMap.stepByStep.hints
        }
        let here: Screen = screen == .lesson ? .builder : screen
        let g = global.bindings.filter { $0.action != .show(here) }.compactMap(\.hint)
        let own = section(for: screen)?.hints ?? []
        return Array(g.prefix(2)) + own + g.dropFirst(2)
    }

    /// The keys of the command line, for the help and its status line (the ``LineEditor`` handles them).
    static let commandLine = KeySection<AppAction>(title: "Command line", bindings: [
        KeyBinding([.enter], .command, "Enter", "apply; a line with open brackets waits for the rest", short: "apply"),
        KeyBinding([.tab], .command, "Tab", "complete a name; after a full one: its template", short: "complete"),
        KeyBinding([.up], .command, "↑ ↓", "history", short: "history", shortKey: "↑↓"),
        KeyBinding([.escape, .ctrl("c")], .command, "Esc C-c", "close", short: "close"),
    ])

    /// The command line's words, for the help.
    static let commands: [KeyHint] = [
        KeyHint("add LAYER  remove NAME", "add a layer after the selection; remove one by name"),
        KeyHint("replace NAME LAYER", "replace a layer, such as replace flatten GlobalAveragePooling2D()"),
        KeyHint("input 128  head gap", "input size; head gap, max or flatten"),
        KeyHint("base 7,7,512 [N]", "a pasted head whose base is #...: build it on that shape (N classes)"),
        KeyHint("open F.py  image F.ppm", "load a model; a PGM/PPM for the maps"),
        KeyHint("run  new  undo  redo", "forward pass, empty model, history"),
        KeyHint("w [F.py]  w F.pt.py", "save as Keras code (no name: the file opened), as PyTorch code"),
        KeyHint("w F.safetensors", "save the trained weights of the feature maps"),
        KeyHint("q  q!  wq", "quit (asks when there are unsaved changes), quit anyway, save and quit"),
        KeyHint("data DIR  data shapes", "the race's data: MNIST, CIFAR-10 or class folders"),
    ]
}
