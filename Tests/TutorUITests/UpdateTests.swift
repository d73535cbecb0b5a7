import CNNCompute
import Testing
@testable import TutorUI
import CNNModel

/// What keys and scripted messages do to the state.
@Suite struct UpdateTests {
    @Test func typingTheSeedLayerByLayerGivesKerasTotals() {
        var state = AppState()
        Fixtures.send(&state, .key(.char("a")))
        for line in Fixtures.seedSource.split(separator: "\n").dropFirst(2).dropLast() {
            var layer = line.trimmingCharacters(in: .whitespaces)
            if layer.hasSuffix(",") { layer.removeLast() }
            Fixtures.typeKeys(&state, String(layer) + "\n")
        }
        #expect(state.model.layers.count == 13)
        #expect(state.totalParams == 11_574_090)
        #expect(state.derived.summary?.nonTrainableParams == 192)
        #expect(state.prompt == .add, "the add prompt stays open for the next layer")
        Fixtures.send(&state, .key(.escape))
        #expect(state.prompt == nil)
    }

    @Test func headSwitchGivesTheArticlesNumbersAndSwitchesBack() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .key(.char("h")))
        #expect(state.totalParams == 66_602)
        #expect(state.model.layers.map(\.typeName).suffix(3) == ["GlobalAveragePooling2D", "Dropout", "Dense"])
        Fixtures.send(&state, .key(.char("h")))
        #expect(state.totalParams == 11_574_090)
        Fixtures.send(&state, .setHead(.globalMax))
        #expect(state.totalParams == 66_602)
        #expect(state.model.layers[8].typeName == "GlobalMaxPooling2D")
    }

    @Test func inputSizeMovesFlattenButNotPooling() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .key(.char("+")))
        #expect(state.model.inputShape == [256, 256, 3])
        #expect(state.totalParams == 15_309_642)
        Fixtures.send(&state, .setHead(.globalAverage))
        let pooled = state.totalParams
        Fixtures.send(&state, .setInputSize(512), .key(.char("-")))
        #expect(state.model.inputShape == [448, 448, 3])
        #expect(state.totalParams == pooled)
    }

    @Test func editDeleteDuplicateMoveUndoRedo() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .select(1), .key(.char("e")))
        #expect(state.prompt == .edit(0))
        #expect(state.editor.string == "Conv2D(32, (3, 3), activation='relu')")
        Fixtures.send(&state, .key(.ctrl("u")))
        Fixtures.typeKeys(&state, "Conv2D(16, 3)\n")
        #expect(state.derived.summary?.layers[0].params == 448)
        Fixtures.send(&state, .key(.char("x")))
        #expect(state.model.layers.count == 12)
        Fixtures.send(&state, .key(.char("u")))
        #expect(state.model.layers.count == 13)
        Fixtures.send(&state, .key(.ctrl("r")))
        #expect(state.model.layers.count == 12)
        Fixtures.send(&state, .key(.char("u")), .key(.char("u")))
        #expect(state.totalParams == 11_574_090)
        Fixtures.send(&state, .select(4), .key(.char("y")))
        #expect(state.model.layers[4].typeName == "BatchNormalization")
        #expect(state.model.layerNames[4] == "batch_normalization_1")
        Fixtures.send(&state, .key(.char("K")))
        #expect(state.selection == 4)
        Fixtures.send(&state, .moveLayer(from: 0, to: state.model.layers.count - 1))
        #expect(state.model.layers.last?.typeName == "Conv2D")
    }

    @Test func freezingALayerMovesItsWeightsToNonTrainableAndMarksItsRow() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .select(1), .key(.char("F")))
        #expect(state.model.layers[0].trainable == false)
        #expect(state.derived.summary?.nonTrainableParams == 192 + 896)
        #expect(state.totalParams == 11_574_090)
        #expect(Fixtures.render(state).plainText.contains("*conv2d (Conv2D)"))
        Fixtures.send(&state, .key(.char("F")))
        #expect(state.model.layers[0].trainable)
        #expect(state.derived.summary?.nonTrainableParams == 192)
        Fixtures.send(&state, .key(.char("u")))
        #expect(state.model.layers[0].trainable == false, "freezing is an edit that undo takes back")
    }

    @Test func pastedBlockArrivesWholeThroughBracketContinuation() {
        var state = AppState()
        Fixtures.send(&state, .paste("import keras\n" + Fixtures.seedSource + "\nmodel.summary()\n"))
        #expect(state.totalParams == 11_574_090)
        #expect(state.prompt == nil)
        var typed = AppState()
        Fixtures.send(&typed, .key(.char(":")), .type(Fixtures.seedSource + "\n"))
        #expect(typed.totalParams == 11_574_090, "typed line by line, open brackets continue the block")
    }

    @Test func parseErrorsKeepTheTextAndShowACaret() {
        var state = AppState()
        Fixtures.send(&state, .addLayer("Conv2D(32, 3, activaton='relu')", at: nil))
        #expect(state.message?.kind == .error)
        #expect(state.message?.text.contains("did you mean 'activation'") == true)
        #expect(state.message?.text.contains("^") == true)
        #expect(state.model.layers.isEmpty)
        Fixtures.send(&state, .key(.char("a")))
        Fixtures.typeKeys(&state, "Dense(\n")
        #expect(state.editor.pending == ["Dense("], "an open bracket continues on the next line")
    }

    @Test func refusedModelsShowTheLayerAndKeepWorking() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .setInputSize(8))
        #expect(state.derived.summary == nil)
        #expect(state.derived.error?.layerName == "conv2d_2" || state.derived.error?.layerName != nil)
        let text = Fixtures.render(state).plainText
        #expect(text.contains("can't be built"))
        Fixtures.send(&state, .setInputSize(224))
        #expect(state.totalParams == 11_574_090)
    }

    @Test func tabCompletesNamesAndInsertsTemplates() {
        // Conv2D and Conv2DTranspose share the prefix; a unique name gets its template.
        #expect(Completion.complete("Conv2", cursor: 5).candidates.contains("Conv2DTranspose"))
        #expect(Completion.complete("Conv3DT", cursor: 7).text == "Conv3DTranspose(16, (3, 3, 3), strides=2, padding='same')")
        #expect(Completion.complete("Dens", cursor: 4).text == "Dense(64, activation='relu')")
        let many = Completion.complete("Glob", cursor: 4)
        #expect(many.text == "Global")
        #expect(many.candidates.contains("GlobalAveragePooling2D"))
        #expect(Completion.complete("Dense(10, activ", cursor: 15).text == "Dense(10, activation=")
        #expect(Completion.complete("Dense(10, activation='so", cursor: 24).text == "Dense(10, activation='soft")
        #expect(Completion.complete("Dense(10, activation='softm", cursor: 27).text == "Dense(10, activation='softmax'")
        #expect(Completion.complete("keras.layers.Flat", cursor: 17).text == "keras.layers.Flatten()")
        #expect(Completion.complete("hea", cursor: 3).text == "head ")
    }

    @Test func commandsWork() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .type("input 128\n"))
        #expect(state.model.inputShape == [128, 128, 3])
        Fixtures.send(&state, .type("input 64, 64, 1\n"))
        #expect(state.model.inputShape == [64, 64, 1])
        Fixtures.send(&state, .type("head gap\n"))
        #expect(HeadSwap.kind(of: state.model.layers) == .globalAverage)
        let effects = update(&state, .type("open nowhere.py\n"))
        #expect(effects == [.loadModelFile(path: "nowhere.py")])
        Fixtures.send(&state, .modelFileLoaded(path: "nowhere.py", result: .failure(LoadError("can't read nowhere.py"))))
        #expect(state.message?.kind == .error)
        // The model changed since it was opened: q asks first, n quits without saving.
        #expect(update(&state, .key(.char("q"))) == [])
        #expect(state.confirmingQuit)
        #expect(update(&state, .key(.char("n"))) == [.quit(0)])
        var other = Fixtures.seed()
        #expect(update(&other, .key(.ctrl("c"))) == [.quit(130)])
    }

    @Test func staleForwardResultsAreDropped() {
        var state = FeatureMapsSnapshotTests.ran(width: 80, height: 24)
        let before = state.features.result
        let effects = update(&state, .runFeatureMaps)
        guard case .runForward(let request)? = effects.first else { Issue.record("no forward effect"); return }
        _ = update(&state, .forwardFinished(generation: request.generation - 1, result: .failure(LoadError("old"))))
        #expect(state.features.result == before)
        #expect(state.features.status == .running(done: 0, total: 6))
    }

    @Test func hugeModelsAreRefusedForFeatureMapsWithAReason() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .setInputSize(1024))
        let effects = update(&state, .runFeatureMaps)
        #expect(effects.isEmpty)
        guard case .failed(let why) = state.features.status else { Issue.record("not refused"); return }
        #expect(why.contains("too big to run here"))
    }

    @Test func mouseSelectsRowsAndScrolls() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .mouse(.click(x: 5, y: 4)))
        #expect(state.selection == 2)
        Fixtures.send(&state, .mouse(.wheelDown(x: 5, y: 4)))
        #expect(state.selection == 3)
        let buffer = Fixtures.render(state)
        let tab = try! #require(buffer.find("2 Compare"))
        Fixtures.send(&state, .mouse(.click(x: tab.x + 3, y: 0)))
        #expect(state.screen == .compare)
    }

    @Test func aClickOnAScrolledTableSelectsTheRowUnderIt() {
        var state = AppState(width: 80, height: 24, caps: .full)
        Fixtures.send(&state, .setSource(BenchmarkModels.thirtyLayers), .select(30))
        let names = state.model.layerNames
        // Rows whose names are short enough to be drawn whole, from the scrolled end and then from the top.
        let candidates = names.indices.filter { names[$0].hasPrefix("conv2d") || names[$0].hasPrefix("dense") }
        for (selectFirst, targets) in [(30, candidates.suffix(3)), (0, candidates.prefix(2))] {
            Fixtures.send(&state, .select(selectFirst))
            for target in targets {
                let buffer = Fixtures.render(state)
                guard let spot = buffer.find(" " + names[target] + " (") else {
                    Issue.record("\(names[target]) is not on screen:\n\(buffer.plainText)")
                    continue
                }
                Fixtures.send(&state, .mouse(.click(x: spot.x + 2, y: spot.y)))
                #expect(state.selectedLayer == target, "clicked \(names[target])")
            }
        }
        #expect(state.tableScroll == 0)
    }

    @Test func netpbmImagesParseAndBadOnesSayWhy() throws {
        let pgm = Array("P2\n# c\n2 2\n255\n0 255\n128 64\n".utf8)
        let img = try SampleImage.netpbm(pgm, name: "a.pgm")
        #expect(img.width == 2 && img.channels == 1)
        #expect(img.pixels[1] == 1)
        let ppm = Array("P6 1 1 255\n".utf8) + [255, 0, 0]
        #expect(try SampleImage.netpbm(ppm, name: "b.ppm").pixels == [1, 0, 0])
        #expect(throws: LoadError.self) { try SampleImage.netpbm(Array("P6 4 4 255\n".utf8) + [1, 2], name: "c.ppm") }
        #expect(throws: LoadError.self) { try SampleImage.netpbm(Array("GIF89a".utf8), name: "d.gif") }
    }
}

