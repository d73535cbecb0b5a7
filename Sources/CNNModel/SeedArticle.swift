/// The seed article's model: two conv blocks, then a Flatten head or a global-pooling head.
///
/// At 224×224×3 the Flatten head gives 11,574,090 parameters (192 of them
/// non-trainable) and the global-average-pooling head 66,602.
public enum SeedArticle {
    /// Which ending the backbone gets.
    public enum Head: Sendable, Hashable {
        /// Flatten → Dropout(0.3) → Dense 64 → Dense 32 → Dense classes.
        case flatten
        /// GlobalAveragePooling2D → Dropout(0.3) → Dense classes.
        case globalAveragePooling
    }

    /// The model on an input shape (the article's is 224×224×3).
    public static func model(head: Head, inputShape: [Int] = [224, 224, 3], classes: Int = 10) -> Model {
        func conv(_ filters: Int) -> LayerSpec {
            LayerSpec(.conv(Convolution(filters: filters, kernel: [3, 3], activation: .relu)))
        }
        let pool = LayerSpec(.pool(Pooling(op: .max, poolSize: [2, 2], strides: [2, 2])))
        let dropout = LayerSpec(.dropout(rate: 0.3, spatialRank: nil, seed: nil))
        var layers = [conv(32), conv(32), pool, LayerSpec(.batchNorm(BatchNorm())),
                      conv(64), conv(64), pool, LayerSpec(.batchNorm(BatchNorm()))]
        switch head {
        case .flatten:
            layers += [LayerSpec(.flatten), dropout,
                       LayerSpec(.dense(Dense(units: 64, activation: .relu))),
                       LayerSpec(.dense(Dense(units: 32, activation: .relu))),
                       LayerSpec(.dense(Dense(units: classes, activation: .softmax)))]
        case .globalAveragePooling:
            layers += [LayerSpec(.globalPool(GlobalPooling(op: .average, rank: 2))), dropout,
                       LayerSpec(.dense(Dense(units: classes, activation: .softmax)))]
        }
        return Model(inputShape: inputShape, layers: layers)
    }
}
