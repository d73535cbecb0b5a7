import Foundation
import Testing
@testable import CNNModel

/// What the keystroke path keeps from one parse and summary to the next (the
/// last source's lines, recent summaries' rows) never changes a result: after
/// any edit the model, its names, rows, totals and errors are those of a cold
/// parse and a summary derived afresh.
@Suite struct KeystrokeReuseTests {
    /// A summary, or an error's text.
    enum Outcome: Equatable {
        case summary(ModelSummary)
        case failure(String)

        var summary: ModelSummary? { if case .summary(let s) = self { s } else { nil } }
        var failure: String? { if case .failure(let e) = self { e } else { nil } }
    }

    /// The model, or the error's text, of a summary that keeps and reuses nothing.
    static func fresh(_ source: String) -> Outcome {
        do {
            return .summary(try SequentialLinesTests.fullParse(source).summary(inputShape: nil, reusingRows: false))
        } catch {
            return .failure("\(error)")
        }
    }

    /// The same through the keystroke path: `KerasParser.parse` and `summary()`.
    static func kept(_ source: String) -> Outcome {
        do {
            return .summary(try KerasParser.parse(source).summary())
        } catch {
            return .failure("\(error)")
        }
    }

    static let base = BenchmarkModels.thirtyLayers

    /// Edits one after another, as a learner makes them: each source follows the one before.
    static let edits: [String] = {
        var sources = [base]
        func edit(_ f: (String) -> String) { sources.append(f(sources.last!)) }
        // An early layer's filters: every later row must change.
        edit { $0.replacingOccurrences(of: "Conv2D(16, (3, 3)", with: "Conv2D(24, (3, 3)") }
        // A late layer's units: the rows before it are kept.
        edit { $0.replacingOccurrences(of: "Dense(256,", with: "Dense(300,") }
        // A line added near the top: every name after it counts on (conv2d_1 → conv2d_2 …).
        edit { $0.replacingOccurrences(of: "    keras.Input(shape=(224, 224, 3)),\n",
                                       with: "    keras.Input(shape=(224, 224, 3)),\n    keras.layers.Conv2D(8, (1, 1)),\n") }
        // A comment line: every line after it moves down one.
        edit { $0.replacingOccurrences(of: "model = keras.Sequential([\n", with: "model = keras.Sequential([\n    # a comment\n") }
        // A layer removed in the middle.
        edit { s in
            var lines = s.components(separatedBy: "\n")
            lines.remove(at: lines.firstIndex(where: { $0.contains("MaxPooling2D") })!)
            return lines.joined(separator: "\n")
        }
        // Another input size: every row on a new input.
        edit { $0.replacingOccurrences(of: "shape=(224, 224, 3)", with: "shape=(64, 64, 3)") }
        // A layer that can't be built there (a pool bigger than its map), then fixed.
        edit { $0.replacingOccurrences(of: "MaxPooling2D((2, 2)),\n    keras.layers.Dropout(0.1),\n    keras.layers.Flatten()",
                                       with: "MaxPooling2D((9, 9)),\n    keras.layers.Dropout(0.1),\n    keras.layers.Flatten()") }
        edit { $0.replacingOccurrences(of: "MaxPooling2D((9, 9))", with: "MaxPooling2D((1, 1))") }
        // A frozen layer: its counts move to non-trainable.
        edit { $0.replacingOccurrences(of: "Dense(64, activation='relu')", with: "Dense(64, activation='relu', trainable=False)") }
        // An explicit name, then the same name twice.
        edit { $0.replacingOccurrences(of: "Dense(10, activation='softmax')", with: "Dense(10, activation='softmax', name='head')") }
        edit { $0.replacingOccurrences(of: "Dense(64, activation='relu', trainable=False)",
                                       with: "Dense(64, activation='relu', trainable=False, name='head')") }
        edit { $0.replacingOccurrences(of: ", name='head')", with: ")") }
        // A typo: the full parser's error, with its line and column.
        edit { $0.replacingOccurrences(of: "Flatten()", with: "Flaten()") }
        edit { $0.replacingOccurrences(of: "Flaten()", with: "Flatten()") }
        // Back to the start.
        sources.append(base)
        return sources
    }()

    @Test func everyEditGivesWhatAColdParseAndAFreshSummaryGive() throws {
        for (step, source) in Self.edits.enumerated() {
            let kept = Self.kept(source), fresh = Self.fresh(source)
            #expect(kept == fresh, "edit \(step)")
            if let a = kept.summary, let b = fresh.summary {
                #expect(a.layers.map { $0.name } == b.layers.map { $0.name }, "edit \(step)")
            }
            if kept.summary == nil, fresh.summary != nil { Issue.record("edit \(step): \(kept)") }
        }
    }

    @Test func theEditsReachEveryCase() throws {
        // The sequence above must keep testing what it says: a failure, a duplicate name, a shifted file.
        let failures = Self.edits.map(Self.fresh).compactMap { $0.failure }
        #expect(failures.contains { $0.contains("zero or negative") })
        #expect(failures.contains { $0.contains("used twice") })
        #expect(failures.contains { $0.contains("Flaten") })
        let names = try #require(Self.fresh(Self.edits[3]).summary).layers.map { $0.name }
        #expect(Array(names.prefix(3)) == ["conv2d", "conv2d_1", "conv2d_2"])
    }

    @Test func anEarlierLayerChangesEveryLaterRow() throws {
        let model = try KerasParser.parse(Self.base)
        let before = try model.summary()
        var edited = model
        edited.layers[0] = try KerasParser.parseLayer("Conv2D(24, (3, 3), padding='same', activation='relu')")
        let after = try edited.summary()
        #expect(after == (try edited.summary(inputShape: nil, reusingRows: false)))
        // The second conv sees 24 channels instead of 16, and its weights follow.
        #expect(after.layers[1].params != before.layers[1].params)
        #expect(after.totalParams != before.totalParams)
        // A row whose input is unchanged downstream (after the pooling of the next block) still gets its new totals.
        #expect(after.trainableParams == after.layers.reduce(0) { $0 + $1.trainableParams })
    }

    @Test func aRowIsKeptOnlyOnTheSameInputAndField() throws {
        // Same layers on another input: no row of the first summary may leak into the second.
        let model = try KerasParser.parse(Self.base)
        let small = try model.summary(inputShape: [32, 32, 3])
        _ = try model.summary()
        let again = try model.summary(inputShape: [32, 32, 3])
        #expect(small == again)
        #expect(again == (try model.summary(inputShape: [32, 32, 3], reusingRows: false)))
        // A layer swapped for one of the same output but another window: the field after it differs.
        var strided = model
        strided.layers[0] = try KerasParser.parseLayer("Conv2D(16, (5, 5), padding='same', activation='relu')")
        let s = try strided.summary()
        #expect(s == (try strided.summary(inputShape: nil, reusingRows: false)))
        #expect(s.layers[1].receptiveField != (try model.summary()).layers[1].receptiveField)
    }
}
