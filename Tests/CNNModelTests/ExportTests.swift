import CNNModel
import Testing

/// Keras and PyTorch exports.
@Suite struct ExportTests {
    @Test func pyTorchFillsInChannelsAndFeatures() throws {
        let code = try KerasParser.parse(SeedModels.flatten).summary().pyTorchCode
        #expect(code.contains("nn.Conv2d(3, 32, kernel_size=3),"))
        #expect(code.contains("nn.Linear(179776, 64),"))
        #expect(code.contains("nn.BatchNorm2d(64, eps=0.001, momentum=0.0100),"))
        #expect(code.contains("Lambda(lambda x: channels_last(x).flatten(1)),  # Keras flattens (H, W, C)"))
    }

    @Test func tfSamePaddingWithStridesBecomesExplicitPadding() throws {
        let m = try KerasParser.parse("keras.Sequential([Input(shape=(17, 15, 2)), Conv2D(6, 3, strides=2, padding='same')])")
        // out 9×8: total padding 2 rows (1, 1) and 2 columns (1, 1) → symmetric
        #expect(try m.summary().pyTorchCode.contains("nn.Conv2d(2, 6, kernel_size=3, stride=2, padding=1)"))
        let even = try KerasParser.parse("keras.Sequential([Input(shape=(16, 16, 2)), Conv2D(6, 3, strides=2, padding='same')])")
        // out 8: total (8−1)·2 + 3 − 16 = 1 → (0 before, 1 after)
        #expect(try even.summary().pyTorchCode.contains("nn.ZeroPad2d((0, 1, 0, 1))"))
    }

    @Test func denseOnAMapIsAOneByOneConvolution() throws {
        let m = try KerasParser.parse("keras.Sequential([Input(shape=(9, 9, 4)), Dense(5)])")
        #expect(try m.summary().pyTorchCode.contains("nn.Conv2d(4, 5, kernel_size=1),"))
    }

    /// Keras expands a merge's lower-rank input at axis 1 ((N, C) → (N, 1, 1, C)); in NCHW that is after the channels.
    @Test func aLowerRankMergeInputIsExpandedAfterTheChannels() throws {
        let m = try KerasParser.parse("""
            inputs = keras.Input(shape=(6, 6, 4))
            v = layers.GlobalAveragePooling2D()(inputs)
            x = layers.Multiply()([inputs, v])
            model = keras.Model(inputs, x)
            """)
        #expect(try m.summary().pyTorchCode.contains("x1 = x * x0.unsqueeze(2).unsqueeze(2)"))
    }
}
