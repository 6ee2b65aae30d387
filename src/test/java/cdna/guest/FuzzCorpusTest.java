package cdna.guest;

import cdna.sim.HostSystem;
import cdna.sim.Violation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    static String expected(String design) {
        return IsolationFuzzTest.INTER_HOLDS.contains(design) ? Violation.INTRA : Violation.INTER;
    }

    @Test
    void everyKnownBadDesignHasAnInputThatBreaksItsProperty() throws IOException {
        List<String> bad = IsolationFuzzTest.DESIGNS.stream().filter(d -> !d.endsWith("baseline")).toList();
        for (String design : bad) {
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
                HostSystem s = new HostSystem(IsolationFuzzTest.config(in[0] & 3), (in[0] & 2) == 0 ? IsolationFuzzTest.CDNA : IsolationFuzzTest.IOMMU);
                assertTrue(FuzzDriver.run(s, IsolationFuzzTest.rest(in)).size() > 30, f + " runs too few steps to be a useful seed");
                assertTrue(s.checker().violations().isEmpty(), f + ": " + s.checker().violations());
            }
        }
    }

    /**
     * Regenerates the corpus: random fuzz inputs per known-bad design until one
     * breaks its property (kept shortest-first by truncation), and random
     * baseline seeds.  Run with -Dcdna.makeCorpus=true.
     */
    @Test
    void makeCorpus() throws IOException {
        if (!Boolean.getBoolean("cdna.makeCorpus")) return;
        SplittableRandom rnd = new SplittableRandom(Long.getLong("cdna.seed", 7));
        Files.createDirectories(DIR);
        Files.createDirectories(BASE_DIR);
        int n = IsolationFuzzTest.DESIGNS.size();
        for (int i = 0; i < n; i++) {
            String design = IsolationFuzzTest.DESIGNS.get(i);
            if (design.endsWith("baseline")) continue;
            for (int attempt = 0; ; attempt++) {
                byte[] in = new byte[300];
                rnd.nextBytes(in);
                in[0] = (byte) i;
                if (!IsolationFuzzTest.designRun(in).checker().violated(expected(design))) continue;
                int len = in.length;
                while (len > 2 && IsolationFuzzTest.designRun(java.util.Arrays.copyOf(in, len - 1)).checker().violated(expected(design))) len--;
                Files.write(DIR.resolve("knownbad-" + design), java.util.Arrays.copyOf(in, len));
                System.out.println(design + ": found after " + (attempt + 1) + " random inputs, " + len + " bytes");
                break;
            }
        }
        // Baseline seeds lean on honest-driver and NIC steps, so they start the fuzzer from long, busy runs.
        int[] ops = {15, 15, 15, 5, 6, 6, 7, 12, 11, 3, 4};
        for (int k = 0; k < 8; k++) {
            byte[] in;
            do {
                in = new byte[400];
                rnd.nextBytes(in);
                for (int j = 1; j < in.length; j += 4) in[j] = (byte) ops[rnd.nextInt(ops.length)];
                in[0] = (byte) k;
            } while (FuzzDriver.run(new HostSystem(IsolationFuzzTest.config(k & 3), (k & 2) == 0 ? IsolationFuzzTest.CDNA : IsolationFuzzTest.IOMMU),
                    IsolationFuzzTest.rest(in)).size() <= 30);
            Files.write(BASE_DIR.resolve("seed-" + k), in);
        }
    }
}
