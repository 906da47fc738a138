/* SPDX-License-Identifier: MIT */
/* lazy_curses.c: ncursesw, loaded when --watch draws its screen (see
 * dynlib.h, lazy.h and lazy_curses.h). */
#include "util/lazy.h"

#include "util/dynlib.h"
#include "util/lazy_curses.h"

/* Each name in parentheses where defined: curses may make any of them a
 * macro too. */
#define CURSES_FUNCS(X, V)                                                           \
	V(delscreen, (SCREEN * s), (s))                                              \
	X(int, endwin, (void), ())                                                   \
	X(bool, has_colors, (void), ())                                              \
	X(int, init_pair, (NCURSES_PAIRS_T p, NCURSES_COLOR_T f, NCURSES_COLOR_T b), \
	  (p, f, b))                                                                 \
	X(SCREEN *, newterm, (const char *type, FILE *out, FILE *in), (type, out, in)) \
	X(int, noecho, (void), ())                                                   \
	X(int, start_color, (void), ())                                              \
	X(int, use_default_colors, (void), ())                                       \
	X(int, waddnstr, (WINDOW * w, const char *s, int n), (w, s, n))              \
	X(int, wattr_off, (WINDOW * w, attr_t a, void *o), (w, a, o))                \
	X(int, wattr_on, (WINDOW * w, attr_t a, void *o), (w, a, o))                 \
	X(int, werase, (WINDOW * w), (w))                                            \
	X(int, wgetch, (WINDOW * w), (w))                                            \
	X(int, ungetch, (int c), (c))                                                \
	X(int, wmove, (WINDOW * w, int y, int x), (w, y, x))                         \
	X(int, wrefresh, (WINDOW * w), (w))                                          \
	X(int, cbreak, (void), ())                                                   \
	X(int, curs_set, (int v), (v))                                               \
	X(int, keypad, (WINDOW * w, bool on), (w, on))                               \
	V(wtimeout, (WINDOW * w, int ms), (w, ms))

DYNLIB_TABLE(CURSES_FUNCS, curses_lib, TW_SONAME_NCURSES, "the --watch screen");

/* The variables, looked up as the functions are (in libtinfo, which
 * ncursesw loads). */
#define CURSES_VARS(X, V) X(, stdscr, , ) X(, COLS, , ) X(, LINES, , )
#undef stdscr
#undef COLS
#undef LINES
DYNLIB_TABLE(CURSES_VARS, curses_vars, TW_SONAME_NCURSES, "the --watch screen");

int lazy_curses_load(struct tw_error *err)
{
	int r = dynlib_load(&curses_lib, err);

	return r < 0 ? r : dynlib_load(&curses_vars, err);
}

WINDOW **lazy_curses_stdscr(void)
{
	return dynlib_fn(&curses_vars, DYNLIB_I_stdscr);
}

int *lazy_curses_cols(void)
{
	return dynlib_fn(&curses_vars, DYNLIB_I_COLS);
}

int *lazy_curses_lines(void)
{
	return dynlib_fn(&curses_vars, DYNLIB_I_LINES);
}

#define X(ret, name, params, args) DYNLIB_X_TRAMPOLINE(curses_lib, ret, name, params, args)
#define V(name, params, args) DYNLIB_V_TRAMPOLINE(curses_lib, name, params, args)
CURSES_FUNCS(X, V)
