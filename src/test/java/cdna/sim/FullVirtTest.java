package cdna.sim;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.guest.FullVirtDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full virtualization (models fullvirt-small, fullvirt-standard): unmodified
 * drivers post guest-physical pages; the hypervisor traps and translates them
 * (cdna-baseline), or the IOMMU maps guest-physical to machine pages from the
 * p2m (iommu-baseline).  Both keep InterGuestIsolation against a hostile
 * driver writing any guest-physical page; translating without the ownership
 * check (fullvirt-translate-without-check) lets a page outside the guest's
 * memory through to another guest's frame.
 */
class FullVirtTest {
    private static Design design(String name) throws Exception {
        return new DesignFiles(Path.of("model-check/designs")).load(name);
    }

    // The size of MCFullVirtStandard.cfg: 3 guests, 2 contexts (g1's and g2's), 4 machine pages, 3 guest-physical pages each.
    private static FullVirtHost host(String design) throws Exception {
        return new FullVirtHost(design(design), List.of("g1", "g2", "g3"), 4, 3, List.of("c1", "c2"), List.of("g1", "g2"), 2);
    }

    /** g2 has memory at machine page 1 (its guest-physical page 2); g1 has none at guest-physical page 1 and posts it. */
    private static FullVirtHost postOutsideMemory(String design) throws Exception {
        FullVirtHost s = host(design);
        assertTrue(s.allocatePage("g2", 2, 1));
        assertTrue(s.allocatePage("g1", 2, 3));
        s.postBuffer("c1", 1);
        return s;
    }

    @Test
    void translatingWithoutTheCheckPostsAForeignFrame() throws Exception {
        FullVirtHost s = postOutsideMemory("fullvirt-translate-without-check");
        assertEquals(java.util.Set.of(1), s.hypervisor().posted(0), "guest-physical page 1 passed through as machine page 1");
        assertTrue(s.violations().stream().anyMatch(v -> v.property().equals(Violation.INTER) && v.kind() == Violation.Kind.REACH), s.violations().toString());
        assertTrue(s.nicDma("c1", 1));
        assertTrue(s.violations().stream().anyMatch(v -> v.property().equals(Violation.INTER) && v.kind() == Violation.Kind.ACCESS), s.violations().toString());
    }

    @Test
    void theHypervisorsCheckRefusesAPageOutsideTheGuestsMemory() throws Exception {
        FullVirtHost s = postOutsideMemory("cdna-baseline");
        assertTrue(s.hypervisor().posted(0).isEmpty(), "the trapped write is refused");
        assertTrue(s.postBuffer("c1", 2), "a page of its own memory is posted");
        assertEquals(java.util.Set.of(3), s.hypervisor().posted(0), "translated to its machine page");
        assertTrue(s.nicDma("c1", 3));
        assertFalse(s.freePage("g1", 2), "a posted page is pinned");
        assertTrue(s.violations().isEmpty(), s.violations().toString());
    }

    @Test
    void throughTheIommuAPageOutsideTheGuestsMemoryFaults() throws Exception {
        FullVirtHost s = postOutsideMemory("iommu-baseline");
        assertEquals(java.util.Set.of(1), s.hypervisor().posted(0), "the device is given the guest-physical page as it is");
        assertFalse(s.nicDma("c1", 1), "g1's domain maps nothing at guest-physical page 1: the access faults");
        assertTrue(s.postBuffer("c1", 2));
        assertTrue(s.nicDma("c1", 2), "its own page translates (to machine page 3)");
        assertTrue(s.freePage("g1", 2), "ballooning out unmaps the page from the domain");
        assertFalse(s.nicDma("c1", 2));
        assertTrue(s.violations().isEmpty(), s.violations().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cdna-baseline", "iommu-baseline"})
    void hostileDriversNeverReachAForeignFrame(String design) throws Exception {
        long seed = Designs.seed("fullvirt " + design);
        for (int i = 0; i < 200; i++) {
            FullVirtHost s = FullVirtDriver.run(host(design), seed + i, 60, true);
            assertTrue(s.violations().isEmpty(), design + ", run seed " + (seed + i) + ": " + s.violations());
        }
    }

    @Test
    void aHostileDriverFindsTheMissingCheck() throws Exception {
        long seed = Designs.seed("fullvirt-translate-without-check");
        boolean found = false;
        for (int i = 0; i < 200 && !found; i++) {
            FullVirtHost s = FullVirtDriver.run(host("fullvirt-translate-without-check"), seed + i, 60, true);
            found = s.violations().stream().anyMatch(v -> v.property().equals(Violation.INTER) && v.kind() == Violation.Kind.ACCESS);
        }
        assertTrue(found, "no InterGuestIsolation access in 200 runs from seed " + seed);
        // Honest drivers post only their own memory: the same design keeps isolation.
        for (int i = 0; i < 50; i++) assertTrue(FullVirtDriver.run(host("fullvirt-translate-without-check"), seed + i, 60, false).violations().isEmpty());
    }
}
