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
