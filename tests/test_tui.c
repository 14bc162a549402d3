/* test_tui.c — the explorer without a terminal: slider arithmetic, the key
 * table (against the man page), actions changing what the law says they
 * change, and golden text renders at several sizes. Set
 * MIXSCOPE_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate
 * change (and read the diff). */
#include "testutil.h"

#include <math.h>

#include "tui/actions.h"
#include "tui/app.h"
#include "tui/layout.h"
#include "tui/mixmath.h"
#include "tui/model.h"
#include "tui/render.h"


static double sum(const double *h, size_t K)
{
    double s = 0;
    for (size_t i = 0; i < K; i++)
        s += h[i];
    return s;
}

static void test_mixmath(void **state)
{
    (void)state;
    tu_seed(5);
    double h[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
    unsigned char lk[5] = {0, 0, 1, 0, 0};
    assert_true(tui_mix_set(h, lk, 5, 0, 0.5));
    assert_true(fabs(h[0] - 0.5) < 1e-15 && h[2] == 0.2);
    assert_true(fabs(sum(h, 5) - 1) < 1e-12);
    assert_true(fabs(h[1] - 0.1) < 1e-12); /* 0.3 shared by three equal weights */
    /* Clamped to what the lock leaves; a locked weight never moves. */
    assert_true(tui_mix_set(h, lk, 5, 0, 2));
    assert_true(fabs(h[0] - 0.8) < 1e-15 && h[1] == 0 && h[2] == 0.2);
    assert_false(tui_mix_set(h, lk, 5, 2, 0.5));
    /* From zero, the others share equally. */
    assert_true(tui_mix_set(h, lk, 5, 0, 0.2));
    assert_true(fabs(h[1] - 0.2) < 1e-12 && fabs(h[4] - 0.2) < 1e-12);
    /* No other unlocked weight: nothing to rescale, nothing changes. */
    unsigned char all[3] = {0, 1, 1};
    double g[3] = {0.5, 0.25, 0.25};
    assert_false(tui_mix_set(g, all, 3, 0, 0.7));
    assert_true(g[0] == 0.5);
    tui_mix_uniform(h, lk, 5);
    assert_true(fabs(h[0] - 0.2) < 1e-12 && h[2] == 0.2);
    /* Random moves keep the sum at 1 and the locks in place. */
    for (int t = 0; t < 10000; t++) {
        size_t i = (size_t)(tu_urand() * 5);
        lk[(size_t)(tu_urand() * 5)] ^= tu_urand() < 0.1;
        double before = h[2], locked = lk[2];
        tui_mix_set(h, lk, 5, i, tu_urand() * 1.2 - 0.1);
        assert_true(fabs(sum(h, 5) - 1) < 1e-9);
        for (size_t k = 0; k < 5; k++)
            assert_true(h[k] >= 0);
        if (locked)
            assert_true(h[2] == before);
    }
}

/* Every binding the help shows is in the man page's INTERACTIVE COMMANDS. */
static void test_key_table_in_man_page(void **state)
{
    (void)state;
    char man[65536];
    tu_slurp("man/mixscope.1", man, sizeof man);
    char *sec = strstr(man, ".SH \"INTERACTIVE COMMANDS\"");
    assert_non_null(sec);
    char *end = strstr(sec + 4, ".SH ");
    if (end)
        *end = 0;
    for (const tui_binding *b = tui_bindings; b->name; b++) {
        assert_int_equal(tui_key_action(b->key), b->action);
        if (!b->help)
            continue;
        char name[32];
        snprintf(name, sizeof name, "%s", b->name);
        for (char *save = NULL, *t = strtok_r(name, "/", &save); t; t = strtok_r(NULL, "/", &save))
            if (!strstr(sec, t))
                fail_msg("key %s (%s) is not in the man page's INTERACTIVE COMMANDS", t, b->help);
    }
    assert_int_equal(tui_key_action('Z'), TUI_A_NONE);
}

static ms_sweep *sample;

static void open_sample(tui_state *s, int ascii)
{
    tui_opts o = {0};
    ms_diag d;
    o.sweep = sample;
    o.params = "sample-data/truth.json";
    o.ascii = ascii;
    if (tui_state_open(s, &o, &d) != MS_OK)
        fail_msg("%s", d.msg);
}

/* The law says what moving a slider does: raising web lowers web's
 * capacity term and raises everyone else's (competition), and lowers web's
 * noise term. */
static void test_actions_follow_the_law(void **state)
{
    (void)state;
    tui_state s;
    open_sample(&s, 0);
    assert_true(s.pred_ok && s.opt_ok);
    assert_int_equal(s.sel, 0);
    double cap[6], noise[6], loss0 = s.loss[0];
    memcpy(cap, s.term[0], sizeof cap);
    memcpy(noise, s.term[1], sizeof noise);
    tui_apply(&s, TUI_A_INC_BIG);
    assert_true(fabs(s.h[0] - (1.0 / 6 + 0.05)) < 1e-12);
    assert_true(fabs(sum(s.h, 6) - 1) < 1e-12);
    assert_true(s.term[0][0] < cap[0] && s.term[1][0] < noise[0] && s.loss[0] < loss0);
    for (size_t i = 1; i < 6; i++)
        assert_true(s.term[0][i] > cap[i] && s.term[1][i] > noise[i]);
    /* The optimum is no worse than where we are, and 'o' goes there. */
    assert_true(s.mean_opt <= s.mean + 1e-12);
    tui_apply(&s, TUI_A_OPTIMUM);
    assert_true(fabs(s.mean - s.mean_opt) < 1e-9);
    tui_apply(&s, TUI_A_RESET);
    assert_true(fabs(s.h[0] - 1.0 / 6) < 1e-15);
    /* A larger model: every capacity term falls, the noise terms stay. */
    memcpy(cap, s.term[0], sizeof cap);
    memcpy(noise, s.term[1], sizeof noise);
    double N = s.N;
    tui_apply(&s, TUI_A_N_UP);
    assert_true(fabs(s.N / N - TUI_SCALE_STEP) < 1e-12);
    for (size_t i = 0; i < 6; i++)
        assert_true(s.term[0][i] < cap[i] && s.term[1][i] == noise[i]);
    /* Tokens-per-parameter lock: D follows N. */
    double tpp = s.D / s.N;
    tui_apply(&s, TUI_A_TPP_LOCK);
    tui_apply(&s, TUI_A_N_UP);
    assert_true(fabs(s.D / s.N - tpp) < 1e-9 * tpp);
    /* Typing a weight; a bad one leaves it and says why. */
    tui_apply(&s, TUI_A_EDIT_WEIGHT);
    assert_int_equal(s.edit, TUI_EDIT_WEIGHT);
    for (size_t k = strlen(s.edit_buf); k; k--)
        tui_edit_key(&s, TUI_KEY_BACKSPACE);
    tui_edit_key(&s, '4');
    tui_edit_key(&s, '0');
    tui_edit_key(&s, '%');
    tui_edit_key(&s, TUI_KEY_ENTER);
    assert_true(fabs(s.h[0] - 0.4) < 1e-12 && s.edit == TUI_EDIT_NONE);
    tui_apply(&s, TUI_A_EDIT_N);
    strcpy(s.edit_buf, "7Q");
    tui_edit_key(&s, TUI_KEY_ENTER);
    assert_true(s.message_is_error && strstr(s.message, "unknown suffix"));
    tui_apply(&s, TUI_A_LOCK);
    tui_apply(&s, TUI_A_INC);
    assert_true(fabs(s.h[0] - 0.4) < 1e-12 && strstr(s.message, "locked"));
    tui_state_done(&s);
}

/* Mouse: a press on a slider track sets that weight; a drag moves it. */
static void test_mouse(void **state)
{
    (void)state;
    tui_state s;
    open_sample(&s, 0);
    tui_layout lay = tui_layout_compute(80, 24, s.K);
    int y = lay.panel[TUI_P_MIX].y + 1 + 2; /* books */
    tui_apply_mouse(&s, &lay, TUI_M_PRESS, lay.slider_x + lay.slider_w - 1, y);
    assert_int_equal(s.sel, 2);
    assert_true(fabs(s.h[2] - 1) < 1e-12);
    tui_apply_mouse(&s, &lay, TUI_M_DRAG, lay.slider_x, y);
    assert_true(s.h[2] == 0 && fabs(sum(s.h, 6) - 1) < 1e-12);
    tui_apply_mouse(&s, &lay, TUI_M_RELEASE, lay.slider_x, y);
    double h2 = s.h[2];
    tui_apply_mouse(&s, &lay, TUI_M_DRAG, lay.slider_x + 5, y); /* no button: nothing */
    assert_true(s.h[2] == h2);
    tui_state_done(&s);
}

static void golden(const tui_state *s, int w, int h, int ascii, const char *name)
{
    tui_canvas *c = tui_canvas_new(w, h, ascii);
    tui_layout lay = tui_layout_compute(w, h, s->K);
    tui_render(s, &lay, c);
    char *text = tui_canvas_text(c), path[256];
    snprintf(path, sizeof path, "tests/golden/%s.txt", name);
    if (getenv("MIXSCOPE_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    static char want[1 << 16];
    tu_slurp(path, want, sizeof want);
    if (strcmp(text, want) != 0)
        fail_msg("%s differs from %s; got:\n%s", name, path, text);
    free(text);
    tui_canvas_free(c);
}

static void test_golden_renders(void **state)
{
    (void)state;
    tui_state s;
    open_sample(&s, 0);
    golden(&s, 80, 24, 0, "explorer-80x24");
    golden(&s, 160, 48, 0, "explorer-160x48");
    golden(&s, 60, 15, 0, "too-small-60x15");
    s.show_help = 1;
    golden(&s, 80, 24, 0, "help-80x24");
    tui_state_done(&s);
    open_sample(&s, 1);
    s.sel = 3;
    tui_apply(&s, TUI_A_INC_BIG);
    golden(&s, 80, 24, 1, "explorer-ascii-80x24");
    tui_state_done(&s);
}

static int setup(void **state)
{
    (void)state;
    ms_diag d;
    return ms_sweep_load("sample-data/sample.csv", NULL, &sample, &d) == MS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ms_sweep_free(sample);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixmath),
        cmocka_unit_test(test_key_table_in_man_page),
        cmocka_unit_test(test_actions_follow_the_law),
        cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_golden_renders),
    };
    return cmocka_run_group_tests_name("tui", tests, setup, teardown);
}
