import CNNCompute
import CNNModel
import Foundation
import Testing
@testable import LessonKit

/// `{{cell …}}` and ```` ```step ````: the numbers of the step-by-step view, checked by validation.
@Suite struct CellTemplateTests {
    static let model = """
    ```model
    model = keras.Sequential([
        keras.layers.Input(shape=(16, 16, 3)),
        keras.layers.Conv2D(4, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(10),
    ])
    ```
    """

    /// The value the feature maps show at (row, col, channel) of layer 0, computed here from the core alone.
    static func expected(row: Int, col: Int, channel: Int) throws -> Float {
        let image = SampleImage.procedural().fitted(width: 16, height: 16, channels: 3)
        let conv = try KerasParser.parse("keras.Sequential([keras.layers.Input(shape=(16, 16, 3)), keras.layers.Conv2D(4, (3, 3), activation='relu')])")
        let net = try Network(model: conv, seed: 42)
        let y = try net.predict(Tensor(shape: [1, 16, 16, 3], data: image.pixels.map { $0 * 2 - 1 }))
        return y.data[(row * 14 + col) * 4 + channel]
    }

    @Test func cellMatchesTheCoreAndAWrongClaimFails() throws {
        let v = try Self.expected(row: 3, col: 5, channel: 2)
        let right = String(format: "%.4f", v)
        let good = LessonFixtures.lesson("## A\n\n\(Self.model)\n\nIt holds {{cell conv2d 3 5 2 ≈ \(right)}}.\n")
        #expect(LessonFixtures.problems(good).isEmpty)
        let wrong = String(format: "%.4f", v + 0.01)
        let bad = LessonFixtures.lesson("## A\n\n\(Self.model)\n\nIt holds {{cell conv2d 3 5 2 ≈ \(wrong)}}.\n")
        let problems = LessonFixtures.problems(bad)
        #expect(problems.count == 1 && problems.first?.message.contains("cell conv2d 3 5 2") == true)
        // Flatten's vector: (3·7 + 5)·4 + 2 of the pooled (7, 7, 4) map.
        let flat = LessonFixtures.lesson("## A\n\n\(Self.model)\n\n{{cell flatten 106 == cell max_pooling2d 3 5 2}}.\n")
        #expect(LessonFixtures.problems(flat).isEmpty)
    }

    @Test func stepIsCheckedAgainstTheModel() {
        let good = LessonFixtures.lesson("## A\n\n\(Self.model)\n\n```step conv2d 1 2 3\n```\n\nText.\n")
        #expect(LessonFixtures.problems(good).isEmpty)
        for (step, says) in [("dense 0", "step by step explains"), ("conv2d 14 0 0", "outside conv2d's (14, 14, 4) map"),
                             ("nothing 0 0 0", "no layer named 'nothing'")] {
            let text = LessonFixtures.lesson("## A\n\n\(Self.model)\n\n```step \(step)\n```\n\nText.\n")
            let problems = LessonFixtures.problems(text)
            #expect(problems.contains { $0.message.contains(says) }, "step \(step): \(problems.map(\.message))")
        }
        let malformed = LessonFixtures.lesson("## A\n\n\(Self.model)\n\n```step conv2d 1 2\n```\n")
        #expect(LessonFixtures.problems(malformed).contains { $0.message.contains("step needs a layer and a cell") })
    }
}
