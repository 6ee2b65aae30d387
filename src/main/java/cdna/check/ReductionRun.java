package cdna.check;

import cdna.design.Design;
import cdna.json.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TLC run of a model, as configured or with one reduction taken out, and
 * what it cost: the figures of docs/reductions.md (bin/cdna reductions).
 * A run that outgrows its cap is stopped and reported with the states it had
 * reached, so a ratio against it is a lower bound, never a guess.
 */
public final class ReductionRun {

    /**
     * What a run changes in the model's cfg.
     *
     * @param reduction       the reduction taken out (empty: the model as configured)
     * @param withoutKeywords cfg lines dropped (SYMMETRY, VIEW)
     * @param overrides       constants set otherwise (e.g. ModelDoorbell = TRUE: the doorbell value by value)
     */
    public record Change(String reduction, Set<String> withoutKeywords, Map<String, String> overrides) {
        public static Change none() { return new Change("", Set.of(), Map.of()); }
    }

    /**
     * @param kind     TLC's outcome (TIMEOUT when the cap stopped it)
     * @param distinct distinct states (reached so far, when capped)
     * @param depth    the diameter TLC reported (null when capped or absent)
     * @param capped   stopped at the cap: {@code distinct} is a lower bound
     * @param command  TLC's command line
     */
    public record Measurement(Outcome.Kind kind, long distinct, Integer depth, double seconds, boolean capped, String command,
                              String message) {
        /** A run whose count can be compared: finished without error, or stopped at the cap with a count. */
        public boolean usable() { return kind == Outcome.Kind.NO_ERROR || (capped && distinct > 0); }
    }

    private ReductionRun() {}

    /**
     * Runs template t for design d with change c, every invariant and property its cfg checks.
     *
     * @param work a fresh directory for the cfg, the log and the metadir
     */
    public static Measurement run(Path root, Manifest.Template t, Design d, Change c, Duration cap, int workers, Path work)
            throws IOException, InputException {
        Path modelCheck = root.resolve("model-check");
        Cfg cfg = Cfg.read(modelCheck.resolve(t.cfg()));
        Map<String, String> overrides = new LinkedHashMap<>(cfg.designOverrides(d));
        for (Map.Entry<String, String> o : c.overrides().entrySet()) {
            if (!cfg.hasConstant(o.getKey())) {
                throw new InputException(cfg.source() + ": no constant " + o.getKey() + " to set to " + o.getValue());
            }
            overrides.put(o.getKey(), o.getValue());
        }
        for (String k : c.withoutKeywords()) {
            if (cfg.single(k) == null) throw new InputException(cfg.source() + ": no " + k + " line to take out");
        }
        Files.createDirectories(work);
        Path gen = work.resolve(t.name() + ".cfg");
        Files.writeString(gen, cfg.render(overrides, cfg.invariants(), cfg.properties(), "model " + t.name() + ", design "
                + d.name() + (c.reduction().isEmpty() ? "" : ", without " + c.reduction()), c.withoutKeywords()));
        List<Path> lib = List.of(modelCheck, root.resolve("specs"));
        AtomicLong reached = new AtomicLong();
        TlcRunner.Run run = new TlcRunner(TlcRunner.Launcher.tlc("5g")).run(new TlcRunner.Request(modelCheck.resolve(t.module()),
                gen, lib, workers, cap, work.resolve("tlc"), List.of(), p -> reached.set(p.distinct())));
        Outcome o = Outcome.of(run, lib);
        boolean capped = o.kind() == Outcome.Kind.TIMEOUT;
        long distinct = capped ? Math.max(reached.get(), o.distinct()) : o.distinct();
        return new Measurement(o.kind(), distinct, capped ? null : o.depth(), run.seconds(), capped,
                TlcRunner.shellLine(run.command()), o.message());
    }
}
