package cdna.hypervisor;

import cdna.design.Design;
import cdna.design.Switch;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Segment;
import cdna.sim.Config;
import cdna.sim.HostSystem;
import cdna.sim.HostSystem.Cell;
import cdna.sim.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four IOMMU strategies, strict and deferred invalidation, requester IDs, and bad requests. */
class IommuStrategiesTest {
    // Pages of 4 bytes, so sub-page exposure is visible; MaxLen 6 lets a buffer cross one page boundary.
    static final Config CFG = Config.of(2, 1, 4, 4, 6, 2);

    static Design iommu(Object... switches) {
        Design d = Design.iommuBaseline();
        for (int i = 0; i < switches.length; i += 2) d = d.with("variant", (Switch) switches[i], switches[i + 1]);
        return d;
    }

    static HostSystem sys(Design d) {
        HostSystem s = new HostSystem(CFG, d);
        assertTrue(s.allocatePage("g1", 1));
        assertTrue(s.allocatePage("g1", 2));
        assertTrue(s.allocatePage("g2", 3));
        return s;
    }

    /** Lets the device DMA the given segments for context c (RX) and reports whether the IOMMU let every byte through. */
    static boolean deviceWrites(HostSystem s, String c, long addr, long len) {
        long faults = s.nic().faults();
        int slot = s.nic().queue(s.ctx(c), Dir.RX).doorbell() % CFG.ringSize();
        assertTrue(s.as(s.ctxOwner(s.ctx(c))).writeDescriptor(c, Dir.RX, slot, new Descriptor(List.of(new Segment(addr, len)), 0)));
        s.ringDoorbell(c, s.nic().queue(s.ctx(c), Dir.RX).doorbell() + 1);
        assertTrue(s.nicFetch(c));
        while (s.nicDma(c)) { }
        return s.nic().faults() == faults;
    }

    static Set<Long> range(long from, long to) {
        Set<Long> r = new TreeSet<>();
        for (long a = from; a < to; a++) r.add(a);
        return r;
    }

    @Test
    void singleUseWithBounceExposesOnlyTheBufferAndForgetsItAtOnce() {
        HostSystem s = sys(Design.iommuBaseline());
        IoBuffer b = new IoBuffer(1, 1, 1, 2);
        assertTrue(s.mapBuffer("c1", b));
        assertEquals(range(1, 3), s.deviceReach("c1"));
        assertTrue(deviceWrites(s, "c1", 1, 2));
        assertFalse(deviceWrites(s, "c1", 0, 1), "the neighbour byte faults");
        assertFalse(deviceWrites(s, "c1", 8, 1), "another guest's page faults");
        assertTrue(s.unmapBuffer("c1", b));
        assertFalse(s.unmapBuffer("c1", b), "not mapped any more");
        assertTrue(s.deviceReach("c1").isEmpty());
        assertFalse(deviceWrites(s, "c1", 1, 1), "strict invalidation: gone from the IOTLB too");
        assertEquals(1, s.iommu().mapOps());
        assertEquals(1, s.iommu().unmapOps());
        assertEquals(1, s.iommu().invalidations());
        assertEquals(2, s.hypervisor().hypercalls());
        assertEquals(2, s.hypervisor().bounceBytes());
        assertEquals(1, s.hypervisor().pagesValidated());
        assertTrue(s.checker().violations().isEmpty(), s.checker().violations().toString());
    }

    @Test
    void aCrossingBufferMapsBothPagesAndTheDeviceSeesItAsOneRange() {
        HostSystem s = sys(Design.iommuBaseline());
        IoBuffer b = new IoBuffer(1, 2, 2, 4);
        assertEquals(List.of(new Segment(2, 2), new Segment(4, 2)), b.segments(4));
        assertTrue(s.mapBuffer("c1", b));
        assertEquals(range(2, 6), s.deviceReach("c1"));
        assertEquals(2, s.iommu().mapOps());
        assertTrue(s.unmapBuffer("c1", b));
        assertEquals(2, s.iommu().invalidations());
    }

