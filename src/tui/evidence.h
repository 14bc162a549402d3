/* evidence.h — "does this sweep really show capacity competition?" in the
 * explorer: the law's and the data's answers (explain.h), as one text. */
#ifndef MIXSCOPE_TUI_EVIDENCE_H
#define MIXSCOPE_TUI_EVIDENCE_H

#include "tui/state.h"

/* Recomputes s->evidence for the shown fit at the current mixture and
 * scale (the data test, the slow part, is the fit's: it runs once per
 * fit). */
void tui_evidence_update(tui_state *s);

#endif
