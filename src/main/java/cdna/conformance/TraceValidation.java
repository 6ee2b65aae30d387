package cdna.conformance;

import cdna.check.Cfg;
import cdna.check.Outcome;
import cdna.check.TlcRunner;
import cdna.json.InputException;
import cdna.migration.HandoffState;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trace validation, code to spec: TLC checks that a logged run of the Java implementation
 * ({@link StepLog}) is a behaviour of its spec.  Each spec has a validation module,
 * model-check/Trace{Cdna,Iommu,ContextOwnership,Migration}.tla, which follows the log with a
 * cursor: the first entry must satisfy Init, and each next entry must follow from the one
 * before by the spec action the Java step names (with its parameters where the log has
 * them), or, for a Java step outside the spec, leave the spec's variables alone.  The log
 * itself is a generated module, TraceLog.tla, next to the model's cfg with the design's
 * switches.  A log the spec follows to its end is valid; one it cannot follow deadlocks at
 * the first entry no named step reaches.  That entry is then checked once more without the
 * names (any step of Next): if the spec reaches it by another action, the Java step is
 * misnamed; if by none, Java did what the spec never allows.
 */
public final class TraceValidation {
    /**
     * What TLC made of a log: valid; or the first entry (from 1, entry 1 the initial state) it
     * cannot follow, the Java step into it, and whether the spec reaches that state by another
     * action (the name is wrong) or not at all; or an error (TLC failed, the log is malformed).
     */
    public record Result(String spec, int entries, boolean valid, int divergesAt, String step, boolean misnamed, String error,
                         List<String> command) {
        public String summary() {
            if (error != null) return spec + ": error: " + error;
            if (valid) return spec + ": valid: all " + entries + " entries are a behaviour of the spec";
            if (divergesAt == 1) return spec + ": entry 1 of " + entries + " (the machine as built) is no initial state of the spec";
            return spec + ": entry " + divergesAt + " of " + entries + " (" + step + ") "
                    + (misnamed ? "is reached by a step of the spec from entry " + (divergesAt - 1) + ", but not by the action the Java step names"
                    : "is no step of the spec from entry " + (divergesAt - 1));
        }
    }

    private final Path root;
    private final TlcRunner runner;

    public TraceValidation(Path root, TlcRunner runner) {
        this.root = root;
        this.runner = runner;
    }

    /** The validation module of a model's spec, and the spec's variables in the log. */
    record Kind(String module, String mc, String spec, List<String> variables) {}

    static Kind kind(Cfg cfg) {
        if (MigrationReplay.isMigration(cfg)) return new Kind("TraceMigration", "MCMigration", "MigrationHandoff", HandoffState.VARIABLES);
        if (cfg.hasConstant("Protection")) return new Kind("TraceContextOwnership", "MCContextOwnership", "ContextOwnership", ModelSetup.OWNERSHIP_VARS);
        if (cfg.hasConstant("NPages")) return new Kind("TraceCdna", "MCCdna", "CdnaProtection", ModelSetup.CDNA_VARS);
        return new Kind("TraceIommu", "MCIommu", "IommuProtection", ModelSetup.IOMMU_VARS);
    }

    /** Validates a log (its header names the model's cfg and the design); TLC's files go under workDir. */
    public Result validate(StepLog.Log log, Path workDir) throws IOException, InputException {
        Cfg cfg = Cfg.read(root.resolve("model-check").resolve(log.header().cfg()));
        Kind kind = kind(cfg);
        Run named = run(cfg, kind, log, true, workDir.resolve("by-name"));
        if (named.result != null) return named.result;
        if (named.at == 1) return new Result(kind.spec(), log.size(), false, 1, "Init", false, null, named.command);
        // Is the entry reached by some other step of the spec?
        Run any = run(cfg, kind, log, false, workDir.resolve("any-step"));
        boolean misnamed = any.result != null ? any.result.valid() : any.at > named.at;
        if (any.result != null && any.result.error() != null) return any.result;
        return new Result(kind.spec(), log.size(), false, named.at, log.entries().get(named.at - 1).action(), misnamed, null, named.command);
    }

