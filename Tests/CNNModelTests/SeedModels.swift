import CNNModel
import Foundation

/// The seed article's two models, as a code block pasted from it would read.
enum SeedModels {
    static func pasted(_ head: SeedArticle.Head) -> String {
        """
        from tensorflow import keras

        \(SeedArticle.model(head: head).kerasCode)

        model.summary()
        model.compile(loss='sparse_categorical_crossentropy', optimizer=keras.optimizers.Adam(), metrics=['accuracy'])
        """
    }

    static let flatten = pasted(.flatten)
    static let pooling = pasted(.globalAveragePooling)
}
