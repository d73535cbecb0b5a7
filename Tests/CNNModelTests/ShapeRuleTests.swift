import CNNModel
import Testing

/// Each layer's shape rule and parameter count, on hand-checked cases.
@Suite struct ShapeRuleTests {
    func summary(_ code: String) throws -> ModelSummary {
        try KerasParser.parse(code).summary()
    }

    func row(_ input: String, _ layer: String) throws -> LayerSummary {
        try summary("keras.Sequential([keras.Input(shape=\(input)), keras.layers.\(layer)])").layers[0]
    }

    @Test func seedFlattenModelMatchesTheArticle() throws {
        let s = try summary(SeedModels.flatten)
        #expect(s.totalParams == 11_574_090)
        #expect(s.nonTrainableParams == 192)
        #expect(s.layers.map(\.name) == ["conv2d", "conv2d_1", "max_pooling2d", "batch_normalization", "conv2d_2",
                                         "conv2d_3", "max_pooling2d_1", "batch_normalization_1", "flatten", "dropout",
                                         "dense", "dense_1", "dense_2"])
        #expect(s.layers[8].outputShape == [179_776])
    }

    @Test func seedPoolingModelMatchesTheArticle() throws {
        #expect(try summary(SeedModels.pooling).totalParams == 66_602)
    }

    @Test func flattenGrowsWithTheInputWhilePoolingDoesNot() throws {
        let flatten = try KerasParser.parse(SeedModels.flatten), pooling = try KerasParser.parse(SeedModels.pooling)
        let small = try flatten.summary(inputShape: [64, 64, 3]).totalParams
        let large = try flatten.summary(inputShape: [128, 128, 3]).totalParams
        #expect(large > small * 3)
        #expect(try pooling.summary(inputShape: [64, 64, 3]).totalParams == pooling.summary(inputShape: [512, 512, 3]).totalParams)
    }

    @Test func convValidAndSame() throws {
        #expect(try row("(224, 224, 3)", "Conv2D(32, 3)").outputShape == [222, 222, 32])
        #expect(try row("(224, 224, 3)", "Conv2D(32, 3)").params == 896)
        #expect(try row("(224, 224, 3)", "Conv2D(32, 3, padding='same')").outputShape == [224, 224, 32])
    }

    @Test func sameWithStrideThreeOnOddSizes() throws {
        // ceil(7/3) = 3, ceil(10/3) = 4
        #expect(try row("(7, 10, 2)", "Conv2D(4, 3, strides=3, padding='same')").outputShape == [3, 4, 4])
        // valid: floor((7-3)/3)+1 = 2, floor((10-3)/3)+1 = 3
        #expect(try row("(7, 10, 2)", "Conv2D(4, 3, strides=3)").outputShape == [2, 3, 4])
        #expect(try row("(7, 10, 2)", "MaxPooling2D(3, strides=3, padding='same')").outputShape == [3, 4, 2])
    }

    @Test func dilation() throws {
        // a 5-wide kernel dilated by 2 spans 9: 20 - 9 + 1 = 12
        #expect(try row("(20, 20, 1)", "Conv2D(8, 5, dilation_rate=2)").outputShape == [12, 12, 8])
        #expect(try row("(20, 20, 1)", "Conv2D(8, 5, dilation_rate=2)").receptiveField == .spatial(size: [9, 9], jump: [1, 1]))
    }

    @Test func oneAndThreeDimensions() throws {
        #expect(try row("(40, 3)", "Conv1D(8, 5)").outputShape == [36, 8])
        #expect(try row("(40, 3)", "Conv1D(8, 5)").params == 5 * 3 * 8 + 8)
        #expect(try row("(40, 3)", "Conv1D(8, 5, padding='causal', strides=2)").outputShape == [20, 8])
        #expect(try row("(6, 8, 8, 2)", "Conv3D(4, 3)").outputShape == [4, 6, 6, 4])
        #expect(try row("(6, 8, 8, 2)", "Conv3D(4, 3)").params == 27 * 2 * 4 + 4)
        #expect(try row("(6, 8, 8, 2)", "GlobalMaxPooling3D(keepdims=True)").outputShape == [1, 1, 1, 2])
        #expect(try row("(40, 3)", "GlobalAveragePooling1D()").outputShape == [3])
    }

    @Test func depthwiseWithMultiplierTwo() throws {
        let r = try row("(12, 12, 3)", "DepthwiseConv2D(3, depth_multiplier=2, padding='same')")
        #expect(r.outputShape == [12, 12, 6])
        #expect(r.params == 3 * 3 * 3 * 2 + 6)
        #expect(r.weights.map(\.shape) == [[3, 3, 3, 2], [6]])
    }

    @Test func separable() throws {
        let r = try row("(12, 12, 6)", "SeparableConv2D(8, 3, depth_multiplier=2)")
        #expect(r.outputShape == [10, 10, 8])
        #expect(r.params == 3 * 3 * 6 * 2 + 12 * 8 + 8)
    }

    @Test func denseOnAFourDimensionalMap() throws {
        let r = try row("(9, 9, 4)", "Dense(5)")
        #expect(r.outputShape == [9, 9, 5])
        #expect(r.params == 4 * 5 + 5)
        #expect(r.multAdds == 81 * 4 * 5)
    }

    @Test func batchNormHasHalfItsWeightsNonTrainable() throws {
        let r = try row("(7, 7, 32)", "BatchNormalization()")
        #expect(r.params == 128)
        #expect(r.nonTrainableParams == 64)
        #expect(try row("(7, 7, 32)", "LayerNormalization()").params == 64)
    }

    @Test func globalPoolingGivesOneValuePerChannel() throws {
        #expect(try row("(7, 7, 32)", "GlobalAveragePooling2D()").outputShape == [32])
        #expect(try row("(7, 7, 32)", "Flatten()").outputShape == [1568])
    }

    @Test func zeroPaddingForms() throws {
        #expect(try row("(9, 9, 4)", "ZeroPadding2D((1, 2))").outputShape == [11, 13, 4])
        #expect(try row("(9, 9, 4)", "ZeroPadding2D(((1, 0), (2, 3)))").outputShape == [10, 14, 4])
        #expect(try row("(9, 9, 4)", "ZeroPadding2D()").outputShape == [11, 11, 4])
    }

    @Test func poolingRefusesAZeroSizedAxis() throws {
        // Keras 3.15 refuses a 'valid' pooling as soon as one axis comes out zero (checked in real Keras).
        #expect(throws: ModelError.self) { try row("(1, 5, 2)", "MaxPooling2D(2)") }
        #expect(throws: ModelError.self) { try row("(4, 4, 1)", "MaxPooling2D(5, strides=1)") }
        #expect(throws: ModelError.self) { try row("(1, 1, 2)", "MaxPooling2D(3, strides=1)") }
        #expect(try row("(4, 4, 1)", "MaxPooling2D(4, strides=1)").outputShape == [1, 1, 1])
        #expect(try row("(1, 5, 2)", "MaxPooling2D(2, padding='same')").outputShape == [1, 3, 2])
    }

    @Test func autoNamesFollowKeras() {
        #expect(KerasNaming.snakeCase("ReLU") == "re_lu")
        #expect(KerasNaming.snakeCase("GlobalAveragePooling2D") == "global_average_pooling2d")
        #expect(KerasNaming.snakeCase("DepthwiseConv2D") == "depthwise_conv2d")
        #expect(KerasNaming.snakeCase("SpatialDropout2D") == "spatial_dropout2d")
    }

    @Test func explicitNamesOverrideAndMustBeUnique() throws {
        let m = try KerasParser.parse("keras.Sequential([keras.Input(shape=(8,)), Dense(4, name='a'), Dense(2)])")
        #expect(m.layerNames == ["a", "dense"])
        let dup = try KerasParser.parse("keras.Sequential([keras.Input(shape=(8,)), Dense(4, name='x'), Dense(2, name='x')])")
        #expect(throws: ModelError.self) { try dup.summary() }
    }
}

