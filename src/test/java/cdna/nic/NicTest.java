package cdna.nic;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NIC on its own, against a recording bus.  Pages of 4 bytes, rings of 2, SeqMod 4. */
class NicTest {
    record Access(int ctx, Dir dir, long addr, int len, int provenance) {}

    final List<Access> log = new ArrayList<>();
    boolean refuse;
    final DmaPort bus = (c, d, addr, data, prov) -> {
        if (refuse) return false;
        log.add(new Access(c, d, addr, data.length, prov));
        if (d == Dir.TX) for (int i = 0; i < data.length; i++) data[i] = (byte) (addr + i);
        return true;
    };

    /** Two contexts, their filters programmed (as the hypervisor does at assignment) with 02:00:00:00:00:01 and :02. */
    static Nic nic(boolean seq) {
        Nic n = new Nic(List.of("c1", "c2"), 2, 4, seq);
        n.addMac(0, "02:00:00:00:00:01");
        n.addMac(1, "02:00:00:00:00:02");
        return n;
    }

    @Test
    void geometryIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Nic(List.of("c1"), 2, 3, true));
        assertThrows(IllegalArgumentException.class, () -> new Nic(List.of("c1"), 3, 8, true));
        assertThrows(IllegalArgumentException.class, () -> new Nic(List.of("c1"), 4, 6, true));
        assertThrows(IllegalArgumentException.class, () -> new Nic(List.of("c1"), 0, 4, true));
        assertEquals(2, nic(true).contexts());
        assertThrows(IllegalArgumentException.class, () -> new Nic(List.of("c1"), 4, 4, true));
        assertEquals(1, new Nic(List.of("c1"), 1, 2, true).ringSize(), "the smallest ring");
    }

    @Test
    void fetchNeedsADoorbellAMatchingTagAnIdleEngineAndAFrame() {
        Nic n = nic(true);
        n.writeSlot(0, Dir.RX, 0, Descriptor.of(1, 6, 0));
        assertFalse(n.nicFetch(0, Dir.RX), "doorbell still equals nicNext");
        n.ringDoorbell(0, Dir.RX, 1);
        assertFalse(n.nicFetch(0, Dir.RX), "no frame waiting");
        n.receive(new Frame(1, n.mac(0), new byte[]{1, 2, 3, 4, 5, 6, 7}, 9));
        assertTrue(n.nicFetch(0, Dir.RX));
        assertFalse(n.nicFetch(0, Dir.RX), "engine busy");
        assertEquals(new Segment(1, 3), Nic.nextSegment(n.queue(0, Dir.RX).engine(), 4));
        assertTrue(n.nicDma(0, Dir.RX, 4, bus));
        assertEquals(new Segment(4, 3), Nic.nextSegment(n.queue(0, Dir.RX).engine(), 4));
        assertTrue(n.nicDma(0, Dir.RX, 4, bus));
        assertFalse(n.nicDma(0, Dir.RX, 4, bus), "idle");
        assertEquals(List.of(new Access(0, Dir.RX, 1, 3, 9), new Access(0, Dir.RX, 4, 3, 9)), log);
        assertEquals(1, n.queue(0, Dir.RX).nicNext());
        assertEquals(1, n.received());
        assertEquals(0, n.transmitted());
        BitSet v = n.takeInterruptVector();
        assertEquals(BitSet.valueOf(new long[]{1}), v);
        assertTrue(n.interruptVector().isEmpty());
    }

    @Test
    void aWrongTagIsNotTakenWhenCheckingAndTakenWhenNot() {
        for (boolean seq : new boolean[]{true, false}) {
            Nic n = nic(seq);
            n.writeSlot(0, Dir.TX, 0, Descriptor.of(0, 1, 3));
            n.ringDoorbell(0, Dir.TX, 1);
            assertEquals(!seq, n.nicFetch(0, Dir.TX));
        }
    }

    @Test
    void emptySlotsAreSteppedOverAndMalformedOnesSkippedWithAnInterrupt() {
        Nic n = nic(false);
        n.ringDoorbell(1, Dir.TX, 3);
        assertTrue(n.nicFetch(1, Dir.TX), "empty slot");
        assertEquals(1, n.queue(1, Dir.TX).nicNext());
        assertTrue(n.interruptVector().isEmpty());
        n.writeSlot(1, Dir.TX, 1, new Descriptor(List.of(new Segment(0, 1), new Segment(5, 0)), 0));
        assertTrue(n.nicFetch(1, Dir.TX));
        assertEquals(1, n.malformed());
        assertEquals(2, n.queue(1, Dir.TX).nicNext());
        assertTrue(n.interruptVector().get(1));
        assertTrue(n.queue(1, Dir.TX).engine().idle());
        n.writeSlot(1, Dir.TX, 0, Descriptor.of(0, Nic.MAX_FRAME + 1, 0));
        assertTrue(n.nicFetch(1, Dir.TX));
        assertEquals(2, n.malformed());
        n.writeSlot(1, Dir.TX, 1, Descriptor.of(0, Nic.MAX_FRAME, 0));
        n.ringDoorbell(1, Dir.TX, 0);
        assertTrue(n.nicFetch(1, Dir.TX), "the largest frame is fine");
        assertEquals(2, n.malformed());
        assertFalse(n.queue(1, Dir.TX).engine().idle());
        Nic m = nic(false);
        m.writeSlot(0, Dir.TX, 0, Descriptor.of(Long.MAX_VALUE - 2, 2, 0));
        m.writeSlot(0, Dir.TX, 1, Descriptor.of(Long.MAX_VALUE - 1, 2, 0));
        m.ringDoorbell(0, Dir.TX, 2);
        assertTrue(m.nicFetch(0, Dir.TX));
        assertEquals(0, m.malformed(), "ends exactly at the top of the address space");
        refuse = true;
        m.nicDma(0, Dir.TX, 4, bus);
        assertTrue(m.nicFetch(0, Dir.TX));
        assertEquals(1, m.malformed(), "one byte past it");
        assertTrue(log.isEmpty());
    }

    @Test
    void aRefusedAccessAbortsTheDescriptor() {
        Nic n = nic(true);
        n.writeSlot(0, Dir.TX, 0, Descriptor.of(0, 8, 0));
        n.ringDoorbell(0, Dir.TX, 1);
        assertTrue(n.nicFetch(0, Dir.TX));
        assertTrue(n.nicDma(0, Dir.TX, 4, bus));
        refuse = true;
        assertTrue(n.nicDma(0, Dir.TX, 4, bus));
        assertEquals(1, n.faults());
        assertTrue(n.queue(0, Dir.TX).engine().idle());
        assertEquals(1, n.queue(0, Dir.TX).nicNext());
        assertEquals(0, n.transmitted());
        assertNull(n.lastTransmitted());
        assertTrue(n.interruptVector().get(0));
    }

    @Test
    void transmitGathersEveryScatterSegment() {
        Nic n = nic(false);
        n.writeSlot(1, Dir.TX, 0, new Descriptor(List.of(new Segment(2, 3), new Segment(9, 2)), 0));
        n.ringDoorbell(1, Dir.TX, 1);
        assertTrue(n.nicFetch(1, Dir.TX));
        while (n.nicDma(1, Dir.TX, 4, bus)) { }
        assertEquals(List.of(new Access(1, Dir.TX, 2, 2, 0), new Access(1, Dir.TX, 4, 1, 0), new Access(1, Dir.TX, 9, 2, 0)), log);
        assertArrayEquals(new byte[]{2, 3, 4, 9, 10}, n.lastTransmitted().payload());
        assertEquals(1, n.transmitted());
    }

    @Test
    void receiveFiltersAreEmptyAtPowerOnAndHoldWhatWasProgrammed() {
        Nic n = new Nic(List.of("c1", "c2"), 2, 4, true);
        assertEquals(null, n.mac(0), "no address before the hypervisor programs one");
        assertEquals(-1, n.receive(new Frame(1, "02:00:00:00:00:01", new byte[]{1}, 1)), "a MAC no context claims is dropped");
        n.addMac(0, "02:00:00:00:00:01");
        n.addMac(0, "02:00:00:00:00:07");
        n.addMac(0, "02:00:00:00:00:07".toUpperCase());
        assertEquals(List.of("02:00:00:00:00:01", "02:00:00:00:00:07"), n.macs(0), "each address once, in the order programmed");
        assertEquals("02:00:00:00:00:07", n.mac(0), "the last one programmed");
        assertEquals(0, n.demux("02:00:00:00:00:01"), "an address left in the filter still takes frames");
        Nic copy = n.copy();
        n.clearMacs(0);
        assertEquals(List.of(), n.macs(0));
        assertEquals(-1, n.demux("02:00:00:00:00:07"));
        assertEquals(0, copy.demux("02:00:00:00:00:07"), "the copy keeps its own filters");
        assertEquals(-1, n.demux(null));
    }

    @Test
    void receiveDemultiplexesByMacAndPadsShortFrames() {
        Nic n = nic(true);
        assertEquals(1, n.receive(new Frame(1, "02:00:00:00:00:02", new byte[]{5}, 2)));
        assertEquals(-1, n.receive(new Frame(2, "02:00:00:00:00:03", new byte[]{5}, 2)));
        assertEquals(1, n.dropped());
        assertEquals(1, n.inboundCount(1));
        assertEquals(0, n.inboundCount(0));
        assertEquals(1, n.demux("02:00:00:00:00:02".toUpperCase()));
        n.writeSlot(1, Dir.RX, 0, Descriptor.of(0, 2, 0));
        n.ringDoorbell(1, Dir.RX, 1);
        assertTrue(n.nicFetch(1, Dir.RX));
        assertEquals(0, n.inboundCount(1));
        List<byte[]> written = new ArrayList<>();
        n.nicDma(1, Dir.RX, 4, (c, d, addr, data, prov) -> written.add(data.clone()));
        assertArrayEquals(new byte[]{5, 0}, written.get(0));
    }

    @Test
    void aSaturatedWireAlwaysHasAFrameLabelledForTheContext() {
        Nic n = nic(true);
        n.setFramesAlwaysWaiting(new int[]{3, 4});
        n.writeSlot(0, Dir.RX, 0, Descriptor.of(0, 2, 0));
        n.ringDoorbell(0, Dir.RX, 1);
        assertTrue(n.nicFetch(0, Dir.RX));
        Frame f = n.queue(0, Dir.RX).engine().frame();
        assertEquals(3, f.provenance());
        assertEquals(1, f.id());
        assertEquals(2, n.nextFrameId());
        assertEquals(3, n.nextFrameId());
        assertArrayEquals(new byte[]{1, 2, 3}, Frame.pattern(0, 3));
        assertArrayEquals(new byte[]{32, 33}, Frame.pattern(1, 2));
        byte[] longer = Frame.pattern(0, 300);
        assertEquals((byte) 255, longer[254]);
        assertEquals(1, longer[255], "the pattern never contains a zero byte");
        assertEquals(2, f.payload().length);
        assertArrayEquals(Frame.pattern(f.id(), 2), f.payload());
        Nic c = n.copy();
        n.nicDma(0, Dir.RX, 4, bus);
        assertFalse(c.queue(0, Dir.RX).engine().idle(), "the copy is unaffected");
        assertTrue(n.queue(0, Dir.RX).engine().idle());
    }

    @Test
    void doorbellsWrap() {
        Nic n = nic(true);
        n.ringDoorbell(0, Dir.RX, 5);
        assertEquals(1, n.queue(0, Dir.RX).doorbell());
        n.ringDoorbell(0, Dir.RX, -2);
        assertEquals(2, n.queue(0, Dir.RX).doorbell());
    }

    @Test
    void descriptorLengthsSaturateAndRejectBadSegments() {
        assertEquals(-1, new Descriptor(List.of(new Segment(0, 0)), 0).len());
        assertEquals(-1, new Descriptor(List.of(new Segment(0, 3), new Segment(0, -1)), 0).len());
        assertEquals(Long.MAX_VALUE, new Descriptor(List.of(new Segment(0, Long.MAX_VALUE), new Segment(0, 5)), 0).len());
        assertEquals(7, new Descriptor(List.of(new Segment(0, 3), new Segment(9, 4)), 0).len());
        assertEquals(0, Descriptor.empty(4).len());
        assertEquals(0, Descriptor.empty(4).addr());
        assertEquals(4, Descriptor.empty(4).seq());
    }

    @Test
    void aResetEmptiesBothRingsAndRestartsThemWhereTold() {
        // next[] is indexed by Dir's ordinal: TX, then RX.
        Nic n = nic(true);
        n.setFramesAlwaysWaiting(new int[]{1, 2});
        n.writeSlot(0, Dir.RX, 0, Descriptor.of(0, 4, 0));
        n.writeSlot(0, Dir.TX, 0, Descriptor.of(4, 4, 0));
        n.ringDoorbell(0, Dir.RX, 1);
        n.ringDoorbell(0, Dir.TX, 1);
        n.ringDoorbell(1, Dir.RX, 3);
        assertTrue(n.nicFetch(0, Dir.RX));
        assertTrue(n.nicFetch(0, Dir.TX));
        assertTrue(n.nicDma(0, Dir.TX, 4, bus));
        assertTrue(n.hasEvent(0));
        n.receive(new Frame(9, n.mac(0), new byte[]{1}, 1));
        Nic before = n.copy();
        n.resetContext(0, new int[]{6, 3});
        for (Dir d : Dir.values()) {
            DescriptorQueue q = n.queue(0, d);
            assertTrue(q.engine().idle());
            assertTrue(q.slot(0).isEmpty() && q.slot(1).isEmpty());
            assertEquals(4, q.slot(0).seq(), "an empty slot's tag never matches");
        }
        assertEquals(3, n.queue(0, Dir.RX).nicNext());
        assertEquals(3, n.queue(0, Dir.RX).doorbell());
        assertEquals(2, n.queue(0, Dir.TX).nicNext(), "taken modulo SeqMod");
        assertEquals(2, n.queue(0, Dir.TX).doorbell());
        assertFalse(n.hasEvent(0));
        assertEquals(0, n.inboundCount(0));
        assertEquals(1, n.dropped());
        assertFalse(n.nicFetch(0, Dir.RX), "nothing pending");
        assertEquals(3, n.queue(1, Dir.RX).doorbell(), "the other context is untouched");
        assertFalse(before.queue(0, Dir.RX).engine().idle(), "the copy is untouched");
        assertEquals(1, before.inboundCount(0));
        assertTrue(before.hasEvent(0));
    }

    @Test
    void eventsAreClearedPerContext() {
        Nic n = nic(false);
        n.ringDoorbell(0, Dir.TX, 1);
        n.ringDoorbell(1, Dir.TX, 1);
        n.writeSlot(0, Dir.TX, 0, new Descriptor(List.of(new Segment(0, 0)), 0));
        n.writeSlot(1, Dir.TX, 0, new Descriptor(List.of(new Segment(0, 0)), 0));
        assertTrue(n.nicFetch(0, Dir.TX));
        assertTrue(n.nicFetch(1, Dir.TX));
        assertTrue(n.hasEvent(0) && n.hasEvent(1), "malformed slots are events too");
        n.clearEvents(0);
        assertFalse(n.hasEvent(0));
        assertTrue(n.hasEvent(1));
    }

    @Test
    void theSaturatingSenderFollowsTheContextsNewOwner() {
        Nic n = nic(true);
        n.setFramesAlwaysWaiting(new int[]{1, 2});
        Nic copy = n.copy();
        n.setProvenance(0, 7);
        n.writeSlot(0, Dir.RX, 0, Descriptor.of(0, 1, 0));
        n.ringDoorbell(0, Dir.RX, 1);
        assertTrue(n.nicFetch(0, Dir.RX));
        assertTrue(n.nicDma(0, Dir.RX, 4, bus));
        assertEquals(7, log.get(0).provenance());
        copy.writeSlot(0, Dir.RX, 0, Descriptor.of(0, 1, 0));
        copy.ringDoorbell(0, Dir.RX, 1);
        assertTrue(copy.nicFetch(0, Dir.RX));
        assertTrue(copy.nicDma(0, Dir.RX, 4, bus));
        assertEquals(1, log.get(1).provenance(), "a copy taken before keeps the old sender");
        Nic plain = nic(true);
        plain.setProvenance(0, 7);
        plain.writeSlot(0, Dir.RX, 0, Descriptor.of(0, 1, 0));
        plain.ringDoorbell(0, Dir.RX, 1);
        assertFalse(plain.nicFetch(0, Dir.RX), "no saturating sender: still no frame");
    }
}

