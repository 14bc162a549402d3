/* test_e2e.c — the real binary in a real terminal: tmux, detached at
 * 100x30. Keys and mouse sequences go in with send-keys, the screen comes
 * back with capture-pane, and the assertions are about what a person would
 * see: numbers that move the way the law says, a slider that follows a
 * drag, the too-small screen, a clean exit. Skips when tmux is missing. */
#include "testutil.h"

#include <math.h>
#include <time.h>

static char sock[64];
static char outdir[256];

static void tmux(tu_run_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tmux(tu_run_result *r, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    tu_run(r, "tmux -L %s %s", sock, cmd);
}

static void screen(tu_run_result *r)
{
    tmux(r, "capture-pane -p -t e2e");
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Waits (up to 10 s) until the screen shows `text`. */
static int wait_for(tu_run_result *r, const char *text)
{
    for (int k = 0; k < 200; k++) {
        screen(r);
        if (strstr(r->out, text))
            return 1;
        sleep_ms(50);
    }
    return 0;
}

#define WAIT(r, text)                                                                  \
    do {                                                                               \
        if (!wait_for(r, text))                                                        \
            fail_msg("the screen never showed \"%s\"; it shows:\n%s", text, (r)->out); \
    } while (0)

/* The predicted loss of a domain: the number at the end of its row in the
 * loss panel (the second occurrence of the name on a line). */
static double loss_of(const char *scr, const char *domain)
{
    char key[64];
    snprintf(key, sizeof key, "\xe2\x94\x82%s ", domain); /* "│web " after the border */
    for (const char *p = scr; (p = strstr(p, key)); p++) {
        const char *eol = strchr(p, '\n');
        const char *q = eol ? eol : p + strlen(p);
        while (q > p && (q[-1] == ' ' || (unsigned char)q[-1] >= 0x80))
            q--; /* back over the border */
        while (q > p && (q[-1] == '.' || (q[-1] >= '0' && q[-1] <= '9')))
            q--;
        double v = atof(q);
        if (v > 0)
            return v;
    }
    fail_msg("no loss for %s on screen:\n%s", domain, scr);
    return NAN;
}

static void start(const char *args)
{
    tu_run_result r;
    char path[300];
    snprintf(path, sizeof path, "%s/exit", outdir);
    unlink(path); /* a stale status would answer for this session */
    tmux(&r, "kill-server");
    /* A server still shutting down can refuse the new session: retry. */
    for (int k = 0; k < 20; k++) {
        tmux(&r, "new-session -d -s e2e -x 100 -y 30 \"%s %s; echo EXIT=\\$? > %s; sleep 30\"",
             tu_bin(), args, path);
        if (r.status == 0)
            return;
        sleep_ms(100);
    }
    fail_msg("tmux new-session failed: %s", r.err);
}

static void stop(void)
{
    tu_run_result r;
    tmux(&r, "kill-server");
}

static int exit_status(void)
{
    char path[300], buf[64] = "";
    snprintf(path, sizeof path, "%s/exit", outdir);
    for (int k = 0; k < 100 && !buf[0]; k++) {
        tu_slurp(path, buf, sizeof buf);
        if (!buf[0])
            sleep_ms(50);
    }
    return strncmp(buf, "EXIT=", 5) == 0 ? atoi(buf + 5) : -1;
}

/* Keys change the numbers the way the law says. */
static void test_keys(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --params sample-data/truth.json");
    WAIT(&r, "Predicted loss at N=800M, D=16B");
    double web = loss_of(r.out, "web"), code = loss_of(r.out, "code");
    tmux(&r, "send-keys -t e2e L"); /* web +0.05 */
    WAIT(&r, "0.217");
    assert_true(loss_of(r.out, "web") < web);   /* more web data, more web capacity */
    assert_true(loss_of(r.out, "code") > code); /* code lost capacity and tokens */
    web = loss_of(r.out, "web");
    tmux(&r, "send-keys -t e2e ]"); /* a larger model */
    WAIT(&r, "N=951M");
    assert_true(loss_of(r.out, "web") < web);
    tmux(&r, "send-keys -t e2e o"); /* the optimum: the mean matches h* */
    sleep_ms(300);
    screen(&r);
    assert_non_null(strstr(r.out, "(+0.00%)"));
    tmux(&r, "send-keys -t e2e ?");
    WAIT(&r, "Keys (Esc or ? closes)");
    tmux(&r, "send-keys -t e2e Escape");
    sleep_ms(300);
    screen(&r);
    assert_null(strstr(r.out, "Keys (Esc"));
    tmux(&r, "send-keys -t e2e q");
    assert_int_equal(exit_status(), 0);
    screen(&r); /* the alternate screen is gone: no panel left */
    assert_null(strstr(r.out, "Mixture: weight"));
    stop();
}

/* A mouse press on a slider's track sets it; a drag moves it (X10
 * sequences, the encoding tmux-256color's kmous decodes). */
static void test_mouse_drag(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --params sample-data/truth.json");
    WAIT(&r, "Predicted loss at");
    tmux(&r, "display -p -t e2e '#{mouse_button_flag}'");
    assert_string_equal(r.out, "1\n"); /* button-motion mode 1002 is on */
    /* books is row 3; its track starts at column 13 (0-based) at 100 cols. */
    tmux(&r, "send-keys -t e2e -l '\033[M .$'"); /* press at x=13, y=3 */
    WAIT(&r, "\xe2\x96\xb6" "books");             /* selected */
    tmux(&r, "send-keys -t e2e -l '\033[M@4$'"); /* drag to x=19 */
    tmux(&r, "send-keys -t e2e -l '\033[M#4$'"); /* release */
    sleep_ms(300);
    screen(&r);
    const char *row = strstr(r.out, "books");
    assert_non_null(row);
    double h = atof(strstr(row, "0."));
    assert_true(fabs(h - 6.0 / 11) < 0.002); /* (19 - 13) / (12 - 1) of the track */
    tmux(&r, "send-keys -t e2e q");
    assert_int_equal(exit_status(), 0);
    stop();
}

static void test_resize_and_signals(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --params sample-data/truth.json --no-mouse");
    WAIT(&r, "Predicted loss at");
    tmux(&r, "display -p -t e2e '#{mouse_standard_flag}#{mouse_button_flag}'");
    assert_string_equal(r.out, "00\n"); /* --no-mouse: no reporting at all */
    tmux(&r, "resize-window -t e2e -x 60 -y 15");
    WAIT(&r, "terminal too small (need 80x24, have 60x15)");
    tmux(&r, "resize-window -t e2e -x 100 -y 30");
    WAIT(&r, "Predicted loss at");
    for (int k = 0; k < 30; k++) /* a storm of resizes */
        tmux(&r, "resize-window -t e2e -x %d -y %d", 70 + k, 20 + k % 10);
    tmux(&r, "resize-window -t e2e -x 100 -y 30");
    WAIT(&r, "Predicted loss at");
    /* SIGTERM: the terminal is restored and the status says so. */
    tu_run(&r, "pkill -TERM -f '^%s sample-data/sample.csv'", tu_bin());
    assert_int_equal(exit_status(), 128 + 15);
    screen(&r);
    assert_null(strstr(r.out, "Predicted loss"));
    stop();
}

/* The guided tour, as a class would see it. */
static void test_tour(void **state)
{
    (void)state;
    tu_run_result r;
    start("--tour --starts 3"); /* no sweep: the bundled sample */
    WAIT(&r, "Tour 1/5: capacity competition");
    assert_non_null(strstr(r.out, "web's weight went from 0.17 to 0.42"));
    tmux(&r, "send-keys -t e2e Enter");
    WAIT(&r, "Tour 2/5: noise reduction");
    WAIT(&r, "D=128B");
    tmux(&r, "send-keys -t e2e Enter");
    WAIT(&r, "Tour 3/5: model size");
    tmux(&r, "send-keys -t e2e Enter c");
    WAIT(&r, "NO COMPETITION");
    assert_non_null(strstr(r.out, "capacity"));
    tmux(&r, "send-keys -t e2e Escape");
    sleep_ms(300);
    screen(&r);
    assert_null(strstr(r.out, "Tour "));
    tmux(&r, "send-keys -t e2e q");
    assert_int_equal(exit_status(), 0);
    stop();
}

/* Without --params the first fit runs in the background and lands. */
static void test_background_fit(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --starts 4");
    WAIT(&r, "capnoise fitted in");
    assert_non_null(strstr(r.out, "train 0.4"));
    tmux(&r, "send-keys -t e2e m"); /* switch law: capnoise-g */
    WAIT(&r, "capnoise-g fitted in");
    tmux(&r, "send-keys -t e2e w");
    WAIT(&r, "write the fit to: mixscope-fit.json_");
    tmux(&r, "send-keys -t e2e C-u");
    for (size_t k = 0; k < strlen("mixscope-fit.json"); k++)
        tmux(&r, "send-keys -t e2e BSpace");
    tmux(&r, "send-keys -t e2e -l '%s/saved.json'", outdir);
    tmux(&r, "send-keys -t e2e Enter");
    WAIT(&r, "wrote ");
    char path[300];
    snprintf(path, sizeof path, "%s/saved.json", outdir);
    tu_slurp(path, r.out, sizeof r.out);
    assert_non_null(strstr(r.out, "\"law\": \"capnoise-g\""));
    assert_non_null(strstr(r.out, "\"explorer\""));
    tmux(&r, "send-keys -t e2e q");
    assert_int_equal(exit_status(), 0);
    stop();
}

static int setup(void **state)
{
    (void)state;
    tu_run_result r;
    if (tu_run(&r, "command -v tmux") != 0)
        return 0;
    snprintf(sock, sizeof sock, "mixscope-e2e-%d", (int)getpid());
    snprintf(outdir, sizeof outdir, "%s", tu_tmpdir());
    return 0;
}

#define E2E(f)                                                                     \
    static void f##_or_skip(void **state)                                          \
    {                                                                              \
        tu_run_result r_;                                                          \
        if (tu_run(&r_, "command -v tmux") != 0) {                                 \
            print_message("skipped: tmux is not installed\n");                     \
            skip();                                                                \
        }                                                                          \
        f(state);                                                                  \
    }
E2E(test_keys)
E2E(test_mouse_drag)
E2E(test_resize_and_signals)
E2E(test_background_fit)
E2E(test_tour)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_or_skip),
        cmocka_unit_test(test_mouse_drag_or_skip),
        cmocka_unit_test(test_resize_and_signals_or_skip),
        cmocka_unit_test(test_background_fit_or_skip),
        cmocka_unit_test(test_tour_or_skip),
    };
    return cmocka_run_group_tests_name("e2e", tests, setup, NULL);
}