@Test func benchmarkModelHasThirtyLayers() throws {
    #expect(try KerasParser.parse(BenchmarkModels.thirtyLayers).summary().layers.count == 30)
}

/// The one window geometry: output sizes and Keras' 'same' and 'causal' padding.
@Suite struct WindowAxisTests {
    @Test func validKeepsTheWindowInside() {
        let w = WindowAxis(input: 224, kernel: 3, stride: 1, padding: .valid)
        #expect((w.span, w.output, w.padBefore, w.padAfter) == (3, 222, 0, 0))
        #expect(WindowAxis(input: 17, kernel: 3, stride: 2, padding: .valid).output == 8)
        #expect(WindowAxis(input: 2, kernel: 3, stride: 2, padding: .valid).output == 0)
        #expect(WindowAxis(input: 9, kernel: 3, stride: 1, dilation: 4, padding: .valid).output == 1)
    }

    /// TensorFlow pads 'same' to ⌈in/s⌉ outputs, the odd cell after.
    @Test func samePadsTheOddCellAfter() {
        let even = WindowAxis(input: 17, kernel: 3, stride: 2, padding: .same)
        #expect((even.output, even.padBefore, even.padAfter) == (9, 1, 1))
        let odd = WindowAxis(input: 16, kernel: 3, stride: 2, padding: .same)
        #expect((odd.output, odd.padBefore, odd.padAfter) == (8, 0, 1))
        let wide = WindowAxis(input: 10, kernel: 5, stride: 1, dilation: 2, padding: .same)
        #expect((wide.span, wide.output, wide.padBefore, wide.padAfter) == (9, 10, 4, 4))
        #expect(WindowAxis(input: 4, kernel: 1, stride: 3, padding: .same).padAfter == 0)
    }

    @Test func causalPadsBeforeOnly() {
        let w = WindowAxis(input: 40, kernel: 3, stride: 1, dilation: 2, padding: .causal)
        #expect((w.output, w.padBefore, w.padAfter) == (40, 4, 0))
    }
}
