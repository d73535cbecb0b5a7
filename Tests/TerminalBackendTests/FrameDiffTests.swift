import Testing
@testable import TerminalBackend
import TutorUI

@Suite struct FrameDiffTests {
    @Test func onlyChangedCellsAreRedrawn() {
        var a = ScreenBuffer(width: 120, height: 40)
        a.put("Total params: 11,574,090", x: 1, y: 30)
        var b = a
        b.put("Total params: 15,309,642", x: 1, y: 30)
        let changes = FrameDiff.changes(from: a, to: b)
        #expect(changes.count == 7, "only the digits that differ: \(changes.map { b[$0.x, $0.y].char })")
        #expect(changes.allSatisfy { $0.y == 30 })
        #expect(FrameDiff.changes(from: b, to: b).isEmpty)
    }

    @Test func styleChangesCountAndResizesRepaintEverything() {
        var a = ScreenBuffer(width: 10, height: 2)
        a.put("row", x: 0, y: 0)
        var b = a
        b.restyle(Rect(x: 0, y: 0, width: 3, height: 1)) { $0.reverse = true }
        #expect(FrameDiff.changes(from: a, to: b).count == 3)
        #expect(FrameDiff.changes(from: nil, to: b).count == 20)
        #expect(FrameDiff.changes(from: ScreenBuffer(width: 9, height: 2), to: b).count == 20)
        #expect(FrameDiff.isFull(from: nil, to: b))
    }

    @Test func aKeystrokeInTheAppRedrawsAFewCells() {
        var state = AppState(width: 120, height: 40)
        _ = update(&state, .setSource("keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3), keras.layers.Flatten(), keras.layers.Dense(10)])"))
        var before = ScreenBuffer(width: 120, height: 40)
        view(state, into: &before)
        _ = update(&state, .key(.down))
        var after = ScreenBuffer(width: 120, height: 40)
        view(state, into: &after)
        let changed = FrameDiff.changes(from: before, to: after).count
        #expect(changed > 0 && changed < 120 * 4, "moving the selection repaints about two rows, not the screen: \(changed)")
    }
}
