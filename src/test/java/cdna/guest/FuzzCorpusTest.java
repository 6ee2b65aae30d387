package cdna.guest;

import cdna.sim.Designs;
import cdna.sim.HostSystem;
import cdna.sim.Violation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzz corpus holds, for every known-bad design, an input that breaks the
 * property that design is known to break (found by searching fuzz inputs, see
 * {@link #makeCorpus}).  Jazzer replays them as regressions of
 * designsBreakOnlyWhatTheyMay, where they must not break anything else; this
 * test checks that each still breaks what it should, so the corpus keeps
 * showing the checker can fail.
 */
class FuzzCorpusTest {
    static final Path DIR = Path.of("src/test/resources/cdna/guest/IsolationFuzzTestInputs/designsBreakOnlyWhatTheyMay");
    static final Path BASE_DIR = Path.of("src/test/resources/cdna/guest/IsolationFuzzTestInputs/baselines");

    /** The property a known-bad design's input breaks: the one its design file names. */
    static String expected(String design) {
        Set<String> bad = Designs.MUST_VIOLATE.get(design);
        for (String p : List.of(Violation.NO_STALE_DMA, Violation.SINGLE_OWNER, Violation.NO_INJECTED_INTERRUPT,
                Violation.NO_MISDIRECTED_INTERRUPT, Violation.NO_LOST_INTERRUPT, Violation.INTER, Violation.INTRA)) {
            if (bad.contains(p)) return p;
        }
        throw new IllegalArgumentException(design + " is not known to break anything");
    }

    static List<String> knownBad() {
        return IsolationFuzzTest.DESIGNS.stream().filter(d -> !Designs.MUST_VIOLATE.get(d).isEmpty()).toList();
    }

    /** Designs whose flaw shows only when contexts change hands or interrupts are delivered. */
    static boolean needsOwnershipSteps(String design) {
        return !Set.of(Violation.INTER, Violation.INTRA).containsAll(Designs.MUST_VIOLATE.get(design));
    }

    @Test
    void everyKnownBadDesignHasAnInputThatBreaksItsProperty() throws IOException {
        for (String design : knownBad()) {
            Path f = DIR.resolve("knownbad-" + design);
            assertTrue(Files.exists(f), "missing corpus input " + f);
            HostSystem s = IsolationFuzzTest.designRun(Files.readAllBytes(f));
            assertEquals(design, s.design().name());
            assertTrue(s.checker().violated(expected(design)), design + ": " + s.checker().violations());
        }
    }

    @Test
    void baselineSeedsAreLongRunsThatBreakNothing() throws IOException {
        try (Stream<Path> files = Files.list(BASE_DIR)) {
            List<Path> seeds = files.toList();
            assertTrue(seeds.size() >= 4);
            for (Path f : seeds) {
                byte[] in = Files.readAllBytes(f);
                HostSystem s = IsolationFuzzTest.baselineRun(in);
                assertTrue(s.stepCount() > 30, f + " runs too few steps to be a useful seed");
                assertTrue(s.checker().violations().isEmpty(), f + ": " + s.checker().violations());
            }
        }
    }

    /**
     * Completes the corpus: for each known-bad design without an input, random
     * fuzz inputs until one breaks its property (kept shortest-first by
     * truncation); and baseline seeds, with and without ownership steps.
     * Existing inputs are kept, as regressions.  Run with -Dcdna.makeCorpus=true.
     */
    @Test
    void makeCorpus() throws IOException {
        if (!Boolean.getBoolean("cdna.makeCorpus")) return;
        SplittableRandom rnd = new SplittableRandom(Long.getLong("cdna.seed", 7));
        Files.createDirectories(DIR);
        Files.createDirectories(BASE_DIR);
        for (String design : knownBad()) {
            Path f = DIR.resolve("knownbad-" + design);
            if (Files.exists(f)) continue;
            boolean own = needsOwnershipSteps(design);
            for (int attempt = 0; ; attempt++) {
                byte[] in = new byte[own ? 600 : 300];
                rnd.nextBytes(in);
                if (own) bias(in, rnd, OWNERSHIP_OPS);
                in[0] = IsolationFuzzTest.selector(design, own);
                if (!IsolationFuzzTest.designRun(in).checker().violated(expected(design))) continue;
                int len = in.length;
                while (len > 2 && IsolationFuzzTest.designRun(java.util.Arrays.copyOf(in, len - 1)).checker().violated(expected(design))) len--;
                Files.write(f, java.util.Arrays.copyOf(in, len));
                System.out.println(design + ": found after " + (attempt + 1) + " random inputs, " + len + " bytes");
                break;
            }
        }
        // Baseline seeds lean on honest-driver and NIC steps, so they start the fuzzer from long, busy runs;
        // seed-own-k also revoke and reassign contexts and drive interrupts (bit 3 of byte 0).
        int[] ops = {15, 15, 15, 5, 6, 6, 7, 12, 11, 3, 4};
        for (int k = 0; k < 12; k++) {
            boolean own = k >= 8;
            Path f = BASE_DIR.resolve(own ? "seed-own-" + (k - 8) : "seed-" + k);
            if (Files.exists(f)) continue;
            byte[] in;
            do {
                in = new byte[own ? 600 : 400];
                rnd.nextBytes(in);
                bias(in, rnd, own ? OWNERSHIP_OPS : ops);
                in[0] = (byte) (own ? 8 + (k & 3) : k);
            } while (IsolationFuzzTest.baselineRun(in).stepCount() <= 30);
            Files.write(f, in);
        }
    }

    /** Operations of the ownership decoding (FuzzDriver, modulo 21), weighted towards the revocation pipeline. */
    static final int[] OWNERSHIP_OPS = {15, 15, 15, 5, 6, 6, 3, 4, 12, 16, 16, 16, 16, 17, 18, 19, 20};

    /** Puts an operation every 4 bytes; a revocation (16) is followed by "the next pipeline step" (5). */
    static void bias(byte[] in, SplittableRandom rnd, int[] ops) {
        for (int j = 1; j < in.length; j += 4) {
            in[j] = (byte) ops[rnd.nextInt(ops.length)];
            if (in[j] == 16 && j + 1 < in.length) in[j + 1] = 5;
        }
    }
}
