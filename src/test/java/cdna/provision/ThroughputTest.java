package cdna.provision;

import cdna.design.Design;
import cdna.report.ProvisionPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The throughput simulation behind docs/provisioning.svg: under the baseline
 * every admitted context stays within its cap and gets its minimum in every
 * window it is backlogged throughout, and admission refuses what does not
 * fit; under a minimum-blind arbiter a low-priority context falls below its
 * minimum.  The plot has a row per context, and the command writes it.
 */
class ThroughputTest {
    static final long SEED = 20261205L;

    @TempDir
    Path tmp;

    @Test
    void theBaselineKeepsEveryCapAndEveryMinimum() {
        Throughput.Result r = Throughput.run(Throughput.mix(SEED, 16), Design.cdnaBaseline(), SEED, 800);
        assertEquals(java.util.List.of(), r.broken());
        int minimums = 0;
        for (Throughput.Context c : r.contexts()) {
            if (!c.admitted()) continue;
            minimums += c.minRate();
            assertTrue(c.maxWindow() <= c.rate() * r.window() + c.burst(), c.toString());
            assertTrue(c.achieved() <= c.rate() + (double) c.burst() / r.ticks(), c.toString());
            if (c.minBackloggedWindow() >= 0) assertTrue(c.minBackloggedWindow() >= c.minRate() * r.window(), c.toString());
        }
        assertTrue(minimums <= r.linkRate());
        assertTrue(r.contexts().stream().anyMatch(c -> c.greedy() && c.admitted()), "some context is greedy");
    }

    @Test
    void aMinimumBlindArbiterShortsALowPriorityContext() {
        Throughput.Result r = Throughput.run(Throughput.mix(SEED, 16), ProvisionedHostTest.load("provisioning-arbiter-ignores-minimum"), SEED, 800);
        assertTrue(r.broken().contains(ProvisionChecker.MIN_GUARANTEE), r.broken().toString());
        assertTrue(r.contexts().stream().anyMatch(c -> c.minBackloggedWindow() >= 0 && c.minBackloggedWindow() < c.minRate() * r.window()));
    }

    @Test
    void theSameSeedGivesTheSamePlotAndAnotherSeedAnotherMix() {
        Throughput.Result a = Throughput.run(Throughput.mix(SEED, 16), Design.cdnaBaseline(), SEED, 300);
        Throughput.Result b = Throughput.run(Throughput.mix(SEED, 16), Design.cdnaBaseline(), SEED, 300);
        assertEquals(ProvisionPlot.svg(a), ProvisionPlot.svg(b));
        assertNotEquals(Throughput.mix(SEED, 16), Throughput.mix(SEED + 1, 16));
        String svg = ProvisionPlot.svg(a);
        for (int c = 1; c <= 16; c++) assertTrue(svg.contains(">ctx " + c + " "), "row of context " + c);
        assertTrue(svg.startsWith("<svg") && svg.trim().endsWith("</svg>"));
    }

    @Test
    void theCommandWritesThePlotAndRefusesTooFewContexts() throws Exception {
        Path out = tmp.resolve("p.svg");
        assertEquals(0, cdna.cli.Main.run("provision-plot", "--ticks", "200", "--out", out.toString()));
        assertTrue(Files.readString(out).contains("Throughput of 20 contexts"));
        assertEquals(2, cdna.cli.Main.run("provision-plot", "--contexts", "8", "--out", out.toString()));
    }
}
