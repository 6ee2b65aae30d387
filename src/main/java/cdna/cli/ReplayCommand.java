package cdna.cli;

import cdna.conformance.ReplayResult;
import cdna.conformance.TraceReplay;
import cdna.json.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** bin/cdna replay TRACE.json: one counterexample on the Java implementation, spec and Java state side by side. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay one JSON counterexample (reports/.../traces/MODEL--PROPERTY.json) on the Java implementation",
                "and print, for every state, each variable as the spec has it beside the abstraction of the Java state",
                "(differences marked), and what the isolation checker flagged.",
                "Exit 0: reproduced; 1: not reproduced (diverged, or the checker missed it); 2: bad input."})
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE.json", description = "The JSON trace written by bin/cdna check or certify.")
    Path trace;

    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    @Option(names = "--changed", description = "Show only the variables a step changed (on either side).")
    boolean changedOnly;

    @Override
    public Integer call() {
        Path rootDir = root.toAbsolutePath().normalize();
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
}
