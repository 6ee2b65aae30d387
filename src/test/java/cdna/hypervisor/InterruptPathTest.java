package cdna.hypervisor;

import cdna.design.Design;
import cdna.design.Switch;
import cdna.nic.Dir;
import cdna.sim.Config;
import cdna.sim.HostSystem;
import cdna.sim.Violation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interrupt path of ContextOwnership: the NIC's vector in hypervisor
 * memory and its one physical interrupt, the hypervisor taking and clearing
 * bits, virtual interrupts to owners, pending interrupts across a change of
 * owner, and MSIs with and without interrupt remapping.
 */
class InterruptPathTest {
    HostSystem sys;

    @BeforeEach
    void setUp() {
        sys = new HostSystem(Config.tlcSized(), Design.cdnaBaseline());
    }

    static Design variant(Switch s, Object v) { return Design.cdnaBaseline().with("variant", s, v); }

    static BitSet bits(int... i) {
        BitSet b = new BitSet();
        for (int x : i) b.set(x);
        return b;
    }

    private boolean violated(String property, Violation.Kind kind) {
        return sys.checker().violations().stream().anyMatch(v -> v.property().equals(property) && v.kind() == kind);
    }

    private void reassignC1ToG2() {
        assertTrue(sys.stopContext("c1"));
        assertTrue(sys.quiesceContext("c1"));
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.unpinContext("c1"));
        assertTrue(sys.assignContext("c1", "g2"));
    }

    @Test
    void anEventIsTakenClearedAndDeliveredToTheOwner() {
        assertFalse(sys.handleInterrupt(), "no physical interrupt yet");
        assertFalse(sys.deliverVirq("c1"));
        assertTrue(sys.nicRaise("c1"));
        assertFalse(sys.nicRaise("c1"), "its bit is already set");
        assertTrue(sys.nicRaise("c2"));
        assertEquals(bits(0, 1), sys.hypervisor().vector());
        assertTrue(sys.hypervisor().physIrq());
        assertEquals("g1", sys.owedTo(0));
        assertFalse(sys.clearVector(), "this design takes and clears in one step");
        assertFalse(sys.scanVector());
        assertTrue(sys.handleInterrupt());
        assertFalse(sys.handleInterrupt());
        assertEquals(bits(), sys.hypervisor().vector());
        assertEquals(bits(0, 1), sys.hypervisor().taken());
        assertFalse(sys.hypervisor().physIrq());
        assertTrue(sys.deliverVirq("c1"));
        assertFalse(sys.deliverVirq("c1"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g1"));
        assertEquals(bits(), sys.hypervisor().pendingInterrupts("g2"));
        assertNull(sys.owedTo(0));
        assertEquals("g2", sys.owedTo(1));
        assertTrue(sys.deliverVirq("c2"));
        assertEquals(bits(1), sys.hypervisor().pendingInterrupts("g2"));
        assertEquals(2, sys.hypervisor().interruptsDelivered());
        assertFalse(sys.nicRaise("c9"));
        assertFalse(sys.deliverVirq("c9"));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void oneVirtualInterruptSettlesEveryEventRaisedBeforeIt() {
        assertTrue(sys.nicRaise("c1"));
        assertTrue(sys.handleInterrupt());
        assertTrue(sys.nicRaise("c1"), "a new event while the first is taken");
        assertTrue(sys.deliverVirq("c1"));
        assertNull(sys.owedTo(0), "the guest's handler processes every completion of c1");
        assertEquals(bits(0), sys.hypervisor().vector());
        assertEquals(2, sys.runInterruptPath(), "take, then deliver");
        assertEquals(bits(), sys.hypervisor().vector());
        assertEquals(bits(), sys.hypervisor().taken());
        assertEquals(0, sys.runInterruptPath());
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void aStoppedContextCannotRaise() {
        assertTrue(sys.stopContext("c1"));
        assertFalse(sys.nicRaise("c1"));
        assertFalse(sys.sendMsi("c1", "g1"));
    }

    @Test
    void completionsAreRaisedByDeliverInterrupts() {
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 1)));
        assertTrue(sys.ringDoorbell("c1", 1));
        assertTrue(sys.nicFetch("c1"));
        assertTrue(sys.nicDma("c1"));
        assertTrue(sys.nic().hasEvent(0));
        assertEquals(bits(), sys.hypervisor().vector(), "an event is not in the vector until the NIC raises it");
        assertEquals(1, sys.deliverInterrupts());
        assertFalse(sys.nic().hasEvent(0));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g1"));
        assertEquals(0, sys.deliverInterrupts());
    }

    @Test
    void clearingBeforeScanningLosesTheEventsFlaggedBeforeTheClear() {
        sys = new HostSystem(Config.tlcSized(), variant(Switch.ScanBeforeClear, false));
        assertTrue(sys.nicRaise("c1"));
        assertTrue(violated(Violation.NO_LOST_INTERRUPT, Violation.Kind.LIVENESS), "lost however the hypervisor goes on");
        assertFalse(sys.handleInterrupt());
        assertFalse(sys.scanVector(), "nothing to scan before the clear");
        assertTrue(sys.clearVector());
        assertFalse(sys.clearVector());
        assertTrue(sys.hypervisor().scanDue());
        assertTrue(sys.nicRaise("c2"), "flagged between the clear and the scan");
        assertTrue(sys.scanVector());
        assertFalse(sys.scanVector());
        assertEquals(bits(1), sys.hypervisor().taken());
        assertEquals(bits(), sys.hypervisor().vector(), "what the scan took is cleared");
        assertEquals(3, sys.runInterruptPath(), "c2's raise asserted the interrupt again: clear, scan (nothing), deliver c2");
        assertEquals("g1", sys.owedTo(0));
        assertNull(sys.owedTo(1));
        assertEquals(bits(), sys.hypervisor().pendingInterrupts("g1"));
        assertEquals(1, sys.checker().violations().stream().filter(v -> v.property().equals(Violation.NO_LOST_INTERRUPT)
                && v.context().equals("c1")).count(), "reported once, when it starts");
        // c2's raise re-asserted the interrupt while a scan was due: a fair hypervisor may clear before it scans.
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.NO_LOST_INTERRUPT)
                && v.context().equals("c2")));
        assertEquals(0, sys.deliverInterrupts(), "the NIC had no events; nothing is raised");
    }

    @Test
    void anInterruptPendingAtStopIsSettledWithTheOutgoingOwner() {
        assertTrue(sys.nicRaise("c1"));
        assertTrue(sys.nicRaise("c2"));
        assertTrue(sys.handleInterrupt());
        assertTrue(sys.nicRaise("c1"));
        assertTrue(sys.stopContext("c1"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g1"), "g1 took c1's interrupt on the way out");
        assertEquals(bits(), sys.hypervisor().vector());
        assertEquals(bits(1), sys.hypervisor().taken(), "c2 is untouched");
        assertNull(sys.owedTo(0));
        reassignRest();
        assertEquals(2, sys.runInterruptPath(), "the physical interrupt is still pending (an empty take), then c2");
        assertFalse(sys.hypervisor().pendingInterrupts("g2").get(0), "the new owner gets nothing of g1's");
        assertTrue(sys.hypervisor().pendingInterrupts("g2").get(1));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    private void reassignRest() {
        assertTrue(sys.quiesceContext("c1"));
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.unpinContext("c1"));
        assertTrue(sys.assignContext("c1", "g2"));
    }

    @Test
    void withoutSettlingTheNextOwnerGetsThePreviousOwnersInterrupt() {
        sys = new HostSystem(Config.tlcSized(), variant(Switch.DeliverToEventOwner, false));
        assertTrue(sys.nicRaise("c1"));
        reassignC1ToG2();
        assertTrue(violated(Violation.NO_MISDIRECTED_INTERRUPT, Violation.Kind.REACH));
        assertTrue(sys.handleInterrupt());
        assertTrue(sys.deliverVirq("c1"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g2"));
        assertEquals(bits(), sys.hypervisor().pendingInterrupts("g1"));
        assertTrue(violated(Violation.NO_MISDIRECTED_INTERRUPT, Violation.Kind.EVENT));
        assertEquals("g1", sys.owedTo(0), "g1's event is never delivered to g1");
        assertTrue(violated(Violation.NO_LOST_INTERRUPT, Violation.Kind.LIVENESS));
    }

    @Test
    void remappingPassesOnlyTheOwnersVector() {
        // A directly driven device (IOMMU protection) sends whatever MSI its guest asks for.
        sys = new HostSystem(Config.tlcSized(), Design.iommuBaseline());
        assertTrue(sys.as("g1").sendMsi("c1", "g2"), "the device sent it");
        assertEquals(bits(), sys.hypervisor().pendingInterrupts("g2"), "the IOMMU blocked it");
        assertEquals(1, sys.iommu().remapFaults());
        assertTrue(sys.as("g1").sendMsi("c1", "g1"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g1"));
        assertEquals(1, sys.hypervisor().msisDelivered());
        assertFalse(sys.as("g2").sendMsi("c1", "g2"), "g2 does not drive c1");
        assertFalse(sys.as("g1").sendMsi("c1", "nobody"), "no such vector");
        assertFalse(sys.sendMsi("c9", "g1"));
        assertFalse(sys.sendMsi("c1", null));
        assertEquals(Set.of("g1"), sys.hypervisor().canRaise(0));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
        reassignC1ToG2();
        assertEquals(Set.of("g2"), sys.hypervisor().canRaise(0));
        assertTrue(sys.as("g2").sendMsi("c1", "g2"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g2"));
    }

    @Test
    void underSoftwareProtectionTheNicRaisesOnlyTheProgrammedVector() {
        sys = new HostSystem(Config.tlcSized(), variant(Switch.InterruptRemapping, false));
        assertEquals(Set.of("g1"), sys.canRaise(0), "no remapping, yet the guest has no handle on the NIC's MSI");
        assertFalse(sys.as("g1").sendMsi("c1", "g2"));
        assertTrue(sys.as("g1").sendMsi("c1", "g1"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g1"));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    /** Pages 1..3 for guests, page 4 the hypervisor's and the interrupt address range (model ownership-private). */
    static Config withMsiPage() {
        Config c = Config.tlcSized();
        return c.withPages(4).withPrivatePages(Set.of(4)).withMsiPages(Set.of(4));
    }

    @Test
    void aReceiveBufferRunningIntoTheInterruptRangeRaisesAForeignVector() {
        Design d = Design.cdnaBaseline().with("variant", Switch.ValidateAllPages, false).with("variant", Switch.InterruptRemapping, false);
        sys = new HostSystem(withMsiPage(), d);
        assertTrue(sys.allocatePage("g1", 3));
        assertFalse(sys.allocatePage("g1", 4), "the interrupt range is never a guest's");
        // Bytes 4..5 are page 3, 6..7 page 4: a 2-byte buffer at 5 ends in the interrupt range.
        assertTrue(sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(5, 2)), "validated by its first page only");
        assertEquals(Set.of("g1", "g2"), sys.canRaise(0), "the NIC can now write any MSI for c1");
        assertTrue(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.REACH));
        // Each frame's bytes name a vector; keep receiving into the buffer until one names g2.
        long seq = 1;
        for (int i = 0; i < 64 && !violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT); i++) {
            if (i > 0) assertTrue(sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(5, 2)));
            assertTrue(sys.as("g1").ringDoorbell("c1", Dir.RX, seq++));
            assertTrue(sys.nicFetch("c1"));
            while (sys.nicDma("c1")) { }
            sys.reapCompletions("c1");
        }
        assertTrue(sys.hypervisor().msisDelivered() > 0, "the DMA writes into page 4 were MSIs");
        assertTrue(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT), sys.checker().violations().toString());
        assertTrue(sys.hypervisor().pendingInterrupts("g2").get(0), "g2 took an interrupt for c1, which it does not own");
    }

    @Test
    void validationKeepsBuffersOutOfTheInterruptRange() {
        sys = new HostSystem(withMsiPage(), variant(Switch.InterruptRemapping, false));
        assertTrue(sys.allocatePage("g1", 3));
        assertFalse(sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(5, 2)), "page 4 is not g1's");
        assertEquals(Set.of("g1"), sys.canRaise(0));
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }

    @Test
    void withoutRemappingAnyVectorCanBeRaised() {
        sys = new HostSystem(Config.tlcSized(), Design.iommuBaseline().with("variant", Switch.InterruptRemapping, false));
        assertEquals(Set.of("g1", "g2"), sys.hypervisor().canRaise(0));
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.REACH), "checked from the first step on");
        assertFalse(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT));
        assertTrue(sys.as("g1").sendMsi("c1", "g1"));
        assertFalse(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT), "its own vector is fine");
        assertTrue(sys.as("g1").sendMsi("c1", "g2"));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g2"), "g2 took an interrupt for a context it does not own");
        assertTrue(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT));
        assertEquals(0, sys.iommu().remapFaults());
    }

    @Test
    void aGuestKeepingTheMappingsDrivesTheNewOwnersContext() {
        sys = new HostSystem(Config.tlcSized(), variant(Switch.UnmapGuestAccessOnStop, false));
        reassignC1ToG2();
        assertTrue(sys.as("g1").sendMsi("c1", "g2"), "remapping lets through the owner's vector, whoever asks");
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g2"));
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.SINGLE_OWNER)
                && v.kind() == Violation.Kind.EVENT && v.detail().contains("MSI")));
        assertFalse(violated(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT));
        assertTrue(sys.as("g1").ringDoorbell("c1", Dir.TX, 1));
    }

    /** c1's DMA completes: the NIC has an event for it that it has not raised. */
    private void completeOnC1() {
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(sys.postDescriptor("c1", new Buffer(0, 1)));
        assertTrue(sys.ringDoorbell("c1", 1));
        assertTrue(sys.nicFetch("c1"));
        assertTrue(sys.nicDma("c1"));
        assertTrue(sys.nic().hasEvent(0));
    }

    @Test
    void anEventTheNicHasNotRaisedIsAlsoSettledAtStop() {
        completeOnC1();
        assertTrue(sys.stopContext("c1"));
        assertFalse(sys.nic().hasEvent(0));
        assertEquals(bits(0), sys.hypervisor().pendingInterrupts("g1"));
        assertEquals(1, sys.hypervisor().interruptsDelivered());
        assertTrue(sys.stopContext("c2"));
        // Nothing pending for c2, and still a last virtual interrupt: the hypervisor cannot know no event
        // was lost, and the handler reaping c2's completions settles whatever the tenure left.
        assertEquals(2, sys.hypervisor().interruptsDelivered());
        assertEquals(bits(1), sys.hypervisor().pendingInterrupts("g2"));
    }

    @Test
    void theNewOwnerStartsWithNoEventsOfThePreviousTenure() {
        // Neither settled at stop nor reset away: only the assignment itself forgets it.
        sys = new HostSystem(Config.tlcSized(), variant(Switch.DeliverToEventOwner, false).with("variant", Switch.RevokeQuiesce, "drain-all"));
        completeOnC1();
        assertTrue(sys.stopContext("c1"));
        assertTrue(sys.nic().hasEvent(0), "not settled in this design");
        assertTrue(sys.quiesceContext("c1"));
        assertTrue(sys.nic().hasEvent(0), "a drain is no reset");
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.unpinContext("c1"));
        assertTrue(sys.assignContext("c1", "g2"));
        assertEquals(bits(), sys.hypervisor().pendingInterrupts("g1"));
        assertFalse(sys.nic().hasEvent(0));
        assertEquals(0, sys.deliverInterrupts());
        assertEquals(bits(), sys.hypervisor().pendingInterrupts("g2"));
    }

    @Test
    void theHypervisorSendsNoMsiForAContextOrVectorThatCannotHaveOne() {
        Hypervisor h = sys.hypervisor();
        assertNull(h.sendMsi(-1, "g1"));
        assertNull(h.sendMsi(2, "g1"));
        assertNull(h.sendMsi(0, "nobody"));
        assertNull(h.sendMsi(0, null));
        assertEquals("g1", h.sendMsi(0, "g1"));
        assertNull(h.sendMsi(0, "g2"), "blocked by remapping");
        assertTrue(h.stopContext(0));
        assertNull(h.sendMsi(0, "g1"), "masked once stopped");
        assertEquals(1, h.msisDelivered());
    }
}
