import CNNModel

/// The two heads the experiment races on the seed article's backbone, scaled
/// to the 32×32×1 shapes; each is Keras code, parsed as a learner's would be.
///
/// The backbone's BatchNormalization layers use momentum 0.9 instead of
/// Keras' 0.99: with 0.99 the moving variance starts at 1, the real one is
/// about 10⁻⁴, and a few hundred steps leave inference mode at chance level.
public enum ExperimentHead: String, CaseIterable, Sendable, Codable {
    /// Flatten → Dropout(0.3) → Dense 64 → Dense 32 → Dense 10.
    case flatten
    /// GlobalAveragePooling2D → Dropout(0.3) → Dense 10.
    case globalPooling = "gap"

    /// A short title for tables and plots.
    public var title: String {
        switch self {
        case .flatten: "Flatten head"
        case .globalPooling: "GAP head"
        }
    }

    /// The model as Keras code, on a `side`×`side`×1 input.
    public func source(side: Int = 32) -> String {
        let head: String
        switch self {
        case .flatten:
            head = """
                keras.layers.Flatten(),
                keras.layers.Dropout(0.3),
                keras.layers.Dense(64, activation='relu'),
                keras.layers.Dense(32, activation='relu'),
                keras.layers.Dense(10, activation='softmax'),
            """
        case .globalPooling:
            head = """
                keras.layers.GlobalAveragePooling2D(),
                keras.layers.Dropout(0.3),
                keras.layers.Dense(10, activation='softmax'),
            """
        }
        return """
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Input(shape=(\(side), \(side), 1)),
            keras.layers.Conv2D(32, (3, 3), activation='relu'),
            keras.layers.Conv2D(32, (3, 3), activation='relu'),
            keras.layers.MaxPooling2D((2, 2), (2, 2)),
            # momentum=0.9, not Keras' 0.99: this run is a few hundred steps, too
            # few for the moving statistics to forget their start at 0 and 1.
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.Conv2D(64, (3, 3), activation='relu'),
            keras.layers.Conv2D(64, (3, 3), activation='relu'),
            keras.layers.MaxPooling2D((2, 2), (2, 2)),
            keras.layers.BatchNormalization(momentum=0.9),
        \(head)
        ])
        """
    }

    /// The parsed model.
    public func model(side: Int = 32) throws(ExperimentError) -> Model {
        let text = source(side: side)
        do {
            return try KerasParser.parse(text)
        } catch {
            throw ExperimentError("the \(title)'s Keras code does not parse:\n" + error.rendered(source: text))
        }
    }
}

/// Why the experiment can't run: the message says what went wrong.
public struct ExperimentError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
