package cdna.conformance;

import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.Mutant;
import cdna.json.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Simulation replay, spec to code: TLC walks the spec at random ({@code -simulate}, one
 * worker, a recorded seed, so the walks reproduce), each state carrying the step into it
 * (the labelled module of {@link ExhaustiveReplay}), and every walk is replayed on the Java
 * machine, compared after every step.  Where the exhaustive replay covers every edge of a
 * small model, the walks go deep into models too big to enumerate.  The walks become a
 * graph of paths and go through the same replay, so a mismatch is reported the same way:
 * the path to it, the step, the first differing variable or what the Java checker flagged.
 */
public final class SimulationReplay {
    /** A finished simulation replay: what was asked, and the replay's result (edges are the steps replayed). */
    public record Result(long seed, int walks, int depth, ExhaustiveReplay.Result replay) {
        public String summary() {
            return "simulation replay, " + walks + " walks of up to " + depth + " steps from seed " + seed + ": " + replay.summary();
        }
    }

    private final Path root;
    private final TlcRunner runner;

    public SimulationReplay(Path root, TlcRunner runner) {
        this.root = root;
        this.runner = runner;
    }

    /**
     * Has TLC take {@code walks} random walks of at most {@code depth} steps of cfg under design
     * from {@code seed}, and replays them on a HostSystem carrying {@code mutants} (empty outside tests).
     */
    public Result run(String cfgName, Design design, Map<String, String> bounds, long seed, int walks, int depth,
                      Set<Mutant> mutants, Path workDir) throws IOException, InputException {
        ExhaustiveReplay.Labelled l = new ExhaustiveReplay(root, runner).labelled(cfgName, design, bounds, workDir);
        Path prefix = workDir.resolve("walk").toAbsolutePath();
        try (var old = Files.list(workDir)) {
            for (Path f : (Iterable<Path>) old::iterator) if (f.getFileName().toString().startsWith("walk_")) Files.delete(f);
        }
        TlcRunner.Run run = runner.run(new TlcRunner.Request(l.module(), l.cfgFile(), l.lib(), 1, Duration.ofMinutes(10),
                workDir.resolve("tlc"), List.of("-simulate", "file=" + prefix + ",num=" + walks, "-depth", Integer.toString(depth),
                "-seed", Long.toString(seed))));
        Files.writeString(workDir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < walks; i++) {
            Path f = workDir.resolve("walk_0_" + i);
            if (Files.isRegularFile(f)) files.add(f);
        }
        if (run.timedOut() || run.exitCode() != 0 || files.size() != walks) {
            String error = "TLC " + (run.timedOut() ? "timed out" : "exited " + run.exitCode()) + " and wrote " + files.size()
                    + " of " + walks + " walks; log " + run.log();
            return new Result(seed, walks, depth, new ExhaustiveReplay.Result(l.model(), design.name(), 0, 0, 0, 0, 0, 0, 0, List.of(),
                    run.seconds(), 0, 0, error, run.command()));
        }
        Path graph = workDir.resolve("walks.dot");
        Files.writeString(graph, asGraph(files));
        ExhaustiveReplay.Result r = ExhaustiveReplay.replay(graph, l.effective(), design, mutants, l.model(), run.seconds(), run.command());
        if (r.ok()) {
            Files.deleteIfExists(graph);
            for (Path f : files) Files.deleteIfExists(f);
        }
        return new Result(seed, walks, depth, r);
    }

    /**
     * The walks as a graph in the dot form TLC dumps: one node per state of each walk (a state
     * is {@code STATE_k ==} followed by its conjuncts), an edge from each state to the next.
     */
    static String asGraph(List<Path> walks) throws IOException, InputException {
        StringBuilder g = new StringBuilder("strict digraph DiskGraph {\n");
        long id = 1;
        for (Path w : walks) {
            List<String> states = new ArrayList<>();
            StringBuilder cur = null;
            for (String line : Files.readAllLines(w)) {
                if (line.matches("STATE_\\d+ ==\\s*")) {
                    if (cur != null) states.add(cur.toString().strip());
                    cur = new StringBuilder();
                } else if (cur != null && !line.startsWith("====")) {
                    cur.append(line).append('\n');
                }
            }
            if (cur != null) states.add(cur.toString().strip());
            if (states.isEmpty()) throw new InputException(w + ": expected states STATE_1 == ..., found none");
            for (int k = 0; k < states.size(); k++) {
                g.append(id + k).append(" [label=\"").append(escape(states.get(k))).append("\"]\n");
                if (k > 0) g.append(id + k - 1).append(" -> ").append(id + k).append(" ;\n");
            }
            id += states.size();
        }
        return g.append("}\n").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
