/* canvas.h — a grid of cells (a character and a style) that every panel
 * renders into. Pure: no curses here; term.c presents a canvas, tests read
 * it back as text. */
#ifndef MIXSCOPE_TUI_CANVAS_H
#define MIXSCOPE_TUI_CANVAS_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Colours are hints: every meaning is also carried by a glyph or a label,
 * so a monochrome terminal (NO_COLOR, --no-color) loses nothing. */
typedef enum {
    TUI_C_DEFAULT = 0,
    TUI_C_CAPACITY, /* capacity term, capacity share */
    TUI_C_NOISE,    /* noise term */
    TUI_C_IRREDUCIBLE,
    TUI_C_ACCENT,   /* selection, titles of the focused panel */
    TUI_C_GOOD,     /* better than the optimum / train points */
    TUI_C_BAD,      /* worse / warnings / test points */
    TUI_C_DIM,      /* axes, hints */
    TUI_C_COUNT
} tui_color;

enum { TUI_A_BOLD = 1, TUI_A_REVERSE = 2, TUI_A_DIM = 4, TUI_A_UNDERLINE = 8 };

typedef struct {
    uint32_t ch;     /* a Unicode code point; 0 = blank */
    uint8_t color;   /* tui_color */
    uint8_t attr;    /* TUI_A_* */
} tui_cell;

typedef struct {
    int w, h;
    tui_cell *cells; /* h rows of w */
    int ascii;       /* draw with ASCII only (no box drawing, blocks, braille) */
} tui_canvas;

/* A canvas of w x h blank cells; NULL when out of memory. */
tui_canvas *tui_canvas_new(int w, int h, int ascii);
void tui_canvas_free(tui_canvas *c);
/* Blanks every cell. */
void tui_canvas_clear(tui_canvas *c);

/* Puts one code point; outside the canvas is ignored (panels clip). */
void tui_put(tui_canvas *c, int x, int y, uint32_t ch, int color, int attr);
/* Writes UTF-8 text from (x, y), at most maxw cells (maxw < 0: to the
 * edge). Returns the number of cells written. Invalid UTF-8 shows as '?'. */
int tui_text(tui_canvas *c, int x, int y, int maxw, int color, int attr, const char *utf8);
/* printf into the canvas (same clipping as tui_text). */
int tui_printf(tui_canvas *c, int x, int y, int maxw, int color, int attr,
               const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Writes text word-wrapped into a w x h box at (x, y); returns the rows
 * used. c NULL only counts them. */
int tui_wrap(tui_canvas *c, int x, int y, int w, int h, int color, int attr, const char *utf8);

/* Fills a rectangle with one code point. */
void tui_fill(tui_canvas *c, int x, int y, int w, int h, uint32_t ch, int color, int attr);
/* A box with a title in its top border; `focus` draws it highlighted. */
void tui_box(tui_canvas *c, int x, int y, int w, int h, const char *title, int focus);

/* The canvas as UTF-8 text, one line per row, trailing blanks trimmed
 * (for tests). Caller frees. */
char *tui_canvas_text(const tui_canvas *c);

/* Glyphs with ASCII fallbacks. */
typedef enum {
    TUI_G_HLINE, TUI_G_VLINE, TUI_G_TL, TUI_G_TR, TUI_G_BL, TUI_G_BR,
    TUI_G_FULL, TUI_G_SHADE_DARK, TUI_G_SHADE_MED, TUI_G_SHADE_LIGHT,
    TUI_G_TRACK, TUI_G_KNOB, TUI_G_POINT, TUI_G_LOCK, TUI_G_ARROW, TUI_G_COUNT
} tui_glyph;
uint32_t tui_glyph_get(const tui_canvas *c, tui_glyph g);

#endif
