import TutorUI

/// Which cells to redraw to turn one frame into the next.
///
/// Both the ncurses backend and the ANSI renderer draw only these cells; a
/// missing previous frame, or one of another size, means every cell.
public enum FrameDiff {
    /// The positions whose cell differs, row by row, left to right.
    public static func changes(from old: ScreenBuffer?, to new: ScreenBuffer) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        let full = old == nil || old!.width != new.width || old!.height != new.height
        for y in 0..<new.height {
            for x in 0..<new.width where full || old![x, y] != new[x, y] {
                out.append((x, y))
            }
        }
        return out
    }

    /// True when the whole screen must be repainted.
    public static func isFull(from old: ScreenBuffer?, to new: ScreenBuffer) -> Bool {
        old == nil || old!.width != new.width || old!.height != new.height
    }
}
