import CNNModel
import LessonKit
import Testing
@testable import TutorUI

/// The lesson shell and its controller, driven only through messages, read through the screen.
@Suite struct LessonShellTests {
    /// A small lesson: a long first step with a quiz, a step with a task, and a short last step.
    static let lesson: Lesson = {
        let filler = (1...40).map { "Line \($0) of the long opening, which a learner must be able to scroll through." }.joined(separator: " ")
        let text = """
        ---
        id: shell
        title: Shell
        order: 1
        ---

        The introduction says what the lesson is about.

        ## Reading

        \(filler)

        ```input 32, 32, 3
        ```

        ```quiz
        question: How many values does one 32×32×3 image hold?
        answer: 3072
        check: product input_shape
        explanation: "32 × 32 × 3 = 3,072."
        ```

        The reveal is read after the answer.

        ## Doing

        ```model
        model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3), keras.layers.Flatten(), keras.layers.Dense(10)])
        ```

        ```task
        prompt: Put global pooling where Flatten is.
        goal:
          - check: count Flatten == 0
            say: "No Flatten left"
          - check: count GlobalAveragePooling2D == 1
            say: "One GlobalAveragePooling2D"
        solution: |
          replace flatten GlobalAveragePooling2D()
        near_miss:
          - |
            remove flatten
        explanation: "Now {{total_params}} parameters."
        ```

        ## Done

        That is all.
        """
        do { return try LessonParser.parse(text, file: "shell.md") } catch { fatalError("\(error)") }
    }()

    static func shell(width: Int = 80, height: Int = 24, progress: LearnerProgress = LearnerProgress()) -> TutorShell {
        var shell = TutorShell(menu: LessonMenu(lessons: [lesson], progress: progress))
        _ = shell.handle(.resize(width: width, height: height))
        return shell
    }

    static func screen(_ shell: TutorShell) -> String {
        var buffer = ScreenBuffer(width: 1, height: 1)
        shell.draw(into: &buffer)
        return buffer.plainText
    }

    static func keys(_ shell: inout TutorShell, _ keys: Key...) {
        for k in keys { _ = shell.handle(.key(k)) }
    }

    static func type(_ shell: inout TutorShell, _ text: String) {
        for c in text { _ = shell.handle(.key(.char(c))) }
    }

    static func controller(_ shell: TutorShell) -> LessonController? {
        if case .lesson(let c) = shell.mode { return c }
        return nil
    }

    @Test func aStepOpensAtItsStartWithTheIntroductionAndScrollsLineByLineToItsEnd() throws {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        var screen = Self.screen(shell)
        #expect(screen.contains("The introduction says"), "the introduction is not shown:\n\(screen)")
        #expect(screen.contains("more ↓"), "no mark says there is more:\n\(screen)")
        #expect(!screen.contains("more ↑"))
        Self.keys(&shell, .up)
        #expect(Self.controller(shell)?.scroll == 0, "scrolling stops at the top")
        Self.keys(&shell, .down)
        #expect(Self.controller(shell)?.scroll == 1, "one line at a time")
        for _ in 0..<200 { Self.keys(&shell, .down) }
        screen = Self.screen(shell)
        let c = try #require(Self.controller(shell))
        let layout = c.paneLayout()
        #expect(c.scroll == layout.clamp(layout.lineCount), "scrolling stops at the end")
        #expect(screen.contains("more ↑") && !screen.contains("more ↓"))
        #expect(screen.contains("How many values"), "the question is at the end:\n\(screen)")
        Self.keys(&shell, .home)
        #expect(Self.controller(shell)?.scroll == 0)
    }

    @Test func aQuizTakesTypedKeysAndShowsItsKeysNotTheBuilders() throws {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        // q, n and 1 are letters of an answer while a quiz waits.
        Self.type(&shell, "q1n")
        #expect(shell.exitCode == nil)
        var screen = Self.screen(shell)
        #expect(screen.contains("answer › q1n"), "the typed letters are not in the answer:\n\(screen)")
        #expect(screen.contains("Enter check") && !screen.contains("a add"), "the status line is not the quiz's:\n\(screen)")
        Self.keys(&shell, .enter)
        screen = Self.screen(shell)
        #expect(screen.contains("Type a number"), "an unreadable answer has no reason:\n\(screen)")
        Self.keys(&shell, .escape)
        Self.type(&shell, "3,071")
        Self.keys(&shell, .enter)
        #expect(Self.screen(shell).contains("Not quite"))
        Self.type(&shell, "3072")
        Self.keys(&shell, .enter)
        screen = Self.screen(shell)
        #expect(screen.contains("✓ 3072") && screen.contains("32 × 32 × 3 = 3,072."), "the answer and its explanation are not on screen:\n\(screen)")
        // A second Enter after the quiz must not open the builder's edit prompt.
        Self.keys(&shell, .enter)
        #expect(Self.controller(shell)?.app.prompt == nil)
    }

    @Test func goingBackKeepsTheAnswerAndResumingShowsItAnswered() throws {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        Self.type(&shell, "3072")
        Self.keys(&shell, .enter, .char("n"))
        #expect(Self.controller(shell)?.session.stepIndex == 1)
        Self.keys(&shell, .char("p"))
        #expect(Self.controller(shell)?.session.pendingQuiz == nil, "going back asks the answered quiz again")
        Self.keys(&shell, .char("n"))
        #expect(Self.controller(shell)?.session.stepIndex == 1, "n typed into a quiz instead of moving on")

        // The saved progress brings the answer back in a new session.
        var resumed = Self.shell(progress: shell.progress)
        Self.keys(&resumed, .char("r"))
        #expect(Self.controller(resumed)?.session.pendingQuiz != nil, "r restarts: the quiz is asked again")
        resumed = Self.shell(progress: shell.progress)
        _ = resumed.handle(.key(.enter))
        let c = try #require(Self.controller(resumed))
        #expect(c.session.stepIndex == 1)
        var back = resumed
        Self.keys(&back, .char("p"))
        #expect(Self.controller(back)?.session.pendingQuiz == nil, "resuming asks an answered quiz again")
    }

