import CNNModel
import Testing

/// Keras' preprocessing and augmentation layers: their shapes, refusals, names and exports,
/// beyond what the reference cases (`keras-augmentation-*`, `keras-resizing-options`) check.
@Suite struct PreprocessingLayerTests {
    func parseError(_ code: String) -> ParseError? {
        do { _ = try KerasParser.parse(code); return nil } catch { return error }
    }

    @Test func augmentationIsTheIdentityShapeAndHasNoWeights() throws {
        let m = try KerasParser.parse("keras.Sequential([keras.Input(shape=(20, 30, 3)), RandomFlip('horizontal'), "
                                      + "RandomRotation(0.1), RandomZoom(0.2, 0.1), RandomTranslation(0.1, 0.2), "
                                      + "RandomContrast(0.3), RandomBrightness(0.2)])")
        let s = try m.summary()
        #expect(s.layers.map(\.outputShape) == Array(repeating: [20, 30, 3], count: 6))
        #expect(s.totalParams == 0)
        #expect(s.layers.map(\.name) == ["random_flip", "random_rotation", "random_zoom", "random_translation",
                                          "random_contrast", "random_brightness"])
        #expect(m.layers[2].kerasCode == "RandomZoom(height_factor=0.2, width_factor=0.1)")
        #expect(s.pyTorchCode.contains("nn.Identity(),  # not mapped: RandomFlip"))
    }

    @Test func resizingAndCropsFollowKerasGeometry() throws {
        let crop = ImageResize(.centerCrop, height: 4, width: 6)
        let g = crop.geometry(height: 9, width: 11)
        #expect(g.rows.start == 2 && g.rows.length == 4 && g.columns.start == 2 && !g.resample)
        // Smaller than the target: smart_resize's centred window of the target's aspect ratio, resized.
        let up = ImageResize(.centerCrop, height: 12, width: 6).geometry(height: 10, width: 10)
        #expect(up.resample && up.rows.length == 10 && up.columns.length == 5 && up.columns.start == 2)
        let pad = ImageResize(.resizing, height: 10, width: 30, padToAspectRatio: true).geometry(height: 30, width: 40)
        #expect(pad.columns.padding == 25 && pad.rows.padding == 0)
        let m = try KerasParser.parse("keras.Sequential([keras.Input(shape=(30, 40, 3)), Resizing(16, 12), CenterCrop(8, 6), "
                                      + "RandomCrop(5, 5), Flatten()])")
        #expect(try m.summary().layers.map(\.outputShape) == [[16, 12, 3], [8, 6, 3], [5, 5, 3], [75]])
        let torch = try m.summary().pyTorchCode
        #expect(torch.contains("nn.Upsample(size=(16, 12), mode='bilinear', align_corners=False)"))
        #expect(torch.contains("Lambda(lambda x: x[:, :, 4:12, 3:9])"))
    }

    @Test func refusalsPointAtTheArgument() throws {
        let e = try #require(parseError("keras.Sequential([\n  keras.Input(shape=(8, 8, 3)),\n  RandomRotation(0.1, fill_mode='mirror')])"))
        #expect(e.line == 3 && e.column == 33)
        #expect(e.message.contains("'reflect'"))
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 3)), RandomZoom(-1.5)])")?.message.contains("(-1.0, 1.0]") == true)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 3)), RandomContrast(1.5)])") != nil)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 3)), RandomTranslation(0.1)])")?.message.contains("width_factor") == true)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 3)), CenterCrop(4.0, 6)])")?.message.contains("integer") == true)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 3)), Resizing(4, 6, interpolation='cubic')])") != nil)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 3)), Resizing(4, 6, crop_to_aspect_ratio=True, "
                           + "pad_to_aspect_ratio=True)])") != nil)
        let rank = try KerasParser.parse("keras.Sequential([keras.Input(shape=(10, 3)), Resizing(4, 6)])")
        #expect(throws: ModelError.self) { try rank.summary() }
    }

    @Test func aWholeFloatInsideATupleIsAnIntWhereKerasTakesIt() throws {
        let m = try KerasParser.parse("keras.Sequential([keras.Input(shape=(8, 8, 1)), MaxPooling2D((2, 2.0)), "
                                      + "Conv2D(4, 3, strides=(1, 1.0))])")
        #expect(try m.summary().layers.map(\.outputShape) == [[4, 4, 1], [2, 2, 4]])
        // A kernel size becomes a weight's shape: Keras refuses the float there, and so does a fractional pool.
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 1)), Conv2D(4, (3, 3.0))])") != nil)
        #expect(parseError("keras.Sequential([keras.Input(shape=(8, 8, 1)), MaxPooling2D((2, 2.5))])") != nil)
    }

    @Test func aSecondModelCountsNamesOnFromTheFirst() throws {
        let m = try KerasParser.parse("""
            import keras
            from keras import layers
            encoder = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.Flatten()])
            model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.Conv2D(4, 3), layers.Flatten()])
            """)
        #expect(m.layerNames == ["conv2d_1", "conv2d_2", "flatten_1"])
        #expect(try KerasParser.parse("keras.Sequential([keras.Input(shape=(8, 8, 1)), Conv2D(4, 3)])").autoNames == nil)
    }

    /// keras-io's convmixer: an augmentation block mapped over the data, beside the model.
    @Test func aBlockWithoutAnInputBesideTheModelIsNotTheModel() throws {
        let m = try KerasParser.parse("""
            import keras
            from keras import layers
            data_augmentation = keras.Sequential([layers.RandomCrop(32, 32), layers.RandomFlip("horizontal")])
            inputs = keras.Input(shape=(32, 32, 3))
            conv_mixer_model = keras.Model(inputs, layers.Conv2D(4, 3)(inputs))
            """)
        #expect(m.layers.map(\.typeName) == ["Conv2D"])
    }

    @Test func aSequentialBlockCalledOnATensorIsRefusedWithAReason() throws {
        let e = try #require(parseError("""
            import keras
            from keras import layers
            aug = keras.Sequential([layers.RandomFlip("horizontal")])
            inputs = keras.Input(shape=(8, 8, 3))
            x = aug(inputs)
            model = keras.Model(inputs, layers.Flatten()(x))
            """))
        #expect(e.line == 5)
        #expect(e.message.contains("one row"))
    }
}
