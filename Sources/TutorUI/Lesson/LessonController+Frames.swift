import LessonKit

extension LessonController {
    /// The app's screen at the end of every step, played with the right answers, as plain text.
    ///
    /// What `play --headless --frames` prints: the same screens the terminal
    /// shows, with no terminal involved.
    public static func stepFrames(_ lesson: Lesson, width: Int, height: Int) -> [String] {
        var controller = LessonController(lesson: lesson, app: AppState(width: width, height: height, caps: .full))
        var frames: [String] = []
        var buffer = ScreenBuffer(width: width, height: height)
        while true {
            controller.session.finishStep()
            _ = controller.sync()
            view(controller.app, into: &buffer)
            frames.append(buffer.plainText)
            if controller.session.isLastStep { break }
            _ = controller.nextStep()
        }
        return frames
    }
}
