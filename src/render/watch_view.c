/* SPDX-License-Identifier: MIT */
/* watch_view.c: the --watch screen, drawn with ncurses (see watch_view.h).
 *
 * Layout, top to bottom: a title line (scope, period, sort, keys), the
 * verdict, the host counters, the table of destinations, and, when 'f'
 * was pressed, the findings of the last refresh in the lower half. Every
 * line is cut at the screen's width; nothing wraps. Colour, when the
 * terminal has it, only repeats what the words say. */
#include "render/watch_view.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost/cost.h"
#include "util/lazy.h"
#include "util/lazy_curses.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct watch_view {
	SCREEN *screen;
	const struct watch_glyphs *glyphs;
	bool color;
};

enum { PAIR_HARMLESS = 1, PAIR_WATCH, PAIR_ACT };

struct watch_view *watch_view_open(struct tw_error *err)
{
	struct watch_view *v;
	const char *cs;

	if (lazy_curses_load(err) < 0)
		return NULL;
	v = tw_xcalloc(1, sizeof(*v));
	/* The user's locale, for UTF-8 glyphs; numbers stay as printf makes
	 * them in "C" (LC_NUMERIC is left alone). */
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	v->glyphs = cs && strcmp(cs, "UTF-8") == 0 ? &watch_glyphs_utf8 : &watch_glyphs_ascii;
	/* newterm, not initscr: a TERM without a terminfo entry is an error
	 * to report, not an exit inside the library. */
	v->screen = newterm(NULL, stdout, stdin);
	if (!v->screen) {
		free(v);
		tw_error_set(err, -ENOTSUP, "cannot draw on this terminal (TERM=%s)",
			     getenv("TERM") ? getenv("TERM") : "");
		return NULL;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(PAIR_HARMLESS, COLOR_GREEN, -1);
		init_pair(PAIR_WATCH, COLOR_YELLOW, -1);
		init_pair(PAIR_ACT, COLOR_RED, -1);
		v->color = true;
	}
	return v;
}

void watch_view_close(struct watch_view *v)
{
	if (!v)
		return;
	endwin();
	delscreen(v->screen);
	free(v);
}

static int level_pair(enum tw_cost_level l)
{
	return l == TW_COST_ACT ? PAIR_ACT : l == TW_COST_WATCH ? PAIR_WATCH : PAIR_HARMLESS;
}

/* Text at (y, x), cut at the right edge of the screen. */
static void put(int y, int x, const char *s)
{
	int w = COLS - x;

	if (y < 0 || y >= LINES || w <= 0)
		return;
	/* Bytes, not columns: the only multibyte text is a one-column
	 * glyph, so this may cut a line short by a column or two at most. */
	mvaddnstr(y, x, s, w);
}

static void put_right(int y, int right, const char *s)
{
	int n = (int)strlen(s);

	put(y, right - n > 0 ? right - n : 0, s);
}

/* Lays out 'n' chunks from line *y on, three spaces apart, starting a
 * new line when the next one would not fit (so nothing is cut on a
 * narrow terminal unless a chunk alone is wider than the screen). */
static void flow(int *y, char *const *chunks, size_t n)
{
	int x = 0;

	for (size_t i = 0; i < n; i++) {
		int w = (int)strlen(chunks[i]);

		if (x > 0 && x + 3 + w > COLS) {
			(*y)++;
			x = 0;
		} else if (x > 0) {
			x += 3;
		}
		put(*y, x, chunks[i]);
		x += w;
	}
	(*y)++;
}

/* Words of 's' on at most 'max' lines from *y; the last one is cut. */
static void wrap(int *y, const char *s, int max)
{
	int lines = 0;

	while (*s && lines < max) {
		size_t n = strlen(s), cut = n;

		if ((int)n > COLS && lines + 1 < max) {
			cut = (size_t)COLS;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)COLS;
		}
		if (*y < LINES && COLS > 0)
			mvaddnstr(*y, 0, s, (int)(cut < (size_t)COLS ? cut : (size_t)COLS));
		(*y)++;
		lines++;
		s += cut;
		while (*s == ' ')
			s++;
	}
}

static char *counter_text(const char *name, const struct watch_counter *c,
			  const struct watch_glyphs *g)
{
	struct strbuf sb = STRBUF_INIT;

	if (c->rate_known)
		sb_appendf(&sb, "%s %.1f", name, c->per_s);
	else
		sb_appendf(&sb, "%s %s", name, g->none);
	return sb_steal(&sb);
}

/* Columns of the table, from the right edge of each; with
 * --all-namespaces the NETNS column comes first (W_NS wide) and the
 * others move right. */
enum {
	W_NS = 19,
	W_HELD = 7, W_TW = 10, W_BAR = 10, W_PCT = 6, W_RATE = 7, W_TREND = 3, W_ETA = 8,
	W_FIXED = 7 + W_HELD + W_TW + 1 + W_BAR + W_PCT + W_RATE + W_TREND + W_ETA,
};

