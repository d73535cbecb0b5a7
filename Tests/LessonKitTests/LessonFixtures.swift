import CNNCompute
import Race
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
    ///
    /// Expectations on the run's accuracies and losses are dropped: eight
    /// images train nothing, and `cnn-tutor lessons validate` checks those
    /// claims at the lesson's own size.
    static func withSmallExperiments(_ lesson: Lesson) -> Lesson {
        var lesson = lesson
        for s in lesson.steps.indices {
            for i in lesson.steps[s].items.indices {
                guard case .action(var a) = lesson.steps[s].items[i] else { continue }
                switch a.kind {
                case .experiment(let c): a.kind = .experiment(smallExperiment(c))
                case .expect(let list): a.kind = .expect(list.filter { !readsTraining($0.assertion.text) })
                default: continue
                }
                lesson.steps[s].items[i] = .action(a)
            }
        }
        return lesson
    }

    /// True for a check on what training reached (an accuracy or a loss), which a tiny run can't meet.
    static func readsTraining(_ text: String) -> Bool {
        text.contains("experiment") && (text.contains("accuracy") || text.contains("loss"))
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

    /// Two steps: a quiz on the seed's base, then a task that swaps in a pooled head.
    static let baseAndHead = """
    ## Base

    \(LessonFixtures.seedBase)

    Base: {{total_params}}.

    ```quiz
    question: What shape does Flatten() give?
    answer: (179776,)
    check: layer flatten output_shape
    hints:
      - 53 × 53 × 64.
    ```

    ```add
    Flatten()
    ```

    Now {{layer -1 output_shape}}.

    ## Head

    ```task
    prompt: End in ten classes, under 70,000 parameters.
    goal:
      - check: output_shape == (10,)
        say: Ten class scores
      - check: total_params < 70000
        say: Fewer than 70,000 parameters
    solution: |
      remove flatten
      add GlobalAveragePooling2D()
      add Dense(10, activation='softmax')
    ```

    Done: {{total_params}}.
    """
}
