/// Models the benchmarks and the app's performance figures are measured on.
public enum BenchmarkModels {
    /// A 30-layer VGG-style model on 224×224×3, as Keras source: the size of
    /// model the builder re-derives on every keystroke.
    public static let thirtyLayers: String = {
        var lines = ["model = keras.Sequential([", "    keras.Input(shape=(224, 224, 3)),"]
        var filters = 16
        for block in 0..<5 {
            lines.append("    keras.layers.Conv2D(\(filters), (3, 3), padding='same', activation='relu'),")
            lines.append("    keras.layers.Conv2D(\(filters), (3, 3), padding='same', activation='relu'),")
            lines.append("    keras.layers.BatchNormalization(),")
            lines.append("    keras.layers.MaxPooling2D((2, 2)),")
            lines.append("    keras.layers.Dropout(0.1),")
            if block < 4 { filters *= 2 }
        }
        lines += ["    keras.layers.Flatten(),", "    keras.layers.Dense(256, activation='relu'),",
                  "    keras.layers.Dense(64, activation='relu'),", "    keras.layers.Dropout(0.3),", "    keras.layers.Dense(10, activation='softmax'),", "])"]
        return lines.joined(separator: "\n")
    }()
}
