import Foundation
/// The seed article's two models, as it prints them.
enum SeedModels {
    static let flatten = """
    from tensorflow import keras

    model = keras.Sequential([
        keras.layers.Input(shape=(224, 224, 3)),
        keras.layers.Conv2D(32, (3, 3), activation='relu'),
        keras.layers.Conv2D(32, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2), (2, 2)),
        keras.layers.BatchNormalization(),
        keras.layers.Conv2D(64, (3, 3), activation='relu'),
        keras.layers.Conv2D(64, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2), (2, 2)),
        keras.layers.BatchNormalization(),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(64, activation='relu'),
        keras.layers.Dense(32, activation='relu'),
        keras.layers.Dense(10, activation='softmax')
    ])

    model.summary()
    model.compile(loss='sparse_categorical_crossentropy', optimizer=keras.optimizers.Adam(), metrics=['accuracy'])
    """

    static let pooling = flatten
        .replacingOccurrences(of: "keras.layers.Flatten()", with: "keras.layers.GlobalAveragePooling2D()")
        .replacingOccurrences(of: "    keras.layers.Dense(64, activation='relu'),\n", with: "")
        .replacingOccurrences(of: "    keras.layers.Dense(32, activation='relu'),\n", with: "")
}