/* A namespace name in the NETNS column: cut with a '~' when too long. */
static void put_netns(int y, const char *name)
{
	char cut[W_NS];
	size_t n = strlen(name);

	if (n <= W_NS - 2) {
		put(y, 0, name);
		return;
	}
	memcpy(cut, name, W_NS - 3);
	cut[W_NS - 3] = '~';
	cut[W_NS - 2] = '\0';
	put(y, 0, cut);
}

static void draw_row(int y, const struct watch_row *r, const struct watch_glyphs *g, int x0,
		     int dest_w)
{
	struct strbuf sb = STRBUF_INIT;
	int x = x0 + 7 + dest_w;
	char bar[W_BAR + 1];

	if (x0)
		put_netns(y, r->netns);
	put(y, x0, r->tuple.side == TW_SIDE_CLIENT ? "client" : "server");
	watch_format_dest(&r->tuple, " -> ", &sb);
	if ((int)sb.len > dest_w - 1) {
		sb_reset(&sb);
		watch_format_dest(&r->tuple, "->", &sb);
	}
	if ((int)sb.len > dest_w - 1 && dest_w > 2) {
		/* Too long: keep the end, where the port is, and say so. */
		const char *tail = sb.buf + sb.len - (size_t)(dest_w - 2);

		put(y, x0 + 7, "~");
		put(y, x0 + 8, tail);
	} else {
		put(y, x0 + 7, sb_str(&sb));
	}
	sb_reset(&sb);
	sb_appendf(&sb, "%llu", (unsigned long long)r->tuple.held);
	put_right(y, x += W_HELD, sb_str(&sb));
	sb_reset(&sb);
	sb_appendf(&sb, "%llu", (unsigned long long)r->tuple.count);
	put_right(y, x += W_TW, sb_str(&sb));
	x += 1;
	/* Utilization: held / ports as a bar of W_BAR - 2 cells. */
	if (r->ports) {
		double u = (double)r->tuple.held / (double)r->ports;
		int cells = W_BAR - 2, full = (int)(u * cells + 0.5);

		full = full > cells ? cells : full < 0 ? 0 : full;
		bar[0] = '[';
		for (int i = 0; i < cells; i++)
			bar[1 + i] = i < full ? '#' : '.';
		bar[W_BAR - 1] = ']';
		bar[W_BAR] = '\0';
		put(y, x, bar);
		sb_reset(&sb);
		sb_appendf(&sb, u < 0.1 ? "%.1f%%" : "%.0f%%", u * 100);
		put_right(y, x + W_BAR + W_PCT - 1, sb_str(&sb));
	} else {
		put(y, x, g->none);
	}
	x += W_BAR + W_PCT;
	sb_reset(&sb);
	if (r->rate_known)
		sb_appendf(&sb, "%.1f", r->rate);
	else
		sb_append(&sb, g->none);
	put_right(y, x += W_RATE, sb_str(&sb));
	put(y, x + 2, watch_trend_glyph(g, r->trend));
	x += W_TREND;
	sb_reset(&sb);
	watch_format_eta(r, g, &sb);
	put_right(y, x + W_ETA, sb_str(&sb));
	sb_free(&sb);
}

static void draw_header_row(int y, int x0, int dest_w)
{
	int x = x0 + 7 + dest_w;

	attron(A_BOLD);
	if (x0)
		put(y, 0, "NETNS");
	put(y, x0, "SIDE");
	put(y, x0 + 7, "DESTINATION");
	put_right(y, x += W_HELD, "HELD");
	put_right(y, x += W_TW, "TIME_WAIT");
	put(y, x + 1, "USE");
	x += 1 + W_BAR + W_PCT;
	put_right(y, x += W_RATE, "NEW/s");
	put(y, x + 1, "TR");
	x += W_TREND;
	put_right(y, x + W_ETA, "EXHAUST");
	attroff(A_BOLD);
}

static int draw_findings(int y, const struct watch_view_scope *scopes, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t total = 0;

	for (size_t j = 0; j < n; j++)
		total += scopes[j].rep->nfindings;
	attron(A_BOLD);
	put(y++, 0, total ? "Findings of the last refresh (f hides):"
			  : "Findings of the last refresh: none (f hides)");
	attroff(A_BOLD);
	for (size_t j = 0; j < n && y < LINES; j++) {
		const struct tw_report *rep = scopes[j].rep;

		if (scopes[j].name && rep->nfindings) {
			/* Per namespace: its name, then its findings. */
			sb_reset(&sb);
			sb_appendf(&sb, "netns %s: %zu finding%s", scopes[j].name, rep->nfindings,
				   rep->nfindings == 1 ? "" : "s");
			attron(A_UNDERLINE);
			put(y++, 0, sb_str(&sb));
			attroff(A_UNDERLINE);
		}
		for (size_t i = 0; i < rep->nfindings && y < LINES; i++) {
			const struct tw_finding *fi = &rep->findings[i];

			sb_reset(&sb);
			sb_appendf(&sb, "  %-8s %s%s: %s", severity_name(fi->severity), fi->id,
				   fi->acknowledged ? " (acknowledged)" : "", fi->title);
			put(y++, 0, sb_str(&sb));
		}
	}
	sb_free(&sb);
	return y;
}

