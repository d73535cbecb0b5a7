import CNNModel
import Foundation
import Testing

/// Every model in `Tests/Reference/keras-summaries.json`, against what Keras reported.
@Suite struct KerasReferenceTests {
    static let referenceURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Reference/keras-summaries.json")

    struct Case: Decodable {
        struct Layer: Decodable {
            var name: String
            var type: String
            var output_shape: [Int?]
            var params: Int
            var connected_to: [String]?
        }
        struct Expected: Decodable {
            var error: String?
            var layers: [Layer]?
            var total_params: Int?
            var trainable_params: Int?
            var non_trainable_params: Int?
        }
        var id: String
        var source: String
        var expected: Expected
    }

    static func cases() throws -> [Case] {
        struct File: Decodable { var cases: [Case] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: referenceURL)).cases
    }

    @Test func everyCaseMatchesKeras() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 40)
        for c in cases {
            if c.expected.error != nil {
                let refused: Bool
                do { _ = try KerasParser.parse(c.source).summary(); refused = false } catch { refused = true }
                #expect(refused, "\(c.id): Keras refuses this model")
                continue
            }
            let s = try KerasParser.parse(c.source).summary()
            #expect(s.totalParams == c.expected.total_params, "\(c.id)")
            #expect(s.trainableParams == c.expected.trainable_params, "\(c.id)")
            #expect(s.nonTrainableParams == c.expected.non_trainable_params, "\(c.id)")
            var want = c.expected.layers ?? []
            if let graph = s.graph {
                // A functional model's `model.layers` starts with its InputLayer.
                let input = try #require(want.first, "\(c.id)")
                #expect(input.type == "InputLayer" && input.name == graph.inputName, "\(c.id)")
                #expect([Int?.none] + s.inputShape.map { Optional($0) } == input.output_shape, "\(c.id)")
                want.removeFirst()
                for (i, w) in want.enumerated() where i < s.layers.count {
                    #expect(s.connectedTo(i) == w.connected_to, "\(c.id) \(w.name): Connected to")
                }
            } else {
                #expect(want.allSatisfy { $0.connected_to == nil }, "\(c.id): Keras built a functional model")
            }
            #expect(s.layers.count == want.count, "\(c.id)")
            for (got, w) in zip(s.layers, want) {
                #expect(got.name == w.name, "\(c.id)")
                #expect(got.typeName == w.type, "\(c.id)")
                #expect([s.batchSize] + got.outputShape.map { Optional($0) } == w.output_shape, "\(c.id) \(w.name)")
                #expect(got.params == w.params, "\(c.id) \(w.name)")
            }
        }
    }
}