    @Test
    void overlappingBuffersKeepSharedBytesMappedUntilBothGo() {
        HostSystem s = sys(Design.iommuBaseline());
        IoBuffer a = new IoBuffer(1, 1, 0, 3), b = new IoBuffer(1, 1, 2, 2);
        assertTrue(s.mapBuffer("c1", a));
        assertTrue(s.mapBuffer("c1", b));
        assertTrue(s.unmapBuffer("c1", a));
        assertEquals(range(2, 4), s.deviceReach("c1"));
        assertTrue(s.unmapBuffer("c1", b));
        assertTrue(s.deviceReach("c1").isEmpty());
        assertTrue(s.checker().violations().isEmpty(), s.checker().violations().toString());
    }

    @Test
    void withoutBounceTheWholePageIsExposed() {
        HostSystem s = sys(iommu(Switch.SubPageBounce, false));
        assertTrue(s.mapBuffer("c1", new IoBuffer(1, 1, 1, 1)));
        assertEquals(range(0, 4), s.deviceReach("c1"));
        assertTrue(s.checker().violated(Violation.INTRA));
        assertTrue(deviceWrites(s, "c1", 3, 1));
        assertFalse(s.checker().violated(Violation.INTER));
        assertEquals(0, s.hypervisor().bounceBytes());
    }

    @Test
    void sharedMapsAPageOnceAndUnmapsItWithTheLastBuffer() {
        HostSystem s = sys(iommu(Switch.IommuStrategy, "shared"));
        IoBuffer a = new IoBuffer(1, 1, 0, 2), b = new IoBuffer(1, 1, 2, 2);
        assertTrue(s.mapBuffer("c1", a));
        assertTrue(s.mapBuffer("c1", b));
        assertEquals(1, s.iommu().mapOps());
        assertEquals(1, s.hypervisor().hypercalls(), "the second buffer needed no change");
        assertTrue(s.unmapBuffer("c1", a));
        assertEquals(0, s.iommu().unmapOps());
        assertEquals(range(0, 4), s.deviceReach("c1"));
        assertTrue(s.unmapBuffer("c1", b));
        assertEquals(1, s.iommu().unmapOps());
        assertEquals(1, s.iommu().invalidations());
        assertTrue(s.deviceReach("c1").isEmpty());
        assertFalse(s.checker().violated(Violation.INTER));
    }

    @Test
    void persistentKeepsMappingsUntilThePageLeavesTheGuest() {
        HostSystem s = sys(iommu(Switch.IommuStrategy, "persistent"));
        IoBuffer a = new IoBuffer(1, 1, 0, 1);
        assertTrue(s.mapBuffer("c1", a));
        assertTrue(s.unmapBuffer("c1", a));
        assertEquals(range(0, 4), s.deviceReach("c1"));
        assertEquals(Set.of(new Cell(1, 0), new Cell(1, 1), new Cell(1, 2), new Cell(1, 3)), s.iommuState().persist().get("c1"));
        assertTrue(s.mapBuffer("c1", a));
        assertEquals(1, s.iommu().mapOps(), "reused");
        assertEquals(1, s.hypervisor().hypercalls());
        assertTrue(s.unmapBuffer("c1", a));
        assertTrue(s.freePage("g1", 1));
        assertTrue(s.deviceReach("c1").isEmpty());
        assertTrue(s.iommuState().persist().get("c1").isEmpty());
        assertFalse(deviceWrites(s, "c1", 0, 1));
        assertTrue(s.checker().violated(Violation.INTRA));
        assertFalse(s.checker().violated(Violation.INTER));
    }

