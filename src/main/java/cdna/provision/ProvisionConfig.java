package cdna.provision;

import java.util.Arrays;

/**
 * The bounds and rates of a provisioning model, as Provisioning's constants:
 * contexts 1..n on a link of {@code linkRate} packets a tick, each with a
 * rate, a burst and a minimum rate (arrays indexed 1..n; index 0 unused),
 * windows of {@code window} ticks, bucket counters {@code counterMax} wide.
 * The constructor checks what the spec ASSUMEs.
 */
public record ProvisionConfig(int contexts, int linkRate, int[] rate, int[] burst, int[] minRate, int window, int counterMax) {
    public ProvisionConfig {
        if (contexts < 1) throw new IllegalArgumentException("at least one context, found " + contexts);
        if (linkRate < 1 || window < 1) throw new IllegalArgumentException("LinkRate and W must be at least 1");
        if (rate.length != contexts + 1 || burst.length != contexts + 1 || minRate.length != contexts + 1) {
            throw new IllegalArgumentException("Rate, Burst and MinRate need one value for each of the " + contexts + " contexts");
        }
        for (int c = 1; c <= contexts; c++) {
            if (!(0 <= minRate[c] && minRate[c] <= rate[c] && rate[c] <= burst[c] && burst[c] <= counterMax)) {
                throw new IllegalArgumentException("context " + c + " needs MinRate <= Rate <= Burst <= CounterMax, found "
                        + minRate[c] + ", " + rate[c] + ", " + burst[c] + ", " + counterMax);
            }
        }
        rate = rate.clone();
        burst = burst.clone();
        minRate = minRate.clone();
    }

    /** From 0-based lists of the contexts' values (the spec's tuples). */
    public static ProvisionConfig of(int linkRate, int[] rate, int[] burst, int[] minRate, int window, int counterMax) {
        return new ProvisionConfig(rate.length, linkRate, shift(rate), shift(burst), shift(minRate), window, counterMax);
    }

    private static int[] shift(int[] xs) {
        int[] out = new int[xs.length + 1];
        System.arraycopy(xs, 0, out, 1, xs.length);
        return out;
    }

    /** MCProvisioningSmall.cfg: 3 contexts on a link of 2, rates 1, 2, 1, bursts 1, 2, 2, each promised 1. */
    public static ProvisionConfig small() {
        return of(2, new int[]{1, 2, 1}, new int[]{1, 2, 2}, new int[]{1, 1, 1}, 2, 4);
    }

    @Override public boolean equals(Object o) {
        return o instanceof ProvisionConfig p && p.contexts == contexts && p.linkRate == linkRate && Arrays.equals(p.rate, rate)
                && Arrays.equals(p.burst, burst) && Arrays.equals(p.minRate, minRate) && p.window == window && p.counterMax == counterMax;
    }
    @Override public int hashCode() { return Arrays.hashCode(rate) * 31 + linkRate; }
    @Override public String toString() {
        return "ProvisionConfig[" + contexts + " contexts, link " + linkRate + ", rates " + Arrays.toString(rate) + ", bursts "
                + Arrays.toString(burst) + ", minimums " + Arrays.toString(minRate) + ", W " + window + ", counter " + counterMax + "]";
    }
}
