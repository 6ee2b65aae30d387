package cdna.provision;

import cdna.design.Design;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A seeded simulation of many contexts sharing one link through the twin
 * ({@link ProvisionedHost}): mixed rates, bursts and minimum rates, some
 * contexts greedy (backlogged every tick), the others backlogged in a random
 * share of ticks.  The hypervisor admits contexts in order while their
 * minimums fit; the arbiter serves, among the contexts it may grant, the
 * highest-numbered first (a fixed priority, the hardest case for the low
 * numbers).  For each context it measures the achieved throughput, the most
 * it sent in any window of W ticks (against rate × W + burst), and the least
 * it sent in a window it was backlogged throughout (against minimum × W); the
 * safety properties are checked after every step.
 */
public final class Throughput {
    private Throughput() {}

    /** One context's parameters and what it achieved. */
    public record Context(int id, int rate, int burst, int minRate, boolean greedy, double demand, boolean admitted,
                          double achieved, int maxWindow, int minBackloggedWindow, int backloggedTicks) {
        /** Packets per tick the cap allows on average. */
        public double cap() { return rate; }
    }

    /** A whole run: the contexts, the link, the window, the seed, and the properties broken (empty: none). */
    public record Result(long seed, int ticks, int linkRate, int window, Design design, List<Context> contexts, List<String> broken) {}

    /** The simulated link, packets a tick: less than the contexts' rates in all, so greedy ones contend. */
    public static final int LINK_RATE = 28;

    /** A mix of {@code contexts} contexts on a link of {@link #LINK_RATE}: rates 1 to 8, bursts 1 to 3 times the rate. */
    public static ProvisionConfig mix(long seed, int contexts) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] rate = new int[contexts];
        int[] burst = new int[contexts];
        int[] min = new int[contexts];
        int[] rates = {1, 2, 3, 4, 6, 8};
        for (int i = 0; i < contexts; i++) {
            rate[i] = rates[rnd.nextInt(rates.length)];
            burst[i] = rate[i] * (1 + rnd.nextInt(3));
            // a quarter promised nothing, the others a quarter or half of their rate
            min[i] = rnd.nextInt(4) == 0 ? 0 : Math.max(1, rate[i] * (1 + rnd.nextInt(2)) / 4);
        }
        int counter = 0;
        for (int b : burst) counter = Math.max(counter, b);
        return ProvisionConfig.of(LINK_RATE, rate, burst, min, 4, 4 * counter);
    }

    /**
     * Runs {@code ticks} ticks.  Contexts whose number is a multiple of 3 are
     * greedy; the others are backlogged in each tick with a probability drawn
     * once per context.
     */
    public static Result run(ProvisionConfig k, Design design, long seed, int ticks) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int n = k.contexts();
        ProvisionedHost h = new ProvisionedHost(k, design);
        boolean[] greedy = new boolean[n + 1];
        double[] demand = new double[n + 1];
        for (int c = 1; c <= n; c++) {
            greedy[c] = c % 3 == 0;
            demand[c] = greedy[c] ? 1.0 : 0.3 + 0.6 * rnd.nextDouble();
        }
        for (int c = 1; c <= n; c++) h.assign(c);
        long[] total = new long[n + 1];
        int[] maxWindow = new int[n + 1];
        int[] minWindow = new int[n + 1];
        int[] backlogged = new int[n + 1];
        java.util.Arrays.fill(minWindow, Integer.MAX_VALUE);
        Set<String> broken = new TreeSet<>();
        for (int t = 0; t < ticks; t++) {
            Set<Integer> next = new TreeSet<>();
            for (int c = 1; c <= n; c++) if (h.assigned(c) && rnd.nextDouble() < demand[c]) next.add(c);
            if (!h.tick(next)) throw new IllegalStateException("tick " + t + " refused");
            broken.addAll(ProvisionChecker.violations(h).keySet());
            for (int c = 1; c <= n; c++) if (h.backlogged(c)) backlogged[c]++;
            boolean sent = true;
            while (sent) {
                sent = false;
                for (int c = n; c >= 1 && !sent; c--) sent = h.send(c);
            }
            broken.addAll(ProvisionChecker.violations(h).keySet());
            for (int c = 1; c <= n; c++) {
                total[c] += h.sentNow(c);
                int window = h.sentNow(c);
                boolean covered = h.covNow[c];
                for (int i = 1; i < k.window(); i++) {
                    window += h.histSent[c][i];
                    covered &= h.histCov[c][i];
                }
                maxWindow[c] = Math.max(maxWindow[c], window);
                if (covered && t >= k.window()) minWindow[c] = Math.min(minWindow[c], window);
            }
        }
        List<Context> out = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            out.add(new Context(c, k.rate()[c], k.burst()[c], k.minRate()[c], greedy[c], demand[c], h.assigned(c),
                    (double) total[c] / ticks, maxWindow[c], minWindow[c] == Integer.MAX_VALUE ? -1 : minWindow[c], backlogged[c]));
        }
        return new Result(seed, ticks, k.linkRate(), k.window(), design, out, List.copyOf(broken));
    }
}
