#include "tui/term.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

struct tui_term {
    SCREEN *screen;
    FILE *in, *out; /* what the screen reads and writes (owned when opened on fds) */
    int own_files, out_fd;
    int color, mouse, mouse_1002;
    tui_canvas *prev; /* what the screen shows */
    int closed;
};

/* Set by signal handlers; read by the event loop. */
static volatile sig_atomic_t got_signal, got_cont;
static struct termios saved_termios;
static int have_termios;

static void on_quit_signal(int sig) { got_signal = sig; }

/* After a suspend (Ctrl-Z, fg) ncurses restores its own modes, mouse
 * clicks (1000) among them, but not our button-motion mode 1002. */
static void on_cont_signal(int sig)
{
    (void)sig;
    got_cont = 1;
}

int tui_term_signal(void) { return (int)got_signal; }

/* Async-signal-safe restore for crashes: mouse modes off, cursor on, main
 * screen, cooked mode; then die the way we were going to. */
static void on_crash_signal(int sig)
{
    static const char seq[] = "\033[?1002l\033[?1000l\033[?1006l\033[?25h\033[?1049l\r\n";
    ssize_t w = write(STDOUT_FILENO, seq, sizeof seq - 1);
    (void)w;
    if (have_termios)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal; /* no SA_RESTART: a blocked read returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_cont_signal;
    sigaction(SIGCONT, &sa, NULL);
    sa.sa_handler = on_crash_signal;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
}

/* Colour pairs by tui_color; meaning never rests on colour alone. */
static void init_colors(void)
{
    static const short fg[TUI_C_COUNT] = {-1, COLOR_MAGENTA, COLOR_CYAN, COLOR_WHITE,
                                          COLOR_YELLOW, COLOR_GREEN, COLOR_RED, -1};
    start_color();
    use_default_colors();
    for (int k = 1; k < TUI_C_COUNT; k++)
        init_pair((short)k, fg[k], -1);
}

static int terminal_has_mouse(void)
{
    const char *km = tigetstr("kmous");
    return km && km != (char *)-1 && *km;
}

tui_term *tui_term_open(int color, int mouse, int *unicode, ms_diag *d)
{
    return tui_term_open_fds(STDIN_FILENO, STDOUT_FILENO, color, mouse, unicode, d);
}

tui_term *tui_term_open_fds(int in_fd, int out_fd, int color, int mouse, int *unicode,
                            ms_diag *d)
{
    if (!isatty(in_fd) || !isatty(out_fd))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "the explorer needs a terminal; for scripts use mixscope info, "
                           "fit or predict"), NULL;
    tui_term *t = calloc(1, sizeof *t);
    if (!t)
        return ms_diag_set(d, MS_ENOMEM, NULL, 0, 0, "out of memory"), NULL;
    t->out_fd = out_fd;
    if (in_fd == STDIN_FILENO && out_fd == STDOUT_FILENO) {
        t->in = stdin;
        t->out = stdout;
    } else {
        t->in = fdopen(dup(in_fd), "r");
        t->out = fdopen(dup(out_fd), "w");
        t->own_files = 1;
    }
    have_termios = tcgetattr(in_fd, &saved_termios) == 0;
    if (!t->in || !t->out || !(t->screen = newterm(NULL, t->out, t->in))) {
        if (t->own_files) {
            if (t->in)
                fclose(t->in);
            if (t->out)
                fclose(t->out);
        }
        free(t);
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "cannot use this terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : ""),
               NULL;
    }
    *unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    t->color = color && has_colors() && !getenv("NO_COLOR");
    if (t->color)
        init_colors();
    if (mouse && terminal_has_mouse()) {
        mouseinterval(0); /* raw presses and releases, no click synthesis */
        mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED |
                      REPORT_MOUSE_POSITION, NULL);
        t->mouse = 1; /* 1002 goes out after the first frame: see raw_write */
    }
    install_signals();
    return t;
}

/* Sequences ncurses does not know about go straight to the terminal, after
 * ncurses has flushed its own (putp would queue them behind ncurses'
 * buffer and, e.g., send 1002h after ncurses' 1000h had already been
 * overridden - xterm's mouse modes replace one another). */
static void raw_write(tui_term *t, const char *seq)
{
    fflush(t->out);
    size_t n = strlen(seq);
    while (n) {
        ssize_t w = write(t->out_fd, seq, n);
        if (w <= 0 && errno != EINTR)
            return;
        if (w > 0)
            seq += w, n -= (size_t)w;
    }
}

void tui_term_close(tui_term *t)
{
    if (!t || t->closed)
        return;
    if (t->mouse_1002)
        raw_write(t, "\033[?1002l");
    if (t->mouse)
        mousemask(0, NULL);
    curs_set(1);
    endwin();
    delscreen(t->screen);
    if (t->own_files) {
        fclose(t->in);
        fclose(t->out);
    }
    t->closed = 1;
    tui_canvas_free(t->prev);
    free(t);
}

void tui_term_size(const tui_term *t, int *w, int *h)
{
    (void)t;
    getmaxyx(stdscr, *h, *w);
}

static attr_t cell_attr(const tui_term *t, const tui_cell *cell)
{
    attr_t a = A_NORMAL;
    if (cell->attr & TUI_A_BOLD)
        a |= A_BOLD;
    if (cell->attr & TUI_A_REVERSE)
        a |= A_REVERSE;
    if (cell->attr & TUI_A_UNDERLINE)
        a |= A_UNDERLINE;
    if ((cell->attr & TUI_A_DIM) || (!t->color && cell->color == TUI_C_DIM))
        a |= A_DIM;
    return a;
}

