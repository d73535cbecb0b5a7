import CNNModel
import Testing

/// Models that Keras refuses are refused with the layer, its input and a reason.
@Suite struct RefusalTests {
    func error(_ code: String) -> ModelError? {
        guard let model = try? KerasParser.parse(code) else { return nil }
        do {
            _ = try model.summary()
            return nil
        } catch {
            return error
        }
    }

    @Test func kernelLargerThanItsInput() throws {
        let e = try #require(error("keras.Sequential([\n keras.Input(shape=(4, 4, 1)),\n keras.layers.Conv2D(8, 5),\n])"))
        #expect(e.layerName == "conv2d")
        #expect(e.inputShape == [4, 4, 1])
        #expect(e.location?.line == 3)
        #expect(e.reason.contains("zero or negative"))
    }

    @Test func wrongInputRank() throws {
        let e = try #require(error("keras.Sequential([keras.Input(shape=(32, 3)), keras.layers.Conv2D(8, 3)])"))
        #expect(e.reason.contains("rank"))
        let g = try #require(error("keras.Sequential([keras.Input(shape=(32, 32, 3)), Flatten(), GlobalAveragePooling2D()])"))
        #expect(g.layerName == "global_average_pooling2d")
    }

    @Test func overflowingCounts() throws {
        let e = try #require(error("keras.Sequential([keras.Input(shape=(3000000000, 3000000000, 3)), Flatten(), Dense(10)])"))
        #expect(e.layerName == "flatten")
        #expect(e.reason.contains("overflow"))
        let d = try #require(error("keras.Sequential([keras.Input(shape=(3000000000,)), Dense(4000000000), Dense(4000000000)])"))
        #expect(d.reason.contains("overflow"))
    }

    @Test func noInputShape() {
        #expect(error("keras.Sequential([Dense(10)])") != nil)
    }

    @Test func stridesWithDilationIsAParseError() {
        #expect(throws: ParseError.self) { try KerasParser.parse("keras.Sequential([Conv2D(8, 3, strides=2, dilation_rate=2)])") }
    }
}
