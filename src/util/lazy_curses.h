/* SPDX-License-Identifier: MIT */
/* lazy_curses.h: for the one file that draws with curses (after
 * <curses.h>): the library's variables through the loaded library (see
 * dynlib.h), since a program not linked against it has no copy of them.
 * lazy_curses_load() (lazy.h) comes first. */
#ifndef TW_UTIL_LAZY_CURSES_H
#define TW_UTIL_LAZY_CURSES_H

#include <curses.h>

WINDOW **lazy_curses_stdscr(void);
int *lazy_curses_cols(void);
int *lazy_curses_lines(void);

#undef stdscr
#undef COLS
#undef LINES
#define stdscr (*lazy_curses_stdscr())
#define COLS (*lazy_curses_cols())
#define LINES (*lazy_curses_lines())

#endif