long tui_term_present(tui_term *t, const tui_canvas *c)
{
    long changed = 0;
    if (!t->prev || t->prev->w != c->w || t->prev->h != c->h) {
        tui_canvas_free(t->prev);
        t->prev = tui_canvas_new(c->w, c->h, c->ascii);
        clearok(stdscr, TRUE);
        if (t->prev) /* force every cell out */
            for (int k = 0; k < c->w * c->h; k++)
                t->prev->cells[k].ch = 0xFFFFFFFF;
    }
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            const tui_cell *cell = &c->cells[y * c->w + x];
            tui_cell *old = t->prev ? &t->prev->cells[y * c->w + x] : NULL;
            if (old && memcmp(old, cell, sizeof *cell) == 0)
                continue;
            /* The last cell of the screen scrolls some terminals: skip it. */
            if (y == c->h - 1 && x == c->w - 1)
                continue;
            wchar_t wc[2] = {(wchar_t)(cell->ch ? cell->ch : ' '), 0};
            cchar_t cc;
            setcchar(&cc, wc, cell_attr(t, cell), t->color ? (short)cell->color : 0, NULL);
            mvwadd_wch(stdscr, y, x, &cc);
            if (old)
                *old = *cell;
            changed++;
        }
    wnoutrefresh(stdscr);
    doupdate();
    if (got_cont) { /* resumed: ncurses has re-sent 1000, which cleared 1002 */
        got_cont = 0;
        t->mouse_1002 = 0;
    }
    if (t->mouse && !t->mouse_1002) {
        /* ncurses has sent its mouse mode (1000, clicks); ask for button
         * motion too, so a drag reports the pointer while it moves. */
        raw_write(t, "\033[?1002h");
        t->mouse_1002 = 1;
    }
    return changed;
}

static int translate_key(int code, wint_t wch)
{
    if (code == OK) {
        switch (wch) {
        case '\t': return TUI_KEY_TAB;
        case 27: return TUI_KEY_ESC;
        case '\r':
        case '\n': return TUI_KEY_ENTER;
        case 127:
        case 8: return TUI_KEY_BACKSPACE;
        }
        return (int)wch;
    }
    switch (wch) {
    case KEY_UP: return TUI_KEY_UP;
    case KEY_DOWN: return TUI_KEY_DOWN;
    case KEY_LEFT: return TUI_KEY_LEFT;
    case KEY_RIGHT: return TUI_KEY_RIGHT;
    case KEY_SLEFT: return TUI_KEY_SLEFT;
    case KEY_SRIGHT: return TUI_KEY_SRIGHT;
    case KEY_PPAGE: return TUI_KEY_PGUP;
    case KEY_NPAGE: return TUI_KEY_PGDN;
    case KEY_HOME: return TUI_KEY_HOME;
    case KEY_END: return TUI_KEY_END;
    case KEY_BTAB: return TUI_KEY_BTAB;
    case KEY_ENTER: return TUI_KEY_ENTER;
    case KEY_BACKSPACE: return TUI_KEY_BACKSPACE;
    case KEY_F(1): return TUI_KEY_F1;
    }
    return 0;
}

static int mouse_event(tui_event *ev, MEVENT *out)
{
    MEVENT me;
    if (getmouse(&me) != OK)
        return 0;
    *out = me;
    ev->kind = TUI_EV_MOUSE;
    ev->x = me.x;
    ev->y = me.y;
    if (me.bstate & BUTTON1_PRESSED)
        ev->mouse = TUI_M_PRESS;
    else if (me.bstate & BUTTON1_RELEASED)
        ev->mouse = TUI_M_RELEASE;
    else if (me.bstate & BUTTON4_PRESSED)
        ev->mouse = TUI_M_WHEEL_UP;
    else if (me.bstate & BUTTON5_PRESSED)
        ev->mouse = TUI_M_WHEEL_DOWN;
    else if (me.bstate & REPORT_MOUSE_POSITION)
        ev->mouse = TUI_M_DRAG;
    else
        return 0;
    return 1;
}

void tui_term_read(tui_term *t, int timeout_ms, tui_event *ev)
{
    (void)t;
    memset(ev, 0, sizeof *ev);
    if (got_signal) {
        ev->kind = TUI_EV_SIGNAL;
        return;
    }
    wtimeout(stdscr, timeout_ms);
    wint_t wch;
    int code = wget_wch(stdscr, &wch);
    if (code == ERR) {
        ev->kind = got_signal ? TUI_EV_SIGNAL : TUI_EV_NONE;
        return;
    }
    if (code == KEY_CODE_YES && wch == KEY_RESIZE) {
        ev->kind = TUI_EV_RESIZE;
        return;
    }
    if (code == KEY_CODE_YES && wch == KEY_MOUSE) {
        MEVENT me;
        if (!mouse_event(ev, &me))
            return;
        /* Coalesce a burst of drag reports into the latest one; whatever
         * follows the burst goes back in the queue. */
        while (ev->mouse == TUI_M_DRAG) {
            wtimeout(stdscr, 0);
            code = wget_wch(stdscr, &wch);
            if (code == ERR)
                break;
            tui_event next = *ev;
            if (code == KEY_CODE_YES && wch == KEY_MOUSE && mouse_event(&next, &me)) {
                if (next.mouse == TUI_M_DRAG) {
                    *ev = next;
                    continue;
                }
                ungetmouse(&me);
            } else if (code == KEY_CODE_YES)
                ungetch((int)wch);
            else
                unget_wch((wchar_t)wch);
            break;
        }
        return;
    }
    ev->kind = TUI_EV_KEY;
    ev->key = translate_key(code, wch);
    if (!ev->key)
        ev->kind = TUI_EV_NONE;
}