    @Test
    void directMapsEverythingTheGuestOwnsAndFollowsOwnership() {
        HostSystem s = sys(iommu(Switch.IommuStrategy, "direct"));
        assertEquals(range(0, 8), s.deviceReach("c1"));
        assertEquals(range(8, 12), s.deviceReach("c2"));
        assertTrue(s.mapBuffer("c1", new IoBuffer(1, 1, 0, 1)));
        assertEquals(3, s.iommu().mapOps(), "one map per allocated page; mapping a buffer adds nothing");
        assertEquals(0, s.hypervisor().hypercalls());
        assertTrue(s.transferPage("g1", "g2", 2));
        assertEquals(range(0, 4), s.deviceReach("c1"));
        assertEquals(new TreeSet<>(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L)), s.deviceReach("c2"));
        assertTrue(s.hypervisor().posted(0).size() == 1);
        assertTrue(s.freePage("g1", 1));
        assertTrue(s.hypervisor().posted(0).isEmpty(), "the page's buffers go with it");
        assertTrue(s.deviceReach("c1").isEmpty());
        assertFalse(s.checker().violated(Violation.INTER));
        assertTrue(s.checker().violated(Violation.INTRA));
    }

    @Test
    void deferredInvalidationKeepsStaleTranslationsUntilTheBatchFills() {
        HostSystem s = sys(iommu(Switch.Invalidation, "deferred"));
        IoBuffer a = new IoBuffer(1, 1, 0, 1), b = new IoBuffer(2, 2, 0, 1);
        assertFalse(s.flushIotlb(), "nothing stale");
        s.mapBuffer("c1", a);
        s.mapBuffer("c1", b);
        s.unmapBuffer("c1", a);
        assertEquals(1, s.iommuState().unflushed());
        assertEquals(Set.of(new Cell(1, 0)), s.iommuState().iotlb().get("c1"));
        assertTrue(deviceWrites(s, "c1", 0, 1), "the stale translation still works");
        assertTrue(s.checker().violated(Violation.INTRA));
        s.unmapBuffer("c1", b);
        assertEquals(0, s.iommuState().unflushed(), "FlushBatch = 2 unmaps");
        assertTrue(s.iommuState().iotlb().get("c1").isEmpty());
        s.mapBuffer("c1", a);
        s.unmapBuffer("c1", a);
        assertTrue(s.flushIotlb());
        assertFalse(s.flushIotlb());
        assertEquals(0, s.iommuState().unflushed());
    }

    @Test
    void theTimerFlushesEveryFlushPeriodTicks() {
        HostSystem s = sys(iommu(Switch.Invalidation, "deferred"));
        IoBuffer a = new IoBuffer(1, 1, 0, 1);
        s.mapBuffer("c1", a);
        s.unmapBuffer("c1", a);
        for (int i = 1; i < CFG.flushPeriod(); i++) {
            assertFalse(s.tick());
            assertFalse(s.iommuState().iotlb().get("c1").isEmpty());
        }
        assertTrue(s.tick());
        assertTrue(s.iommuState().iotlb().get("c1").isEmpty());
        assertEquals(CFG.flushPeriod(), s.time());
    }

    @Test
    void deferredWithoutFlushBeforeReuseLetsTheDeviceWriteIntoTheNextOwner() {
        HostSystem s = sys(iommu(Switch.Invalidation, "deferred"));
        IoBuffer a = new IoBuffer(1, 1, 0, 4);
        s.mapBuffer("c1", a);
        assertTrue(s.freePage("g1", 1));
        assertTrue(s.checker().violated(Violation.INTER));
        assertTrue(s.allocatePage("g2", 1));
        assertTrue(deviceWrites(s, "c1", 0, 4));
        assertTrue(s.checker().violations().stream().anyMatch(v -> v.kind() == Violation.Kind.ACCESS && v.property().equals(Violation.INTER)));
    }

    @Test
    void flushBeforeReuseFlushesWhenAPageLeavesItsGuest() {
        HostSystem s = sys(iommu(Switch.Invalidation, "deferred", Switch.FlushBeforeReuse, true));
        IoBuffer a = new IoBuffer(1, 1, 0, 4);
        s.mapBuffer("c1", a);
        assertTrue(s.freePage("g1", 1));
        assertTrue(s.iommuState().iotlb().get("c1").isEmpty());
        s.allocatePage("g2", 1);
        assertFalse(deviceWrites(s, "c1", 0, 1));
        assertFalse(s.checker().violated(Violation.INTER));
        // A strict design needs no flush for that.
        HostSystem t = sys(Design.iommuBaseline());
        t.mapBuffer("c1", a);
        assertTrue(t.freePage("g1", 1));
        assertEquals(0, t.iommu().flushes());
        assertTrue(t.checker().violations().isEmpty());
    }

    @Test
    void oneRequesterIdMeansOneDomainForEveryContext() {
        HostSystem s = sys(iommu(Switch.RequesterIdPerContext, false));
        assertEquals(0, s.hypervisor().rid(0));
        assertEquals(0, s.hypervisor().rid(1));
        assertTrue(s.mapBuffer("c2", new IoBuffer(3, 3, 0, 1)));
        assertEquals(Set.of(8L), s.deviceReach("c1"));
        assertTrue(deviceWrites(s, "c1", 8, 1), "g1's context writes g2's buffer");
        assertTrue(s.checker().violated(Violation.INTER));
        assertEquals(Set.of("SharedRid"), s.iommuState().iotlb().keySet());
        HostSystem t = sys(Design.iommuBaseline());
        assertEquals(1, t.hypervisor().rid(0));
        assertEquals(2, t.hypervisor().rid(1));
        assertEquals(Set.of("c1", "c2"), t.iommuState().iotlb().keySet());
    }

    @Test
    void badMapRequestsAreRefusedAndChangeNothing() {
        HostSystem s = sys(Design.iommuBaseline());
        var before = s.iommuState();
        IoBuffer[] bad = {
                new IoBuffer(3, 3, 0, 1),   // g2's page
                new IoBuffer(2, 3, 2, 4),   // second page is g2's
                new IoBuffer(1, 1, 4, 1),   // offset past the page
                new IoBuffer(1, 1, -1, 2),  // negative offset
                new IoBuffer(1, 1, 0, 0),   // empty
                new IoBuffer(1, 1, 0, -3),  // negative
                new IoBuffer(1, 2, 0, 7),   // longer than MaxLen
                new IoBuffer(1, 1, 2, 3),   // crosses but names one page
                new IoBuffer(1, 2, 0, 2),   // names two pages but does not cross
                new IoBuffer(1, 2, 3, Long.MAX_VALUE),
                new IoBuffer(0, 0, 0, 1), new IoBuffer(5, 5, 0, 1), new IoBuffer(4, 5, 2, 4), null};
        for (IoBuffer b : bad) assertFalse(s.mapBuffer("c1", b), String.valueOf(b));
        assertFalse(s.mapBuffer("c9", new IoBuffer(1, 1, 0, 1)));
        for (int c : new int[]{-1, 2}) {
            assertFalse(s.hypervisor().mapBuffer(c, new IoBuffer(1, 1, 0, 1)));
            assertFalse(s.hypervisor().unmapBuffer(c, new IoBuffer(1, 1, 0, 1)));
        }
        assertFalse(s.as("g2").mapBuffer("c1", new IoBuffer(1, 1, 0, 1)));
        assertFalse(s.unmapBuffer("c1", new IoBuffer(1, 1, 0, 1)));
        assertFalse(s.unmapBuffer("c1", null));
        assertFalse(s.postDescriptor("c1", new Buffer(0, 1)), "no CDNA hypercall under IOMMU protection");
        assertFalse(s.reapCompletions("c1"));
        assertEquals(before, s.iommuState());
        IoBuffer ok = new IoBuffer(1, 1, 0, 1);
        assertTrue(s.mapBuffer("c1", ok));
        assertFalse(s.mapBuffer("c1", ok), "already posted");
        assertTrue(s.mapBuffer("c1", new IoBuffer(1, 1, 1, 1)));
        assertFalse(s.mapBuffer("c1", new IoBuffer(1, 1, 2, 1)), "RingSize buffers at most");
        assertEquals(0, s.iommu().faultCount());
    }

    @Test
    void snapshotsKeepTheirOwnReferenceCounts() {
        for (Design d : List.of(Design.iommuBaseline(), iommu(Switch.IommuStrategy, "shared"))) {
            HostSystem s = sys(d);
            IoBuffer a = new IoBuffer(1, 1, 0, 2), b = new IoBuffer(1, 1, 1, 2);
            s.mapBuffer("c1", a);
            s.mapBuffer("c1", b);
            HostSystem snap = s.copy();
            s.unmapBuffer("c1", a);
            s.unmapBuffer("c1", b);
            assertTrue(s.deviceReach("c1").isEmpty());
            assertTrue(snap.unmapBuffer("c1", a));
            assertFalse(snap.deviceReach("c1").isEmpty(), d.name() + ": b still holds its bytes in the snapshot");
            assertTrue(snap.unmapBuffer("c1", b));
            assertTrue(snap.deviceReach("c1").isEmpty());
            assertTrue(snap.checker().violations().isEmpty() || d.iommuStrategy() != Design.IommuStrategy.SINGLE_USE);
        }
    }

    @Test
    void wellFormedBuffersAreExactlyTheSpecsBuffers() {
        int ps = 4;
        long max = 6;
        assertTrue(new IoBuffer(1, 1, 0, 4).wellFormed(ps, max), "fills the page");
        assertTrue(new IoBuffer(1, 1, 3, 1).wellFormed(ps, max), "last byte");
        assertTrue(new IoBuffer(1, 2, 2, 6).wellFormed(ps, max), "ends exactly at the second page's end, len = MaxLen");
        assertTrue(new IoBuffer(1, 2, 3, 2).wellFormed(ps, max), "just crosses");
        assertFalse(new IoBuffer(1, 2, 3, 6).wellFormed(ps, max), "runs past the second page");
        assertFalse(new IoBuffer(1, 1, 3, 2).wellFormed(ps, max), "crosses, one page named");
        assertFalse(new IoBuffer(1, 2, 0, 4).wellFormed(ps, max), "two pages named, no crossing");
        assertFalse(new IoBuffer(1, 2, 2, 7).wellFormed(ps, 8), "longer than two pages");
        assertFalse(new IoBuffer(1, 1, 4, 1).wellFormed(ps, max));
        assertFalse(new IoBuffer(1, 2, 4, 1).wellFormed(ps, max), "starts past the first page");
        assertFalse(new IoBuffer(1, 1, -1, 1).wellFormed(ps, max));
        assertFalse(new IoBuffer(1, 1, 0, 0).wellFormed(ps, max));
        assertFalse(new IoBuffer(1, 2, 0, 7).wellFormed(ps, max), "MaxLen");
        assertEquals(List.of(1, 2), new IoBuffer(1, 2, 3, 2).pages());
        assertEquals(List.of(3), new IoBuffer(3, 3, 0, 1).pages());
    }

    @Test
    void hostileDescriptorsFaultOrAreSkippedAndNothingLands() {
        HostSystem s = sys(Design.iommuBaseline());
        s.mapBuffer("c1", new IoBuffer(1, 1, 0, 2));
        List<List<Segment>> hostile = List.of(
                List.of(),
                List.of(new Segment(0, 0)),
                List.of(new Segment(0, -5)),
                List.of(new Segment(0, 1), new Segment(1, -1)),
                List.of(new Segment(0, Long.MAX_VALUE), new Segment(0, Long.MAX_VALUE)),
                List.of(new Segment(-4, 2)),
                List.of(new Segment(Long.MAX_VALUE - 1, 2)),
                List.of(new Segment(Long.MIN_VALUE, 3)),
                List.of(new Segment(2, 2)),
                List.of(new Segment(8, 4)),
                List.of(new Segment(16, 4)),
                List.of(new Segment(0, 2), new Segment(8, 1)));
        for (List<Segment> segs : hostile) {
            int slot = s.nic().queue(0, Dir.RX).doorbell() % CFG.ringSize();
            assertTrue(s.as("g1").writeDescriptor("c1", Dir.RX, slot, new Descriptor(segs, 0)));
            int next = s.nic().queue(0, Dir.RX).nicNext();
            s.ringDoorbell("c1", next + 1);
            s.nicFetch("c1");
            while (s.nicDma("c1")) { }
            assertEquals((next + 1) % CFG.seqMod(), s.nic().queue(0, Dir.RX).nicNext(), "the NIC moved on after " + segs);
        }
        assertFalse(s.as("g1").writeDescriptor("c1", Dir.RX, 2, Descriptor.empty(4)), "beyond the ring");
        assertFalse(s.as("g1").writeDescriptor("c1", Dir.RX, -1, Descriptor.empty(4)));
        assertFalse(s.as("g1").writeDescriptor("c1", Dir.RX, 0, null));
        assertEquals(5, s.nic().malformed(), "zero, negative, overflowing and oversized lengths");
        assertEquals(6, s.iommu().faultCount(), "unmapped, negative and out-of-memory addresses");
        for (long a = 8; a < 16; a++) assertEquals(0, s.memory().read(a), "nothing landed outside g1's buffer");
        assertFalse(s.checker().violated(Violation.INTER));
        assertFalse(s.checker().violated(Violation.INTRA));
    }
}
