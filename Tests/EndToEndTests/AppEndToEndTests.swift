import Foundation
import Testing

/// The binary in tmux, driven as a person would drive it.
@Suite(.serialized, .enabled(if: Tmux.tmuxPath != nil, "needs tmux"))
struct AppEndToEndTests {
    static let seedLayers = [
        "Conv2D(32, (3, 3), activation='relu')",
        "Conv2D(32, (3, 3), activation='relu')",
        "MaxPooling2D((2, 2), (2, 2))",
        "BatchNormalization()",
        "Conv2D(64, (3, 3), activation='relu')",
        "Conv2D(64, (3, 3), activation='relu')",
        "MaxPooling2D((2, 2), (2, 2))",
        "BatchNormalization()",
        "Flatten()",
        "Dropout(0.3)",
        "Dense(64, activation='relu')",
        "Dense(32, activation='relu')",
        "Dense(10, activation='softmax')",
    ]

    static var seedFile: String {
        "import keras\nmodel = keras.Sequential([\n    keras.Input(shape=(224, 224, 3)),\n"
            + seedLayers.map { "    keras.layers.\($0),\n" }.joined() + "])\n"
    }

    /// Starts the app in the pane, after saving the terminal modes; the shell prints EXIT=<status> when it ends.
    func launch(_ tmux: Tmux, _ args: String = "build") throws {
        try tmux.shell("stty -g > before.stty; clear")
        try tmux.shell("TERM=xterm-256color NCURSES_NO_UTF8_ACS=1 \(Tmux.binary) \(args); echo EXIT=$?")
        let started = try tmux.waitFor("1 Builder")
        #expect(started.ok, "the app did not draw its title bar:\n\(started.screen)")
    }

    /// Clears the pane and waits until the last command's exit line is gone, so the next wait can't see it.
    func clearScreen(_ tmux: Tmux) throws {
        try tmux.shell("clear")
        #expect(try tmux.waitFor { !$0.contains("EXIT=") }.ok)
    }

    /// Checks the app exited with `code` and left the terminal as it found it.
    func expectRestored(_ tmux: Tmux, exit code: Int32) throws {
        let exited = try tmux.waitForExit()
        #expect(exited.status == code, "wrong exit status:\n\(exited.screen)")
        #expect(try tmux.waitForMainScreen(), "the pane is still on the alternate screen")
        #expect(try tmux.display("#{cursor_flag}") == "1", "the cursor is still hidden")
        try tmux.shell("stty -g | cmp -s - before.stty && echo STTY-\"\"SAME || echo STTY-\"\"CHANGED")
        let stty = try tmux.waitFor { $0.contains("STTY-SAME") || $0.contains("STTY-CHANGED") }
        #expect(stty.screen.contains("STTY-SAME"), "stty -g changed:\n\(stty.screen)")
    }

    @Test func typeTheSeedModelSwitchTheHeadAndChangeTheInput() throws {
        let tmux = try Tmux(width: 100, height: 30)
        try launch(tmux)
        try tmux.press("a")
        for layer in Self.seedLayers {
            try tmux.type(layer)
            try tmux.press("Enter")
        }
        let built = try tmux.waitFor("11,574,090")
        #expect(built.ok, "typing the seed model did not give 11,574,090:\n\(built.screen)")
        #expect(built.screen.contains("non-trainable: 192"))
        try tmux.press("Escape")

        try tmux.press("h")
        let pooled = try tmux.waitFor("66,602")
        #expect(pooled.ok, "the global-pooling head did not give 66,602:\n\(pooled.screen)")
        try tmux.press("h")
        #expect(try tmux.waitFor("11,574,090").ok, "switching back did not restore the Flatten head")

        // 256×256: 61·61·64 = 238,144 inputs to the first Dense.
        try tmux.press("+")
        let bigger = try tmux.waitFor("15,309,642")
        #expect(bigger.ok, "the flatten total did not follow the input size:\n\(bigger.screen)")
        #expect(!bigger.screen.contains("11,574,090"))

        // The model changed and was never saved: q asks first; n leaves without saving.
        try tmux.press("q")
        #expect(try tmux.waitFor("unsaved changes").ok, "q did not ask about the unsaved model")
        try tmux.press("n")
        try expectRestored(tmux, exit: 0)
    }

