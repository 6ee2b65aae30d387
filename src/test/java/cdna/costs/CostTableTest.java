package cdna.costs;

import cdna.cli.Main;
import cdna.design.Design;
import cdna.design.Switch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost table reproduces the published ordering of the protection strategies. */
class CostTableTest {
    static final int PACKETS = 256;

    static CostTable.Row row(Design d) { return CostTable.measure(d, PACKETS); }

    static Design iommu(String strategy) { return Design.iommuBaseline().with(strategy, Switch.IommuStrategy, strategy); }

    @Test
    void directIsCheapestSingleUseDearestSoftwareCompetitive() {
        CostTable.Row single = row(Design.iommuBaseline());
        CostTable.Row shared = row(iommu("shared"));
        CostTable.Row persistent = row(iommu("persistent"));
        CostTable.Row direct = row(iommu("direct"));
        CostTable.Row software = row(Design.cdnaBaseline());
        // Single-use: a map, an unmap and an invalidation for every packet, each behind a hypercall.
        assertEquals(1.0, single.maps(), 1e-9);
        assertEquals(1.0, single.unmaps(), 1e-9);
        assertEquals(1.0, single.invalidations(), 1e-9);
        assertEquals(2.0, single.hypercalls(), 1e-9);
        assertEquals(1514.0, single.bounceBytes(), 1e-9);
        // Two buffers per page: shared maps each page once for both.
        assertEquals(0.5, shared.maps(), 1e-9);
        // Persistent and direct: nothing per packet once warm.
        assertEquals(0.0, persistent.relativeCost(), 1e-9);
        assertEquals(0.0, direct.relativeCost(), 1e-9);
        // Software: one page checked per packet, one batched hypercall per ring refill.
        assertEquals(1.0, software.pagesValidated(), 1e-9);
        assertEquals(0.0, software.maps() + software.unmaps() + software.invalidations(), 1e-9);
        assertTrue(software.hypercalls() < 0.5, "batched: " + software.hypercalls());
        assertTrue(direct.relativeCost() <= persistent.relativeCost());
        assertTrue(persistent.relativeCost() < software.relativeCost());
        assertTrue(software.relativeCost() < shared.relativeCost());
        assertTrue(shared.relativeCost() < single.relativeCost());
    }

    @Test
    void deferredInvalidationBatchesInvalidations() {
        Design deferred = Design.iommuBaseline().with("deferred", Switch.Invalidation, "deferred");
        assertEquals(0.5, row(deferred).invalidations(), 1e-9, "one global flush per FlushBatch = 2 unmaps");
    }

    @Test
    void theCliPrintsATableRowPerDesignFile() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        int rc;
        try {
            rc = Main.run("costs", "--packets", "64");
        } finally {
            System.setOut(old);
        }
        String s = out.toString();
        assertEquals(0, rc, s);
        String[] files = new java.io.File("model-check/designs").list((d, n) -> n.endsWith(".json"));
        for (String f : files) assertTrue(s.contains("| " + f.replace(".json", "") + " "), f);
        assertTrue(s.indexOf("iommu-direct") < s.indexOf("cdna-baseline") && s.indexOf("cdna-baseline") < s.indexOf("| iommu-baseline"), s);
    }
}
