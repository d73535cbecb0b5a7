import CNNModel
import Foundation
import Testing

/// The Keras-code parser: what it accepts, and how it reports what it doesn't.
@Suite struct ParserTests {
    func parseError(_ code: String) -> ParseError? {
        do {
            _ = try KerasParser.parse(code)
            return nil
        } catch {
            return error
        }
    }

    @Test func prefixesCommentsTuplesAndTrailingCommas() throws {
        let m = try KerasParser.parse("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        num_classes = 10  # the digits
        model = tf.keras.models.Sequential([
            layers.Input(shape=(28, 28, 1)),   # MNIST
            tf.keras.layers.Conv2D(filters=8, kernel_size=(3, 3), padding="same", use_bias=True),
            keras.layers.MaxPool2D(),
            Flatten(),
            keras.layers.Dropout(rate=.5),
            layers.Dense(num_classes * 2, activation=None),
            layers.Dense(units=num_classes, activation='softmax',),
        ])
        model.summary()
        """)
        #expect(m.inputShape == [28, 28, 1])
        #expect(m.layers.map(\.typeName) == ["Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense", "Dense"])
        #expect(try m.summary().outputShape == [10])
        #expect(try m.summary().layers[4].outputShape == [20])
    }

    @Test func modelAddLinesWithInputShapeOnTheFirstLayer() throws {
        let m = try KerasParser.parse("""
        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
        model.add(layers.GlobalAveragePooling2D())
        model.add(Dense(10, activation="softmax"))
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        history = model.fit(x, y, epochs=5, validation_data=(x_test, y_test))
        """)
        #expect(m.inputShape == [28, 28, 1])
        #expect(try m.summary().totalParams == 320 + 330)
    }

    @Test func misspeltLayerGetsLineColumnCaretAndSuggestion() throws {
        let source = "model = keras.Sequential([\n    keras.Input(shape=(8, 8, 1)),\n    keras.layers.Conv2d(4, 3),\n])"
        let e = try #require(parseError(source))
        #expect(e.line == 3)
        #expect(e.column == 18)
        #expect(e.message.contains("did you mean 'Conv2D'"))
        let rendered = e.rendered(source: source, fileName: "m.py")
        #expect(rendered == """
        m.py:3:18: error: unknown layer 'Conv2d'; did you mean 'Conv2D'?
                keras.layers.Conv2d(4, 3),
                             ^~~~~~
        """)
    }

    @Test func misspeltArgumentGetsSuggestion() throws {
        let e = try #require(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Conv2D(4, 3, kernal_size=3)])"))
        #expect(e.message.contains("did you mean 'kernel_size'"))
        #expect(e.column == 56)
    }

    @Test func missingAndBadArguments() throws {
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Conv2D(4)])")?.message.contains("kernel_size") == true)
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Dense()])")?.message.contains("units") == true)
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Conv2D(4, 3, padding='full')])") != nil)
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Conv2D(4, (3, 3, 3))])") != nil)
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Dense(10, activation='rleu')])")?
            .message.contains("did you mean 'relu'") == true)
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Conv2D(0, 3)])") != nil)
        #expect(parseError("keras.Sequential([Input(shape=(8, 8, 1)), Dense(4, 'relu', True, 1)])") != nil)
    }

    @Test func unbalancedBracketsPointAtTheOpening() throws {
        let e = try #require(parseError("model = keras.Sequential([\n    Dense(3),\n"))
        #expect(e.line == 1)
        #expect(e.column == 26)
        #expect(parseError("keras.Sequential([Dense(3)]))")?.message.contains("unmatched") == true)
    }

    @Test func emptyGarbageAndHugeInputs() throws {
        #expect(parseError("") != nil)
        #expect(parseError("\u{0}\u{1}\u{2}binary") != nil)
        #expect(parseError(String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 167) }, as: UTF8.self)) != nil)
        let huge = String(repeating: "# padding line of a ten megabyte file\n", count: 270_000)
        #expect(parseError(huge)?.message.contains("bytes") == true)
        #expect(parseError("keras.Sequential([Input(shape=(99999999999999999999999,))])") != nil)
    }

    @Test func connectedLayersWithoutAModelAskForKerasModel() throws {
        let e = try #require(parseError("inputs = keras.Input(shape=(8,))\nx = layers.Dense(4)(inputs)\n"))
        #expect(e.message.contains("keras.Model(inputs, outputs)"))
        #expect(e.line == 1)
    }

    @Test func singleLayerAndInputShapeEntry() throws {
        let spec = try KerasParser.parseLayer("layers.Conv2D(32, 3, activation='relu')")
        #expect(spec.kerasCode == "Conv2D(32, (3, 3), activation='relu')")
        #expect(try KerasParser.parseInputShape("224,224,3") == [224, 224, 3])
        #expect(try KerasParser.parseInputShape("(32, 32, 1)") == [32, 32, 1])
        #expect(throws: ParseError.self) { try KerasParser.parseLayer("Conv2D(32,") }
    }

    @Test func kerasCodeRoundTrips() throws {
        let m = try KerasParser.parse(SeedModels.flatten)
        let again = try KerasParser.parse(m.kerasCode)
        #expect(again.inputShape == m.inputShape)
        #expect(try again.summary().totalParams == 11_574_090)
        #expect(again.layers.map(\.kind) == m.layers.map(\.kind))
    }
}