    @Test func pastingAWholeSequentialBlockLoadsIt() throws {
        let tmux = try Tmux()
        try launch(tmux)
        // tmux pastes with bracketed-paste markers because the app asked for them.
        try tmux.run(["set-buffer", "-b", "seed", Self.seedFile])
        try tmux.run(["paste-buffer", "-p", "-b", "seed", "-t", tmux.session])
        let loaded = try tmux.waitFor("11,574,090")
        #expect(loaded.ok, "pasting the seed model did not load it:\n\(loaded.screen)")
        try tmux.press("c")
        #expect(try tmux.waitFor("174").ok, "the compare screen shows the ratio")
        try tmux.press("q")
        #expect(try tmux.waitFor("unsaved changes").ok)
        try tmux.press("n")
        try expectRestored(tmux, exit: 0)
    }

    /// build → h → :w → `cnn-tutor summary` of the file gives the builder's model; Ctrl-C in a prompt only closes it.
    @Test func writeTheModelAndReadItBack() throws {
        let tmux = try Tmux(width: 100, height: 30)
        try Self.seedFile.write(to: tmux.directory.appendingPathComponent("seed.py"), atomically: true, encoding: .utf8)
        try launch(tmux, "build seed.py")
        #expect(try tmux.waitFor("11,574,090").ok)
        try tmux.press("h")
        #expect(try tmux.waitFor("66,602").ok)
        try tmux.press(":")
        try tmux.type("w gap")
        // Once the prompt is on screen, Ctrl-C reaches the app as a key.
        #expect(try tmux.waitFor(": w gap").ok)
        try tmux.press("C-c")
        let closed = try tmux.waitFor { !$0.contains(": w gap") }
        #expect(closed.ok && closed.screen.contains("1 Builder") && !closed.screen.contains("EXIT="),
                "Ctrl-C in the prompt should close it and keep the app:\n\(closed.screen)")
        try tmux.press(":")
        try tmux.type("w gap.py")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("wrote gap.py: Keras code").ok)
        try tmux.press("q")
        try expectRestored(tmux, exit: 0)
        try clearScreen(tmux)
        let gapLayers = Self.seedLayers[..<8] + ["GlobalAveragePooling2D()", "Dropout(0.3)", "Dense(10, activation='softmax')"]
        let expected = "model = keras.Sequential([\n    keras.Input(shape=(224, 224, 3)),\n"
            + gapLayers.map { "    keras.layers.\($0),\n" }.joined() + "])\n"
        try expected.write(to: tmux.directory.appendingPathComponent("expected.py"), atomically: true, encoding: .utf8)
        try tmux.shell("\(Tmux.binary) summary --json gap.py > a.json && \(Tmux.binary) summary --json expected.py > b.json && cmp -s a.json b.json && echo SAME-\"\"SUMMARY || echo OTHER-\"\"SUMMARY")
        // The quotes keep the typed command from matching: only the output spells the words whole.
        let same = try tmux.waitFor { $0.contains("SAME-SUMMARY") || $0.contains("OTHER-SUMMARY") }
        #expect(same.screen.contains("SAME-SUMMARY"), "\(same.screen)")
    }

    /// `a` and Ctrl-C in one write (as a paste or a fast typist sends them): the kernel keeps
    /// the `a` (NOFLSH), so the prompt opens and the Ctrl-C closes it instead of quitting.
    @Test func ctrlCSentWithTheKeyThatOpensThePromptOnlyClosesIt() throws {
        let tmux = try Tmux()
        try Self.seedFile.write(to: tmux.directory.appendingPathComponent("seed.py"), atomically: true, encoding: .utf8)
        try launch(tmux, "build seed.py")
        #expect(try tmux.waitFor("11,574,090").ok)
        try tmux.press("a", "C-c")
        // A key sent at once could reach the app before it sees the Ctrl-C (a signal), and go to the prompt.
        Thread.sleep(forTimeInterval: 1)
        let screen = try tmux.capture()
        #expect(!screen.contains("EXIT=") && screen.contains("a add a layer"), "the app should still run:\n\(screen)")
        try tmux.press("q")
        try expectRestored(tmux, exit: 0)
    }

    @Test func ctrlCRestoresTheTerminal() throws {
        let tmux = try Tmux()
        try Self.seedFile.write(to: tmux.directory.appendingPathComponent("seed.py"), atomically: true, encoding: .utf8)
        try launch(tmux, "build seed.py")
        #expect(try tmux.waitFor("11,574,090").ok)
        try tmux.press("C-c")
        try expectRestored(tmux, exit: 130)
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143)), (SIGHUP, Int32(129)), (SIGQUIT, Int32(131))])
    func signalsRestoreTheTerminal(_ signal: Int32, _ status: Int32) throws {
        let tmux = try Tmux()
        try Self.seedFile.write(to: tmux.directory.appendingPathComponent("seed.py"), atomically: true, encoding: .utf8)
        try launch(tmux, "build seed.py")
        #expect(try tmux.waitFor("11,574,090").ok)
        let pid = try #require(try tmux.childPID(), "no app process under the pane's shell")
        #expect(kill(pid, signal) == 0)
        try expectRestored(tmux, exit: status)
    }

    @Test func resizingBelowTheMinimumSaysSoAndComesBack() throws {
        let tmux = try Tmux()
        try launch(tmux)
        try tmux.resize(width: 50, height: 14)
        let small = try tmux.waitFor("terminal too small")
        #expect(small.ok, "no too-small message at 50×14:\n\(small.screen)")
        try tmux.resize(width: 100, height: 30)
        #expect(try tmux.waitFor("Layer (type)").ok)
        try tmux.press("q")
        try expectRestored(tmux, exit: 0)
    }

    @Test func eightColoursAndAnASCIILocaleDegrade() throws {
        let tmux = try Tmux()
        try Self.seedFile.write(to: tmux.directory.appendingPathComponent("seed.py"), atomically: true, encoding: .utf8)
        try tmux.shell("stty -g > before.stty; clear")
        try tmux.shell("LANG=C LC_ALL=C TERM=screen \(Tmux.binary) build seed.py; echo EXIT=$?")
        #expect(try tmux.waitFor("11,574,090").ok)
        try tmux.press("d")
        let detail = try tmux.waitFor("+- input")
        #expect(detail.ok, "ASCII box lines expected:\n\(detail.screen)")
        #expect(!detail.screen.contains("┌") && !detail.screen.contains("▏"))
        let escapes = try tmux.run(["capture-pane", "-e", "-p", "-t", tmux.session])
        #expect(!escapes.contains("38;5;") && !escapes.contains("48;5;"), "256-colour codes on an 8-colour terminal")
        try tmux.press("q")
        try expectRestored(tmux, exit: 0)
    }

    @Test func dumbTerminalGetsThePlainSummary() throws {
        let tmux = try Tmux(width: 120, height: 60)
        try Self.seedFile.write(to: tmux.directory.appendingPathComponent("seed.py"), atomically: true, encoding: .utf8)
        try tmux.shell("TERM=dumb \(Tmux.binary) build seed.py; echo EXIT=$?")
        let out = try tmux.waitForExit()
        #expect(out.screen.contains("TERM=dumb can't"), "no reason given:\n\(out.screen)")
        #expect(out.screen.contains("11,574,090"))
        #expect(out.status == 0)
        #expect(try tmux.display("#{alternate_on}") == "0")
        try clearScreen(tmux)
        try tmux.shell("TERM=no-such-terminal \(Tmux.binary) build seed.py | head -3; echo EXIT=$?")
        let unknown = try tmux.waitForExit()
        #expect(unknown.screen.contains("not starting the full-screen app"), "\(unknown.screen)")
        try clearScreen(tmux)
        try tmux.shell("TERM=no-such-terminal \(Tmux.binary) build seed.py; echo EXIT=$?")
        let unknownTTY = try tmux.waitForExit()
        #expect(unknownTTY.screen.contains("TERM=no-such-terminal is unknown"), "\(unknownTTY.screen)")
        #expect(unknownTTY.status == 0)
    }
}

/// The binary without a terminal: plain text and the reason, no escape codes.
@Suite
struct PlainTextEndToEndTests {
    @Test func pipedOutputPrintsTheSummaryAndWhy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-plain-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("seed.py")
        try AppEndToEndTests.seedFile.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Tmux.binary)
        p.arguments = ["build", file.path]
        p.environment = ["TERM": "xterm-256color", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text.contains("standard output is not a terminal"))
        #expect(text.contains("11,574,090"))
        #expect(!text.contains("\u{1B}["), "escape codes in piped output")
    }
}
