import CNNModel
import Testing

/// The Python around a model: variables, skipped statements, functions, loops, call values, the functional API.
@Suite struct PythonLanguageTests {
    func parseError(_ code: String) -> ParseError? {
        do { _ = try KerasParser.parse(code); return nil } catch { return error }
    }

    @Test func undefinedNameInALayerKeepsLineColumnAndCaret() throws {
        let e = try #require(parseError("import keras\nx = undefined_thing + 1\nmodel = keras.Sequential([\n"
                                        + "    keras.Input(shape=(4,)),\n    keras.layers.Dense(n_classes),\n])"))
        #expect(e.line == 5)
        #expect(e.column == 24)
        #expect(e.message == "'n_classes' is not defined; give a number, a string or a tuple")
    }

    @Test func aValueFromSkippedCodeIsNamedWhereALayerUsesIt() throws {
        let e = try #require(parseError("import numpy as np\nunits = np.argmax([1, 2])\n"
                                        + "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(units)])"))
        #expect(e.line == 3)
        #expect(e.message.contains("'units', which line 2 sets with code cnn-tutor doesn't run"))
    }

    /// An augmentation block the model never calls is skipped, whatever it holds;
    /// once the model calls it, its own error comes back, at its own line and column.
    @Test func aBlockTheModelDoesntUseIsSkippedUntilItIsUsed() throws {
        let block = "augment = keras.Sequential([layers.RandomCutout(0.5)])\n"
            + "inputs = keras.Input(shape=(8, 8, 1))\n"
        let unused = try KerasParser.parse(block + "x = layers.Conv2D(4, 3)(inputs)\nmodel = keras.Model(inputs, x)")
        #expect(unused.layers.map(\.typeName) == ["Conv2D"])
        let e = try #require(parseError(block + "x = augment(inputs)\nx = layers.Conv2D(4, 3)(x)\nmodel = keras.Model(inputs, x)"))
        #expect(e.line == 1)
        #expect(e.column == 36)
        #expect(e.message.hasPrefix("unknown layer 'RandomCutout'"))
    }

    @Test func arithmeticFollowsPythonPrecedence() throws {
        let m = try KerasParser.parse("a = 2 * 3 ** 2\nb = -2 ** 2\nc = 7 // 2 + 7 % 3\n"
                                      + "model = keras.Sequential([keras.Input(shape=(4,)), Dense(a), Dense(-b), Dense(c)])")
        #expect(m.layers.map(\.kerasCode) == ["Dense(18)", "Dense(4)", "Dense(4)"])
    }

    @Test func callValuesAreKeptForTheExports() throws {
        let m = try KerasParser.parse("from tensorflow.keras import regularizers\nmodel = keras.Sequential([keras.Input(shape=(4,)), "
                                      + "Dense(3, kernel_regularizer=regularizers.l2(0.01), kernel_initializer='he_normal')])")
        #expect(m.layers[0].kerasCode
                == "Dense(3, kernel_regularizer=keras.regularizers.l2(0.01), kernel_initializer='he_normal')")
        let torch = try m.summary().pyTorchCode
        #expect(torch.contains("# not mapped: kernel_regularizer=keras.regularizers.l2(0.01)"))
    }

    static let residual = """
    inputs = keras.Input(shape=(8, 8, 4))
    x = layers.Conv2D(4, 3, padding="same")(inputs)
    x = layers.Add()([x, inputs])
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    """

    @Test func functionalSummaryHasConnectedToAndExportsRoundTrip() throws {
        let m = try KerasParser.parse(Self.residual)
        let s = try m.summary()
        #expect(s.connectedTo(1) == ["conv2d[0][0]", "input_layer[0][0]"])
        #expect(s.table.contains("Connected to"))
        #expect(s.table.contains("input_layer (InputLayer)"))
        let again = try KerasParser.parse(m.kerasCode)
        #expect(try again.summary().json == s.json)
        let torch = s.pyTorchCode
        #expect(torch.contains("class Model(nn.Module)"))
        #expect(torch.contains("x1 = x0 + x  # add"))
    }

    @Test func aChainOfFunctionalLayersPrintsNoConnectedTo() throws {
        let s = try KerasParser.parse("inputs = keras.Input(shape=(4,))\nmodel = keras.Model(inputs, layers.Dense(2)(inputs))").summary()
        #expect(!s.table.contains("Connected to"))
        #expect(s.json.contains("\"name\":\"input_layer\",\"type\":\"InputLayer\""))
    }

    @Test func refusalsSayWhy() throws {
        let two = try #require(parseError("a = keras.Input(shape=(4,))\nb = keras.Input(shape=(4,))\n"
                                          + "x = layers.Add()([a, b])\nmodel = keras.Model([a, b], x)"))
        #expect(two.message.contains("2 inputs is not supported"))
        #expect(two.line == 4)
        let shared = try #require(parseError("i = keras.Input(shape=(4,))\nd = layers.Dense(4)\nx = d(i)\ny = d(x)\n"
                                             + "model = keras.Model(i, y)"))
        #expect(shared.message.contains("shared layer"))
        #expect(shared.line == 4)
        let arithmetic = try #require(parseError("i = keras.Input(shape=(4,))\nx = layers.Dense(4)(i)\ny = x + i\n"
                                                 + "model = keras.Model(i, y)"))
        #expect(arithmetic.message.contains("layers.Add()([x, y])"))
        let loop = try #require(parseError("model = keras.Sequential()\nn = 0\nwhile n < 2:\n    model.add(Dense(2))\n    n += 1"))
        #expect(loop.message.contains("while loop"))
    }

    @Test func functionsLoopsAndConditionalsBuildLayers() throws {
        let m = try KerasParser.parse("""
        def make(widths, classes=3):
            model = keras.Sequential([keras.Input(shape=(8,))])
            for i, w in enumerate(widths):
                if i % 2 == 0:
                    model.add(layers.Dense(w, name=f"dense_{i}"))
                else:
                    continue
            model.add(layers.Dense(classes))
            return model

        model = make([4, 5, 6])
        """)
        #expect(m.layerNames == ["dense_0", "dense_2", "dense"])
        #expect(try m.summary().totalParams == 36 + 30 + 21)
    }
}

