import CNNCompute
import CNNModel
import Foundation
import Testing
@testable import TutorUI

/// Work you can keep: `:w` as Keras or PyTorch code, the question before
/// quitting with unsaved changes, Ctrl-C closing a prompt, and weights.
@Suite struct WriteCommandTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("write-\(UUID().uuidString)-\(name)").path
    }

    /// Carries out the effects the way the runner would, feeding the results back.
    static func run(_ state: inout AppState, _ effects: [Effect]) {
        for case .writeFile(let path, let contents, let what) in effects {
            let next = update(&state, .fileWritten(path: path, result: EffectRunner.write(contents, to: path, what: what)))
            run(&state, next)
        }
    }

    static func command(_ state: inout AppState, _ text: String) {
        if state.prompt != nil { _ = update(&state, .key(.escape)) }
        _ = update(&state, .key(.char(":")))
        var effects: [Effect] = []
        for ch in text { effects += update(&state, .key(.char(ch))) }
        effects += update(&state, .key(.enter))
        run(&state, effects)
    }

    /// build → :w → the file's summary is the builder's.
    @Test func writtenKerasCodeGivesTheSameSummary() throws {
        var state = Fixtures.seed()
        Fixtures.send(&state, .setHead(.globalAverage), .setInputSize(128))
        let path = Self.temporary("model.py")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(state.hasUnsavedChanges)
        Self.command(&state, "w \(path)")
        #expect(state.message?.text == "wrote \(path): Keras code")
        #expect(!state.hasUnsavedChanges && state.fileName == path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let reread = try KerasParser.parse(text)
        // As `cnn-tutor summary` prints it: the table and the JSON.
        #expect(try reread.summary().table == state.derived.summary?.table)
        #expect(try reread.summary().json == state.derived.summary?.json)
        // No name: the file it was saved to.
        Fixtures.send(&state, .addLayer("Dense(10)", at: nil))
        Self.command(&state, "w")
        #expect(try KerasParser.parse(String(contentsOfFile: path, encoding: .utf8)).summary().table == state.derived.summary?.table)
    }

    @Test func pyTorchCodeAndBadNames() throws {
        var state = Fixtures.seed()
        let path = Self.temporary("model.pt.py")
        defer { try? FileManager.default.removeItem(atPath: path) }
        Self.command(&state, "w \(path)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("import torch") && text.contains("nn.Conv2d"))
        #expect(state.fileName == nil, "PyTorch code can't be opened again, so :w doesn't re-save to it")
        Self.command(&state, "w")
        #expect(state.message?.kind == .error && state.message?.text.contains("w needs a file name") == true)
        Self.command(&state, "w model.txt")
        #expect(state.message?.text.contains("none of them") == true)
        Self.command(&state, "w /nonexistent-folder/model.py")
        #expect(state.message?.kind == .error && state.message?.text.contains("can't write /nonexistent-folder/model.py") == true)
    }

    @Test func quittingWithUnsavedChangesAsks() {
        var state = Fixtures.seed()
        state.savedRevision = state.revision
        _ = update(&state, .key(.char("q")))
        #expect(state.exitCode == 0, "nothing changed: q quits")

        var changed = Fixtures.seed()
        Fixtures.send(&changed, .setInputSize(64))
        _ = update(&changed, .key(.char("q")))
        #expect(changed.exitCode == nil && changed.confirmingQuit)
        #expect(Fixtures.render(changed).plainText.contains("unsaved changes"))
        changed.fileName = "a_long_file_name_for_the_model.py"
        #expect(Fixtures.render(changed).plainText.contains("n quit without saving · Esc stay"), "the keys are cut at 80 columns")
        _ = update(&changed, .key(.escape))
        #expect(!changed.confirmingQuit && changed.exitCode == nil)
        _ = update(&changed, .key(.char("q")))
        _ = update(&changed, .key(.char("x")))
        #expect(changed.confirmingQuit, "another key leaves the question open")
        _ = update(&changed, .key(.char("n")))
        #expect(changed.exitCode == 0)
    }

    @Test func yesSavesThenQuits() throws {
        var state = Fixtures.seed()
        Fixtures.send(&state, .setInputSize(64))
        _ = update(&state, .key(.char("q")))
        _ = update(&state, .key(.char("y")))
        // No file yet: the prompt asks for a name.
        #expect(state.prompt == .command && state.editor.string == "w model.py")
        let path = Self.temporary("saved.py")
        defer { try? FileManager.default.removeItem(atPath: path) }
        state.editor.set("w \(path)")
        let entered = update(&state, .key(.enter))
        Self.run(&state, entered)
        #expect(state.exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func ctrlCInAPromptClosesIt() {
        var state = Fixtures.seed()
        _ = update(&state, .key(.char("a")))
        #expect(state.interruptIsKey)
        _ = update(&state, .key(.ctrl("c")))
        #expect(state.prompt == nil && state.exitCode == nil && !state.interruptIsKey)
        _ = update(&state, .key(.ctrl("c")))
        #expect(state.exitCode == 130)
    }

    /// Trained weights save as safetensors and load back with the same values.
    @Test func trainedWeightsSaveAsSafetensors() throws {
        var state = Fixtures.seed()
        let w = Tensor(shape: [3, 3, 3, 32], data: (0..<864).map { Float($0) / 1000 })
        Fixtures.send(&state, .setWeights(WeightSet(tensors: ["conv2d/kernel": w], origin: "test", revision: 0)))
        let path = Self.temporary("weights.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        Self.command(&state, "w \(path)")
        #expect(state.message?.text == "wrote \(path): 1 weights")
        let back = try SafeTensors.read(contentsOf: path)
        #expect(back["conv2d/kernel"]?.floatTensor == w)
        // After an edit the weights no longer fit the model.
        Fixtures.send(&state, .setInputSize(64))
        Self.command(&state, "w \(path)")
        #expect(state.message?.kind == .error)
    }
}
