package cdna.provision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provisioning's properties, by the names the spec, the manifest and the
 * report use, judged on the twin's state and its configured rates (never on
 * the design's switches): each returns null when the property holds, else
 * why it fails.  NoStarvation, the liveness property, is judged over a run by
 * {@link #starved}.
 */
public final class ProvisionChecker {
    private ProvisionChecker() {}

    public static final String RATE_CAP = "RateCap";
    public static final String MIN_GUARANTEE = "MinGuarantee";
    public static final String ADMISSION_SOUND = "AdmissionSound";
    public static final String NO_STARVATION = "NoStarvation";

    /** Every safety property that fails in h's state, with why. */
    public static Map<String, String> violations(ProvisionedHost h) {
        Map<String, String> r = new LinkedHashMap<>();
        put(r, RATE_CAP, rateCap(h));
        put(r, MIN_GUARANTEE, minGuarantee(h));
        put(r, ADMISSION_SOUND, admissionSound(h));
        return r;
    }

    private static void put(Map<String, String> r, String p, String why) { if (why != null) r.put(p, why); }

    /** Over the last W ticks (W-1 completed and the current one) each context sent at most rate × W + burst. */
    public static String rateCap(ProvisionedHost h) {
        ProvisionConfig k = h.config();
        for (int c = 1; c <= k.contexts(); c++) {
            int sum = h.sentNow(c);
            for (int i = 1; i < k.window(); i++) sum += h.histSent[c][i];
            int cap = k.rate()[c] * k.window() + k.burst()[c];
            if (sum > cap) return "context " + c + " sent " + sum + " packets in " + k.window() + " ticks, above its cap of " + cap;
        }
        return null;
    }

    /** A context assigned and backlogged throughout the last W completed ticks sent at least its minimum × W in them. */
    public static String minGuarantee(ProvisionedHost h) {
        ProvisionConfig k = h.config();
        for (int c = 1; c <= k.contexts(); c++) {
            boolean covered = true;
            int sum = 0;
            for (int i = 0; i < k.window(); i++) {
                covered &= h.histCov[c][i];
                sum += h.histSent[c][i];
            }
            int owed = k.minRate()[c] * k.window();
            if (covered && sum < owed) {
                return "context " + c + " was backlogged for " + k.window() + " ticks and sent " + sum + ", below its minimum of " + owed;
            }
        }
        return null;
    }

    /** The minimums of the assigned contexts fit in the link. */
    public static String admissionSound(ProvisionedHost h) {
        int sum = h.assignedMinimums();
        return sum <= h.config().linkRate() ? null
                : "the assigned contexts are promised " + sum + " packets a tick on a link of " + h.config().linkRate();
    }

    /** What a run's starvation judgement needs of one state: who is backlogged, who sent in the tick, and the time. */
    public record Moment(boolean[] backlog, int[] sentNow, long ticks) {
        public static Moment of(ProvisionedHost h) {
            int n = h.config().contexts();
            int[] sent = new int[n + 1];
            for (int c = 1; c <= n; c++) sent[c] = h.sentNow(c);
            return new Moment(h.backlog.clone(), sent, h.ticks());
        }
    }

    /**
     * NoStarvation over a stretch of a run: a context with a minimum that is
     * backlogged at every moment of it and sends nothing in it, while at least
     * {@code ticks} ticks pass, is starved (for a lasso, the loop repeats for
     * ever, so one tick is enough).  Returns why, or null if no context is.
     */
    public static String starved(ProvisionConfig k, List<Moment> stretch, long ticks) {
        if (stretch.isEmpty()) return null;
        long passed = stretch.get(stretch.size() - 1).ticks() - stretch.get(0).ticks();
        if (passed < ticks) return null;
        for (int c = 1; c <= k.contexts(); c++) {
            if (k.minRate()[c] == 0) continue;
            boolean starved = true;
            for (Moment m : stretch) starved &= m.backlog()[c] && m.sentNow()[c] == 0;
            if (starved) {
                return "context " + c + ", promised " + k.minRate()[c] + " a tick, stays backlogged over " + passed
                        + " ticks and sends nothing";
            }
        }
        return null;
    }
}
