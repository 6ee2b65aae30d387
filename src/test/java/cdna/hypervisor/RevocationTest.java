package cdna.hypervisor;

import cdna.design.Design;
import cdna.design.Switch;
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
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Taking a context from one guest and giving it to another (ContextOwnership):
 * the pipeline's order, what each step does to the rings, pins, mappings and
 * the guests' access, per design switch, and the spec-state view of it.
 */
class RevocationTest {
    // MCCdna.cfg's size: g1 owns c1, g2 owns c2; three 2-byte pages; rings of 2, SeqMod 4.
    HostSystem sys;

    @BeforeEach
    void setUp() {
        sys = cdna(Design.cdnaBaseline());
    }

    static HostSystem cdna(Design d) {
        HostSystem s = new HostSystem(Config.tlcSized(), d);
        assertTrue(s.allocatePage("g1", 1));
        assertTrue(s.allocatePage("g1", 2));
        assertTrue(s.allocatePage("g2", 3));
        return s;
    }

    static Design variant(Switch s, Object v) { return Design.cdnaBaseline().with("variant", s, v); }

    static Design iommuVariant(Switch s, Object v) { return Design.iommuBaseline().with("variant", s, v); }

    /** Walks c from assigned to free. */
    static void revoke(HostSystem s, String c) {
        assertTrue(s.stopContext(c));
        assertTrue(s.quiesceContext(c));
        assertTrue(s.unmapContext(c));
        assertTrue(s.unpinContext(c));
    }

    private String phase(String c) { return sys.ownershipState().phase().get(c); }

    @Test
    void eachStepIsEnabledOnlyInItsPhase() {
        assertEquals("assigned", phase("c1"));
        assertFalse(sys.quiesceContext("c1"));
        assertFalse(sys.unmapContext("c1"));
        assertFalse(sys.unpinContext("c1"));
        assertFalse(sys.assignContext("c1", "g2"));
        assertTrue(sys.stopContext("c1"));
        assertEquals("stopped", phase("c1"));
        assertFalse(sys.stopContext("c1"));
        assertFalse(sys.unmapContext("c1"));
        assertTrue(sys.quiesceContext("c1"));
        assertEquals("quiesced", phase("c1"));
        assertFalse(sys.quiesceContext("c1"));
        assertFalse(sys.unpinContext("c1"));
        assertTrue(sys.unmapContext("c1"));
        assertEquals("unmapped", phase("c1"));
        assertFalse(sys.unmapContext("c1"));
        assertFalse(sys.assignContext("c1", "g2"));
        assertTrue(sys.unpinContext("c1"));
        assertEquals("free", phase("c1"));
        assertFalse(sys.unpinContext("c1"));
        assertFalse(sys.assignContext("c1", "g1"), "not back to its last owner");
        assertFalse(sys.assignContext("c1", "Hyp"));
        assertFalse(sys.assignContext("c1", null));
        assertTrue(sys.assignContext("c1", "g2"));
        assertEquals("assigned", phase("c1"));
        assertEquals("g2", sys.ctxOwner(0));
        assertEquals(1, sys.reassignments());
        assertEquals("assigned", phase("c2"), "the other context is untouched");
        for (String c : new String[]{"c9", null}) {
            assertFalse(sys.stopContext(c));
            assertFalse(sys.quiesceContext(c));
            assertFalse(sys.unmapContext(c));
            assertFalse(sys.unpinContext(c));
            assertFalse(sys.assignContext(c, "g2"));
        }
        assertEquals(3 + 5, sys.stepCount(), "three allocations and five pipeline steps; refusals are no steps");
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void onlyAnAssignedContextTakesNewWork() {
        assertTrue(sys.stopContext("c1"));
        assertFalse(sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(0, 1)));
        assertFalse(sys.postDescriptor("c1", new Buffer(0, 1)));
        assertEquals(0, sys.postDescriptors("c1", Dir.RX, List.of(new Buffer(0, 1))));
        assertTrue(sys.postDescriptor("c2", new Buffer(4, 1)), "c2 is still g2's");
    }

