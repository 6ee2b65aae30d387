package cdna.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * Z3 cannot find the model here (quantifiers over the integers), so TLC searches at small bounds: a stale slot
     * carrying the tag the NIC expects is fetched unvalidated. The counterexample names the action, in the spec's
     * vocabulary, and is one for every size.
     */
    @Test
    void aWeakenedInvariantIsRefutedAtSmallBoundsWhereZ3GivesUp() throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("prove", "cdna-baseline", "--without", "SlotsTagged",
                "--only", "NicFetch => EngineOnExpected", "--timeout", "3");
        assertEquals(1, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("UNDECIDED") && o.out().contains("IndInv /\\ NicFetch => EngineOnExpected'"), o.out());
        assertTrue(o.out().contains("REFUTED at small bounds (TLC)  IndInv /\\ NicFetch => EngineOnExpected'"), o.out());
        assertTrue(o.out().contains("      action: NicFetch\n"), o.out());
        assertTrue(o.out().contains("pre-state (satisfies IndInv):") && o.out().contains("  ring = (c1 :> ")
                && o.out().contains("post-state (what NicFetch changed):") && o.out().contains("  engine' = "), o.out());
        assertTrue(o.out().contains("  TLC: ") && o.out().contains("-config CdnaInductiveSearch.cfg"), "the run is reproducible: " + o.out());
        assertFalse(o.out().contains("DRIFT"), o.out());
    }

    /** The search fails closed: a TLC run that cannot finish leaves the obligations undecided, never proved. */
    @Test
    void aSearchThatCannotFinishLeavesTheObligationUndecided() throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("prove", "cdna-baseline", "--without", "SlotsTagged",
                "--only", "NicFetch => EngineOnExpected", "--timeout", "1", "--search-timeout", "1");
        assertEquals(1, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("the search failed: ") && o.out().contains("still undecided for all sizes"), o.out());
        assertFalse(o.out().contains("REFUTED") || o.out().contains("PROVED for all sizes"), o.out());
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertEquals(2, CertifyCommandTest.cli("prove", "no-such-design").exit());
        CertifyCommandTest.Out o = CertifyCommandTest.cli("prove", "--without", "NoSuchConjunct");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("SlotsTagged"), "names the conjuncts there are: " + o.err());
        assertEquals(2, CertifyCommandTest.cli("prove", "--only", "(").exit());
        assertEquals(2, CertifyCommandTest.cli("prove", "--timeout", "0").exit());
        assertEquals(2, CertifyCommandTest.cli("prove", "--search-timeout", "0").exit());
    }
}
