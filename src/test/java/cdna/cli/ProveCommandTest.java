package cdna.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/cdna prove: exit codes, the summary line, and bad arguments refused before anything is proved. */
class ProveCommandTest {

    @Test
    void aProvedDesignExitsZeroAndSaysSo() throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("prove", "iommu-deferred-flush-before-reuse", "--timeout", "60");
        assertEquals(0, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("PROVED for all sizes: InterGuestIsolation (36 obligations"), o.out());
    }

    @Test
    void aBadDesignExitsOneWithTheActionAndPreState() throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("prove", "iommu-shared-requester-id", "--only", "MapBuffer => Mapped");
        assertEquals(1, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("REFUTED") && o.out().contains("action: MapBuffer(") && o.out().contains("pre-state (satisfies IndInv):"), o.out());
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertEquals(2, CertifyCommandTest.cli("prove", "no-such-design").exit());
        CertifyCommandTest.Out o = CertifyCommandTest.cli("prove", "--without", "NoSuchConjunct");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("SlotsTagged"), "names the conjuncts there are: " + o.err());
        assertEquals(2, CertifyCommandTest.cli("prove", "--only", "(").exit());
        assertEquals(2, CertifyCommandTest.cli("prove", "--timeout", "0").exit());
    }
}