    /** One TLC run over the log: a final result (valid, or an error), or the entry it could not reach. */
    private record Run(Result result, int at, List<String> command) {}

    private Run run(Cfg cfg, Kind kind, StepLog.Log log, boolean byName, Path dir) throws IOException, InputException {
        Set<String> declared = cfg.modelValues();
        Files.createDirectories(dir);
        List<Map<String, JsonNode>> states = new ArrayList<>();
        for (StepLog.Entry e : log.entries()) states.add(e.state());
        StringBuilder t = new StringBuilder();
        t.append("---- MODULE TraceLog ----\n");
        t.append("\\* Generated by cdna: a log of the Java implementation (").append(log.size()).append(" entries, ")
                .append(log.header().source().replace('\n', ' ')).append("), for ").append(kind.module()).append(".\n");
        t.append("EXTENDS ").append(kind.mc()).append(", Integers, TLC\n");
        if (!declared.isEmpty()) t.append("CONSTANTS ").append(String.join(", ", declared)).append('\n');
        t.append("\\* Whether each step must be the action the Java step names (FALSE: any step of Next).\n");
        t.append("TVByName == ").append(byName ? "TRUE" : "FALSE").append('\n');
        t.append("\\* The spec-state view of the machine after each logged step; entry 1: as built.\n");
        t.append("TVLog == ").append(TlaStates.tuple(states, kind.variables(), cfg.identifiers())).append('\n');
        t.append("\\* The step into each entry: the action it names (\"\": outside the spec), its parameters if known.\n");
        t.append("TVSteps == <<\n");
        for (int i = 0; i < log.size(); i++) {
            StepLog.Entry e = log.entries().get(i);
            String a = i == 0 || e.specAction() == null ? "" : e.specAction();
            boolean known = i > 0 && e.params() != null;
            t.append("  [a |-> \"").append(a.replace("\"", "")).append("\", known |-> ").append(known ? "TRUE" : "FALSE")
                    .append(", x |-> ").append(known ? TlaStates.tla(Values.normalize(e.params()), cfg.identifiers()) : "0")
                    .append(i + 1 < log.size() ? "],\n" : "]\n");
        }
        t.append(">>\n====\n");
        Files.writeString(dir.resolve("TraceLog.tla"), t.toString());
        Path cfgFile = dir.resolve(kind.module() + ".cfg");
        Files.writeString(cfgFile, cfg.renderForExplain(cfg.designOverrides(log.header().design()), declared, "TVSpec", "TVNotDone"));

        Path mc = root.resolve("model-check").toAbsolutePath();
        List<Path> lib = List.of(dir.toAbsolutePath(), mc, root.resolve("specs").toAbsolutePath());
        TlcRunner.Run run = runner.run(new TlcRunner.Request(mc.resolve(kind.module() + ".tla"), cfgFile, lib, 1, Duration.ofMinutes(5),
                dir.resolve("tlc"), List.of()));
        Files.writeString(dir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
        Outcome o = Outcome.of(run, new ArrayList<>(lib));
        int n = log.size();
        return switch (o.kind()) {
            case INVARIANT_VIOLATED -> "TVNotDone".equals(o.violated()) && o.trace().size() == n
                    ? new Run(new Result(kind.spec(), n, true, 0, null, false, null, run.command()), 0, run.command())
                    : new Run(error(kind, n, "TLC reported " + o.violated() + " violated after " + o.trace().size() + " of " + n
                    + " entries", run), 0, run.command());
            case DEADLOCK -> new Run(null, o.trace().size() + 1, run.command());
            case NO_ERROR -> new Run(null, 1, run.command());  // no initial state matched the first entry
            default -> new Run(error(kind, n, o.kind() + ": " + o.message() + " (log " + run.log() + ")", run), 0, run.command());
        };
    }

    private static Result error(Kind kind, int n, String why, TlcRunner.Run run) {
        return new Result(kind.spec(), n, false, 0, null, false, why, run.command());
    }
}
