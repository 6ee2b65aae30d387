package cdna.cli;

import cdna.check.TlcRunner;
import cdna.conformance.ExhaustiveReplay;
import cdna.conformance.ReplayResult;
import cdna.conformance.SimulationReplay;
import cdna.design.Design;
import cdna.conformance.TraceReplay;
import cdna.json.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * bin/cdna replay: one counterexample on the Java implementation, spec and Java state side by side;
 * or, with --exhaustive or --simulate, every edge of a model's state graph or of TLC's random walks.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay one JSON counterexample (reports/.../traces/MODEL--PROPERTY.json) on the Java implementation",
                "and print, for every state, each variable as the spec has it beside the abstraction of the Java state",
                "(differences marked), and what the isolation checker flagged.",
                "Exit 0: reproduced; 1: not reproduced (diverged, or the checker missed it); 2: bad input.",
                "",
                "With --exhaustive MODEL: TLC dumps the model's whole state graph and every edge is replayed on the Java",
                "implementation from a snapshot of its source state (spec to code; docs/implementation.md).  With --simulate",
                "MODEL: TLC's random walks instead.  Exit 0: every edge agrees; 1: a mismatch (the first are printed with",
                "their paths); 2: bad input or TLC error."})
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TRACE.json", description = "The JSON trace written by bin/cdna check or certify.")
    Path trace;

    @Option(names = "--exhaustive", paramLabel = "MODEL",
            description = "Replay every edge of this model's state graph: a manifest model (cdna-small, ownership-small, ownership-standard, ...) or a cfg.")
    String exhaustive;

    @Option(names = "--simulate", paramLabel = "MODEL", description = "Replay TLC's random walks of this model.")
    String simulate;

    @Option(names = "--design", paramLabel = "DESIGN", description = "With --exhaustive or --simulate: the design (default: the model's baseline).")
    String design;

    @Option(names = "--bound", paramLabel = "CONSTANT=VALUE",
            description = "With --exhaustive or --simulate: replace a constant of the model's cfg, such as Contexts={c1} (repeatable).")
    java.util.Map<String, String> bounds = new java.util.LinkedHashMap<>();

    @Option(names = "--seed", defaultValue = "20261204", description = "With --simulate: TLC's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--walks", defaultValue = "40", description = "With --simulate: how many walks (default: ${DEFAULT-VALUE}).")
    int walks;

    @Option(names = "--depth", defaultValue = "80", description = "With --simulate: steps per walk at most (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--heap", defaultValue = "4g", description = "With --exhaustive or --simulate: TLC's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    @Option(names = "--changed", description = "Show only the variables a step changed (on either side).")
    boolean changedOnly;

    @Override
    public Integer call() {
        Path rootDir = root.toAbsolutePath().normalize();
        int modes = (trace != null ? 1 : 0) + (exhaustive != null ? 1 : 0) + (simulate != null ? 1 : 0);
        if (modes != 1) {
            System.err.println("cdna replay: expected one of TRACE.json, --exhaustive MODEL, --simulate MODEL");
            return 2;
        }
        if (trace == null) return graph(rootDir);
        List<TraceReplay.StateView> views;
        ReplayResult r;
        try {
            views = TraceReplay.sideBySide(rootDir, trace);
            r = TraceReplay.replay(rootDir, trace);
        } catch (InputException e) {
            System.err.println("cdna replay: " + e.getMessage());
            return 2;
        }
        int w = 8;
        for (TraceReplay.StateView v : views) for (TraceReplay.VarView x : v.vars()) w = Math.max(w, x.variable().length());
        TraceReplay.StateView prev = null;
        for (TraceReplay.StateView v : views) {
            System.out.printf(Locale.ROOT, "%n== state %d: %s%n", v.index(), v.step());
            if (v.refused() != null) System.out.println("   JAVA REFUSED: " + v.refused());
            System.out.printf(Locale.ROOT, "   %-" + w + "s  %-50s  %s%n", "variable", "spec", "java");
            for (int i = 0; i < v.vars().size(); i++) {
                TraceReplay.VarView x = v.vars().get(i);
                boolean changed = prev == null || !prev.vars().get(i).spec().equals(x.spec()) || !prev.vars().get(i).java().equals(x.java());
                if (changedOnly && !changed && x.same()) continue;
                System.out.printf(Locale.ROOT, " %s %-" + w + "s  %-50s  %s%n", x.same() ? " " : "≠", x.variable(), x.spec(),
                        x.same() ? (x.java().equals(x.spec()) ? "(same)" : x.java()) : x.java());
            }
            for (String f : v.flagged()) System.out.println("   checker: " + f);
            prev = v;
        }
        System.out.println();
        for (String n : r.notes()) System.out.println("note: " + n);
        System.out.println((r.reproduced() ? "REPRODUCED: " : "NOT REPRODUCED: ") + r.summary());
        return r.reproduced() ? 0 : 1;
    }

    /** --exhaustive or --simulate: a state graph of the model replayed edge by edge. */
    private int graph(Path rootDir) {
        String modelArg = exhaustive != null ? exhaustive : simulate;
        try {
            if (walks < 1 || depth < 1) throw new InputException("--walks and --depth: expected positive numbers");
            String cfg = ModelArgs.cfg(rootDir, modelArg);
            Design d = ModelArgs.design(rootDir, design != null ? design : ModelArgs.defaultDesign(rootDir, cfg));
            TlcRunner runner = new TlcRunner(TlcRunner.Launcher.tlc(heap));
            Path work = rootDir.resolve("target/replay").resolve(cfg.replace(".cfg", "") + "-" + d.name());
            ExhaustiveReplay.Result r;
            if (exhaustive != null) {
                System.out.println("dumping the state graph of " + cfg + " under " + d.name() + (bounds.isEmpty() ? "" : " " + bounds) + " ...");
                r = new ExhaustiveReplay(rootDir, runner).run(cfg, d, bounds, Set.of(), work);
            } else {
                System.out.println("TLC's " + walks + " random walks of " + cfg + " under " + d.name() + ", seed " + seed + " ...");
                r = new SimulationReplay(rootDir, runner).run(cfg, d, bounds, seed, walks, depth, Set.of(), work).replay();
            }
            System.out.println("TLC: " + TlcRunner.shellLine(r.command()));
            if (r.error() != null) {
                System.err.println("cdna replay: " + r.summary());
                return 2;
            }
            System.out.println((r.ok() ? "AGREES: " : "DIFFERS: ") + r.summary());
            for (ExhaustiveReplay.Mismatch m : r.mismatches()) System.out.println("  " + m);
            if (r.mismatchCount() > r.mismatches().size()) System.out.println("  ... " + (r.mismatchCount() - r.mismatches().size()) + " more");
            return r.ok() ? 0 : 1;
        } catch (InputException e) {
            System.err.println("cdna replay: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("cdna replay: " + e.getMessage());
            return 2;
        }
    }
}
