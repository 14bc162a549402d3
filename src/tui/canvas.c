#include "tui/canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tui_canvas *tui_canvas_new(int w, int h, int ascii)
{
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    tui_canvas *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cells = calloc((size_t)w * (size_t)h, sizeof *c->cells);
    if (!c->cells) {
        free(c);
        return NULL;
    }
    c->w = w;
    c->h = h;
    c->ascii = ascii;
    return c;
}

void tui_canvas_free(tui_canvas *c)
{
    if (c)
        free(c->cells);
    free(c);
}

void tui_canvas_clear(tui_canvas *c)
{
    memset(c->cells, 0, (size_t)c->w * (size_t)c->h * sizeof *c->cells);
}

void tui_put(tui_canvas *c, int x, int y, uint32_t ch, int color, int attr)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    if (c->ascii && ch > 126)
        ch = '?';
    tui_cell *cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
    cell->ch = ch;
    cell->color = (uint8_t)color;
    cell->attr = (uint8_t)attr;
}

/* Decodes one UTF-8 sequence; returns its length (1 for an invalid byte,
 * decoded as U+FFFD). */
static int utf8_next(const unsigned char *s, uint32_t *cp)
{
    int n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3
            : (s[0] >> 3) == 30 ? 4 : 0;
    if (n == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    *cp = v;
    return n;
}

int tui_text(tui_canvas *c, int x, int y, int maxw, int color, int attr, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    int n = 0;
    if (maxw < 0)
        maxw = c->w - x;
    while (*s && n < maxw) {
        uint32_t cp;
        s += utf8_next(s, &cp);
        if (cp < 32 || cp == 0xFFFD)
            cp = '?';
        tui_put(c, x + n, y, cp, color, attr);
        n++;
    }
    return n;
}

int tui_printf(tui_canvas *c, int x, int y, int maxw, int color, int attr,
               const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return tui_text(c, x, y, maxw, color, attr, buf);
}

void tui_fill(tui_canvas *c, int x, int y, int w, int h, uint32_t ch, int color, int attr)
{
    for (int j = y; j < y + h; j++)
        for (int i = x; i < x + w; i++)
            tui_put(c, i, j, ch, color, attr);
}

uint32_t tui_glyph_get(const tui_canvas *c, tui_glyph g)
{
    static const uint32_t uni[TUI_G_COUNT] = {
        0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518,
        0x2588, 0x2593, 0x2592, 0x2591, 0x2500, 0x25C6, 0x2022, 'L', 0x25B6,
    };
    static const uint32_t asc[TUI_G_COUNT] = {
        '-', '|', '+', '+', '+', '+', '#', '#', '=', '.', '-', 'O', '*', 'L', '>',
    };
    return c->ascii ? asc[g] : uni[g];
}

void tui_box(tui_canvas *c, int x, int y, int w, int h, const char *title, int focus)
{
    int col = focus ? TUI_C_ACCENT : TUI_C_DIM, attr = focus ? TUI_A_BOLD : 0;
    if (w < 2 || h < 2)
        return;
    for (int i = x + 1; i < x + w - 1; i++) {
        tui_put(c, i, y, tui_glyph_get(c, TUI_G_HLINE), col, 0);
        tui_put(c, i, y + h - 1, tui_glyph_get(c, TUI_G_HLINE), col, 0);
    }
    for (int j = y + 1; j < y + h - 1; j++) {
        tui_put(c, x, j, tui_glyph_get(c, TUI_G_VLINE), col, 0);
        tui_put(c, x + w - 1, j, tui_glyph_get(c, TUI_G_VLINE), col, 0);
    }
    tui_put(c, x, y, tui_glyph_get(c, TUI_G_TL), col, 0);
    tui_put(c, x + w - 1, y, tui_glyph_get(c, TUI_G_TR), col, 0);
    tui_put(c, x, y + h - 1, tui_glyph_get(c, TUI_G_BL), col, 0);
    tui_put(c, x + w - 1, y + h - 1, tui_glyph_get(c, TUI_G_BR), col, 0);
    if (title && *title) {
        tui_put(c, x + 1, y, ' ', col, 0);
        int n = tui_text(c, x + 2, y, w - 4, focus ? TUI_C_ACCENT : TUI_C_DEFAULT, attr, title);
        tui_put(c, x + 2 + n, y, ' ', col, 0);
    }
}

/* Encodes one code point as UTF-8; returns the byte count. */
static int utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char *tui_canvas_text(const tui_canvas *c)
{
    size_t cap = (size_t)c->h * ((size_t)c->w * 4 + 1) + 1, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (int y = 0; y < c->h; y++) {
        size_t line_start = n, last = n;
        for (int x = 0; x < c->w; x++) {
            uint32_t ch = c->cells[(size_t)y * (size_t)c->w + (size_t)x].ch;
            n += (size_t)utf8_put(out + n, ch ? ch : ' ');
            if (ch && ch != ' ')
                last = n;
        }
        n = last > line_start ? last : line_start;
        out[n++] = '\n';
    }
    out[n] = 0;
    return out;
}

int tui_wrap(tui_canvas *c, int x, int y, int w, int h, int color, int attr, const char *utf8)
{
    int row = 0;
    const char *p = utf8;
    while (*p && row < h) {
        while (*p == ' ')
            p++;
        /* Take as many whole words as fit (counting code points, not bytes). */
        const char *end = p, *brk = NULL;
        int cells = 0;
        while (*end && cells <= w) {
            if (*end == ' ')
                brk = end;
            if ((*end & 0xC0) != 0x80)
                cells++;
            end++;
        }
        if (!*end && cells <= w)
            brk = end;
        if (!brk || brk == p)
            brk = p + w; /* one word longer than the line: cut it */
        char line[1024];
        size_t n = (size_t)(brk - p) < sizeof line - 1 ? (size_t)(brk - p) : sizeof line - 1;
        memcpy(line, p, n);
        line[n] = 0;
        if (c) /* no canvas: just count the rows */
            tui_text(c, x, y + row, w, color, attr, line);
        p = brk;
        row++;
    }
    return row;
}
