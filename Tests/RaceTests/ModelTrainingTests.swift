import CNNCompute
import CNNModel
import Testing
@testable import Race

/// The short training run behind the trained feature maps.
@Suite struct ModelTrainingTests {
    /// The seed article's model with a global-average-pooling head, as the builder opens it (224×224×3).
    static let seedGAP = SeedArticle.model(head: .globalAveragePooling)

    /// Trains the seed's GAP model for a few seconds on the synthetic shapes: its
    /// first layer's kernels move away from their initialisation, and its test
    /// accuracy rises to at least twice chance (one over the class count).
    @Test func seedGAPModelLearns() throws {
        let plan = try ModelTraining.plan(for: ModelTrainingTests.seedGAP)
        #expect(plan.inputShape == [32, 32, 3])
        var seen = 0
        let outcome = try ModelTraining.train(ModelTrainingTests.seedGAP, plan: plan, settings: .init(),
                                              progress: { p in seen = p.step })
        #expect(seen == outcome.steps && outcome.steps == ModelTraining.Settings().steps)
        let before = try #require(outcome.initialWeights["conv2d/kernel"])
        let after = try #require(outcome.weights["conv2d/kernel"])
        #expect(before.shape == [3, 3, 3, 32] && after.shape == before.shape)
        let moved = zip(before.data, after.data).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 1e-3, "the first layer's kernels barely moved")
        let chance = 1 / Double(Glyph.allCases.count)
        #expect(outcome.accuracyAfter > 2 * chance, "accuracy \(outcome.accuracyAfter) against chance \(chance)")
        #expect(outcome.accuracyAfter > outcome.accuracyBefore)
    }

    /// The same seed gives the same weights.
    @Test func seededRunsRepeat() throws {
        let model = ModelTraining.tinyModel
        let plan = try ModelTraining.plan(for: model)
        let s = ModelTraining.Settings(steps: 3, batchSize: 4, testCount: 4)
        let a = try ModelTraining.train(model, plan: plan, settings: s)
        let b = try ModelTraining.train(model, plan: plan, settings: s)
        #expect(a.weights == b.weights)
        #expect(a.weights != a.initialWeights)
    }

    /// Models the shapes don't fit get a reason that says what to change.
    @Test func unfitModelsAreRefused() {
        func reason(_ source: String) -> String {
            do {
                _ = try ModelTraining.plan(for: try KerasParser.parse(source))
                return "accepted"
            } catch let e as ExperimentError {
                return e.message
            } catch {
                return "\(error)"
            }
        }
        let flatten224 = reason("keras.Sequential([Input((224, 224, 3)), Conv2D(4, 3), Flatten(), Dense(10, activation='softmax')])")
        #expect(flatten224.contains("fixes its weights to 224×224") && flatten224.contains("Flatten"))
        let fourChannels = reason("keras.Sequential([Input((32, 32, 4)), Conv2D(4, 3), GlobalAveragePooling2D(), Dense(10)])")
        #expect(fourChannels.contains("4 channels"))
        let fiveClasses = reason("keras.Sequential([Input((32, 32, 1)), Conv2D(4, 3), GlobalAveragePooling2D(), Dense(5)])")
        #expect(fiveClasses.contains("10 classes") && fiveClasses.contains("(None, 5)"))
        let vector = reason("keras.Sequential([Input((32,)), Dense(10)])")
        #expect(vector.contains("(height, width, channels)"))
    }
}

extension ModelTraining {
    /// A model small enough for a quick test.
    static var tinyModel: Model {
        try! KerasParser.parse("keras.Sequential([Input((16, 16, 1)), Conv2D(4, 3, activation='relu'), GlobalAveragePooling2D(), Dense(10, activation='softmax')])")
    }
}

extension ModelTrainingTests {
    /// A 16×16 model trains on shapes drawn at its own size, with the default settings.
    @Test func smallModelTrainsAtItsOwnSize() throws {
        let plan = try ModelTraining.plan(for: ModelTraining.tinyModel)
        #expect(plan.inputShape == [16, 16, 1])
        let outcome = try ModelTraining.train(ModelTraining.tinyModel, plan: plan, settings: .init())
        #expect(outcome.steps == 60 && outcome.weights.count == 4)
    }
}
