import Foundation
import Testing
@testable import CNNModel

/// The line-by-line parse of the keystroke path gives exactly the model of the
/// full parser, or leaves the file to it.
@Suite struct SequentialLinesTests {
    /// The full parser alone, without the line cache.
    static func fullParse(_ source: String) throws -> Model {
        var reader = try ModelReader(source: source)
        return try reader.read()
    }

    static var referenceSources: [String] {
        get throws { try KerasReferenceTests.cases().map(\.source) }
    }

    /// Plain layouts: assigned or not, with imports, comments, CRLF, `summary()`.
    static let plainSources: [String] = [
        BenchmarkModels.thirtyLayers,
        "import keras\nfrom keras import layers\n\n# a comment\nmodel = keras.Sequential([\n    keras.Input(shape=(28, 28, 1)),\n"
            + "    # inside\n    layers.Conv2D(8, 3, activation='relu'),  # trailing\n\n    layers.Flatten(),\n"
            + "    layers.Dense(10)\n])\nmodel.summary()\n",
        "m = tf.keras.models.Sequential([\r\n\tConv2D(4, 3, input_shape=(9, 9, 2)),\r\n\tGlobalAveragePooling2D(),\r\n])\r\n",
        "keras.Sequential([\n  keras.layers.Input(shape=(32, 32, 3)),\n  keras.layers.Conv2D(16, (3, 3), padding='same', name='first'),\n])",
    ]

    @Test func plainLayoutsAreReadLineByLineAsTheFullParserReadsThem() throws {
        for source in Self.plainSources {
            let lines = try #require(SequentialLines.parse(source), "not read line by line:\n\(source)")
            #expect(lines == (try Self.fullParse(source)), "\(source)")
        }
    }

    @Test func everyReferenceModelReadLineByLineEqualsTheFullParse() throws {
        var read = 0
        for source in try Self.referenceSources {
            guard let lines = SequentialLines.parse(source) else { continue }
            read += 1
            // Keras refuses some of these models, but they all parse.
            #expect(lines == (try Self.fullParse(source)), "\(source)")
        }
        // Most reference models are written one layer a line.
        #expect(read >= 20)
    }

    @Test func anEditedLineIsReadAgain() throws {
        let source = BenchmarkModels.thirtyLayers
        _ = try KerasParser.parse(source)
        let edited = source.replacingOccurrences(of: "Dense(64,", with: "Dense(65,")
        let model = try #require(SequentialLines.parse(edited))
        #expect(model == (try Self.fullParse(edited)))
        #expect(model != (try Self.fullParse(source)))
    }

    /// What this reader can't take alone goes to the full parser, with its errors.
    @Test(arguments: [
        "n = 10\nmodel = keras.Sequential([\n    Input(shape=(4,)),\n    Dense(n),\n])",
        "model = keras.Sequential([\n    Input(shape=(4,)),\n    Dense(10,\n          activation='relu'),\n])",
        "model = keras.Sequential([\n    Input(shape=(4,)),\n    Dense(10),\n], name='m')",
        "model = keras.Sequential([\n    Input(shape=(4,)),\n    Dense(10)\n    Dense(3),\n])",
        "model = keras.Sequential([\n    Dense(10),\n    Input(shape=(4,)),\n])",
        "model = keras.Sequential([\n    Input(shape=(4,)),\n    Dence(10),\n])",
        "model = keras.Sequential([\n    Input(shape=(4,)),\n    Dense(10),\n])\nmodel.add(Dense(3))",
        "model = keras.Sequential([\n    Input(shape=(4,)),\n    Dense(10),\n",
        "model = foo.Sequential([\n    Input(shape=(4,)),\n])",
        "import os; import sys\nmodel = keras.Sequential([\n    Input(shape=(4,)),\n])",
        "\u{FEFF}model = keras.Sequential([\n    Input(shape=(4,)),\n])",
        "  model = keras.Sequential([\n    Input(shape=(4,)),\n])",
    ])
    func otherLayoutsGoToTheFullParser(_ source: String) {
        #expect(SequentialLines.parse(source) == nil)
        let full = Result { try Self.fullParse(source) }
        let public_ = Result { try KerasParser.parse(source) }
        switch (full, public_) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
        default: Issue.record("KerasParser.parse and the full parser disagree on:\n\(source)")
        }
    }
}
