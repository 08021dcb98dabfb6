package dev.vigil.agent.executors;

import dev.vigil.report.model.Site;

/**
 * A scheduler found holding {@link ExecutorLedger#PILE_UP_MARK} or more delayed tasks, as seen the
 * first time: how many were queued, how many of them were cancelled but retained, and the schedule
 * site that put the most of them there.
 */
record TimerPileUp(ExecutorRecord executor, int queued, int cancelled, boolean removeOnCancel, Site topSite,
                   int topSiteCount, long seenMillis) {
}
