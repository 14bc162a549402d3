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
 * loss panel (the second occurrence of the name on a line), or NaN. */
static double find_loss(const char *scr, const char *domain)
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
    return NAN;
}

/* The loss on screen now: captures again (up to 2 s) while a frame is
 * still being drawn. Leaves the last capture in r. */
static double loss_of(tu_run_result *r, const char *domain)
{
    for (int k = 0; k < 40; k++) {
        double v = find_loss(r->out, domain);
        if (isfinite(v))
            return v;
        sleep_ms(50);
        screen(r);
    }
    fail_msg("no loss for %s on screen:\n%s", domain, r->out);
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
    start("sample-data/sample.csv --params sample-data/truth.json --no-select");
    WAIT(&r, "Predicted loss at N=800M, D=16B");
    double web = loss_of(&r, "web"), code = loss_of(&r, "code");
    tmux(&r, "send-keys -t e2e L"); /* web +0.05 */
    WAIT(&r, "0.217");
    assert_true(loss_of(&r, "web") < web);   /* more web data, more web capacity */
    assert_true(loss_of(&r, "code") > code); /* code lost capacity and tokens */
    web = loss_of(&r, "web");
    tmux(&r, "send-keys -t e2e ]"); /* a larger model */
    WAIT(&r, "N=951M");
    assert_true(loss_of(&r, "web") < web);
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
    start("sample-data/sample.csv --params sample-data/truth.json --no-select");
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
    start("sample-data/sample.csv --params sample-data/truth.json --no-mouse --no-select");
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

/* ---- signals and the terminal (issue 7) ---- */

/* The explorer's pid: the child of the pane's shell. */
static int app_pid(void)
{
    tu_run_result r;
    tmux(&r, "display -p -t e2e '#{pane_pid}'");
    int sh = atoi(r.out);
    for (int k = 0; k < 40; k++) {
        tu_run(&r, "pgrep -P %d", sh);
        if (atoi(r.out) > 0)
            return atoi(r.out);
        sleep_ms(50);
    }
    fail_msg("no process under the pane's shell %d", sh);
    return -1;
}

/* What the terminal is set to: alternate screen, cursor shown, mouse
 * reporting (any, button-motion 1002, standard 1000). */
static void term_modes(tu_run_result *r)
{
    tmux(r, "display -p -t e2e "
            "'alt=#{alternate_on} cursor=#{cursor_flag} "
            "mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}'");
}

#define RESTORED "alt=0 cursor=1 mouse=000\n"

/* Like start(), with a shell prefix (e.g. "trap '' INT;" so that the shell
 * outlives a Ctrl-C and reports the status). */
static void start_after(const char *prefix, const char *args)
{
    tu_run_result r;
    char path[300];
    snprintf(path, sizeof path, "%s/exit", outdir);
    unlink(path);
    tmux(&r, "kill-server");
    for (int k = 0; k < 20; k++) {
        tmux(&r, "new-session -d -s e2e -x 100 -y 30 \"%s %s %s; echo EXIT=\\$? > %s; sleep 30\"",
             prefix, tu_bin(), args, path);
        if (r.status == 0)
            return;
        sleep_ms(100);
    }
    fail_msg("tmux new-session failed: %s", r.err);
}

/* SIGHUP (the SSH connection dropped): the terminal is restored and the
 * exit status is 128 + 1. */
static void test_sighup(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --params sample-data/truth.json --no-select");
    WAIT(&r, "Predicted loss at");
    term_modes(&r);
    assert_string_equal(r.out, "alt=1 cursor=0 mouse=110\n");
    tu_run(&r, "kill -HUP %d", app_pid());
    assert_int_equal(exit_status(), 128 + 1);
    term_modes(&r);
    assert_string_equal(r.out, RESTORED);
    screen(&r);
    assert_null(strstr(r.out, "Predicted loss"));
    stop();
}

/* Ctrl-C typed at the keyboard: the terminal's SIGINT, status 128 + 2. */
static void test_sigint(void **state)
{
    (void)state;
    tu_run_result r;
    start_after("trap '' INT;", "sample-data/sample.csv --params sample-data/truth.json");
    WAIT(&r, "Predicted loss at");
    tmux(&r, "send-keys -t e2e C-c");
    assert_int_equal(exit_status(), 128 + 2);
    term_modes(&r);
    assert_string_equal(r.out, RESTORED);
    screen(&r);
    assert_null(strstr(r.out, "Predicted loss"));
    stop();
}

/* SIGINT during a background fit: the fit thread is stopped, the
 * terminal restored, no file written. */
static void test_sigint_during_fit(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --starts 200 --threads 1");
    WAIT(&r, "fitting capnoise");
    tu_run(&r, "kill -INT %d", app_pid());
    assert_int_equal(exit_status(), 128 + 2);
    term_modes(&r);
    assert_string_equal(r.out, RESTORED);
    stop();
}

/* The pane closes under the explorer (a real hangup: the pty goes away):
 * the process ends instead of spinning on a dead terminal. */
static void test_hangup_pane(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --params sample-data/truth.json --no-select");
    tmux(&r, "new-window -d -t e2e"); /* keeps the server up */
    WAIT(&r, "Predicted loss at");
    int pid = app_pid();
    tmux(&r, "kill-pane -t e2e:0.0");
    int gone = 0;
    for (int k = 0; k < 60 && !gone; k++) {
        tu_run(&r, "ps -o stat= -p %d", pid);
        gone = r.out[0] == 0 || r.out[0] == 'Z'; /* exited (maybe not yet reaped) */
        if (!gone)
            sleep_ms(50);
    }
    if (!gone)
        fail_msg("the explorer (pid %d) still runs after its terminal went away: %s", pid, r.out);
    stop();
}

/* Ctrl-Z and fg under an interactive shell with job control: the
 * terminal is restored while stopped, and on fg the explorer redraws and
 * asks for button-motion mouse reports again. */
static void test_suspend_resume(void **state)
{
    (void)state;
    tu_run_result r;
    if (tu_run(&r, "command -v bash") != 0) {
        print_message("skipped: bash is not installed\n");
        skip();
    }
    char cwd[1024], exitp[300];
    if (!getcwd(cwd, sizeof cwd))
        fail_msg("getcwd");
    snprintf(exitp, sizeof exitp, "%s/exit", outdir);
    unlink(exitp);
    tmux(&r, "kill-server");
    tmux(&r, "new-session -d -s e2e -x 100 -y 30 \"env -i PATH=/usr/bin:/bin "
             "TERM=tmux-256color HOME=/tmp LANG=C.UTF-8 PS1='PROMPT$ ' "
             "bash --norc --noprofile -i\"");
    assert_int_equal(r.status, 0);
    WAIT(&r, "PROMPT$");
    tmux(&r, "send-keys -t e2e 'cd %s && %s sample-data/sample.csv --params "
             "sample-data/truth.json' Enter", cwd, tu_bin());
    WAIT(&r, "Predicted loss at");
    tmux(&r, "send-keys -t e2e C-z");
    WAIT(&r, "Stopped");
    term_modes(&r);
    assert_string_equal(r.out, RESTORED);
    tmux(&r, "send-keys -t e2e fg Enter");
    WAIT(&r, "Predicted loss at");
    sleep_ms(1200); /* the next frame (at most a second) sends 1002 again */
    term_modes(&r);
    assert_string_equal(r.out, "alt=1 cursor=0 mouse=110\n");
    tmux(&r, "send-keys -t e2e L"); /* still alive and responsive */
    WAIT(&r, "0.217");
    tmux(&r, "send-keys -t e2e q");
    WAIT(&r, "PROMPT$");
    tmux(&r, "send-keys -t e2e 'echo EXIT=$? > %s' Enter", exitp);
    assert_int_equal(exit_status(), 0);
    term_modes(&r);
    assert_string_equal(r.out, RESTORED);
    stop();
}

/* A hundred resizes in a second (issue 7's SIGWINCH storm), then the
 * explorer still answers keys. */
static void test_resize_storm_fast(void **state)
{
    (void)state;
    tu_run_result r;
    start("sample-data/sample.csv --params sample-data/truth.json --no-select");
    WAIT(&r, "Predicted loss at");
    char cmd[8192] = "";
    size_t n = 0;
    for (int k = 0; k < 100; k++) /* one tmux call, so they land within a second */
        n += (size_t)snprintf(cmd + n, sizeof cmd - n, "%sresizew -t e2e -x %d -y %d",
                              k ? " \\; " : "", 40 + (k * 37) % 140, 10 + (k * 13) % 50);
    tmux(&r, "%s", cmd);
    assert_int_equal(r.status, 0);
    tmux(&r, "resize-window -t e2e -x 100 -y 30");
    WAIT(&r, "Predicted loss at");
    tmux(&r, "send-keys -t e2e L");
    WAIT(&r, "0.217");
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
E2E(test_sighup)
E2E(test_sigint)
E2E(test_sigint_during_fit)
E2E(test_hangup_pane)
E2E(test_suspend_resume)
E2E(test_resize_storm_fast)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_or_skip),
        cmocka_unit_test(test_mouse_drag_or_skip),
        cmocka_unit_test(test_resize_and_signals_or_skip),
        cmocka_unit_test(test_background_fit_or_skip),
        cmocka_unit_test(test_tour_or_skip),
        cmocka_unit_test(test_sighup_or_skip),
        cmocka_unit_test(test_sigint_or_skip),
        cmocka_unit_test(test_sigint_during_fit_or_skip),
        cmocka_unit_test(test_hangup_pane_or_skip),
        cmocka_unit_test(test_suspend_resume_or_skip),
        cmocka_unit_test(test_resize_storm_fast_or_skip),
    };
    return cmocka_run_group_tests_name("e2e", tests, setup, NULL);
}
