import CNNCompute
import Foundation
@testable import LessonKit

/// Small lessons written inline, and the repository's lesson folder.
enum LessonFixtures {
    /// The repository's `Lessons/` folder, found from this file's path.
    static var lessonsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons").path
    }

    static let frontMatter = """
    ---
    id: sample
    title: Sample
    order: 1
    minutes: 5
    requires: []
    ---

    """

    /// A lesson body after the standard front matter (which takes lines 1–7; the body starts on line 8).
    static func lesson(_ body: String) -> String { frontMatter + body }

    /// A lesson's experiment settings cut to two batches of four, keeping its seed and canvases.
    static func smallExperiment(_ c: ExperimentConfiguration) -> ExperimentConfiguration {
        var small = c
        (small.epochs, small.batchSize, small.trainCount) = (1, 4, 8)
        (small.testCount, small.shiftedCount, small.largeCount) = (4, 4, 2)
        return small
    }

    /// The lesson with every ```` ```experiment ```` fence at ``smallExperiment(_:)``'s size.
    static func withSmallExperiments(_ lesson: Lesson) -> Lesson {
        var lesson = lesson
        for s in lesson.steps.indices {
            for i in lesson.steps[s].items.indices {
                guard case .action(var a) = lesson.steps[s].items[i], case .experiment(let c) = a.kind else { continue }
                a.kind = .experiment(smallExperiment(c))
                lesson.steps[s].items[i] = .action(a)
            }
        }
        return lesson
    }

    /// Parses a lesson and returns its problems (parse errors, else validation errors).
    static func problems(_ text: String) -> [LessonError] {
        do throws(LessonErrors) {
            let lesson = try LessonParser.parse(text, file: "sample.md")
            return LessonValidator.validate(lesson)
        } catch {
            return error.errors
        }
    }

    static let seedBase = """
    ```model
    model = keras.Sequential([
        keras.layers.Input(shape=(224, 224, 3)),
        keras.layers.Conv2D(32, (3, 3), activation='relu'),
        keras.layers.Conv2D(32, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2), (2, 2)),
        keras.layers.BatchNormalization(),
        keras.layers.Conv2D(64, (3, 3), activation='relu'),
        keras.layers.Conv2D(64, (3, 3), activation='relu'),
        keras.layers.MaxPooling2D((2, 2), (2, 2)),
        keras.layers.BatchNormalization(),
    ])
    ```
    """
}
