package cdna.sim;

import cdna.design.DesignFiles;
import cdna.hypervisor.IoBuffer;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Segment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A conventional NIC: one context, the whole device handed to one guest,
 * protected by the IOMMU alone and given to the next guest through the
 * context-ownership pipeline (models conventional-small, conventional-standard).
 * The outgoing guest wrote the ring itself; only the function-level reset at
 * QuiesceContext empties it.  Without the reset the descriptor it left is
 * performed for the next owner, through the next owner's domain: NoStaleDma,
 * first as the spec's invariant (REACH, at AssignContext), then as a real
 * access.  The same steps on iommu-baseline leave nothing to perform.
 */
class ConventionalNicTest {
    private static HostSystem handOver(String design) throws Exception {
        HostSystem sys = new HostSystem(Designs.conventional(), new DesignFiles(Path.of("model-check/designs")).load(design));
        assertTrue(sys.allocatePage("g1", 1));
        assertTrue(sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 0, 2)));
        // g1 queues a receive into IOVA 0 (its page 1) and is then taken off the device before the NIC gets to it.
        assertTrue(sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 2)), 0)));
        assertTrue(sys.stopContext("c1"));
        assertTrue(sys.quiesceContext("c1"));
        assertTrue(sys.unmapContext("c1"));
        assertTrue(sys.unpinContext("c1"));
        assertTrue(sys.as("g1").freePage(1));
        assertTrue(sys.assignContext("c1", "g2"));
        // g2 gets page 1 and maps it at the same IOVA, as any driver of the device would, and rings the doorbell.
        assertTrue(sys.allocatePage("g2", 1));
        assertTrue(sys.as("g2").mapBuffer("c1", new IoBuffer(1, 1, 0, 2)));
        assertTrue(sys.as("g2").ringDoorbell("c1", Dir.RX, 1));
        return sys;
    }

    @Test
    void withoutTheResetTheOutgoingGuestsDescriptorIsPerformedForTheNextOwner() throws Exception {
        HostSystem sys = handOver("conventional-reassign-without-flr");
        assertEquals(java.util.Set.of("g1"), sys.issuersInReach(0), "g1's descriptor is still in the ring of g2's device");
        assertTrue(sys.checker().violations().stream()
                .anyMatch(v -> v.property().equals(Violation.NO_STALE_DMA) && v.kind() == Violation.Kind.REACH), sys.checker().violations().toString());
        assertTrue(sys.nicFetch("c1", Dir.RX));
        assertTrue(sys.nicDma("c1", Dir.RX));
        assertTrue(sys.checker().violations().stream()
                .anyMatch(v -> v.property().equals(Violation.NO_STALE_DMA) && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
        // The access lands in g2's own mapped buffer: the IOMMU alone cannot tell the descriptors apart.
        assertFalse(sys.checker().violated(Violation.INTER), sys.checker().violations().toString());
    }

    @Test
    void theFunctionLevelResetEmptiesTheRingBeforeTheNextOwner() throws Exception {
        HostSystem sys = handOver("iommu-baseline");
        assertTrue(sys.issuersInReach(0).isEmpty());
        // Whatever the NIC fetches now is an empty slot: the reset left nothing of g1's to perform.
        sys.nicFetch("c1", Dir.RX);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
    }
}