/// The forward pass behind the feature maps: progress per layer, cancellation, shapes.
@Suite struct ForwardRunTests {
    static func request() throws -> ForwardRequest {
        let model = try KerasParser.parse(FeatureMapsSnapshotTests.small)
        return ForwardRequest(generation: 1, model: model, image: SampleImage.procedural().fitted(width: 32, height: 32, channels: 3), seed: 42)
    }

    @Test func reportsProgressAfterEveryLayerAndKeepsEachOutput() throws {
        var reports: [Int] = []
        let result = try EffectRunner.forward(Self.request()) { done, total in
            #expect(total == 6)
            reports.append(done)
        }.get()
        #expect(reports == [0, 1, 2, 3, 4, 5, 6])
        #expect(result.outputs.map(\.shape) == [[30, 30, 8], [15, 15, 8], [13, 13, 16], [6, 6, 16], [576], [10]])
        let probabilities = result.outputs.last!.values
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4, "softmax output sums to 1")
        #expect(result.outputs[4].values == result.outputs[3].values, "Flatten keeps the values in channels-last order")
    }

    @Test func aCancelledRunStopsEarly() throws {
        var layers = 0
        let result = EffectRunner.forward(try Self.request(), isCancelled: { layers >= 2 }) { done, _ in layers = done }
        guard case .failure(let e) = result else { Issue.record("not cancelled"); return }
        #expect(e.message.contains("cancelled"))
        #expect(layers == 2)
    }

    @Test func theRunnerDeliversResultsAsMessages() throws {
        let runner = EffectRunner()
        runner.run(.runForward(try Self.request()))
        runner.waitUntilIdle()
        let msgs = runner.takeMessages()
        #expect(msgs.count == 8)
        guard case .forwardFinished(let g, .success)? = msgs.last else { Issue.record("no result"); return }
        #expect(g == 1)
    }
}