void watch_view_draw(struct watch_view *v, const struct watch_frame *fr,
		     const struct watch_view_scope *scopes, size_t nscopes,
		     const struct watch_view_state *st)
{
	const struct watch_glyphs *g = v->glyphs;
	struct strbuf sb = STRBUF_INIT;
	int x0 = st->all_namespaces ? W_NS : 0;
	int y = 0, dest_w = COLS - W_FIXED - x0, table_end = LINES;
	enum tw_cost_level level;
	char clock[16] = "";
	char *chunks[6];
	size_t n = 0;
	struct tm tm;

	if (dest_w < 12)
		dest_w = 12;
	erase();
	if (localtime_r(&fr->wall, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	/* Title: what is watched and how, then the keys. */
	sb_appendf(&sb, "twadvise --watch %gs  %s  %s #%lu  sorted by %s", st->interval_s, st->scope,
		   clock, st->refreshes, watch_sort_name(st->sort));
	if (st->all_namespaces)
		sb_appendf(&sb, "  showing %s", st->focus ? st->focus : "all");
	chunks[n++] = sb_steal(&sb);
	chunks[n++] = tw_xstrdup(st->all_namespaces ? "q quit  s sort  f findings  n namespace"
						    : "q quit  s sort  f findings");
	attron(A_REVERSE);
	flow(&y, chunks, n);
	attroff(A_REVERSE);
	while (n)
		free(chunks[--n]);
	if (st->status) {
		attron(A_BOLD);
		wrap(&y, st->status, 2);
		attroff(A_BOLD);
	}

	if (st->summary) {
		watch_format_verdict_all(st->summary, &sb);
		level = st->summary->verdict;
	} else {
		watch_format_verdict(scopes[0].rep, &sb);
		level = scopes[0].rep->verdict;
	}
	if (v->color)
		attron(COLOR_PAIR(level_pair(level)) | A_BOLD);
	wrap(&y, sb_str(&sb), 2);
	if (v->color)
		attroff(COLOR_PAIR(level_pair(level)) | A_BOLD);

	sb_reset(&sb);
	if (fr->tw_known)
		sb_appendf(&sb, "TIME_WAIT %llu", (unsigned long long)fr->tw_total);
	else
		sb_appendf(&sb, "TIME_WAIT %s", g->none);
	if (st->all_namespaces && !st->focus)
		sb_append(&sb, " (all namespaces; counters: the host's)");
	chunks[n++] = sb_steal(&sb);
	chunks[n++] = counter_text("ActiveOpens/s", &fr->active_opens, g);
	chunks[n++] = counter_text("TWRecycled/s", &fr->tw_recycled, g);
	chunks[n++] = counter_text("TCPTimeWaitOverflow/s", &fr->tw_overflow, g);
	sb_append(&sb, "conntrack ");
	if (fr->conntrack_known)
		sb_appendf(&sb, "%lld", (long long)fr->conntrack_count);
	else
		sb_append(&sb, g->none);
	if (fr->conntrack_max_known)
		sb_appendf(&sb, "/%lld", (long long)fr->conntrack_max);
	chunks[n++] = sb_steal(&sb);
	flow(&y, chunks, n);
	while (n)
		free(chunks[--n]);
	y++;

	if (st->show_findings)
		table_end = y + 2 + (LINES - y - 2) / 2;
	draw_header_row(y++, x0, dest_w);
	if (fr->nrows == 0)
		put(y++, 0, "no destination holds a TIME_WAIT socket");
	for (size_t i = 0; i < fr->nrows && y < table_end; i++)
		draw_row(y++, &fr->rows[i], g, x0, dest_w);
	if (st->show_findings)
		draw_findings(y + 1, scopes, nscopes);
	sb_free(&sb);
	refresh();
}

int watch_view_key(struct watch_view *v, int timeout_ms)
{
	int c;

	(void)v;
	timeout(timeout_ms < 0 ? 0 : timeout_ms);
	c = getch();
	if (c == KEY_RESIZE)
		return WATCH_KEY_RESIZE;
	if (c == ERR)
		return WATCH_KEY_NONE;
	return c;
}

bool watch_view_quit_typed(struct watch_view *v)
{
	int c;

	(void)v;
	timeout(0);
	c = getch();
	if (c == 'q' || c == 'Q')
		return true;
	if (c != ERR)
		ungetch(c);   /* read again after the refresh */
	return false;
}
