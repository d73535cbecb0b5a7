#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

// SwiftPM drops pkg-config's -D flags, which hides the wide-character API.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#else
#include <curses.h>
#include <term.h>
#endif

static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline int cnc_key_f(int n) { return KEY_F(n); }
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }

static inline mmask_t cnc_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cnc_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cnc_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t cnc_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t cnc_button5_pressed(void) { return 0; }
#endif
/// tigetstr's "absent" and "cancelled" results, as a plain flag.
static inline int cnc_has_capability(const char *name) {
    char *s = tigetstr(name);
    return s != NULL && s != (char *)-1;
}
/// Draws one wide character with attributes and a colour pair at (y, x).
static inline int cnc_put(int y, int x, wchar_t ch, attr_t attrs, int pair) {
    cchar_t c;
    wchar_t text[2] = { ch, 0 };
    setcchar(&c, text, attrs, (short)pair, NULL);
    return mvwadd_wch(stdscr, y, x, &c);
}


#include <sys/ioctl.h>
/// Sets a terminal's size in cells (ioctl is variadic, which Swift can't call).
static inline int cnc_set_winsize(int fd, unsigned short rows, unsigned short cols) {
    struct winsize ws = { rows, cols, 0, 0 };
    return ioctl(fd, TIOCSWINSZ, &ws);
}


/// Pseudo-terminal calls that glibc hides without _XOPEN_SOURCE >= 600 (used by the start-up bench).
int posix_openpt(int flags);
int grantpt(int fd);
int unlockpt(int fd);
char *ptsname(int fd);

#endif