/// The article's own blocks: `#...` for the base, then the head.
@Suite struct ElidedBaseTests {
    static let vggHead = "#...\nmodel.add(keras.layers.Flatten())\nmodel.add(keras.layers.Dense(4096, activation='relu'))\n"
        + "model.add(keras.layers.Dense(4096, activation='relu'))\nmodel.add(keras.layers.Dense(n_classes, activation='softmax'))\n"

    @Test func withoutAShapeTheErrorSaysTheBaseIsLeftOut() throws {
        do {
            _ = try KerasParser.parse(Self.vggHead)
            Issue.record("a head without its base was read")
        } catch {
            #expect(error.line == 1)
            #expect(error.message.contains("(7, 7, 512)"))
        }
    }

    @Test func theHeadIsBuiltOnTheChosenShapeWithANoteOnTheClasses() throws {
        let (model, notes) = try KerasParser.parseHead(Self.vggHead, inputShape: [7, 7, 512])
        // 25,088 × 4,096 + 4,096, then 4,096 × 4,096 + 4,096, then 4,096 × 10 + 10.
        #expect(try model.summary().totalParams == 102_764_544 + 16_781_312 + 40_970)
        #expect(notes.contains { $0.contains("`n_classes`") && $0.contains("10 classes assumed") })
        let gap = "#...\nx = keras.layers.GlobalAveragePooling2D()(x)\noutputs = keras.layers.Dense(n_classes, activation='softmax')(x)\n"
        let (head, _) = try KerasParser.parseHead(gap, inputShape: [14, 14, 512], classes: 5)
        #expect(try head.summary().totalParams == 512 * 5 + 5)
    }
}
