package cdna.sim;

import cdna.design.Design;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Seeded random runs.  Run i of a search from seed s uses the generator seeded
 * with {@link #runSeed(long, int)}, so a failure reproduces from (s, i), and
 * also from the run seed alone via {@link #run}.
 */
public final class RandomSearch {
    private RandomSearch() {}

    /** A finished run: its seed, the steps taken, and the first violation of the property sought (null if none). */
    public record Result(long runSeed, List<Action> trace, Violation violation, HostSystem system) {}

    public static long runSeed(long seed, int run) { return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (run + 1))).nextLong(); }

    /**
     * One run of at most {@code steps} enabled steps; stops at the first
     * violation of {@code property} (or of any property if it is null).
     */
    public static Result run(Config config, Design design, ActionGenerator gen, long runSeed, int steps, String property,
                             java.util.function.Consumer<HostSystem> tune) {
        return run(config, design, gen, runSeed, steps, v -> property == null || v.property().equals(property), tune);
    }

    /** One run that stops at the first violation {@code target} accepts. */
    public static Result run(Config config, Design design, ActionGenerator gen, long runSeed, int steps, Predicate<Violation> target,
                             java.util.function.Consumer<HostSystem> tune) {
        return run(new HostSystem(config, design), gen, runSeed, steps, target, tune);
    }

    /** One run from the given system (for instance one whose code carries planted faults). */
    public static Result run(HostSystem s, ActionGenerator gen, long runSeed, int steps, Predicate<Violation> target,
                             java.util.function.Consumer<HostSystem> tune) {
        SplittableRandom rnd = new SplittableRandom(runSeed);
        if (tune != null) tune.accept(s);
        List<Action> trace = new ArrayList<>();
        int taken = 0, tries = 0;
        while (taken < steps && tries < 4 * steps) {
            tries++;
            Action a = gen.next(s, rnd);
            if (a == null) continue;
            if (!a.apply(s)) continue;
            trace.add(a);
            taken++;
            for (Violation v : s.checker().violations()) if (target.test(v)) return new Result(runSeed, trace, v, s);
        }
        return new Result(runSeed, trace, null, s);
    }

    /** Up to {@code runs} runs from {@code seed}; the first that violates {@code property}. */
    public static Optional<Result> search(Config config, Design design, ActionGenerator gen, long seed, int runs, int steps,
                                          Predicate<Violation> target) {
        for (int i = 0; i < runs; i++) {
            Result r = run(config, design, gen, runSeed(seed, i), steps, target, null);
            if (r.violation() != null) return Optional.of(r);
        }
        return Optional.empty();
    }

    /** Shrinks a failing trace to a 1-minimal one that still has a violation {@code target} accepts. */
    public static List<Action> shrink(Config config, Design design, List<Action> trace, Predicate<Violation> target) {
        return Shrinker.ddmin(trace, t -> Replay.run(config, design, t).checker().violations().stream().anyMatch(target));
    }

    /** Accepts violations of one property, seen in one way (null: any way). */
    public static Predicate<Violation> of(String property, Violation.Kind kind) {
        return v -> v.property().equals(property) && (kind == null || v.kind() == kind);
    }
}
