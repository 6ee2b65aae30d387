package cdna.iommu;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IOMMU on its own: translation by requester ID, the IOTLB, invalidation and faults. Pages of 4 bytes. */
class IommuTest {
    static BitSet bits(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    @Test
    void translatesOnlyMappedBytesOfTheRequestersDomain() {
        Iommu m = new Iommu(4);
        m.map(1, 2, bits(1, 3));
        assertTrue(m.translate(1, 5, 2));
        assertTrue(m.translate(1, 6, 1));
        assertFalse(m.translate(1, 4, 1), "byte 0 of page 2 is not mapped");
        assertFalse(m.translate(1, 6, 2), "runs past the mapping");
        assertFalse(m.translate(2, 5, 1), "another requester ID, another domain");
        assertFalse(m.translate(1, 1, 1), "another page");
        assertFalse(m.translate(1, -3, 1));
        assertFalse(m.translate(1, 5, 0));
        assertFalse(m.translate(1, 7, 2), "crosses a page boundary");
        assertFalse(m.translate(1, Long.MAX_VALUE, 1));
        assertEquals(8, m.faultCount());
        assertEquals(new Iommu.Fault(2, 5, 1), m.faults().get(2));
        assertEquals(1, m.mapOps());
    }

    @Test
    void unmappedTranslationsStayUsableUntilInvalidated() {
        Iommu m = new Iommu(4);
        m.map(1, 1, bits(0, 4));
        m.unmap(1, 1, bits(0, 2));
        assertEquals(Map.of(1, bits(2, 4)), m.pageTable(1));
        assertTrue(m.translate(1, 0, 2), "stale IOTLB entry");
        assertEquals(Map.of(1, bits(0, 2)), m.stale(1));
        assertTrue(m.anyStale());
        assertEquals(bits(0, 4), m.reach(1, 1));
        m.invalidate(1, 1);
        assertFalse(m.translate(1, 0, 1));
        assertTrue(m.translate(1, 2, 2), "still mapped, so re-walked");
        assertFalse(m.anyStale());
        assertEquals(1, m.invalidations());
        assertEquals(1, m.unmapOps());
    }

    @Test
    void aFlushDropsEveryStaleEntryInEveryDomain() {
        Iommu m = new Iommu(4);
        m.map(1, 1, bits(0, 4));
        m.map(2, 2, bits(0, 4));
        m.map(2, 3, bits(0, 1));
        m.unmap(1, 1, bits(0, 4));
        m.unmap(2, 2, bits(0, 4));
        assertEquals(List.of(1), m.reachablePages(1));
        assertEquals(List.of(2, 3), m.reachablePages(2));
        m.flushAll();
        assertEquals(1, m.flushes());
        assertFalse(m.anyStale());
        assertTrue(m.reachablePages(1).isEmpty());
        assertEquals(List.of(3), m.reachablePages(2));
        assertTrue(m.translate(2, 8, 1));
        assertTrue(m.pageTable(1).isEmpty());
        assertTrue(m.stale(7).isEmpty());
    }

    @Test
    void invalidatingOnePageKeepsTheDomainsOtherEntries() {
        Iommu m = new Iommu(4);
        m.map(1, 1, bits(0, 4));
        m.map(1, 2, bits(0, 4));
        m.unmap(1, 2, bits(0, 4));
        m.unmap(1, 1, bits(0, 4));
        m.invalidate(1, 1);
        assertEquals(Map.of(2, bits(0, 4)), m.stale(1));
        assertTrue(m.translate(1, 4, 4));
    }

    @Test
    void copiesAreIndependent() {
        Iommu m = new Iommu(4);
        m.map(1, 1, bits(0, 4));
        Iommu c = m.copy();
        m.unmap(1, 1, bits(0, 4));
        m.invalidate(1, 1);
        assertTrue(c.translate(1, 0, 4));
        c.invalidate(1, 1);
        assertTrue(c.translate(1, 0, 4), "the copy has its own page table to re-walk");
        assertFalse(m.translate(1, 0, 4));
        assertEquals(1, c.invalidations(), "its own invalidation only");
        assertEquals(1, c.mapOps());
    }

    @Test
    void interruptRemappingPassesOnlyGrantedVectors() {
        Iommu m = new Iommu(4);
        assertFalse(m.remapMsi(0, "g1"), "an entry never programmed grants nothing");
        m.setIrte(0, java.util.Set.of("g1"));
        assertTrue(m.remapMsi(0, "g1"));
        assertFalse(m.remapMsi(0, "g2"));
        assertFalse(m.remapMsi(1, "g1"), "entries are per context");
        assertEquals(3, m.remapFaults());
        Iommu c = m.copy();
        m.setIrte(0, java.util.Set.of("g2"));
        assertEquals(java.util.Set.of("g2"), m.irte(0));
        assertEquals(java.util.Set.of("g1"), c.irte(0), "the copy keeps its own table");
        assertEquals(3, c.remapFaults());
        assertTrue(m.irte(5).isEmpty());
        java.util.Set<String> view = m.irte(0);
        view.clear();
        assertEquals(java.util.Set.of("g2"), m.irte(0), "callers get a copy");
    }
}
