package cdna.migration;

import cdna.design.Design;
import cdna.design.DesignFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration's Java twin by hand: the safe protocol end to end for both
 * kinds of destination, and each known-bad design breaking the property it is
 * named for, in the steps TLC's shortest counterexample takes.
 */
class HandoffTest {
    static Design load(String name) {
        try {
            return new DesignFiles(Path.of("model-check/designs")).load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> violations(Handoff h) { return HandoffChecker.violations(h); }

    /** Start, fail over, unplug, quiesce, pre-copy everything. */
    static void upToStop(Handoff h) {
        assertTrue(h.startMigration());
        assertTrue(h.failover());
        assertTrue(h.requestUnplug());
        assertTrue(h.unplugDone());
        assertTrue(h.quiesceContext());
        for (int p = 1; p <= h.config().gPages(); p++) h.copyPage(p);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theSafeProtocolMovesTheGuestAndFreesA(boolean bHasCdna) {
        Handoff h = new Handoff(HandoffConfig.small(bHasCdna), Design.cdnaBaseline());
        assertTrue(h.guestWrite(1));
        assertTrue(h.sendFrame());
        assertTrue(h.landOnA(1, 2), "the direct context takes the frame into an in-flight DMA");
        assertTrue(h.startMigration());
        assertTrue(h.copyPage(1) && h.copyPage(2));
        assertTrue(h.deviceWrite(), "the in-flight DMA lands after its page was copied...");
        assertTrue(h.a.dirty.get(2), "...and the dirty log has it");
        assertTrue(h.failover() && h.requestUnplug() && h.unplugDone() && h.quiesceContext());
        assertTrue(h.copyPage(2));
        assertTrue(h.stop());
        assertFalse(h.guestWrite(1), "the vCPUs are stopped");
        assertTrue(h.stopCopyDone());
        assertTrue(h.resume());
        assertEquals(bHasCdna, h.attachDirectB());
        assertTrue(h.runOnB());
        assertTrue(h.releasePages());
        assertTrue(h.releaseContext());
        assertTrue(h.assignToOther());
        assertTrue(h.otherTakesPage(1));
        assertTrue(violations(h).isEmpty(), violations(h).toString());
        assertNull(HandoffChecker.completes(h));
    }

    @Test
    void dmaWritesMissingFromTheDirtyLogAreLost() {
        Handoff h = new Handoff(HandoffConfig.small(true), load("migration-dma-not-logged"));
        assertTrue(h.sendFrame());
        assertTrue(h.landOnA(1, 1));
        assertTrue(h.startMigration());
        assertTrue(h.copyPage(1));
        assertTrue(h.copyPage(2));
        assertTrue(h.deviceWrite());
        assertFalse(h.a.dirty.get(1), "the DMA write is not logged");
        assertTrue(h.failover() && h.requestUnplug() && h.unplugDone() && h.quiesceContext());
        assertTrue(h.stop() && h.stopCopyDone() && h.resume() && h.runOnB());
        assertTrue(violations(h).containsKey(HandoffChecker.NO_LOST_WRITE), violations(h).toString());
    }

    @Test
    void pagesReleasedBeforeTheContextStopsTakeItsLastDma() {
        Handoff h = new Handoff(HandoffConfig.small(true), load("migration-release-before-stop"));
        assertTrue(h.sendFrame() && h.landOnA(1, 1));
        assertTrue(h.startMigration() && h.failover() && h.requestUnplug() && h.unplugDone());
        assertTrue(h.releasePages(), "released while the unplugged context still has a DMA in flight");
        assertTrue(violations(h).containsKey(HandoffChecker.NO_DMA_AFTER_RELEASE));
        assertTrue(h.otherTakesPage(1));
        assertTrue(h.deviceWrite());
        assertEquals(1, h.a.strayDmaWrites, "the DMA landed in the other guest's page");
        Handoff safe = new Handoff(HandoffConfig.small(true), Design.cdnaBaseline());
        assertTrue(safe.sendFrame() && safe.landOnA(1, 1));
        assertTrue(safe.startMigration() && safe.failover() && safe.requestUnplug() && safe.unplugDone());
        assertFalse(safe.releasePages(), "the baseline waits for the context to stop and the guest to run on B");
    }

    @Test
    void resumingBeforeStopCopyEndsLosesDirtyPagesAndCopiesTheDeviceTwice() {
        Handoff h = new Handoff(HandoffConfig.small(true), load("migration-resume-before-stop-copy"));
        assertTrue(h.guestWrite(1));
        assertTrue(h.startMigration() && h.failover() && h.requestUnplug() && h.unplugDone() && h.quiesceContext());
        assertTrue(h.stop());
        assertTrue(h.resume(), "page 1 is still dirty");
        assertTrue(h.runOnB());
        assertTrue(violations(h).containsKey(HandoffChecker.NO_LOST_WRITE));
        assertTrue(h.copyPage(1) && h.copyPage(2) && h.stopCopyDone());
        assertTrue(violations(h).containsKey(HandoffChecker.DEVICE_STATE_ONCE), violations(h).toString());
    }

    @Test
    void unpluggingWithoutFailoverLeavesACancelledGuestWithoutAPath() {
        Handoff h = new Handoff(HandoffConfig.small(true), load("migration-unplug-without-failover"));
        assertTrue(h.startMigration() && h.requestUnplug() && h.unplugDone());
        assertTrue(h.sendFrame() && h.landOnA(1, 1));
        assertEquals(0, h.net.delivered.get(0).size(), "the frame is dropped: lost, not misdelivered");
        assertTrue(h.cancelMigration());
        assertTrue(violations(h).containsKey(HandoffChecker.CANCEL_SAFE), violations(h).toString());
        assertFalse(violations(h).containsKey(HandoffChecker.NO_MISDELIVERY));
    }

    @Test
    void bRunningBeforeAStopsRunsTheGuestTwiceAndDuplicatesFrames() {
        Handoff h = new Handoff(HandoffConfig.small(true), load("migration-b-runs-before-a-stops"));
        assertTrue(h.startMigration() && h.sendFrame() && h.resume() && h.runOnB());
        assertTrue(violations(h).containsKey(HandoffChecker.NO_DOUBLE_RUN));
        assertTrue(h.flood(1, 1), "both hosts claim the MAC");
        assertTrue(violations(h).containsKey(HandoffChecker.AT_MOST_ONCE_DELIVERY), violations(h).toString());
    }

    @Test
    void aMacFilterLeftOnTheFreedContextMisdeliversToItsNextOwner() {
        Handoff h = new Handoff(HandoffConfig.small(true), load("migration-keep-mac-filter"));
        assertTrue(h.sendFrame());
        upToStop(h);
        assertTrue(h.stop() && h.stopCopyDone() && h.resume() && h.runOnB());
        assertTrue(h.releaseContext() && h.assignToOther());
        assertTrue(h.landOnA(1, 1));
        assertTrue(violations(h).containsKey(HandoffChecker.NO_MISDELIVERY), violations(h).toString());
    }

    @Test
    void waitingForADirectContextHangsWhereBHasNoCdna() {
        Design d = load("migration-wait-for-direct-context");
        Handoff h = new Handoff(HandoffConfig.small(false), d);
        upToStop(h);
        assertTrue(h.stop() && h.stopCopyDone() && h.resume());
        assertFalse(h.runOnB());
        String stuck = HandoffChecker.completes(h);
        assertTrue(stuck != null && stuck.contains("RESUMING"), stuck);
        assertNull(HandoffChecker.completes(new Handoff(HandoffConfig.small(true), d)), "with CDNA on B it completes");
    }
}
