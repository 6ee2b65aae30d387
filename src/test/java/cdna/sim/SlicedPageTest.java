package cdna.sim;

import cdna.design.Design;
import cdna.guest.Adversary;
import cdna.hypervisor.IoBuffer;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sub-page neighbour owned by another principal (model iommu-sliced): page 3
 * of the TLC-sized machine is sliced, its upper byte (address 5) g2's for good,
 * its lower byte (address 4) going with the page.  The IOMMU maps whole pages,
 * so only bouncing keeps a sub-page buffer's mapping off the neighbour.
 */
class SlicedPageTest {
    static final Config SLICED = Config.tlcSized().withSlices(Map.of(3, "g2"));

    static boolean violated(HostSystem s, String property, Violation.Kind kind) {
        return s.checker().violations().stream().anyMatch(v -> v.property().equals(property) && v.kind() == kind);
    }

    @Test
    void ownershipIsPerByteInASlicedPage() {
        HostSystem s = new HostSystem(SLICED, Design.iommuBaseline());
        assertTrue(s.allocatePage("g1", 3));
        assertEquals("g1", s.memory().ownerAt(4));
        assertEquals("g2", s.memory().ownerAt(5), "the slice stays g2's whoever owns the page");
        assertTrue(s.as("g1").write(4, new byte[]{7}));
        assertFalse(s.as("g1").write(4, new byte[]{7, 7}), "byte 5 is not g1's to write");
        assertTrue(s.freePage("g1", 3));
        assertEquals(0x5a, s.memory().read(5), "scrubbing the page leaves the neighbour's half alone");
        assertEquals(0, s.memory().read(4));
    }

    @Test
    void aBouncedSubPageBufferExposesOnlyItsOwnByte() {
        HostSystem s = new HostSystem(SLICED, Design.iommuBaseline());
        assertTrue(s.allocatePage("g1", 3));
        assertFalse(s.as("g1").mapBuffer("c1", new IoBuffer(3, 3, 0, 2)), "byte 5 is g2's: the map hypercall refuses");
        assertTrue(s.as("g1").mapBuffer("c1", new IoBuffer(3, 3, 0, 1)));
        assertTrue(s.as("g2").mapBuffer("c2", new IoBuffer(3, 3, 1, 1)), "g2 maps a buffer in its own slice");
        assertTrue(s.checker().violations().isEmpty(), s.checker().violations().toString());
    }

    @Test
    void aWholePageMappingExposesTheNeighbour() {
        HostSystem s = new HostSystem(SLICED, Designs.load("iommu-single-use-no-bounce"));
        assertTrue(s.allocatePage("g1", 3));
        assertTrue(s.as("g1").mapBuffer("c1", new IoBuffer(3, 3, 0, 1)));
        assertTrue(s.checker().violations().stream().anyMatch(v -> v.property().equals(Violation.INTER)
                && v.kind() == Violation.Kind.REACH && v.detail().contains("byte 5") && v.detail().contains("slice")),
                s.checker().violations().toString());
    }

    @Test
    void theDeviceWritesIntoTheNeighboursHalfAndTheDataShowsIt() {
        HostSystem s = new HostSystem(SLICED, Designs.load("iommu-single-use-no-bounce"));
        assertTrue(s.allocatePage("g1", 3));
        assertTrue(s.as("g1").mapBuffer("c1", new IoBuffer(3, 3, 0, 1)));
        // The guest drives its device directly: a descriptor for byte 5, which the whole-page mapping translates.
        assertTrue(s.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(5, 1)), 0)));
        assertTrue(s.as("g1").ringDoorbell("c1", Dir.RX, 1));
        assertTrue(s.nicFetch("c1", Dir.RX));
        assertTrue(s.nicDma("c1", Dir.RX));
        assertTrue(violated(s, Violation.INTER, Violation.Kind.ACCESS), s.checker().violations().toString());
        assertTrue(violated(s, Violation.INTER, Violation.Kind.DATA), "g1's frame now sits in g2's byte");
        assertFalse(IsolationChecker.dataLeaks(s).isEmpty());
    }

    @Test
    void searchFindsTheNeighbourInReachWithoutBouncingAndNeverWithIt() {
        long seed = Designs.seed("sliced pages");
        Optional<RandomSearch.Result> bad = RandomSearch.search(SLICED, Designs.load("iommu-single-use-no-bounce"), Adversary.mixed(),
                seed, 300, 60, v -> v.property().equals(Violation.INTER) && v.detail().contains("slice"));
        assertTrue(bad.isPresent(), "the neighbour's half never came into reach from seed " + seed);
        System.out.println(bad.get().violation());
        for (String design : new String[]{"iommu-baseline", "iommu-deferred-flush-before-reuse"}) {
            for (int i = 0; i < 100; i++) {
                long rs = RandomSearch.runSeed(seed, i);
                RandomSearch.Result r = RandomSearch.run(SLICED, Designs.load(design), Adversary.mixed(), rs, 120, v -> false, null);
                assertFalse(r.system().checker().violated(Violation.INTER),
                        design + " run seed " + rs + ": " + r.system().checker().first(Violation.INTER));
            }
        }
    }
}