    @Test
    void stoppingTakesTheDoorbellFromTheGuest() {
        assertTrue(sys.as("g1").ringDoorbell("c1", Dir.RX, 1));
        assertTrue(sys.stopContext("c1"));
        assertEquals(Set.of(), sys.hypervisor().holders(0));
        assertFalse(sys.as("g1").ringDoorbell("c1", Dir.RX, 2));
        assertFalse(sys.ringDoorbell("c1", 2), "nobody has it mapped");
        revokeRest("c1");
        assertTrue(sys.assignContext("c1", "g2"));
        assertFalse(sys.as("g1").ringDoorbell("c1", Dir.RX, 2));
        assertTrue(sys.as("g2").ringDoorbell("c1", Dir.RX, 2));
        assertEquals(Set.of("g2"), sys.hypervisor().holders(0));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    private void revokeRest(String c) {
        assertTrue(sys.quiesceContext(c));
        assertTrue(sys.unmapContext(c));
        assertTrue(sys.unpinContext(c));
    }

    @Test
    void keptMappingsLetTwoGuestsDriveTheContext() {
        sys = cdna(variant(Switch.UnmapGuestAccessOnStop, false));
        revoke(sys, "c1");
        assertTrue(sys.as("g1").ringDoorbell("c1", Dir.RX, 1), "g1 still has the doorbell mapped");
        assertTrue(sys.checker().violations().isEmpty(), "while c1 is free its last owner is still g1");
        assertTrue(sys.assignContext("c1", "g2"));
        assertEquals(Set.of("g1", "g2"), sys.hypervisor().holders(0));
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.SINGLE_OWNER)
                && v.kind() == Violation.Kind.REACH));
        assertTrue(sys.as("g1").ringDoorbell("c1", Dir.RX, 3));
        assertEquals(3, sys.nic().queue(0, Dir.RX).doorbell());
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.SINGLE_OWNER)
                && v.kind() == Violation.Kind.EVENT && v.detail().startsWith("g1 rang")), sys.checker().violations().toString());
        assertFalse(sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(0, 1)), "hypercalls still check the owner");
        assertTrue(sys.as("g1").acknowledgeInterrupts().get(0), "the last virtual interrupt of g1's tenure, sent at stop");
        assertFalse(sys.as("g1").sendMsi("c1", "g1"), "the NIC raises only the vector programmed for c1, g2's now");
        assertTrue(sys.as("g1").sendMsi("c1", "g2"), "g1 still drives c1");
        assertEquals(0, sys.iommu().remapFaults());
        assertEquals(new BitSet(), sys.hypervisor().pendingInterrupts("g1"));
    }

    @Test
    void resetDropsQueuedWorkAndTheirPins() {
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 2)));
        assertTrue(sys.postDescriptor("c1", new Buffer(2, 1)));
        assertTrue(sys.postDescriptor("c1", Dir.TX, new Buffer(1, 1)));
        assertTrue(sys.ringDoorbell("c1", 2));
        assertTrue(sys.nicFetch("c1"));
        assertEquals(2, sys.hypervisor().pins(1));
        assertTrue(sys.stopContext("c1"));
        assertEquals(1, sys.stopsWithDmaInFlight());
        assertFalse(sys.freePage("g1", 1), "pinned");
        assertTrue(sys.quiesceContext("c1"));
        var st = sys.cdnaState();
        assertEquals(List.of(new HostSystem.Desc(0, 0, 4), new HostSystem.Desc(0, 0, 4)), st.ring().get("c1"));
        assertEquals(2, st.nicNext().get("c1"));
        assertEquals(2, st.doorbell().get("c1"));
        assertEquals(0, st.reaped().get("c1"), "reaping is UnpinContext's job");
        assertEquals(new HostSystem.EngineView(new HostSystem.Desc(0, 0, 4), 0), st.engine().get("c1"));
        assertEquals(1, sys.cdnaState(Dir.TX).nicNext().get("c1"), "both rings are reset");
        assertEquals(0, sys.hypervisor().pins(1));
        assertEquals(0, sys.hypervisor().pins(2));
        assertTrue(sys.deviceReach("c1").isEmpty());
        assertTrue(sys.freePage("g1", 1), "the reset took the pins with the descriptors");
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.unpinContext("c1"));
        assertEquals(2, sys.cdnaState().reaped().get("c1"));
        assertEquals(0, sys.hypervisor().inFlight(0, Dir.RX));
        assertTrue(sys.assignContext("c1", "g2"));
        assertTrue(sys.postDescriptor("c1", new Buffer(4, 1)));
        assertEquals(new HostSystem.Desc(4, 1, 2), sys.cdnaState().ring().get("c1").get(0));
        assertEquals(List.of("g2", "g1"), sys.ownershipState().slotOwner().get("c1"));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void drainAllWaitsUntilEveryValidatedDescriptorIsDone() {
        sys = cdna(variant(Switch.RevokeQuiesce, "drain-all"));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 2)));
        assertTrue(sys.postDescriptor("c1", Dir.TX, new Buffer(2, 1)));
        assertTrue(sys.stopContext("c1"));
        assertEquals(1, sys.cdnaState().doorbell().get("c1"), "the hypervisor lets the NIC through what it validated");
        assertEquals(1, sys.cdnaState(Dir.TX).doorbell().get("c1"));
        assertFalse(sys.quiesceContext("c1"), "RX descriptor queued");
        assertTrue(sys.nicFetch("c1"));
        assertFalse(sys.quiesceContext("c1"), "RX engine busy");
        assertTrue(sys.nicDma("c1"));
        assertFalse(sys.quiesceContext("c1"), "TX descriptor queued");
        assertTrue(sys.nicFetch("c1", Dir.TX));
        assertTrue(sys.nicDma("c1", Dir.TX));
        assertTrue(sys.quiesceContext("c1"));
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.unpinContext("c1"));
        assertEquals(0, sys.hypervisor().pins(1));
        assertTrue(sys.assignContext("c1", "g2"));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void drainInflightWaitsForTheEnginesButLeavesQueuedWork() {
        sys = cdna(variant(Switch.RevokeQuiesce, "drain-inflight"));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 2)));
        assertTrue(sys.postDescriptor("c1", new Buffer(2, 2)));
        assertTrue(sys.ringDoorbell("c1", 1));
        assertTrue(sys.nicFetch("c1"));
        assertTrue(sys.stopContext("c1"));
        assertEquals(1, sys.cdnaState().doorbell().get("c1"), "no doorbell write when not draining everything");
        assertFalse(sys.quiesceContext("c1"));
        assertTrue(sys.nicDma("c1"));
        assertTrue(sys.quiesceContext("c1"));
        assertEquals(new HostSystem.Desc(2, 2, 1), sys.cdnaState().ring().get("c1").get(1), "still queued");
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.NO_STALE_DMA)
                && v.kind() == Violation.Kind.REACH && v.detail().contains("c1 is unmapped")), sys.checker().violations().toString());
        assertEquals(1, sys.hypervisor().pins(2));
        assertTrue(sys.unpinContext("c1"));
        assertEquals(0, sys.hypervisor().pins(2), "UnpinContext drops the pins of what is still queued");
        assertTrue(sys.freePage("g1", 2));
        assertTrue(sys.assignContext("c1", "g2"));
        assertTrue(sys.as("g2").ringDoorbell("c1", Dir.RX, 2));
        assertTrue(sys.nicFetch("c1"));
        assertEquals("g1", sys.engineOwner(0, Dir.RX));
        assertTrue(sys.nicDma("c1"));
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.NO_STALE_DMA)
                && v.kind() == Violation.Kind.ACCESS && v.detail().contains("issued before c1 was given to g2")), sys.checker().violations().toString());
        assertTrue(sys.checker().violated(Violation.INTER), "page 2 went back to the pool");
    }

    @Test
    void withoutQuiescingTheDeviceKeepsWorkingForTheRevokedContext() {
        sys = cdna(variant(Switch.RevokeQuiesce, "none"));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 2)));
        assertTrue(sys.ringDoorbell("c1", 1));
        assertTrue(sys.nicFetch("c1"));
        revoke(sys, "c1");
        assertEquals(0, sys.hypervisor().pins(1));
        assertEquals("g1", sys.ownershipState().engineOwner().get("c1"));
        assertTrue(sys.nicDma("c1"));
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.NO_STALE_DMA)
                && v.kind() == Violation.Kind.ACCESS && v.detail().contains("while c1 is free")), sys.checker().violations().toString());
        assertTrue(sys.checker().violated(Violation.INTRA), "nothing is posted on c1 any more");
    }

    @Test
    void stoppingTurnsTheReceiveFilterOff() {
        assertTrue(sys.receiveFrame(sys.nic().mac(0), new byte[]{1}));
        assertEquals(1, sys.nic().inboundCount(0));
        assertTrue(sys.stopContext("c1"));
        assertEquals(0, sys.nic().inboundCount(0));
        assertTrue(sys.receiveFrame(sys.nic().mac(0), new byte[]{2}));
        assertEquals(0, sys.nic().inboundCount(0), "dropped while c1 changes hands");
        assertEquals(2, sys.nic().dropped());
        revokeRest("c1");
        assertTrue(sys.assignContext("c1", "g2"));
        assertTrue(sys.postDescriptor("c1", new Buffer(4, 1)));
        assertTrue(sys.ringDoorbell("c1", 1));
        assertTrue(sys.nicFetch("c1"));
        assertTrue(sys.nicDma("c1"));
        assertEquals(2, sys.memory().tag(4), "the wire now sends c1's frames for g2");
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void theHypervisorProgramsTheOwnersMacAndClearsItOnRelease() {
        String g1 = GuestMacs.of("g1", 0), g2 = GuestMacs.of("g2", 0), g2second = GuestMacs.of("g2", 1);
        assertEquals(List.of(g1), sys.nic().macs(0), "each context starts with its owner's address");
        assertEquals(List.of(g2), sys.nic().macs(1));
        revoke(sys, "c1");
        assertEquals(List.of(), sys.nic().macs(0), "ClearMacOnRelease: the free context claims no address");
        assertTrue(sys.assignContext("c1", "g2"));
        assertEquals(List.of(g2second), sys.nic().macs(0), "g2's second interface: its first is c2's");
        assertTrue(sys.receiveFrame(g1, new byte[]{1}));
        assertEquals(0, sys.nic().inboundCount(0), "a frame for g1 is dropped: nobody claims its address");
        assertEquals(1, sys.nic().dropped());
        assertTrue(sys.receiveFrame(g2second, new byte[]{2}));
        assertEquals(1, sys.nic().inboundCount(0));
    }

    @Test
    void withoutClearMacOnReleaseTheNextOwnerGetsTheLastOwnersFrames() {
        sys = cdna(variant(Switch.ClearMacOnRelease, false));
        String g1 = GuestMacs.of("g1", 0);
        revoke(sys, "c1");
        assertEquals(List.of(g1), sys.nic().macs(0), "the filter is left as it was");
        assertTrue(sys.receiveFrame(g1, new byte[]{1}));
        assertEquals(0, sys.nic().inboundCount(0), "still dropped while c1 is free");
        assertTrue(sys.assignContext("c1", "g2"));
        assertEquals(List.of(g1, GuestMacs.of("g2", 1)), sys.nic().macs(0));
        assertTrue(sys.receiveFrame(g1, new byte[]{2}));
        assertEquals(1, sys.nic().inboundCount(0), "g1's frame is queued on c1, which is g2's now");
    }

    @Test
    void aGuestsMacIsItsOwnOnEveryHost() {
        assertEquals(GuestMacs.of("M", 0), GuestMacs.of("M", 0));
        assertFalse(GuestMacs.of("M", 0).equals(GuestMacs.of("O", 0)));
        assertFalse(GuestMacs.of("M", 0).equals(GuestMacs.of("M", 1)));
        assertTrue(GuestMacs.of("M", 0).matches("02(:[0-9a-f]{2}){5}"), GuestMacs.of("M", 0));
        // "Aa" and "BB" have the same String.hashCode: they would share their addresses, so a host refuses them.
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new HostSystem(new Config(List.of("Aa", "BB"), 2, 2, 2, List.of("c1"), List.of("Aa"), 2, 4, false, 4),
                        Design.cdnaBaseline()));
        assertTrue(e.getMessage().contains("Aa") && e.getMessage().contains("BB"), e.getMessage());
    }

    @Test
    void iommuUnmapContextRemovesTheMappingsAndFlushes() {
        sys = new HostSystem(Config.tlcSized(), Design.iommuBaseline());
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(sys.mapBuffer("c1", new IoBuffer(1, 1, 0, 2)));
        assertTrue(sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 2)), 0)));
        assertTrue(sys.stopContext("c1"));
        assertFalse(sys.as("g1").writeDescriptor("c1", Dir.RX, 1, new Descriptor(List.of(new Segment(0, 2)), 0)));
        assertFalse(sys.writeDescriptor("c1", Dir.RX, 1, new Descriptor(List.of(new Segment(0, 2)), 0)));
        assertFalse(sys.mapBuffer("c1", new IoBuffer(1, 1, 0, 1)), "no new mappings once stopped");
        assertTrue(sys.quiesceContext("c1"));
        assertTrue(sys.nic().queue(0, Dir.RX).slot(0).isEmpty(), "a function-level reset empties the ring");
        assertFalse(sys.deviceReach("c1").isEmpty(), "the mappings are still there until UnmapContext");
        long flushes = sys.iommu().flushes();
        assertTrue(sys.unmapContext("c1"));
        assertEquals(List.of(), sys.hypervisor().posted(0));
        assertTrue(sys.deviceReach("c1").isEmpty());
        assertEquals(flushes + 1, sys.iommu().flushes());
        assertEquals(0, sys.hypervisor().unflushed());
        assertTrue(sys.unpinContext("c1"));
        assertTrue(sys.assignContext("c1", "g2"));
        assertEquals(Set.of("g2"), sys.iommu().irte(0));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void aDomainChangeWithoutAFlushLeavesThePreviousOwnersTranslations() {
        sys = new HostSystem(Config.tlcSized(), iommuVariant(Switch.FlushOnDomainChange, false));
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(sys.allocatePage("g2", 3));
        assertTrue(sys.mapBuffer("c1", new IoBuffer(1, 1, 0, 1)));
        revoke(sys, "c1");
        BitSet first = new BitSet();
        first.set(0);
        assertEquals(Map.of(1, first), sys.iommu().stale(1));
        assertEquals(Map.of(1, first), sys.revokedStalePages(0));
        assertEquals(Set.of(0L), sys.deviceReach("c1"));
        assertTrue(sys.checker().violated(Violation.NO_STALE_DMA));
        assertTrue(sys.assignContext("c1", "g2"));
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.INTER) && v.kind() == Violation.Kind.REACH
                && v.action().equals("AssignContext(c1, g2)")), sys.checker().violations().toString());
        // Any strict unmap flushes the whole IOTLB, as the spec's Invalidate does, and the window closes.
        assertTrue(sys.mapBuffer("c2", new IoBuffer(3, 3, 0, 1)));
        assertTrue(sys.unmapBuffer("c2", new IoBuffer(3, 3, 0, 1)));
        assertEquals(Map.of(), sys.iommu().stale(1));
        assertEquals(Map.of(), sys.revokedStalePages(0));
    }

    @Test
    void strategiesThatDeriveMappingsFromOwnershipAreNotReassigned() {
        for (String strategy : new String[]{"shared", "persistent", "direct"}) {
            HostSystem s = new HostSystem(Config.tlcSized(), iommuVariant(Switch.IommuStrategy, strategy));
            assertFalse(s.stopContext("c1"), strategy);
            assertEquals("assigned", s.ownershipState().phase().get("c1"));
        }
    }

    @Test
    void theSpecStateViewNamesEverythingAsTheSpecDoes() {
        var st = sys.ownershipState();
        assertEquals(Map.of("c1", "assigned", "c2", "assigned"), st.phase());
        assertEquals(Set.of("g1"), st.holders().get("c1"));
        assertEquals(List.of("g1", "g1"), st.slotOwner().get("c1"));
        assertEquals("g2", st.engineOwner().get("c2"));
        assertEquals(Set.of("g2"), st.irte().get("c2"));
        assertTrue(st.vector().isEmpty());
        assertFalse(st.physIrq());
        assertTrue(st.taken().isEmpty());
        assertFalse(st.scanDue());
        assertEquals(Map.of("c1", HostSystem.NO_GUEST, "c2", HostSystem.NO_GUEST), st.owedTo());
        assertTrue(sys.nicRaise("c2"));
        st = sys.ownershipState();
        assertEquals(Set.of("c2"), st.vector());
        assertTrue(st.physIrq());
        assertEquals("g2", st.owedTo().get("c2"));
        assertTrue(sys.handleInterrupt());
        st = sys.ownershipState();
        assertEquals(Set.of("c2"), st.taken());
        assertTrue(st.vector().isEmpty());
        HostSystem copy = sys.copy();
        assertTrue(copy.stopContext("c2"));
        assertEquals("assigned", sys.ownershipState().phase().get("c2"), "a copy is independent");
        assertEquals(Set.of("g2"), sys.ownershipState().holders().get("c2"));
        assertEquals("g2", sys.owedTo(1));
        assertNull(copy.owedTo(1), "settled with g2 on stop");
    }
}
