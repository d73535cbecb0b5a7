import CNNModel

/// The whole state of the app: one value, owned by the loop that calls ``update(_:_:)``.
public struct AppState: Sendable {
    // MARK: - The model
    public internal(set) var model: Model
    /// Shapes, counts and the comparison derived from `model`.
    public internal(set) var derived = Derived()
    /// The file the model came from, for the title bar; `:w` with no name saves to it.
    public var fileName: String?
    /// The revision last saved (or opened): `q` asks first when the model changed since.
    public internal(set) var savedRevision = 0
    /// True while `q` asks whether to save the changes first (y/n/Esc).
    public internal(set) var confirmingQuit = false
    /// Set when a save was asked for on the way out: quit once it is written.
    var quitAfterSave = false
    /// Counts model edits; tells a finished forward pass whether it is stale.
    public internal(set) var revision = 0
    var undoStack: [Model] = []
    var redoStack: [Model] = []
    /// The head replaced by the last head switch, so switching back restores it exactly.
    var stashedHeads: [HeadKind: [LayerSpec]] = [:]
    /// The last pasted block whose base is elided (`#...`), for `:base H,W,C`.
    var elidedSource: String?

    // MARK: - What is on screen
    public internal(set) var screen: Screen = .builder
    public internal(set) var showHelp = false
    /// The selected table row: 0 is the input, `i + 1` is layer `i`.
    public internal(set) var selection = 0
    var tableScroll = 0
    public internal(set) var showDetail = false
    /// The pooling the compare screen puts against Flatten.
    public internal(set) var comparePooling: HeadKind = .globalAverage
    /// A lesson's own Flatten model: when the builder's model pools, the compare
    /// screen's Flatten side takes this model's head (``LessonState/compareFlatten``).
    public internal(set) var compareFlatten: Model?
    public internal(set) var features = FeatureMapsState()
    public internal(set) var experiment = ExperimentState()
    public internal(set) var lesson: LessonPane?
    var helpScroll = 0

    // MARK: - Command line and messages
    public internal(set) var prompt: Prompt?
    public internal(set) var editor = LineEditor()
    public internal(set) var message: StatusMessage?
    /// Candidates of the last Tab that had more than one.
    public internal(set) var completions: [String] = []

    // MARK: - Terminal
    public internal(set) var width: Int
    public internal(set) var height: Int
    public internal(set) var caps: Capabilities
    /// Set by `q`, Ctrl-C or `:quit`: the exit status the loop should return.
    public internal(set) var exitCode: Int32?
    /// Ticks seen, for the spinner.
    public internal(set) var ticks = 0

    /// The smallest terminal the views fit in.
    public static let minimumWidth = 60
    public static let minimumHeight = 18

    /// A new app on a model, for a terminal of the given size and capabilities.
    public init(model: Model = Model(inputShape: [224, 224, 3]), width: Int = 80, height: Int = 24,
                caps: Capabilities = .full, fileName: String? = nil) {
        self.model = model
        self.width = width
        self.height = height
        self.caps = caps
        self.fileName = fileName
        if model.inputShape == nil { self.model.inputShape = [224, 224, 3] }
        rederive()
    }

    public var theme: Theme { Theme(caps) }
    /// True when the model changed since it was opened or saved.
    public var hasUnsavedChanges: Bool { revision != savedRevision }
    public var tooSmall: Bool { width < AppState.minimumWidth || height < AppState.minimumHeight }
    /// The number of table rows: the input and each layer.
    public var rowCount: Int { model.layers.count + 1 }
    /// The selected layer's index, or nil when the input row is selected.
    public var selectedLayer: Int? { selection > 0 ? selection - 1 : nil }
    /// The total parameter count, or nil when the model can't be built.
    public var totalParams: Int? { derived.summary?.totalParams }

    /// Recomputes shapes and counts after the model or the input changed.
    mutating func rederive() {
        do {
            derived.summary = try model.summary()
            derived.error = nil
        } catch let e {
            derived.summary = nil
            derived.error = e
        }
        derived.compare = screen == .compare ? Comparison.make(model, pooling: comparePooling, flattenReference: compareFlatten) : nil
        selection = min(selection, rowCount - 1)
    }

    /// Changes the model, keeping the old one for undo.
    mutating func commit(_ newModel: Model) {
        guard newModel != model else { return }
        undoStack.append(model)
        if undoStack.count > 200 { undoStack.removeFirst() }
        redoStack.removeAll()
        model = newModel
        revision += 1
        rederive()
    }
}
