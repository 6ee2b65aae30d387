package cdna.hypervisor;

import cdna.design.Design;
import cdna.design.Switch;
import cdna.memory.HostMemory;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Segment;
import cdna.sim.Config;
import cdna.sim.HostSystem;
import cdna.sim.Violation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CDNA software protection: validation, pinning, sequence numbers, lazy unpinning, and bad requests. */
class CdnaValidationTest {
    // Three 2-byte pages, MaxLen 2, rings of 2, SeqMod 4 (MCCdna.cfg).
    HostSystem sys;

    @BeforeEach
    void setUp() {
        sys = new HostSystem(Config.tlcSized(), Design.cdnaBaseline());
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(sys.allocatePage("g1", 2));
        assertTrue(sys.allocatePage("g2", 3));
    }

    private static Design variant(Switch s, Object v) { return Design.cdnaBaseline().with("variant", s, v); }

    @Test
    void acceptedBufferIsWrittenWithItsSequenceNumberAndPinned() {
        assertTrue(sys.postDescriptor("c1", new Buffer(1, 2)));
        var st = sys.cdnaState();
        assertEquals(new HostSystem.Desc(1, 2, 0), st.ring().get("c1").get(0));
        assertEquals(1, st.prod().get("c1"));
        assertEquals(1, sys.hypervisor().pins(1));
        assertEquals(1, sys.hypervisor().pins(2));
        assertEquals(0, sys.hypervisor().pins(3));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 1)));
        assertEquals(new HostSystem.Desc(0, 1, 1), sys.cdnaState().ring().get("c1").get(1));
        assertEquals(2, sys.hypervisor().pins(1));
        assertEquals(3, sys.hypervisor().pagesValidated(), "2 pages for the first buffer, 1 for the second");
    }

    @Test
    void everyPageOfACrossingBufferIsValidated() {
        // Byte 3 is in g1's page 2, byte 4 in g2's page 3.
        assertFalse(sys.postDescriptor("c1", new Buffer(3, 2)));
        HostSystem lax = new HostSystem(Config.tlcSized(), variant(Switch.ValidateAllPages, false));
        lax.allocatePage("g1", 2);
        lax.allocatePage("g2", 3);
        assertTrue(lax.postDescriptor("c1", new Buffer(3, 2)), "first-page-only validation lets it through");
        assertTrue(lax.checker().violated(Violation.INTER));
        assertEquals(1, lax.hypervisor().pins(3), "pins cover every page the buffer touches, validated or not");
    }

    @Test
    void badBuffersAreRejectedAndChangeNothing() {
        var before = sys.cdnaState();
        long hc = sys.hypervisor().hypercalls();
        Buffer[] bad = {
                new Buffer(0, 0), new Buffer(0, -1), new Buffer(-1, 1), new Buffer(-2, 2), new Buffer(0, 3),
                new Buffer(5, 2), new Buffer(6, 1), new Buffer(Long.MAX_VALUE, 2), new Buffer(1, Long.MAX_VALUE),
                new Buffer(Long.MIN_VALUE, 1), new Buffer(4, 1), null};
        for (Buffer b : bad) assertFalse(sys.postDescriptor("c1", b), String.valueOf(b));
        assertFalse(sys.postDescriptor("c9", new Buffer(0, 1)), "unknown context");
        Hypervisor h = sys.hypervisor();
        for (int c : new int[]{-1, 2, Integer.MAX_VALUE}) {
            assertFalse(h.postDescriptor(c, Dir.RX, new Buffer(0, 1)), "context index " + c);
            assertEquals(0, h.postDescriptors(c, Dir.RX, List.of(new Buffer(0, 1))));
            assertFalse(h.reapCompletions(c, Dir.RX));
        }
        assertFalse(sys.postDescriptor(null, new Buffer(0, 1)));
        assertFalse(sys.postDescriptor("c1", null, new Buffer(0, 1)));
        assertFalse(sys.as("g2").postDescriptor("c1", Dir.RX, new Buffer(0, 1)), "g2 cannot post on g1's context");
        assertFalse(sys.as("g1").writeDescriptor("c1", Dir.RX, 0, Descriptor.of(4, 2, 0)), "the CDNA ring is read-only to guests");
        assertFalse(sys.mapBuffer("c1", new IoBuffer(1, 1, 0, 1)), "no IOMMU calls under software protection");
        assertEquals(before, sys.cdnaState());
        assertEquals(0, sys.hypervisor().pins(1) + sys.hypervisor().pins(2) + sys.hypervisor().pins(3));
        assertTrue(sys.hypervisor().hypercalls() >= hc);
        assertTrue(sys.checker().violations().isEmpty());
    }

    @Test
    void theRingHoldsAtMostRingSizeOutstanding() {
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 1)));
        assertTrue(sys.postDescriptor("c1", new Buffer(1, 1)));
        assertFalse(sys.postDescriptor("c1", new Buffer(2, 1)));
        assertEquals(2, sys.hypervisor().inFlight(0, Dir.RX));
        assertTrue(sys.postDescriptor("c1", Dir.TX, new Buffer(2, 1)), "the TX ring is separate");
    }

    @Test
    void pinnedPagesCannotBeFreedOrTransferredUntilReaped() {
        assertTrue(sys.postDescriptor("c1", new Buffer(1, 2)));
        assertFalse(sys.freePage("g1", 1));
        assertFalse(sys.transferPage("g1", "g2", 2));
        assertFalse(sys.reapCompletions("c1"), "nothing completed yet");
        assertTrue(sys.ringDoorbell("c1", 1));
        assertTrue(sys.nicFetch("c1"));
        assertTrue(sys.nicDma("c1"));
        assertFalse(sys.reapCompletions("c1"), "half done");
        assertTrue(sys.nicDma("c1"));
        assertFalse(sys.freePage("g1", 1), "completion alone does not unpin: the hypervisor has not noticed it");
        assertTrue(sys.reapCompletions("c1"));
        assertFalse(sys.reapCompletions("c1"));
        assertEquals(0, sys.hypervisor().pins(1));
        assertEquals(0, sys.hypervisor().pins(2));
        assertTrue(sys.freePage("g1", 1));
        assertTrue(sys.transferPage("g1", "g2", 2));
        assertTrue(sys.checker().violations().isEmpty());
    }

    @Test
    void withoutPinningAPageGoesUnderPendingDma() {
        HostSystem s = new HostSystem(Config.tlcSized(), variant(Switch.PinPages, false));
        s.allocatePage("g1", 1);
        assertTrue(s.postDescriptor("c1", new Buffer(0, 2)));
        assertEquals(0, s.hypervisor().pins(1));
        assertTrue(s.freePage("g1", 1));
        assertTrue(s.checker().violated(Violation.INTER));
    }

    @Test
    void theNicTakesOnlyTheNextValidatedSequenceNumber() {
        assertTrue(sys.ringDoorbell("c1", 3), "the guest may write anything");
        assertFalse(sys.nicFetch("c1"), "slot 0 holds no validated descriptor");
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 1)));
        assertTrue(sys.nicFetch("c1"));
        assertTrue(sys.nicDma("c1"));
        assertEquals(1, sys.cdnaState().nicNext().get("c1"));
        assertFalse(sys.nicFetch("c1"), "slot 1 was never written: doorbell past validation gets nothing");
        assertTrue(sys.reapCompletions("c1"));
        // Replay: the stale descriptor in slot 0 carries tag 0, and the NIC expects 1 (and later 2).
        for (int v = 0; v < 4; v++) {
            sys.ringDoorbell("c1", v);
            assertFalse(sys.nicFetch("c1"), "doorbell " + v);
        }
        assertTrue(sys.deviceReach("c1").isEmpty());
    }

    @Test
    void withoutSequenceNumbersStaleSlotsAreReplayed() {
        HostSystem s = new HostSystem(Config.tlcSized(), variant(Switch.SequenceNumbers, false));
        s.allocatePage("g1", 1);
        assertTrue(s.postDescriptor("c1", new Buffer(0, 1)));
        assertEquals(0, s.cdnaState().ring().get("c1").get(0).seq());
        s.ringDoorbell("c1", 1);
        s.nicFetch("c1");
        s.nicDma("c1");
        s.reapCompletions("c1");
        assertTrue(s.checker().violations().isEmpty() || s.checker().violated(Violation.INTRA));
        s.ringDoorbell("c1", 3);
        assertTrue(s.nicFetch("c1"), "slot 1 is empty: the NIC steps past it");
        assertTrue(s.nicFetch("c1"), "slot 0 again, stale");
        assertTrue(s.checker().violated(Violation.INTRA));
        assertTrue(s.freePage("g1", 1), "the stale descriptor pins nothing");
        assertTrue(s.checker().violated(Violation.INTER));
    }

    @Test
    void doorbellValuesWrapModuloSeqMod() {
        sys.ringDoorbell("c1", -1);
        assertEquals(3, sys.cdnaState().doorbell().get("c1"));
        sys.ringDoorbell("c1", Long.MAX_VALUE);
        assertEquals((int) (Long.MAX_VALUE % 4), sys.cdnaState().doorbell().get("c1"));
        sys.ringDoorbell("c1", 6);
        assertEquals(2, sys.cdnaState().doorbell().get("c1"));
        assertFalse(sys.ringDoorbell("c7", 1));
    }

    @Test
    void reapingACrossingBufferUnpinsBothPages() {
        assertTrue(sys.postDescriptor("c1", new Buffer(1, 2)));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 1)));
        sys.ringDoorbell("c1", 2);
        sys.nicFetch("c1");
        sys.nicDma("c1");
        sys.nicDma("c1");
        assertTrue(sys.reapCompletions("c1"));
        assertEquals(1, sys.hypervisor().pins(1));
        assertEquals(0, sys.hypervisor().pins(2));
        assertEquals(1, sys.cdnaState().reaped().get("c1"));
        assertFalse(sys.reapCompletions("c1"), "the second one has not completed");
    }

    @Test
    void receivedBytesLandInTheBufferAndTransmitReadsTheGuestsBytes() {
        HostSystem s = new HostSystem(Config.of(2, 1, 4, 8, 12, 2), Design.cdnaBaseline());
        s.allocatePage("g1", 1);
        s.allocatePage("g1", 2);
        s.allocatePage("g2", 3);
        byte[] frame = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        assertTrue(s.receiveFrame(s.nic().mac(0), frame));
        assertTrue(s.postDescriptor("c1", new Buffer(4, 10)));
        s.ringDoorbell("c1", 1);
        assertTrue(s.nicFetch("c1"));
        while (s.nicDma("c1")) { }
        for (int i = 0; i < 10; i++) assertEquals(frame[i], s.memory().read(4 + i));
        assertEquals(1, s.memory().tag(4), "g1's data");
        assertEquals(1, s.nic().received());
        // Transmit reads what the guest wrote.
        byte[] out = {1, 2, 3};
        assertTrue(s.as("g2").write(16, out));
        assertFalse(s.as("g2").write(4, out), "not g2's page");
        assertTrue(s.postDescriptor("c2", Dir.TX, new Buffer(16, 3)));
        s.ringDoorbell("c2", Dir.TX, 1);
        s.nicFetch("c2", Dir.TX);
        s.nicDma("c2", Dir.TX);
        assertArrayEquals(out, s.nic().lastTransmitted().payload());
        assertTrue(s.checker().violations().isEmpty(), s.checker().violations().toString());
        // A frame for a MAC nobody has is dropped.
        assertTrue(s.receiveFrame("02:00:00:00:99:99", out));
        assertEquals(1, s.nic().dropped());
    }

    @Test
    void batchedPostsAreOneHypercallAndStopAtTheFirstRefusal() {
        long hc = sys.hypervisor().hypercalls();
        assertEquals(1, sys.postDescriptors("c1", Dir.RX, List.of(new Buffer(0, 1), new Buffer(4, 1), new Buffer(1, 1))));
        assertEquals(hc + 1, sys.hypervisor().hypercalls());
        assertEquals(2, sys.postDescriptors("c1", Dir.TX, List.of(new Buffer(0, 1), new Buffer(2, 2))));
        assertEquals(0, sys.as("g2").postDescriptors("c1", Dir.TX, List.of(new Buffer(0, 1))));
    }

    @Test
    void pagesChangeHandsScrubbedOrWithTheirData() {
        HostSystem s = new HostSystem(Config.tlcSized(), Design.cdnaBaseline());
        assertFalse(s.allocatePage("Hyp", 1), "Hyp is not a guest");
        assertFalse(s.allocatePage("g1", 0));
        assertFalse(s.allocatePage("g1", 4));
        assertTrue(s.allocatePage("g1", 1));
        assertFalse(s.allocatePage("g2", 1), "not free");
        assertTrue(s.as("g1").write(0, new byte[]{7, 8}));
        assertFalse(s.transferPage("g1", "g1", 1));
        assertFalse(s.transferPage("g1", "Hyp", 1));
        assertFalse(s.transferPage("g2", "g1", 1), "not g2's page");
        assertTrue(s.transferPage("g1", "g2", 1));
        assertEquals(7, s.memory().read(0));
        assertEquals(2, s.memory().tag(0), "now g2's data");
        assertFalse(s.freePage("g1", 1));
        assertTrue(s.freePage("g2", 1));
        assertEquals(HostMemory.HYP, s.memory().owner(1));
        assertEquals(0, s.memory().read(0));
        assertEquals(0, s.memory().tag(1));
        assertTrue(s.checker().violations().isEmpty());
    }

    @Test
    void interruptsGoToTheGuestOwningTheContext() {
        HostSystem s = new HostSystem(Config.of(2, 2, 4, 2, 2, 2), Design.cdnaBaseline());
        s.allocatePage("g1", 1);
        s.allocatePage("g2", 2);
        // c1, c2 belong to g1; c3, c4 to g2.
        assertTrue(s.postDescriptor("c1", new Buffer(0, 1)));
        assertTrue(s.postDescriptor("c2", new Buffer(1, 1)));
        assertTrue(s.postDescriptor("c3", new Buffer(2, 1)));
        s.ringDoorbell("c2", 1);
        s.ringDoorbell("c3", 1);
        assertEquals(0, s.deliverInterrupts(), "nothing completed");
        s.nicFetch("c2");
        s.nicDma("c2");
        assertEquals(1, s.deliverInterrupts());
        assertEquals(bits(1), s.hypervisor().pendingInterrupts("g1"));
        assertEquals(bits(), s.hypervisor().pendingInterrupts("g2"));
        s.nicFetch("c3");
        s.nicDma("c3");
        assertEquals(1, s.deliverInterrupts());
        assertEquals(bits(2), s.as("g2").acknowledgeInterrupts());
        assertEquals(bits(), s.hypervisor().pendingInterrupts("g2"), "acknowledged");
        assertEquals(bits(1), s.hypervisor().pendingInterrupts("g1"));
        assertEquals(0, s.deliverInterrupts(), "the vector was cleared when taken");
        assertEquals(2, s.hypervisor().interruptsDelivered());
        s.ringDoorbell("c1", 1);
        s.nicFetch("c1");
        s.nicDma("c1");
        assertEquals(1, s.deliverInterrupts());
        assertEquals(bits(0, 1), s.as("g1").acknowledgeInterrupts(), "the first context counts too");
        assertEquals(bits(), s.hypervisor().acknowledgeInterrupts("nobody"));
        assertEquals(bits(), s.hypervisor().pendingInterrupts("nobody"));
    }

    private static BitSet bits(int... i) {
        BitSet b = new BitSet();
        for (int x : i) b.set(x);
        return b;
    }

    @Test
    void snapshotsAreIndependent() {
        sys.postDescriptor("c1", new Buffer(0, 2));
        HostSystem snap = sys.copy();
        sys.ringDoorbell("c1", 1);
        sys.nicFetch("c1");
        sys.nicDma("c1");
        sys.reapCompletions("c1");
        sys.freePage("g1", 1);
        assertEquals(0, snap.cdnaState().nicNext().get("c1"));
        assertEquals("g1", snap.memory().owner(1));
        assertEquals(1, snap.hypervisor().pins(1));
        assertTrue(snap.ringDoorbell("c1", 1) && snap.nicFetch("c1"));
        assertEquals(HostMemory.HYP, sys.memory().owner(1));
        assertNull(snap.checker().first());
    }

    @Test
    void deviceReachFollowsTheSpec() {
        sys.postDescriptor("c1", new Buffer(1, 2));
        sys.postDescriptor("c1", new Buffer(0, 1));
        assertEquals(java.util.Set.of(0L, 1L, 2L), sys.deviceReach("c1"));
        assertEquals(sys.postedCells("c1"), sys.deviceReach("c1"));
        sys.ringDoorbell("c1", 2);
        sys.nicFetch("c1");
        sys.nicDma("c1");
        assertEquals(java.util.Set.of(0L, 2L), sys.deviceReach("c1"), "byte 1 is done");
        assertEquals(new HostSystem.EngineView(new HostSystem.Desc(1, 2, 0), 1), sys.cdnaState().engine().get("c1"));
        assertEquals(List.of(new Segment(2, 1)), List.of(cdna.nic.Nic.nextSegment(sys.nic().queue(0, Dir.RX).engine(), 2)));
    }
}
