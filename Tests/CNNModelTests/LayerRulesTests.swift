import CNNModel
import Testing

/// The rules of issue 12's layer half that the Keras reference cases alone don't
/// show: where a refusal points, what an export says, how the builder's data changes.
@Suite struct LayerRulesTests {
    func parseError(_ code: String) -> ParseError? {
        do { _ = try KerasParser.parse(code); return nil } catch { return error }
    }

    @Test func frozenLayersCountAsNonTrainable() throws {
        let m = try KerasParser.parse("keras.Sequential([keras.Input(shape=(8, 8, 3)), Conv2D(8, 3, trainable=False), "
                                      + "BatchNormalization(trainable=False), Flatten(), Dense(2)])")
        let s = try m.summary()
        #expect(s.layers[0].nonTrainableParams == 224 && s.layers[0].trainableParams == 0)
        #expect(s.layers[1].nonTrainableParams == 32)
        #expect(s.trainableParams == 578)
        #expect(m.layers[0].kerasCode == "Conv2D(8, (3, 3), trainable=False)")
        #expect(s.pyTorchCode.contains("model[0].requires_grad_(False)  # conv2d: trainable=False"))
        var thawed = m
        thawed.layers[0].trainable = true
        #expect(try thawed.summary().layers[0].trainableParams == 224)
        #expect(parseError("keras.Sequential([keras.Input(shape=(4,)), Dense(2, trainable=0)])") != nil)
    }

    @Test func lenientValuesAreRefusedWhereWritten() throws {
        let e = try #require(parseError("keras.Sequential([\n  keras.Input(shape=(4,)),\n  Dense(10.0)])"))
        #expect(e.line == 3 && e.column == 9)
        #expect(e.message.contains("integer"))
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 1)), Conv2D(8.0, 3)])") != nil)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 1)), Conv2D(8, 3, strides=2.0)])") != nil)
        let relu = try #require(parseError("keras.Sequential([keras.Input(shape=(4,)), Dense(10, activation='Relu')])"))
        #expect(relu.message.contains("'relu'"))
        let shape = try #require(parseError("keras.Sequential([keras.Input(shape=784), Dense(10)])"))
        #expect(shape.message.contains("(784,)"))
        let name = try #require(parseError("keras.Sequential([keras.Input(shape=(4,)), Dense(10, name='conv/1')])"))
        #expect(name.message.contains("/"))
        #expect(try KerasParser.parse("keras.Sequential([keras.Input(shape=(4,)), Dense(10, activation='relu')])").layers.count == 1)
    }

    @Test func averagePoolingNeedsAPoolSizeAndSpatialDropoutNoInputShape() throws {
        let avg = try #require(parseError("keras.Sequential([keras.Input(shape=(8, 8, 1)), AveragePooling2D()])"))
        #expect(avg.message.contains("pool_size"))
        #expect(try KerasParser.parse("keras.Sequential([keras.Input(shape=(8, 8, 1)), MaxPooling2D()])").summary()
            .layers[0].outputShape == [4, 4, 1])
        let drop = try #require(parseError("keras.Sequential([SpatialDropout2D(0.2, input_shape=(8, 8, 3))])"))
        #expect(drop.message.contains("TypeError"))
        #expect(drop.column == 41)
    }

    @Test func axesAreCountedWithTheBatch() throws {
        func params(_ layer: String) throws -> Int {
            try KerasParser.parse("keras.Sequential([keras.Input(shape=(6, 5, 3)), \(layer)])").summary().totalParams
        }
        #expect(try params("BatchNormalization(axis=3)") == params("BatchNormalization()"))
        #expect(try params("BatchNormalization(axis=1)") == 24)
        #expect(try params("LayerNormalization(axis=(1, 2))") == 60)
        #expect(try params("LayerNormalization(axis=[-2, -1])") == 30)
        #expect(throws: ModelError.self) { try params("LayerNormalization(axis=(1, 1))") }
        #expect(throws: ModelError.self) { try params("LayerNormalization(axis=(-1, 1))") }
        #expect(throws: ModelError.self) { try params("BatchNormalization(axis=0)") }
        #expect(parseError("keras.Sequential([keras.Input(shape=(6, 5, 3)), BatchNormalization(axis=[1, 2])])") != nil)
        #expect(try KerasParser.parse("keras.Sequential([keras.Input(shape=(6, 5, 3)), Softmax(axis=(1, 2))])")
            .layers[0].kerasCode == "Softmax(axis=(1, 2))")
    }

    @Test func fixedBatchShowsInTheSummary() throws {
        let s = try KerasParser.parse("keras.Sequential([keras.Input(shape=(4,), batch_size=32), Dense(3)])").summary()
        #expect(s.batchSize == 32)
        #expect(s.json.contains("\"output_shape\":[32,3]"))
        #expect(s.table.contains("(32, 3)"))
        let m = try KerasParser.parse("keras.Sequential([keras.Input(shape=(4,), batch_size=32), Dense(3)])")
        #expect(m.kerasCode.contains("keras.Input(shape=(4,), batch_size=32)"))
        #expect(try KerasParser.parse("keras.Sequential([keras.Input(shape=(4,)), Dense(3)])").summary().json
            .contains("\"output_shape\":[null,3]"))
    }

    @Test func zeroPadding1DTakesLeftAndRight() throws {
        let s = try KerasParser.parse("keras.Sequential([keras.Input(shape=(10, 2)), ZeroPadding1D((1, 3))])").summary()
        #expect(s.layers[0].outputShape == [14, 2])
        #expect(parseError("keras.Sequential([keras.Input(shape=(10, 2)), ZeroPadding1D(((1, 3),))])") != nil)
        #expect(s.layers[0].spec.kerasCode == "ZeroPadding1D((1, 3))")
    }
}