    @Test func aTaskIsDoneByTheLearnersEditsAndRefusesANearMiss() throws {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        Self.type(&shell, "3072")
        Self.keys(&shell, .enter, .char("n"))
        var screen = Self.screen(shell)
        #expect(screen.contains("✗ No Flatten left"), "goals are not in plain English:\n\(screen)")
        Self.type(&shell, ":remove flatten")
        Self.keys(&shell, .enter)
        #expect(Self.controller(shell)?.session.pendingTask != nil, "the near miss was accepted")
        screen = Self.screen(shell)
        #expect(screen.contains("✓ No Flatten left") && screen.contains("✗ One GlobalAveragePooling2D"))
        Self.keys(&shell, .char("u"))
        Self.type(&shell, ":replace flatten GlobalAveragePooling2D()")
        Self.keys(&shell, .enter)
        screen = Self.screen(shell)
        #expect(Self.controller(shell)?.session.pendingTask == nil, "the solution was refused:\n\(screen)")
        #expect(screen.contains("every goal holds"))
    }

    @Test func anEditOutsideATaskLastsTheStepAndIsOneUndoAwayAfter() throws {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        Self.type(&shell, "3072")
        Self.keys(&shell, .enter)
        Self.type(&shell, ":add Dense(4)")
        Self.keys(&shell, .enter)
        let edited = try #require(Self.controller(shell)).app.model
        #expect(edited.layers.count == 1, "the learner's layer is not in the model")
        #expect(Self.controller(shell)?.session.state.model == edited, "the lesson and the builder disagree on the model")
        Self.keys(&shell, .char("n"))
        #expect(Self.screen(shell).contains("u brings yours back"))
    }

    @Test func anotherScreenSaysHowToComeBack() {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        Self.type(&shell, "3072")
        Self.keys(&shell, .enter, .char("1"))
        #expect(Self.controller(shell)?.app.screen == .builder)
        #expect(Self.screen(shell).contains("Esc back to the lesson"))
        Self.keys(&shell, .escape)
        #expect(Self.controller(shell)?.app.screen == .lesson)
    }

    @Test func qOnTheTooSmallScreenQuitsInsteadOfTyping() {
        var shell = Self.shell()
        Self.keys(&shell, .enter)
        _ = shell.handle(.resize(width: 40, height: 10))
        #expect(Self.screen(shell).contains("terminal too small"))
        Self.keys(&shell, .char("q"))
        #expect(shell.exitCode == 0)
    }

    @Test func aLessonWhoseFirstStepRunsTheModelStartsTheRun() throws {
        let text = "---\nid: run\ntitle: Run\norder: 1\n---\n\n## Run it\n\n```model\nmodel = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(2, 3)])\n```\n\n```view feature-maps\n```\n\n```run\n```\n\nThe maps are on screen.\n"
        let lesson = try LessonParser.parse(text, file: "run.md")
        var shell = TutorShell(menu: LessonMenu(lessons: [lesson], progress: LearnerProgress()))
        shell.open(lesson)
        #expect(shell.isWaitingForWork)
        let effects = shell.start()
        #expect(effects.contains { if case .runForward = $0 { true } else { false } }, "the first step's run is dropped: \(effects)")
    }

    @Test func escapeMidLessonInAOneLessonRunOpensTheMenuAndEnterResumes() throws {
        var shell = Self.shell()
        shell.exitAfterLesson = true
        shell.open(Self.lesson)
        Self.type(&shell, "12")
        Self.keys(&shell, .escape, .escape)
        #expect(shell.exitCode == nil, "a second Esc on an empty answer left the program")
        #expect(Self.controller(shell) == nil && Self.screen(shell).contains("in one lesson."), "not the menu:\n\(Self.screen(shell))")
        Self.keys(&shell, .enter)
        Self.type(&shell, "3072")
        Self.keys(&shell, .enter, .char("n"), .escape)
        #expect(shell.exitCode == nil && Self.controller(shell) == nil, "Esc in a task step is the menu too")
        Self.keys(&shell, .enter)
        #expect(Self.controller(shell)?.session.stepIndex == 1, "Enter resumes the lesson where it was")
        Self.keys(&shell, .char("m"), .char("q"))
        #expect(shell.exitCode == 0, "q in the menu leaves")
    }

    @Test func playbackPressesTheLearnersKeysAndEndsOnASummaryThatWaitsForAKey() throws {
        var shell = Self.shell()
        shell.open(Self.lesson, player: Autoplayer(speed: 10))
        let runner = EffectRunner()
        var seconds = 0.0
        while !shell.showsSummary, seconds < 3600 {
            for e in shell.handle(.tick(seconds: 0.05)) { runner.run(e) }
            runner.waitUntilIdle()
            for m in runner.takeMessages() { _ = shell.handle(m) }
            seconds += 0.05
        }
        #expect(shell.showsSummary, "playback did not reach the summary in an hour")
        let c = try #require(Self.controller(shell))
        #expect(c.session.answers.items.count == 2, "the quiz and the task were not answered through the keys")
        #expect(Self.screen(shell).contains("Press any key"))
        #expect(!shell.wantsTicks, "the summary of a class demo should wait, not tick")
        Self.keys(&shell, .char("x"))
        #expect(shell.exitCode == 0)
    }
}
