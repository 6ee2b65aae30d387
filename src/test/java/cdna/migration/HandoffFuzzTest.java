package cdna.migration;

import cdna.design.Design;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer fuzz target for the migration twin.  Under plain {@code mvn test} it
 * replays the corpus in src/test/resources/cdna/migration/HandoffFuzzTestInputs/;
 * with JAZZER_FUZZ=1 it fuzzes.  Byte 0 picks the destination (bit 0: B has
 * CDNA); then every three bytes are a step of any action with any parameters
 * ({@link HandoffDriver#run}).  The baseline must break no safety property
 * after any step, and must still complete from wherever the bytes left it
 * unless they cancelled the migration.
 */
class HandoffFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void baselineMigrations(FuzzedDataProvider data) {
        byte[] in = data.consumeRemainingAsBytes();
        boolean cdnaB = in.length > 0 && (in[0] & 1) == 1;
        Handoff h = new Handoff(new HandoffConfig(4, 2, 4, 2, cdnaB, true), Design.cdnaBaseline());
        for (int i = 1; i + 2 < in.length; i += 3) {
            HandoffDriver.step(h, in[i] & 0xff, in[i + 1] & 0xff, in[i + 2] & 0xff);
            assertTrue(HandoffChecker.violations(h).isEmpty(), () -> HandoffChecker.violations(h).toString());
        }
        if (!h.cancelled) assertNull(HandoffChecker.completes(h));
    }

    /**
     * The same over the real hosts ({@link HostedHandoff}): byte 0 picks the
     * protection on A (bit 0: the IOMMU baseline, else CDNA's), then every four
     * bytes are a step: a first byte below 64 is a step of the other guest on
     * A (its randomness seeded by the other three), else a spec action.  No
     * property may fail over the real hosts after any step, A's isolation
     * included.  The corpus's four inputs (two per protection) are random runs
     * of enabled steps that end with the guest on B and every page of A with O.
     */
    @FuzzTest(maxDuration = "10m")
    void baselineMigrationsOverTheRealHosts(FuzzedDataProvider data) {
        byte[] in = data.consumeRemainingAsBytes();
        Design d = in.length > 0 && (in[0] & 1) == 1 ? Design.iommuBaseline() : Design.cdnaBaseline();
        HostedHandoff h = new HostedHandoff(new HandoffConfig(4, 2, 6, 3, true, true), d);
        for (int i = 1; i + 3 < in.length; i += 4) {
            int a = in[i] & 0xff, x = in[i + 1] & 0xff, y = in[i + 2] & 0xff, z = in[i + 3] & 0xff;
            if (a < 64) h.hostA().otherGuestStep(new java.util.SplittableRandom((x << 16) | (y << 8) | z));
            else h.step(a, x, y);
            assertTrue(HandoffChecker.violations(h).isEmpty(), () -> HandoffChecker.violations(h).toString());
        }
    }
}
