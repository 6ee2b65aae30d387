package cdna.proofs;

import cdna.check.Outcome;
import cdna.check.TlcRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * proofs/CdnaInductive.tla: InterGuestIsolation of the CDNA design follows from
 * an inductive invariant, checked by TLC over every type-correct state at small
 * bounds; and a weakened invariant is caught as not inductive.
 */
class InductiveInvariantTest {
    static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    private Outcome tlc(String cfg) throws IOException {
        return tlc("proofs/CdnaInductive.tla", cfg);
    }

    private Outcome tlc(String moduleFile, String cfg) throws IOException {
        Path module = ROOT.resolve(moduleFile);
        List<Path> lib = List.of(ROOT.resolve("specs"), ROOT.resolve("proofs"));
        TlcRunner.Run r = new TlcRunner(TlcRunner.Launcher.tlc("2g")).run(new TlcRunner.Request(module,
                ROOT.resolve("proofs").resolve(cfg), lib, 2, Duration.ofMinutes(5), tmp.resolve(cfg), List.of()));
        return Outcome.of(r, lib);
    }

    @Test
    void initEstablishesIndInv() throws IOException {
        Outcome o = tlc("CdnaInductiveInit.cfg");
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
    }

    @Test
    void indInvIsInductiveAndImpliesInterGuestIsolation() throws IOException {
        Outcome o = tlc("CdnaInductiveStep.cfg");
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
        // every IndInv state is an initial state of this run, so the count is the size of IndInv at these bounds
        assertEquals(true, o.distinct() > 1000, "suspiciously few IndInv states: " + o.distinct());
    }

    // The weakened candidate (IndInv without SlotsTagged, not inductive) is ProveCommandTest's: bin/cdna prove runs
    // the same step check with Dropped = {"SlotsTagged"} when Z3 leaves the query undecided.

    /** The two-step hypercall: pinning each page as it is checked keeps IndInv inductive across the window. */
    @Test
    void indInvStaysInductiveWithTheHypercallWindowWhenPagesArePinnedAsChecked() throws IOException {
        Outcome o = tlc("CdnaInductiveStepWindow.cfg");
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
        assertEquals(true, o.distinct() > 500, "suspiciously few IndInv states: " + o.distinct());
    }

    /** Pinning after the check: one guest step inside the window (the page given away) breaks IndInv. */
    @Test
    void pinningAfterTheCheckIsNotInductive() throws IOException {
        Outcome o = tlc("CdnaInductiveWindowPinLate.cfg");
        assertEquals(Outcome.Kind.INVARIANT_VIOLATED, o.kind(), o.message());
        assertEquals("IndInv", o.violated());
        assertEquals(2, o.trace().size(), "one step from an IndInv state breaks it");
        assertEquals(true, java.util.Set.of("FreePage", "TransferPage").contains(o.trace().get(1).action()),
                "the step that breaks it gives a page away: " + o.trace().get(1).action());
    }

    /** proofs/IommuInductive.tla: the IOMMU invariant bin/cdna prove proves for all sizes, here by TLC at small bounds. */
    @Test
    void iommuInitEstablishesIndInv() throws IOException {
        Outcome o = tlc("proofs/IommuInductive.tla", "IommuInductiveInit.cfg");
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
    }

    @Test
    void iommuIndInvIsInductiveAndImpliesInterGuestIsolation() throws IOException {
        Outcome o = tlc("proofs/IommuInductive.tla", "IommuInductiveStep.cfg");
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
        assertEquals(true, o.distinct() > 1000, "suspiciously few IndInv states: " + o.distinct());
    }

    /** iommu-deferred-reuse: freeing a page leaves its translation in the IOTLB, in one step; bin/cdna prove names FreePage too. */
    @Test
    void deferredInvalidationWithoutFlushBeforeReuseIsNotInductive() throws IOException {
        Outcome o = tlc("proofs/IommuInductive.tla", "IommuInductiveDeferredReuse.cfg");
        assertEquals(Outcome.Kind.INVARIANT_VIOLATED, o.kind(), o.message());
        assertEquals("IndInv", o.violated());
        assertEquals(2, o.trace().size(), "one step from an IndInv state breaks it");
        // FreePage and TransferPage are both Reclaim, the name TLC gives the step
        assertEquals("Reclaim", o.trace().get(1).action(), "the step that breaks it takes a page from its guest");
    }
}
